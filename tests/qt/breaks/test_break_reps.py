"""A desk break started by a reminder uses the reps the user pinned, as every session does."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from backtimer.app.sessions import SessionFactory
from backtimer.core.history.overrides import RepsOverrides
from backtimer.core.routine.library import Library, LibraryEntry, Origin
from backtimer.core.settings import ReminderSettings, Settings
from backtimer.qt.breaks.desk_break_wiring import BreakLauncher
from backtimer.qt.shell.content import Content
from tests.helpers.routines import back_routine


def test_the_break_routine_runs_with_the_pinned_reps(qtbot: QtBot, tmp_path: Path) -> None:
    routine = back_routine()
    library = Library()
    library.entries.append(LibraryEntry(routine, tmp_path / "back.toml", Origin.USER))
    content = Content(library=library)
    pins = RepsOverrides(tmp_path / "reps.json")
    pins.pin(routine, "bridge", 7)
    settings = Settings(get_ready_seconds=0, reminders=ReminderSettings(break_routine="back"))
    finished: list[bool] = []
    launcher = BreakLauncher(
        content,
        lambda: settings,
        lambda current: None,
        None,
        lambda: finished.append(True),
        sessions=SessionFactory(lambda: content.library, None, pins),
    )
    launcher.open()
    window = launcher.window
    assert window is not None
    qtbot.addWidget(window)
    driver = window.session.driver
    assert driver is not None
    bridge = [step for step in driver.scheduler.plan.steps if step.exercise_index == 0]
    assert max(step.rep_count for step in bridge) == 7
    assert "Pinned at 7" in window.session._reasons["bridge"]
    window.close()
