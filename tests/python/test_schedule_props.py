"""Property tests of the scheduling binding: rows and columns agree, instants convert exactly
from any fixed offset, due selection matches a plain sort, and the limiter's dict state never
lets more than the limit through in any minute (the Rust properties cover the core itself)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import hacienda_cr as hc

UTC = timezone.utc
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)

offsets = st.integers(min_value=-14 * 60, max_value=14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
instants = st.integers(min_value=-40 * 86400 * 10**6, max_value=40 * 86400 * 10**6).map(
    lambda us: NOW + timedelta(microseconds=us)
)


@given(instants, offsets)
def test_instants_convert_exactly_from_any_fixed_offset(t: datetime, tz: timezone) -> None:
    local = t.astimezone(tz)
    assert hc.next_poll_at(local, 0, None, hc.Settings()) == t + timedelta(seconds=5)
    assert hc.next_poll_at(local, 0, local, hc.Settings()) == t + timedelta(seconds=5)


entries = st.lists(
    st.fixed_dictionaries(
        {
            "state": st.sampled_from(["pending", "pending", "processing", "done", "failed", "cancelled"]),
            "priority": st.integers(-2, 2),
            "next_attempt_at": st.one_of(st.none(), st.integers(-7200, 7200)),
        }
    ),
    max_size=80,
)


@given(entries, st.integers(0, 30), offsets)
def test_select_due_matches_a_plain_sort_in_rows_and_columns(
    raw: list[dict[str, Any]], limit: int, tz: timezone
) -> None:
    rows = [
        {
            "id": i,
            "state": r["state"],
            "priority": r["priority"],
            "next_attempt_at": None
            if r["next_attempt_at"] is None
            else (NOW + timedelta(seconds=r["next_attempt_at"])).astimezone(tz),
        }
        for i, r in enumerate(raw)
    ]
    floor = datetime.min.replace(tzinfo=UTC)
    due = sorted(
        (-r["priority"], r["next_attempt_at"] or floor, r["id"])
        for r in rows
        if r["state"] == "pending" and (r["next_attempt_at"] is None or r["next_attempt_at"] <= NOW)
    )
    expected = ([i for *_, i in due[:limit]], len(due) > limit)
    assert hc.select_due(rows, NOW, limit) == expected
    columns = {k: [r[k] for r in rows] for k in ("id", "state", "priority", "next_attempt_at")}
    assert hc.select_due(columns, NOW, limit) == expected


documents = st.lists(
    st.tuples(
        st.integers(0, 30 * 3600),
        st.sampled_from([None, "recibido", "procesando", "aceptado", "rechazado"]),
        st.integers(0, 10),
    ),
    max_size=60,
)


@given(documents, st.integers(1, 20))
def test_poll_plans_agree_for_rows_and_columns_and_stay_bounded(raw: list[Any], batch: int) -> None:
    s = hc.Settings(polling_batch_size=batch)
    rows = [
        {
            "id": i,
            "submitted_at": NOW - timedelta(seconds=age),
            "state": state,
            "poll_count": polls,
            "last_polled_at": NOW - timedelta(seconds=age // 2) if polls else None,
        }
        for i, (age, state, polls) in enumerate(raw)
    ]
    plan = hc.plan_polls(rows, NOW, s)
    assert len(plan.batch) <= batch
    for i in plan.batch:
        r = rows[i]
        assert r["state"] not in ("aceptado", "rechazado")
        due = hc.next_poll_at(r["submitted_at"], r["poll_count"], r["last_polled_at"], s)
        assert due <= NOW
        assert r["submitted_at"] > NOW - timedelta(hours=24)
    columns = {
        k: [r[k] for r in rows] for k in ("id", "submitted_at", "state", "poll_count", "last_polled_at")
    }
    assert hc.plan_polls(columns, NOW, s).to_dict() == plan.to_dict()


calls = st.lists(
    st.tuples(st.integers(0, 15_000), st.sampled_from(["post", "get", "token"]), st.integers(1, 40)),
    min_size=1,
    max_size=60,
)


@settings(max_examples=60)
@given(calls, st.integers(1, 50), st.integers(1, 80))
def test_limiter_state_through_json_never_exceeds_the_limits(seq: list[Any], posts: int, total: int) -> None:
    limiter = hc.RateLimiter(requests_per_minute=total, posts_per_minute=posts)
    stored: dict[str, Any] | None = None
    now = NOW
    admitted: dict[str, list[datetime]] = {"all": [], "post": []}
    for gap_ms, kind, count in seq:
        now += timedelta(milliseconds=gap_ms)
        d = limiter.admit(stored, kind, now, count)
        stored = json.loads(json.dumps(d.stored))
        admitted["all"] += [now] * d.admitted
        if kind == "post":
            admitted["post"] += [now] * d.admitted
    for key, limit in (("all", total), ("post", posts)):
        times = admitted[key]
        for t in times:
            in_window = sum(1 for u in times if t - timedelta(seconds=60) < u <= t)
            assert in_window <= limit, (key, t)
