//! One taxonomy for every failure: HTTP outcomes, transport errors, rejection messages and free
//! text all become a [`Classification`] with a category, whether to retry, the blocking level an
//! Odoo form should show, the next step, and a short operator hint in Spanish and English.
//!
//! Each classification also carries a stable `rule` name (`ALREADY_RECEIVED`, `CLOCK_SKEW`,
//! `CONSECUTIVE_REUSED`, ...) so hosts and tests can match on the exact situation.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::detail::{Detail, DetailLine};
use crate::error::excerpt;
use crate::message::HaciendaMessage;
use crate::status::{IndEstado, StatusReport};
use crate::text::repair_mojibake;

/// The failure categories, shared by the retry policy, the queue and the dashboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCategory {
    /// A passing problem on Hacienda's side (its signing service, a 404 right after submission).
    Transient,
    /// Too many requests (HTTP 429).
    RateLimit,
    /// The request did not get an answer: TIMEOUT, refused, reset, DNS, TLS.
    Network,
    /// Hacienda or its CDN failed (5xx, Cloudflare 520, `ind-estado: error`).
    Server,
    /// The token was refused (expired, clock skew).
    Auth,
    /// The document or request is wrong and must be corrected.
    Validation,
    /// The signature is invalid or the XML changed after signing.
    Signature,
    /// Already received (poll it) or the consecutive number is taken (needs a new one).
    Duplicate,
    /// Credentials, permissions or environment are wrong.
    Configuration,
    /// Not recognised.
    Unknown,
}

impl ErrorCategory {
    /// Every category.
    pub const ALL: [ErrorCategory; 10] = [
        ErrorCategory::Transient,
        ErrorCategory::RateLimit,
        ErrorCategory::Network,
        ErrorCategory::Server,
        ErrorCategory::Auth,
        ErrorCategory::Validation,
        ErrorCategory::Signature,
        ErrorCategory::Duplicate,
        ErrorCategory::Configuration,
        ErrorCategory::Unknown,
    ];

    /// snake_case name (`"rate_limit"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCategory::Transient => "transient",
            ErrorCategory::RateLimit => "rate_limit",
            ErrorCategory::Network => "network",
            ErrorCategory::Server => "server",
            ErrorCategory::Auth => "auth",
            ErrorCategory::Validation => "validation",
            ErrorCategory::Signature => "signature",
            ErrorCategory::Duplicate => "duplicate",
            ErrorCategory::Configuration => "configuration",
            ErrorCategory::Unknown => "unknown",
        }
    }

    /// Parses a snake_case name.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == name.trim())
    }
}

impl fmt::Display for ErrorCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How loudly a host should show the problem (Odoo's info / warning / error banners).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockingLevel {
    /// Nothing to do by a person.
    Info,
    /// Will be retried automatically; a person may want to know.
    Warning,
    /// Needs a person.
    Error,
}

impl BlockingLevel {
    /// `"info"`, `"warning"` or `"error"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            BlockingLevel::Info => "info",
            BlockingLevel::Warning => "warning",
            BlockingLevel::Error => "error",
        }
    }
}

/// What the host should do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NextStep {
    /// Query the status; never resubmit.
    Poll,
    /// Repeat the same operation later (see the retry policy).
    Retry,
    /// Refresh or renew the token, then repeat.
    Reauthenticate,
    /// Correct the document and issue it again.
    FixDocument,
    /// Issue the document again with a new consecutive number.
    NewConsecutivo,
    /// Check the certificate and sign again.
    Resign,
    /// Fix credentials, permissions or environment.
    FixConfiguration,
    /// A person must look.
    Investigate,
}

impl NextStep {
    /// snake_case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            NextStep::Poll => "poll",
            NextStep::Retry => "retry",
            NextStep::Reauthenticate => "reauthenticate",
            NextStep::FixDocument => "fix_document",
            NextStep::NewConsecutivo => "new_consecutivo",
            NextStep::Resign => "resign",
            NextStep::FixConfiguration => "fix_configuration",
            NextStep::Investigate => "investigate",
        }
    }
}

/// Failures below HTTP: the request never got an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TransportError {
    /// No answer in time (the request may have been processed).
    Timeout,
    /// Nobody listening.
    ConnectionRefused,
    /// Connection dropped mid-exchange.
    ConnectionReset,
    /// Host name did not resolve.
    Dns,
    /// TLS handshake or certificate failure.
    Tls,
    /// Any other I/O failure.
    Other,
}

