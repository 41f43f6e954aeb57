"""Dashboard and response statistics, computed by ``hacienda_cr``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import hacienda_cr as hc

# l10n_cr.einvoice.document state -> last ind-estado (None: not submitted yet)
_IND_ESTADO = {"accepted": "aceptado", "rejected": "rechazado", "error": "error"}


def _dashboard_doc(row: Mapping[str, Any]) -> dict[str, Any]:
    state = row["state"]
    if state in ("generated", "signed"):
        ind = None
    elif state == "submitted":
        ind = row.get("ind_estado") if row.get("ind_estado") in ("recibido", "procesando") else "recibido"
    else:
        ind = _IND_ESTADO[state]
    return {"state": ind, "submitted_at": row.get("submitted_at"), "answered_at": row.get("answered_at")}


def dashboard(
    documents: Iterable[Mapping[str, Any]],
    *,
    now: datetime,
    retry_queue_size: int = 0,
) -> dict[str, object]:
    """Dashboard over document rows (``state``, ``ind_estado``, ``submitted_at``,
    ``answered_at``): by ind-estado, acceptance rate (%), average and p95 seconds to the final
    answer, today's activity (Costa Rica day), pending work, retry queue size."""
    d = hc.dashboard([_dashboard_doc(r) for r in documents], now, retry_queue_size)
    rate = d.acceptance_rate
    return {
        "total": d.total,
        "by_ind_estado": dict(d.by_state),
        "acceptance_rate": round(100.0 * rate, 1) if rate is not None else None,
        "avg_answer_seconds": d.avg_answer_seconds,
        "p95_answer_seconds": d.p95_answer_seconds,
        "today": {"submitted": d.submitted_today, "accepted": d.accepted_today, "rejected": d.rejected_today},
        "pending_submissions": d.pending_submissions,
        "awaiting_answer": d.awaiting_answer,
        "retry_queue_size": d.retry_queue_size,
    }


def responses(rows: Iterable[Mapping[str, Any]], *, top: int = 10) -> dict[str, object]:
    """Response statistics over stored responses (``message_kind``, ``mensaje``,
    ``error_codes``): by kind, by result, by code, most frequent codes."""
    s = hc.response_statistics(
        [
            {
                "kind": r.get("message_kind") or None,
                "result": r.get("mensaje") or None,
                "codes": [int(c) for c in str(r.get("error_codes") or "").split(",") if c.strip()],
            }
            for r in rows
        ],
        top,
    )
    return {
        "total": s.total,
        "by_kind": dict(s.by_kind),
        "by_result": dict(s.by_result),
        "top_error_codes": [{"code": int(c), "count": int(n)} for c, n in s.top_codes],
    }
