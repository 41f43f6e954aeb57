"""The addon's link to Hacienda: ``hacienda_cr.Client``, one per company and environment,
cached in the worker process, and the values the models write from its answers.

The client (Rust, rustls) logs in to the IdP, refreshes the token before it expires, renews it
once on a 401, paces requests, waits out a short ``Retry-After`` and releases the GIL during
network work. A submission whose answer was lost is followed by a status query, never by a
second POST: ``delivery`` says ``received`` / ``already_received`` (Hacienda has it: poll),
``failed`` (it has not: the classification says whether and when to retry) or ``unknown`` (it
may have it: poll before anything else). Credentials come from the company on every call; when
they change the cached client is replaced. Passwords and tokens never reach a log, a repr, an
exception text or a screen.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import hacienda_cr as hc

from .responses import classification_values

# Status queries in flight at once for one cron batch (Hacienda allows ~100 GETs a minute; the
# client's own pacing keeps to that, this only bounds the sockets open together).
POLL_CONCURRENCY = 10
# Longest wait the client accepts for a 429's Retry-After before answering rate_limit (the
# retry queue then reschedules): short, since a cron or an HTTP request is waiting.
MAX_RATE_LIMIT_WAIT = 5.0

_KEY = secrets.token_bytes(32)  # per process: fingerprints are useless outside it
_lock = threading.Lock()
_clients: dict[tuple[int, str], tuple[bytes, hc.Client]] = {}


class MissingCredentials(ValueError):
    """The company has no Hacienda API user or password."""


def _fingerprint(environment: str, username: str, password: str) -> bytes:
    text = "\0".join((environment, username, password)).encode()
    return hmac.new(_KEY, text, hashlib.sha256).digest()


def get_client(company_id: int, environment: str, username: str, password: str, **options: Any) -> hc.Client:
    """The cached client of one company and environment, created on first use and replaced
    when the credentials differ from the cached one's. ``environment``: ``sandbox``,
    ``production`` or a base URL (a loopback simulator in tests); ``options`` go to
    ``hacienda_cr.Client`` when a new client is made."""
    if not username or not password:
        raise MissingCredentials("Hacienda credentials are not configured for this company")
    key = (company_id, environment)
    fingerprint = _fingerprint(environment, username, password)
    with _lock:
        cached = _clients.get(key)
        if cached is not None and hmac.compare_digest(cached[0], fingerprint):
            return cached[1]
        options.setdefault("max_rate_limit_wait", MAX_RATE_LIMIT_WAIT)
        client = hc.Client(username=username, password=password, environment=environment, **options)
        _clients[key] = (fingerprint, client)
        return client


def invalidate(company_id: int | None = None) -> int:
    """Forget the cached clients of ``company_id`` (all when None); how many were dropped."""
    with _lock:
        keys = [k for k in _clients if company_id is None or k[0] == company_id]
        for k in keys:
            del _clients[k]
        return len(keys)


def cached_count() -> int:
    """How many clients this process holds."""
    with _lock:
        return len(_clients)


def missing_credentials_verdict() -> dict[str, object]:
    """Failure values for a company without credentials (not retried: a person must act)."""
    vals = classification_values(None)
    vals.update(
        error_category="configuration",
        retryable=False,
        reason="Hacienda credentials are not configured for this company",
        hint_en="Set the Hacienda API user and password in the settings.",
        hint_es="Configure el usuario y la contraseña de la API de Hacienda en los ajustes.",
    )
    return vals


def _failure(c: hc.Classification | None, fallback: str) -> dict[str, object]:
    vals = classification_values(c)
    vals["reason"] = (c.reason or c.hint_en) if c else fallback
    return vals


def submit(client: Any, request: hc.SubmissionRequest, *, now: datetime) -> dict[str, object]:
    """Submit once. Values: ``delivery`` (see the module doc), ``may_have_it`` (True unless
    Hacienda certainly does not have it: never submit again then), the failure's
    classification values and ``reason``, ``retry_after`` (aware, or None)."""
    r = client.submit(request)
    delivery = str(r.delivery)
    vals = _failure(r.classification, "" if delivery != "unknown" else "the submission's fate is unknown")
    vals["delivery"] = delivery
    vals["may_have_it"] = delivery != "failed"
    vals["retry_after"] = r.outcome.retry_after(now) if r.outcome is not None else None
    return vals


def status_values(answer: Any, *, now: datetime) -> dict[str, object]:
    """Values of one status query result (a ``StatusAnswer`` or the exception instance
    ``poll_many`` puts in its place): ``report`` (``hacienda_cr.StatusReport``, None when the
    query failed), ``not_found`` (Hacienda answered 404: it does not have the document),
    the failure's classification values, ``reason`` and ``retry_after``."""
    if isinstance(answer, BaseException):
        c = getattr(answer, "classification", None)
        vals = _failure(c, str(answer))
        if c is None:
            vals["error_category"] = "configuration" if isinstance(answer, hc.SettingsError) else "unknown"
        vals.update(report=None, not_found=False, retry_after=None)
        return vals
    vals = _failure(answer.classification, "")
    vals["report"] = answer.report
    vals["not_found"] = answer.report is None and answer.http_status == 404
    vals["retry_after"] = answer.retry_after(now)
    return vals


def poll_many(
    client: Any, keys: Sequence[str], *, now: datetime, concurrency: int = POLL_CONCURRENCY
) -> list[dict[str, object]]:
    """Query the status of ``keys`` (claves, or ``clave-consecutivo``) in one call, at most
    ``concurrency`` at a time with the GIL released; :func:`status_values` per key, in order."""
    if not keys:
        return []
    answers = client.poll_many(list(keys), concurrency=max(1, min(concurrency, len(keys))))
    return [status_values(a, now=now) for a in answers]
