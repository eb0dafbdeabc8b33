"""The wall clock, injected like the monotonic one so tests can move it (and suspend).

Reminders need both clocks: the wall clock for working hours and the saved schedule, the
monotonic clock (:class:`~backtimer.core.clock.MonotonicClock`) for the one timer the app
arms. The gap between them grows while the machine sleeps.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class WallClock(Protocol):
    """The current date and time."""

    def now(self) -> datetime:
        """The current time, aware (any zone)."""
        ...


class SystemWallClock:
    """The operating system's clock, in UTC."""

    def now(self) -> datetime:
        """The current time."""
        return datetime.now(UTC)


class FakeWallClock:
    """A wall clock for tests: it stands still until moved."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("a wall clock keeps aware datetimes")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        """The current fake time, in UTC."""
        return self._now

    def advance(self, delta: timedelta) -> None:
        """Move the clock by ``delta`` (back, too: a wall clock can be set back)."""
        self._now += delta

    def set(self, now: datetime) -> None:
        """Jump to ``now``."""
        self._now = now.astimezone(UTC)
