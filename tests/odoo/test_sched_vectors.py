"""The addon's scheduling adapter against the shared schedule vectors (tests/fixtures/schedule).

``lib/_sched_fallback.py`` stands in for hacienda_cr's scheduling API when the installed build
lacks it; it must decide exactly as the Rust core does, so it runs the same vectors as the Rust
tests. When the installed hacienda_cr has the API, the adapter's choice (hacienda_cr) runs them
too.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from l10n_cr_einvoice.lib import _sched_fallback, sched_adapter

import hacienda_cr as hc
from conftest import ROOT

VECTORS = ROOT / "tests" / "fixtures" / "schedule"
IMPLS = [pytest.param(_sched_fallback, id="fallback")]
if sched_adapter.NATIVE:
    IMPLS.append(pytest.param(hc, id="hacienda_cr"))


def load(name):
    return json.loads((VECTORS / f"{name}.json").read_text(encoding="utf-8"))


def ts(text):
    return None if text is None else datetime.fromisoformat(text.replace("Z", "+00:00"))


def at(base, seconds):
    return None if seconds is None else base + timedelta(seconds=seconds)


def policy(api, overrides):
    kw = dict(overrides)
    return api.RetryPolicy(**kw)


@pytest.mark.parametrize("api", IMPLS)
@pytest.mark.parametrize("case", load("retry")["cases"], ids=lambda c: c["name"])
def test_retry_vectors(api, case):
    d = api.plan_retry(
        policy(api, case["policy"]),
        case["category"],
        case["attempts"],
        ts(case["first_failure_at"]),
        ts(case["now"]),
        case["sample"],
        ts(case["retry_after"]),
    )
    exp = case["expected"]
    if exp["action"] == "give_up":
        assert d.retry is False
        assert str(d.reason) == exp["reason"]
    else:
        assert d.retry is True
        assert d.at == ts(exp["at"])
        assert d.delay == timedelta(seconds=exp["delay"])
        assert d.from_retry_after is exp["from_retry_after"]


@pytest.mark.parametrize("api", IMPLS)
@pytest.mark.parametrize("scenario", load("queue")["scenarios"], ids=lambda s: s["name"])
def test_queue_scenarios(api, scenario):
    entry = {k: ts(v) if k.endswith("_at") else v for k, v in scenario["entry"].items()}
    pol = policy(api, scenario["policy"])
    for step in scenario["steps"]:
        now, exp = ts(step["now"]), step["expected"]
        try:
            if step["op"] == "failure":
                t = api.queue_on_failure(
                    pol,
                    entry,
                    step["category"],
                    now,
                    step["sample"],
                    ts(step.get("retry_after")),
                    step.get("error"),
                )
                new, notify, reason = t.entry, t.notify, t.decision.reason
            else:
                fn = {
                    "success": api.queue_on_success,
                    "cancel": api.queue_cancel,
                    "retry_now": api.queue_retry_now,
                }
                new, notify, reason = fn[step["op"]](entry, now), None, None
        except (ValueError, hc.HaciendaError):
            assert exp.get("refused") is True, step
            continue
        assert not exp.get("refused"), step
        for key, value in exp.items():
            if key == "notify":
                assert notify is value
            elif key == "reason":
                assert str(reason) == value
            elif key.endswith("_at"):
                assert getattr(new, key) == ts(value), key
            elif key in ("state", "category"):
                assert str(getattr(new, key)) == value, key
            else:
                assert getattr(new, key) == value, key
        entry = new


@pytest.mark.parametrize("api", IMPLS)
def test_select_due_cleanup_and_statistics(api):
    v = load("queue")
    for case in v["select_due"]:
        rows = [{k: ts(x) if k.endswith("_at") else x for k, x in r.items()} for r in case["rows"]]
        for lim in case["limits"]:
            assert list(api.select_due(rows, ts(case["now"]), lim["limit"])) == [lim["ids"], lim["more"]]
    for case in v["cleanup"]:
        rows = [{k: ts(x) if k.endswith("_at") else x for k, x in r.items()} for r in case["rows"]]
        assert list(api.cleanup_candidates(rows, ts(case["now"]), case["days"])) == case["ids"]
    for case in v["statistics"]:
        rows = [{k: ts(x) if k.endswith("_at") else x for k, x in r.items()} for r in case["rows"]]
        s = api.queue_statistics(rows, ts(case["now"]))
        exp = case["expected"]
        assert s.total == exp["total"]
        assert dict(s.by_state) == exp["by_state"]
        assert dict(s.by_category) == exp["by_category"]
        assert dict(s.by_operation) == exp["by_operation"]
        assert s.due_now == exp["due_now"]
        assert s.oldest_due_at == ts(exp["oldest_due_at"])
        assert s.give_ups_today == exp["give_ups_today"]


@pytest.mark.parametrize("api", IMPLS)
def test_polling_vectors(api):
    v = load("polling")
    docs = [{k: ts(x) if k.endswith("_at") else x for k, x in d.items()} for d in v["documents"]]
    cases = [dict(c, documents=docs) for c in v["cases"]]
    ties = v["ties"]
    cases.append(
        dict(
            ties,
            documents=[
                {k: ts(x) if k.endswith("_at") else x for k, x in d.items()} for d in ties["documents"]
            ],
        )
    )
    for case in cases:
        plan = api.plan_polls(case["documents"], ts(case["now"]), api.Settings.from_dict(case["settings"]))
        exp = case["expected"]
        got = (list(plan.batch), list(plan.expired), plan.more, plan.due_count, plan.next_due_at)
        assert got == (exp["batch"], exp["expired"], exp["more"], exp["due_count"], ts(exp["next_due_at"])), (
            case["name"]
        )
    for case in v["next_poll_at"]:
        got = api.next_poll_at(
            ts(case["submitted_at"]),
            case["poll_count"],
            ts(case["last_polled_at"]),
            api.Settings.from_dict(case["settings"]),
        )
        assert got == ts(case["expected"])


@pytest.mark.parametrize("api", IMPLS)
@pytest.mark.parametrize("case", load("bulk")["cases"], ids=lambda c: c["name"])
def test_bulk_vectors(api, case):
    base = ts(load("bulk")["base"])
    limiter = api.RateLimiter() if case["limiter"] else None
    state = None
    for ev in case.get("rate_events", []):
        when = at(base, ev["at"])
        for _ in range(ev["count"]):
            state = (
                limiter.record_auth_failure(state, when)
                if ev["kind"] == "auth_failure"
                else limiter.admit(state, ev["kind"], when, 1)
            ).stored
    exp = case["expected"]
    ids = list(range(1, case["count"] + 1))
    if "error_field" in exp:
        with pytest.raises(hc.SettingsError) as err:
            api.plan_bulk(
                ids, case["operation"], base, api.Settings.from_dict(case["settings"]), limiter, state
            )
        assert err.value.field == exp["error_field"]
        return
    plan = api.plan_bulk(
        ids, case["operation"], base, api.Settings.from_dict(case["settings"]), limiter, state
    )
    assert [len(b.ids) for b in plan.batches] == exp["sizes"]
    assert [b.wave for b in plan.batches] == exp["waves"]
    assert [(b.start_at - base).total_seconds() for b in plan.batches] == exp["starts"]
    assert (plan.finish_at - base).total_seconds() == exp["finish"]


@pytest.mark.parametrize("api", IMPLS)
@pytest.mark.parametrize("seq", load("rate")["sequences"], ids=lambda s: s["name"])
def test_rate_vectors(api, seq):
    base = ts(load("rate")["base"])
    limiter = api.RateLimiter(**seq["limits"])
    state = None
    for call in seq["calls"]:
        when = at(base, call["at"])
        if call["call"] == "admit":
            d = limiter.admit(state, call["kind"], when, call["count"])
        else:
            d = limiter.record_auth_failure(state, when)
        exp = call["expected"]
        got = (d.admitted, d.limited_by, d.retry_at)
        assert got == (exp["admitted"], exp["limited_by"], at(base, exp["retry_at"])), call
        state = d.stored


@pytest.mark.parametrize("api", IMPLS)
@pytest.mark.parametrize("seq", load("breaker")["sequences"], ids=lambda s: s["name"])
def test_breaker_vectors(api, seq):
    base = ts(load("breaker")["base"])
    breaker = api.CircuitBreaker(**seq["config"])
    state = None
    for call in seq["calls"]:
        when = at(base, call["at"])
        if call["call"] == "allow":
            d = breaker.allow(state, when)
        elif call["call"] == "success":
            d = breaker.on_success(state, when)
        else:
            d = breaker.on_failure(state, when, call["category"])
        exp = call["expected"]
        got = (d.allowed, str(d.state), d.changed, d.retry_at)
        assert got == (exp["allowed"], exp["state"], exp["changed"], at(base, exp["retry_at"])), call
        state = d.stored


@pytest.mark.parametrize("api", IMPLS)
def test_stats_vectors(api):
    v = load("stats")
    for key in ("dashboard", "dashboard_empty"):
        case = v[key]
        docs = [{k: ts(x) if k.endswith("_at") else x for k, x in d.items()} for d in case["documents"]]
        d = api.dashboard(docs, ts(case["now"]), case["retry_queue_size"])
        exp = case["expected"]
        for name, value in exp.items():
            got = getattr(d, name)
            assert (dict(got) if isinstance(got, dict) else got) == value, name
    case = v["responses"]
    s = api.response_statistics(case["records"], case["top"])
    exp = case["expected"]
    assert s.total == exp["total"]
    assert dict(s.by_kind) == exp["by_kind"]
    assert dict(s.by_result) == exp["by_result"]
    assert {str(k): n for k, n in s.by_code.items()} == exp["by_code"]
    assert [list(t) for t in s.top_codes] == exp["top_codes"]


@pytest.mark.parametrize("api", IMPLS)
@pytest.mark.parametrize("case", load("settings")["cases"], ids=lambda c: c["name"])
def test_settings_vectors(api, case):
    exp = case["expected"]
    if "error_field" in exp:
        with pytest.raises((hc.SettingsError, TypeError, ValueError)) as err:
            api.Settings.from_dict(case["input"])
        if isinstance(err.value, hc.SettingsError):
            assert err.value.field == exp["error_field"]
        return
    s = api.Settings.from_dict(case["input"])
    assert [list(p) for p in s.problems()] == exp["problems"]
    for name, value in exp.get("values", {}).items():
        assert getattr(s, name) == value
