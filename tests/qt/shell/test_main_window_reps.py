"""The window and pinned reps: the home page opens the reps dialog, a session uses the pins."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from backtimer.core.clock import FakeClock
from backtimer.core.history.overrides import RepsOverrides
from backtimer.core.history.recorder import SessionHistory
from backtimer.core.safety import load_safety
from backtimer.core.settings import Settings
from backtimer.qt.shell.main_window import MainWindow
from tests.helpers.routines import BACK_ROUTINE, back_routine, completed_sessions, user_library

SETTINGS = Settings(get_ready_seconds=5, safety_acknowledged=True)


@pytest.fixture
def history(tmp_path: Path) -> SessionHistory:
    """Two completed sessions: the progression says 3 bridges."""
    history = SessionHistory(tmp_path / "data" / "history")
    history.store.add_sessions(completed_sessions(back_routine(), 3, 2))
    return history


@pytest.fixture
def store(tmp_path: Path) -> RepsOverrides:
    return RepsOverrides.for_data(tmp_path / "data")


def make_window(
    qtbot: QtBot, history: SessionHistory | None, store: RepsOverrides | None
) -> MainWindow:
    window = MainWindow(
        user_library(BACK_ROUTINE),
        {},
        load_safety(),
        SETTINGS,
        lambda s: None,
        FakeClock(),
        history=history,
        reps=store,
    )
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def planned_bridges(window: MainWindow) -> int:
    assert window.session.driver is not None
    return window.session.driver.scheduler.plan.exercises[0].reps


def test_a_pin_is_used_at_the_start_of_a_session_and_the_view_says_so(
    qtbot: QtBot, history: SessionHistory, store: RepsOverrides
) -> None:
    store.pin(back_routine(), "bridge", 6)
    window = make_window(qtbot, history, store)
    window.start_routine("back")
    assert planned_bridges(window) == 6
    assert "Pinned at 6 reps by you" in window.session.steps_label.text()


def test_the_reps_dialog_from_the_home_page_saves_pins_for_the_next_session(
    qtbot: QtBot, history: SessionHistory, store: RepsOverrides
) -> None:
    window = make_window(qtbot, history, store)
    card = window.home.cards["back"]
    assert not card.reps_button.isHidden()
    qtbot.mouseClick(card.reps_button, Qt.MouseButton.LeftButton)
    dialog = window.reps_dialog
    assert dialog is not None
    assert dialog.isVisible()
    bridge = dialog.rows["bridge"]
    assert bridge.spin.value() == 3  # from the history
    assert bridge.reason_label.text() == "2 completed sessions since the last step: up to 3 reps"
    bridge.auto_box.setChecked(False)
    bridge.spin.setValue(8)
    dialog.accept()
    assert store.pins("back") == {"bridge": 8}

    window.start_routine("back")
    assert planned_bridges(window) == 8
    window.session.stop()

    # Automatic again: back to the history's count.
    window.show_reps("back")
    assert window.reps_dialog is not None
    assert window.reps_dialog.rows["bridge"].spin.value() == 8
    window.reps_dialog.set_all_automatic()
    window.reps_dialog.accept()
    assert store.pins("back") == {}


def test_without_a_store_there_are_no_reps_to_pin(qtbot: QtBot) -> None:
    window = make_window(qtbot, None, None)
    assert window.home.cards["back"].reps_button.isHidden()
    window.show_reps("back")
    assert window.reps_dialog is None
    window.start_routine("back")
    assert planned_bridges(window) == 2
