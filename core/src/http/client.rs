//! The client: token handling, submission, status, the `comprobantes` list and bounded
//! concurrent polling, on a private tokio runtime behind a blocking API.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::config::ClientConfig;
use super::environment::Endpoints;
use super::error::ClientError;
use super::form_urlencode;
use super::limiter::Limiter;
use super::results::{ComprobanteItem, ComprobantesPage, ContentRange, Delivery, ListQuery, SubmitResult};
use super::token::{TokenManager, TokenStats};
use super::transport::{classify_reqwest, maybe_delivered};
use crate::classify::{Classification, classify_http, classify_text};
use crate::clave::StatusKey;
use crate::status::{StatusAnswer, read_status_response};
use crate::submit::{RetryAfter, SubmissionRequest, SubmitState, read_submit_response};

struct Raw {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Raw {
    fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.headers.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

enum Failure {
    /// The request failed on the wire.
    Wire(reqwest::Error),
    /// Before sending (token).
    Before(ClientError),
}

impl From<Failure> for ClientError {
    /// A wire failure becomes a classified transport error; a failure before sending is kept.
    fn from(f: Failure) -> Self {
        match f {
            Failure::Wire(e) => ClientError::Transport(classify_reqwest(&e)),
            Failure::Before(e) => e,
        }
    }
}

#[derive(Clone, Copy)]
enum Kind {
    Submit,
    Read,
}

struct Inner {
    http: reqwest::Client,
    endpoints: Endpoints,
    tokens: TokenManager,
    submit_limit: Option<Limiter>,
    status_limit: Option<Limiter>,
    max_wait: Duration,
}

/// The Hacienda client. Its methods block the calling thread (the work runs on a private
/// tokio runtime); do not call them from inside another tokio runtime.
///
/// ```no_run
/// use hacienda_core::http::{Client, ClientConfig, Credentials, Environment};
/// let client = Client::new(ClientConfig::new(
///     Environment::Sandbox,
///     Credentials::new("cpf-01-0000-0000@stag.comprobanteselectronicos.go.cr", "password"),
/// ))?;
/// let answers = client.poll_many(&["50601011600310112345600100010100000000011999999999".into()], 10);
/// # Ok::<(), hacienda_core::http::ClientError>(())
/// ```
pub struct Client {
    inner: Arc<Inner>,
    runtime: tokio::runtime::Runtime,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("api", &self.inner.endpoints.api.as_str())
            .field("tokens", &self.inner.tokens)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Builds a client (validates the URLs; no request is made).
    pub fn new(config: ClientConfig) -> Result<Self, ClientError> {
        let endpoints = config.environment.endpoints()?;
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.connect_timeout)
            .pool_idle_timeout(Duration::from_secs(90))
            .pool_max_idle_per_host(256)
            .tcp_nodelay(true)
            .https_only(endpoints.https_only)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("hacienda-cr/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ClientError::Config(format!("cannot build the HTTP client: {e}")))?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(config.worker_threads.clamp(1, 16))
            .thread_name("hacienda-http")
            .enable_all()
            .build()
            .map_err(|e| ClientError::Config(format!("cannot start the runtime: {e}")))?;
        let inner = Inner {
            http,
            tokens: TokenManager::new(config.credentials, endpoints.clone()),
            endpoints,
            submit_limit: config.submit_limit.map(Limiter::new),
            status_limit: config.status_limit.map(Limiter::new),
            max_wait: config.max_rate_limit_wait,
        };
        Ok(Client {
            inner: Arc::new(inner),
            runtime,
        })
    }

    /// The API base (`.../recepcion/v1/`).
    pub fn api_base(&self) -> &str {
        self.inner.endpoints.api.as_str()
    }

    /// Logs in now (or reuses a valid token): checks the credentials.
    pub fn login(&self) -> Result<(), ClientError> {
        let inner = &self.inner;
        self.runtime
            .block_on(async { inner.tokens.bearer(&inner.http).await.map(|_| ()) })
    }

    /// Ends the IdP session and forgets the tokens.
    pub fn logout(&self) -> Result<(), ClientError> {
        let inner = &self.inner;
        self.runtime.block_on(inner.tokens.logout(&inner.http))
    }

    /// How many logins and refreshes were made.
    pub fn token_stats(&self) -> TokenStats {
        self.runtime.block_on(self.inner.tokens.stats())
    }

    /// `POST /recepcion`. A timeout or reset after sending is followed by a status query.
    pub fn submit(&self, request: &SubmissionRequest) -> SubmitResult {
        self.runtime.block_on(self.inner.submit(request))
    }

