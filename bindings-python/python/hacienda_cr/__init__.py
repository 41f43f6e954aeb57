"""hacienda_cr: Costa Rica e-invoicing (Ministerio de Hacienda) engine, in Rust.

Parse status answers, callbacks and signed MensajeHacienda answers, classify every failure into
one taxonomy with operator hints in Spanish and English, and build submissions. Batch functions
(``parse_status_many``, ``classify_many``) let an Odoo cron cross into Rust once per run.

>>> import hacienda_cr
>>> r = hacienda_cr.parse_status(b'{"clave": "506...", "ind-estado": "procesando"}')
>>> r.state
<IndEstado.PROCESANDO: 'procesando'>
"""

from __future__ import annotations

from . import errors
from ._native import (
    Classification,
    Clave,
    Consecutivo,
    Detail,
    DetailLine,
    DocumentSummary,
    HaciendaMessage,
    Party,
    StatusAnswer,
    StatusReport,
    SubmissionRequest,
    SubmitOutcome,
    __version__,
    build_clave,
    build_submission,
    classify_http,
    classify_many,
    classify_text,
    classify_transport,
    parse_clave,
    parse_consecutivo,
    parse_message,
    parse_status,
    parse_status_many,
    read_any,
    read_status_response,
    read_submit_response,
)
from .enums import (
    BlockingLevel,
    DocumentType,
    ErrorCategory,
    IndEstado,
    MessageCode,
    MessageKind,
    NextStep,
    Severity,
    Situation,
    SubmitState,
    TransportError,
)
from .errors import (
    ClassifiedError,
    HaciendaError,
    InputTooLargeError,
    InvalidKeyError,
    ParseError,
    SettingsError,
    UnsafeXmlError,
)

__all__ = [
    "BlockingLevel",
    "Classification",
    "ClassifiedError",
    "Clave",
    "Consecutivo",
    "Detail",
    "DetailLine",
    "DocumentSummary",
    "DocumentType",
    "ErrorCategory",
    "HaciendaError",
    "HaciendaMessage",
    "IndEstado",
    "InputTooLargeError",
    "InvalidKeyError",
    "MessageCode",
    "MessageKind",
    "NextStep",
    "ParseError",
    "Party",
    "SettingsError",
    "Severity",
    "Situation",
    "StatusAnswer",
    "StatusReport",
    "SubmissionRequest",
    "SubmitOutcome",
    "SubmitState",
    "TransportError",
    "UnsafeXmlError",
    "__version__",
    "build_clave",
    "build_submission",
    "classify_http",
    "classify_many",
    "classify_text",
    "classify_transport",
    "errors",
    "parse_clave",
    "parse_consecutivo",
    "parse_message",
    "parse_status",
    "parse_status_many",
    "read_any",
    "read_status_response",
    "read_submit_response",
]

# --- http workstream: client and simulator ---
from ._native import Client, ComprobantesPage, SubmitResult
from .enums import Delivery

# isort: split
# --- scheduling ---
from ._native import (
    BreakerDecision,
    BulkBatch,
    BulkPlan,
    CircuitBreaker,
    Dashboard,
    PollPlan,
    QueueEntry,
    QueueStatistics,
    QueueTransition,
    RateDecision,
    RateLimiter,
    ResponseStatistics,
    RetryDecision,
    RetryPolicy,
    Settings,
    cleanup_candidates,
    dashboard,
    next_poll_at,
    plan_bulk,
    plan_polls,
    plan_retry,
    queue_cancel,
    queue_on_failure,
    queue_on_success,
    queue_retry_now,
    queue_statistics,
    response_statistics,
    select_due,
)
from .enums import BreakerState, GiveUpReason, JitterMode, Operation, QueueState, RequestKind

__all__ += [
    "BreakerDecision",
    "BreakerState",
    "BulkBatch",
    "BulkPlan",
    "CircuitBreaker",
    "Dashboard",
    "GiveUpReason",
    "JitterMode",
    "Operation",
    "PollPlan",
    "QueueEntry",
    "QueueState",
    "QueueStatistics",
    "QueueTransition",
    "RateDecision",
    "RateLimiter",
    "RequestKind",
    "ResponseStatistics",
    "RetryDecision",
    "RetryPolicy",
    "Settings",
    "cleanup_candidates",
    "dashboard",
    "next_poll_at",
    "plan_bulk",
    "plan_polls",
    "plan_retry",
    "queue_cancel",
    "queue_on_failure",
    "queue_on_success",
    "queue_retry_now",
    "queue_statistics",
    "response_statistics",
    "select_due",
]

# --- http workstream: client and simulator (names) ---
__all__ += ["Client", "ComprobantesPage", "Delivery", "SubmitResult"]
