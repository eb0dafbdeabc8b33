"""User settings as plain data: what the settings dialog edits and the session reads."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class AudioSettings:
    """How a session sounds."""

    speech: bool = True  #: speak the cues
    beeps: bool = True  #: play the beeps
    announce_next: bool = True  #: say what comes next and its numbers, not just its name
    voice: str | None = None  #: a voice id the speech engine lists; None for its default
    rate: int | None = None  #: words per minute; None for the engine's default
    volume: float = 1.0  #: 0.0 to 1.0
