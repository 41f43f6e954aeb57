"""The shared schedule vectors of tests/fixtures/schedule, run against the Python binding.

The Rust suite (tests/rust/schedule_vectors.rs) runs the same files against the core. The retry
vectors are also cross-checked against a small independent calculation of the documented rules.
"""

from __future__ import annotations

import json
import math
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

import hacienda_cr as hc
from conftest import OWN_FIXTURES

SCHEDULE = OWN_FIXTURES / "schedule"


def load(name: str) -> Any:
    return json.loads(Path(SCHEDULE / name).read_text(encoding="utf-8"))


def ts(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value.replace("Z", "+00:00"))


def t(value: str) -> datetime:
    parsed = ts(value)
    assert parsed is not None
    return parsed


def policy(overrides: dict[str, Any]) -> hc.RetryPolicy:
    return hc.RetryPolicy(**overrides)


RETRY = load("retry.json")["cases"]


@pytest.mark.parametrize("case", RETRY, ids=[c["name"] for c in RETRY])
def test_retry_vectors(case: dict[str, Any]) -> None:
    d = hc.plan_retry(
        policy(case["policy"]),
        case["category"],
        case["attempts"],
        t(case["first_failure_at"]),
        t(case["now"]),
        case["sample"],
        ts(case["retry_after"]),
    )
    want = case["expected"]
    if want["action"] == "retry":
        assert d.retry
        assert d.at == t(want["at"])
        assert d.delay == timedelta(seconds=want["delay"])
        assert d.from_retry_after is want["from_retry_after"]
        assert d.reason is None
    else:
        assert not d.retry
        assert d.at is None
        assert d.reason == want["reason"]
        assert isinstance(d.reason, hc.GiveUpReason)
    assert d.to_dict()["action"] == want["action"]


DEFAULT_DELAYS = [300, 900, 3600, 14400, 43200]
DEFAULT_MULTIPLIERS = {
    "transient": 1.0,
    "rate_limit": 2.0,
    "network": 1.5,
    "server": 1.5,
    "auth": 3.0,
    "validation": 6.0,
    "unknown": 1.0,
}


def reference_decision(case: dict[str, Any]) -> dict[str, Any]:
    """The rules of docs/scheduling.md, written again independently of the extension."""
    p = case["policy"]
    if not p.get("enabled", True):
        return {"action": "give_up", "reason": "retry_disabled"}
    multipliers = {**DEFAULT_MULTIPLIERS, **p.get("multipliers", {})}
    category = case["category"]
    if category not in multipliers:
        return {"action": "give_up", "reason": "not_retryable"}
    n = case["attempts"]
    if n > p.get("max_attempts", 5):
        return {"action": "give_up", "reason": "max_attempts"}
    delays = p.get("delays", DEFAULT_DELAYS)
    m = multipliers[category]
    u = case["sample"]

    def scaled(k: int) -> float:
        return float(delays[min(k, len(delays)) - 1] * m)

    jitter = p.get("jitter", "none")
    d = scaled(n)
    if jitter == "full":
        d = d * u
    elif jitter == "equal":
        d = d / 2 + d / 2 * u
    elif jitter == "decorrelated":
        prev = scaled(max(n - 1, 1))
        d = prev + 2 * prev * u
    d = min(d, p.get("max_delay", 86400))
    now = t(case["now"])
    at = now + timedelta(seconds=d)
    from_retry_after = False
    retry_after = ts(case["retry_after"])
    if retry_after is not None and retry_after > at:
        at, d, from_retry_after = retry_after, (retry_after - now).total_seconds(), True
    limit = p.get("max_elapsed")
    if limit is not None and at > t(case["first_failure_at"]) + timedelta(seconds=limit):
        return {"action": "give_up", "reason": "max_elapsed"}
    return {"action": "retry", "at": at, "delay": d, "from_retry_after": from_retry_after}


@pytest.mark.parametrize("case", RETRY, ids=[c["name"] for c in RETRY])
def test_retry_vectors_match_an_independent_calculation(case: dict[str, Any]) -> None:
    ref = reference_decision(case)
    want = case["expected"]
    assert ref["action"] == want["action"]
    if want["action"] == "retry":
        assert ref["at"] == t(want["at"])
        assert math.isclose(ref["delay"], want["delay"])
        assert ref["from_retry_after"] == want["from_retry_after"]
    else:
        assert ref["reason"] == want["reason"]


def check_fields(got: dict[str, Any], want: dict[str, Any], where: str) -> None:
    for key, value in want.items():
        if key.endswith("_at") and value is not None:
            assert ts(got[key]) == t(value), f"{where}: {key}"
        else:
            assert got[key] == value, f"{where}: {key} in {got}"


QUEUE = load("queue.json")


