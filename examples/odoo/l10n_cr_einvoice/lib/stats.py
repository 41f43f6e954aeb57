"""Dashboard and response statistics."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime

DOCUMENT_STATES = ("generated", "signed", "submitted", "accepted", "rejected", "error")


def _p95(values: list[float]) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(math.ceil(0.95 * len(ordered)) - 1, 0)]


def dashboard(
    documents: Iterable[Mapping[str, object]],
    *,
    now: datetime,
    retry_queue_size: int = 0,
    needs_attention: int = 0,
) -> dict[str, object]:
    """Dashboard statistics over ``documents`` (dicts with ``state``, ``submitted_at``,
    ``answered_at``; aware datetimes or None).

    Returns documents by state, acceptance rate (accepted / decided, in %), average and p95
    seconds from submission to final answer, today's activity, pending submissions and the
    retry queue size.
    """
    by_state = dict.fromkeys(DOCUMENT_STATES, 0)
    durations: list[float] = []
    today = now.date()
    submitted_today = accepted_today = rejected_today = 0
    total = 0
    for doc in documents:
        total += 1
        state = str(doc["state"])
        by_state[state] = by_state.get(state, 0) + 1
        sub = doc.get("submitted_at")
        ans = doc.get("answered_at")
        if isinstance(sub, datetime) and sub.date() == today:
            submitted_today += 1
        if state in ("accepted", "rejected") and isinstance(ans, datetime):
            if ans.date() == today:
                accepted_today += state == "accepted"
                rejected_today += state == "rejected"
            if isinstance(sub, datetime) and ans >= sub:
                durations.append((ans - sub).total_seconds())
    decided = by_state["accepted"] + by_state["rejected"]
    return {
        "total": total,
        "by_state": by_state,
        "acceptance_rate": round(100.0 * by_state["accepted"] / decided, 1) if decided else 0.0,
        "avg_acceptance_seconds": round(sum(durations) / len(durations), 1) if durations else 0.0,
        "p95_acceptance_seconds": round(_p95(durations), 1),
        "today": {
            "submitted": submitted_today,
            "accepted": accepted_today,
            "rejected": rejected_today,
        },
        "pending": by_state["submitted"],
        "to_submit": by_state["signed"],
        "needs_attention": needs_attention,
        "retry_queue_size": retry_queue_size,
    }


def responses(rows: Iterable[Mapping[str, object]], *, top: int = 10) -> dict[str, object]:
    """Response statistics: by message kind, by ind-estado, most frequent error codes."""
    kinds: Counter[str] = Counter()
    states: Counter[str] = Counter()
    codes: Counter[int] = Counter()
    total = 0
    for row in rows:
        total += 1
        kinds[str(row.get("message_kind") or "status_only")] += 1
        states[str(row.get("ind_estado") or "unknown")] += 1
        for c in str(row.get("error_codes") or "").split(","):
            if c.strip():
                codes[int(c)] += 1
    return {
        "total": total,
        "by_kind": dict(kinds),
        "by_state": dict(states),
        "top_error_codes": [{"code": c, "count": n} for c, n in codes.most_common(top)],
    }