/// The verdict on one failure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Classification {
    /// The category.
    pub category: ErrorCategory,
    /// Stable name of the exact situation (`CLOCK_SKEW`, `CONSECUTIVE_REUSED`, ...).
    pub rule: &'static str,
    /// Whether repeating the same operation can succeed.
    pub retryable: bool,
    /// How loudly to show it.
    pub blocking: BlockingLevel,
    /// What to do next.
    pub next_step: NextStep,
    /// Hacienda code that decided it, when one did.
    pub code: Option<i32>,
    /// Every error code of the answer, in order.
    pub codes: Vec<i32>,
    /// HTTP status, when the failure was an HTTP answer.
    pub http_status: Option<u16>,
    /// What was observed, shortened (never credentials: inputs here are answers, not requests).
    pub reason: String,
    /// Operator hint in Spanish.
    pub hint_es: &'static str,
    /// Operator hint in English.
    pub hint_en: &'static str,
}

/// A rule: the fixed part of a classification.
struct Rule {
    name: &'static str,
    category: ErrorCategory,
    retryable: bool,
    blocking: BlockingLevel,
    next_step: NextStep,
    hint_es: &'static str,
    hint_en: &'static str,
}

macro_rules! rule {
    ($name:ident, $text:literal, $cat:ident, $retry:expr, $block:ident, $step:ident, $es:expr, $en:expr) => {
        pub(super) const $name: Rule = Rule {
            name: $text,
            category: ErrorCategory::$cat,
            retryable: $retry,
            blocking: BlockingLevel::$block,
            next_step: NextStep::$step,
            hint_es: $es,
            hint_en: $en,
        };
    };
}