@pytest.mark.parametrize("scenario", QUEUE["scenarios"], ids=[s["name"] for s in QUEUE["scenarios"]])
def test_queue_scenarios(scenario: dict[str, Any]) -> None:
    p = policy(scenario["policy"])
    raw = dict(scenario["entry"])
    for key in ("created_at", "next_attempt_at"):
        if key in raw:
            raw[key] = ts(raw[key])
    entry = hc.QueueEntry.from_dict(raw)
    for i, step in enumerate(scenario["steps"]):
        where = f"{scenario['name']} step {i}"
        now = t(step["now"])
        try:
            if step["op"] == "failure":
                tr = hc.queue_on_failure(
                    p,
                    entry,
                    step["category"],
                    now,
                    step["sample"],
                    ts(step.get("retry_after")),
                    step.get("error"),
                )
                got = tr.entry.to_dict() | {
                    "notify": tr.notify,
                    "reason": tr.decision.to_dict().get("reason"),
                }
                nxt = tr.entry
            else:
                fn = {
                    "success": hc.queue_on_success,
                    "retry_now": hc.queue_retry_now,
                    "cancel": hc.queue_cancel,
                }
                nxt = fn[step["op"]](entry, now)
                got = nxt.to_dict()
        except ValueError as e:
            assert step["expected"].get("refused") is True, f"{where}: {e}"
            continue
        assert "refused" not in step["expected"], f"{where}: should be refused"
        check_fields(got, step["expected"], where)
        # The dict form round-trips through the mapping input of the next step.
        assert nxt.to_dict()["state"] == nxt.state
        entry = nxt


def rows_with_times(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: ts(v) if k.endswith("_at") else v for k, v in r.items()} for r in rows]


