"""Mixing overlapping sounds: the sum, its length, clipping and the sample-rate conversions."""

from __future__ import annotations

import array
import sys

from hypothesis import given
from hypothesis import strategies as st

from backtimer.core.audio import Pcm
from backtimer.core.beeps import SAMPLE_RATE, beep_sound
from backtimer.core.mixing import mix, resample, tail, to_mono
from backtimer.core.plan.timeline import Beep

RATES = st.sampled_from([8_000, 16_000, 22_050, 44_100, 48_000])
SAMPLES = st.lists(st.integers(-32_768, 32_767), max_size=400)


def pcm(samples: list[int], rate: int = 22_050, channels: int = 1) -> Pcm:
    data = array.array("h", samples)
    if sys.byteorder == "big":
        data.byteswap()
    return Pcm(data.tobytes(), rate, channels)


def samples_of(sound: Pcm) -> list[int]:
    data = array.array("h")
    data.frombytes(sound.frames)
    if sys.byteorder == "big":
        data.byteswap()
    return list(data)


@given(SAMPLES, st.integers(0, 400), RATES)
def test_mixing_with_silence_changes_nothing(samples: list[int], silent: int, rate: int) -> None:
    sound = pcm(samples, rate)
    padded = samples + [0] * max(0, silent - len(samples))
    for mixed in (mix(sound, pcm([0] * silent, rate)), mix(pcm([0] * silent, rate), sound)):
        assert mixed.sample_rate == rate
        assert samples_of(mixed) == padded


@given(SAMPLES, SAMPLES)
def test_the_mix_is_the_clipped_sum_and_lasts_as_long_as_the_longer(
    first: list[int], second: list[int]
) -> None:
    mixed = samples_of(mix(pcm(first), pcm(second)))
    assert len(mixed) == max(len(first), len(second))
    assert all(-32_768 <= value <= 32_767 for value in mixed)
    for index, value in enumerate(mixed):
        a = first[index] if index < len(first) else 0
        b = second[index] if index < len(second) else 0
        assert value == max(-32_768, min(32_767, a + b))


@given(SAMPLES, RATES, SAMPLES, RATES)
def test_mixing_different_rates_keeps_the_longer_sound_and_the_int16_range(
    first: list[int], first_rate: int, second: list[int], second_rate: int
) -> None:
    a, b = pcm(first, first_rate), pcm(second, second_rate)
    mixed = mix(a, b)
    longer = a if a.duration_ms >= b.duration_ms else b
    if a.frames and b.frames:
        assert mixed.sample_rate == longer.sample_rate
        assert len(mixed.frames) == len(longer.frames)
    else:
        assert mixed == (a if not b.frames else b)
    assert all(-32_768 <= value <= 32_767 for value in samples_of(mixed))


@given(st.lists(st.integers(-32_768, 32_767), min_size=1, max_size=400), RATES, RATES)
def test_resampling_keeps_the_duration_and_stays_within_the_samples(
    samples: list[int], rate: int, new_rate: int
) -> None:
    converted = resample(pcm(samples, rate), new_rate)
    assert converted.sample_rate == new_rate
    assert abs(converted.duration_ms - pcm(samples, rate).duration_ms) <= 1000 / new_rate
    values = samples_of(converted)
    assert min(samples) <= min(values)
    assert max(values) <= max(samples)


def test_a_beep_survives_halving_and_doubling_the_rate() -> None:
    beep = beep_sound(Beep.DONE)
    there_and_back = resample(resample(beep, SAMPLE_RATE // 2), SAMPLE_RATE)
    original, back = samples_of(beep), samples_of(there_and_back)
    assert len(back) == len(original)
    worst = max(abs(x - y) for x, y in zip(original, back, strict=True))
    assert worst < 0.05 * 32_767


def test_a_beep_in_a_phrase_at_another_rate_is_heard_whole() -> None:
    phrase = pcm([1_000] * 22_050, 22_050)  # one second at 22.05 kHz
    beep = beep_sound(Beep.GO)  # 260 ms at 44.1 kHz
    mixed = mix(tail(phrase, 500), beep)
    assert mixed.sample_rate == 22_050
    assert len(mixed.frames) == len(tail(phrase, 500).frames)
    expected = [1_000 + value for value in samples_of(resample(beep, 22_050))]
    assert samples_of(mixed)[: len(expected)] == expected


def test_the_tail_starts_where_asked() -> None:
    sound = pcm(list(range(100)), 1_000)  # 1 ms a sample
    assert samples_of(tail(sound, 0)) == list(range(100))
    assert samples_of(tail(sound, 40)) == list(range(40, 100))
    assert tail(sound, 250).frames == b""
    assert samples_of(tail(sound, -5)) == list(range(100))
    stereo = pcm([1, -1] * 50, 1_000, channels=2)
    assert samples_of(tail(stereo, 10)) == [1, -1] * 40


def test_sounds_with_different_channels_are_mixed_in_mono() -> None:
    stereo = pcm([100, 300] * 4, 8_000, channels=2)
    mono = pcm([10] * 2, 8_000)
    mixed = mix(stereo, mono)
    assert mixed.channels == 1
    assert samples_of(mixed) == [210, 210, 200, 200]
    assert to_mono(mono) is mono


def test_less_than_a_frame_resamples_to_nothing() -> None:
    assert resample(Pcm(b"\x01", 8_000), 16_000) == Pcm(b"", 16_000)
    assert resample(Pcm(b"\x01\x00", 8_000, channels=2), 11_025).frames == b""
