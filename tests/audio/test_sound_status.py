"""What is wrong with sound (:mod:`backtimer.audio.status`), and the test sound, with fakes."""

from __future__ import annotations

import ctypes.util
from pathlib import Path

import pytest

from backtimer.audio import player
from backtimer.audio.player import NO_DEVICE_MESSAGE, NullPlayer
from backtimer.audio.speech import NO_ENGINE_WARNING
from backtimer.audio.status import (
    TEST_GAP_MS,
    TEST_PHRASE,
    SoundIssue,
    SoundStatus,
    SoundWatch,
    join_sounds,
    play_sound_sample,
    sound_sample,
    sound_status,
    status_text,
)
from backtimer.core.audio import Pcm
from backtimer.core.beeps import SAMPLE_RATE, beep_duration_ms, beep_sound
from backtimer.core.plan.timeline import Beep
from backtimer.core.settings import AudioSettings
from tests.helpers.fakes import FakePlayer, FakeSpeech


def test_working_sound_has_no_issues() -> None:
    assert sound_status(FakePlayer(), FakeSpeech()) == SoundStatus()
    assert SoundStatus().ok
    assert status_text(SoundStatus()) == ""


def test_no_device_hides_the_speech_issues_behind_it() -> None:
    speech = FakeSpeech()
    speech.off_reason = f"{NO_ENGINE_WARNING} [no espeak]"
    assert sound_status(NullPlayer(), speech).issues == (SoundIssue.NO_DEVICE,)
    assert NO_DEVICE_MESSAGE  # the log line stays; the advice is the status's


def test_no_engine_and_speech_stopping_are_told_apart() -> None:
    speech = FakeSpeech()
    speech.off_reason = f"{NO_ENGINE_WARNING} [cannot start python]"
    assert sound_status(FakePlayer(), speech).issues == (SoundIssue.NO_ENGINE,)
    speech.off_reason = "speech is off: the speech engine failed 3 phrases in a row (last: x)"
    assert sound_status(FakePlayer(), speech).issues == (SoundIssue.SPEECH_STOPPED,)


def test_speech_not_wanted_is_no_issue() -> None:
    assert sound_status(FakePlayer(), None).ok


def test_every_issue_says_what_to_do() -> None:
    texts = {issue: issue.value for issue in SoundIssue}
    assert "Connect speakers or headphones" in texts[SoundIssue.NO_DEVICE]
    assert "sudo apt install espeak-ng" in texts[SoundIssue.NO_ENGINE]
    assert "Restart the session" in texts[SoundIssue.SPEECH_STOPPED]
    assert "restart the session" in texts[SoundIssue.PLAYBACK_FAILED]
    both = SoundStatus((SoundIssue.PLAYBACK_FAILED, SoundIssue.SPEECH_STOPPED))
    assert status_text(both).splitlines() == [
        SoundIssue.PLAYBACK_FAILED.value,
        SoundIssue.SPEECH_STOPPED.value,
    ]


def test_the_watch_tells_each_issue_once_as_it_appears() -> None:
    player, speech = FakePlayer(), FakeSpeech()
    watch = SoundWatch(player, speech)
    assert watch.check() == []
    speech.off_reason = "speech is off: the speech engine failed 3 phrases in a row"
    assert watch.check() == [SoundIssue.SPEECH_STOPPED]
    assert watch.check() == []
    player.failed = True
    assert watch.check() == [SoundIssue.PLAYBACK_FAILED]
    assert watch.status.issues == (SoundIssue.PLAYBACK_FAILED, SoundIssue.SPEECH_STOPPED)


def test_the_test_sound_is_the_phrase_then_every_beep_at_the_phrases_rate() -> None:
    speech = FakeSpeech()
    sound = sound_sample(speech, volume=0.5)
    assert speech.rendered == [TEST_PHRASE]
    assert sound.sample_rate == 8000  # the fake voice's rate; the beeps are resampled
    beeps_ms = sum(beep_duration_ms(beep) for beep in Beep)
    expected = len(TEST_PHRASE) * speech.ms_per_char + beeps_ms + len(Beep) * TEST_GAP_MS
    assert abs(sound.duration_ms - expected) < len(Beep) + 1  # rounding, a frame a part


def test_without_speech_the_test_sound_is_the_beeps() -> None:
    sound = sound_sample(None, volume=1.0)
    assert sound.sample_rate == SAMPLE_RATE
    expected = beep_duration_ms(Beep.TICK)
    assert sound.frames.startswith(beep_sound(Beep.TICK).frames)
    assert sound.duration_ms > expected


def test_join_keeps_the_sound_at_half_the_rate() -> None:
    beep = beep_sound(Beep.REST, 1.0)
    half = join_sounds([Pcm(b"", 22_050), beep], gap_ms=0)
    assert half.sample_rate == 22_050
    assert abs(half.duration_ms - beep.duration_ms) < 0.1


# -- through the real speech engine ------------------------------------------------------------

needs_espeak = pytest.mark.skipif(
    ctypes.util.find_library("espeak-ng") is None and ctypes.util.find_library("espeak") is None,
    reason="espeak-ng is not installed",
)


@needs_espeak
def test_the_settings_test_plays_the_real_voice_then_the_beeps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    played = FakePlayer()
    monkeypatch.setattr(player, "open_player", lambda: played)
    status = play_sound_sample(tmp_path / "cache", AudioSettings(rate=160, volume=0.7))
    assert status.ok
    [sound] = played.sounds
    beeps_ms = sum(beep_duration_ms(beep) for beep in Beep) + len(Beep) * TEST_GAP_MS
    assert sound.duration_ms > beeps_ms + 1000  # a real phrase of more than a second
    assert list((tmp_path / "cache" / "speech").rglob("*.wav"))  # the phrase is cached


def test_the_settings_test_with_no_device_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(player, "open_player", NullPlayer)
    status = play_sound_sample(tmp_path / "cache", AudioSettings(speech=False))
    assert status.issues == (SoundIssue.NO_DEVICE,)
