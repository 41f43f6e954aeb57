//! # hacienda-core
//!
//! The deterministic heart of hacienda-cr, the engine Costa Rican ERPs use to talk to the
//! Ministerio de Hacienda's e-invoicing API (`recepcion/v1`, comprobantes electrónicos v4.4,
//! with v4.1–v4.3 still readable).
//!
//! The core parses what Hacienda sends (status answers, callbacks, signed MensajeHacienda
//! answers), classifies every failure into one taxonomy, and builds submissions. It never
//! stores state and never reads the clock: the host passes `now` and any random samples, so
//! every decision is reproducible and runs the same in Python, in the browser and in Rust.
//!
//! ```
//! use hacienda_core::{classify_status, parse_status, ErrorCategory, IndEstado};
//!
//! let body = br#"{"clave": "50627091800011187076300200001010000000007100011154",
//!                 "fecha": "2018-09-27T13:48:36-06:00", "ind-estado": "procesando"}"#;
//! let report = parse_status(body).unwrap();
//! assert_eq!(report.state, IndEstado::Procesando);
//! assert!(classify_status(&report).is_none()); // not a failure: poll again later
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod classify;
pub mod clave;
pub mod detail;
pub mod document;
pub mod error;
mod fields;
pub mod input;
pub mod message;
pub mod schema;
pub mod status;
pub mod submit;
pub mod text;
pub mod xml;

pub use classify::{
    BlockingLevel, Classification, ErrorCategory, FailureInput, NextStep, TransportError, classify_http,
    classify_input, classify_message, classify_status, classify_text, classify_transport,
};
pub use clave::{Clave, Consecutivo, DocumentType, IdType, Situation, StatusKey};
pub use detail::{Detail, DetailLine, Severity};
pub use document::{DocumentParty, DocumentSummary, summarize};
pub use error::{Error, ErrorKind, Result};
pub use fields::{COSTA_RICA_OFFSET, parse_timestamp};
pub use input::{Parsed, read_any};
pub use message::{HaciendaMessage, MessageCode, MessageKind, Party, message_from_xml, parse_message};
pub use schema::SchemaVersion;
pub use status::{IndEstado, StatusAnswer, StatusReport, parse_status, read_status_response};
pub use submit::{
    AnswerHeaders, Identification, RateLimitInfo, RetryAfter, SubmissionRequest, SubmitOptions, SubmitOutcome,
    SubmitState, build_submission, read_submit_response,
};

// --- scheduling (backoff, retry queue, polling, bulk plans, rate limits, breaker, stats) ---
pub mod backoff;
pub mod breaker;
pub mod bulk;
mod duration_serde;
mod instant;
pub mod polling;
pub mod queue;
mod queue_select;
pub mod rate;
pub mod settings;
pub mod stats;

pub use backoff::{Decision, GiveUpReason, JitterMode, RetryPolicy};
pub use breaker::{BreakerConfig, BreakerDecision, BreakerState, BreakerStore};
pub use bulk::{BulkBatch, BulkPlan, plan_bulk};
pub use polling::{PollDocument, PollPlan, next_poll_at, plan_polls};
pub use queue::{
    DueSelection, Operation, QueueEntry, QueueRow, QueueState, Transition, cleanup_candidates, select_due,
};
pub use rate::{RateDecision, RateLimits, RateState, RequestKind};
pub use settings::{SettingProblem, Settings};
pub use stats::{
    Dashboard, DashboardDocument, QueueStatistics, ResponseRecord, ResponseStatistics, dashboard, queue_statistics,
    response_statistics,
};
// --- http (workstream http): the only network code, behind the `http` feature ---
#[cfg(feature = "http")]
pub mod http;

// --- wasm workstream (browser viewer) ---
pub mod inspect;
pub use inspect::{InputKind, Inspection, inspect};
