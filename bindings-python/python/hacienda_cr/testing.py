"""Test helpers: a faithful loopback stand-in for Hacienda's sandbox, the way moto serves boto.

>>> from hacienda_cr.testing import Simulator, client_for
>>> with Simulator(speed=60, latency_ms=50) as sim:
...     client = client_for(sim)
...     client.login()

pytest: add ``pytest_plugins = ["hacienda_cr.testing"]`` to a ``conftest.py`` and request the
``hacienda_simulator`` fixture (a fresh simulator per test, stopped afterwards), or
``hacienda_client`` (a client logged into it).

The simulator's per-minute limits (300 requests, 100 POSTs, 100 GETs, 10 token requests) are
answered with 429 + ``Retry-After``: that is the simulator's choice, Hacienda does not document
how it enforces them. Durations of the simulator (processing 1-15 s, token lives, rate windows,
outage windows) run ``speed`` times faster than the wall clock; on the wire they are converted
to wall-clock seconds so unmodified clients behave correctly.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ._native import Client, Simulator

__all__ = ["Simulator", "client_for"]


def client_for(sim: Simulator, **options: Any) -> Client:
    """A ``Client`` for ``sim`` with its credentials (options go to ``Client``)."""
    options.setdefault("timeout", 10.0)
    return Client(username=sim.username, password=sim.password, environment=sim.url, **options)


def _simulator() -> Iterator[Simulator]:
    with Simulator(speed=100.0, processing_secs=(1.0, 5.0), rejection_rate=0.0) as sim:
        yield sim


try:
    import pytest
except ImportError:  # pragma: no cover - pytest is optional at run time
    pass
else:

    @pytest.fixture
    def hacienda_simulator() -> Iterator[Simulator]:
        """A fresh simulator (speed 100: decisions within 50 ms), stopped after the test."""
        yield from _simulator()

    @pytest.fixture
    def hacienda_client(hacienda_simulator: Simulator) -> Client:
        """A client for ``hacienda_simulator``."""
        return client_for(hacienda_simulator)

    __all__ += ["hacienda_client", "hacienda_simulator"]
