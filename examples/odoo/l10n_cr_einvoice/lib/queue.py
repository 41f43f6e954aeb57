"""Retry-queue transitions and statistics for ``l10n_cr.einvoice.retry.queue``.

Odoo rows go in as dicts, ``hacienda_cr`` decides (retry policy, transitions, due selection),
values to write come out. Datetimes are timezone-aware on this side.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import hacienda_cr as hc

from .settings import from_values

OPERATIONS = ("sign", "submit", "poll", "receiver_message")
# higher = handled first (hacienda_cr's select_due order)
OPERATION_PRIORITY = {"poll": 20, "submit": 15, "receiver_message": 10, "sign": 5}


def policy_for(settings: Mapping[str, object]):
    """The company's ``hacienda_cr.RetryPolicy`` (max attempts, retries on/off)."""
    return hc.RetryPolicy.from_settings(from_values(settings))


def _entry(row: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    """A queue row in ``hacienda_cr``'s entry shape."""
    return {
        "id": int(row.get("id") or 0),
        "document_ref": str(row.get("document_ref") or row.get("document_id") or ""),
        "operation": row.get("operation") or "submit",
        "created_at": row.get("created_at") or now,
        "attempts": int(row.get("attempts") or 0),
        "category": row.get("error_category") or None,
        "priority": int(row.get("priority") or 0),
        "next_attempt_at": row.get("next_attempt_at"),
        "state": row.get("state") or "pending",
        "first_failure_at": row.get("first_failure_at"),
        "updated_at": row.get("updated_at"),
    }


def _vals(entry: Any) -> dict[str, Any]:
    return {"state": str(entry.state), "next_attempt_at": entry.next_attempt_at}


def on_failure(
    row: Mapping[str, Any],
    verdict: Mapping[str, object],
    *,
    policy: Any,
    now: datetime,
    sample: float = 0.0,
    retry_after: datetime | None = None,
) -> dict[str, Any]:
    """Values to write on a queue entry after one more failed attempt.

    ``verdict``: classification values (``error_category``, ``reason``). The result has
    ``state``, ``attempts``, ``next_attempt_at``, ``first_failure_at``, ``error_category``,
    ``last_error``, ``give_up_reason`` and ``notify`` (True when the queue gave up).
    """
    category = str(verdict.get("error_category") or "unknown")
    reason = str(verdict.get("reason") or "")
    t = hc.queue_on_failure(
        policy, _entry(row, now), category, now, sample, retry_after=retry_after, error=reason or None
    )
    vals = _vals(t.entry)
    vals.update(
        attempts=t.entry.attempts,
        first_failure_at=t.entry.first_failure_at,
        error_category=category,
        last_error=reason,
        give_up_reason=str(t.decision.reason) if t.decision.reason else "",
        notify=bool(t.notify),
    )
    return vals


def on_success(row: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    """Values after a successful attempt."""
    return _vals(hc.queue_on_success(_entry(row, now), now))


def on_retry_now(row: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    """Values for "retry now" (pending, failed or cancelled entries become due now)."""
    return _vals(hc.queue_retry_now(_entry(row, now), now))


def on_cancel(row: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    """Values for "cancel" (not from done)."""
    return _vals(hc.queue_cancel(_entry(row, now), now))


def pick_due(rows: list[Mapping[str, Any]], *, now: datetime, limit: int) -> tuple[list[int], bool]:
    """Ids to process now (highest priority, then earliest due) and whether more are due."""
    return hc.select_due([_entry(r, now) for r in rows], now, limit)


def statistics(rows: list[Mapping[str, Any]], *, now: datetime) -> dict[str, object]:
    """Queue statistics: by state, category and operation, due now, oldest due, give-ups today."""
    s = hc.queue_statistics([_entry(r, now) for r in rows], now)
    return {
        "total": s.total,
        "by_state": dict(s.by_state),
        "by_category": dict(s.by_category),
        "by_operation": dict(s.by_operation),
        "due_now": s.due_now,
        "oldest_due_at": s.oldest_due_at,
        "give_ups_today": s.give_ups_today,
    }


def cleanup_candidates(rows: list[Mapping[str, Any]], *, now: datetime, days: int = 30) -> list[int]:
    """Ids of done/failed/cancelled entries last changed more than ``days`` ago."""
    return list(hc.cleanup_candidates([_entry(r, now) for r in rows], now, days))