mod rules {
    use super::*;
    rule!(
        ALREADY_RECEIVED,
        "already_received",
        Duplicate,
        false,
        Info,
        Poll,
        "Hacienda ya recibió este comprobante: consulte su estado, no lo reenvíe.",
        "Hacienda already received this document: poll its status, do not resubmit."
    );
    rule!(
        CONSECUTIVE_REUSED,
        "consecutive_reused",
        Duplicate,
        false,
        Error,
        NewConsecutivo,
        "El consecutivo ya fue utilizado: emita el documento con un consecutivo nuevo.",
        "The consecutive number is already used: issue the document with a new number."
    );
    rule!(
        SIGNATURE_INVALID,
        "signature_invalid",
        Signature,
        false,
        Error,
        Resign,
        "La firma no es válida o el XML cambió después de firmarlo: revise el certificado (.p12), su PIN y la política de firma, y vuelva a firmar.",
        "The signature is invalid or the XML changed after signing: check the .p12 certificate, its PIN and the signature policy, then sign again."
    );
    rule!(
        SIGNUM_ONE,
        "signum_one",
        Transient,
        true,
        Warning,
        Retry,
        "Falla temporal del servicio de firma de Hacienda (Signum One): se reintentará más tarde.",
        "Hacienda's signing service (Signum One) failed temporarily: it will be retried later."
    );
    rule!(
        SCHEMA,
        "schema",
        Validation,
        false,
        Error,
        FixDocument,
        "El XML no cumple el esquema oficial: corrija el elemento indicado (fila, columna) y emita de nuevo.",
        "The XML does not match the official schema: fix the element at the given row and column and issue again."
    );
    rule!(
        AMOUNTS,
        "amounts",
        Validation,
        false,
        Error,
        FixDocument,
        "Los montos no cuadran (impuestos o totales): corrija los cálculos y emita de nuevo.",
        "Amounts do not add up (taxes or totals): fix the calculations and issue again."
    );
    rule!(
        REJECTED,
        "rejected",
        Validation,
        false,
        Error,
        FixDocument,
        "Hacienda rechazó el comprobante: revise el detalle de la respuesta, corrija y emita de nuevo.",
        "Hacienda rejected the document: read the answer's detail, fix it and issue again."
    );
    rule!(
        BAD_REQUEST,
        "bad_request",
        Validation,
        false,
        Error,
        FixDocument,
        "Hacienda rechazó la solicitud (HTTP 400): revise la causa indicada y los datos enviados.",
        "Hacienda refused the request (HTTP 400): check the stated cause and the data sent."
    );
    rule!(
        CLOCK_SKEW,
        "clock_skew",
        Auth,
        true,
        Warning,
        Reauthenticate,
        "El token se usó antes de su emisión: sincronice el reloj del servidor (NTP); se volverá a autenticar.",
        "The token was used before it was issued: sync the server clock (NTP); it will re-authenticate."
    );
    rule!(
        UNAUTHORIZED,
        "unauthorized",
        Auth,
        true,
        Warning,
        Reauthenticate,
        "Token vencido o inválido: se renovará el token y se reintentará.",
        "Expired or invalid token: the token will be renewed and the request retried."
    );
    rule!(
        INVALID_CREDENTIALS,
        "invalid_credentials",
        Configuration,
        false,
        Error,
        FixConfiguration,
        "Usuario o contraseña de ATV incorrectos, o de otro ambiente: revise la configuración de la compañía.",
        "Wrong ATV username or password, or from the other environment: check the company settings."
    );
    rule!(
        FORBIDDEN,
        "forbidden",
        Configuration,
        false,
        Error,
        FixConfiguration,
        "El usuario no tiene permiso para este emisor o ambiente (HTTP 403): revise credenciales y ambiente.",
        "The user may not act for this issuer or environment (HTTP 403): check credentials and environment."
    );
    rule!(
        NOT_FOUND,
        "not_found",
        Transient,
        true,
        Warning,
        Retry,
        "Hacienda aún no tiene este comprobante: si se acaba de enviar, espere; si persiste, envíelo de nuevo.",
        "Hacienda does not have this document yet: if it was just sent, wait; if it persists, submit it again."
    );
    rule!(
        RATE_LIMITED,
        "rate_limited",
        RateLimit,
        true,
        Warning,
        Retry,
        "Demasiadas solicitudes a Hacienda: se reintentará cuando el límite lo permita.",
        "Too many requests to Hacienda: it will be retried when the limit allows."
    );
    rule!(
        SERVER_ERROR,
        "server_error",
        Server,
        true,
        Warning,
        Retry,
        "Hacienda no está disponible (error del servidor): se reintentará automáticamente.",
        "Hacienda is unavailable (server error): it will be retried automatically."
    );
    rule!(
        CLOUDFLARE_ORIGIN,
        "cloudflare_origin",
        Server,
        true,
        Warning,
        Retry,
        "El CDN de Hacienda no pudo contactar su servidor (Cloudflare 52x): se reintentará automáticamente.",
        "Hacienda's CDN could not reach its server (Cloudflare 52x): it will be retried automatically."
    );
    rule!(
        PROCESSING_ERROR,
        "processing_error",
        Server,
        true,
        Warning,
        Retry,
        "Hacienda reportó un error procesando el comprobante: se consultará o reenviará más tarde.",
        "Hacienda reported an error processing the document: it will be checked or resent later."
    );
    rule!(
        TIMEOUT,
        "timeout",
        Network,
        true,
        Warning,
        Retry,
        "Hacienda no respondió a tiempo: se reintentará (un envío se verifica primero consultando el estado).",
        "Hacienda did not answer in time: it will be retried (a submission is first checked by polling)."
    );
    rule!(
        CONNECTION_REFUSED,
        "connection_refused",
        Network,
        true,
        Warning,
        Retry,
        "No se pudo conectar con Hacienda (conexión rechazada): se reintentará.",
        "Could not connect to Hacienda (connection refused): it will be retried."
    );
    rule!(
        CONNECTION_RESET,
        "connection_reset",
        Network,
        true,
        Warning,
        Retry,
        "La conexión con Hacienda se cortó: se reintentará.",
        "The connection to Hacienda dropped: it will be retried."
    );
    rule!(
        DNS,
        "dns",
        Network,
        true,
        Warning,
        Retry,
        "No se pudo resolver el nombre del servidor de Hacienda: revise el DNS o la red; se reintentará.",
        "Could not resolve Hacienda's host name: check DNS or the network; it will be retried."
    );
    rule!(
        TLS,
        "tls",
        Network,
        true,
        Warning,
        Retry,
        "Falló la conexión segura (TLS) con Hacienda: revise la hora del servidor y sus certificados raíz; se reintentará.",
        "The secure (TLS) connection to Hacienda failed: check the server time and root certificates; it will be retried."
    );
    rule!(
        NETWORK,
        "network",
        Network,
        true,
        Warning,
        Retry,
        "Error de red al hablar con Hacienda: se reintentará.",
        "Network error talking to Hacienda: it will be retried."
    );
    rule!(
        UNKNOWN,
        "unknown",
        Unknown,
        true,
        Warning,
        Investigate,
        "Error no reconocido: revise el detalle; se reintentará un número limitado de veces.",
        "Unrecognised error: read the detail; it will be retried a limited number of times."
    );
}

