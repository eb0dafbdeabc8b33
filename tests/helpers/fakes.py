"""Test doubles for the audio interfaces of :mod:`backtimer.core.audio` and for the break
prompt (:class:`~backtimer.qt.breaks.prompts.BreakPrompter`)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from backtimer.core.audio import Pcm, Progress
from backtimer.core.clock import MonotonicClock, SystemClock
from backtimer.qt.breaks.prompts import BreakPrompter


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
        #: Set by a test: playback has failed, as a device gone mid-session makes it.
        self.failed = False

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


class FakeSpeech:
    """A :class:`~backtimer.core.audio.SpeechRenderer` whose every phrase is a silent Pcm
    ``ms_per_char`` long per character; it records what was rendered."""

    def __init__(self, ms_per_char: int = 60) -> None:
        self.ms_per_char = ms_per_char
        self.rendered: list[str] = []
        self.closed = False
        #: Set by a test: why speech is off (as :attr:`SpeechService.off_reason`); render()
        #: then gives None.
        self.off_reason: str | None = None

    def _pcm(self, text: str) -> Pcm:
        frames = int(len(text) * self.ms_per_char * 8)  # 8 kHz mono: 8 frames per ms
        return Pcm(b"\0\0" * frames, 8000)

    def render(self, text: str) -> Pcm | None:
        if self.off_reason is not None:
            return None
        if text not in self.rendered:
            self.rendered.append(text)
        return self._pcm(text)

    def cached(self, text: str) -> Path | None:
        """A stand-in path once ``text`` has been rendered (no file is written)."""
        if text not in self.rendered:
            return None
        return Path("fake-speech") / f"{self.rendered.index(text)}.wav"

    def prerender(self, texts: Iterable[str], progress: Progress | None = None) -> None:
        wanted = list(texts)
        for done, text in enumerate(wanted, start=1):
            self.render(text)
            if progress is not None:
                progress(done, len(wanted))

    def duration_ms(self, text: str) -> int | None:
        return len(text) * self.ms_per_char if text in self.rendered else None

    def close(self) -> None:
        self.closed = True


class FakePrompter(BreakPrompter):
    """A :class:`~backtimer.qt.breaks.prompts.BreakPrompter` that records what it was asked to show;
    a test answers for the user with :meth:`choose`."""

    kind = "fake"

    def __init__(self, snooze_minutes: int = 10) -> None:
        super().__init__(snooze_minutes)
        #: (title, body) of every reminder shown, in order.
        self.shown: list[tuple[str, str]] = []
        self.withdrawn = 0

    def show_reminder(self, title: str, body: str) -> None:
        super().show_reminder(title, body)
        self.shown.append((title, body))

    def withdraw(self) -> None:
        super().withdraw()
        self.withdrawn += 1

    def choose(self, answer: str) -> None:
        """Answer the reminder showing: "start", "snooze", "skip" or "dismiss"."""
        signal = {
            "start": self.start_requested,
            "snooze": self.snooze_requested,
            "skip": self.skip_requested,
            "dismiss": self.dismissed,
        }[answer]
        self._answer(signal)
