"""The session's keys in the main window: Esc asks, P stops for pain, and everything that
covers the session (the shortcuts, a dialog, a message, the history) pauses it first."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox
from pytestqt.qtbot import QtBot

from backtimer.core.clock import FakeClock
from backtimer.core.history.overrides import RepsOverrides
from backtimer.core.history.recorder import SessionHistory
from backtimer.core.safety import load_safety
from backtimer.core.scheduler import Outcome, Scheduler, State
from backtimer.qt.shell.main_window import SHORTCUTS, MainWindow
from tests.helpers.routines import BACK_ROUTINE, user_library
from tests.qt.shell.test_main_window import FIGURES, SETTINGS, driver, library, make_window


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def state_of(scheduler: Scheduler) -> State:
    return scheduler.state


def running(qtbot: QtBot, clock: FakeClock) -> MainWindow:
    window = make_window(qtbot, clock)
    window.start_routine("short")
    assert state_of(driver(window).scheduler) is State.GET_READY
    return window


def test_the_help_lists_p_for_pain_and_that_esc_asks() -> None:
    keys = dict(SHORTCUTS)
    assert keys["P"].startswith("Stop, I feel pain")
    assert "Ctrl+Shift+P" in keys["P"]
    assert "asks" in keys["Esc"]


@pytest.mark.parametrize(
    "keys",
    [
        (Qt.Key.Key_P, Qt.KeyboardModifier.NoModifier),
        (
            Qt.Key.Key_P,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        ),
    ],
)
def test_p_stops_for_pain_at_once(
    qtbot: QtBot, clock: FakeClock, keys: tuple[Qt.Key, Qt.KeyboardModifier]
) -> None:
    window = running(qtbot, clock)
    with qtbot.waitSignal(window.session.finished) as finished:
        qtbot.keyClick(window, keys[0], keys[1])
    assert finished.args[0].outcome is Outcome.STOPPED_FOR_PAIN
    assert window.pages.currentWidget() is window.summary


def test_p_stops_for_pain_while_the_page_asks_whether_to_end(
    qtbot: QtBot, clock: FakeClock
) -> None:
    window = running(qtbot, clock)
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert window.session.asking
    with qtbot.waitSignal(window.session.finished) as finished:
        qtbot.keyClick(window, Qt.Key.Key_P)
    assert finished.args[0].outcome is Outcome.STOPPED_FOR_PAIN


def test_esc_asks_and_space_keeps_going(qtbot: QtBot, clock: FakeClock) -> None:
    window = running(qtbot, clock)
    scheduler = driver(window).scheduler
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert window.session.asking
    assert state_of(scheduler) is State.PAUSED
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert not window.session.asking
    assert state_of(scheduler) is State.GET_READY
    assert window.pages.currentWidget() is window.session


def test_f1_pauses_and_closing_it_does_not_resume(qtbot: QtBot, clock: FakeClock) -> None:
    window = running(qtbot, clock)
    scheduler = driver(window).scheduler
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert window.help_overlay.isVisible()
    assert state_of(scheduler) is State.PAUSED
    qtbot.keyClick(window.help_overlay, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.help_overlay.isVisible())
    assert state_of(scheduler) is State.PAUSED  # Space resumes, nothing else
    assert window.pages.currentWidget() is window.session  # Esc closed the help only
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert state_of(scheduler) is State.GET_READY


def test_settings_and_safety_pause_the_session(qtbot: QtBot, clock: FakeClock) -> None:
    window = running(qtbot, clock)
    scheduler = driver(window).scheduler
    with qtbot.waitSignal(window.settings_requested):
        window.open_settings()
    assert state_of(scheduler) is State.PAUSED
    window.session.toggle_pause()
    with qtbot.waitSignal(window.safety_requested):
        window.show_safety()
    assert state_of(scheduler) is State.PAUSED


def test_the_history_window_pauses_the_session(
    qtbot: QtBot, clock: FakeClock, tmp_path: Path
) -> None:
    history = SessionHistory(tmp_path / "history")
    window = MainWindow(
        library(), FIGURES, load_safety(), SETTINGS, lambda s: None, clock, history=history
    )
    qtbot.addWidget(window)
    window.show()
    window.start_routine("short")
    window.show_history()
    qtbot.addWidget(window.history_view)
    assert state_of(driver(window).scheduler) is State.PAUSED


def test_the_reps_dialog_pauses_the_session(qtbot: QtBot, tmp_path: Path) -> None:
    window = MainWindow(
        user_library(BACK_ROUTINE),
        FIGURES,
        load_safety(),
        SETTINGS,
        lambda s: None,
        FakeClock(),
        reps=RepsOverrides.for_data(tmp_path / "data"),
    )
    qtbot.addWidget(window)
    window.show()
    window.start_routine("back")
    window.show_reps("back")
    assert window.reps_dialog is not None
    qtbot.addWidget(window.reps_dialog)
    assert state_of(driver(window).scheduler) is State.PAUSED


@pytest.mark.parametrize("kind", ["dialog", "message"])
def test_any_window_of_the_app_over_the_session_pauses_it(
    qtbot: QtBot, clock: FakeClock, kind: str
) -> None:
    """Opened from anywhere (the tray, the app): the session pauses and stays paused."""
    window = running(qtbot, clock)
    scheduler = driver(window).scheduler
    cover: QDialog = QDialog(window) if kind == "dialog" else QMessageBox(window)
    seen: list[State] = []

    def look_then_close() -> None:
        seen.append(scheduler.state)
        cover.reject()

    def wait_then_close() -> None:
        qtbot.waitUntil(lambda: scheduler.state is State.PAUSED)
        look_then_close()

    QTimer.singleShot(0, wait_then_close)
    cover.exec()
    assert seen == [State.PAUSED]
    QApplication.processEvents()  # the window has the focus back: nothing resumes by itself
    assert state_of(scheduler) is State.PAUSED


def test_space_over_the_help_closes_it_and_leaves_the_session_paused(
    qtbot: QtBot, clock: FakeClock
) -> None:
    window = running(qtbot, clock)
    scheduler = driver(window).scheduler
    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.keyClick(window.help_overlay, Qt.Key.Key_Space)
    assert not window.help_overlay.isVisible()
    assert state_of(scheduler) is State.PAUSED
