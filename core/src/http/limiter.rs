//! A client-side sliding-window rate limiter: at most `max` requests in any window of `per`.
//! Any fixed window the server counts in then also sees at most `max`.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use tokio::sync::Mutex;

/// At most `max` requests per `per`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests allowed in a window.
    pub max: u32,
    /// Window length.
    pub per: Duration,
}

impl RateLimit {
    /// `max` requests per minute.
    pub fn per_minute(max: u32) -> Self {
        RateLimit {
            max,
            per: Duration::from_secs(60),
        }
    }
}

/// The limiter state (send instants of the last window).
#[derive(Debug)]
pub struct Limiter {
    limit: RateLimit,
    sent: Mutex<VecDeque<Instant>>,
}

impl Limiter {
    /// A limiter for `limit` (a `max` of 0 is treated as 1).
    pub fn new(limit: RateLimit) -> Self {
        Limiter {
            limit: RateLimit {
                max: limit.max.max(1),
                per: limit.per,
            },
            sent: Mutex::new(VecDeque::new()),
        }
    }

    /// Waits until one more request fits in the window, and records it.
    pub async fn acquire(&self) {
        loop {
            let wait = {
                let mut sent = self.sent.lock().await;
                let now = Instant::now();
                while sent.front().is_some_and(|t| now.duration_since(*t) >= self.limit.per) {
                    sent.pop_front();
                }
                if sent.len() < self.limit.max as usize {
                    sent.push_back(now);
                    return;
                }
                match sent.front() {
                    Some(first) => (*first + self.limit.per).saturating_duration_since(now),
                    None => Duration::ZERO,
                }
            };
            tokio::time::sleep(wait.max(Duration::from_millis(1))).await;
        }
    }
}
