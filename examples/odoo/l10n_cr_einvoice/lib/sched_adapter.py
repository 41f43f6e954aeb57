"""Scheduling rules while ``hacienda_cr``'s scheduling API is not available in the installed build.

ADAPTER MODULE. The scheduling engine (retry policy, queue transitions, poll planner, bulk
plans, rate limiter, circuit breaker, statistics, settings) belongs in ``hacienda_cr`` (Rust
core, modules ``backoff``/``queue``/``polling``/``bulk``/``stats``/``settings``). Until the
installed ``hacienda_cr`` exposes it, this module implements the same published rules in plain
Python so the addon works. :func:`native` tells which one is in use; the helpers in this
package call only the functions below, so switching is local to this file.

Rules (from the scheduling specification):

* retry delays 5 min, 15 min, 1 h, 4 h, 12 h for attempts 1-5, multiplied by category
  (transient 1.0, rate_limit 2.0, network 1.5, server 1.5, auth 3.0, validation 6.0);
  signature, duplicate and configuration failures give up at once; a later ``Retry-After``
  wins; jitter none/full/equal from a sample in [0, 1) passed by the caller.
* due queue entries: priority first (lower number first), then due time, ``limit`` items and
  whether more are due.
* polling: first polls soon after submission (5 s, 15 s, 1 min, 5 min) then every
  ``interval`` minutes; oldest due first; past ``max_hours`` a document needs attention.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import hacienda_cr as hc

BASE_DELAYS = (
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
    timedelta(hours=4),
    timedelta(hours=12),
)
MULTIPLIERS = {
    "transient": 1.0,
    "rate_limit": 2.0,
    "network": 1.5,
    "server": 1.5,
    "auth": 3.0,
    "validation": 6.0,
    "unknown": 1.0,
}
NEVER_RETRY = frozenset({"signature", "duplicate", "configuration"})
FIRST_POLL_STEPS = (
    timedelta(seconds=5),
    timedelta(seconds=10),
    timedelta(seconds=45),
    timedelta(minutes=4),
)


def native() -> bool:
    """True when the installed ``hacienda_cr`` provides the scheduling API itself."""
    return hasattr(hc, "RetryPolicy")


def _aware(value: datetime, name: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime")
    return value


@dataclass(frozen=True)
class RetryDecision:
    """What to do after a failure: retry at ``retry_at`` or give up with ``reason``."""

    retry: bool
    retry_at: datetime | None = None
    reason: str = ""

    def to_dict(self) -> dict[str, object]:
        return {"retry": self.retry, "retry_at": self.retry_at, "reason": self.reason}


@dataclass(frozen=True)
class RetryPolicy:
    """Retry policy of one company (keyword-only, immutable)."""

    max_attempts: int = 5
    max_elapsed: timedelta | None = None
    jitter: str = "none"
    delays: tuple[timedelta, ...] = BASE_DELAYS
    multipliers: dict[str, float] = field(default_factory=lambda: dict(MULTIPLIERS))

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.jitter not in ("none", "full", "equal"):
            raise ValueError(f"unknown jitter mode {self.jitter!r}")
        if not self.delays:
            raise ValueError("delays must not be empty")

    def delay(self, category: str, attempt: int, sample: float = 0.0) -> timedelta:
        """Delay before retry number ``attempt`` (1-based) of a failure of ``category``."""
        base = self.delays[min(max(attempt, 1), len(self.delays)) - 1]
        seconds = base.total_seconds() * self.multipliers.get(category, 1.0)
        if not 0.0 <= sample < 1.0:
            raise ValueError("sample must be in [0, 1)")
        if self.jitter == "full":
            seconds *= sample
        elif self.jitter == "equal":
            seconds = seconds / 2 + seconds / 2 * sample
        return timedelta(seconds=math.floor(seconds))

    def decide(
        self,
        *,
        category: str,
        retryable: bool,
        attempts: int,
        now: datetime,
        first_failure_at: datetime | None = None,
        retry_after: datetime | None = None,
        sample: float = 0.0,
    ) -> RetryDecision:
        """Decide after failure number ``attempts`` (1-based) of one operation."""
        _aware(now, "now")
        if category in NEVER_RETRY or not retryable:
            return RetryDecision(False, reason=f"{category} failures are not retried")
        if attempts >= self.max_attempts:
            return RetryDecision(False, reason=f"gave up after {attempts} attempts")
        at = now + self.delay(category, attempts, sample)
        if retry_after is not None and _aware(retry_after, "retry_after") > at:
            at = retry_after
        if (
            self.max_elapsed is not None
            and first_failure_at is not None
            and at - _aware(first_failure_at, "first_failure_at") > self.max_elapsed
        ):
            return RetryDecision(False, reason="the maximum retry time has passed")
        return RetryDecision(True, retry_at=at)


def select_due(entries: list[dict], *, now: datetime, limit: int) -> tuple[list[int], bool]:
    """Ids of the pending entries due at ``now``: priority, then due time, then id.

    ``entries`` are dicts with ``id``, ``priority``, ``next_attempt_at`` and ``state``.
    Returns ``(ids, more)`` where ``more`` says whether more entries are due than ``limit``.
    """
    _aware(now, "now")
    if limit < 1:
        raise ValueError("limit must be at least 1")
    due = [
        e
        for e in entries
        if e["state"] == "pending" and e["next_attempt_at"] is not None and e["next_attempt_at"] <= now
    ]
    due.sort(key=lambda e: (e["priority"], e["next_attempt_at"], e["id"]))
    return [e["id"] for e in due[:limit]], len(due) > limit


def next_poll_at(
    *, submitted_at: datetime, last_poll_at: datetime | None, poll_count: int, interval: timedelta
) -> datetime:
    """When a submitted document is next due for a status query."""
    base = last_poll_at or submitted_at
    step = FIRST_POLL_STEPS[poll_count] if poll_count < len(FIRST_POLL_STEPS) else interval
    return base + min(step, interval)


@dataclass(frozen=True)
class PollPlan:
    """Documents to poll now, documents that left polling, and whether more are due."""

    poll_ids: list[int]
    expired_ids: list[int]
    more: bool

    def to_dict(self) -> dict[str, object]:
        return {"poll_ids": self.poll_ids, "expired_ids": self.expired_ids, "more": self.more}


def plan_polls(
    documents: list[dict],
    *,
    now: datetime,
    enabled: bool,
    interval_minutes: int,
    max_hours: int,
    batch_size: int,
) -> PollPlan:
    """Pick the documents to poll now among ``documents`` (dicts with ``id``, ``state``,
    ``submitted_at``, ``last_poll_at``, ``poll_count``). Oldest due first, never more than
    ``batch_size``; documents older than ``max_hours`` are reported as expired."""
    _aware(now, "now")
    if not enabled:
        return PollPlan([], [], False)
    interval = timedelta(minutes=interval_minutes)
    deadline = timedelta(hours=max_hours)
    due: list[tuple[datetime, int]] = []
    expired: list[int] = []
    for doc in documents:
        if doc["state"] != "submitted" or doc["submitted_at"] is None:
            continue
        if now - doc["submitted_at"] > deadline:
            expired.append(doc["id"])
            continue
        at = next_poll_at(
            submitted_at=doc["submitted_at"],
            last_poll_at=doc["last_poll_at"],
            poll_count=doc["poll_count"],
            interval=interval,
        )
        if at <= now:
            due.append((at, doc["id"]))
    due.sort()
    return PollPlan([i for _, i in due[:batch_size]], sorted(expired), len(due) > batch_size)


@dataclass(frozen=True)
class BulkBatch:
    """One batch of a bulk plan: document ids and the offset (seconds) to start it at."""

    index: int
    ids: list[int]
    start_offset: float

    def to_dict(self) -> dict[str, object]:
        return {"index": self.index, "ids": self.ids, "start_offset": self.start_offset}


def plan_bulk(
    ids: list[int],
    *,
    batch_size: int,
    batch_delay: float,
    max_concurrent: int,
    per_minute: int | None = None,
) -> list[BulkBatch]:
    """Split ``ids`` into batches: ``max_concurrent`` batches start together, the next group
    ``batch_delay`` seconds later, and never more than ``per_minute`` documents start in any
    minute."""
    if batch_size < 1 or max_concurrent < 1 or batch_delay < 0:
        raise ValueError("batch_size and max_concurrent must be >= 1, batch_delay >= 0")
    batches = []
    for index, start in enumerate(range(0, len(ids), batch_size)):
        offset = (index // max_concurrent) * batch_delay
        if per_minute:
            offset = max(offset, (start // per_minute) * 60.0)
        batches.append(BulkBatch(index, ids[start : start + batch_size], offset))
    return batches


def rate_admit(
    history: list[datetime], *, now: datetime, wanted: int, per_minute: int
) -> tuple[int, list[datetime]]:
    """Sliding one-minute window: how many of ``wanted`` requests may go now, and the new
    history (timestamps of the last minute, to be stored by the host)."""
    _aware(now, "now")
    window = [t for t in history if now - t < timedelta(minutes=1)]
    admitted = max(0, min(wanted, per_minute - len(window)))
    return admitted, window + [now] * admitted


def breaker_allows(state: dict, *, now: datetime, cooldown: timedelta) -> tuple[bool, dict]:
    """Circuit breaker (closed / open / half_open): whether a request may go now."""
    _aware(now, "now")
    if state.get("state") == "open":
        if now - state["opened_at"] >= cooldown:
            return True, {**state, "state": "half_open"}
        return False, state
    return True, state or {"state": "closed", "failures": 0, "opened_at": None}


def breaker_record(state: dict, *, success: bool, now: datetime, threshold: int) -> dict:
    """Record an outcome: success closes the breaker, ``threshold`` failures in a row (or a
    failed probe while half-open) open it."""
    _aware(now, "now")
    if success:
        return {"state": "closed", "failures": 0, "opened_at": None}
    failures = int(state.get("failures", 0)) + 1
    if state.get("state") == "half_open" or failures >= threshold:
        return {"state": "open", "failures": failures, "opened_at": now}
    return {"state": "closed", "failures": failures, "opened_at": None}