use rules::*;

fn build(rule: &Rule, reason: &str) -> Classification {
    Classification {
        category: rule.category,
        rule: rule.name,
        retryable: rule.retryable,
        blocking: rule.blocking,
        next_step: rule.next_step,
        code: None,
        codes: Vec::new(),
        http_status: None,
        reason: excerpt(reason.trim()),
        hint_es: rule.hint_es,
        hint_en: rule.hint_en,
    }
}

/// Lower case without accents, mojibake repaired: the form every text rule matches against.
fn fold(text: &str) -> String {
    repair_mojibake(text)
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'á' | 'à' | 'ä' => 'a',
            'é' | 'è' | 'ë' => 'e',
            'í' | 'ì' | 'ï' => 'i',
            'ó' | 'ò' | 'ö' => 'o',
            'ú' | 'ù' | 'ü' => 'u',
            other => other,
        })
        .collect()
}

/// True when `needle` (digits) appears in `hay` not surrounded by other digits.
fn has_number(hay: &str, needle: &str) -> bool {
    hay.match_indices(needle).any(|(i, _)| {
        let before = hay[..i].chars().next_back();
        let after = hay[i + needle.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_digit()) && !after.is_some_and(|c| c.is_ascii_digit())
    })
}

/// The rule a piece of free text points at, if any.
fn text_rule(folded: &str) -> Option<&'static Rule> {
    let has = |s: &str| folded.contains(s);
    let any = |list: &[&str]| list.iter().any(|s| folded.contains(s));
    Some(if any(&["ya fue recibido", "already received"]) {
        &ALREADY_RECEIVED
    } else if has("used before issued") {
        &CLOCK_SKEW
    } else if (has("firma") && any(&["no es valida", "invalida", "luego de haber sido firmado"]))
        || has("policy id")
        || (has("signature") && any(&["invalid", "not valid"]))
    {
        &SIGNATURE_INVALID
    } else if has("signum one") {
        &SIGNUM_ONE
    } else if has("consecutiv") && any(&["ya existe", "ya fue utilizad", "already used", "ya se encuentra"]) {
        &CONSECUTIVE_REUSED
    } else if any(&[
        "invalid_grant",
        "invalid user credentials",
        "credenciales",
        "invalid_client",
    ]) {
        &INVALID_CREDENTIALS
    } else if any(&["key not authorized", "unauthorized", "no autorizado"]) || has_number(folded, "401") {
        &UNAUTHORIZED
    } else if has("forbidden") || has_number(folded, "403") {
        &FORBIDDEN
    } else if any(&["too many requests", "rate limit", "ratelimit"]) || has_number(folded, "429") {
        &RATE_LIMITED
    } else if any(&["timed out", "timeout", "time out", "tiempo de espera"]) {
        &TIMEOUT
    } else if any(&["connection refused", "conexion rehusada", "conexion rechazada"]) {
        &CONNECTION_REFUSED
    } else if any(&[
        "connection reset",
        "reset by peer",
        "broken pipe",
        "connection aborted",
        "remote end closed",
    ]) {
        &CONNECTION_RESET
    } else if any(&[
        "name or service not known",
        "getaddrinfo",
        "nodename nor servname",
        "temporary failure in name resolution",
        "failed to resolve",
        "dns error",
    ]) {
        &DNS
    } else if any(&["ssl", "tls", "certificate verify failed"]) {
        &TLS
    } else if any(&["origin error", "cloudflare"]) || (520..=527).any(|c| has_number(folded, &c.to_string())) {
        &CLOUDFLARE_ORIGIN
    } else if any(&[
        "bad gateway",
        "service unavailable",
        "internal server error",
        "gateway timeout",
    ]) || ["500", "502", "503", "504"].iter().any(|c| has_number(folded, c))
    {
        &SERVER_ERROR
    } else if has("no existe el recurso") {
        &NOT_FOUND
    } else if has("cvc-") {
        &SCHEMA
    } else if any(&["connection", "conexion", "network"]) {
        &NETWORK
    } else {
        return None;
    })
}

