"""Clocks: time comes into the core through these, so tests can control it.

The scheduler reads a monotonic clock in milliseconds. :class:`SystemClock` is the real
one; :class:`FakeClock` moves only when told to.
"""

from __future__ import annotations

import time
from typing import Protocol


class MonotonicClock(Protocol):
    """A clock that never goes back, in milliseconds from an arbitrary origin."""

    def monotonic_ms(self) -> float:
        """The current time."""
        ...


class SystemClock:
    """The operating system's monotonic clock."""

    def monotonic_ms(self) -> float:
        """The current time, with sub-millisecond resolution."""
        return time.monotonic_ns() / 1_000_000


class FakeClock:
    """A clock for tests: it stands still until :meth:`advance` or :meth:`set` moves it."""

    def __init__(self, start_ms: float = 1_000_000.0) -> None:
        self._now = start_ms

    def monotonic_ms(self) -> float:
        """The current fake time."""
        return self._now

    def advance(self, delta_ms: float) -> None:
        """Move the clock forward by ``delta_ms``."""
        if delta_ms < 0:
            raise ValueError("a monotonic clock cannot go back")
        self._now += delta_ms

    def set(self, now_ms: float) -> None:
        """Move the clock forward to ``now_ms``."""
        self.advance(now_ms - self._now)
