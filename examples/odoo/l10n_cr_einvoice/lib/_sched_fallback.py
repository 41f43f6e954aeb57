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
    # name: (default, minimum, maximum, unit) ; bounds None for flags
    "auto_polling_enabled": (True, None, None, ""),
    "polling_interval": (15, 1, 1440, "minutes"),
    "polling_max_hours": (24, 1, 720, "hours"),
    "polling_batch_size": (50, 1, 10000, "documents"),
    "batch_size": (50, 1, 1000, "documents"),
    "batch_delay": (5, 0, 3600, "seconds"),
    "max_concurrent_batches": (3, 1, 50, "batches"),
    "auto_retry_enabled": (True, None, None, ""),
    "max_retry_attempts": (5, 0, 50, "retries"),
    "store_responses": (True, None, None, ""),
    "response_retention_days": (90, 1, 3650, "days"),
    "queue_retention_days": (30, 1, 3650, "days"),
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
        for name, value in values.items():
            if name not in _SETTINGS:
                raise hc.SettingsError(f"unknown setting {name}", kind="settings", field=name)
            is_flag = _SETTINGS[name][1] is None
            if is_flag != isinstance(value, bool) or not isinstance(value, (bool, int)):
                what = "true or false" if is_flag else "a whole number"
                raise hc.SettingsError(
                    f"{name.replace('_', ' ')} must be {what}", kind="settings", field=name
                )
        for name, (default, *_rest) in _SETTINGS.items():
            object.__setattr__(self, name, values.get(name, default))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Settings is frozen")

    @staticmethod
    def from_dict(values: Mapping[str, Any]) -> Settings:
        return Settings(**{key.removeprefix("l10n_cr_"): value for key, value in values.items()})

    def problems(self) -> list[tuple[str, str]]:
        out = []
        for name, (_default, low, high, unit) in _SETTINGS.items():
            value = getattr(self, name)
            if low is not None and not low <= value <= high:
                label = name.replace("_", " ")
                out.append((name, f"{label} must be between {low} and {high} {unit}, not {value}"))
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
    if e.state in ("done", "cancelled"):
        raise ValueError(f"a {e.state} entry cannot fail again")
    new = e.replace(
        attempts=attempts,
        category=str(category),
        first_failure_at=first,
        last_error=error if error is not None else e.last_error,
        updated_at=now,
        state="pending" if d.retry else "failed",
        next_attempt_at=d.at if d.retry else None,
    )
    return QueueTransition(new, d, not d.retry)