/// Classifies free text (an exception message, a log line, a pasted answer).
///
/// ```
/// use hacienda_core::classify::{classify_text, ErrorCategory};
/// assert_eq!(classify_text("Error al comunicarse con el Signum One").category, ErrorCategory::Transient);
/// assert_eq!(classify_text("HTTPSConnectionPool: Read timed out.").category, ErrorCategory::Network);
/// assert_eq!(classify_text("La firma del comprobante electrónico no es válida").category, ErrorCategory::Signature);
/// ```
pub fn classify_text(text: &str) -> Classification {
    let detail = Detail::parse(text);
    if !detail.lines.is_empty()
        && let Some(c) = classify_lines(&detail, text)
    {
        return c;
    }
    let folded = fold(text);
    build(text_rule(&folded).unwrap_or(&UNKNOWN), text)
}

/// Classifies the error lines and notes of a rejection; `None` when nothing in it is an error.
fn classify_lines(detail: &Detail, reason: &str) -> Option<Classification> {
    let errors: Vec<&DetailLine> = detail.errors().collect();
    let notes = fold(&detail.notes.join("\n"));
    let note_rule = text_rule(&notes);
    let (rule, code): (&Rule, Option<i32>) = if matches!(note_rule, Some(r) if r.category == ErrorCategory::Signature) {
        (&SIGNATURE_INVALID, None)
    } else if let Some(line) = errors.iter().find(|l| l.is_schema_error()) {
        (&SCHEMA, Some(line.code))
    } else if let Some(line) = errors.iter().find(|l| matches!(l.code, -45 | -51 | -54 | -55)) {
        (&AMOUNTS, Some(line.code))
    } else if let Some(line) = errors.iter().find(|l| l.code != -99) {
        (text_rule(&fold(&line.message)).unwrap_or(&REJECTED), Some(line.code))
    } else if errors.iter().any(|l| l.code == -99) {
        (&CONSECUTIVE_REUSED, Some(-99))
    } else if let Some(rule) = note_rule {
        (rule, None)
    } else {
        return None;
    };
    let mut c = build(rule, reason);
    c.code = code;
    c.codes = errors.iter().map(|l| l.code).collect();
    c.reason = excerpt(&match (code, errors.first()) {
        (Some(code), _) => errors
            .iter()
            .find(|l| l.code == code)
            .map_or_else(|| detail.summary(), |l| format!("{}: {}", l.code, l.message)),
        (None, _) if !detail.notes.is_empty() => detail.notes.join(" "),
        _ => detail.summary(),
    });
    Some(c)
}

/// Classifies a MensajeHacienda / MensajeReceptor; `None` when it is an acceptance.
pub fn classify_message(message: &HaciendaMessage) -> Option<Classification> {
    if !message.is_rejected() {
        return None;
    }
    Some(classify_lines(&message.detail, "").unwrap_or_else(|| {
        let reason = if message.detail.raw.trim().is_empty() {
            "rejected without detail".to_string()
        } else {
            message.detail.raw.clone()
        };
        build(&REJECTED, &reason)
    }))
}

/// Classifies a status report; `None` while it is pending or when it was accepted.
pub fn classify_status(report: &StatusReport) -> Option<Classification> {
    match report.state {
        IndEstado::Recibido | IndEstado::Procesando | IndEstado::Aceptado => None,
        IndEstado::Rechazado => Some(
            report
                .message
                .as_ref()
                .and_then(classify_message)
                .unwrap_or_else(|| build(&REJECTED, "ind-estado rechazado without a readable respuesta-xml")),
        ),
        IndEstado::Error => Some(build(&PROCESSING_ERROR, "ind-estado error")),
    }
}

