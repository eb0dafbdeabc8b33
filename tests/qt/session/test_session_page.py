"""The session page from a mat: sizes from the window, fixed geometry, the question before
ending, the dimmed pause, the ring that fills, and the pain stop in every state."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPalette
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from backtimer.core.clock import FakeClock
from backtimer.core.figure.figures import load_figures
from backtimer.core.paths import assets_dir
from backtimer.core.plan.compiler import compile_plan
from backtimer.core.plan.timeline import StepKind
from backtimer.core.routine.loader import parse_routine
from backtimer.core.scheduler import Outcome, Scheduler, State
from backtimer.qt.session.session_page import STEPS_MIN_FACTOR, SessionPage, pixel_size

ROUTINE = """
schema_version = 1
id = "mat"
title = "Mat"
summary = "Three moves."
category = "stretch"
rest_between_exercises = 5

[[exercises]]
id = "plank"
name = "Plank"
steps = ["Rest on your forearms and toes.", "Hold one straight line."]
kind = "timed"
duration = 30
safety = "Do not let your hips sag; drop to your knees if your back starts to hurt."
source = "default"

[[exercises]]
id = "side-plank"
name = "Side plank"
steps = ["Lie on your side.", "Lift your hips."]
kind = "timed"
duration = 30
source = "default"

[[exercises]]
id = "bridge"
name = "Bridge"
steps = ["Lie on your back.", "Lift the pelvis."]
kind = "reps"
reps = 10
breathing = { inhale = 2, exhale = 3 }
source = "default"

