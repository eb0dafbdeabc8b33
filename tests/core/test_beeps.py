"""The synthesised beeps: length, level, fades, pitch, and that each sounds different."""

from __future__ import annotations

import array
import math
import sys
from itertools import combinations

import pytest

from backtimer.core.audio import Pcm
from backtimer.core.beeps import (
    BEEP_FREQUENCIES,
    BEEP_TONES,
    MAX_PEAK,
    MIN_FADE_MS,
    SAMPLE_RATE,
    beep_duration_ms,
    beep_sound,
)
from backtimer.core.plan.timeline import Beep

FULL_SCALE = 32_767
ALL_BEEPS = list(Beep)


def samples(sound: Pcm) -> array.array[int]:
    """The sound's samples, decoded as little-endian 16-bit."""
    decoded = array.array("h")
    decoded.frombytes(sound.frames)
    if sys.byteorder == "big":
        decoded.byteswap()
    return decoded


def tone_slices(beep: Beep) -> list[tuple[int, int]]:
    """Where each tone of ``beep`` starts and ends, in samples."""
    bounds, start = [], 0
    for tone in BEEP_TONES[beep]:
        bounds.append((start, start + tone.frames))
        start += tone.frames
    return bounds


def zero_crossing_hz(signal: array.array[int] | list[int], rate: int = SAMPLE_RATE) -> float:
    """The frequency from the spacing of rising zero crossings, interpolated between samples."""
    crossings = [
        index - 1 + signal[index - 1] / (signal[index - 1] - signal[index])
        for index in range(1, len(signal))
        if signal[index - 1] < 0 <= signal[index]
    ]
    assert len(crossings) >= 3, "too few cycles to measure"
    return (len(crossings) - 1) * rate / (crossings[-1] - crossings[0])


def goertzel_power(signal: array.array[int] | list[int], frequency: float) -> float:
    """The signal's power at one frequency (normalised by length)."""
    coefficient = 2 * math.cos(2 * math.pi * frequency / SAMPLE_RATE)
    previous = before = 0.0
    for value in signal:
        previous, before = value + coefficient * previous - before, previous
    return (previous**2 + before**2 - coefficient * previous * before) / len(signal) ** 2


def test_every_beep_has_tones() -> None:
    assert set(BEEP_TONES) == set(Beep)
    assert set(BEEP_FREQUENCIES) == set(Beep)
    for beep in Beep:
        assert BEEP_FREQUENCIES[beep] == tuple(tone.frequency_hz for tone in BEEP_TONES[beep])


@pytest.mark.parametrize("beep", ALL_BEEPS)
def test_format_and_duration(beep: Beep) -> None:
    sound = beep_sound(beep)
    assert sound.sample_rate == SAMPLE_RATE == 44_100
    assert sound.channels == 1
    assert len(sound.frames) % 2 == 0
    expected_ms = sum(tone.duration_ms for tone in BEEP_TONES[beep])
    assert sound.duration_ms == pytest.approx(expected_ms, abs=0.05)
    assert beep_duration_ms(beep) == pytest.approx(sound.duration_ms)


def test_designed_lengths() -> None:
    lengths = {beep: beep_sound(beep).duration_ms for beep in Beep}
    assert lengths[Beep.TICK] == pytest.approx(60)
    assert lengths[Beep.COUNT] == pytest.approx(120)
    assert lengths[Beep.TICK] < lengths[Beep.COUNT] < lengths[Beep.GO] < lengths[Beep.DONE]


@pytest.mark.parametrize("beep", ALL_BEEPS)
@pytest.mark.parametrize("volume", [1.0, 0.5, 0.1])
def test_peak_is_at_most_0_6_of_full_scale_times_volume(beep: Beep, volume: float) -> None:
    peak = max(abs(value) for value in samples(beep_sound(beep, volume)))
    assert peak <= MAX_PEAK * volume * FULL_SCALE + 1
    # Loud enough to hear: each beep reaches its designed level.
    designed = max(tone.level for tone in BEEP_TONES[beep])
    assert peak >= 0.97 * designed * volume * FULL_SCALE