/// Classifies an HTTP answer from Hacienda or its IdP; `None` for 2xx.
///
/// `error_cause` is the `X-Error-Cause` header; `body` the (possibly HTML) body.
///
/// ```
/// use hacienda_core::classify::{classify_http, ErrorCategory, NextStep};
/// let c = classify_http(400, Some("El comprobante con la Clave [506...] ya fue recibido."), "").unwrap();
/// assert_eq!((c.category, c.next_step), (ErrorCategory::Duplicate, NextStep::Poll));
/// let c = classify_http(401, None, r#"{"error": "Key not authorized: Token used before issued"}"#).unwrap();
/// assert_eq!(c.rule, "clock_skew");
/// assert!(classify_http(202, None, "").is_none());
/// ```
pub fn classify_http(status: u16, error_cause: Option<&str>, body: &str) -> Option<Classification> {
    if (200..300).contains(&status) {
        return None;
    }
    let cause = error_cause.map(str::trim).filter(|c| !c.is_empty());
    let body_head: String = body.chars().take(4096).collect();
    let seen = cause.unwrap_or(body_head.trim());
    let folded = fold(seen);
    let found = text_rule(&folded);
    let rule: &Rule = match status {
        400 | 409 | 422 => match found {
            Some(r) if !matches!(r.category, ErrorCategory::Network | ErrorCategory::Server) => r,
            _ => &BAD_REQUEST,
        },
        401 => match found {
            Some(r) if r.name == "clock_skew" || r.name == "invalid_credentials" => r,
            _ => &UNAUTHORIZED,
        },
        403 => &FORBIDDEN,
        404 => &NOT_FOUND,
        408 => &TIMEOUT,
        413..=415 => &BAD_REQUEST,
        429 => &RATE_LIMITED,
        520..=527 => &CLOUDFLARE_ORIGIN,
        500..=599 => {
            if fold(body).contains("cloudflare") {
                &CLOUDFLARE_ORIGIN
            } else {
                &SERVER_ERROR
            }
        }
        400..=499 => found.unwrap_or(&BAD_REQUEST),
        _ => &UNKNOWN,
    };
    let mut c = build(rule, "");
    c.http_status = Some(status);
    let shown = if seen.is_empty() {
        "(no X-Error-Cause, empty body)".to_string()
    } else if seen.trim_start().starts_with('<') {
        "(HTML page)".to_string()
    } else {
        excerpt(seen)
    };
    c.reason = format!("HTTP {status} {shown}");
    if rule.name == "bad_request" || rule.category == ErrorCategory::Validation {
        let detail = Detail::parse(seen);
        c.codes = detail.errors().map(|l| l.code).collect();
        c.code = c.codes.first().copied();
    }
    Some(c)
}

/// Classifies a transport failure.
pub fn classify_transport(kind: TransportError, detail: &str) -> Classification {
    let rule = match kind {
        TransportError::Timeout => &TIMEOUT,
        TransportError::ConnectionRefused => &CONNECTION_REFUSED,
        TransportError::ConnectionReset => &CONNECTION_RESET,
        TransportError::Dns => &DNS,
        TransportError::Tls => &TLS,
        TransportError::Other => &NETWORK,
    };
    build(rule, detail)
}

/// Anything a host may hold about a failure, as one serializable record (the shape the Python
/// batch API and the JS API accept as dicts/objects).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FailureInput {
    /// HTTP status, when there was an answer.
    pub http_status: Option<u16>,
    /// `X-Error-Cause` header.
    pub error_cause: Option<String>,
    /// Answer body (text).
    pub body: Option<String>,
    /// Transport failure, when there was no answer.
    pub transport: Option<TransportError>,
    /// Free text (exception message, log line, DetalleMensaje).
    pub text: Option<String>,
}

