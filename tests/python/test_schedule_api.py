"""The Python surface of the scheduling engine: types, conversions, errors, reprs."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

import hacienda_cr as hc

UTC = timezone.utc
CR = timezone(timedelta(hours=-6))
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def test_settings_defaults_kwargs_and_prefixed_dict() -> None:
    s = hc.Settings()
    assert (s.polling_interval, s.polling_max_hours, s.polling_batch_size) == (15, 24, 50)
    assert (s.batch_size, s.batch_delay, s.max_concurrent_batches) == (50, 5, 3)
    assert (s.max_retry_attempts, s.response_retention_days, s.queue_retention_days) == (5, 90, 30)
    assert s.auto_polling_enabled and s.auto_retry_enabled and s.store_responses
    prefixed = s.to_dict(prefixed=True)
    assert prefixed["l10n_cr_polling_interval"] == 15
    assert hc.Settings.from_dict(prefixed).to_dict() == s.to_dict()
    with pytest.raises(TypeError):
        hc.Settings(15)  # type: ignore[misc]
    assert "polling_interval=15" in repr(s)


def test_invalid_settings_raise_settings_error_with_field() -> None:
    s = hc.Settings(polling_interval=0)
    assert s.problems()[0][0] == "polling_interval"
    with pytest.raises(hc.SettingsError) as e:
        s.validate()
    assert e.value.field == "polling_interval"
    assert isinstance(e.value, ValueError)
    with pytest.raises(hc.SettingsError):
        hc.plan_polls([], NOW, s)


def test_retry_policy_surface() -> None:
    p = hc.RetryPolicy(delays=[timedelta(minutes=1), 120], jitter=hc.JitterMode.EQUAL, max_elapsed=3600)
    assert p.delays == [timedelta(minutes=1), timedelta(minutes=2)]
    assert p.jitter is hc.JitterMode.EQUAL
    assert p.max_elapsed == timedelta(hours=1)
    assert p.multipliers[hc.ErrorCategory.VALIDATION] == 6.0
    assert hc.ErrorCategory.SIGNATURE not in p.multipliers
    assert p.delay("signature", 1) is None
    assert p.delay("server", 1, 0.5) == timedelta(seconds=67.5)
    assert p.to_dict()["delays"] == [60.0, 120.0]
    assert "RetryPolicy(" in repr(p)
    from_settings = hc.RetryPolicy.from_settings(hc.Settings(max_retry_attempts=2, auto_retry_enabled=False))
    assert (from_settings.max_attempts, from_settings.enabled) == (2, False)
    with pytest.raises(hc.SettingsError) as e:
        hc.RetryPolicy(delays=[600, 60])
    assert e.value.field == "delays"
    with pytest.raises(hc.SettingsError):
        hc.RetryPolicy(multipliers={"signature": 1.0})
    with pytest.raises(ValueError, match="unknown error category"):
        hc.RetryPolicy(multipliers={"nope": 1.0})
    with pytest.raises(ValueError, match="jitter"):
        hc.RetryPolicy(jitter="sideways")
    with pytest.raises(hc.SettingsError):
        hc.plan_retry(hc.RetryPolicy(), "network", 1, NOW, NOW, sample=1.0)


def test_retry_decision_surface() -> None:
    d = hc.plan_retry(hc.RetryPolicy(), hc.ErrorCategory.NETWORK, 1, NOW, NOW)
    assert d.retry and d.at == NOW + timedelta(minutes=7, seconds=30)
    assert d.at is not None and d.at.tzinfo is not None
    assert d.to_dict() == {
        "action": "retry",
        "at": "2026-03-02T12:07:30Z",
        "delay": 450.0,
        "from_retry_after": False,
    }
    json.dumps(d.to_dict())
    g = hc.plan_retry(hc.RetryPolicy(), "duplicate", 1, NOW, NOW)
    assert g.reason is hc.GiveUpReason.NOT_RETRYABLE
    assert "not_retryable" in repr(g)


@pytest.mark.parametrize(
    "value",
    [
        datetime(2026, 3, 2, 6, 0, tzinfo=CR),
        datetime(2026, 3, 2, 12, 0, tzinfo=UTC),
        datetime(2026, 3, 2, 17, 45, tzinfo=timezone(timedelta(hours=5, minutes=45))),
        NOW.timestamp(),
        int(NOW.timestamp()),
    ],
)
def test_instants_in_any_fixed_offset_or_posix_seconds(value: Any) -> None:
    assert hc.next_poll_at(value, 0, None, hc.Settings()) == NOW + timedelta(seconds=5)


def test_zoneinfo_and_microseconds() -> None:
    zoneinfo = pytest.importorskip("zoneinfo")
    try:
        cr = zoneinfo.ZoneInfo("America/Costa_Rica")
    except zoneinfo.ZoneInfoNotFoundError:
        pytest.skip("no tz database on this machine (pip install tzdata)")
    local = datetime(2026, 3, 2, 6, 0, 0, 123456, tzinfo=cr)
    got = hc.next_poll_at(local, 0, None, hc.Settings())
    assert got == NOW + timedelta(seconds=5, microseconds=123456)


def test_naive_and_wrong_types_are_refused() -> None:
    with pytest.raises(TypeError, match="naive"):
        hc.next_poll_at(datetime(2026, 3, 2), 0, None, hc.Settings())
    with pytest.raises(ValueError, match=r"documents\[1\]\.submitted_at: expected an RFC 3339"):
        hc.plan_polls(
            [{"id": 1, "submitted_at": NOW}, {"id": 2, "submitted_at": "yesterday"}], NOW, hc.Settings()
        )
    with pytest.raises(TypeError, match=r"documents\[0\]\.submitted_at: expected a timezone-aware"):
        hc.plan_polls([{"id": 1, "submitted_at": [2026, 3, 2]}], NOW, hc.Settings())
    with pytest.raises(TypeError, match=r"documents\[0\]\.submitted_at: is required"):
        hc.plan_polls([{"id": 1}], NOW, hc.Settings())
    with pytest.raises(TypeError, match=r"entries\[0\]\.id"):
        hc.select_due([{"id": "x"}], NOW, 5)
    with pytest.raises(ValueError, match="unknown queue state"):
        hc.select_due([{"id": 1, "state": "lost"}], NOW, 5)
    with pytest.raises(ValueError, match="column"):
        hc.select_due({"id": [1, 2], "state": ["pending"]}, NOW, 5)
    with pytest.raises(TypeError):
        hc.select_due("pending", NOW, 5)


def test_odoo_false_means_unset_and_tuples_work() -> None:
    docs = ({"id": 7, "submitted_at": NOW - timedelta(minutes=1), "state": False, "last_polled_at": False},)
    plan = hc.plan_polls(docs, NOW, hc.Settings())
    assert plan.batch == [7]
    entries = [{"id": 3, "state": "pending", "priority": False, "next_attempt_at": False}]
    assert hc.select_due(entries, NOW, 1) == ([3], False)


def test_queue_entry_surface_and_refusals() -> None:
    e = hc.QueueEntry(id=1, document_ref="account.move,42", operation="submit", created_at=NOW)
    assert e.state is hc.QueueState.PENDING and e.operation is hc.Operation.SUBMIT
    assert e.is_due(NOW)
    t = hc.queue_on_failure(hc.RetryPolicy(), e, "server", NOW, 0.0, error="HTTP 503")
    assert isinstance(t.entry, hc.QueueEntry)
    assert t.entry.category is hc.ErrorCategory.SERVER
    assert t.entry.last_error == "HTTP 503"
    assert t.to_dict()["entry"]["attempts"] == 1
    # to_dict() (RFC 3339 strings) goes back in as a mapping unchanged.
    assert hc.QueueEntry.from_dict(t.entry.to_dict()).to_dict() == t.entry.to_dict()
    done = hc.queue_on_success(t.entry.to_dict(), NOW)
    assert done.state == "done"
    with pytest.raises(ValueError, match="cannot cancel"):
        hc.queue_cancel(done, NOW)
    with pytest.raises(ValueError, match="cannot record a failure"):
        hc.queue_on_failure(hc.RetryPolicy(), done, "server", NOW)
    assert "QueueEntry(id=1" in repr(e)
    with pytest.raises(TypeError, match="created_at is required"):
        hc.QueueEntry.from_dict({"id": 1, "document_ref": "x", "operation": "poll"})


def test_rate_limiter_and_breaker_state_are_plain_json() -> None:
    limiter = hc.RateLimiter(posts_per_minute=2)
    d = limiter.admit(None, hc.RequestKind.POST, NOW, 3)
    assert (d.admitted, d.allowed, d.limited_by) == (2, False, "post")
    assert d.retry_at == NOW + timedelta(minutes=1)
    stored = json.loads(json.dumps(d.stored))
    again = limiter.admit(stored, "post", NOW + timedelta(seconds=59))
    assert again.admitted == 0
    assert limiter.admit(again.stored, "post", NOW + timedelta(seconds=60)).admitted == 1
    assert d.to_dict()["allowed"] is False
    with pytest.raises(hc.SettingsError):
        hc.RateLimiter(tokens_per_minute=0)
    with pytest.raises(TypeError, match="rate limiter state"):
        limiter.admit({"post": "many"}, "post", NOW)

    breaker = hc.CircuitBreaker(failure_threshold=1, open_seconds=30)
    b = breaker.on_failure(None, NOW, "network")
    assert (b.state, b.changed, b.allowed) == (hc.BreakerState.OPEN, True, False)
    stored = json.loads(json.dumps(b.stored))
    assert stored["state"] == "open"
    assert breaker.allow(stored, NOW + timedelta(seconds=29)).retry_at == NOW + timedelta(seconds=30)
    assert breaker.allow(stored, NOW + timedelta(seconds=30)).state is hc.BreakerState.HALF_OPEN


def test_bulk_plan_surface() -> None:
    plan = hc.plan_bulk(list(range(120)), "submit", NOW, hc.Settings(), hc.RateLimiter())
    assert plan.total == 120 and plan.operation is hc.Operation.SUBMIT
    assert [len(b.ids) for b in plan.batches] == [50, 50, 20]
    assert [b.start_at for b in plan.batches] == [NOW, NOW, NOW + timedelta(minutes=1)]
    assert plan.finish_at == NOW + timedelta(minutes=1)
    assert plan.to_dict()["batches"][2]["start_at"] == "2026-03-02T12:01:00Z"
    assert "BulkBatch(index=0" in repr(plan.batches[0])


def test_statistics_surface() -> None:
    d = hc.dashboard(
        {"state": ["aceptado", None], "submitted_at": [NOW, None], "answered_at": [NOW, None]}, NOW, 3
    )
    assert (d.total, d.pending_submissions, d.retry_queue_size, d.acceptance_rate) == (2, 1, 3, 1.0)
    assert d.avg_answer_seconds == 0.0
    r = hc.response_statistics([{"kind": "mensaje_hacienda", "result": "rejected", "codes": [-53]}])
    assert r.top_codes == [(-53, 1)] and r.by_code == {-53: 1}
    q = hc.queue_statistics([{"id": 1, "state": "failed", "updated_at": NOW}], NOW)
    assert q.give_ups_today == 1 and q.by_state["failed"] == 1
    for obj in (d, r, q):
        json.dumps(obj.to_dict())
        assert "(total=" in repr(obj)


def test_extreme_inputs_give_answers_or_typed_errors_never_crashes() -> None:
    far = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)
    assert (
        hc.cleanup_candidates([{"id": 1, "state": "done", "updated_at": NOW}], NOW, days=4_000_000_000) == []
    )
    d = hc.RateLimiter().admit({"post": [2**62] * 150, "requests": [-(2**62)]}, "post", NOW)
    assert d.admitted == 0 and d.limited_by == "post"
    b = hc.CircuitBreaker().allow({"state": "open", "since": "9999-12-31T23:59:59Z"}, NOW)
    assert not b.allowed
    p = hc.plan_polls(
        [{"id": 1, "submitted_at": far, "last_polled_at": far, "poll_count": 99}], far, hc.Settings()
    )
    assert p.batch == []
    r = hc.plan_retry(hc.RetryPolicy(max_elapsed=1e11), "network", 1, far, far)
    assert r.retry
    with pytest.raises(ValueError, match="out of range"):
        _ = r.at  # past year 9999: Python's datetime cannot hold it
    with pytest.raises(ValueError, match="out of range"):
        hc.next_poll_at(1e300, 0, None, hc.Settings())
    with pytest.raises(OverflowError):
        hc.plan_retry(hc.RetryPolicy(), "network", 2**40, NOW, NOW)
    with pytest.raises(hc.SettingsError):
        hc.plan_bulk([1, 2], "submit", NOW, hc.Settings(batch_size=10**9))
