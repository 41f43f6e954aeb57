"""ADAPTER: the scheduling API the addon uses, from ``hacienda_cr`` when it has it.

The scheduling engine (retry policy, queue transitions, poll planner, bulk plans, rate
limiter, circuit breaker, statistics, settings) lives in ``hacienda_cr`` (Rust core; see
docs/scheduling.md in the hacienda-cr repository). An installed ``hacienda_cr`` built before
that API existed lacks those names; then :mod:`._sched_fallback` provides the same names and
rules in plain Python so the addon still works. :data:`NATIVE` says which one is in use (the
dashboard shows it). Everything in the addon imports scheduling from here and nowhere else.
"""

from __future__ import annotations

import hacienda_cr as hc

NAMES = (
    "Settings",
    "RetryPolicy",
    "plan_retry",
    "queue_on_failure",
    "queue_on_success",
    "queue_retry_now",
    "queue_cancel",
    "select_due",
    "queue_statistics",
    "cleanup_candidates",
    "next_poll_at",
    "plan_polls",
    "plan_bulk",
    "RateLimiter",
    "CircuitBreaker",
    "response_statistics",
    "dashboard",
)
NATIVE = all(hasattr(hc, name) for name in NAMES)

if NATIVE:
    api = hc
else:
    from . import _sched_fallback

    api = _sched_fallback  # same names and rules as hacienda_cr's scheduling API


def native() -> bool:
    """True when the installed ``hacienda_cr`` provides the scheduling API itself."""
    return NATIVE
