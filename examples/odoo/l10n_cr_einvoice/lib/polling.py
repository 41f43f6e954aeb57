"""Which submitted documents to poll now (the polling cron)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from . import sched_adapter as sched
from .settings import with_defaults


def plan(documents: list[dict], settings: Mapping[str, object], *, now: datetime) -> sched.PollPlan:
    """Poll plan for one company: ``documents`` are dicts with ``id``, ``state``,
    ``submitted_at``, ``last_poll_at``, ``poll_count`` (aware datetimes)."""
    s = with_defaults(settings)
    return sched.plan_polls(
        documents,
        now=now,
        enabled=bool(s["l10n_cr_auto_polling_enabled"]),
        interval_minutes=int(s["l10n_cr_polling_interval"]),  # type: ignore[call-overload]
        max_hours=int(s["l10n_cr_polling_max_hours"]),  # type: ignore[call-overload]
        batch_size=int(s["l10n_cr_polling_batch_size"]),  # type: ignore[call-overload]
    )


def next_poll(doc: Mapping[str, object], settings: Mapping[str, object]) -> datetime:
    """When ``doc`` is next due (to show it on the form and to plan a trigger)."""
    s = with_defaults(settings)
    return sched.next_poll_at(
        submitted_at=doc["submitted_at"],  # type: ignore[arg-type]
        last_poll_at=doc.get("last_poll_at"),  # type: ignore[arg-type]
        poll_count=int(doc.get("poll_count") or 0),  # type: ignore[call-overload]
        interval=timedelta(minutes=int(s["l10n_cr_polling_interval"])),  # type: ignore[call-overload]
    )