def test_volume_is_clamped() -> None:
    assert max(samples(beep_sound(Beep.GO, 0.0))) == 0
    assert beep_sound(Beep.GO, 5.0) == beep_sound(Beep.GO, 1.0)
    assert max(samples(beep_sound(Beep.GO, -1.0))) == 0
    assert max(samples(beep_sound(Beep.GO, math.nan))) == 0


@pytest.mark.parametrize("beep", ALL_BEEPS)
def test_each_tone_fades_in_and_out(beep: Beep) -> None:
    values = samples(beep_sound(beep))
    fade = round(MIN_FADE_MS * SAMPLE_RATE / 1000)
    one_ms = SAMPLE_RATE // 1000
    for (start, end), tone in zip(tone_slices(beep), BEEP_TONES[beep], strict=True):
        amplitude = tone.level * FULL_SCALE
        head, tail = values[start : start + fade], values[end - fade : end]
        # Starts and ends at silence ...
        assert abs(head[0]) <= 1
        assert abs(tail[-1]) <= 1
        assert max(abs(value) for value in head[:one_ms]) < 0.1 * amplitude
        assert max(abs(value) for value in tail[-one_ms:]) < 0.1 * amplitude
        # ... and takes at least MIN_FADE_MS to get to full level.
        assert max(abs(value) for value in head[: fade * 4 // 5]) < 0.95 * amplitude
        assert max(abs(value) for value in tail[fade // 5 :]) < 0.95 * amplitude
        assert tone.fade_ms >= MIN_FADE_MS


@pytest.mark.parametrize("beep", ALL_BEEPS)
def test_no_clicks(beep: Beep) -> None:
    """No step between samples is larger than the steepest slope of the tone's sine."""
    values = samples(beep_sound(beep))
    for (start, end), tone in zip(tone_slices(beep), BEEP_TONES[beep], strict=True):
        slope = tone.level * FULL_SCALE * 2 * math.pi * tone.frequency_hz / SAMPLE_RATE
        steps = (abs(values[i] - values[i - 1]) for i in range(max(start, 1), end))
        assert max(steps) <= 1.05 * slope + 2


@pytest.mark.parametrize("beep", ALL_BEEPS)
def test_each_tone_has_its_designed_pitch(beep: Beep) -> None:
    values = samples(beep_sound(beep))
    others = {f for frequencies in BEEP_FREQUENCIES.values() for f in frequencies}
    for (start, end), tone in zip(tone_slices(beep), BEEP_TONES[beep], strict=True):
        margin = (end - start) // 5
        middle = values[start + margin : end - margin]
        assert zero_crossing_hz(middle) == pytest.approx(tone.frequency_hz, rel=0.005)
        power = goertzel_power(middle, tone.frequency_hz)
        for other in others:
            if abs(other - tone.frequency_hz) > 0.05 * tone.frequency_hz:
                assert goertzel_power(middle, other) < power / 20


def test_beeps_are_distinct() -> None:
    signatures = {
        beep: (BEEP_FREQUENCIES[beep], round(beep_sound(beep).duration_ms)) for beep in Beep
    }
    for first, second in combinations(Beep, 2):
        assert beep_sound(first).frames != beep_sound(second).frames
        assert signatures[first] != signatures[second], (first, second)
        # Different in what is heard first, or in how many tones: not only in length.
        assert BEEP_FREQUENCIES[first] != BEEP_FREQUENCIES[second]


def test_two_tone_beeps_rise_and_fall() -> None:
    go, hold_end, done = (BEEP_FREQUENCIES[b] for b in (Beep.GO, Beep.HOLD_END, Beep.DONE))
    assert len(go) == 2
    assert go[0] < go[1]
    assert len(hold_end) == 2
    assert hold_end[0] > hold_end[1]
    assert len(done) == 3
    assert list(done) == sorted(done)
    lowest_elsewhere = min(
        frequency for beep in Beep if beep != Beep.REST for frequency in BEEP_FREQUENCIES[beep]
    )
    assert max(BEEP_FREQUENCIES[Beep.REST]) < lowest_elsewhere


def test_sounds_are_cached() -> None:
    assert beep_sound(Beep.TICK) is beep_sound(Beep.TICK)
    assert beep_sound(Beep.TICK, 0.5) is beep_sound(Beep.TICK, 0.5)
    assert beep_sound(Beep.TICK, 0.5) is not beep_sound(Beep.TICK)
