//! Property tests of the scheduling engine: retry delays, give-up, poll planning (bounds,
//! eligibility, fairness), due selection and the rate limiter's sliding windows.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use hacienda_core::backoff::{Decision, GiveUpReason, JitterMode, RetryPolicy};
use hacienda_core::polling::{PollDocument, next_poll_at, plan_polls};
use hacienda_core::queue::{QueueRow, QueueState, select_due};
use hacienda_core::rate::{RateLimits, RateState, RequestKind};
use hacienda_core::settings::Settings;
use hacienda_core::{ErrorCategory, IndEstado};
use proptest::prelude::*;

fn base() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 12, 0, 0).unwrap()
}

const RETRYABLE: [ErrorCategory; 7] = [
    ErrorCategory::Transient,
    ErrorCategory::RateLimit,
    ErrorCategory::Network,
    ErrorCategory::Server,
    ErrorCategory::Auth,
    ErrorCategory::Validation,
    ErrorCategory::Unknown,
];

fn policy() -> impl Strategy<Value = RetryPolicy> {
    (
        prop::collection::vec(1i64..50_000, 1..8),
        0u32..12,
        1i64..200_000,
        prop::sample::select(JitterMode::ALL.to_vec()),
        prop::collection::vec(0.1f64..20.0, 7),
    )
        .prop_map(|(mut delays, max_attempts, cap, jitter, ms)| {
            delays.sort_unstable();
            RetryPolicy {
                delays: delays.into_iter().map(TimeDelta::seconds).collect(),
                multipliers: RETRYABLE.into_iter().zip(ms).collect(),
                max_attempts,
                max_elapsed: None,
                max_delay: TimeDelta::seconds(cap),
                jitter,
                enabled: true,
            }
        })
}

proptest! {
    #[test]
    fn delays_never_decrease_and_never_exceed_the_cap(
        p in policy(),
        c in prop::sample::select(RETRYABLE.to_vec()),
        sample in 0.0f64..1.0,
    ) {
        let mut previous = TimeDelta::zero();
        for n in 1..=20 {
            let d = p.delay(c, n, sample).unwrap().unwrap();
            prop_assert!(d >= previous, "retry {n}: {d} < {previous}");
            prop_assert!(d <= p.max_delay, "retry {n}: {d} > cap {}", p.max_delay);
            prop_assert!(d >= TimeDelta::zero());
            previous = d;
        }
    }

    #[test]
    fn give_up_exactly_after_max_attempts(
        p in policy(),
        c in prop::sample::select(RETRYABLE.to_vec()),
        sample in 0.0f64..1.0,
    ) {
        let now = base();
        for attempts in 1..=p.max_attempts + 3 {
            let d = p.plan(c, attempts, now, now, sample, None).unwrap();
            if attempts <= p.max_attempts {
                let at = d.at();
                prop_assert!(at.is_some_and(|t| t >= now && t <= now + p.max_delay), "{attempts}: {d:?}");
            } else {
                prop_assert_eq!(d, Decision::GiveUp { reason: GiveUpReason::MaxAttempts });
            }
        }
    }

    #[test]
    fn non_retryable_categories_always_give_up(attempts in 1u32..10, sample in 0.0f64..1.0) {
        for c in [ErrorCategory::Signature, ErrorCategory::Duplicate, ErrorCategory::Configuration] {
            let d = RetryPolicy::default().plan(c, attempts, base(), base(), sample, None).unwrap();
            prop_assert_eq!(d, Decision::GiveUp { reason: GiveUpReason::NotRetryable });
        }
    }
}

fn documents(max: usize) -> impl Strategy<Value = Vec<PollDocument>> {
    prop::collection::vec(
        (
            0i64..40 * 3600,
            0u32..12,
            prop::option::of(0i64..3600),
            prop::sample::select(vec![
                None,
                Some(IndEstado::Recibido),
                Some(IndEstado::Procesando),
                Some(IndEstado::Aceptado),
                Some(IndEstado::Rechazado),
                Some(IndEstado::Error),
            ]),
        ),
        0..max,
    )
    .prop_map(|rows| {
        rows.into_iter()
            .enumerate()
            .map(|(i, (age, poll_count, since_poll, state))| {
                let submitted_at = base() - TimeDelta::seconds(age);
                let last_polled_at = since_poll
                    .filter(|_| poll_count > 0)
                    .map(|s| (base() - TimeDelta::seconds(s)).max(submitted_at));
                PollDocument {
                    id: i as i64,
                    submitted_at,
                    state,
                    poll_count,
                    last_polled_at,
                }
            })
            .collect()
    })
}

