"""The sound banner and the "Test sound" button of the session page, with fake sound."""

from __future__ import annotations

import logging

import pytest
from pytestqt.qtbot import QtBot

from backtimer.audio.player import NullPlayer
from backtimer.audio.speech import NO_ENGINE_WARNING
from backtimer.audio.status import TEST_PHRASE, SoundIssue, SoundStatus
from backtimer.core.audio import SoundPlayer
from backtimer.core.beeps import beep_duration_ms
from backtimer.core.clock import FakeClock
from backtimer.core.plan.compiler import PlanSettings, compile_plan
from backtimer.core.plan.timeline import Beep, Cue, CueRole
from backtimer.core.routine.loader import parse_routine
from backtimer.core.scheduler import State
from backtimer.core.settings import AudioSettings
from backtimer.qt.session.session_audio import SessionAudio
from backtimer.qt.session.session_page import SessionPage
from tests.helpers.fakes import FakePlayer, FakeSpeech

ROUTINE = parse_routine(
    """
schema_version = 1
id = "tiny"
title = "Tiny"
summary = "One hold."
category = "stretch"

[[exercises]]
id = "hold"
name = "Hold"
steps = ["Hold still."]
kind = "hold_reps"
reps = 1
hold = 5
source = "default"
"""
)
PLAN = compile_plan(ROUTINE, PlanSettings(get_ready_seconds=5, phrase_ms=lambda text: 0))


@pytest.fixture
def page(qtbot: QtBot) -> SessionPage:
    made = SessionPage({}, FakeClock())
    qtbot.addWidget(made)
    made.show()
    return made


def state_of(page: SessionPage) -> State:
    assert page.driver is not None
    return page.driver.scheduler.state


def audio(player: SoundPlayer, speech: FakeSpeech | None = None) -> SessionAudio:
    return SessionAudio(player, speech, AudioSettings(speech=speech is not None, volume=0.5))


def test_no_device_shows_the_banner_with_what_to_do(
    page: SessionPage, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        page.run(ROUTINE, PLAN, audio(NullPlayer(), FakeSpeech()))
    assert page.sound_banner.isVisible()
    assert page.sound_banner.text() == SoundIssue.NO_DEVICE.value
    assert page.sound_banner.text().startswith("No sound device found: cues are shown only.")
    assert "Connect speakers or headphones" in page.sound_banner.text()
    # Told once on the terminal too.
    assert [r.getMessage() for r in caplog.records] == [f"sound: {SoundIssue.NO_DEVICE.value}"]


def test_working_sound_shows_no_banner(page: SessionPage) -> None:
    page.run(ROUTINE, PLAN, audio(FakePlayer(), FakeSpeech()))
    assert not page.sound_banner.isVisible()
    assert page.sound_banner.text() == ""


def test_no_speech_engine_says_to_install_espeak(page: SessionPage) -> None:
    speech = FakeSpeech()
    speech.off_reason = f"{NO_ENGINE_WARNING} [cannot start python: not found]"
    page.run(ROUTINE, PLAN, audio(FakePlayer(), speech))
    assert page.sound_banner.isVisible()
    assert "sudo apt install espeak-ng" in page.sound_banner.text()


def test_speech_turning_off_mid_session_shows_the_banner_at_the_next_cue(
    page: SessionPage, qtbot: QtBot
) -> None:
    speech = FakeSpeech()
    sound = audio(FakePlayer(), speech)
    page.run(ROUTINE, PLAN, sound)
    assert not page.sound_banner.isVisible()
    speech.off_reason = "speech is off: the speech engine failed 3 phrases in a row"
    with qtbot.waitSignal(sound.status_changed) as changed:
        sound.play(Cue(at_ms=0, role=CueRole.COUNTDOWN, text="Three"))
    assert changed.args == [SoundStatus((SoundIssue.SPEECH_STOPPED,))]
    assert page.sound_banner.isVisible()
    assert page.sound_banner.text().startswith("Speech stopped")


def test_a_device_failing_mid_session_shows_the_banner(page: SessionPage) -> None:
    player = FakePlayer()
    sound = audio(player)
    page.run(ROUTINE, PLAN, sound)
    player.failed = True
    sound.check_sound()
    assert page.sound_banner.text() == SoundIssue.PLAYBACK_FAILED.value


def test_test_sound_is_offered_during_get_ready_and_plays_voice_and_beeps(
    page: SessionPage, qtbot: QtBot
) -> None:
    player, speech = FakePlayer(), FakeSpeech()
    sound = audio(player, speech)
    page.run(ROUTINE, PLAN, sound)
    assert page.test_sound_button.isVisible()
    before = len(player.sounds)
    page.test_sound_button.click()
    qtbot.waitUntil(lambda: not sound.testing)
    assert len(player.sounds) == before + 1  # one sound: nothing in it cuts the rest short
    assert TEST_PHRASE in speech.rendered
    phrase_ms = len(TEST_PHRASE) * speech.ms_per_char
    beeps_ms = sum(beep_duration_ms(beep) for beep in Beep)
    assert player.sounds[-1].duration_ms >= phrase_ms + beeps_ms  # the phrase, every beep
    # Paused, so that no cue cuts the test short; the button stays for another try.
    assert state_of(page) is State.PAUSED
    assert page.test_sound_button.isVisible()
    page.toggle_pause()
    assert state_of(page) is State.GET_READY


def test_test_sound_is_hidden_once_the_work_starts(page: SessionPage) -> None:
    page.run(ROUTINE, PLAN, audio(FakePlayer()))
    assert page.test_sound_button.isVisible()
    assert page.driver is not None
    page.driver.skip()
    assert not page.test_sound_button.isVisible()


def test_a_silent_session_offers_no_test_sound_and_no_banner(page: SessionPage) -> None:
    page.run(ROUTINE, PLAN, None)
    assert not page.test_sound_button.isVisible()
    assert not page.sound_banner.isVisible()
