"""String enums used across hacienda_cr.

Every enum is a ``str`` subclass whose values are the snake_case names of the Rust core, so a
value can be stored in an Odoo ``Selection`` field or JSON as is and compared with plain strings:
``IndEstado.ACEPTADO == "aceptado"``.
"""

from __future__ import annotations

from enum import Enum

__all__ = [
    "BlockingLevel",
    "DocumentType",
    "ErrorCategory",
    "IndEstado",
    "MessageCode",
    "MessageKind",
    "NextStep",
    "Severity",
    "Situation",
    "SubmitState",
    "TransportError",
]


class _StrEnum(str, Enum):
    """A str-valued enum whose ``str()`` is its value (like ``enum.StrEnum`` on 3.11+)."""

    def __str__(self) -> str:
        return str(self.value)


class IndEstado(_StrEnum):
    """``ind-estado``: where Hacienda is with a document."""

    RECIBIDO = "recibido"
    PROCESANDO = "procesando"
    ACEPTADO = "aceptado"
    RECHAZADO = "rechazado"
    ERROR = "error"

    @property
    def is_final(self) -> bool:
        """True for aceptado, rechazado and error: polling can stop."""
        return self in (IndEstado.ACEPTADO, IndEstado.RECHAZADO, IndEstado.ERROR)


class MessageKind(_StrEnum):
    """Which message document: Hacienda's answer or a receiver's confirmation."""

    MENSAJE_HACIENDA = "mensaje_hacienda"
    MENSAJE_RECEPTOR = "mensaje_receptor"


class MessageCode(_StrEnum):
    """The ``Mensaje`` decision: 1 accepted, 2 partially accepted (receiver only), 3 rejected."""

    ACCEPTED = "accepted"
    PARTIALLY_ACCEPTED = "partially_accepted"
    REJECTED = "rejected"


class Severity(_StrEnum):
    """Whether a DetalleMensaje line blocks acceptance."""

    WARNING = "warning"
    ERROR = "error"


class ErrorCategory(_StrEnum):
    """The failure taxonomy shared by classification, retry policy and statistics."""

    TRANSIENT = "transient"
    RATE_LIMIT = "rate_limit"
    NETWORK = "network"
    SERVER = "server"
    AUTH = "auth"
    VALIDATION = "validation"
    SIGNATURE = "signature"
    DUPLICATE = "duplicate"
    CONFIGURATION = "configuration"
    UNKNOWN = "unknown"


class BlockingLevel(_StrEnum):
    """How loudly a host should show a problem (Odoo info/warning/error)."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


class NextStep(_StrEnum):
    """What the host should do after a failure."""

    POLL = "poll"
    RETRY = "retry"
    REAUTHENTICATE = "reauthenticate"
    FIX_DOCUMENT = "fix_document"
    NEW_CONSECUTIVO = "new_consecutivo"
    RESIGN = "resign"
    FIX_CONFIGURATION = "fix_configuration"
    INVESTIGATE = "investigate"


class DocumentType(_StrEnum):
    """Type of comprobante (the two digits inside the consecutivo)."""

    FACTURA_ELECTRONICA = "factura_electronica"
    NOTA_DEBITO_ELECTRONICA = "nota_debito_electronica"
    NOTA_CREDITO_ELECTRONICA = "nota_credito_electronica"
    TIQUETE_ELECTRONICO = "tiquete_electronico"
    CONFIRMACION_ACEPTACION = "confirmacion_aceptacion"
    CONFIRMACION_ACEPTACION_PARCIAL = "confirmacion_aceptacion_parcial"
    CONFIRMACION_RECHAZO = "confirmacion_rechazo"
    FACTURA_ELECTRONICA_COMPRA = "factura_electronica_compra"
    FACTURA_ELECTRONICA_EXPORTACION = "factura_electronica_exportacion"
    RECIBO_ELECTRONICO_PAGO = "recibo_electronico_pago"


class Situation(_StrEnum):
    """Situation of issue (digit 42 of the clave)."""

    NORMAL = "normal"
    CONTINGENCIA = "contingencia"
    SIN_INTERNET = "sin_internet"


class SubmitState(_StrEnum):
    """What a ``POST /recepcion`` answer means."""

    RECEIVED = "received"
    ALREADY_RECEIVED = "already_received"
    FAILED = "failed"


class TransportError(_StrEnum):
    """Failures below HTTP."""

    TIMEOUT = "timeout"
    CONNECTION_REFUSED = "connection_refused"
    CONNECTION_RESET = "connection_reset"
    DNS = "dns"
    TLS = "tls"
    OTHER = "other"


# --- scheduling ---
__all__ += [
    "BreakerState",
    "GiveUpReason",
    "JitterMode",
    "Operation",
    "QueueState",
    "RequestKind",
]


class JitterMode(_StrEnum):
    """How a retry delay is spread with the random sample ``u`` in [0, 1) the host passes."""

    NONE = "none"
    FULL = "full"
    EQUAL = "equal"
    DECORRELATED = "decorrelated"


class GiveUpReason(_StrEnum):
    """Why the retry policy stopped retrying."""

    NOT_RETRYABLE = "not_retryable"
    MAX_ATTEMPTS = "max_attempts"
    MAX_ELAPSED = "max_elapsed"
    RETRY_DISABLED = "retry_disabled"


class Operation(_StrEnum):
    """What a retry-queue entry does again."""

    SIGN = "sign"
    SUBMIT = "submit"
    POLL = "poll"
    RECEIVER_MESSAGE = "receiver_message"


class QueueState(_StrEnum):
    """Where a retry-queue entry is."""

    PENDING = "pending"
    PROCESSING = "processing"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


class RequestKind(_StrEnum):
    """Which per-minute limit a request to Hacienda counts against (all count as requests)."""

    POST = "post"
    GET = "get"
    TOKEN = "token"


class BreakerState(_StrEnum):
    """Circuit breaker: closed (normal), open (stop submitting), half-open (probing)."""

    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


# --- http workstream: the client ---
class Delivery(_StrEnum):
    """Where a submission stands after ``Client.submit``."""

    RECEIVED = "received"
    ALREADY_RECEIVED = "already_received"
    FAILED = "failed"
    UNKNOWN = "unknown"


__all__ += ["Delivery"]