fn settings() -> impl Strategy<Value = Settings> {
    (1i64..60, 1i64..48, 1i64..40).prop_map(|(interval, hours, batch)| Settings {
        polling_interval: interval,
        polling_max_hours: hours,
        polling_batch_size: batch,
        ..Settings::default()
    })
}

proptest! {
    #[test]
    fn poll_batches_are_bounded_due_and_not_expired(docs in documents(200), s in settings()) {
        let now = base();
        let plan = plan_polls(&docs, now, &s).unwrap();
        prop_assert!(plan.batch.len() <= s.polling_batch_size as usize);
        let expiry = now - TimeDelta::hours(s.polling_max_hours);
        let mut previous_due = None;
        for id in &plan.batch {
            let d = &docs[*id as usize];
            let due = next_poll_at(d.submitted_at, d.poll_count, d.last_polled_at, &s).unwrap();
            prop_assert!(due <= now, "{id} not due");
            prop_assert!(d.submitted_at > expiry, "{id} expired");
            prop_assert!(!matches!(d.state, Some(IndEstado::Aceptado | IndEstado::Rechazado | IndEstado::Error)));
            prop_assert!(previous_due.is_none_or(|p| p <= due), "oldest due first");
            previous_due = Some(due);
        }
        for id in &plan.expired {
            prop_assert!(docs[*id as usize].submitted_at <= expiry);
        }
        let due_count = docs.iter().filter(|d| {
            !matches!(d.state, Some(IndEstado::Aceptado | IndEstado::Rechazado | IndEstado::Error))
                && d.submitted_at > expiry
                && next_poll_at(d.submitted_at, d.poll_count, d.last_polled_at, &s).unwrap() <= now
        }).count();
        prop_assert_eq!(plan.due_count, due_count);
        prop_assert_eq!(plan.more, due_count > plan.batch.len());
    }

    /// Runs the planner repeatedly (the host records each poll); every document due at some
    /// run is polled within ceil(documents / batch size) runs.
    #[test]
    fn every_due_document_is_polled_within_bounded_runs(
        n in 1usize..120,
        batch in 1i64..20,
        gaps in prop::collection::vec(1i64..1200, 40),
    ) {
        let s = Settings { polling_batch_size: batch, polling_max_hours: 720, ..Settings::default() };
        let mut docs: Vec<PollDocument> = (0..n)
            .map(|i| PollDocument::new(i as i64, base() - TimeDelta::seconds((i as i64 * 37) % 5000)))
            .collect();
        let bound = n.div_ceil(batch as usize);
        let mut waiting_since: Vec<Option<usize>> = vec![None; n];
        let mut now = base();
        for (run, gap) in gaps.iter().enumerate() {
            now += TimeDelta::seconds(*gap);
            let plan = plan_polls(&docs, now, &s).unwrap();
            for id in &plan.batch {
                let d = &mut docs[*id as usize];
                d.poll_count += 1;
                d.last_polled_at = Some(now);
                waiting_since[*id as usize] = None;
            }
            for d in &docs {
                let due = next_poll_at(d.submitted_at, d.poll_count, d.last_polled_at, &s).unwrap() <= now;
                let w = &mut waiting_since[d.id as usize];
                if due && w.is_none() && !plan.batch.contains(&d.id) {
                    *w = Some(run);
                }
                if let Some(start) = *w {
                    prop_assert!(run - start < bound, "document {} waited {} runs (bound {bound})", d.id, run - start);
                }
            }
        }
    }

    #[test]
    fn due_selection_is_bounded_and_ordered(
        rows in prop::collection::vec((0usize..5, -3i32..3, prop::option::of(-3600i64..3600)), 0..150),
        limit in 0usize..40,
    ) {
        let rows: Vec<QueueRow> = rows.into_iter().enumerate().map(|(i, (st, priority, next))| QueueRow {
            id: i as i64,
            state: QueueState::ALL[st],
            priority,
            next_attempt_at: next.map(|s| base() + TimeDelta::seconds(s)),
            category: None,
            operation: None,
            created_at: None,
            updated_at: None,
        }).collect();
        let got = select_due(&rows, base(), limit);
        let due: Vec<&QueueRow> = rows.iter().filter(|r| r.is_due(base())).collect();
        prop_assert_eq!(got.ids.len(), due.len().min(limit));
        prop_assert_eq!(got.more, due.len() > limit);
        let key = |r: &QueueRow| (-r.priority, r.next_attempt_at, r.id);
        let mut expected: Vec<&QueueRow> = due.clone();
        expected.sort_by_key(|r| key(r));
        let expected_ids: Vec<i64> = expected.iter().take(limit).map(|r| r.id).collect();
        prop_assert_eq!(got.ids, expected_ids);
    }
}