def as_columns(rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
    keys = sorted({k for r in rows for k in r})
    return {k: [r.get(k) for r in rows] for k in keys}


def test_select_due_cleanup_and_statistics() -> None:
    for case in QUEUE["select_due"]:
        rows = rows_with_times(case["rows"])
        for lim in case["limits"]:
            for shape in (rows, as_columns(rows)):
                ids, more = hc.select_due(shape, t(case["now"]), lim["limit"])
                assert (ids, more) == (lim["ids"], lim["more"]), lim
    for case in QUEUE["cleanup"]:
        rows = rows_with_times(case["rows"])
        assert hc.cleanup_candidates(rows, t(case["now"]), case["days"]) == case["ids"]
    for case in QUEUE["statistics"]:
        s = hc.queue_statistics(rows_with_times(case["rows"]), t(case["now"]))
        check_fields(s.to_dict(), case["expected"], case["name"])
        assert s.oldest_due_at == ts(case["expected"]["oldest_due_at"])


POLLING = load("polling.json")


def settings(overrides: dict[str, Any]) -> hc.Settings:
    return hc.Settings.from_dict(overrides)


@pytest.mark.parametrize("case", POLLING["cases"], ids=[c["name"] for c in POLLING["cases"]])
def test_polling_vectors(case: dict[str, Any]) -> None:
    docs = rows_with_times(POLLING["documents"])
    for shape in (docs, as_columns(docs)):
        plan = hc.plan_polls(shape, t(case["now"]), settings(case["settings"]))
        check_fields(plan.to_dict(), case["expected"], case["name"])
        assert plan.next_due_at == ts(case["expected"]["next_due_at"])


def test_polling_ties_and_next_poll_at() -> None:
    ties = POLLING["ties"]
    plan = hc.plan_polls(rows_with_times(ties["documents"]), t(ties["now"]), settings(ties["settings"]))
    check_fields(plan.to_dict(), ties["expected"], "ties")
    for case in POLLING["next_poll_at"]:
        got = hc.next_poll_at(
            t(case["submitted_at"]),
            case["poll_count"],
            ts(case["last_polled_at"]),
            settings(case["settings"]),
        )
        assert got == t(case["expected"])


BULK = load("bulk.json")


def seeded_state(events: list[dict[str, Any]], base: datetime) -> dict[str, list[int]]:
    state: dict[str, list[int]] = {"requests": [], "post": [], "get": [], "token": [], "auth_failures": []}
    for e in events:
        ms = [round((base + timedelta(seconds=e["at"])).timestamp() * 1000)] * e["count"]
        if e["kind"] == "auth_failure":
            state["auth_failures"] += ms
        else:
            state["requests"] += ms
            state[e["kind"]] += ms
    return state


@pytest.mark.parametrize("case", BULK["cases"], ids=[c["name"] for c in BULK["cases"]])
def test_bulk_vectors(case: dict[str, Any]) -> None:
    base = t(BULK["base"])
    ids = list(range(1, case["count"] + 1))
    limiter = hc.RateLimiter() if case["limiter"] else None
    state = seeded_state(case.get("rate_events", []), base)
    want = case["expected"]
    try:
        plan = hc.plan_bulk(ids, case["operation"], base, settings(case["settings"]), limiter, state)
    except hc.SettingsError as e:
        assert e.field == want.get("error_field"), e
        return
    assert "error_field" not in want
    assert [len(b.ids) for b in plan.batches] == want["sizes"]
    assert [b.wave for b in plan.batches] == want["waves"]
    assert [(b.start_at - base).total_seconds() for b in plan.batches] == want["starts"]
    assert (plan.finish_at - base).total_seconds() == want["finish"]
    assert [i for b in plan.batches for i in b.ids] == ids
    assert plan.operation == case["operation"]


RATE = load("rate.json")


@pytest.mark.parametrize("seq", RATE["sequences"], ids=[s["name"] for s in RATE["sequences"]])
def test_rate_vectors(seq: dict[str, Any]) -> None:
    base = t(RATE["base"])
    limiter = hc.RateLimiter(**seq["limits"])
    stored: dict[str, Any] | None = None
    for i, call in enumerate(seq["calls"]):
        at = base + timedelta(seconds=call["at"])
        if call["call"] == "admit":
            d = limiter.admit(stored, call["kind"], at, call["count"])
        else:
            d = limiter.record_auth_failure(stored, at)
        # The host stores the state as JSON.
        stored = json.loads(json.dumps(d.stored))
        want = call["expected"]
        where = f"{seq['name']} call {i}"
        assert d.admitted == want["admitted"], where
        assert d.limited_by == want["limited_by"], where
        assert d.allowed is (want["limited_by"] is None), where
        retry = None if d.retry_at is None else (d.retry_at - base).total_seconds()
        assert retry == want["retry_at"], where


BREAKER = load("breaker.json")


@pytest.mark.parametrize("seq", BREAKER["sequences"], ids=[s["name"] for s in BREAKER["sequences"]])
def test_breaker_vectors(seq: dict[str, Any]) -> None:
    base = t(BREAKER["base"])
    breaker = hc.CircuitBreaker(**seq["config"])
    stored: dict[str, Any] | None = None
    for i, call in enumerate(seq["calls"]):
        at = base + timedelta(seconds=call["at"])
        if call["call"] == "allow":
            d = breaker.allow(stored, at)
        elif call["call"] == "success":
            d = breaker.on_success(stored, at)
        else:
            d = breaker.on_failure(stored, at, call["category"])
        stored = json.loads(json.dumps(d.stored))
        want = call["expected"]
        where = f"{seq['name']} call {i}"
        assert (d.allowed, d.state, d.changed) == (want["allowed"], want["state"], want["changed"]), where
        assert isinstance(d.state, hc.BreakerState)
        retry = None if d.retry_at is None else (d.retry_at - base).total_seconds()
        assert retry == want["retry_at"], where


STATS = load("stats.json")


@pytest.mark.parametrize("key", ["dashboard", "dashboard_empty"])
def test_dashboard_vectors(key: str) -> None:
    case = STATS[key]
    docs = rows_with_times(case["documents"])
    shapes: list[Any] = [docs, as_columns(docs)] if docs else [docs]
    for shape in shapes:
        d = hc.dashboard(shape, t(case["now"]), case["retry_queue_size"])
        assert d.to_dict() == case["expected"]
        assert d.acceptance_rate == case["expected"]["acceptance_rate"]
        assert d.by_state == case["expected"]["by_state"]


def test_response_statistics_vectors() -> None:
    r = STATS["responses"]
    s = hc.response_statistics(r["records"], r["top"])
    want = r["expected"]
    assert (s.total, s.by_kind, s.by_result) == (want["total"], want["by_kind"], want["by_result"])
    assert s.by_code == {int(k): v for k, v in want["by_code"].items()}
    assert s.top_codes == [tuple(x) for x in want["top_codes"]]


SETTINGS = load("settings.json")["cases"]


@pytest.mark.parametrize("case", SETTINGS, ids=[c["name"] for c in SETTINGS])
def test_settings_vectors(case: dict[str, Any]) -> None:
    want = case["expected"]
    try:
        s = hc.Settings.from_dict(case["input"])
    except hc.SettingsError as e:
        assert e.field == want.get("error_field"), e
        return
    assert "error_field" not in want
    assert s.problems() == [tuple(p) for p in want["problems"]]
    values = s.to_dict()
    for key, value in want.get("values", {}).items():
        assert values[key] == value
        assert getattr(s, key) == value
    if want["problems"]:
        with pytest.raises(hc.SettingsError) as err:
            s.validate()
        assert err.value.field == want["problems"][0][0]
    else:
        s.validate()


def test_naive_datetimes_are_refused() -> None:
    naive = datetime(2026, 3, 2, 12)
    with pytest.raises(TypeError, match="timezone-aware"):
        hc.plan_polls([], naive, hc.Settings())
    with pytest.raises(TypeError, match=r"documents\[0\]\.submitted_at"):
        hc.plan_polls([{"id": 1, "submitted_at": naive}], naive.replace(tzinfo=timezone.utc), hc.Settings())
