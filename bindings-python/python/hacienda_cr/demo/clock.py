"""A compressed clock: demo time runs `speed` times faster than the wall clock."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone


class DemoClock:
    def __init__(self, speed: float, start: datetime | None = None) -> None:
        self.speed = speed
        self.start = start or datetime.now(timezone.utc).replace(microsecond=0)
        self._t0 = time.monotonic()

    def now(self) -> datetime:
        return self.start + timedelta(seconds=(time.monotonic() - self._t0) * self.speed)

    def wall_elapsed(self) -> float:
        return time.monotonic() - self._t0

    def wall(self, demo_seconds: float) -> float:
        """Wall seconds for a span of demo seconds."""
        return demo_seconds / self.speed