#[derive(Debug, Clone)]
enum Call {
    Admit(RequestKind, u32),
    AuthFailure,
}

fn calls() -> impl Strategy<Value = Vec<(i64, Call)>> {
    let call = prop_oneof![
        8 => (prop::sample::select(vec![RequestKind::Post, RequestKind::Get, RequestKind::Token]), 1u32..60)
            .prop_map(|(k, n)| Call::Admit(k, n)),
        1 => Just(Call::AuthFailure),
    ];
    prop::collection::vec((0i64..20_000, call), 1..200)
}

/// Max number of instants (sorted ascending) in any window (t - 60 s, t]; a window's count
/// peaks at one of the instants.
fn max_in_window(times: &[i64]) -> usize {
    let mut start = 0;
    let mut best = 0;
    for (end, t) in times.iter().enumerate() {
        while times[start] <= t - 60_000 {
            start += 1;
        }
        best = best.max(end + 1 - start);
    }
    best
}

proptest! {
    #[test]
    fn the_rate_limiter_never_admits_more_than_its_limits(
        seq in calls(),
        limits in (1u32..400, 1u32..120, 1u32..120, 1u32..15, 1u32..7),
    ) {
        let limits = RateLimits {
            requests_per_minute: limits.0,
            posts_per_minute: limits.1,
            gets_per_minute: limits.2,
            tokens_per_minute: limits.3,
            auth_failures_per_minute: limits.4,
        };
        let mut state = RateState::default();
        let mut now = base();
        let (mut all, mut post, mut get, mut token, mut auth) = (vec![], vec![], vec![], vec![], vec![]);
        for (gap_ms, call) in seq {
            now += TimeDelta::milliseconds(gap_ms);
            let t = now.timestamp_millis();
            // The host stores the state as JSON between calls.
            state = serde_json::from_value(serde_json::to_value(&state).unwrap()).unwrap();
            match call {
                Call::Admit(kind, n) => {
                    let d = limits.admit(&mut state, kind, now, n).unwrap();
                    prop_assert!(d.admitted <= n);
                    prop_assert_eq!(d.allowed(), d.admitted == n);
                    if d.admitted < n {
                        prop_assert!(d.retry_at.is_some_and(|r| r > now));
                    }
                    let stopped = auth.iter().filter(|u| **u > t - 60_000).count() >= limits.auth_failures_per_minute as usize;
                    if stopped {
                        prop_assert_eq!(d.admitted, 0);
                    }
                    let added = vec![t; d.admitted as usize];
                    all.extend(added.iter().copied());
                    match kind {
                        RequestKind::Post => post.extend(added),
                        RequestKind::Get => get.extend(added),
                        RequestKind::Token => token.extend(added),
                    }
                }
                Call::AuthFailure => {
                    limits.record_auth_failure(&mut state, now).unwrap();
                    auth.push(t);
                }
            }
        }
        prop_assert!(max_in_window(&all) <= limits.requests_per_minute as usize);
        prop_assert!(max_in_window(&post) <= limits.posts_per_minute as usize);
        prop_assert!(max_in_window(&get) <= limits.gets_per_minute as usize);
        prop_assert!(max_in_window(&token) <= limits.tokens_per_minute as usize);
    }
}
