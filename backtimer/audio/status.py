"""Whether sound works, in words the user can act on, and the test sound.

:class:`SoundWatch` looks at a session's player and speech engine (cheap attribute reads,
no waiting) and says which :class:`SoundIssue` holds: no output device (the player is a
:class:`~backtimer.audio.player.NullPlayer`), playback failing mid-session, no speech
engine, or speech turned off mid-session (:attr:`SpeechService.off_reason`). The window
shows :func:`status_text` in a banner; the terminal prints each new issue once.

:func:`sound_sample` makes the "Test sound" sample: a short phrase in the chosen voice, then
each beep, as one sound (one :meth:`play`, so nothing cuts anything short);
:func:`play_sound_sample` plays it with given settings, through the real device and engine.
"""

from __future__ import annotations

import array
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from backtimer.audio.player import NullPlayer
from backtimer.audio.speech import NO_ENGINE_WARNING
from backtimer.core.audio import Pcm, SoundPlayer, SpeechRenderer
from backtimer.core.beeps import SAMPLE_RATE, beep_sound
from backtimer.core.plan.timeline import Beep
from backtimer.core.settings import AudioSettings

#: What the test sound says before its beeps.
TEST_PHRASE = "This is your coach's voice. Breathe in."
#: Silence between the parts of the test sound.
TEST_GAP_MS = 350


class SoundIssue(Enum):
    """Something wrong with sound, with what to do about it as its value."""

    NO_DEVICE = (
        "No sound device found: cues are shown only. "
        "Connect speakers or headphones and restart the session."
    )
    PLAYBACK_FAILED = (
        "Sound stopped working: some cues are not heard. "
        "Check your speakers or headphones and restart the session."
    )
    NO_ENGINE = (
        "No speech engine: cues are beeps only. Install espeak-ng (sudo apt install espeak-ng)."
    )
    SPEECH_STOPPED = (
        "Speech stopped: the speech engine failed, so cues are beeps now. "
        "Restart the session to try again."
    )


@dataclass(frozen=True, slots=True)
class SoundStatus:
    """The issues with sound right now; none means sound works as far as is known."""

    issues: tuple[SoundIssue, ...] = ()

    @property
    def ok(self) -> bool:
        """True when nothing is known to be wrong."""
        return not self.issues


def status_text(status: SoundStatus) -> str:
    """What the banner says: each issue's advice, one per line; empty when all is well."""
    return "\n".join(issue.value for issue in status.issues)


def _speech_issue(speech: object | None) -> SoundIssue | None:
    reason = getattr(speech, "off_reason", None)
    if not reason:
        return None
    if str(reason).startswith(NO_ENGINE_WARNING):
        return SoundIssue.NO_ENGINE
    return SoundIssue.SPEECH_STOPPED


def sound_status(player: SoundPlayer, speech: object | None) -> SoundStatus:
    """The issues of ``player`` and ``speech`` (None: speech not wanted) as they are now.

    With no device nothing is heard at all, so speech problems are not told on top.
    """
    if isinstance(player, NullPlayer):
        return SoundStatus((SoundIssue.NO_DEVICE,))
    issues: list[SoundIssue] = []
    if getattr(player, "failed", False):
        issues.append(SoundIssue.PLAYBACK_FAILED)
    speech_issue = _speech_issue(speech)
    if speech_issue is not None:
        issues.append(speech_issue)
    return SoundStatus(tuple(issues))


class SoundWatch:
    """Tells each issue of a player and a speech engine once, as it appears."""

    def __init__(self, player: SoundPlayer, speech: object | None) -> None:
        self._player = player
        self._speech = speech
        self._told: set[SoundIssue] = set()
        self.status = SoundStatus()

    def check(self) -> list[SoundIssue]:
        """Look again; the issues not told before (the full status is in :attr:`status`)."""
        self.status = sound_status(self._player, self._speech)
        new = [issue for issue in self.status.issues if issue not in self._told]
        self._told.update(new)
        return new


# -- the test sound -------------------------------------------------------------------------


def _resampled(sound: Pcm, rate: int) -> bytes:
    """``sound``'s mono frames at ``rate`` (nearest sample: fine for the beeps' tones)."""
    if sound.sample_rate == rate:
        return sound.frames
    source = array.array("h")
    source.frombytes(sound.frames)
    count = round(len(source) * rate / sound.sample_rate)
    step = sound.sample_rate / rate
    out = array.array("h", (source[min(len(source) - 1, int(i * step))] for i in range(count)))
    return out.tobytes()


def join_sounds(parts: Iterable[Pcm], gap_ms: int = TEST_GAP_MS) -> Pcm:
    """The ``parts`` one after another with ``gap_ms`` of silence between them, as one sound
    at the first part's sample rate."""
    sounds = list(parts)
    rate = sounds[0].sample_rate if sounds else SAMPLE_RATE
    gap = bytes(2 * (rate * gap_ms // 1000))
    return Pcm(gap.join(_resampled(sound, rate) for sound in sounds), rate)


def sound_sample(speech: SpeechRenderer | None, volume: float) -> Pcm:
    """The phrase spoken by ``speech`` (when it can), then every beep, as one sound.

    Slow: it may render the phrase (a worker process). Call it off the GUI thread.
    """
    parts: list[Pcm] = []
    spoken = speech.render(TEST_PHRASE) if speech is not None else None
    if spoken is not None:
        parts.append(spoken)
    parts.extend(beep_sound(beep, volume) for beep in Beep)
    return join_sounds(parts)


def play_sound_sample(cache_dir: Path, settings: AudioSettings) -> SoundStatus:
    """Play the test sound with ``settings`` (voice, rate, volume) and wait until it ends.

    Opens the output device and a speech engine of its own (closed again before it
    returns); the issues found on the way come back. Slow: call it off the GUI thread.
    """
    from backtimer.audio.player import open_player
    from backtimer.audio.speech import speech_for

    player = open_player()
    speech = speech_for(cache_dir, settings)
    try:
        player.play(sound_sample(speech, settings.volume))
        wait = getattr(player, "wait", None)
        if callable(wait):
            wait()
        return sound_status(player, speech)
    finally:
        if speech is not None:
            speech.close()