[exercises.cues]
inhale = "Breathe in, lift your hips."
exhale = "Breathe out, lower slowly."
"""

FIGURES = load_figures(assets_dir() / "poses")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def make_page(qtbot: QtBot, clock: FakeClock, size: tuple[int, int] = (1366, 768)) -> SessionPage:
    page = SessionPage(FIGURES, clock)
    qtbot.addWidget(page)
    page.resize(*size)
    page.show()
    qtbot.waitExposed(page)
    routine = parse_routine(ROUTINE)
    page.run(routine, compile_plan(routine), None)
    return page


def scheduler(page: SessionPage) -> Scheduler:
    assert page.driver is not None
    return page.driver.scheduler


def state_of(page: SessionPage) -> State:
    return scheduler(page).state


def run_until(page: SessionPage, clock: FakeClock, done: Callable[[], bool]) -> None:
    driver = page.driver
    assert driver is not None
    while not done() and driver.scheduler.is_active:
        clock.advance(100)
        driver.poll_now()


def at(page: SessionPage, kind: StepKind, exercise: int) -> Callable[[], bool]:
    def done() -> bool:
        step = scheduler(page).current_step
        return step is not None and step.kind is kind and step.exercise_index == exercise

    return done


def ink_rows(widget: QWidget) -> int:
    """How many pixel rows of ``widget`` hold text-coloured pixels (the height of its ink)."""
    image: QImage = widget.grab().toImage()
    text = widget.palette().color(QPalette.ColorRole.WindowText)

    def inked(y: int) -> bool:
        return any(
            abs(QColor(image.pixel(x, y)).lightness() - text.lightness()) < 40
            for x in range(0, image.width(), 2)
        )

    rows = [y for y in range(image.height()) if inked(y)]
    return rows[-1] - rows[0] + 1 if rows else 0


# -- sizes ----------------------------------------------------------------------------------


def test_the_countdown_fills_its_room_and_grows_with_the_window(
    qtbot: QtBot, clock: FakeClock
) -> None:
    heights = []
    for size in ((800, 600), (1366, 768), (1920, 1080)):
        page = make_page(qtbot, clock, size)
        run_until(page, clock, at(page, StepKind.WORK, 0))
        QApplication.processEvents()
        assert page.countdown_label.text() == "30"
        drawn = ink_rows(page.countdown_label)
        assert drawn >= 0.15 * size[1], size  # the digits as drawn, not a point size
        assert page.countdown_label.text_rect().height() >= 0.15 * size[1]
        heights.append(drawn)
        page.stop()
    assert heights == sorted(heights)
    assert heights[-1] > heights[0] * 1.5


def test_name_and_instruction_are_large_and_the_steps_big_enough(
    qtbot: QtBot, clock: FakeClock
) -> None:
    page = make_page(qtbot, clock)
    run_until(page, clock, at(page, StepKind.WORK, 0))
    QApplication.processEvents()
    base = pixel_size(page.font())
    name = page.exercise_label.fitted_font().pixelSize()
    action = page.action_label.fitted_font().pixelSize()
    steps = pixel_size(page.steps_label.font())
    # At 1366×768, 96 dpi, 2 m: capitals of 0.3° are about 40 px, a font of about 55 px.
    assert name >= 50
    assert action >= 40
    assert steps >= base * STEPS_MIN_FACTOR
    assert steps < min(name, action)


def test_larger_text_never_shrinks_the_figure(qtbot: QtBot, clock: FakeClock) -> None:
    page = make_page(qtbot, clock)
    run_until(page, clock, at(page, StepKind.WORK, 0))
    QApplication.processEvents()
    figure, number = page.figure.geometry(), page.countdown_label.geometry()
    steps = pixel_size(page.steps_label.font())
    larger = QFont(page.font())
    larger.setPixelSize(round(pixel_size(page.font()) * 1.25))
    page.setFont(larger)
    QApplication.processEvents()
    assert page.figure.width() >= figure.width()
    assert page.figure.height() >= figure.height()
    assert page.countdown_label.geometry() == number
    assert pixel_size(page.steps_label.font()) > steps


def geometry(page: SessionPage) -> dict[str, QRect]:
    widgets = {
        "figure": page.figure,
        "number": page.countdown_label,
        "ring": page.ring,
        "name": page.exercise_label,
        "action": page.action_label,
        "steps": page.steps_area,
        "next": page.next_label,
        "pain": page.pain_button,
    }
    return {name: widget.geometry() for name, widget in widgets.items()}


def test_nothing_moves_between_exercises_with_and_without_a_watch_out_line(
    qtbot: QtBot, clock: FakeClock
) -> None:
    page = make_page(qtbot, clock)
    run_until(page, clock, at(page, StepKind.WORK, 0))
    QApplication.processEvents()
    assert "Watch out:" in page.steps_label.text()
    with_safety = geometry(page)
    run_until(page, clock, at(page, StepKind.WORK, 1))
    QApplication.processEvents()
    assert "Watch out:" not in page.steps_label.text()
    assert geometry(page) == with_safety
    run_until(page, clock, at(page, StepKind.INHALE, 2))
    QApplication.processEvents()
    assert geometry(page) == with_safety


# -- what it says ---------------------------------------------------------------------------


def test_timed_work_shows_seconds_and_the_exercise_s_words(qtbot: QtBot, clock: FakeClock) -> None:
    page = make_page(qtbot, clock)
    assert page.action_label.text() == "Get ready"
    assert page.exercise_label.text() == "Coming up: Plank"
    assert page.position_label.text() == "Exercise 1 of 3"
    assert page.next_label.text() == "Next: Plank · 30 s"
    run_until(page, clock, at(page, StepKind.WORK, 0))
    assert page.exercise_label.text() == "Plank"
    assert page.action_label.text() == "Keep going"
    assert page.count_caption.text() == "seconds left"
    assert re.fullmatch(r"Next: Rest \d+ s, then Side plank", page.next_label.text())


def test_reps_show_the_rep_as_a_big_fraction(qtbot: QtBot, clock: FakeClock) -> None:
    page = make_page(qtbot, clock)
    run_until(page, clock, at(page, StepKind.INHALE, 2))
    assert page.countdown_label.text() == "1\u2009/\u200910"
    assert page.count_caption.text() == "rep"
    assert page.action_label.text() == "Breathe in, lift your hips"
    run_until(page, clock, at(page, StepKind.EXHALE, 2))
    assert page.action_label.text() == "Breathe out, lower slowly"
    assert page.next_label.text() == "Next: Rep 2 of 10"


def test_the_ring_fills_as_timed_work_goes_by(qtbot: QtBot, clock: FakeClock) -> None:
    page = make_page(qtbot, clock)
    run_until(page, clock, at(page, StepKind.WORK, 0))
    start = page.ring.progress()
    assert start is not None
    assert start < 0.05
    for _ in range(3):
        clock.advance(7_000)
        assert page.driver is not None
        page.driver.poll_now()
    later = page.ring.progress()
    assert later is not None
    assert later == pytest.approx(0.7, abs=0.05)
    page.pause()
    clock.advance(60_000)
    assert page.ring.progress() == later  # paused: the arc holds


# -- pause and stop -------------------------------------------------------------------------


def test_paused_dims_the_page_but_not_the_controls(qtbot: QtBot, clock: FakeClock) -> None:
    page = make_page(qtbot, clock)
    run_until(page, clock, at(page, StepKind.WORK, 0))
    assert not page.veil.isVisible()
    before = page.grab().toImage()
    page.toggle_pause()
    QApplication.processEvents()
    assert page.veil.isVisible()
    assert page.veil.title_label.text() == "Paused"
    assert page.veil.hint_label.text() == "Press Space to resume"
    assert page.action_label.text() == "Paused"
    veil = page.veil.geometry()
    for widget in (page.figure, page.countdown_label, page.exercise_label):
        assert veil.contains(widget.geometry().center())
    assert not veil.intersects(page.controls.geometry())
    assert page.pain_button.isVisible()
    after = page.grab().toImage()
    corner = page.figure.geometry().topLeft() + page.figure.rect().center() / 4
    assert QColor(after.pixel(corner)).lightness() < QColor(before.pixel(corner)).lightness()
    page.toggle_pause()
    assert not page.veil.isVisible()
    assert state_of(page) is State.RUNNING


def test_stop_asks_then_space_keeps_going(qtbot: QtBot, clock: FakeClock) -> None:
    page = make_page(qtbot, clock)
    run_until(page, clock, at(page, StepKind.WORK, 0))
    qtbot.mouseClick(page.stop_button, Qt.MouseButton.LeftButton)
    assert page.asking
    assert state_of(page) is State.PAUSED
    assert page.veil.title_label.text() == "End this session?"
    assert page.veil.keep_button.text() == "Keep going (Space)"
    assert page.veil.end_button.text() == "End session (Esc)"
    page.toggle_pause()  # Space
    assert not page.asking
    assert state_of(page) is State.RUNNING  # as it was before the question


def test_enter_or_the_button_keeps_going(qtbot: QtBot, clock: FakeClock) -> None:
    page = make_page(qtbot, clock)
    page.request_stop()
    qtbot.keyClick(page, Qt.Key.Key_Return)
    assert not page.asking
    assert state_of(page) is State.GET_READY
    page.request_stop()
    qtbot.mouseClick(page.veil.keep_button, Qt.MouseButton.LeftButton)
    assert not page.asking
    assert state_of(page) is State.GET_READY


def test_keeping_going_from_a_pause_stays_paused(qtbot: QtBot, clock: FakeClock) -> None:
    page = make_page(qtbot, clock)
    page.pause()
    page.request_stop()
    page.keep_going()
    assert state_of(page) is State.PAUSED
    assert page.veil.isVisible()
    assert page.veil.title_label.text() == "Paused"


def test_asked_twice_it_ends(qtbot: QtBot, clock: FakeClock) -> None:
    page = make_page(qtbot, clock)
    page.request_stop()
    with qtbot.waitSignal(page.finished) as finished:
        page.request_stop()
    assert finished.args[0].outcome is Outcome.STOPPED
    assert not page.veil.isVisible()


def test_the_end_button_ends_it(qtbot: QtBot, clock: FakeClock) -> None:
    page = make_page(qtbot, clock)
    page.request_stop()
    with qtbot.waitSignal(page.finished) as finished:
        qtbot.mouseClick(page.veil.end_button, Qt.MouseButton.LeftButton)
    assert finished.args[0].outcome is Outcome.STOPPED


@pytest.mark.parametrize("state", ["get ready", "running", "paused", "asking"])
def test_the_pain_stop_is_there_and_works_in_every_state(
    qtbot: QtBot, clock: FakeClock, state: str
) -> None:
    page = make_page(qtbot, clock, (800, 600))
    if state != "get ready":
        run_until(page, clock, at(page, StepKind.WORK, 0))
    if state == "paused":
        page.pause()
    if state == "asking":
        page.request_stop()
    QApplication.processEvents()
    button = page.pain_button
    assert button.isVisible()
    assert button.text() == "Stop, I feel pain (P)"
    where = QRect(button.mapTo(page, QPoint(0, 0)), button.size())
    assert page.rect().contains(where)
    assert not page.veil.isVisible() or not page.veil.geometry().intersects(where)
    with qtbot.waitSignal(page.finished) as finished:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert finished.args[0].outcome is Outcome.STOPPED_FOR_PAIN
