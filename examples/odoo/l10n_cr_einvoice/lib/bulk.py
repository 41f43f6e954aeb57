"""Plans for the bulk sign / submit / status-check wizards."""

from __future__ import annotations

from collections.abc import Mapping

from . import sched_adapter as sched
from .settings import with_defaults

# Documents per minute per operation (the sandbox limits integrators reported:
# 100 accepted POSTs/min, 100 GET/min; signing is local).
PER_MINUTE = {"sign": None, "submit": 100, "status": 100}
# Selections up to this size run inside the request; bigger ones go to the cron.
RUN_NOW_LIMIT = 20


def plan(ids: list[int], operation: str, settings: Mapping[str, object]) -> list[sched.BulkBatch]:
    """Batches (ids and start offsets in seconds) for ``operation`` on ``ids``."""
    if operation not in PER_MINUTE:
        raise ValueError(f"unknown bulk operation {operation!r}")
    s = with_defaults(settings)
    return sched.plan_bulk(
        list(ids),
        batch_size=int(s["l10n_cr_batch_size"]),  # type: ignore[call-overload]
        batch_delay=float(s["l10n_cr_batch_delay"]),  # type: ignore[arg-type]
        max_concurrent=int(s["l10n_cr_max_concurrent_batches"]),  # type: ignore[call-overload]
        per_minute=PER_MINUTE[operation],
    )


def run_now(count: int) -> bool:
    """Whether a selection of ``count`` documents may run inside the HTTP request."""
    return count <= RUN_NOW_LIMIT


def progress(total: int, done: int, failed: int) -> dict[str, object]:
    """Progress of a bulk job: remaining and percentage."""
    remaining = max(total - done - failed, 0)
    percent = 100.0 if total == 0 else round(100.0 * (done + failed) / total, 1)
    return {"done": done, "failed": failed, "remaining": remaining, "percent": percent}
