"""The main window on a fake clock: pick a routine, follow it by keyboard, see the summary."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from backtimer.core.beeps import beep_sound
from backtimer.core.clock import FakeClock
from backtimer.core.figure.figures import load_figures
from backtimer.core.history.recorder import SessionHistory
from backtimer.core.history.records import SessionOutcome
from backtimer.core.paths import assets_dir
from backtimer.core.plan.timeline import Beep, StepKind, spoken_texts
from backtimer.core.routine.library import Library
from backtimer.core.routine.loader import parse_routine
from backtimer.core.safety import load_safety
from backtimer.core.scheduler import Outcome, Scheduler, State
from backtimer.core.settings import AudioSettings, Settings
from backtimer.qt.session.scheduler_driver import SchedulerDriver
from backtimer.qt.session.session_audio import SessionAudio
from backtimer.qt.shell.main_window import MainWindow
from tests.helpers.fakes import FakePlayer, FakeSpeech
from tests.helpers.routines import completed_sessions, user_library

ROUTINE = """
schema_version = 1
id = "short"
title = "Short"
summary = "Two moves."
category = "stretch"
equipment = ["mat"]
rest_between_exercises = 3

[[exercises]]
id = "bridge"
name = "Bridge"
steps = ["Lie on your back.", "Lift the pelvis."]
kind = "hold_reps"
reps = 2
hold = 5
breathing = { inhale = 2, exhale = 2 }
sides = "none"
safety = "Keep the neck relaxed."
source = "default"

