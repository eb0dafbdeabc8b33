"""What one launch asks of its sessions on top of the user's settings (``run --voice …``).

Kept apart from the session factory so that reading the command line and starting the
window load nothing of the plan compiler.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from backtimer.core.settings import AudioSettings, Settings


@dataclass(frozen=True, slots=True)
class SessionOptions:
    """What one launch asks for on top of the settings; None leaves the setting as it is."""

    get_ready_seconds: float | None = None
    speech: bool | None = None
    beeps: bool | None = None
    announce_next: bool | None = None
    voice: str | None = None
    rate: int | None = None
    volume: float | None = None
    #: Write one JSON line per cue played, with its scheduled and actual time.
    cue_log: Path | None = None
    #: The sessions are desk breaks (the break window's), whatever their routine; False
    #: leaves it to the routine (one in the desk-break category is a desk break).
    desk_break: bool = False

    def audio(self, base: AudioSettings) -> AudioSettings:
        """``base`` with what these options set."""
        return AudioSettings(
            speech=base.speech if self.speech is None else self.speech,
            beeps=base.beeps if self.beeps is None else self.beeps,
            announce_next=base.announce_next if self.announce_next is None else self.announce_next,
            voice=base.voice if self.voice is None else self.voice,
            rate=base.rate if self.rate is None else self.rate,
            volume=base.volume if self.volume is None else self.volume,
        )

    def settings(self, base: Settings) -> Settings:
        """``base`` with what these options set (for a whole window's sessions)."""
        get_ready = (
            base.get_ready_seconds if self.get_ready_seconds is None else self.get_ready_seconds
        )
        return replace(base, get_ready_seconds=get_ready, audio=self.audio(base.audio))
