//! The IdP token: password grant, refresh grant, expiry read from each answer, refreshed
//! before it runs out, one refresh at a time, logout.
//!
//! Keycloak answers `expires_in` (documented 5 min) and `refresh_expires_in` (documented 10 h,
//! seen 1200 s). The access token is renewed a little before its end (a tenth of its life, at
//! most 30 s); when the refresh token is gone or refused, the client logs in again.

use std::fmt;
use std::time::{Duration, Instant};

use serde::Deserialize;
use tokio::sync::Mutex;

use super::endpoints_form;
use super::environment::Endpoints;
use super::error::ClientError;
use super::secret::{Credentials, Secret};
use super::transport::classify_reqwest;
use crate::classify::classify_http;

/// The tokens held by a client.
#[derive(Clone)]
struct Tokens {
    access: Secret,
    access_until: Instant,
    refresh: Option<Secret>,
    refresh_until: Option<Instant>,
}

/// How many token requests of each grant the client made (for tests and dashboards).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TokenStats {
    /// `grant_type=password` requests.
    pub logins: u64,
    /// `grant_type=refresh_token` requests.
    pub refreshes: u64,
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    #[serde(default)]
    expires_in: Option<f64>,
    #[serde(default)]
    refresh_token: Option<String>,
    #[serde(default)]
    refresh_expires_in: Option<f64>,
}

/// Owns the credentials and the current tokens.
pub struct TokenManager {
    credentials: Credentials,
    endpoints: Endpoints,
    state: Mutex<(Option<Tokens>, TokenStats)>,
}

impl fmt::Debug for TokenManager {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenManager")
            .field("credentials", &self.credentials)
            .finish_non_exhaustive()
    }
}

fn margin(lifetime: Duration) -> Duration {
    (lifetime / 10).min(Duration::from_secs(30))
}

fn seconds(value: Option<f64>, default: f64) -> Duration {
    let v = value.filter(|v| v.is_finite() && *v >= 0.0).unwrap_or(default);
    Duration::from_secs_f64(v.min(30.0 * 24.0 * 3600.0))
}

impl TokenManager {
    /// A manager that has not logged in yet.
    pub fn new(credentials: Credentials, endpoints: Endpoints) -> Self {
        TokenManager {
            credentials,
            endpoints,
            state: Mutex::new((None, TokenStats::default())),
        }
    }

    /// Counters of token requests.
    pub async fn stats(&self) -> TokenStats {
        self.state.lock().await.1
    }

    /// A valid access token: the current one, a refreshed one, or a new login. Concurrent
    /// callers wait for the one refresh in flight and share its result.
    pub async fn bearer(&self, http: &reqwest::Client) -> Result<Secret, ClientError> {
        let mut guard = self.state.lock().await;
        let now = Instant::now();
        if let Some(t) = &guard.0
            && now < t.access_until
        {
            return Ok(t.access.clone());
        }
        let refresh = guard.0.as_ref().and_then(|t| match (&t.refresh, t.refresh_until) {
            (Some(r), Some(until)) if now < until => Some(r.clone()),
            _ => None,
        });
        let mut tokens = None;
        if let Some(refresh) = refresh {
            guard.1.refreshes += 1;
            let form = [
                ("grant_type", "refresh_token"),
                ("client_id", self.endpoints.client_id.as_str()),
                ("refresh_token", refresh.expose()),
            ];
            // A refused refresh (expired or revoked session) falls through to a new login.
            if let Ok(t) = self.request(http, &form).await {
                tokens = Some(t);
            }
        }
        let tokens = match tokens {
            Some(t) => t,
            None => {
                guard.1.logins += 1;
                let form = [
                    ("grant_type", "password"),
                    ("client_id", self.endpoints.client_id.as_str()),
                    ("username", self.credentials.username.as_str()),
                    ("password", self.credentials.password.expose()),
                ];
                match self.request(http, &form).await {
                    Ok(t) => t,
                    Err(e) => {
                        guard.0 = None;
                        return Err(e);
                    }
                }
            }
        };
        let access = tokens.access.clone();
        guard.0 = Some(tokens);
        Ok(access)
    }

    /// Forgets the access token `used` after the API refused it (401), unless another task
    /// already replaced it. The refresh token is kept.
    pub async fn invalidate(&self, used: &Secret) {
        let mut guard = self.state.lock().await;
        if let Some(t) = &mut guard.0
            && t.access == *used
        {
            t.access_until = Instant::now();
        }
    }

    /// Ends the IdP session (best effort) and forgets the tokens.
    pub async fn logout(&self, http: &reqwest::Client) -> Result<(), ClientError> {
        let mut guard = self.state.lock().await;
        let Some(tokens) = guard.0.take() else {
            return Ok(());
        };
        let Some(refresh) = tokens.refresh else {
            return Ok(());
        };
        let form = [
            ("client_id", self.endpoints.client_id.as_str()),
            ("refresh_token", refresh.expose()),
        ];
        let resp = http
            .post(self.endpoints.logout.clone())
            .header("content-type", "application/x-www-form-urlencoded")
            .body(endpoints_form(&form))
            .send()
            .await
            .map_err(|e| ClientError::Transport(classify_reqwest(&e)))?;
        let status = resp.status().as_u16();
        let body = resp.text().await.unwrap_or_default();
        match classify_http(status, None, &body) {
            None => Ok(()),
            Some(c) => Err(ClientError::Auth(c)),
        }
    }

    async fn request(&self, http: &reqwest::Client, form: &[(&str, &str)]) -> Result<Tokens, ClientError> {
        let sent = Instant::now();
        let resp = http
            .post(self.endpoints.token.clone())
            .header("content-type", "application/x-www-form-urlencoded")
            .body(endpoints_form(form))
            .send()
            .await
            .map_err(|e| ClientError::Transport(classify_reqwest(&e)))?;
        let status = resp.status().as_u16();
        let body = resp
            .bytes()
            .await
            .map_err(|e| ClientError::Transport(classify_reqwest(&e)))?;
        if let Some(c) = classify_http(status, None, &String::from_utf8_lossy(&body[..body.len().min(4096)])) {
            return Err(ClientError::Auth(c));
        }
        // Never echo the body: it may hold tokens.
        let answer: TokenAnswer = serde_json::from_slice(&body).map_err(|_| {
            ClientError::Auth(crate::classify::classify_text(
                "the IdP answered 2xx without a readable access_token",
            ))
        })?;
        let life = seconds(answer.expires_in, 300.0);
        let refresh_life = seconds(answer.refresh_expires_in, 1200.0);
        Ok(Tokens {
            access: Secret::new(answer.access_token),
            access_until: sent + life - margin(life),
            refresh: answer.refresh_token.map(Secret::new),
            refresh_until: Some(sent + refresh_life - margin(refresh_life)),
        })
    }
}
