"""Pure-Python stand-in for ``hacienda_cr``'s scheduling API (see :mod:`.sched_adapter`).

Same names, signatures and documented rules as ``hacienda_cr`` (docs/scheduling.md of the
hacienda-cr repository), for an installed ``hacienda_cr`` built before that API existed.
Only what the addon uses is implemented. Results are frozen objects read by attribute.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

import hacienda_cr as hc

CR_TZ = timezone(timedelta(hours=-6))
MULTIPLIERS = {
    "transient": 1.0,
    "rate_limit": 2.0,
    "network": 1.5,
    "server": 1.5,
    "auth": 3.0,
    "validation": 6.0,
    "unknown": 1.0,
}
OUTAGE = frozenset({"transient", "network", "server", "rate_limit"})
FIRST_POLL_STEPS = (5, 15, 30, 60, 120, 300)
FINAL = frozenset({"aceptado", "rechazado", "error"})

_SETTINGS = {
    # name: (default, minimum, maximum, label) ; bounds None for booleans
    "auto_polling_enabled": (True, None, None, ""),
    "polling_interval": (15, 1, 1440, "polling interval"),
    "polling_max_hours": (24, 1, 720, "maximum polling time"),
    "polling_batch_size": (50, 1, 10000, "polling batch size"),
    "batch_size": (50, 1, 1000, "batch size"),
    "batch_delay": (5, 0, 3600, "batch delay"),
    "max_concurrent_batches": (3, 1, 50, "concurrent batches"),
    "auto_retry_enabled": (True, None, None, ""),
    "max_retry_attempts": (5, 0, 50, "maximum retry attempts"),
    "store_responses": (True, None, None, ""),
    "response_retention_days": (90, 1, 3650, "response retention"),
    "queue_retention_days": (30, 1, 3650, "queue retention"),
}


def _aware(value: datetime | None, name: str) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise TypeError(f"{name} must be a timezone-aware datetime")
    return value.astimezone(timezone.utc)


def _rows(records: Any) -> list[Mapping[str, Any]]:
    if isinstance(records, Mapping):
        keys = list(records)
        n = len(records[keys[0]]) if keys else 0
        return [{k: records[k][i] for k in keys} for i in range(n)]
    return list(records)


class Settings:
    """Company settings with defaults and validation."""

    def __init__(self, **values: Any) -> None:
        unknown = set(values) - set(_SETTINGS)
        if unknown:
            raise TypeError(f"unknown settings {sorted(unknown)}")
        for name, (default, *_rest) in _SETTINGS.items():
            object.__setattr__(self, name, values.get(name, default))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Settings is frozen")

    @staticmethod
    def from_dict(values: Mapping[str, Any]) -> Settings:
        clean = {}
        for key, value in values.items():
            name = key.removeprefix("l10n_cr_")
            if name in _SETTINGS and value is not None:
                clean[name] = value
        return Settings(**clean)

    def problems(self) -> list[tuple[str, str]]:
        out = []
        for name, (_default, low, high, label) in _SETTINGS.items():
            value = getattr(self, name)
            if low is None:
                if not isinstance(value, bool):
                    out.append((name, f"{name} must be true or false"))
            elif isinstance(value, bool) or not isinstance(value, int):
                out.append((name, f"{label} must be a whole number"))
            elif not low <= value <= high:
                out.append((name, f"{label} must be between {low} and {high} (got {value})"))
        return out

    def validate(self) -> None:
        problems = self.problems()
        if problems:
            name, message = problems[0]
            raise hc.SettingsError(message, kind="settings", field=name)

    def to_dict(self, *, prefixed: bool = False) -> dict[str, Any]:
        prefix = "l10n_cr_" if prefixed else ""
        return {prefix + name: getattr(self, name) for name in _SETTINGS}


@dataclass(frozen=True)
class RetryPolicy:
    delays: Sequence[float] = (300, 900, 3600, 14400, 43200)
    multipliers: Mapping[str, float] | None = None
    max_attempts: int = 5
    max_elapsed: float | None = None
    max_delay: float = 86400
    jitter: str = "none"
    enabled: bool = True

    @staticmethod
    def from_settings(settings: Settings) -> RetryPolicy:
        return RetryPolicy(max_attempts=settings.max_retry_attempts, enabled=settings.auto_retry_enabled)

    def _multiplier(self, category: str) -> float | None:
        table = (
            dict(MULTIPLIERS)
            if self.multipliers is None
            else {str(k): v for k, v in self.multipliers.items()}
        )
        return table.get(str(category))

    def delay(self, category: str, attempts: int, sample: float = 0.0) -> timedelta | None:
        if not 0.0 <= sample < 1.0:
            raise ValueError("sample must be in [0, 1)")
        m = self._multiplier(category)
        if m is None:
            return None
        n = max(attempts, 1)
        d = float(self.delays[min(n, len(self.delays)) - 1]) * m
        if self.jitter == "full":
            d *= sample
        elif self.jitter == "equal":
            d = d / 2 + d / 2 * sample
        elif self.jitter == "decorrelated":
            p = float(self.delays[min(max(n - 1, 1), len(self.delays)) - 1]) * m
            d = p + sample * 2 * p
        return timedelta(milliseconds=math.floor(min(d, self.max_delay) * 1000))


@dataclass(frozen=True)
class RetryDecision:
    retry: bool
    at: datetime | None = None
    delay: timedelta | None = None
    reason: str | None = None
    from_retry_after: bool = False


def plan_retry(
    policy: RetryPolicy,
    category: str,
    attempts: int,
    first_failure_at: datetime,
    now: datetime,
    sample: float = 0.0,
    retry_after: datetime | None = None,
) -> RetryDecision:
    now = _aware(now, "now")
    first = _aware(first_failure_at, "first_failure_at")
    if not policy.enabled:
        return RetryDecision(False, reason="retry_disabled")
    delay = policy.delay(category, attempts, sample)
    if delay is None:
        return RetryDecision(False, reason="not_retryable")
    if attempts > policy.max_attempts:
        return RetryDecision(False, reason="max_attempts")
    at, from_ra = now + delay, False
    retry_after = _aware(retry_after, "retry_after")
    if retry_after is not None and retry_after > at:
        at, from_ra = retry_after, True
    if policy.max_elapsed is not None and at > first + timedelta(seconds=policy.max_elapsed):
        return RetryDecision(False, reason="max_elapsed")
    return RetryDecision(True, at=at, delay=at - now, from_retry_after=from_ra)


@dataclass(frozen=True)
class QueueEntry:
    id: int
    document_ref: str
    operation: str
    created_at: datetime
    attempts: int = 0
    category: str | None = None
    priority: int = 0
    next_attempt_at: datetime | None = None
    state: str = "pending"
    last_error: str | None = None
    first_failure_at: datetime | None = None
    updated_at: datetime | None = None

    @staticmethod
    def from_dict(values: Mapping[str, Any]) -> QueueEntry:
        names = QueueEntry.__dataclass_fields__
        kw = {k: v for k, v in values.items() if k in names}
        for key in ("created_at", "next_attempt_at", "first_failure_at", "updated_at"):
            if key in kw:
                kw[key] = _aware(kw[key], key)
        return QueueEntry(**kw)

    def replace(self, **changes: Any) -> QueueEntry:
        return QueueEntry(**{**self.__dict__, **changes})


def _entry(entry: QueueEntry | Mapping[str, Any]) -> QueueEntry:
    return entry if isinstance(entry, QueueEntry) else QueueEntry.from_dict(entry)


@dataclass(frozen=True)
class QueueTransition:
    entry: QueueEntry
    decision: RetryDecision
    notify: bool


def queue_on_failure(
    policy: RetryPolicy,
    entry: QueueEntry | Mapping[str, Any],
    category: str,
    now: datetime,
    sample: float = 0.0,
    retry_after: datetime | None = None,
    error: str | None = None,
) -> QueueTransition:
    e = _entry(entry)
    now = _aware(now, "now")
    attempts = e.attempts + 1
    first = e.first_failure_at or now
    d = plan_retry(policy, category, attempts, first, now, sample, retry_after)
    new = e.replace(
        attempts=attempts,
        category=str(category),
        first_failure_at=first,
        last_error=error,
        updated_at=now,
        state="pending" if d.retry else "failed",
        next_attempt_at=d.at if d.retry else None,
    )
    return QueueTransition(new, d, not d.retry)


def queue_on_success(entry: QueueEntry | Mapping[str, Any], now: datetime) -> QueueEntry:
    return _entry(entry).replace(state="done", next_attempt_at=None, updated_at=_aware(now, "now"))


def queue_retry_now(entry: QueueEntry | Mapping[str, Any], now: datetime) -> QueueEntry:
    e = _entry(entry)
    if e.state not in ("pending", "failed", "cancelled"):
        raise ValueError(f"a {e.state} entry cannot be retried")
    now = _aware(now, "now")
    return e.replace(state="pending", next_attempt_at=now, updated_at=now)


def queue_cancel(entry: QueueEntry | Mapping[str, Any], now: datetime) -> QueueEntry:
    e = _entry(entry)
    if e.state == "done":
        raise ValueError("a done entry cannot be cancelled")
    return e.replace(state="cancelled", next_attempt_at=None, updated_at=_aware(now, "now"))


def select_due(entries: Any, now: datetime, limit: int) -> tuple[list[int], bool]:
    now = _aware(now, "now")
    if limit < 1:
        raise ValueError("limit must be at least 1")
    due = []
    for r in _rows(entries):
        at = _aware(r.get("next_attempt_at"), "next_attempt_at")
        if r.get("state", "pending") == "pending" and (at is None or at <= now):
            due.append(
                (-int(r.get("priority") or 0), at or datetime.min.replace(tzinfo=timezone.utc), r["id"])
            )
    due.sort()
    return [d[2] for d in due[:limit]], len(due) > limit


@dataclass(frozen=True)
class QueueStatistics:
    total: int
    by_state: dict[str, int]
    by_category: dict[str, int]
    by_operation: dict[str, int]
    due_now: int
    oldest_due_at: datetime | None
    give_ups_today: int


def queue_statistics(entries: Any, now: datetime) -> QueueStatistics:
    now = _aware(now, "now")
    rows = _rows(entries)
    today = now.astimezone(CR_TZ).date()
    due = [
        _aware(r.get("next_attempt_at"), "next_attempt_at")
        for r in rows
        if r.get("state") == "pending" and r.get("next_attempt_at") is not None
    ]
    return QueueStatistics(
        total=len(rows),
        by_state=dict(Counter(str(r.get("state")) for r in rows)),
        by_category=dict(Counter(str(r["category"]) for r in rows if r.get("category"))),
        by_operation=dict(Counter(str(r.get("operation")) for r in rows)),
        due_now=sum(1 for d in due if d <= now),
        oldest_due_at=min(due) if due else None,
        give_ups_today=sum(
            1
            for r in rows
            if r.get("state") == "failed"
            and r.get("updated_at") is not None
            and _aware(r["updated_at"], "updated_at").astimezone(CR_TZ).date() == today
        ),
    )


def cleanup_candidates(entries: Any, now: datetime, days: int = 30) -> list[int]:
    limit = _aware(now, "now") - timedelta(days=days)
    out = []
    for r in _rows(entries):
        stamp = _aware(r.get("updated_at") or r.get("created_at"), "updated_at")
        if r.get("state") in ("done", "failed", "cancelled") and stamp is not None and stamp < limit:
            out.append(int(r["id"]))
    return sorted(out)


def _step(poll_count: int, interval: timedelta) -> timedelta:
    if poll_count < len(FIRST_POLL_STEPS):
        return min(timedelta(seconds=FIRST_POLL_STEPS[poll_count]), interval)
    return interval


def next_poll_at(
    submitted_at: datetime, poll_count: int, last_polled_at: datetime | None, settings: Settings
) -> datetime:
    base = _aware(last_polled_at, "last_polled_at") or _aware(submitted_at, "submitted_at")
    return base + _step(poll_count, timedelta(minutes=settings.polling_interval))


@dataclass(frozen=True)
class PollPlan:
    batch: list[int]
    expired: list[int]
    more: bool
    due_count: int
    next_due_at: datetime | None


def plan_polls(documents: Any, now: datetime, settings: Settings) -> PollPlan:
    now = _aware(now, "now")
    settings.validate()
    if not settings.auto_polling_enabled:
        return PollPlan([], [], False, 0, None)
    deadline = timedelta(hours=settings.polling_max_hours)
    due: list[tuple[datetime, int]] = []
    expired: list[int] = []
    for d in _rows(documents):
        if d.get("state") in FINAL:
            continue
        sub = _aware(d["submitted_at"], "submitted_at")
        if now - sub >= deadline:
            expired.append(int(d["id"]))
            continue
        at = next_poll_at(sub, int(d.get("poll_count") or 0), d.get("last_polled_at"), settings)
        if at <= now:
            due.append((at, int(d["id"])))
    due.sort()
    size = settings.polling_batch_size
    rest = due[size:]
    return PollPlan(
        [i for _, i in due[:size]], sorted(expired), bool(rest), len(due), rest[0][0] if rest else None
    )


@dataclass(frozen=True)
class RateDecision:
    requested: int
    admitted: int
    allowed: bool
    limited_by: str | None
    retry_at: datetime | None
    stored: dict[str, Any]


class RateLimiter:
    """Sliding 60-second windows; state ``{"post": [iso, ...], "get": [...], ...}``."""

    def __init__(
        self,
        *,
        requests_per_minute: int = 300,
        posts_per_minute: int = 100,
        gets_per_minute: int = 100,
        tokens_per_minute: int = 10,
        auth_failures_per_minute: int = 5,
    ) -> None:
        self.limits = {
            "requests": requests_per_minute,
            "post": posts_per_minute,
            "get": gets_per_minute,
            "token": tokens_per_minute,
            "auth_failures": auth_failures_per_minute,
        }

    @staticmethod
    def _window(state: Mapping[str, Any] | None, key: str, now: datetime) -> list[datetime]:
        stamps = [datetime.fromisoformat(s) for s in (state or {}).get(key, [])]
        return sorted(t for t in stamps if now - t < timedelta(minutes=1))

    def _earliest(self, windows: dict[str, list[datetime]], keys: list[str], count: int, now: datetime):
        at = now
        for key in keys:
            w, limit = windows[key], self.limits[key]
            if count > limit:
                return None, key
            excess = len(w) + count - limit
            if excess > 0:
                at = max(at, w[excess - 1] + timedelta(minutes=1))
        return at, None

    def admit(
        self, state: Mapping[str, Any] | None, kind: str, now: datetime, count: int = 1
    ) -> RateDecision:
        now = _aware(now, "now")
        keys = ["requests", str(kind)]
        windows = {
            k: self._window(state, k, now) for k in ("requests", "post", "get", "token", "auth_failures")
        }
        stored = {k: [t.isoformat() for t in v] for k, v in windows.items()}
        if len(windows["auth_failures"]) >= self.limits["auth_failures"]:
            retry = windows["auth_failures"][0] + timedelta(minutes=1)
            return RateDecision(count, 0, False, "auth_failures", retry, stored)
        at, too_big = self._earliest(windows, keys, count, now)
        if at is None or at > now:
            return RateDecision(count, 0, False, too_big or str(kind), at, stored)
        for k in keys:
            stored[k] += [now.isoformat()] * count
        return RateDecision(count, count, True, None, None, stored)

    def record_auth_failure(self, state: Mapping[str, Any] | None, now: datetime) -> RateDecision:
        now = _aware(now, "now")
        stored = {k: [t.isoformat() for t in self._window(state, k, now)] for k in self.limits}
        stored["auth_failures"].append(now.isoformat())
        return RateDecision(0, 0, True, None, None, stored)


@dataclass(frozen=True)
class BreakerDecision:
    allowed: bool
    state: str
    changed: bool
    retry_at: datetime | None
    stored: dict[str, Any] = field(default_factory=dict)


class CircuitBreaker:
    """closed -> open after ``failure_threshold`` consecutive outage failures; open ->
    half_open after ``open_seconds``; a probe success closes, a failure re-opens."""

    def __init__(self, *, failure_threshold: int = 5, open_seconds: int = 60, **_ignored: int) -> None:
        self.failure_threshold = failure_threshold
        self.open_seconds = open_seconds

    @staticmethod
    def _load(state: Mapping[str, Any] | None) -> dict[str, Any]:
        s = dict(state or {})
        return {
            "state": s.get("state", "closed"),
            "failures": int(s.get("failures", 0)),
            "since": s.get("since"),
        }

    def allow(self, state: Mapping[str, Any] | None, now: datetime) -> BreakerDecision:
        now = _aware(now, "now")
        s = self._load(state)
        if s["state"] == "open":
            reopen = datetime.fromisoformat(s["since"]) + timedelta(seconds=self.open_seconds)
            if now < reopen:
                return BreakerDecision(False, "open", False, reopen, s)
            s.update(state="half_open", since=now.isoformat())
            return BreakerDecision(True, "half_open", True, None, s)
        return BreakerDecision(True, s["state"], False, None, s)

    def on_success(self, state: Mapping[str, Any] | None, now: datetime) -> BreakerDecision:
        s = self._load(state)
        changed = s["state"] != "closed"
        return BreakerDecision(
            True,
            "closed",
            changed,
            None,
            {"state": "closed", "failures": 0, "since": _aware(now, "now").isoformat()},
        )

    def on_failure(
        self, state: Mapping[str, Any] | None, now: datetime, category: str = "server"
    ) -> BreakerDecision:
        if str(category) not in OUTAGE:
            return self.on_success(state, now)
        now = _aware(now, "now")
        s = self._load(state)
        failures = s["failures"] + 1
        if s["state"] == "half_open" or failures >= self.failure_threshold:
            reopen = now + timedelta(seconds=self.open_seconds)
            return BreakerDecision(
                False,
                "open",
                s["state"] != "open",
                reopen,
                {"state": "open", "failures": failures, "since": now.isoformat()},
            )
        return BreakerDecision(True, "closed", False, None, {**s, "failures": failures})


@dataclass(frozen=True)
class BulkBatch:
    index: int
    ids: list[int]
    wave: int
    start_at: datetime


@dataclass(frozen=True)
class BulkPlan:
    operation: str
    batches: list[BulkBatch]
    total: int
    finish_at: datetime


def plan_bulk(
    ids: Sequence[int],
    operation: str,
    now: datetime,
    settings: Settings,
    limiter: RateLimiter | None = None,
    rate_state: Mapping[str, Any] | None = None,
) -> BulkPlan:
    now = _aware(now, "now")
    settings.validate()
    kind = {"sign": None, "submit": "post", "receiver_message": "post", "poll": "get"}[str(operation)]
    size, conc = settings.batch_size, settings.max_concurrent_batches
    state = dict(rate_state or {})
    batches, previous = [], now
    for index, start in enumerate(range(0, len(ids), size)):
        chunk = list(ids[start : start + size])
        wave = index // conc
        at = max(now + timedelta(seconds=settings.batch_delay * wave), previous)
        if limiter is not None and kind is not None:
            windows = {
                k: limiter._window(state, k, at)
                for k in ("requests", "post", "get", "token", "auth_failures")
            }
            earliest, too_big = limiter._earliest(windows, ["requests", kind], len(chunk), at)
            if earliest is None:
                raise hc.SettingsError(f"a batch of {len(chunk)} does not fit the per-minute {too_big} limit")
            at = earliest
            for k in ("requests", kind):
                state[k] = [t.isoformat() for t in limiter._window(state, k, at)] + [at.isoformat()] * len(
                    chunk
                )
        previous = at
        batches.append(BulkBatch(index, chunk, wave, at))
    return BulkPlan(str(operation), batches, len(ids), previous)


@dataclass(frozen=True)
class ResponseStatistics:
    total: int
    by_kind: dict[str, int]
    by_result: dict[str, int]
    by_code: dict[int, int]
    top_codes: list[tuple[int, int]]


def response_statistics(responses: Any, top: int = 10) -> ResponseStatistics:
    rows = _rows(responses)
    kinds: Counter[str] = Counter()
    results: Counter[str] = Counter()
    codes: Counter[int] = Counter()
    for r in rows:
        if r.get("kind"):
            kinds[str(r["kind"])] += 1
        if r.get("result"):
            results[str(r["result"])] += 1
        codes.update(int(c) for c in r.get("codes") or [])
    ranked = sorted(codes.items(), key=lambda kv: (-kv[1], kv[0]))
    return ResponseStatistics(len(rows), dict(kinds), dict(results), dict(codes), ranked[:top])


@dataclass(frozen=True)
class Dashboard:
    total: int
    by_state: dict[str, int]
    acceptance_rate: float | None
    avg_answer_seconds: float | None
    p95_answer_seconds: float | None
    submitted_today: int
    accepted_today: int
    rejected_today: int
    pending_submissions: int
    awaiting_answer: int
    retry_queue_size: int


def dashboard(documents: Any, now: datetime, retry_queue_size: int = 0) -> Dashboard:
    now = _aware(now, "now")
    today = now.astimezone(CR_TZ).date()
    keys = ["not_submitted", "recibido", "procesando", "aceptado", "rechazado", "error"]
    counts = dict.fromkeys(keys, 0)
    secs: list[float] = []
    sub_today = acc_today = rej_today = 0
    rows = _rows(documents)
    for d in rows:
        state = d.get("state") or "not_submitted"
        counts[state] += 1
        sub = _aware(d.get("submitted_at"), "submitted_at")
        ans = _aware(d.get("answered_at"), "answered_at")
        if sub and sub.astimezone(CR_TZ).date() == today:
            sub_today += 1
        if state in FINAL:
            if sub and ans and ans >= sub:
                secs.append((ans - sub).total_seconds())
            if ans and ans.astimezone(CR_TZ).date() == today:
                acc_today += state == "aceptado"
                rej_today += state == "rechazado"
    decided = counts["aceptado"] + counts["rechazado"]
    p95 = sorted(secs)[max(math.ceil(0.95 * len(secs)) - 1, 0)] if secs else None
    return Dashboard(
        total=len(rows),
        by_state=counts,
        acceptance_rate=counts["aceptado"] / decided if decided else None,
        avg_answer_seconds=sum(secs) / len(secs) if secs else None,
        p95_answer_seconds=p95,
        submitted_today=sub_today,
        accepted_today=acc_today,
        rejected_today=rej_today,
        pending_submissions=counts["not_submitted"],
        awaiting_answer=counts["recibido"] + counts["procesando"],
        retry_queue_size=retry_queue_size,
    )
