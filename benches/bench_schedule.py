"""Scheduling over 100 000 records, from Python, including conversion of the records.

hacienda_cr (``plan_polls``, ``select_due``, ``dashboard``) against a straightforward pure-Python
implementation of the same rules written below, on the same records, in the same process. The
records are what an Odoo cron has in hand: a list of dicts with timezone-aware datetimes
(``search_read``), or the same data as columns (a dict of lists). Both implementations are
checked to give the same answer before anything is timed. One ``BENCH`` line per figure.

Run: ``python benches/bench_schedule.py [--records N] [--rounds R]``
"""

from __future__ import annotations

import argparse
import json
import math
import random
from datetime import datetime, timedelta, timezone
from typing import Any

from timing import best_of

import hacienda_cr as hc

UTC = timezone.utc
CR = timezone(timedelta(hours=-6))
NOW = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)
TARGET_MS = 100.0

# ----------------------------------------------------------------------------- the baseline

STEPS = [5, 15, 30, 60, 120, 300]
FINAL = {"aceptado", "rechazado", "error"}


def py_plan_polls(docs: list[dict[str, Any]], now: datetime, interval_min: int, max_hours: int, batch: int):
    """Oldest due first, final states skipped, documents past max hours expired."""
    interval = timedelta(minutes=interval_min)
    expiry = now - timedelta(hours=max_hours)
    due: list[tuple[datetime, int]] = []
    expired: list[int] = []
    for d in docs:
        if d.get("state") in FINAL:
            continue
        if d["submitted_at"] <= expiry:
            expired.append(d["id"])
            continue
        n = d.get("poll_count") or 0
        step = min(timedelta(seconds=STEPS[n]), interval) if n < len(STEPS) else interval
        at = (d.get("last_polled_at") or d["submitted_at"]) + step
        if at <= now:
            due.append((at, d["id"]))
    due.sort()
    return [i for _, i in due[:batch]], expired, len(due) > batch


def py_select_due(entries: list[dict[str, Any]], now: datetime, limit: int) -> tuple[list[int], bool]:
    """Pending and due; priority first, then due time (unset first), then id."""
    floor = datetime.min.replace(tzinfo=UTC)
    due = [
        (-(e.get("priority") or 0), e.get("next_attempt_at") or floor, e["id"])
        for e in entries
        if e.get("state", "pending") == "pending"
        and (e.get("next_attempt_at") is None or e["next_attempt_at"] <= now)
    ]
    due.sort()
    return [i for *_, i in due[:limit]], len(due) > limit


def py_dashboard(docs: list[dict[str, Any]], now: datetime) -> dict[str, Any]:
    today = now.astimezone(CR).date()
    by_state = dict.fromkeys(["not_submitted", "recibido", "procesando", "aceptado", "rechazado", "error"], 0)
    durations: list[float] = []
    submitted_today = accepted_today = rejected_today = 0
    for d in docs:
        state = d.get("state") or "not_submitted"
        by_state[state] += 1
        sent, answered = d.get("submitted_at"), d.get("answered_at")
        if sent is not None and sent.astimezone(CR).date() == today:
            submitted_today += 1
        if state in FINAL:
            if sent is not None and answered is not None and answered >= sent:
                durations.append((answered - sent).total_seconds())
            if answered is not None and answered.astimezone(CR).date() == today:
                accepted_today += state == "aceptado"
                rejected_today += state == "rechazado"
    decided = by_state["aceptado"] + by_state["rechazado"]
    durations.sort()
    return {
        "by_state": by_state,
        "acceptance_rate": by_state["aceptado"] / decided if decided else None,
        "avg_answer_seconds": sum(durations) / len(durations) if durations else None,
        "p95_answer_seconds": durations[math.ceil(0.95 * len(durations)) - 1] if durations else None,
        "submitted_today": submitted_today,
        "accepted_today": accepted_today,
        "rejected_today": rejected_today,
    }


# ----------------------------------------------------------------------------- records


def poll_documents(n: int, rng: random.Random) -> list[dict[str, Any]]:
    docs = []
    for i in range(n):
        submitted = NOW - timedelta(seconds=rng.randrange(0, 30 * 3600))
        polls = rng.randrange(0, 12)
        last = submitted + timedelta(seconds=rng.randrange(0, max(1, int((NOW - submitted).total_seconds()))))
        docs.append(
            {
                "id": i,
                "submitted_at": submitted,
                "state": rng.choice([None, "recibido", "procesando", "procesando", "aceptado"]),
                "poll_count": polls,
                "last_polled_at": last if polls else None,
            }
        )
    return docs


def queue_entries(n: int, rng: random.Random) -> list[dict[str, Any]]:
    return [
        {
            "id": i,
            "state": rng.choice(["pending", "pending", "pending", "processing", "done", "failed"]),
            "priority": rng.choice([0, 0, 0, 1, 5]),
            "next_attempt_at": NOW + timedelta(seconds=rng.randrange(-86400, 86400))
            if rng.random() > 0.01
            else None,
        }
        for i in range(n)
    ]


