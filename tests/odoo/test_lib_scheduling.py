"""The addon's glue to hacienda_cr's scheduling: retry values, queue transitions, poll
selection and bulk plans (the library's own rules are tested by its schedule vectors)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st
from l10n_cr_einvoice.lib import bulk, polling, queue

import hacienda_cr as hc

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=timezone.utc)
POLICY = queue.policy_for({"l10n_cr_max_retry_attempts": 5})


def verdict(category, reason="x"):
    return {"error_category": category, "retryable": True, "reason": reason, "hint_es": "h"}


def row(attempts=0, **kw):
    return {
        "id": 7,
        "document_ref": "doc-7",
        "operation": "submit",
        "created_at": NOW,
        "attempts": attempts,
        **kw,
    }


def test_first_transient_failure_retries_in_five_minutes():
    vals = queue.on_failure(row(), verdict("transient"), policy=POLICY, now=NOW)
    assert vals["state"] == "pending"
    assert vals["attempts"] == 1
    assert vals["next_attempt_at"] == NOW + timedelta(minutes=5)
    assert vals["first_failure_at"] == NOW
    assert vals["notify"] is False
    assert vals["last_error"] == "x"


@pytest.mark.parametrize(
    ("category", "attempts_before", "delay"),
    [
        ("rate_limit", 0, timedelta(minutes=10)),
        ("network", 1, timedelta(minutes=22, seconds=30)),
        ("server", 2, timedelta(minutes=90)),
        ("auth", 0, timedelta(minutes=15)),
        ("validation", 1, timedelta(minutes=90)),
        ("transient", 3, timedelta(hours=4)),
        ("validation", 4, timedelta(hours=24)),  # 12 h x 6, capped at 24 h
    ],
)
def test_delays_follow_base_times_and_category_multipliers(category, attempts_before, delay):
    vals = queue.on_failure(row(attempts_before), verdict(category), policy=POLICY, now=NOW)
    assert vals["state"] == "pending"
    assert vals["next_attempt_at"] - NOW == delay


@pytest.mark.parametrize("category", ["signature", "duplicate", "configuration"])
def test_non_retryable_categories_give_up_at_once_and_notify(category):
    vals = queue.on_failure(row(), verdict(category), policy=POLICY, now=NOW)
    assert vals["state"] == "failed"
    assert vals["next_attempt_at"] is None
    assert vals["notify"] is True
    assert vals["give_up_reason"] == "not_retryable"


def test_gives_up_after_max_retries():
    """max_retry_attempts = 5: five retries after the first try; the sixth failure gives up."""
    vals = queue.on_failure(row(4), verdict("transient"), policy=POLICY, now=NOW)
    assert vals["state"] == "pending" and vals["attempts"] == 5
    vals = queue.on_failure(row(5), verdict("transient"), policy=POLICY, now=NOW)
    assert vals["state"] == "failed" and vals["notify"] is True and vals["attempts"] == 6
    assert vals["give_up_reason"] == "max_attempts"


def test_retries_off_gives_up_at_once():
    policy = queue.policy_for({"l10n_cr_auto_retry_enabled": False})
    vals = queue.on_failure(row(), verdict("network"), policy=policy, now=NOW)
    assert vals["state"] == "failed" and vals["give_up_reason"] == "retry_disabled"


def test_later_retry_after_wins_and_earlier_does_not():
    later = NOW + timedelta(hours=1)
    vals = queue.on_failure(row(), verdict("rate_limit"), policy=POLICY, now=NOW, retry_after=later)
    assert vals["next_attempt_at"] == later
    earlier = NOW + timedelta(seconds=30)
    vals = queue.on_failure(row(), verdict("rate_limit"), policy=POLICY, now=NOW, retry_after=earlier)
    assert vals["next_attempt_at"] == NOW + timedelta(minutes=10)


def test_naive_now_is_refused():
    with pytest.raises(TypeError):
        queue.on_failure(row(), verdict("transient"), policy=POLICY, now=NOW.replace(tzinfo=None))


@given(category=st.sampled_from(["transient", "rate_limit", "network", "server", "auth", "validation"]))
def test_delays_never_decrease_with_attempts(category):
    vals = [
        queue.on_failure(
            row(n), verdict(category), policy=queue.policy_for({"l10n_cr_max_retry_attempts": 20}), now=NOW
        )
        for n in range(8)
    ]
    delays = [v["next_attempt_at"] - NOW for v in vals]
    assert delays == sorted(delays)
    assert max(delays) <= timedelta(hours=24)


def test_manual_transitions():
    failed = row(6, state="failed")
    assert queue.on_retry_now(failed, NOW) == {"state": "pending", "next_attempt_at": NOW}
    assert queue.on_cancel(row(1), NOW)["state"] == "cancelled"
    assert queue.on_success(row(1), NOW) == {"state": "done", "next_attempt_at": None}
    with pytest.raises((ValueError, hc.HaciendaError)):
        queue.on_cancel(row(1, state="done"), NOW)


def _entry(i, priority, minutes_ago, state="pending"):
    return {
        "id": i,
        "operation": "submit",
        "created_at": NOW - timedelta(days=1),
        "priority": priority,
        "next_attempt_at": NOW - timedelta(minutes=minutes_ago),
        "state": state,
    }


def test_due_selection_priority_then_due_time_with_more_flag():
    entries = [
        _entry(1, 10, 1),
        _entry(2, 20, 0),
        _entry(3, 10, 30),
        _entry(4, 20, -10),  # not due yet
        _entry(5, 30, 50, state="failed"),
        _entry(6, 5, 60),
    ]
    ids, more = queue.pick_due(entries, now=NOW, limit=3)
    assert ids == [2, 3, 1]
    assert more is True
    ids, more = queue.pick_due(entries, now=NOW, limit=10)
    assert ids == [2, 3, 1, 6] and more is False


def test_queue_statistics_and_cleanup():
    old = NOW - timedelta(days=40)

    def e(i, state, op, cat, due, updated):
        return {
            "id": i,
            "state": state,
            "operation": op,
            "error_category": cat,
            "next_attempt_at": due,
            "created_at": old,
            "updated_at": updated,
        }

    entries = [
        e(1, "pending", "submit", "network", NOW - timedelta(minutes=3), NOW),
        e(2, "failed", "poll", "auth", None, NOW),
        e(3, "done", "submit", None, None, old),
        e(4, "pending", "sign", "unknown", NOW + timedelta(hours=1), old),
    ]
    stats = queue.statistics(entries, now=NOW)
    assert stats["total"] == 4
    assert stats["by_state"] == {"pending": 2, "processing": 0, "done": 1, "failed": 1, "cancelled": 0}
    assert stats["by_operation"] == {"submit": 1, "sign": 1}  # open entries only
    assert stats["by_category"] == {"network": 1, "unknown": 1}
    assert stats["oldest_due_at"] == NOW - timedelta(minutes=3)
    assert stats["due_now"] == 1
    assert stats["give_ups_today"] == 1
    assert queue.cleanup_candidates(entries, now=NOW, days=30) == [3]


# ---------------------------------------------------------------- polling

SETTINGS = {"l10n_cr_polling_interval": 15, "l10n_cr_polling_max_hours": 24, "l10n_cr_polling_batch_size": 2}


def _doc(i, submitted_minutes_ago, polls=0, last_poll_minutes_ago=None, state=None):
    return {
        "id": i,
        "ind_estado": state,
        "submitted_at": NOW - timedelta(minutes=submitted_minutes_ago),
        "last_poll_at": None
        if last_poll_minutes_ago is None
        else NOW - timedelta(minutes=last_poll_minutes_ago),
        "poll_count": polls,
    }


def test_first_polls_come_seconds_after_submission():
    first = {"submitted_at": NOW, "last_poll_at": None, "poll_count": 0}
    assert polling.next_poll(first, SETTINGS) == NOW + timedelta(seconds=5)
    second = {"submitted_at": NOW, "last_poll_at": NOW, "poll_count": 1}
    assert polling.next_poll(second, SETTINGS) == NOW + timedelta(seconds=15)
    later = {"submitted_at": NOW, "last_poll_at": NOW, "poll_count": 9}
    assert polling.next_poll(later, SETTINGS) == NOW + timedelta(minutes=15)


def test_poll_plan_picks_oldest_due_respects_batch_and_reports_expired():
    docs = [
        _doc(1, 2),  # first poll due 5 s after submission: due 115 s ago
        _doc(2, 60, polls=7, last_poll_minutes_ago=5),  # polled 5 min ago, interval 15: not due
        _doc(3, 600, polls=9, last_poll_minutes_ago=40),  # due 25 min ago
        _doc(4, 26 * 60, polls=30, last_poll_minutes_ago=20),  # past 24 h: expired
        _doc(5, 10, state="aceptado"),  # a callback already answered: never polled
        _doc(6, 30, polls=7, last_poll_minutes_ago=16),  # due 60 s ago
    ]
    plan = polling.plan(docs, SETTINGS, now=NOW)
    assert plan.batch == [3, 1]
    assert plan.expired == [4]
    assert plan.more is True
    assert polling.plan(docs, {**SETTINGS, "l10n_cr_auto_polling_enabled": False}, now=NOW).batch == []


def test_no_document_starves():
    """Simulated cron runs: every due document is polled within ceil(due / batch) runs."""
    docs = [_doc(i, 60 + i, polls=7, last_poll_minutes_ago=20) for i in range(10)]
    seen: set[int] = set()
    for _run in range(5):
        plan = polling.plan(docs, SETTINGS, now=NOW)
        assert len(plan.batch) <= 2
        for d in docs:
            if d["id"] in plan.batch:
                d["last_poll_at"] = NOW
                d["poll_count"] += 1
        seen.update(plan.batch)
    assert seen == set(range(10))


# ---------------------------------------------------------------- bulk, rate limiter, breaker

BULK = {"l10n_cr_batch_size": 50, "l10n_cr_batch_delay": 5, "l10n_cr_max_concurrent_batches": 3}


def test_bulk_sign_plan_waves_and_delay():
    batches = bulk.plan(list(range(250)), "sign", BULK, now=NOW)
    assert [len(b["ids"]) for b in batches] == [50] * 5
    assert [b["wave"] for b in batches] == [0, 0, 0, 1, 1]
    assert [b["start_offset"] for b in batches] == [0, 0, 0, 5, 5]
    assert [i for b in batches for i in b["ids"]] == list(range(250))


def test_bulk_submit_plan_respects_100_posts_per_minute():
    batches = bulk.plan(list(range(1000)), "submit", BULK, now=NOW)
    starts = [b["start_offset"] for b in batches]
    assert starts[:4] == [0, 0, 60, 60]
    for b in batches:
        in_window = sum(
            len(c["ids"])
            for c in batches
            if b["start_at"] <= c["start_at"] < b["start_at"] + timedelta(minutes=1)
        )
        assert in_window <= 100
    assert 9 * 60 <= starts[-1] <= 10 * 60
    with pytest.raises(ValueError):
        bulk.plan([1], "delete", BULK, now=NOW)


def test_run_now_and_progress():
    assert bulk.run_now(5) is True
    assert bulk.run_now(500) is False
    assert bulk.progress(10, 6, 1) == {"done": 6, "failed": 1, "remaining": 3, "percent": 70.0}
    assert bulk.progress(0, 0, 0)["percent"] == 100.0
