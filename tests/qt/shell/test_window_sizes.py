"""Nothing is cut off at the screen sizes people have, in either theme.

Each page is laid out at the area a maximised window has on an 800×600, a 1366×768 and a
1920×1080 screen (less a panel and the title bar), light and dark, and with larger text on
the smallest screen and a laptop's. :func:`~tests.helpers.clipping.clipped_widgets` lists
any widget that sticks out of its parent or is smaller than its content needs. The session
is walked through every exercise of a routine with names, sets, sides and watch-out lines,
and its big number must fill at least 15 % of the window's height at every size.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from backtimer.core.clock import FakeClock
from backtimer.core.figure.figures import load_figures
from backtimer.core.history.recorder import SessionHistory
from backtimer.core.paths import assets_dir, builtin_routines_dir
from backtimer.core.routine.library import load_library
from backtimer.core.safety import load_safety
from backtimer.core.settings import Settings, Theme
from backtimer.qt.history.history_view import HistoryView
from backtimer.qt.shell.main_window import MainWindow
from backtimer.qt.widgets.theme import apply_theme
from tests.helpers.clipping import clipped_widgets
from tests.helpers.history_samples import sample_history

#: What a maximised window gets: the screen less a 32 px panel and a 32 px title bar.
SCREENS = {
    "800×600": QSize(800, 600 - 64),
    "1366×768": QSize(1366, 768 - 64),
    "1920×1080": QSize(1920, 1080 - 64),
}
LOOKS = [
    pytest.param(size, theme, False, id=f"{name}-{theme.value}")
    for name, size in SCREENS.items()
    for theme in (Theme.LIGHT, Theme.DARK)
] + [
    pytest.param(SCREENS[name], Theme.LIGHT, True, id=f"{name}-larger-text")
    for name in ("800×600", "1366×768")
]

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 3, 12, 20, 0, tzinfo=BERLIN)
LIBRARY = load_library(builtin_routines_dir())
FIGURES = load_figures(assets_dir() / "poses")


@pytest.fixture
def app(qapp: QApplication) -> Iterator[QApplication]:
    """The application, put back to the system theme and its own font afterwards."""
    assert isinstance(qapp, QApplication)
    font = QFont(qapp.font())
    yield qapp
    apply_theme(qapp, Theme.SYSTEM, False, font)


def laid_out(qtbot: QtBot, window: QWidget, size: QSize) -> QWidget:
    window.show()
    qtbot.waitExposed(window)
    window.resize(size)
    qtbot.waitUntil(lambda: window.size() == size)
    QApplication.processEvents()
    return window


def make_window(qtbot: QtBot, app: QApplication, theme: Theme, larger: bool) -> MainWindow:
    apply_theme(app, theme, larger, QFont(app.font()))
    settings = Settings(safety_acknowledged=True, theme=theme, larger_text=larger)
    window = MainWindow(LIBRARY, FIGURES, load_safety(), settings, lambda s: None, FakeClock())
    qtbot.addWidget(window)
    return window


@pytest.mark.parametrize(("size", "theme", "larger"), LOOKS)
def test_the_routine_picker_fits(
    qtbot: QtBot, app: QApplication, size: QSize, theme: Theme, larger: bool
) -> None:
    window = make_window(qtbot, app, theme, larger)
    laid_out(qtbot, window, size)
    assert window.size() == size
    assert clipped_widgets(window) == []


@pytest.mark.parametrize(("size", "theme", "larger"), LOOKS)
def test_the_session_fits(
    qtbot: QtBot, app: QApplication, size: QSize, theme: Theme, larger: bool
) -> None:
    window = make_window(qtbot, app, theme, larger)
    laid_out(qtbot, window, size)
    # Long names, sets, sides and watch-out lines: the routine with the most to show.
    window.start_routine("stretch-and-strengthen")
    QApplication.processEvents()
    assert window.pages.currentWidget() is window.session
    driver = window.session.driver
    assert driver is not None
    exercises = len(driver.scheduler.plan.exercises)
    for _ in range(exercises + 1):  # every exercise: its name, set, rep, side and steps
        QApplication.processEvents()
        shown = window.session.exercise_label.text()
        assert clipped_widgets(window) == [], shown
        assert window.session.width() <= window.width(), shown
        # The number that matters now fills its room: at least 15 % of the window's height.
        number = window.session.countdown_label.text_rect().height()
        assert number >= 0.15 * size.height(), (shown, number)
        window.session.skip()
    assert exercises > 3


@pytest.mark.parametrize(("size", "theme", "larger"), LOOKS)
def test_the_preview_fits(
    qtbot: QtBot, app: QApplication, size: QSize, theme: Theme, larger: bool
) -> None:
    window = make_window(qtbot, app, theme, larger)
    laid_out(qtbot, window, size)
    window.show_preview("back-strengthening")  # the longest list of exercises
    QApplication.processEvents()
    assert window.pages.currentWidget() is window.preview
    assert clipped_widgets(window) == []


@pytest.mark.parametrize(("size", "theme", "larger"), LOOKS)
def test_the_summary_after_a_pain_stop_fits(
    qtbot: QtBot, app: QApplication, size: QSize, theme: Theme, larger: bool
) -> None:
    window = make_window(qtbot, app, theme, larger)
    laid_out(qtbot, window, size)
    window.start_routine("warm-up")
    window.stop_for_pain()
    QApplication.processEvents()
    assert window.pages.currentWidget() is window.summary
    assert window.summary.pain_form.isVisibleTo(window)
    assert clipped_widgets(window) == []


EMPTY_HISTORY_LOOKS = [look for look in LOOKS if "800" in str(look.id)]


@pytest.mark.parametrize(
    ("size", "theme", "larger", "filled"),
    [pytest.param(*look.values, True, id=f"{look.id}-a-year") for look in LOOKS]
    + [pytest.param(*look.values, False, id=f"{look.id}-empty") for look in EMPTY_HISTORY_LOOKS],
)
def test_the_history_fits(
    qtbot: QtBot,
    app: QApplication,
    tmp_path: Path,
    size: QSize,
    theme: Theme,
    larger: bool,
    filled: bool,
) -> None:
    apply_theme(app, theme, larger, QFont(app.font()))
    history = SessionHistory(tmp_path / "history")
    if filled:
        history.store.add_sessions(sample_history(NOW.date(), BERLIN))
    view = HistoryView(history, tz=BERLIN, now=lambda: NOW)
    qtbot.addWidget(view)
    view.refresh()
    laid_out(qtbot, view, size)
    assert view.pages.currentWidget() is (view.content if filled else view.empty)
    assert clipped_widgets(view) == []
