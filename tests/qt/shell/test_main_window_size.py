"""The main window opens sized from its screen and comes back where it was."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from backtimer.core.safety import load_safety
from backtimer.core.settings import Settings
from backtimer.qt.shell.main_window import PREFERRED_SIZE, MainWindow


def make_window(qtbot: QtBot, settings: Settings) -> MainWindow:
    window = MainWindow(None, {}, load_safety(), settings, lambda s: None)
    qtbot.addWidget(window)
    return window


def test_the_window_opens_within_its_screen(qtbot: QtBot) -> None:
    window = make_window(qtbot, Settings(safety_acknowledged=True))
    area = window.screen().availableGeometry()
    # The offscreen screen is smaller than the preferred size: the window gives way.
    assert area.width() < PREFERRED_SIZE.width()
    assert window.width() <= area.width()
    assert window.height() <= area.height()
    assert window.minimumWidth() <= area.width()
    assert window.minimumHeight() <= area.height()
    assert area.contains(window.geometry())


def test_closing_remembers_the_place_and_the_next_run_restores_it(qtbot: QtBot) -> None:
    window = make_window(qtbot, Settings(safety_acknowledged=True))
    saved: list[Settings] = []
    window.settings_changed.connect(saved.append)
    window.show()
    window.setGeometry(20, 30, 700, 520)
    size = window.size()
    window.close()
    assert saved
    assert saved[-1].window_geometry
    again = make_window(qtbot, saved[-1])
    again.restore_geometry()
    assert again.size() == size
