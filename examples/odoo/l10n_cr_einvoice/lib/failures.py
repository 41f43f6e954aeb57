"""Classify a failed operation (HTTP answer, transport error, free text) with ``hacienda_cr``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import hacienda_cr as hc

from .responses import classification_values


def classify(
    *,
    http_status: int | None = None,
    error_cause: str | None = None,
    body: str = "",
    transport: str | None = None,
    text: str | None = None,
) -> dict[str, object]:
    """Classification values of one failure; exactly one source must be given.

    Returns the values of :func:`responses.classification_values` plus ``reason``.
    A 2xx HTTP status is not a failure: the values are then all False.
    """
    given = [x is not None for x in (http_status, transport, text)]
    if sum(given) != 1:
        raise ValueError("give exactly one of http_status, transport or text")
    if http_status is not None:
        c = hc.classify_http(http_status, error_cause, body)
    elif transport is not None:
        c = hc.classify_transport(transport, body)
    else:
        c = hc.classify_text(text or "")
    vals = classification_values(c)
    vals["reason"] = (c.reason or c.hint_en) if c else ""
    return vals


def classify_many(items: Iterable[Mapping[str, Any]]) -> list[dict[str, object]]:
    """Batch version: one boundary crossing for a cron's whole batch."""
    out = []
    for c in hc.classify_many(list(items)):
        vals = classification_values(c)
        vals["reason"] = (c.reason or c.hint_en) if c else ""
        out.append(vals)
    return out
