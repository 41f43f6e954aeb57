"""Retry decisions, queue transitions, poll selection, bulk plans, rate limiter and breaker."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st
from l10n_cr_einvoice.lib import bulk, polling, queue, sched_adapter

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=timezone.utc)
POLICY = queue.policy_for({"l10n_cr_max_retry_attempts": 5})


def verdict(category, retryable=True, reason="x"):
    return {"error_category": category, "retryable": retryable, "reason": reason, "hint_es": "h"}


def test_first_transient_failure_retries_in_five_minutes():
    vals = queue.on_failure({"attempts": 0}, verdict("transient"), policy=POLICY, now=NOW)
    assert vals["state"] == "pending"
    assert vals["attempts"] == 1
    assert vals["next_attempt_at"] == NOW + timedelta(minutes=5)
    assert vals["first_failure_at"] == NOW
    assert vals["notify"] is False


@pytest.mark.parametrize(
    ("category", "attempts_before", "delay"),
    [
        ("rate_limit", 0, timedelta(minutes=10)),
        ("network", 1, timedelta(minutes=22, seconds=30)),
        ("server", 2, timedelta(minutes=90)),
        ("auth", 0, timedelta(minutes=15)),
        ("validation", 1, timedelta(minutes=90)),
        ("transient", 3, timedelta(hours=4)),
    ],
)
def test_delays_follow_base_times_and_category_multipliers(category, attempts_before, delay):
    vals = queue.on_failure({"attempts": attempts_before}, verdict(category), policy=POLICY, now=NOW)
    assert vals["next_attempt_at"] - NOW == delay


@pytest.mark.parametrize("category", ["signature", "duplicate", "configuration"])
def test_non_retryable_categories_give_up_at_once_and_notify(category):
    vals = queue.on_failure({"attempts": 0}, verdict(category, retryable=False), policy=POLICY, now=NOW)
    assert vals["state"] == "failed"
    assert vals["next_attempt_at"] is None
    assert vals["notify"] is True
    assert category in vals["give_up_reason"]


def test_gives_up_exactly_at_max_attempts():
    vals = queue.on_failure({"attempts": 3}, verdict("transient"), policy=POLICY, now=NOW)
    assert vals["state"] == "pending"
    vals = queue.on_failure({"attempts": 4}, verdict("transient"), policy=POLICY, now=NOW)
    assert vals["state"] == "failed" and vals["notify"] is True and vals["attempts"] == 5


def test_later_retry_after_wins_and_earlier_does_not():
    later = NOW + timedelta(hours=1)
    vals = queue.on_failure({"attempts": 0}, verdict("rate_limit"), policy=POLICY, now=NOW, retry_after=later)
    assert vals["next_attempt_at"] == later
    earlier = NOW + timedelta(seconds=30)
    vals = queue.on_failure(
        {"attempts": 0}, verdict("rate_limit"), policy=POLICY, now=NOW, retry_after=earlier
    )
    assert vals["next_attempt_at"] == NOW + timedelta(minutes=10)


def test_naive_now_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        queue.on_failure({"attempts": 0}, verdict("transient"), policy=POLICY, now=NOW.replace(tzinfo=None))


@given(
    category=st.sampled_from(["transient", "rate_limit", "network", "server", "auth", "validation"]),
    sample=st.floats(min_value=0.0, max_value=0.999),
)
def test_delays_never_decrease_and_never_exceed_the_cap(category, sample):
    policy = sched_adapter.RetryPolicy(max_attempts=10)
    delays = [policy.delay(category, attempt) for attempt in range(1, 8)]
    assert delays == sorted(delays)
    assert max(delays) <= timedelta(hours=12) * 6
    jittered = sched_adapter.RetryPolicy(jitter="full").delay(category, 3, sample)
    assert timedelta(0) <= jittered <= policy.delay(category, 3)


def test_manual_transitions():
    assert queue.on_retry_now("failed", NOW) == {"state": "pending", "next_attempt_at": NOW}
    with pytest.raises(ValueError):
        queue.on_retry_now("done", NOW)
    assert queue.on_cancel("pending")["state"] == "cancelled"
    with pytest.raises(ValueError):
        queue.on_cancel("done")
    assert queue.on_success()["state"] == "done"


def _entry(i, priority, minutes_ago, state="pending"):
    return {
        "id": i,
        "priority": priority,
        "next_attempt_at": NOW - timedelta(minutes=minutes_ago),
        "state": state,
    }


def test_due_selection_priority_then_due_time_with_more_flag():
    entries = [
        _entry(1, 10, 1),
        _entry(2, 5, 0),
        _entry(3, 10, 30),
        _entry(4, 5, -10),  # not due yet
        _entry(5, 1, 50, state="failed"),
        _entry(6, 20, 60),
    ]
    ids, more = queue.pick_due(entries, now=NOW, limit=3)
    assert ids == [2, 3, 1]
    assert more is True
    ids, more = queue.pick_due(entries, now=NOW, limit=10)
    assert ids == [2, 3, 1, 6] and more is False


def test_queue_statistics_and_cleanup():
    old = NOW - timedelta(days=40)
    entries = [
        {
            "id": 1,
            "state": "pending",
            "operation": "submit",
            "error_category": "network",
            "next_attempt_at": NOW - timedelta(minutes=3),
            "write_date": NOW,
        },
        {
            "id": 2,
            "state": "failed",
            "operation": "poll",
            "error_category": "auth",
            "next_attempt_at": None,
            "write_date": NOW,
        },
        {
            "id": 3,
            "state": "done",
            "operation": "submit",
            "error_category": None,
            "next_attempt_at": None,
            "write_date": old,
        },
        {
            "id": 4,
            "state": "pending",
            "operation": "sign",
            "error_category": "unknown",
            "next_attempt_at": NOW + timedelta(hours=1),
            "write_date": old,
        },
    ]
    stats = queue.statistics(entries, now=NOW)
    assert stats["by_state"] == {"pending": 2, "failed": 1, "done": 1}
    assert stats["by_operation"] == {"submit": 2, "poll": 1, "sign": 1}
    assert stats["oldest_due"] == NOW - timedelta(minutes=3)
    assert stats["overdue"] == 1
    assert stats["gave_up_today"] == 1
    assert queue.cleanup_candidates(entries, now=NOW, days=30) == [3]


# ---------------------------------------------------------------- polling

SETTINGS = {"l10n_cr_polling_interval": 15, "l10n_cr_polling_max_hours": 24, "l10n_cr_polling_batch_size": 2}


def _doc(i, submitted_minutes_ago, polls=0, last_poll_minutes_ago=None, state="submitted"):
    return {
        "id": i,
        "state": state,
        "submitted_at": NOW - timedelta(minutes=submitted_minutes_ago),
        "last_poll_at": None
        if last_poll_minutes_ago is None
        else NOW - timedelta(minutes=last_poll_minutes_ago),
        "poll_count": polls,
    }


def test_first_poll_comes_seconds_after_submission():
    doc = {"submitted_at": NOW, "last_poll_at": None, "poll_count": 0}
    assert polling.next_poll(doc, SETTINGS) == NOW + timedelta(seconds=5)
    later = {"submitted_at": NOW, "last_poll_at": NOW, "poll_count": 9}
    assert polling.next_poll(later, SETTINGS) == NOW + timedelta(minutes=15)


def test_poll_plan_picks_oldest_due_respects_batch_and_reports_expired():
    docs = [
        _doc(1, 2),  # due (first poll after 5 s)
        _doc(2, 60, polls=6, last_poll_minutes_ago=5),  # not due: polled 5 min ago, interval 15
        _doc(3, 600, polls=9, last_poll_minutes_ago=40),  # due for a long time
        _doc(4, 26 * 60, polls=30, last_poll_minutes_ago=20),  # past 24 h: expired
        _doc(5, 10, state="accepted"),  # final: never polled
        _doc(6, 30, polls=5, last_poll_minutes_ago=16),
    ]
    plan = polling.plan(docs, SETTINGS, now=NOW)
    assert plan.poll_ids == [3, 1]  # due 9.7 h ago, due 115 s ago; 6 (due 60 s ago) waits
    assert plan.expired_ids == [4]
    assert plan.more is True
    assert polling.plan(docs, {**SETTINGS, "l10n_cr_auto_polling_enabled": False}, now=NOW).poll_ids == []


def test_no_document_starves():
    """Simulated cron runs: every due document is polled within a bounded number of runs."""
    docs = [_doc(i, 60 + i, polls=5, last_poll_minutes_ago=20) for i in range(10)]
    seen: set[int] = set()
    now = NOW
    for _run in range(5):
        plan = polling.plan(docs, SETTINGS, now=now)
        assert len(plan.poll_ids) <= 2
        for d in docs:
            if d["id"] in plan.poll_ids:
                d["last_poll_at"] = now
                d["poll_count"] += 1
        seen.update(plan.poll_ids)
    assert seen == set(range(10))


# ---------------------------------------------------------------- bulk, rate limiter, breaker


def test_bulk_plan_batches_concurrency_and_delay():
    settings = {"l10n_cr_batch_size": 50, "l10n_cr_batch_delay": 5, "l10n_cr_max_concurrent_batches": 3}
    batches = bulk.plan(list(range(250)), "sign", settings)
    assert [len(b.ids) for b in batches] == [50] * 5
    assert [b.start_offset for b in batches] == [0, 0, 0, 5, 5]
    assert [i for b in batches for i in b.ids] == list(range(250))


def test_bulk_submit_plan_respects_per_minute_limit():
    settings = {"l10n_cr_batch_size": 50, "l10n_cr_batch_delay": 5, "l10n_cr_max_concurrent_batches": 3}
    batches = bulk.plan(list(range(1000)), "submit", settings)
    starts: dict[int, int] = {}
    for b in batches:
        minute = int(b.start_offset // 60)
        starts[minute] = starts.get(minute, 0) + len(b.ids)
    assert max(starts.values()) <= 100
    assert batches[-1].start_offset >= 9 * 60
    with pytest.raises(ValueError):
        bulk.plan([1], "delete", settings)


def test_run_now_and_progress():
    assert bulk.run_now(5) is True
    assert bulk.run_now(500) is False
    assert bulk.progress(10, 6, 1) == {"done": 6, "failed": 1, "remaining": 3, "percent": 70.0}
    assert bulk.progress(0, 0, 0)["percent"] == 100.0


@given(st.lists(st.integers(min_value=0, max_value=300), min_size=1, max_size=40))
def test_rate_limiter_never_admits_more_than_the_limit_in_a_minute(gaps):
    history: list[datetime] = []
    now = NOW
    admitted_at: list[datetime] = []
    for gap in gaps:
        now = now + timedelta(seconds=gap)
        n, history = sched_adapter.rate_admit(history, now=now, wanted=7, per_minute=20)
        admitted_at.extend([now] * n)
    for t in admitted_at:
        assert sum(1 for u in admitted_at if t <= u < t + timedelta(minutes=1)) <= 20


def test_circuit_breaker_opens_probes_and_closes():
    state: dict = {}
    for _ in range(4):
        state = sched_adapter.breaker_record(state, success=False, now=NOW, threshold=5)
    assert state["state"] == "closed"
    state = sched_adapter.breaker_record(state, success=False, now=NOW, threshold=5)
    assert state["state"] == "open"
    allowed, _ = sched_adapter.breaker_allows(
        state, now=NOW + timedelta(seconds=30), cooldown=timedelta(minutes=2)
    )
    assert allowed is False
    allowed, probe = sched_adapter.breaker_allows(
        state, now=NOW + timedelta(minutes=3), cooldown=timedelta(minutes=2)
    )
    assert allowed is True and probe["state"] == "half_open"
    reopened = sched_adapter.breaker_record(probe, success=False, now=NOW, threshold=5)
    assert reopened["state"] == "open"
    assert sched_adapter.breaker_record(probe, success=True, now=NOW, threshold=5)["state"] == "closed"
