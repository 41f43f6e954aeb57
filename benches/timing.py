"""Timing shared by the benchmark scripts."""

from __future__ import annotations

import time
from collections.abc import Callable


def best_of(rounds: int, fn: Callable[[], object]) -> float:
    """Best wall time in seconds of ``rounds`` runs of ``fn``; each result is freed after the clock
    stops, so neither side pays for the other's garbage."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
        del result
    return min(times)
