"""Mixing sounds that overlap, so that a beep during a phrase leaves both heard in full.

Pure functions on :class:`~backtimer.core.audio.Pcm` (signed 16-bit little-endian), with
no audio library: :func:`tail` is what remains of a sound from a point in it, and
:func:`mix` lays two sounds that start together over each other. The sum is clipped to
the 16-bit range. Sounds of different sample rates are mixed at the rate of the longer
one (the shorter is resampled, by linear interpolation, and the last few conversions are
remembered), so the work done in Python is proportional to the shorter sound: mixing a
beep into a long phrase stays cheap. Sounds with different channel counts are both mixed
down to mono first.
"""

from __future__ import annotations

import operator
import sys
from array import array
from functools import lru_cache
from itertools import repeat

from backtimer.core.audio import Pcm

_MIN = -32_768
_MAX = 32_767
_LITTLE = sys.byteorder == "little"


def tail(sound: Pcm, from_ms: float) -> Pcm:
    """What is left of ``sound`` from ``from_ms`` on (empty when that is past its end)."""
    frame_bytes = 2 * sound.channels
    start = max(0, round(from_ms * sound.sample_rate / 1000)) * frame_bytes
    return Pcm(sound.frames[start:], sound.sample_rate, sound.channels)


def mix(first: Pcm, second: Pcm) -> Pcm:
    """``first`` and ``second`` played together from the same instant, clipped to 16 bits.

    The result lasts as long as the longer of the two; mixing with silence (or with an
    empty sound) gives the other sound back unchanged.
    """
    if first.channels != second.channels:
        first, second = to_mono(first), to_mono(second)
    if not second.frames:
        return first
    if not first.frames:
        return second
    longer, shorter = (
        (first, second) if first.duration_ms >= second.duration_ms else (second, first)
    )
    shorter = resample(shorter, longer.sample_rate)
    base = _samples(longer)
    added = _samples(shorter)[: len(base)]
    summed = list(map(operator.add, base[: len(added)], added))
    if summed and (max(summed) > _MAX or min(summed) < _MIN):
        summed = [_MIN if value < _MIN else _MAX if value > _MAX else value for value in summed]
    base[: len(summed)] = array("h", summed)
    return Pcm(_to_bytes(base), longer.sample_rate, longer.channels)


def resample(sound: Pcm, rate: int) -> Pcm:
    """``sound`` at ``rate`` samples a second, by linear interpolation between samples.

    Lowering the rate does not filter first: fine for beeps and speech going from
    44.1 kHz to 22.05 kHz, whose energy lies well below the new Nyquist frequency.
    """
    if rate <= 0:
        raise ValueError(f"a sample rate must be positive, not {rate}")
    if rate == sound.sample_rate:
        return sound
    if len(sound.frames) < 2 * sound.channels:  # not one whole frame
        return Pcm(b"", rate, sound.channels)
    return _resampled(sound, rate)


@lru_cache(maxsize=16)
def _resampled(sound: Pcm, rate: int) -> Pcm:
    """:func:`resample`, remembered: a beep is brought to a phrase's rate once a session."""
    channels = sound.channels
    samples = _samples(sound)
    columns = [samples[channel::channels] for channel in range(channels)]
    count = len(columns[0])
    length = max(1, round(count * rate / sound.sample_rate))
    step = sound.sample_rate / rate
    converted = [_interpolate(column, length, step) for column in columns]
    out = array("h", bytes(2 * length * channels))
    for channel, column in enumerate(converted):
        out[channel::channels] = column
    return Pcm(_to_bytes(out), rate, channels)


def to_mono(sound: Pcm) -> Pcm:
    """``sound`` with its channels averaged into one."""
    if sound.channels == 1:
        return sound
    samples = _samples(sound)
    channels = sound.channels
    usable = len(samples) - len(samples) % channels
    columns = [samples[channel:usable:channels] for channel in range(channels)]
    mono = array("h", (sum(frame) // channels for frame in zip(*columns, strict=True)))
    return Pcm(_to_bytes(mono), sound.sample_rate, 1)


def _interpolate(column: array[int], length: int, step: float) -> array[int]:
    """``length`` samples read from ``column`` every ``step`` samples, interpolated."""
    if step >= 1 and step.is_integer():
        return _decimate(column, length, int(step))
    if step < 1 and (1 / step).is_integer():
        return _upsample(column, length, round(1 / step))
    last = len(column) - 1
    out = array("h", bytes(2 * length))
    for index in range(length):
        position = index * step
        left = int(position)
        if left >= last:
            out[index] = column[last]
            continue
        fraction = position - left
        out[index] = round(column[left] + (column[left + 1] - column[left]) * fraction)
    return out


def _decimate(column: array[int], length: int, factor: int) -> array[int]:
    """Every ``factor``-th sample (no filter: see :func:`resample`)."""
    picked = column[0 : length * factor : factor]
    return picked + array("h", picked[-1:] * (length - len(picked)))


def _upsample(column: array[int], length: int, factor: int) -> array[int]:
    """``factor`` samples for each one, on the straight lines between neighbours."""
    values = column.tolist()
    following = values[1:] + values[-1:]
    steps = list(map(operator.sub, following, values))
    out = array("h", bytes(2 * len(values) * factor))
    for offset in range(factor):
        shifts = map(operator.floordiv, map(operator.mul, steps, repeat(offset)), repeat(factor))
        out[offset::factor] = array("h", map(operator.add, values, shifts))
    return out[:length] if len(out) >= length else out + array("h", out[-1:] * (length - len(out)))


def _samples(sound: Pcm) -> array[int]:
    samples = array("h")
    samples.frombytes(sound.frames[: len(sound.frames) - len(sound.frames) % 2])
    if not _LITTLE:
        samples.byteswap()
    return samples


def _to_bytes(samples: array[int]) -> bytes:
    if not _LITTLE:
        samples = array("h", samples)
        samples.byteswap()
    return samples.tobytes()
