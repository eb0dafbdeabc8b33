"""The window builds only the home page before it shows; the rest is made on first use."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from backtimer.core.clock import FakeClock
from backtimer.core.figure.figures import load_figures
from backtimer.core.history.recorder import SessionHistory
from backtimer.core.paths import assets_dir
from backtimer.core.routine.library import Library, LibraryEntry, Origin
from backtimer.core.routine.loader import parse_routine
from backtimer.core.safety import load_safety
from backtimer.core.scheduler import State
from backtimer.core.settings import Settings
from backtimer.qt.session.help_overlay import HelpOverlay
from backtimer.qt.session.session_page import SessionPage
from backtimer.qt.session.session_runner import SessionRunner
from backtimer.qt.session.summary_page import SummaryPage
from backtimer.qt.shell.main_window import MainWindow

ROUTINE = """
schema_version = 1
id = "tiny"
title = "Tiny"
summary = "One move."
category = "stretch"
equipment = []

[[exercises]]
id = "bridge"
name = "Bridge"
steps = ["Lie on your back.", "Lift the pelvis."]
kind = "reps"
reps = 1
sides = "none"
source = "default"
"""

SETTINGS = Settings(get_ready_seconds=5, safety_acknowledged=True)

#: Modules a launch must not import before the window shows.
LATER = (
    "backtimer.qt.session.session_page",
    "backtimer.qt.session.session_runner",
    "backtimer.qt.session.summary_page",
    "backtimer.qt.session.help_overlay",
    "backtimer.qt.widgets.figure_widget",
    "backtimer.core.plan.compiler",
    "backtimer.core.history.session_log",
    "backtimer.core.history.progression",
    "backtimer.core.scheduler",
)


def library() -> Library:
    return Library([LibraryEntry(parse_routine(ROUTINE), Path("tiny.toml"), Origin.USER)])


def made(window: MainWindow, kind: type) -> int:
    """How many objects of ``kind`` the window holds."""
    return len(window.findChildren(kind))


def empty_window(qtbot: QtBot, history: SessionHistory | None = None) -> MainWindow:
    """As the app makes it: no library yet, shown at once."""
    window = MainWindow(None, {}, None, SETTINGS, lambda s: None, FakeClock(), history=history)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_showing_the_window_imports_only_what_the_home_page_needs(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from backtimer.core.history.recorder import SessionHistory\n"
        "from backtimer.core.settings import Settings\n"
        "from backtimer.qt.shell.main_window import MainWindow\n"
        "app = QApplication(['test', '-platform', 'offscreen'])\n"
        f"history = SessionHistory.open_as_writer(__import__('pathlib').Path({str(tmp_path)!r}))\n"
        "window = MainWindow(None, {}, None, Settings(), lambda s: None, history=history)\n"
        "window.show()\n"
        "app.processEvents()\n"
        f"print(sorted(m for m in sys.modules if m in {LATER!r}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_the_session_page_and_runner_are_made_on_the_first_start(qtbot: QtBot) -> None:
    window = empty_window(qtbot)
    assert window.pages.count() == 1
    for kind in (SessionPage, SessionRunner, SummaryPage):
        assert made(window, kind) == 0, kind
    window.set_content(library(), load_figures(assets_dir() / "poses"), load_safety())
    assert made(window, SessionPage) == 0
    window.start_routine("tiny")
    assert window.pages.currentWidget() is window.session
    assert window.runner.busy
    assert window.session.driver is not None
    assert window.session.driver.scheduler.state is State.GET_READY


def test_a_routine_asked_for_before_the_library_loads_starts_once_it_has(qtbot: QtBot) -> None:
    window = empty_window(qtbot)
    window.start_routine("tiny")  # backtimer run tiny: the library is not there yet
    assert made(window, SessionPage) == 0
    window.set_content(library(), load_figures(assets_dir() / "poses"), load_safety())
    assert window.pages.currentWidget() is window.session


def test_session_keys_and_menus_do_nothing_before_any_session(qtbot: QtBot) -> None:
    window = empty_window(qtbot)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    for key in (Qt.Key.Key_Right, Qt.Key.Key_Left, Qt.Key.Key_Escape):
        qtbot.keyClick(window, key)
    window.skip()
    window.back()
    window.stop_for_pain()
    window.pause_unattended()
    window.apply_settings(SETTINGS)
    window.close()
    assert made(window, SessionPage) == 0
    assert made(window, SessionRunner) == 0
    assert window.pages.currentWidget() is window.home


def test_the_help_overlay_is_made_when_first_asked_for(qtbot: QtBot) -> None:
    window = empty_window(qtbot)
    assert made(window, HelpOverlay) == 0
    window.escape()  # nothing open: nothing to close, and nothing made
    assert made(window, HelpOverlay) == 0
    window.toggle_help()
    assert window.help_overlay.isVisible()
    window.escape()
    assert not window.help_overlay.isVisible()


def test_a_page_made_late_follows_the_window_font(qtbot: QtBot) -> None:
    window = empty_window(qtbot)
    font = window.font()
    font.setPointSizeF(font.pointSizeF() * 1.5)
    window.setFont(font)
    assert window.session.font().pointSizeF() == font.pointSizeF()
    assert window.summary.font().pointSizeF() == font.pointSizeF()


def test_the_search_clear_button_comes_with_the_first_text(qtbot: QtBot) -> None:
    window = empty_window(qtbot)
    search = window.home.search_field
    assert not search.isClearButtonEnabled()  # nothing to clear: its icon is not loaded yet
    qtbot.keyClicks(search, "neck")
    assert search.isClearButtonEnabled()
    search.clear()
    assert search.isClearButtonEnabled()
