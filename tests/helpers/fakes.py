"""Test doubles for the audio interfaces of :mod:`backtimer.core.audio`."""

from __future__ import annotations

from typing import NamedTuple

from backtimer.core.audio import Pcm
from backtimer.core.clock import MonotonicClock, SystemClock


class Played(NamedTuple):
    """One call of :meth:`FakePlayer.play`."""

    at_ms: float  #: the clock's monotonic time when play() was called
    sound: Pcm


class FakePlayer:
    """A :class:`~backtimer.core.audio.SoundPlayer` that records instead of playing.

    Times come from ``clock`` (the system's monotonic clock unless a test passes a
    :class:`~backtimer.core.clock.FakeClock`), in milliseconds.
    """

    def __init__(self, clock: MonotonicClock | None = None) -> None:
        self._clock = clock if clock is not None else SystemClock()
        self.plays: list[Played] = []
        self.stops: list[float] = []

    def play(self, sound: Pcm) -> None:
        """Record ``sound`` with the time it was played."""
        self.plays.append(Played(self._clock.monotonic_ms(), sound))

    def stop(self) -> None:
        """Record the time of the stop."""
        self.stops.append(self._clock.monotonic_ms())

    @property
    def sounds(self) -> list[Pcm]:
        """What was played, in order, without the times."""
        return [played.sound for played in self.plays]
