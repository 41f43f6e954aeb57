"""Plans for the bulk sign / submit / status-check wizards, made by ``hacienda_cr.plan_bulk``
with its rate limiter (Hacienda's per-minute limits)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import hacienda_cr as hc

from .settings import from_values

# wizard operation -> hacienda_cr operation
OPERATIONS = {"sign": "sign", "submit": "submit", "status": "poll"}
# Selections up to this size run inside the request; bigger ones go to the cron.
RUN_NOW_LIMIT = 20


def plan(
    ids: list[int],
    operation: str,
    settings: Mapping[str, object],
    *,
    now: datetime,
    rate_state: Mapping[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """Batches as dicts: ``index``, ``ids``, ``wave``, ``start_at`` (aware) and
    ``start_offset`` (seconds after ``now``)."""
    if operation not in OPERATIONS:
        raise ValueError(f"unknown bulk operation {operation!r}")
    p = hc.plan_bulk(
        list(ids), OPERATIONS[operation], now, from_values(settings), hc.RateLimiter(), rate_state
    )
    return [
        {
            "index": b.index,
            "ids": list(b.ids),
            "wave": b.wave,
            "start_at": b.start_at,
            "start_offset": (b.start_at - now).total_seconds(),
        }
        for b in p.batches
    ]


def run_now(count: int) -> bool:
    """Whether a selection of ``count`` documents may run inside the HTTP request."""
    return count <= RUN_NOW_LIMIT


def progress(total: int, done: int, failed: int) -> dict[str, object]:
    """Progress of a bulk job: remaining and percentage."""
    remaining = max(total - done - failed, 0)
    percent = 100.0 if total == 0 else round(100.0 * (done + failed) / total, 1)
    return {"done": done, "failed": failed, "remaining": remaining, "percent": percent}
