"""The audio interfaces the rest of backtimer talks to, with no audio library behind them.

Real implementations live in :mod:`backtimer.audio` (simpleaudio for playback, pyttsx3 in
a worker process for speech); tests use fakes. Sound is passed around as :class:`Pcm`:
16-bit little-endian PCM in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Pcm:
    """Signed 16-bit little-endian PCM audio."""

    frames: bytes
    sample_rate: int
    channels: int = 1

    @property
    def duration_ms(self) -> float:
        """How long the sound plays."""
        return len(self.frames) / (2 * self.channels) / self.sample_rate * 1000


class SoundPlayer(Protocol):
    """Plays sounds without blocking the caller."""

    def play(self, sound: Pcm) -> None:
        """Start playing ``sound`` now; a sound already playing goes on with it."""
        ...

    def stop(self) -> None:
        """Stop whatever is playing."""
        ...


#: Told how far pre-rendering has come: (phrases done, phrases in all).
Progress = Callable[[int, int], None]


class SpeechRenderer(Protocol):
    """Turns phrases into speech audio, cached on disk."""

    def render(self, text: str) -> Pcm | None:
        """The phrase spoken, or None when no speech engine works."""
        ...

    def cached(self, text: str) -> Path | None:
        """The cached WAV of ``text`` if it has been rendered, without rendering it."""
        ...

    def prerender(self, texts: Iterable[str], progress: Progress | None = None) -> None:
        """Render every phrase not yet in the cache."""
        ...

    def duration_ms(self, text: str) -> int | None:
        """The real length of a cached phrase, or None if it has not been rendered."""
        ...

    def close(self) -> None:
        """Stop the speech engine; cached phrases stay usable."""
        ...
