"""The stage-one session window, driven on a FakeClock: labels follow the session, keys work."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from backtimer.core.clock import FakeClock
from backtimer.core.plan.compiler import PlanSettings, compile_plan
from backtimer.core.plan.timeline import Plan, Step, StepKind
from backtimer.core.routine.library import Library, LibraryEntry, Origin
from backtimer.core.routine.loader import parse_routine
from backtimer.core.scheduler import Finished, Outcome, State
from backtimer.qt.scheduler_driver import SchedulerDriver
from backtimer.qt.session_window import SessionWindow, format_duration

#: Paced reps (with a hold), then timed work on each side.
ROUTINE = """
schema_version = 1
id = "bridge-and-march"
title = "Bridge and march"
summary = "A held bridge, then marching."
category = "other"
rest_between_exercises = 5

[[exercises]]
id = "bridge"
name = "Bridge"
kind = "hold_reps"
reps = 2
hold = 2
breathing = { inhale = 2, exhale = 2 }
steps = ["Lift your hips."]
source = "default"

[[exercises]]
id = "march"
name = "March"
kind = "timed"
duration = 3
sides = "each"
steps = ["March."]
source = "default"
"""

OTHER = """
schema_version = 1
id = "just-breathe"
title = "Just breathe"
summary = "Breathing only."
category = "other"

