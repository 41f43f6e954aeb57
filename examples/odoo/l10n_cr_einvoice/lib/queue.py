"""Retry-queue transitions and statistics for ``l10n_cr.einvoice.retry.queue``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import datetime, timedelta

from . import sched_adapter as sched

OPERATIONS = ("sign", "submit", "poll", "receiver_message")
STATES = ("pending", "processing", "done", "failed", "cancelled")
# lower number = handled first
OPERATION_PRIORITY = {"poll": 5, "submit": 10, "receiver_message": 15, "sign": 20}


def policy_for(settings: Mapping[str, object]) -> sched.RetryPolicy:
    """The retry policy of a company from its settings."""
    return sched.RetryPolicy(max_attempts=int(settings.get("l10n_cr_max_retry_attempts") or 5))


def on_failure(
    entry: Mapping[str, object],
    verdict: Mapping[str, object],
    *,
    policy: sched.RetryPolicy,
    now: datetime,
    sample: float = 0.0,
    retry_after: datetime | None = None,
) -> dict[str, object]:
    """Values to write on a queue entry after one more failed attempt.

    ``entry``: ``attempts`` (before this failure) and ``first_failure_at``.
    ``verdict``: classification values (``error_category``, ``retryable``, ``reason``).
    The result has the new ``state``, ``attempts``, ``next_attempt_at``, ``last_error`` and
    ``notify`` (True when the queue gave up and account managers must be told).
    """
    attempts = int(entry.get("attempts") or 0) + 1
    category = str(verdict.get("error_category") or "unknown")
    decision = policy.decide(
        category=category,
        retryable=bool(verdict.get("retryable")),
        attempts=attempts,
        now=now,
        first_failure_at=entry.get("first_failure_at") or now,  # type: ignore[arg-type]
        retry_after=retry_after,
        sample=sample,
    )
    vals: dict[str, object] = {
        "attempts": attempts,
        "error_category": category,
        "last_error": str(verdict.get("reason") or ""),
        "first_failure_at": entry.get("first_failure_at") or now,
    }
    if decision.retry:
        vals.update(state="pending", next_attempt_at=decision.retry_at, notify=False)
    else:
        vals.update(state="failed", next_attempt_at=None, give_up_reason=decision.reason, notify=True)
    return vals


def on_success() -> dict[str, object]:
    """Values after a successful attempt."""
    return {"state": "done", "next_attempt_at": None, "last_error": ""}


def on_retry_now(state: str, now: datetime) -> dict[str, object]:
    """Values for "retry now": any entry not done is due at once (failed/cancelled come back)."""
    if state == "done":
        raise ValueError("a done entry cannot be retried")
    return {"state": "pending", "next_attempt_at": now}


def on_cancel(state: str) -> dict[str, object]:
    """Values for "cancel"."""
    if state in ("done", "cancelled"):
        raise ValueError(f"a {state} entry cannot be cancelled")
    return {"state": "cancelled", "next_attempt_at": None}


def pick_due(entries: list[dict], *, now: datetime, limit: int) -> tuple[list[int], bool]:
    """Ids to process now and whether more are due (priority, then due time)."""
    return sched.select_due(entries, now=now, limit=limit)


def statistics(entries: list[Mapping[str, object]], *, now: datetime) -> dict[str, object]:
    """Queue statistics: by state, category and operation, oldest due, give-ups today."""
    today = now.date()
    due = [
        e["next_attempt_at"]
        for e in entries
        if e["state"] == "pending" and e.get("next_attempt_at") is not None
    ]
    return {
        "total": len(entries),
        "by_state": dict(Counter(str(e["state"]) for e in entries)),
        "by_category": dict(Counter(str(e.get("error_category") or "unknown") for e in entries)),
        "by_operation": dict(Counter(str(e["operation"]) for e in entries)),
        "oldest_due": min(due) if due else None,  # type: ignore[type-var]
        "overdue": sum(1 for d in due if d <= now),  # type: ignore[operator]
        "gave_up_today": sum(
            1
            for e in entries
            if e["state"] == "failed" and e.get("write_date") is not None and e["write_date"].date() == today  # type: ignore[union-attr]
        ),
    }


def cleanup_candidates(entries: list[Mapping[str, object]], *, now: datetime, days: int = 30) -> list[int]:
    """Ids of done/failed/cancelled entries last changed more than ``days`` ago."""
    limit = now - timedelta(days=days)
    return sorted(
        int(e["id"])  # type: ignore[call-overload]
        for e in entries
        if e["state"] in ("done", "failed", "cancelled") and e["write_date"] < limit  # type: ignore[operator]
    )