[[exercises]]
id = "bird-dog"
name = "Bird-dog"
steps = ["On all fours.", "Reach out."]
kind = "reps"
reps = 1
sides = "each"
source = "default"
"""

FIGURES = load_figures(assets_dir() / "poses")
SETTINGS = Settings(get_ready_seconds=5, safety_acknowledged=True)


def library() -> Library:
    return user_library(ROUTINE)


def make_window(qtbot: QtBot, clock: FakeClock, audio: SessionAudio | None = None) -> MainWindow:
    window = MainWindow(library(), FIGURES, load_safety(), SETTINGS, lambda s: audio, clock)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def recording_window(
    qtbot: QtBot, clock: FakeClock, tmp_path: Path
) -> tuple[MainWindow, SessionHistory]:
    """A window whose sessions are recorded in a history under ``tmp_path``."""
    history = SessionHistory(tmp_path / "history")
    window = MainWindow(
        library(), FIGURES, load_safety(), SETTINGS, lambda s: None, clock, history=history
    )
    qtbot.addWidget(window)
    return window, history


def driver(window: MainWindow) -> SchedulerDriver:
    assert window.session.driver is not None
    return window.session.driver


def state_of(scheduler: Scheduler) -> State:
    """The scheduler's state, read through a call: after ``assert scheduler.state is X``
    mypy would take the state for X still, across the calls that change it."""
    return scheduler.state


def run_until(window: MainWindow, clock: FakeClock, done: object) -> None:
    """Move the fake clock on until ``done()`` holds or the session ends."""
    active = driver(window)
    while not done() and active.scheduler.is_active:  # type: ignore[operator]
        clock.advance(100)
        active.poll_now()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def test_choosing_a_routine_runs_it_to_the_summary(qtbot: QtBot, clock: FakeClock) -> None:
    window = make_window(qtbot, clock)
    assert window.pages.currentWidget() is window.home
    window.home.routine_chosen.emit("short")
    assert window.pages.currentWidget() is window.preview  # first, what the routine holds
    qtbot.mouseClick(window.preview.start_button, Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget() is window.session
    assert window.windowTitle() == "Short · Get ready — backtimer"
    run_until(window, clock, lambda: False)
    assert window.pages.currentWidget() is window.summary
    assert window.windowTitle() == "Short · Finished — backtimer"


def test_the_session_view_shows_what_to_do(qtbot: QtBot, clock: FakeClock) -> None:
    window = make_window(qtbot, clock)
    window.start_routine("short")
    page = window.session
    run_until(window, clock, lambda: driver(window).scheduler.current_step.kind is StepKind.HOLD)  # type: ignore[union-attr]
    assert page.exercise_label.text() == "Bridge"
    assert page.action_label.text() == "Hold"
    assert page.position_label.text() == "Rep 1 of 2"
    assert "Lift the pelvis." in page.steps_label.text()
    assert "Keep the neck relaxed." in page.steps_label.text()
    assert page.countdown_label.text() == "5"
    assert page.next_label.text() == "Next: Breathe out · 2 s"
    assert page.ring.word() == "Hold"
    last = FIGURES["bridge"].keyframes[-1].pose
    assert page.figure.current_pose() == last


def test_keys_pause_skip_back_and_stop(qtbot: QtBot, clock: FakeClock) -> None:
    window = make_window(qtbot, clock)
    window.start_routine("short")
    scheduler = driver(window).scheduler
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert state_of(scheduler) is State.PAUSED
    assert window.windowTitle() == "Short · Paused — backtimer"
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert state_of(scheduler) is State.GET_READY
    qtbot.keyClick(window, Qt.Key.Key_Right)
    step = scheduler.current_step
    assert step is not None
    assert step.exercise_index == 1
    qtbot.keyClick(window, Qt.Key.Key_Left)
    step = scheduler.current_step
    assert step is not None
    assert step.exercise_index == 0
    qtbot.keyClick(window, Qt.Key.Key_Escape)  # asks first, and waits paused
    assert window.session.asking
    assert window.session.veil.isVisible()
    assert state_of(scheduler) is State.PAUSED
    assert window.pages.currentWidget() is window.session
    qtbot.keyClick(window, Qt.Key.Key_Escape)  # Esc again ends it
    assert state_of(scheduler) is State.STOPPED
    assert window.pages.currentWidget() is window.summary


def test_stop_for_pain_shows_the_stop_rule(qtbot: QtBot, clock: FakeClock) -> None:
    window = make_window(qtbot, clock)
    window.start_routine("short")
    qtbot.mouseClick(window.session.pain_button, Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget() is window.summary
    texts = [label.text() for label in window.summary.findChildren(QLabel)]
    assert any(load_safety().stop_rule.text in text for text in texts)


def test_sleep_or_lock_pauses_the_session(qtbot: QtBot, clock: FakeClock) -> None:
    window = make_window(qtbot, clock)
    window.start_routine("short")
    window.pause_unattended()
    assert driver(window).scheduler.state is State.PAUSED


def test_f1_shows_the_shortcuts(qtbot: QtBot, clock: FakeClock) -> None:
    window = make_window(qtbot, clock)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert window.help_overlay.isVisible()
    qtbot.keyClick(window.help_overlay, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.help_overlay.isVisible())


@pytest.mark.parametrize("size", [(800, 600), (1280, 800), (1920, 1080)])
def test_the_session_view_fits_at_common_sizes(
    qtbot: QtBot, clock: FakeClock, size: tuple[int, int]
) -> None:
    window = make_window(qtbot, clock)
    window.resize(*size)
    window.start_routine("short")
    run_until(window, clock, lambda: driver(window).scheduler.position_ms() > 6000)
    qtbot.waitUntil(lambda: window.width() == size[0])
    QApplication.processEvents()  # let the layout take the new texts into account
    image = window.grab().toImage()
    assert image.width() == size[0]
    colours = {
        image.pixel(x, y) for x in range(0, image.width(), 17) for y in range(0, image.height(), 17)
    }
    assert len(colours) > 5  # not blank
    page = window.session
    for widget in (
        page.countdown_label,
        page.exercise_label,
        page.pain_button,
        page.progress,
        page.figure,
    ):
        assert widget.isVisible()
        corner = widget.mapTo(window, QPoint(widget.width() - 1, widget.height() - 1))
        assert window.rect().contains(corner), f"{widget.accessibleName()} is clipped"
        needed = (
            widget.heightForWidth(widget.width())
            if widget.hasHeightForWidth()
            else widget.minimumSizeHint().height()
        )
        assert widget.height() >= needed, f"{widget.accessibleName()} is squeezed"


def test_a_session_waits_for_its_voice_then_plays_every_cue(qtbot: QtBot, clock: FakeClock) -> None:
    speech, player = FakeSpeech(), FakePlayer(clock)
    audio = SessionAudio(player, speech, AudioSettings())
    window = make_window(qtbot, clock, audio)
    with qtbot.waitSignal(audio.ready, timeout=5000) as ready:
        window.start_routine("short")
        assert window.session.action_label.text().startswith("Preparing the voice")
    plan = ready.args[0]
    assert set(spoken_texts(plan)) <= set(speech.rendered)
    first = plan.steps[0].cues[0]
    assert first.duration_ms == speech.duration_ms(first.text or "")
    run_until(window, clock, lambda: False)
    assert len(player.plays) == len(plan.cues)
    assert beep_sound(Beep.DONE) in player.sounds
    assert window.summary.isVisible()
    audio.close()
    assert speech.closed


def test_outcome_words_cover_every_outcome() -> None:
    from backtimer.core.plan.describe import OUTCOME_WORDS

    assert set(OUTCOME_WORDS) == set(Outcome)


def test_larger_text_reaches_the_session_view(qtbot: QtBot, clock: FakeClock) -> None:
    window = make_window(qtbot, clock)
    window.start_routine("short")
    QApplication.processEvents()
    page = window.session
    steps = page.steps_label.font().pixelSize()
    figure, room = page.figure.size(), page.height()
    font = window.font()
    font.setPointSizeF(font.pointSizeF() * 1.25)
    window.setFont(font)
    QApplication.processEvents()
    assert page.steps_label.font().pixelSize() > steps
    # Larger text never shrinks the figure (only the menu bar above the page may grow).
    assert page.figure.width() >= figure.width()
    assert page.figure.height() >= figure.height() - (room - page.height())


def test_sessions_are_recorded_with_their_outcome(
    qtbot: QtBot, clock: FakeClock, tmp_path: Path
) -> None:
    window, history = recording_window(qtbot, clock, tmp_path)
    window.start_routine("short")
    assert [r.outcome for r in history.store.sessions()] == [SessionOutcome.IN_PROGRESS]
    run_until(window, clock, lambda: False)
    window.summary.again_requested.emit()
    qtbot.mouseClick(window.session.pain_button, Qt.MouseButton.LeftButton)
    records = history.store.sessions()
    assert [r.outcome for r in records] == [
        SessionOutcome.COMPLETED,
        SessionOutcome.STOPPED_FOR_PAIN,
    ]
    assert records[0].exercises[0].reps_done == 2
    assert "short" in history.last_done()


def test_what_hurt_is_saved_with_the_session_stopped_for_pain(
    qtbot: QtBot, clock: FakeClock, tmp_path: Path
) -> None:
    window, history = recording_window(qtbot, clock, tmp_path)
    window.show()
    window.start_routine("short")
    qtbot.mouseClick(window.session.pain_button, Qt.MouseButton.LeftButton)
    form = window.summary.pain_form
    assert form.isVisibleTo(window)
    [lower_back] = [b for b in form.area_buttons if b.text().lower().startswith("lower back")]
    qtbot.mouseClick(lower_back, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(form.note_edit, "a twinge on the left")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    [record] = history.store.sessions()
    assert record.outcome is SessionOutcome.STOPPED_FOR_PAIN
    assert record.pain_area.startswith("lower back")
    assert record.pain_note == "a twinge on the left"
    assert window.save_problems == []


def test_reps_grow_after_two_completed_sessions_and_the_view_says_why(
    qtbot: QtBot, clock: FakeClock, tmp_path: Path
) -> None:
    growing = user_library(ROUTINE.replace("reps = 2\n", "reps = { min = 2, max = 10 }\n"))
    history = SessionHistory(tmp_path / "history")
    history.store.add_sessions(completed_sessions(parse_routine(ROUTINE), 3, 2))
    window = MainWindow(
        growing, FIGURES, load_safety(), SETTINGS, lambda s: None, clock, history=history
    )
    qtbot.addWidget(window)
    window.start_routine("short")
    plan = driver(window).scheduler.plan
    assert plan.exercises[0].reps == 3
    assert "up to 3 reps" in window.session.steps_label.text()