[[exercises]]
id = "breathe"
name = "Breathe"
kind = "reps"
reps = 1
steps = ["Breathe."]
source = "default"
"""

SETTINGS = PlanSettings(get_ready_seconds=5, phrase_ms=lambda text: 300)


def make_library() -> Library:
    entries = [
        LibraryEntry(parse_routine(text), Path(f"{n}.toml"), Origin.BUILTIN)
        for n, text in enumerate((ROUTINE, OTHER))
    ]
    return Library(entries=entries)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def window(qtbot: QtBot, clock: FakeClock) -> SessionWindow:
    window = SessionWindow(make_library(), clock, SETTINGS)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def driver_of(window: SessionWindow) -> SchedulerDriver:
    assert window.driver is not None
    return window.driver


def current(window: SessionWindow) -> Step:
    step = driver_of(window).scheduler.current_step
    assert step is not None
    return step


def advance_to(window: SessionWindow, clock: FakeClock, plan_ms: float) -> None:
    """Move the fake clock until the session position reaches ``plan_ms``, polling as we go."""
    driver = driver_of(window)
    while driver.scheduler.position_ms() < plan_ms and driver.scheduler.is_active:
        clock.advance(min(100.0, plan_ms - driver.scheduler.position_ms()))
        driver.poll_now()


def test_picker_lists_routines_with_planned_duration(window: SessionWindow) -> None:
    plan = compile_plan(parse_routine(ROUTINE), SETTINGS)
    assert window.routine_box.count() == 2
    assert window.routine_box.itemText(0) == f"Bridge and march ({format_duration(plan.total_ms)})"
    assert window.routine_box.itemData(0) == "bridge-and-march"
    assert window.countdown_label.text() == format_duration(plan.total_ms)
    assert window.start_button.isEnabled()
    assert not window.pause_button.isEnabled()


def test_format_duration() -> None:
    assert format_duration(0) == "0:00"
    assert format_duration(59_001) == "1:00"
    assert format_duration(75_000) == "1:15"
    assert format_duration(3_600_000) == "60:00"


def test_buttons_have_accessible_names(window: SessionWindow) -> None:
    for button in (
        window.start_button,
        window.pause_button,
        window.skip_button,
        window.back_button,
        window.stop_button,
        window.pain_button,
    ):
        assert button.accessibleName()
        assert button.isVisible()
    assert window.pain_button.text() == "Stop, I feel pain"


def test_a_session_runs_to_the_end_and_labels_follow(
    qtbot: QtBot, window: SessionWindow, clock: FakeClock
) -> None:
    qtbot.keyClick(window, Qt.Key.Key_Space)
    plan: Plan = driver_of(window).scheduler.plan
    assert driver_of(window).scheduler.state is State.GET_READY
    assert window.step_label.text() == "Get ready"
    assert window.detail_label.text() == "Coming: Bridge"
    assert window.countdown_label.text() == str(math.ceil(plan.steps[0].duration_ms / 1000))
    assert window.next_label.text().startswith("Next up: Breathe in and move")
    assert not window.routine_box.isEnabled()

    seen_steps: list[str] = []
    seen_details: set[str] = set()
    countdowns: list[str] = []
    progress: list[int] = []
    while window.in_session:
        clock.advance(100)
        driver_of(window).poll_now()
        if window.in_session:
            step = current(window)
            if not seen_steps or seen_steps[-1] != window.step_label.text():
                seen_steps.append(window.step_label.text())
            seen_details.add(window.detail_label.text())
            countdowns.append(window.countdown_label.text())
            progress.append(window.progress.value())
            left = math.ceil((step.end_ms - driver_of(window).scheduler.position_ms()) / 1000)
            assert window.countdown_label.text() == str(left)

    assert seen_steps[:5] == [
        "Get ready",
        "Breathe in and move",
        "Hold",
        "Breathe out and return",
        "Breathe in and move",
    ]
    assert {"Rest", "Go", "Switch sides", "Done"} <= set(seen_steps)
    assert "Bridge · Rep 2/2" in seen_details
    assert "March · Right side" in seen_details
    assert "March · Left side" in seen_details
    assert {"5", "4", "3", "2", "1"} <= set(countdowns)
    assert progress == sorted(progress)
    assert window.step_label.text() == "Well done!"
    assert window.next_label.text() == "2 of 2 exercises done"
    assert window.progress.value() == plan.total_ms
    assert window.progress.format().endswith("0:00 left")
    assert window.start_button.isEnabled()
    assert not window.skip_button.isEnabled()


def test_keys_start_pause_resume_skip_back_and_stop(
    qtbot: QtBot, window: SessionWindow, clock: FakeClock
) -> None:
    qtbot.keyClick(window, Qt.Key.Key_Space)
    driver = driver_of(window)
    plan = driver.scheduler.plan
    advance_to(window, clock, plan.steps[plan.exercises[0].first_step].start_ms + 500)
    assert current(window).kind is StepKind.INHALE

    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert driver.scheduler.state is State.PAUSED
    assert window.pause_button.text() == "Resume"
    assert window.step_label.text() == "Paused · Breathe in and move"
    frozen = window.countdown_label.text()
    clock.advance(10_000)
    driver.poll_now()
    assert window.countdown_label.text() == frozen

    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert driver.scheduler.state is State.RUNNING
    assert window.pause_button.text() == "Pause"

    qtbot.keyClick(window, Qt.Key.Key_Right)
    assert current(window).index == plan.exercises[1].entry_step
    assert window.step_label.text() == "Rest"
    assert window.detail_label.text() == "Coming: March"

    qtbot.keyClick(window, Qt.Key.Key_Left)
    assert current(window).index == plan.exercises[0].entry_step
    assert window.detail_label.text() == "Coming: Bridge"

    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert driver.scheduler.state is State.STOPPED
    assert window.step_label.text() == "Stopped"
    assert window.routine_box.isEnabled()

    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert window.driver is not driver
    assert driver_of(window).scheduler.state is State.GET_READY


def test_buttons_do_what_they_say(qtbot: QtBot, window: SessionWindow, clock: FakeClock) -> None:
    qtbot.mouseClick(window.start_button, Qt.MouseButton.LeftButton)
    driver = driver_of(window)
    qtbot.mouseClick(window.pause_button, Qt.MouseButton.LeftButton)
    assert driver.scheduler.state is State.PAUSED
    qtbot.mouseClick(window.pause_button, Qt.MouseButton.LeftButton)
    assert driver.scheduler.state is State.GET_READY
    qtbot.mouseClick(window.skip_button, Qt.MouseButton.LeftButton)
    assert current(window).exercise_index == 1
    qtbot.mouseClick(window.back_button, Qt.MouseButton.LeftButton)
    assert current(window).exercise_index == 0
    qtbot.mouseClick(window.stop_button, Qt.MouseButton.LeftButton)
    assert driver.scheduler.state is State.STOPPED


def test_pain_button_stops_for_pain(qtbot: QtBot, window: SessionWindow, clock: FakeClock) -> None:
    qtbot.keyClick(window, Qt.Key.Key_Space)
    driver = driver_of(window)
    clock.advance(2000)
    with qtbot.waitSignal(driver.finished, timeout=1000) as blocker:
        qtbot.mouseClick(window.pain_button, Qt.MouseButton.LeftButton)
    assert blocker.args is not None
    finished = blocker.args[0]
    assert isinstance(finished, Finished)
    assert finished.summary.outcome is Outcome.STOPPED_FOR_PAIN
    assert window.step_label.text() == "Stopped for pain"
    assert not window.pain_button.isEnabled()


def test_keys_do_nothing_harmful_without_a_session(qtbot: QtBot, window: SessionWindow) -> None:
    for key in (Qt.Key.Key_Right, Qt.Key.Key_Left, Qt.Key.Key_Escape):
        qtbot.keyClick(window, key)
    assert window.driver is None
    assert window.step_label.text() == "Press Start or Space to begin"


def test_choosing_another_routine_runs_that_one(
    qtbot: QtBot, window: SessionWindow, clock: FakeClock
) -> None:
    window.routine_box.setCurrentIndex(1)
    other = compile_plan(parse_routine(OTHER), SETTINGS)
    assert window.countdown_label.text() == format_duration(other.total_ms)
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert driver_of(window).scheduler.plan.routine_id == "just-breathe"


def test_space_presses_a_button_reached_with_tab(
    qtbot: QtBot, window: SessionWindow, clock: FakeClock
) -> None:
    qtbot.keyClick(window, Qt.Key.Key_Space)
    driver = driver_of(window)
    qtbot.mouseClick(window.skip_button, Qt.MouseButton.LeftButton)
    assert not window.skip_button.hasFocus()
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert driver.scheduler.state is State.PAUSED
    window.pain_button.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(window.pain_button, Qt.Key.Key_Space)
    assert driver.scheduler.state is State.STOPPED
    assert window.step_label.text() == "Stopped for pain"
