"""The exception hierarchy of hacienda_cr.

::

    HaciendaError
    ├── ParseError (also ValueError)        input that cannot be read; .kind says why
    │   ├── UnsafeXmlError                  a DTD / entities were refused
    │   └── InputTooLargeError              size, depth or element-count limits
    ├── InvalidKeyError (also ValueError)   a clave or consecutivo that is not valid
    ├── SettingsError (also ValueError)     a setting out of range
    └── ClassifiedError                     a failure talking to Hacienda, with .classification
        ├── TransientError, RateLimitError, NetworkError, ServerError, AuthError
        └── ValidationError, SignatureError, DuplicateError, ConfigurationError, UnknownError

Every exception has ``kind`` (a stable snake_case name) and ``field`` (the element, key or setting
concerned, or ``None``). Messages never contain credentials.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._native import Classification

__all__ = [
    "AuthError",
    "ClassifiedError",
    "ConfigurationError",
    "DuplicateError",
    "HaciendaError",
    "InputTooLargeError",
    "InvalidKeyError",
    "NetworkError",
    "ParseError",
    "RateLimitError",
    "ServerError",
    "SettingsError",
    "SignatureError",
    "TransientError",
    "UnknownError",
    "UnsafeXmlError",
    "ValidationError",
]


class HaciendaError(Exception):
    """Base of every hacienda_cr exception."""

    kind: str
    field: str | None

    def __init__(self, message: str, *, kind: str = "error", field: str | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.field = field

    @property
    def message(self) -> str:
        """The human-readable message."""
        return str(self.args[0]) if self.args else ""

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, kind={self.kind!r}, field={self.field!r})"

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild, (type(self), self.message, self.kind, self.field))


def _rebuild(cls: type[HaciendaError], message: str, kind: str, field: str | None) -> HaciendaError:
    return cls(message, kind=kind, field=field)


class ParseError(HaciendaError, ValueError):
    """Input that cannot be read (JSON, XML, base64, encoding, missing or invalid fields)."""


class UnsafeXmlError(ParseError):
    """XML with a DTD: entity expansion and external entities are never processed."""


class InputTooLargeError(ParseError):
    """Input beyond the size, depth or element-count limits."""


class InvalidKeyError(HaciendaError, ValueError):
    """A clave or consecutivo that is not valid."""


class SettingsError(HaciendaError, ValueError):
    """A setting, policy or plan value out of range."""


class ClassifiedError(HaciendaError):
    """A failure talking to Hacienda; ``classification`` says what it is and what to do."""

    classification: Classification

    def __init__(self, message: str, *, classification: Classification, field: str | None = None) -> None:
        super().__init__(message, kind=str(classification.category), field=field)
        self.classification = classification

    @property
    def retryable(self) -> bool:
        """Whether repeating the same operation can succeed."""
        return self.classification.retryable

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError(
            "ClassifiedError holds a native Classification and cannot be pickled; "
            "pickle classification.to_dict() instead"
        )

    @staticmethod
    def from_classification(classification: Classification, message: str | None = None) -> ClassifiedError:
        """The subclass instance matching ``classification.category``."""
        cls = _BY_CATEGORY.get(str(classification.category), UnknownError)
        return cls(message or classification.reason, classification=classification)


class TransientError(ClassifiedError):
    """A passing problem on Hacienda's side."""


class RateLimitError(ClassifiedError):
    """Too many requests (HTTP 429)."""


class NetworkError(ClassifiedError):
    """No answer: timeout, refused, reset, DNS, TLS."""


class ServerError(ClassifiedError):
    """Hacienda or its CDN failed (5xx, 520)."""


class AuthError(ClassifiedError):
    """The token was refused (expired, clock skew)."""


class ValidationError(ClassifiedError):
    """The document or request must be corrected."""


class SignatureError(ClassifiedError):
    """The signature is invalid or the XML changed after signing."""


class DuplicateError(ClassifiedError):
    """Already received (poll it) or the consecutive number is taken."""


class ConfigurationError(ClassifiedError):
    """Credentials, permissions or environment are wrong."""


class UnknownError(ClassifiedError):
    """Not recognised."""


_BY_CATEGORY: dict[str, type[ClassifiedError]] = {
    "transient": TransientError,
    "rate_limit": RateLimitError,
    "network": NetworkError,
    "server": ServerError,
    "auth": AuthError,
    "validation": ValidationError,
    "signature": SignatureError,
    "duplicate": DuplicateError,
    "configuration": ConfigurationError,
    "unknown": UnknownError,
}
