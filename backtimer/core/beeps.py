"""The six beeps of the cue set, synthesised as :class:`~backtimer.core.audio.Pcm`.

Every beep is one or more pure sine tones played back to back, each tone shaped by a
raised-cosine fade in and out so that it starts and ends at zero and never clicks. The
beeps differ by ear in pitch, length, loudness and in how many tones they have:

========  ==========================  ========  =====  =======================
beep      tones (Hz)                  length    peak   sounds like
========  ==========================  ========  =====  =======================
tick      880                         60 ms     0.45   a short high tick
count     660                         120 ms    0.55   a firmer, lower tick
go        660 → 990                   260 ms    0.60   rising: off you go
hold_end  784 → 523                   260 ms    0.60   falling: let go
rest      440                         300 ms    0.35   a soft low hum
done      784 → 988 → 1175            560 ms    0.60   a rising three-note chime
========  ==========================  ========  =====  =======================

Peaks are fractions of full scale at ``volume=1``; no beep goes above
:data:`MAX_PEAK` times the volume. The tone table is public (:data:`BEEP_TONES`,
:data:`BEEP_FREQUENCIES`) so that tests can tell the beeps apart in recorded audio.
Sounds are cached: asking twice for the same beep at the same volume costs nothing.
"""

from __future__ import annotations

import array
import math
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from backtimer.core.audio import Pcm
from backtimer.core.plan.timeline import Beep

#: The sample rate of every beep (mono, signed 16-bit).
SAMPLE_RATE = 44_100

#: No beep's peak exceeds this fraction of full scale times the volume.
MAX_PEAK = 0.6

#: The shortest fade in or out of any tone.
MIN_FADE_MS = 5.0

_FULL_SCALE = 32_767


@dataclass(frozen=True, slots=True)
class Tone:
    """One sine tone of a beep."""

    frequency_hz: float
    duration_ms: float
    #: Peak amplitude as a fraction of full scale, at volume 1.
    level: float
    #: Length of the raised-cosine fade at each end.
    fade_ms: float = 8.0

    @property
    def frames(self) -> int:
        """How many samples the tone lasts at :data:`SAMPLE_RATE`."""
        return round(self.duration_ms * SAMPLE_RATE / 1000)


#: Each beep's tones, in the order they play, back to back.
BEEP_TONES: Mapping[Beep, tuple[Tone, ...]] = MappingProxyType(
    {
        Beep.TICK: (Tone(880.0, 60.0, 0.45, fade_ms=6.0),),
        Beep.COUNT: (Tone(660.0, 120.0, 0.55),),
        Beep.GO: (Tone(660.0, 100.0, 0.6), Tone(990.0, 160.0, 0.6, fade_ms=20.0)),
        Beep.HOLD_END: (Tone(784.0, 100.0, 0.6), Tone(523.0, 160.0, 0.6, fade_ms=20.0)),
        Beep.REST: (Tone(440.0, 300.0, 0.35, fade_ms=60.0),),
        Beep.DONE: (
            Tone(784.0, 120.0, 0.5),
            Tone(988.0, 120.0, 0.55),
            Tone(1175.0, 320.0, 0.6, fade_ms=80.0),
        ),
    }
)

#: Each beep's tone frequencies in Hz, in the order they play.
BEEP_FREQUENCIES: Mapping[Beep, tuple[float, ...]] = MappingProxyType(
    {beep: tuple(tone.frequency_hz for tone in tones) for beep, tones in BEEP_TONES.items()}
)


def beep_duration_ms(beep: Beep) -> float:
    """How long ``beep`` plays, as synthesised."""
    return sum(tone.frames for tone in BEEP_TONES[beep]) / SAMPLE_RATE * 1000


def _fade_gain(index: int, fade_frames: int) -> float:
    """The raised-cosine gain ``index`` samples from a tone's nearer end: 0 at the end."""
    if index >= fade_frames:
        return 1.0
    return 0.5 - 0.5 * math.cos(math.pi * index / fade_frames)


def _render_tone(tone: Tone, volume: float, out: array.array[int]) -> None:
    frames = tone.frames
    fade_frames = max(1, min(round(tone.fade_ms * SAMPLE_RATE / 1000), frames // 2))
    amplitude = min(tone.level, MAX_PEAK) * volume * _FULL_SCALE
    step = 2 * math.pi * tone.frequency_hz / SAMPLE_RATE
    last = frames - 1
    for index in range(frames):
        gain = _fade_gain(min(index, last - index), fade_frames)
        out.append(round(amplitude * gain * math.sin(step * index)))


@lru_cache(maxsize=64)
def beep_sound(beep: Beep, volume: float = 1.0) -> Pcm:
    """``beep`` as mono 16-bit PCM at :data:`SAMPLE_RATE`; ``volume`` is clamped to 0..1."""
    volume = min(max(volume, 0.0), 1.0) if not math.isnan(volume) else 0.0
    samples: array.array[int] = array.array("h")
    for tone in BEEP_TONES[beep]:
        _render_tone(tone, volume, samples)
    if sys.byteorder == "big":
        samples.byteswap()
    return Pcm(frames=samples.tobytes(), sample_rate=SAMPLE_RATE, channels=1)
