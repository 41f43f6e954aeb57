"""Which submitted documents to poll now (the polling cron), decided by ``hacienda_cr``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import hacienda_cr as hc

from .settings import from_values


def _doc(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "submitted_at": row["submitted_at"],
        "state": row.get("ind_estado") or None,
        "poll_count": int(row.get("poll_count") or 0),
        "last_polled_at": row.get("last_poll_at"),
    }


def plan(documents: list[Mapping[str, Any]], settings: Mapping[str, object], *, now: datetime):
    """``hacienda_cr.PollPlan`` (``batch``, ``expired``, ``more``, ``next_due_at``) for one
    company. ``documents``: dicts with ``id``, ``submitted_at``, ``ind_estado``, ``poll_count``,
    ``last_poll_at`` (aware datetimes)."""
    return hc.plan_polls([_doc(d) for d in documents], now, from_values(settings))


def next_poll(doc: Mapping[str, Any], settings: Mapping[str, object]) -> datetime:
    """When ``doc`` is next due (shown on the form)."""
    d = _doc({"id": 0, **doc})
    return hc.next_poll_at(d["submitted_at"], d["poll_count"], d["last_polled_at"], from_values(settings))
