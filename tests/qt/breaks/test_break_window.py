"""The break window runs the desk break on a fake clock: figure, voice, pain stop, history."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from backtimer.core.clock import FakeClock
from backtimer.core.figure.figures import load_figures
from backtimer.core.history.recorder import SessionHistory
from backtimer.core.history.records import SessionKind, SessionOutcome
from backtimer.core.paths import assets_dir, builtin_routines_dir
from backtimer.core.plan.timeline import spoken_texts
from backtimer.core.routine.loader import parse_routine
from backtimer.core.routine.model import Routine
from backtimer.core.safety import load_safety
from backtimer.core.scheduler import Outcome, Scheduler, State
from backtimer.core.settings import AudioSettings, Settings
from backtimer.qt.breaks.break_window import BreakWindow
from backtimer.qt.session.session_audio import SessionAudio
from tests.helpers.fakes import FakePlayer, FakeSpeech

FIGURES = load_figures(assets_dir() / "poses")
SETTINGS = Settings(get_ready_seconds=3, safety_acknowledged=True)


def desk_break() -> Routine:
    return parse_routine((builtin_routines_dir() / "desk-break.toml").read_text(encoding="utf-8"))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def make_window(
    qtbot: QtBot,
    clock: FakeClock,
    audio: SessionAudio | None = None,
    history: SessionHistory | None = None,
) -> BreakWindow:
    window = BreakWindow(
        FIGURES, SETTINGS, lambda s: audio, history=history, safety=load_safety(), clock=clock
    )
    qtbot.addWidget(window)
    return window


def state_of(scheduler: Scheduler) -> State:
    """The scheduler's state, read through a call: after ``assert scheduler.state is X``
    mypy would take the state for X still, across the calls that change it."""
    return scheduler.state


def run_to_end(window: BreakWindow, clock: FakeClock) -> None:
    driver = window.session.driver
    assert driver is not None
    while driver.scheduler.is_active:
        clock.advance(250)
        driver.poll_now()


def test_the_desk_break_runs_to_the_end_and_is_recorded(
    qtbot: QtBot, clock: FakeClock, tmp_path: Path
) -> None:
    history = SessionHistory(tmp_path / "history")
    window = make_window(qtbot, clock, history=history)
    assert window.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
    assert window.start(desk_break())
    qtbot.waitExposed(window)
    assert window.in_session
    assert window.length_text == "2:34 min"  # the planned length, as on the picker's card
    assert window.windowTitle() == "Desk break, 2:34 min · Get ready — backtimer"
    assert [r.outcome for r in history.store.sessions()] == [SessionOutcome.IN_PROGRESS]
    figures_seen = set()
    driver = window.session.driver
    assert driver is not None
    while driver.scheduler.is_active:
        clock.advance(250)
        driver.poll_now()
        if window.session.figure.current_pose() is not None:
            figures_seen.add(window.session.exercise_label.text())
    assert len(figures_seen) >= 3  # the figure follows the exercises
    assert window.summary is not None
    assert window.summary.outcome is Outcome.COMPLETED
    assert window.pages.currentWidget() is window.done_page
    assert window.done_headline.text()
    records = history.store.sessions()
    assert [r.outcome for r in records] == [SessionOutcome.COMPLETED]
    assert records[0].routine_id == "desk-break"


def test_any_routine_the_break_window_runs_is_recorded_as_a_desk_break(
    qtbot: QtBot, clock: FakeClock, tmp_path: Path
) -> None:
    history = SessionHistory(tmp_path / "history")
    window = make_window(qtbot, clock, history=history)
    neck = parse_routine((builtin_routines_dir() / "neck.toml").read_text(encoding="utf-8"))
    assert window.start(neck)  # the break routine chosen in the settings
    (record,) = history.store.sessions()
    assert record.routine_id == "neck"
    assert record.kind is SessionKind.DESK_BREAK  # never counted toward the weekly goal


def test_finished_brings_the_outcome(qtbot: QtBot, clock: FakeClock) -> None:
    window = make_window(qtbot, clock)
    window.start(desk_break())
    with qtbot.waitSignal(window.finished, timeout=1000) as finished:
        run_to_end(window, clock)
    assert finished.args == [Outcome.COMPLETED]


def test_the_pain_button_is_there_and_shows_the_stop_rule(qtbot: QtBot, clock: FakeClock) -> None:
    window = make_window(qtbot, clock)
    window.start(desk_break())
    qtbot.waitExposed(window)
    assert window.session.pain_button.isVisible()
    with qtbot.waitSignal(window.finished, timeout=1000) as finished:
        qtbot.mouseClick(window.session.pain_button, Qt.MouseButton.LeftButton)
    assert finished.args == [Outcome.STOPPED_FOR_PAIN]
    assert window.stop_rule_box is not None
    assert load_safety().stop_rule.text in window.stop_rule_box.text_label.text()


def test_a_pain_note_after_a_pain_stop_is_saved_with_the_session(
    qtbot: QtBot, clock: FakeClock, tmp_path: Path
) -> None:
    history = SessionHistory(tmp_path / "history")
    window = make_window(qtbot, clock, history=history)
    window.start(desk_break())
    qtbot.waitExposed(window)
    with qtbot.waitSignal(window.finished, timeout=1000):
        qtbot.mouseClick(window.session.pain_button, Qt.MouseButton.LeftButton)
    form = window.pain_form
    assert form.isVisibleTo(window)
    [neck] = [button for button in form.area_buttons if button.text() == "Neck"]
    qtbot.mouseClick(neck, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(form.note_edit, "stiff when turning")
    window.close()  # closing keeps what the form holds
    (record,) = SessionHistory(tmp_path / "history").store.sessions()
    assert record.outcome is SessionOutcome.STOPPED_FOR_PAIN
    assert (record.pain_area, record.pain_note) == ("neck", "stiff when turning")


def test_no_pain_form_after_a_break_without_pain(qtbot: QtBot, clock: FakeClock) -> None:
    window = make_window(qtbot, clock)
    window.start(desk_break())
    qtbot.waitExposed(window)
    with qtbot.waitSignal(window.finished, timeout=1000):
        run_to_end(window, clock)
    assert not window.pain_form.isVisibleTo(window)


def test_keys_pause_and_stop_then_esc_closes(qtbot: QtBot, clock: FakeClock) -> None:
    window = make_window(qtbot, clock)
    window.start(desk_break())
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    driver = window.session.driver
    assert driver is not None
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert state_of(driver.scheduler) is State.PAUSED
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert state_of(driver.scheduler) is State.GET_READY
    qtbot.keyClick(window, Qt.Key.Key_Escape)  # asks first, paused
    assert window.session.asking
    assert state_of(driver.scheduler) is State.PAUSED
    with qtbot.waitSignal(window.finished, timeout=1000) as finished:
        qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert finished.args == [Outcome.STOPPED]
    assert window.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not window.isVisible()


def test_p_stops_the_break_for_pain(qtbot: QtBot, clock: FakeClock) -> None:
    window = make_window(qtbot, clock)
    window.start(desk_break())
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    with qtbot.waitSignal(window.finished, timeout=1000) as finished:
        qtbot.keyClick(window, Qt.Key.Key_P)
    assert finished.args == [Outcome.STOPPED_FOR_PAIN]


def test_closing_the_window_stops_the_break(qtbot: QtBot, clock: FakeClock) -> None:
    window = make_window(qtbot, clock)
    window.start(desk_break())
    with qtbot.waitSignal(window.finished, timeout=1000) as finished:
        window.close()
    assert finished.args == [Outcome.STOPPED]
    assert not window.in_session


def test_a_second_start_while_running_only_brings_it_forward(
    qtbot: QtBot, clock: FakeClock
) -> None:
    window = make_window(qtbot, clock)
    assert window.start(desk_break())
    driver = window.session.driver
    assert not window.start(desk_break())
    assert window.session.driver is driver
    run_to_end(window, clock)
    assert window.start(desk_break())  # again, once the first is over
    assert window.pages.currentWidget() is window.session


def test_the_break_has_its_voice(qtbot: QtBot, clock: FakeClock) -> None:
    speech, player = FakeSpeech(), FakePlayer(clock)
    audio = SessionAudio(player, speech, AudioSettings())
    window = make_window(qtbot, clock, audio)
    with qtbot.waitSignal(audio.ready, timeout=5000) as ready:
        window.start(desk_break())
        assert window.session.action_label.text().startswith("Preparing the voice")
    plan = ready.args[0]
    assert set(spoken_texts(plan)) <= set(speech.rendered)
    run_to_end(window, clock)
    assert len(player.plays) == len(plan.cues)
    window.close()
    assert speech.closed
