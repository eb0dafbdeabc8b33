"""The routine's preview on its own: every exercise in order, it scrolls when long, the
buttons stay in view and have names, Enter starts."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from backtimer.core.figure.figures import load_figures
from backtimer.core.history.progression import Decision
from backtimer.core.paths import assets_dir, builtin_routines_dir
from backtimer.core.routine.library import Library, load_library
from backtimer.core.routine.model import Routine
from backtimer.qt.home.preview_page import PreviewPage

FIGURES = load_figures(assets_dir() / "poses")


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library(builtin_routines_dir())


def routine(library: Library, routine_id: str) -> Routine:
    entry = library.find(routine_id)
    assert entry is not None
    return entry.routine


def make_page(qtbot: QtBot, shown: Routine, width: int = 800, height: int = 560) -> PreviewPage:
    page = PreviewPage()
    qtbot.addWidget(page)
    decisions = {
        exercise.id: Decision(exercise.rep_count, "Start of the range")
        for exercise in shown.exercises
        if exercise.reps is not None
    }
    page.show_routine(shown, decisions, 155_100, FIGURES, reps_available=True)
    page.resize(width, height)
    page.show()
    qtbot.waitExposed(page)
    return page


def test_a_long_routine_scrolls_and_the_buttons_stay_in_view(
    qtbot: QtBot, library: Library
) -> None:
    shown = routine(library, "back-strengthening")
    page = make_page(qtbot, shown)
    assert [row.exercise.id for row in page.rows] == [e.id for e in shown.exercises]
    assert page.scroll_area.verticalScrollBar().maximum() > 0
    for button in (page.start_button, page.back_button, page.reps_button):
        assert button.isVisible()
        assert button.accessibleName()
        assert page.rect().contains(button.geometry())
    assert page.facts_label.text() == "2:36 min in all · 10 exercises"
    assert all(row.figure.figure is not None for row in page.rows)


def test_enter_starts_and_back_goes_back(qtbot: QtBot, library: Library) -> None:
    page = make_page(qtbot, routine(library, "desk-break"))
    page.activateWindow()
    page.focus_start()
    qtbot.waitUntil(page.start_button.hasFocus)
    with qtbot.waitSignal(page.start_requested) as started:
        qtbot.keyClick(page.start_button, Qt.Key.Key_Return)
    assert started.args == ["desk-break"]
    with qtbot.waitSignal(page.back_requested) as back:
        qtbot.mouseClick(page.back_button, Qt.MouseButton.LeftButton)
    assert back.args == ["desk-break"]
    assert page.reps_button.isVisibleTo(page)  # the desk break counts reps


def test_a_timed_routine_offers_no_reps(qtbot: QtBot, library: Library) -> None:
    page = make_page(qtbot, routine(library, "warm-up"))
    assert page.reps_button.isHidden()
    assert page.have_label.isHidden()
    assert all(row.reason_label.isHidden() for row in page.rows)
