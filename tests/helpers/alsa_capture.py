"""Capture what is played through ALSA, and tell the sounds apart.

A child process whose HOME holds :data:`CAPTURE_ASOUNDRC` plays into ALSA's ``file``
plugin: every stream it opens becomes one WAV file, numbered in order. The functions here
read those files back and identify each beep by its length and the pitch of its tones.
"""

from __future__ import annotations

import array
import os
import sys
import wave
from pathlib import Path

from backtimer.core.beeps import BEEP_TONES, beep_duration_ms
from backtimer.core.plan.timeline import Beep

#: The default PCM writes every stream it is given to a WAV file and discards it (`null`).
#: With `truncate false` ALSA never overwrites: the first stream goes to NAME, later ones
#: to NAME.0001, NAME.0002, ... — one file per sound played, numbered in order.
CAPTURE_ASOUNDRC = """\
pcm.!default {{
    type file
    slave.pcm {{ type null }}
    file "{path}"
    format "wav"
    truncate false
}}
"""


#: Quieter than this (fraction of full scale) is silence.
SILENCE = 0.01 * 32_767


def alsa_env(home: Path) -> dict[str, str]:
    """The environment of a child whose ALSA reads ``home``'s .asoundrc and nothing custom."""
    env = dict(os.environ)
    env.pop("ALSA_CONFIG_PATH", None)
    env["HOME"] = str(home)
    env["XDG_CONFIG_HOME"] = str(home / ".config")
    return env


def capture_number(path: Path) -> int:
    """The order in which ALSA created a capture file: NAME is 0, NAME.0001 is 1, ..."""
    suffix = path.name.rpartition(".wav")[2]
    return int(suffix.lstrip(".")) if suffix else 0


def read_capture(path: Path) -> tuple[list[int], int]:
    """The first channel's samples of a captured WAV file, and its sample rate."""
    with wave.open(str(path), "rb") as recording:
        assert recording.getsampwidth() == 2, "captured audio is not 16-bit"
        channels, rate = recording.getnchannels(), recording.getframerate()
        data = array.array("h")
        data.frombytes(recording.readframes(recording.getnframes()))
    if sys.byteorder == "big":
        data.byteswap()
    return list(data[::channels]), rate


def loud_runs(signal: list[int], rate: int, gap_ms: float = 20.0) -> list[list[int]]:
    """The non-silent stretches, joined across quiet gaps shorter than ``gap_ms``."""
    loud = [index for index, value in enumerate(signal) if abs(value) > SILENCE]
    if not loud:
        return []
    gap = rate * gap_ms / 1000
    runs, start, previous = [], loud[0], loud[0]
    for index in loud[1:]:
        if index - previous > gap:
            runs.append(signal[start : previous + 1])
            start = index
        previous = index
    runs.append(signal[start : previous + 1])
    return runs


def zero_crossing_hz(signal: list[int], rate: int) -> float | None:
    """The frequency from the spacing of rising zero crossings, or None if too few."""
    crossings = [
        index - 1 + signal[index - 1] / (signal[index - 1] - signal[index])
        for index in range(1, len(signal))
        if signal[index - 1] < 0 <= signal[index]
    ]
    if len(crossings) < 3:
        return None
    return (len(crossings) - 1) * rate / (crossings[-1] - crossings[0])


def matches(run: list[int], rate: int, beep: Beep) -> bool:
    """Whether ``run`` sounds like ``beep``: its length, and each tone's pitch where it lies."""
    # The run misses the quietest few ms of the fades at each end.
    if abs(len(run) / rate * 1000 - beep_duration_ms(beep)) > 20:
        return False
    start = 0.0
    for tone in BEEP_TONES[beep]:
        length = tone.duration_ms * rate / 1000
        middle = run[int(start + 0.25 * length) : int(start + 0.75 * length)]
        measured = zero_crossing_hz(middle, rate)
        if measured is None or abs(measured - tone.frequency_hz) > 0.02 * tone.frequency_hz:
            return False
        start += length
    return True


def identify(run: list[int], rate: int) -> Beep | None:
    """The one beep ``run`` is, or None."""
    found = [beep for beep in Beep if matches(run, rate, beep)]
    assert len(found) <= 1, f"ambiguous sound: {found}"
    return found[0] if found else None


def captured_files(capture: Path) -> list[Path]:
    """The capture files of ``capture`` (NAME, NAME.0001, ...), in the order played."""
    return sorted(capture.parent.glob(capture.name + "*"), key=capture_number)
