//! The HTTP side: routing, the IdP token endpoint, recepcion, faults, limits.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::{Method, Request, Response, StatusCode};
use serde_json::{Value, json};

use crate::mensaje::{Parties, Verdict, element_text, mensaje_hacienda};
use crate::state::{Clock, Document, State, TokenLife, until_next_minute};

/// Largest request body read (a signed document is far smaller).
const MAX_BODY: usize = 4 * 1024 * 1024;

/// State shared by every connection.
#[derive(Debug)]
pub struct Shared {
    /// The lock-protected state.
    pub state: Mutex<State>,
    /// The simulator clock.
    pub clock: Clock,
}

impl Shared {
    /// Locks the state (a poisoned lock is recovered: the state stays usable).
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// An error that makes hyper drop the connection (the injected reset).
#[derive(Debug)]
pub struct Reset;

impl std::fmt::Display for Reset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("injected connection reset")
    }
}

impl std::error::Error for Reset {}

type Answer = Response<Full<Bytes>>;

fn answer(status: u16, headers: &[(&str, String)], body: impl Into<Bytes>) -> Answer {
    let mut resp = Response::new(Full::new(body.into()));
    *resp.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    for (k, v) in headers {
        if let (Ok(name), Ok(value)) = (
            hyper::header::HeaderName::from_bytes(k.as_bytes()),
            hyper::header::HeaderValue::from_bytes(v.as_bytes()),
        ) {
            resp.headers_mut().append(name, value);
        }
    }
    resp
}

fn json_answer(status: u16, extra: &[(&str, String)], value: &Value) -> Answer {
    let mut headers = vec![("content-type", "application/json".to_string())];
    headers.extend(extra.iter().cloned());
    answer(status, &headers, value.to_string())
}

/// Wall-clock seconds for the wire: whole seconds when long, milliseconds when compressed.
fn wire_secs(clock: &Clock, sim_secs: f64) -> Value {
    let wall = clock.to_wall(sim_secs);
    if wall >= 10.0 {
        json!(wall.round() as u64)
    } else {
        json!((wall * 1000.0).round() / 1000.0)
    }
}

/// `Retry-After`/`X-Ratelimit-Reset` in whole wall-clock seconds (at least 1).
fn header_secs(clock: &Clock, sim_secs: f64) -> String {
    (clock.to_wall(sim_secs).ceil().max(1.0) as u64).to_string()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                match u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"), 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn form(body: &str) -> Vec<(String, String)> {
    body.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

fn field<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// Serves one request.
pub async fn handle(shared: Arc<Shared>, req: Request<Incoming>) -> Result<Answer, Reset> {
    let latency = shared.lock().config.latency_ms;
    if latency > 0 {
        tokio::time::sleep(Duration::from_millis(latency)).await;
    }
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let query = req.uri().query().unwrap_or("").to_string();
    let bearer = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_string);
    let body = match Limited::new(req.into_body(), MAX_BODY).collect().await {
        Ok(b) => b.to_bytes(),
        Err(_) => return Ok(answer(413, &[], "")),
    };
    if let Some(rest) = path.strip_prefix("/auth/realms/") {
        let (realm, tail) = rest.split_once('/').unwrap_or((rest, ""));
        return Ok(match (method, tail) {
            (Method::POST, "protocol/openid-connect/token") => token(&shared, realm, &body),
            (Method::POST, "protocol/openid-connect/logout") => logout(&shared, &body),
            _ => answer(404, &[], ""),
        });
    }
    let Some(api) = path.strip_prefix("/recepcion/v1/") else {
        return Ok(answer(404, &[], ""));
    };
    let kind = match (&method, api) {
        (&Method::POST, "recepcion") => Kind::Post,
        (&Method::GET, a) if a.starts_with("recepcion/") => Kind::Get,
        (&Method::GET, "comprobantes") => Kind::Get,
        _ => return Ok(answer(404, &[], "")),
    };
    let (gate, hang) = admit(&shared, bearer.as_deref(), kind);
    let resp = match gate {
        Gate::Answer(a) => return Ok(a),
        Gate::Reset => return Err(Reset),
        Gate::Pass(rate_headers) => {
            let mut resp = match (kind, api) {
                (Kind::Post, _) => submit(&shared, &body),
                (_, "comprobantes") => list(&shared, &query),
                (_, a) => status(&shared, a.trim_start_matches("recepcion/")),
            };
            for (k, v) in rate_headers {
                if let (Ok(name), Ok(value)) = (
                    hyper::header::HeaderName::from_bytes(k.as_bytes()),
                    hyper::header::HeaderValue::from_str(&v),
                ) {
                    resp.headers_mut().insert(name, value);
                }
            }
            resp
        }
    };
    if let Some(wait) = hang {
        tokio::time::sleep(wait).await;
    }
    Ok(resp)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Post,
    Get,
}

