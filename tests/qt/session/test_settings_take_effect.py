"""New sound settings reach the next session, in the main window and in the break window.

A session that runs keeps the voice it started with; the next one gets a voice made from
the new settings, whether they changed during a session, between sessions, or while the
voice was being prepared (which then starts over).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import replace

import pytest
from pytestqt.qtbot import QtBot

from backtimer.core.audio import Pcm, Progress
from backtimer.core.clock import FakeClock
from backtimer.core.figure.figures import load_figures
from backtimer.core.paths import assets_dir, builtin_routines_dir
from backtimer.core.routine.loader import parse_routine
from backtimer.core.routine.model import Routine
from backtimer.core.safety import load_safety
from backtimer.core.scheduler import State
from backtimer.core.settings import AudioSettings, Settings
from backtimer.qt.breaks.break_window import BreakWindow
from backtimer.qt.session.session_audio import SessionAudio
from backtimer.qt.session.session_page import SessionPage
from backtimer.qt.shell.main_window import MainWindow
from tests.helpers.fakes import FakePlayer, FakeSpeech

FIGURES = load_figures(assets_dir() / "poses")
SETTINGS = Settings(get_ready_seconds=3, safety_acknowledged=True)
NEW_VOICE = replace(SETTINGS, audio=replace(SETTINGS.audio, voice="gmw/en-GB-x-rp", rate=150))


def desk_break() -> Routine:
    return parse_routine((builtin_routines_dir() / "desk-break.toml").read_text(encoding="utf-8"))


class Voices:
    """An audio factory that records the settings each voice was made with."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.made: list[AudioSettings] = []
        self.audio: list[SessionAudio] = []
        self.speech: list[FakeSpeech] = []

    def speech_for(self, settings: Settings) -> FakeSpeech:
        return FakeSpeech()

    def __call__(self, settings: Settings) -> SessionAudio:
        self.made.append(settings.audio)
        speech = self.speech_for(settings)
        self.speech.append(speech)
        audio = SessionAudio(FakePlayer(self.clock), speech, settings.audio)
        self.audio.append(audio)
        return audio


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def run_session(
    qtbot: QtBot, page: SessionPage, clock: FakeClock, change: Callable[[], object] | None = None
) -> None:
    """Wait for the voice, then run the session to its end (calling ``change`` midway)."""
    qtbot.waitUntil(lambda: page.in_session)
    driver = page.driver
    assert driver is not None
    steps = 0
    while driver.scheduler.is_active:
        clock.advance(250)
        driver.poll_now()
        steps += 1
        if steps == 20 and change is not None:
            change()
            assert page.in_session  # the session runs on with its voice
            if driver.scheduler.state is State.PAUSED:
                page.toggle_pause()  # the settings dialog paused it; Space resumes


# -- the main window ------------------------------------------------------------------------


def main_window(qtbot: QtBot, clock: FakeClock, voices: Voices) -> MainWindow:
    from backtimer.core.routine.library import load_library

    library = load_library(builtin_routines_dir())
    window = MainWindow(library, FIGURES, load_safety(), SETTINGS, voices, clock)
    qtbot.addWidget(window)
    return window


def change_in_settings_dialog(window: MainWindow, chosen: Settings) -> None:
    """File → Settings…, the user picks ``chosen`` and presses OK."""
    window.settings_requested.connect(lambda: window.apply_settings(chosen))
    window.open_settings()


def test_a_voice_changed_during_a_session_is_used_by_the_next(
    qtbot: QtBot, clock: FakeClock
) -> None:
    voices = Voices(clock)
    window = main_window(qtbot, clock, voices)
    window.start_routine("desk-break")
    run_session(
        qtbot, window.session, clock, change=lambda: change_in_settings_dialog(window, NEW_VOICE)
    )
    assert voices.made == [SETTINGS.audio]
    assert not voices.speech[0].closed  # the running session kept its voice to the end

    window.start_routine("desk-break")

    assert voices.made == [SETTINGS.audio, NEW_VOICE.audio]
    assert voices.speech[0].closed
    run_session(qtbot, window.session, clock)


def test_a_voice_changed_between_sessions_is_used_by_the_next(
    qtbot: QtBot, clock: FakeClock
) -> None:
    voices = Voices(clock)
    window = main_window(qtbot, clock, voices)
    window.start_routine("desk-break")
    run_session(qtbot, window.session, clock)
    change_in_settings_dialog(window, NEW_VOICE)
    window.start_routine("desk-break")
    assert voices.made == [SETTINGS.audio, NEW_VOICE.audio]


def test_other_settings_keep_the_voice(qtbot: QtBot, clock: FakeClock) -> None:
    voices = Voices(clock)
    window = main_window(qtbot, clock, voices)
    window.start_routine("desk-break")
    run_session(qtbot, window.session, clock)
    change_in_settings_dialog(window, replace(SETTINGS, larger_text=True))
    window.start_routine("desk-break")
    assert voices.made == [SETTINGS.audio]  # nothing to prepare anew


class SlowSpeech(FakeSpeech):
    """Renders only once released (a cold cache); cancel() ends it, as the service's does."""

    def __init__(self) -> None:
        super().__init__()
        self.in_flight = threading.Event()
        self.release = threading.Event()

    def render(self, text: str) -> Pcm | None:
        self.in_flight.set()
        self.release.wait(5)
        return super().render(text)

    def prerender(self, texts: Iterable[str], progress: Progress | None = None) -> None:
        for text in texts:
            self.render(text)

    def cancel(self) -> None:
        self.release.set()


def test_a_voice_changed_while_it_is_prepared_is_prepared_again(
    qtbot: QtBot, clock: FakeClock
) -> None:
    class FirstSlow(Voices):
        def speech_for(self, settings: Settings) -> FakeSpeech:
            return SlowSpeech() if not self.speech else FakeSpeech()

    voices = FirstSlow(clock)
    window = main_window(qtbot, clock, voices)
    window.start_routine("desk-break")
    first = voices.speech[0]
    assert isinstance(first, SlowSpeech)
    assert first.in_flight.wait(5)

    change_in_settings_dialog(window, NEW_VOICE)

    assert voices.made == [SETTINGS.audio, NEW_VOICE.audio]
    qtbot.waitUntil(lambda: window.session.in_session)
    assert window.session._audio is voices.audio[1]
    qtbot.waitUntil(lambda: first.closed)


# -- the break window -----------------------------------------------------------------------


def break_window(qtbot: QtBot, clock: FakeClock, voices: Voices) -> BreakWindow:
    window = BreakWindow(FIGURES, SETTINGS, voices, safety=load_safety(), clock=clock)
    qtbot.addWidget(window)
    return window


def test_a_voice_changed_during_a_break_is_used_by_the_next(qtbot: QtBot, clock: FakeClock) -> None:
    voices = Voices(clock)
    window = break_window(qtbot, clock, voices)
    assert window.start(desk_break())
    run_session(qtbot, window.session, clock, change=lambda: window.set_settings(NEW_VOICE))
    assert voices.made == [SETTINGS.audio]
    assert window.start(desk_break())
    assert voices.made == [SETTINGS.audio, NEW_VOICE.audio]


def test_a_voice_changed_between_breaks_is_used_by_the_next(qtbot: QtBot, clock: FakeClock) -> None:
    voices = Voices(clock)
    window = break_window(qtbot, clock, voices)
    assert window.start(desk_break())
    run_session(qtbot, window.session, clock)
    window.set_settings(NEW_VOICE)
    assert window.start(desk_break())
    assert voices.made == [SETTINGS.audio, NEW_VOICE.audio]