    /// Submits many, at most `concurrency` at a time, paced by the submit limit.
    pub fn submit_many(&self, requests: &[SubmissionRequest], concurrency: usize) -> Vec<SubmitResult> {
        let inner = Arc::clone(&self.inner);
        let jobs: Vec<SubmissionRequest> = requests.to_vec();
        self.runtime.block_on(run_bounded(jobs, concurrency, move |r| {
            let inner = Arc::clone(&inner);
            async move { inner.submit(&r).await }
        }))
    }

    /// `GET /recepcion/{key}` (`clave` or `clave-consecutivo`).
    pub fn status(&self, key: &str) -> Result<StatusAnswer, ClientError> {
        self.runtime.block_on(self.inner.status(key))
    }

    /// Polls many keys, at most `concurrency` requests in flight over kept-alive connections;
    /// results in the order of `keys`.
    pub fn poll_many(&self, keys: &[String], concurrency: usize) -> Vec<Result<StatusAnswer, ClientError>> {
        let inner = Arc::clone(&self.inner);
        self.runtime.block_on(run_bounded(keys.to_vec(), concurrency, move |k| {
            let inner = Arc::clone(&inner);
            async move { inner.status(&k).await }
        }))
    }

    /// `GET /comprobantes?offset=&limit=`.
    pub fn list_comprobantes(&self, query: &ListQuery) -> Result<ComprobantesPage, ClientError> {
        self.runtime.block_on(self.inner.list(query))
    }
}

async fn run_bounded<T, R, F, Fut>(items: Vec<T>, concurrency: usize, f: F) -> Vec<R>
where
    T: Send + 'static,
    R: Send + 'static,
    F: Fn(T) -> Fut,
    Fut: std::future::Future<Output = R> + Send + 'static,
{
    let gate = Arc::new(Semaphore::new(concurrency.max(1)));
    let mut set = JoinSet::new();
    let n = items.len();
    for (i, item) in items.into_iter().enumerate() {
        let Ok(permit) = Arc::clone(&gate).acquire_owned().await else {
            break;
        };
        let fut = f(item);
        set.spawn(async move {
            let r = fut.await;
            drop(permit);
            (i, r)
        });
    }
    let mut out: Vec<Option<R>> = (0..n).map(|_| None).collect();
    while let Some(joined) = set.join_next().await {
        if let Ok((i, r)) = joined {
            out[i] = Some(r);
        }
    }
    out.into_iter().flatten().collect()
}

fn retry_after_delay(value: &RetryAfter) -> Duration {
    match *value {
        RetryAfter::Seconds(s) => Duration::from_secs(s),
        RetryAfter::At(at) => {
            let now = SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .map_or(0, |d| d.as_millis());
            let at_ms = u128::try_from(at.timestamp_millis()).unwrap_or(0);
            Duration::from_millis(u64::try_from(at_ms.saturating_sub(now)).unwrap_or(u64::MAX))
        }
    }
}

impl Inner {
    /// One authenticated exchange: paced, 401 answered by a new token once, 429 waited out
    /// (up to `max_wait`, three times).
    async fn exchange(
        &self,
        kind: Kind,
        build: impl Fn(&reqwest::Client) -> reqwest::RequestBuilder,
    ) -> Result<Raw, Failure> {
        let mut reauthenticated = false;
        let mut waits = 0;
        loop {
            let limiter = match kind {
                Kind::Submit => &self.submit_limit,
                Kind::Read => &self.status_limit,
            };
            if let Some(l) = limiter {
                l.acquire().await;
            }
            let token = self.tokens.bearer(&self.http).await.map_err(Failure::Before)?;
            let resp = build(&self.http)
                .bearer_auth(token.expose())
                .send()
                .await
                .map_err(Failure::Wire)?;
            let status = resp.status().as_u16();
            let headers: Vec<(String, String)> = resp
                .headers()
                .iter()
                // X-Error-Cause may carry UTF-8 (accents): read bytes, not only visible ASCII.
                .map(|(k, v)| {
                    (
                        k.as_str().to_string(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect();
            let body = resp.bytes().await.map_err(Failure::Wire)?.to_vec();
            if status == 401 && !reauthenticated {
                reauthenticated = true;
                self.tokens.invalidate(&token).await;
                continue;
            }
            if status == 429 && waits < 3 {
                let answer = crate::submit::AnswerHeaders::read(headers.iter().map(|(k, v)| (k.as_str(), v.as_str())));
                let delay = answer
                    .retry_after
                    .as_ref()
                    .map_or(Duration::from_secs(1), retry_after_delay);
                if delay <= self.max_wait {
                    waits += 1;
                    tokio::time::sleep(delay).await;
                    continue;
                }
            }
            return Ok(Raw { status, headers, body });
        }
    }

    async fn submit(&self, request: &SubmissionRequest) -> SubmitResult {
        let key = request.status_key();
        let body = request.to_json();
        let url = self.endpoints.api.join("recepcion").map_err(|e| e.to_string());
        let mut result = SubmitResult {
            key: key.clone(),
            delivery: Delivery::Failed,
            outcome: None,
            verified: None,
            classification: None,
        };
        let url = match url {
            Ok(u) => u,
            Err(e) => {
                result.classification = Some(classify_text(&e));
                return result;
            }
        };
        let sent = self
            .exchange(Kind::Submit, |h| {
                h.post(url.clone())
                    .header("content-type", "application/json")
                    .body(body.clone())
            })
            .await;
        match sent {
            Ok(raw) => {
                let outcome = read_submit_response(raw.status, raw.pairs(), &raw.body);
                result.delivery = match outcome.state {
                    SubmitState::Received => Delivery::Received,
                    SubmitState::AlreadyReceived => Delivery::AlreadyReceived,
                    SubmitState::Failed => Delivery::Failed,
                };
                result.classification = outcome.classification.clone();
                result.outcome = Some(outcome);
            }
            Err(Failure::Before(e)) => result.classification = Some(to_classification(&e)),
            Err(Failure::Wire(e)) => {
                let c = classify_reqwest(&e);
                if maybe_delivered(&e) {
                    // Ambiguous: it may have arrived. Ask, never resend blindly.
                    match self.status(&key).await {
                        Ok(answer) if answer.report.is_some() => {
                            result.delivery = Delivery::Received;
                            result.verified = Some(answer);
                        }
                        Ok(answer) if answer.http_status == 404 => {
                            result.delivery = Delivery::Failed;
                            result.classification = Some(c);
                            result.verified = Some(answer);
                        }
                        Ok(answer) => {
                            result.delivery = Delivery::Unknown;
                            result.classification = Some(c);
                            result.verified = Some(answer);
                        }
                        Err(_) => {
                            result.delivery = Delivery::Unknown;
                            result.classification = Some(c);
                        }
                    }
                } else {
                    result.classification = Some(c);
                }
            }
        }
        result
    }

    async fn status(&self, key: &str) -> Result<StatusAnswer, ClientError> {
        let key = StatusKey::parse(key).map_err(ClientError::Parse)?;
        let url = self
            .endpoints
            .api
            .join(&format!("recepcion/{}", key.path_segment()))
            .map_err(|e| ClientError::Config(e.to_string()))?;
        let raw = self
            .exchange(Kind::Read, |h| h.get(url.clone()))
            .await
            .map_err(ClientError::from)?;
        read_status_response(raw.status, raw.pairs(), &raw.body).map_err(ClientError::Parse)
    }

    async fn list(&self, query: &ListQuery) -> Result<ComprobantesPage, ClientError> {
        let offset = query.offset.to_string();
        let limit = query.limit.clamp(1, 50).to_string();
        let mut params = vec![("offset", offset.as_str()), ("limit", limit.as_str())];
        if let Some(e) = &query.emisor {
            params.push(("emisor", e.as_str()));
        }
        if let Some(r) = &query.receptor {
            params.push(("receptor", r.as_str()));
        }
        let url = self
            .endpoints
            .api
            .join(&format!("comprobantes?{}", form_urlencode(&params)))
            .map_err(|e| ClientError::Config(e.to_string()))?;
        let raw = self
            .exchange(Kind::Read, |h| h.get(url.clone()))
            .await
            .map_err(ClientError::from)?;
        let range = raw
            .pairs()
            .find(|(k, _)| k.eq_ignore_ascii_case("content-range"))
            .and_then(|(_, v)| ContentRange::parse(v));
        let error_cause = raw
            .pairs()
            .find(|(k, _)| k.eq_ignore_ascii_case("x-error-cause"))
            .map(|(_, v)| v.to_string());
        let text = String::from_utf8_lossy(&raw.body[..raw.body.len().min(64 * 1024)]).into_owned();
        if let Some(c) = classify_http(raw.status, error_cause.as_deref(), &text) {
            return Ok(ComprobantesPage {
                http_status: raw.status,
                items: Vec::new(),
                range,
                classification: Some(c),
            });
        }
        let items: Vec<ComprobanteItem> =
            serde_json::from_slice(&raw.body).map_err(|e| ClientError::Parse(e.into()))?;
        Ok(ComprobantesPage {
            http_status: raw.status,
            items,
            range,
            classification: None,
        })
    }
}

/// A classification for any client error (configuration errors become `unknown`).
pub fn to_classification(e: &ClientError) -> Classification {
    match e.classification() {
        Some(c) => c.clone(),
        None => classify_text(&e.to_string()),
    }
}