/// Classifies a [`FailureInput`]: HTTP first, then transport, then text; `None` for a 2xx.
pub fn classify_input(input: &FailureInput) -> Option<Classification> {
    if let Some(status) = input.http_status {
        return classify_http(
            status,
            input.error_cause.as_deref(),
            input.body.as_deref().unwrap_or(""),
        );
    }
    if let Some(kind) = input.transport {
        let detail = input.text.as_deref().unwrap_or("");
        return Some(classify_transport(kind, detail));
    }
    let text = [
        input.error_cause.as_deref(),
        input.text.as_deref(),
        input.body.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join("\n");
    Some(classify_text(&text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_family() {
        let cases: [(u16, Option<&str>, &str, &str); 12] = [
            (
                400,
                Some("El comprobante con la Clave [1] ya fue recibido."),
                "",
                "already_received",
            ),
            (400, None, "", "bad_request"),
            (
                400,
                Some("La firma del comprobante electrónico no es válida"),
                "",
                "signature_invalid",
            ),
            (
                401,
                None,
                "{\"error\": \"Key not authorized: Token used before issued\"}",
                "clock_skew",
            ),
            (401, None, "", "unauthorized"),
            (403, None, "", "forbidden"),
            (404, Some("No existe el recurso con Clave = [1]"), "", "not_found"),
            (429, None, "", "rate_limited"),
            (500, None, "oops", "server_error"),
            (503, None, "<html>cloudflare</html>", "cloudflare_origin"),
            (520, None, "<!DOCTYPE html>", "cloudflare_origin"),
            (302, None, "", "unknown"),
        ];
        for (status, cause, body, rule) in cases {
            let c = classify_http(status, cause, body).unwrap();
            assert_eq!(c.rule, rule, "{status} {cause:?}");
            assert_eq!(c.http_status, Some(status));
        }
    }

    #[test]
    fn retryable_and_blocking_follow_the_category() {
        for status in [429, 500, 502, 520] {
            let c = classify_http(status, None, "").unwrap();
            assert!(c.retryable);
            assert_eq!(c.blocking, BlockingLevel::Warning);
        }
        let dup = classify_text("-99, \"La numeración consecutiva del comprobante ... ya existe\", 0, 0");
        assert_eq!(
            (dup.category, dup.next_step, dup.code),
            (ErrorCategory::Duplicate, NextStep::NewConsecutivo, Some(-99))
        );
        assert!(!dup.retryable);
        assert_eq!(dup.blocking, BlockingLevel::Error);
    }

    #[test]
    fn lines_pick_the_most_actionable_rule() {
        let amounts = classify_text(
            "-99, \"ya existe\", 0, 0\n-54, \"El monto total de impuestos no coincide\", 0, 0\n-37, \"Estimado\", 0, 0",
        );
        assert_eq!(amounts.rule, "amounts");
        assert_eq!(amounts.code, Some(-54));
        assert_eq!(amounts.codes, vec![-99, -54]);
        let schema = classify_text("-1, \"cvc-datatype-valid.1.2.1: '' is not a valid value for 'decimal'.\", 90, 26");
        assert_eq!(schema.rule, "schema");
        let only_warnings = classify_text("-37, \"Estimado obligado\", 0, 0");
        assert_eq!(only_warnings.rule, "unknown");
    }

    #[test]
    fn transport_and_free_text() {
        assert_eq!(
            classify_transport(TransportError::Dns, "x").category,
            ErrorCategory::Network
        );
        let cases = [
            ("Max retries exceeded: Connection refused", "connection_refused"),
            ("[Errno -2] Name or service not known", "dns"),
            ("SSL: CERTIFICATE_VERIFY_FAILED", "tls"),
            ("Connection reset by peer", "connection_reset"),
            ("invalid_grant: Invalid user credentials", "invalid_credentials"),
            ("STATUS(520): Origin Error", "cloudflare_origin"),
            ("El XML fue modificado luego de haber sido firmado", "signature_invalid"),
            ("no tiene el Policy Id", "signature_invalid"),
            ("El monto es 1500.00", "unknown"),
            (
                "La firma del comprobante electrÃ³nico no es vÃ¡lida",
                "signature_invalid",
            ),
        ];
        for (text, rule) in cases {
            assert_eq!(classify_text(text).rule, rule, "{text}");
        }
    }

    #[test]
    fn failure_input_routes() {
        let http = FailureInput {
            http_status: Some(202),
            ..Default::default()
        };
        assert!(classify_input(&http).is_none());
        let t = FailureInput {
            transport: Some(TransportError::Timeout),
            ..Default::default()
        };
        assert_eq!(classify_input(&t).unwrap().rule, "timeout");
        let text = FailureInput {
            text: Some("Error al comunicarse con el Signum One".into()),
            ..Default::default()
        };
        assert_eq!(classify_input(&text).unwrap().rule, "signum_one");
    }
}
