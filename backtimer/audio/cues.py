"""Turn due cues into sound: beeps synthesised in code, phrases from the speech cache."""

from __future__ import annotations

from backtimer.core.audio import SoundPlayer, SpeechRenderer
from backtimer.core.beeps import beep_sound
from backtimer.core.plan.timeline import Beep, Cue, CueRole
from backtimer.core.settings import AudioSettings

#: With no speech, these spoken cues still get a sound so the user can follow by ear.
_FALLBACK_BEEPS = {
    CueRole.COUNTDOWN: Beep.COUNT,
    CueRole.ANNOUNCE: Beep.TICK,
    CueRole.SWITCH_SIDE: Beep.TICK,
    CueRole.SET: Beep.TICK,
}


class CueSounds:
    """Plays each cue as its beep or its spoken phrase, as the settings allow."""

    def __init__(
        self, player: SoundPlayer, speech: SpeechRenderer | None, settings: AudioSettings
    ) -> None:
        self._player = player
        self._speech = speech if settings.speech else None
        self._settings = settings

    def play(self, cue: Cue) -> None:
        """Start the cue's sound now."""
        if cue.beep is not None:
            if self._settings.beeps:
                self._player.play(beep_sound(cue.beep, self._settings.volume))
            return
        if cue.text is None:
            return
        spoken = self._speech.render(cue.text) if self._speech is not None else None
        if spoken is not None:
            self._player.play(spoken)
            return
        fallback = _FALLBACK_BEEPS.get(cue.role)
        if fallback is not None and self._settings.beeps:
            self._player.play(beep_sound(fallback, self._settings.volume))

    def stop(self) -> None:
        """Silence whatever plays."""
        self._player.stop()