def dashboard_documents(n: int, rng: random.Random) -> list[dict[str, Any]]:
    docs = []
    for _ in range(n):
        state = rng.choice(
            [None, "recibido", "procesando", "aceptado", "aceptado", "aceptado", "rechazado", "error"]
        )
        sent = NOW - timedelta(seconds=rng.randrange(0, 10 * 86400)) if state else None
        answered = (
            sent + timedelta(milliseconds=rng.randrange(500, 60_000)) if sent and state in FINAL else None
        )
        docs.append({"state": state, "submitted_at": sent, "answered_at": answered})
    return docs


def columns(rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
    return {k: [r[k] for r in rows] for k in rows[0]}


def epoch_columns(rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
    """Columns with POSIX seconds instead of datetimes, as ``SELECT extract(epoch from ...)`` gives."""
    return {
        k: [v.timestamp() if isinstance(v, datetime) else v for v in (r[k] for r in rows)] for k in rows[0]
    }


# ----------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    n, rounds = args.records, args.rounds
    rng = random.Random(20260302)
    settings = hc.Settings()

    polls = poll_documents(n, rng)
    queue = queue_entries(n, rng)
    dash = dashboard_documents(n, rng)
    poll_cols, queue_cols, dash_cols = columns(polls), columns(queue), columns(dash)
    poll_epoch, queue_epoch, dash_epoch = epoch_columns(polls), epoch_columns(queue), epoch_columns(dash)

    # Same answers first.
    plan = hc.plan_polls(polls, NOW, settings)
    assert (plan.batch, plan.expired, plan.more) == py_plan_polls(polls, NOW, 15, 24, 50)
    assert hc.plan_polls(poll_cols, NOW, settings).batch == plan.batch
    assert hc.select_due(queue, NOW, 50) == py_select_due(queue, NOW, 50)
    assert hc.select_due(queue_cols, NOW, 50) == py_select_due(queue, NOW, 50)
    ours = hc.dashboard(dash, NOW).to_dict()
    theirs = py_dashboard(dash, NOW)
    for key, value in theirs.items():
        if isinstance(value, float):
            assert math.isclose(ours[key], value, rel_tol=1e-9), key
        else:
            assert ours[key] == value, key
    assert hc.dashboard(dash_cols, NOW).to_dict() == ours
    assert hc.plan_polls(poll_epoch, NOW, settings).batch == plan.batch
    assert hc.select_due(queue_epoch, NOW, 50) == py_select_due(queue, NOW, 50)
    assert hc.dashboard(dash_epoch, NOW).by_state == ours["by_state"]

    jobs = [
        (
            f"poll batch of 50 among {n:,} pending documents",
            lambda: hc.plan_polls(polls, NOW, settings),
            lambda: hc.plan_polls(poll_cols, NOW, settings),
            lambda: hc.plan_polls(poll_epoch, NOW, settings),
            lambda: py_plan_polls(polls, NOW, 15, 24, 50),
        ),
        (
            f"due entries (50) among {n:,} queue entries",
            lambda: hc.select_due(queue, NOW, 50),
            lambda: hc.select_due(queue_cols, NOW, 50),
            lambda: hc.select_due(queue_epoch, NOW, 50),
            lambda: py_select_due(queue, NOW, 50),
        ),
        (
            f"dashboard over {n:,} documents",
            lambda: hc.dashboard(dash, NOW),
            lambda: hc.dashboard(dash_cols, NOW),
            lambda: hc.dashboard(dash_epoch, NOW),
            lambda: py_dashboard(dash, NOW),
        ),
    ]
    print(f"scheduling from Python, {n:,} records, best of {rounds}, times include converting the records")
    print("  rows: list of dicts with aware datetimes; cols: dict of lists, same values;")
    print("  epoch: dict of lists with POSIX seconds for the instants; pure Python: list of dicts")
    head = f"{'job':46} {'rows':>9} {'cols':>9} {'epoch':>9} {'pure Python':>12} {'speed-up':>9}"
    print(head)
    for name, rows_fn, cols_fn, epoch_fn, py_fn in jobs:
        rows_ms = 1000 * best_of(rounds, rows_fn)
        cols_ms = 1000 * best_of(rounds, cols_fn)
        epoch_ms = 1000 * best_of(rounds, epoch_fn)
        py_ms = 1000 * best_of(rounds, py_fn)
        ok = "ok" if rows_ms < TARGET_MS and rows_ms < py_ms else "MISSED"
        print(
            f"{name:46} {rows_ms:6.1f} ms {cols_ms:6.1f} ms {epoch_ms:6.1f} ms {py_ms:9.1f} ms"
            f" {py_ms / rows_ms:8.1f}x  {ok}"
        )
        record = {
            "name": f"{name} (list of dicts)",
            "value": round(rows_ms, 1),
            "unit": "ms",
            "columns_value": round(cols_ms, 1),
            "epoch_columns_value": round(epoch_ms, 1),
            "baseline": "pure Python, same rules",
            "baseline_value": round(py_ms, 1),
            "target": f"< {TARGET_MS:.0f} ms and faster than the baseline",
        }
        print("BENCH " + json.dumps(record, ensure_ascii=False))


if __name__ == "__main__":
    main()