def queue_on_success(entry: QueueEntry | Mapping[str, Any], now: datetime) -> QueueEntry:
    e = _entry(entry)
    if e.state == "cancelled":
        raise ValueError("a cancelled entry cannot succeed")
    return e.replace(state="done", next_attempt_at=None, updated_at=_aware(now, "now"))


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
    if limit < 0:
        raise ValueError("limit must not be negative")
    oldest = datetime.min.replace(tzinfo=timezone.utc)
    due = []
    for r in _rows(entries):
        when = _aware(r.get("next_attempt_at"), "next_attempt_at")
        if r.get("state", "pending") == "pending" and (when is None or when <= now):
            due.append((-int(r.get("priority") or 0), when or oldest, int(r["id"])))
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
    open_rows = [r for r in rows if r.get("state", "pending") in ("pending", "processing")]
    pending = [r for r in rows if r.get("state", "pending") == "pending"]
    due_at = [_aware(r.get("next_attempt_at"), "next_attempt_at") for r in pending]
    return QueueStatistics(
        total=len(rows),
        by_state={
            **dict.fromkeys(("pending", "processing", "done", "failed", "cancelled"), 0),
            **Counter(str(r.get("state", "pending")) for r in rows),
        },
        by_category=dict(Counter(str(r.get("category") or "none") for r in open_rows)),
        by_operation=dict(Counter(str(r.get("operation")) for r in open_rows)),
        due_now=sum(1 for d in due_at if d is None or d <= now),
        oldest_due_at=min((d for d in due_at if d is not None), default=None),
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
    candidates: list[tuple[datetime, int]] = []
    expired: list[int] = []
    for d in _rows(documents):
        if d.get("state") in FINAL:
            continue
        sub = _aware(d["submitted_at"], "submitted_at")
        if now - sub >= deadline:
            expired.append(int(d["id"]))
            continue
        when = next_poll_at(sub, int(d.get("poll_count") or 0), d.get("last_polled_at"), settings)
        candidates.append((when, int(d["id"])))
    candidates.sort()
    due = [c for c in candidates if c[0] <= now]
    batch = due[: settings.polling_batch_size]
    rest = [c for c in candidates if c not in batch]
    return PollPlan(
        [i for _, i in batch], sorted(expired), len(due) > len(batch), len(due), rest[0][0] if rest else None
    )


@dataclass(frozen=True)
class RateDecision:
    requested: int
    admitted: int
    allowed: bool
    limited_by: str | None
    retry_at: datetime | None
    stored: dict[str, Any]


_KEYS = ("requests", "post", "get", "token", "auth_failures")
MINUTE = timedelta(minutes=1)


class RateLimiter:
    """Sliding 60-second windows; the state is ``{key: [iso instants]}`` for the keys
    requests, post, get, token, auth_failures."""

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
    def _windows(state: Mapping[str, Any] | None, now: datetime) -> dict[str, list[datetime]]:
        out = {}
        for key in _KEYS:
            stamps = (datetime.fromisoformat(x) for x in (state or {}).get(key, []))
            out[key] = sorted(t for t in stamps if now - t < MINUTE)
        return out

    @staticmethod
    def _dump(windows: dict[str, list[datetime]]) -> dict[str, Any]:
        return {k: [t.isoformat() for t in v] for k, v in windows.items()}

    def _blocked_until(self, windows: dict[str, list[datetime]]) -> datetime | None:
        w, limit = windows["auth_failures"], self.limits["auth_failures"]
        return w[len(w) - limit] + MINUTE if len(w) >= limit else None

    def _fits_at(self, windows: dict[str, list[datetime]], key: str, count: int) -> datetime | None:
        """When ``count`` more requests fit the window of ``key`` (None: they fit now)."""
        w, limit = windows[key], self.limits[key]
        excess = len(w) + count - limit
        return w[excess - 1] + MINUTE if excess > 0 else None

    def admit(
        self, state: Mapping[str, Any] | None, kind: str, now: datetime, count: int = 1
    ) -> RateDecision:
        now = _aware(now, "now")
        kind = str(kind)
        windows = self._windows(state, now)
        blocked = self._blocked_until(windows)
        if blocked is not None:
            return RateDecision(count, 0, False, "auth_failures", blocked, self._dump(windows))
        keys = [kind, "requests"]
        rooms = {k: max(self.limits[k] - len(windows[k]), 0) for k in keys}
        admitted = min(count, *rooms.values())
        limited_by = None
        if admitted < count:
            limited_by = min(keys, key=lambda k: (rooms[k], k != kind))
        for k in keys:
            windows[k] += [now] * admitted
        retry_at = None
        if admitted < count:
            retry_at = max(self._fits_at(windows, k, count - admitted) or now for k in keys)
        return RateDecision(count, admitted, admitted == count, limited_by, retry_at, self._dump(windows))

    def record_auth_failure(self, state: Mapping[str, Any] | None, now: datetime) -> RateDecision:
        now = _aware(now, "now")
        windows = self._windows(state, now)
        windows["auth_failures"].append(now)
        blocked = self._blocked_until(windows)
        return RateDecision(
            0, 0, blocked is None, "auth_failures" if blocked else None, blocked, self._dump(windows)
        )

    def earliest(self, state: Mapping[str, Any] | None, kind: str, count: int, start: datetime) -> datetime:
        """When a batch of ``count`` requests of ``kind`` fits every window, from ``start``."""
        for key in (kind, "requests"):
            if count > self.limits[key]:
                raise hc.SettingsError(
                    f"a batch of {count} does not fit the per-minute {key} limit",
                    kind="settings",
                    field="batch_size",
                )
        at = start
        while True:
            windows = self._windows(state, at)
            later = [self._blocked_until(windows)] + [
                self._fits_at(windows, k, count) for k in (kind, "requests")
            ]
            later = [t for t in later if t is not None and t > at]
            if not later:
                return at
            at = max(later)

    def record(self, state: Mapping[str, Any] | None, kind: str, count: int, at: datetime) -> dict[str, Any]:
        windows = self._windows(state, at)
        for key in (kind, "requests"):
            windows[key] += [at] * count
        return self._dump(windows)


@dataclass(frozen=True)
class BreakerDecision:
    allowed: bool
    state: str
    changed: bool
    retry_at: datetime | None
    stored: dict[str, Any] = field(default_factory=dict)


class CircuitBreaker:
    """closed -> open after ``failure_threshold`` consecutive outage failures (transient,
    network, server, rate_limit; other categories mean Hacienda answered: a success);
    open -> half_open after ``open_seconds``, letting ``half_open_probes`` requests through;
    ``success_threshold`` successes close it, a failure re-opens it."""

    def __init__(
        self,
        *,
        failure_threshold: int = 5,
        open_seconds: int = 60,
        half_open_probes: int = 1,
        success_threshold: int = 1,
    ) -> None:
        self.failure_threshold = failure_threshold
        self.open_seconds = open_seconds
        self.half_open_probes = half_open_probes
        self.success_threshold = success_threshold

    def _period(self) -> timedelta:
        return timedelta(seconds=self.open_seconds)

    @staticmethod
    def _load(state: Mapping[str, Any] | None) -> dict[str, Any]:
        s = dict(state or {})
        return {
            "state": s.get("state", "closed"),
            "failures": int(s.get("failures", 0)),
            "since": s.get("since"),
            "probes": int(s.get("probes", 0)),
            "successes": int(s.get("successes", 0)),
        }

    def _decision(self, s: dict[str, Any], before: str, allowed: bool, retry_at: datetime | None):
        return BreakerDecision(allowed, s["state"], s["state"] != before, retry_at, s)

    def allow(self, state: Mapping[str, Any] | None, now: datetime) -> BreakerDecision:
        now = _aware(now, "now")
        s = self._load(state)
        before = s["state"]
        if s["state"] == "closed":
            return self._decision(s, before, True, None)
        since = datetime.fromisoformat(s["since"])
        if s["state"] == "open":
            if now < since + self._period():
                return self._decision(s, before, False, since + self._period())
            s.update(state="half_open", since=now.isoformat(), probes=1, successes=0)
            return self._decision(s, before, True, None)
        if s["probes"] < self.half_open_probes:
            s["probes"] += 1
            return self._decision(s, before, True, None)
        if now >= since + self._period():  # a lost probe is replaced after the open period
            s.update(since=now.isoformat(), probes=1)
            return self._decision(s, before, True, None)
        return self._decision(s, before, False, since + self._period())

    def on_success(self, state: Mapping[str, Any] | None, now: datetime) -> BreakerDecision:
        _aware(now, "now")
        s = self._load(state)
        before = s["state"]
        if s["state"] == "half_open":
            s["successes"] += 1
            if s["successes"] < self.success_threshold:
                return self._decision(s, before, True, None)
        if s["state"] == "open":
            since = datetime.fromisoformat(s["since"])
            return self._decision(s, before, False, since + self._period())
        s.update(state="closed", failures=0, since=None, probes=0, successes=0)
        return self._decision(s, before, True, None)

    def on_failure(
        self, state: Mapping[str, Any] | None, now: datetime, category: str = "server"
    ) -> BreakerDecision:
        if str(category) not in OUTAGE:
            return self.on_success(state, now)
        now = _aware(now, "now")
        s = self._load(state)
        before = s["state"]
        if s["state"] == "open":
            since = datetime.fromisoformat(s["since"])
            return self._decision(s, before, False, since + self._period())
        s["failures"] += 1
        if s["state"] == "half_open" or s["failures"] >= self.failure_threshold:
            s.update(state="open", since=now.isoformat(), probes=0, successes=0)
            return self._decision(s, before, False, now + self._period())
        return self._decision(s, before, True, None)


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
    state: Mapping[str, Any] | None = rate_state
    batches, previous = [], now
    for index, start in enumerate(range(0, len(ids), size)):
        chunk = [int(i) for i in ids[start : start + size]]
        wave = index // conc
        when = max(now + timedelta(seconds=settings.batch_delay * wave), previous)
        if limiter is not None and kind is not None:
            when = limiter.earliest(state, kind, len(chunk), when)
            state = limiter.record(state, kind, len(chunk), when)
        previous = when
        batches.append(BulkBatch(index, chunk, wave, when))
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
        kinds[str(r.get("kind") or "unknown")] += 1
        results[str(r.get("result") or "unknown")] += 1
        codes.update({int(c) for c in r.get("codes") or []})
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