enum Gate {
    Answer(Answer),
    Reset,
    Pass(Vec<(&'static str, String)>),
}

/// Token, limits and faults, in that order.
fn admit(shared: &Shared, bearer: Option<&str>, kind: Kind) -> (Gate, Option<Duration>) {
    let clock = shared.clock;
    let now = clock.now();
    let mut st = shared.lock();
    let valid = bearer
        .and_then(|b| st.access.get(b))
        .is_some_and(|life| now < life.until);
    if !valid {
        st.stats.unauthorized += 1;
        return (
            Gate::Answer(answer(401, &[("www-authenticate", "Bearer".to_string())], "")),
            None,
        );
    }
    let limits = st.config.limits;
    let limit = if kind == Kind::Post { limits.post } else { limits.get };
    let kind_remaining = if kind == Kind::Post {
        st.post.remaining(now, limit)
    } else {
        st.get.remaining(now, limit)
    };
    if kind_remaining == 0 || st.total.remaining(now, limits.total) == 0 {
        st.stats.rate_limited += 1;
        let wait = header_secs(&clock, until_next_minute(now));
        return (
            Gate::Answer(answer(
                429,
                &[
                    ("retry-after", wait.clone()),
                    ("x-ratelimit-limit", limit.to_string()),
                    ("x-ratelimit-remaining", "0".into()),
                    ("x-ratelimit-reset", wait),
                ],
                "",
            )),
            None,
        );
    }
    let faults = st.config.faults.clone();
    if faults.outage.is_some_and(|(a, b)| now >= a && now < b) || st.roll() < faults.server_error {
        st.stats.fault_server_error += 1;
        return (
            Gate::Answer(answer(
                503,
                &[("content-type", "text/plain".into())],
                "503 Service Unavailable",
            )),
            None,
        );
    }
    if st.roll() < faults.cloudflare_520 {
        st.stats.fault_cloudflare += 1;
        let page = "<!DOCTYPE html>\n<html><head><title>api.comprobanteselectronicos.go.cr | 520: Web server is returning an unknown error</title></head><body><div id=\"cf-error-details\"><h1>Web server is returning an unknown error</h1><span>Error code 520</span><p>Cloudflare Ray ID: 7f1e2d3c4b5a6978</p></div></body></html>";
        return (
            Gate::Answer(answer(520, &[("content-type", "text/html".into())], page)),
            None,
        );
    }
    if st.roll() < faults.reset {
        st.stats.fault_reset += 1;
        return (Gate::Reset, None);
    }
    if st.roll() < faults.clock_skew_401 {
        st.stats.fault_clock_skew += 1;
        return (
            Gate::Answer(json_answer(
                401,
                &[],
                &json!({"error": "Key not authorized: Token used before issued"}),
            )),
            None,
        );
    }
    let hang = (kind == Kind::Post && st.roll() < faults.hang).then(|| {
        st.stats.fault_hang += 1;
        Duration::from_secs_f64(faults.hang_secs)
    });
    st.total.admit(now, limits.total);
    let remaining = if kind == Kind::Post {
        st.post.admit(now, limit)
    } else {
        st.get.admit(now, limit)
    }
    .unwrap_or(0);
    let headers = vec![
        ("x-ratelimit-limit", limit.to_string()),
        ("x-ratelimit-remaining", remaining.to_string()),
        ("x-ratelimit-reset", header_secs(&clock, until_next_minute(now))),
    ];
    (Gate::Pass(headers), hang)
}

fn token(shared: &Shared, realm: &str, body: &[u8]) -> Answer {
    let clock = shared.clock;
    let now = clock.now();
    let pairs = form(&String::from_utf8_lossy(body));
    let mut st = shared.lock();
    let limit = st.config.limits.token;
    if st.token.admit(now, limit).is_none() {
        st.stats.rate_limited += 1;
        let wait = header_secs(&clock, until_next_minute(now));
        return json_answer(429, &[("retry-after", wait)], &json!({"error": "too_many_requests"}));
    }
    let expected_client = if realm == "rut" { "api-prod" } else { "api-stag" };
    if !matches!(realm, "rut" | "rut-stag") {
        return json_answer(404, &[], &json!({"error": "Realm does not exist"}));
    }
    if field(&pairs, "client_id") != Some(expected_client) {
        st.stats.token_refused += 1;
        return json_answer(
            401,
            &[],
            &json!({"error": "invalid_client", "error_description": "Invalid client credentials"}),
        );
    }
    let refused = |st: &mut State, description: &str| {
        st.stats.token_refused += 1;
        json_answer(
            400,
            &[],
            &json!({"error": "invalid_grant", "error_description": description}),
        )
    };
    match field(&pairs, "grant_type") {
        Some("password") => {
            let ok = field(&pairs, "username") == Some(st.config.username.as_str())
                && field(&pairs, "password") == Some(st.config.password.as_str());
            if !ok {
                st.stats.token_refused += 1;
                return json_answer(
                    401,
                    &[],
                    &json!({"error": "invalid_grant", "error_description": "Invalid user credentials"}),
                );
            }
            st.stats.logins += 1;
        }
        Some("refresh_token") => {
            let given = field(&pairs, "refresh_token").unwrap_or("");
            match st.refresh.get(given) {
                Some(life) if now < life.until => {
                    st.refresh.remove(given);
                    st.stats.refreshes += 1;
                }
                _ => return refused(&mut st, "Token is not active"),
            }
        }
        _ => {
            return json_answer(
                400,
                &[],
                &json!({"error": "unsupported_grant_type", "error_description": "Unsupported grant type"}),
            );
        }
    }
    let access = st.token_text("sim-at");
    let refresh = st.token_text("sim-rt");
    let (ttl, rttl) = (st.config.token_ttl_secs, st.config.refresh_ttl_secs);
    st.access.insert(access.clone(), TokenLife { until: now + ttl });
    st.refresh.insert(refresh.clone(), TokenLife { until: now + rttl });
    let (expires_in, refresh_expires_in) = (wire_secs(&clock, ttl), wire_secs(&clock, rttl));
    json_answer(
        200,
        &[],
        &json!({
            "access_token": access,
            "expires_in": expires_in,
            "refresh_expires_in": refresh_expires_in,
            "refresh_token": refresh,
            "token_type": "Bearer",
            "not-before-policy": 0,
            "scope": "profile email",
        }),
    )
}

fn logout(shared: &Shared, body: &[u8]) -> Answer {
    let pairs = form(&String::from_utf8_lossy(body));
    let mut st = shared.lock();
    if let Some(r) = field(&pairs, "refresh_token") {
        st.refresh.remove(r);
    }
    st.stats.logouts += 1;
    answer(204, &[], "")
}

fn bad_request(st: &mut State, cause: &str) -> Answer {
    st.stats.bad_requests += 1;
    answer(400, &[("x-error-cause", cause.to_string())], "")
}

fn identification(value: &Value) -> Option<(String, String)> {
    let t = value.get("tipoIdentificacion")?.as_str()?;
    let n = value.get("numeroIdentificacion")?.as_str()?;
    (!t.is_empty() && !n.is_empty()).then(|| (t.to_string(), n.to_string()))
}

fn submit(shared: &Shared, body: &[u8]) -> Answer {
    let now = shared.clock.now();
    let mut st = shared.lock();
    st.stats.posts += 1;
    let Ok(value) = serde_json::from_slice::<Value>(body) else {
        return bad_request(&mut st, "El cuerpo de la solicitud no es un JSON válido");
    };
    let clave = value.get("clave").and_then(Value::as_str).unwrap_or("");
    if clave.len() != 50 || !clave.bytes().all(|b| b.is_ascii_digit()) || !clave.starts_with("506") {
        return bad_request(&mut st, "La clave del comprobante no es válida, debe tener 50 dígitos");
    }
    let Some(fecha) = value.get("fecha").and_then(Value::as_str).filter(|f| !f.is_empty()) else {
        return bad_request(&mut st, "El parámetro fecha es requerido");
    };
    let Some(emisor) = value.get("emisor").and_then(identification) else {
        return bad_request(&mut st, "Los datos del emisor son requeridos");
    };
    let receptor = value.get("receptor").and_then(identification);
    let xml_b64 = value.get("comprobanteXml").and_then(Value::as_str).unwrap_or("");
    let Ok(xml) = base64_simd::STANDARD.decode_to_vec(xml_b64.trim()) else {
        return bad_request(&mut st, "El comprobanteXml no es un base64 válido");
    };
    if xml.is_empty() {
        return bad_request(&mut st, "El comprobanteXml es requerido");
    }
    let consecutivo_receptor = value
        .get("consecutivoReceptor")
        .and_then(Value::as_str)
        .map(str::to_string);
    if let Some(c) = &consecutivo_receptor
        && (c.len() != 20 || !c.bytes().all(|b| b.is_ascii_digit()))
    {
        return bad_request(&mut st, "El consecutivoReceptor no es válido, debe tener 20 dígitos");
    }
    let key = match &consecutivo_receptor {
        Some(c) => format!("{clave}-{c}"),
        None => clave.to_string(),
    };
    if st.documents.contains_key(&key) {
        st.stats.duplicates += 1;
        let cause = format!("El comprobante [{key}] ya fue recibido anteriormente.");
        return answer(400, &[("x-error-cause", cause)], "");
    }
    let text = String::from_utf8_lossy(&xml);
    let parties = Parties {
        emisor,
        receptor,
        total_tax: element_text(&text, "TotalImpuesto"),
        total: element_text(&text, "TotalComprobante"),
    };
    let doc = Document {
        clave: clave.to_string(),
        fecha: fecha.to_string(),
        parties,
        consecutivo_receptor,
        received_at: now,
        decided_at: now,
        verdict: Verdict::Accepted,
        seq: 0,
    };
    st.store(key.clone(), doc, now);
    answer(202, &[("location", format!("/recepcion/v1/recepcion/{key}"))], "")
}

fn status(shared: &Shared, key: &str) -> Answer {
    let now = shared.clock.now();
    let mut st = shared.lock();
    st.stats.status_requests += 1;
    let Some(doc) = st.documents.get(key) else {
        st.stats.not_found += 1;
        let cause = format!("No existe el recurso con Clave = [{key}]");
        return answer(404, &[("x-error-cause", cause)], "");
    };
    let mut body = json!({"clave": key, "fecha": doc.fecha});
    if now < doc.decided_at {
        body["ind-estado"] = json!("procesando");
    } else {
        let xml = mensaje_hacienda(&doc.clave, &doc.parties, doc.verdict);
        body["ind-estado"] = json!(if doc.verdict.accepted() {
            "aceptado"
        } else {
            "rechazado"
        });
        body["respuesta-xml"] = json!(base64_simd::STANDARD.encode_to_string(xml.as_bytes()));
    }
    json_answer(200, &[], &body)
}

fn list(shared: &Shared, query: &str) -> Answer {
    let pairs = form(query);
    let offset: usize = field(&pairs, "offset").and_then(|v| v.parse().ok()).unwrap_or(0);
    let limit: usize = field(&pairs, "limit")
        .and_then(|v| v.parse().ok())
        .unwrap_or(50)
        .clamp(1, 50);
    let mut st = shared.lock();
    st.stats.list_requests += 1;
    let mut docs: Vec<&Document> = st
        .documents
        .values()
        .filter(|d| d.consecutivo_receptor.is_none())
        .collect();
    docs.sort_by_key(|d| d.seq);
    let total = docs.len();
    let page: Vec<Value> = docs
        .iter()
        .skip(offset)
        .take(limit)
        .map(|d| {
            let id = |p: &(String, String)| json!({"tipoIdentificacion": p.0, "numeroIdentificacion": p.1});
            json!({
                "clave": d.clave,
                "fecha": d.fecha,
                "emisor": id(&d.parties.emisor),
                "receptor": d.parties.receptor.as_ref().map(id),
            })
        })
        .collect();
    let n = page.len();
    let body = Value::Array(page);
    if n > 0 && n < total {
        let range = format!("comprobantes {}-{}/{}", offset, offset + n - 1, total);
        json_answer(206, &[("content-range", range)], &body)
    } else {
        json_answer(200, &[], &body)
    }
}

/// Accept loop: one task per connection, HTTP/1.1 with keep-alive.
pub async fn serve(listener: tokio::net::TcpListener, shared: Arc<Shared>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        shared.lock().stats.connections += 1;
        let shared = Arc::clone(&shared);
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req| handle(Arc::clone(&shared), req));
            let _ = hyper::server::conn::http1::Builder::new()
                .keep_alive(true)
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await;
        });
    }
}
