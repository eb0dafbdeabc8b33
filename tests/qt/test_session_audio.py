"""The window's sound: the voice is prepared before the session, then every cue plays."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from backtimer.core.beeps import beep_sound
from backtimer.core.clock import FakeClock
from backtimer.core.plan.timeline import Beep, spoken_texts
from backtimer.core.settings import AudioSettings
from backtimer.qt.session_audio import SessionAudio
from backtimer.qt.session_window import SessionWindow
from tests.helpers.fakes import FakePlayer, FakeSpeech
from tests.qt.test_session_window import SETTINGS, make_library


def test_a_session_waits_for_its_voice_then_plays_every_cue(qtbot: QtBot) -> None:
    clock = FakeClock()
    speech, player = FakeSpeech(), FakePlayer(clock)
    audio = SessionAudio(player, speech, AudioSettings())
    window = SessionWindow(make_library(), clock, SETTINGS, audio=audio)
    qtbot.addWidget(window)
    progress: list[tuple[int, int]] = []
    audio.progress.connect(lambda done, total: progress.append((done, total)))

    with qtbot.waitSignal(audio.ready, timeout=5000) as ready:
        window.start_session()
        assert window.step_label.text().startswith("Preparing the voice")
        assert window.driver is None
    plan = ready.args[0]
    assert progress[-1] == (len(speech.rendered), len(speech.rendered))
    assert set(spoken_texts(plan)) <= set(speech.rendered)
    # The plan was compiled with the rendered phrases' real lengths.
    first = plan.steps[0].cues[0]
    assert first.duration_ms == speech.duration_ms(first.text or "")

    driver = window.driver
    assert driver is not None
    while driver.scheduler.is_active:
        clock.advance(50)
        driver.poll_now()
    assert len(player.plays) == len(plan.cues)
    assert beep_sound(Beep.DONE) in player.sounds
    audio.close()
    assert speech.closed


def test_speech_off_plays_beeps_only(qtbot: QtBot) -> None:
    clock = FakeClock()
    speech, player = FakeSpeech(), FakePlayer(clock)
    audio = SessionAudio(player, speech, AudioSettings(speech=False))
    window = SessionWindow(make_library(), clock, SETTINGS, audio=audio)
    qtbot.addWidget(window)
    with qtbot.waitSignal(audio.ready, timeout=5000):
        window.start_session()
    assert speech.rendered == []
    driver = window.driver
    assert driver is not None
    while driver.scheduler.is_active:
        clock.advance(50)
        driver.poll_now()
    beeps = {beep_sound(beep) for beep in Beep}
    assert player.sounds
    assert all(sound in beeps for sound in player.sounds)
