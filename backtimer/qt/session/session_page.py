"""The session view: what to do now, big enough to follow from a mat two metres away.

The animated figure, a big countdown, the breathing ring, the exercise with its steps,
set / rep / side, what comes next, overall progress and time left, the controls, and the
always-visible "Stop, I feel pain". It runs one plan through a
:class:`~backtimer.qt.session.scheduler_driver.SchedulerDriver` and reports the summary.

A banner at the top says when sound does not work and what to do (no device, no speech
engine, speech turned off mid-session: the session's
:attr:`~backtimer.qt.session.session_audio.SessionAudio.status`); it is also logged, once
per text, for the terminal the app was started from. During get-ready a "Test sound"
button pauses the session and plays the voice's test phrase and the beeps (made off the
GUI thread), so that no cue cuts them short.
"""

from __future__ import annotations

import contextlib
import logging
import math
import time
from collections.abc import Callable, Mapping
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from backtimer.audio.status import SoundStatus, status_text
from backtimer.core.clock import MonotonicClock, SystemClock
from backtimer.core.figure.scene import ExerciseFigure
from backtimer.core.plan.describe import STEP_WORDS, describe_next, format_duration
from backtimer.core.plan.timeline import Plan, StepKind
from backtimer.core.scheduler import (
    CountdownSecond,
    Event,
    Finished,
    State,
    StateChanged,
    StepStarted,
    StopReason,
)
from backtimer.core.suspend import SleepDetector
from backtimer.qt.session.scheduler_driver import SchedulerDriver
from backtimer.qt.session.session_audio import SessionAudio
from backtimer.qt.widgets.breathing_ring import BreathingRing
from backtimer.qt.widgets.figure_widget import FigureWidget
from backtimer.qt.widgets.fonts import scaled_font

if TYPE_CHECKING:
    from backtimer.core.routine.model import Routine

log = logging.getLogger(__name__)

#: The banner's look: dark text on amber (10:1), readable from the mat.
BANNER_STYLE = (
    "QLabel { background: #ffe08a; color: #1f1f1f; border: 2px solid #b26a00;"
    " border-radius: 6px; padding: 6px 10px; }"
)


class SessionPage(QWidget):
    """Runs one session; emits ``finished`` with its summary."""

    finished = Signal(object)  #: Summary
    #: The session's state, in words, for the window title.
    state_text = Signal(str)

    def __init__(
        self,
        figures: Mapping[str, ExerciseFigure],
        clock: MonotonicClock | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._figures = figures
        self._clock: MonotonicClock = clock or SystemClock()
        self._driver: SchedulerDriver | None = None
        self._routine: Routine | None = None
        self._audio: SessionAudio | None = None
        self._reasons: dict[str, str] = {}
        self._sleep = SleepDetector(time.time(), time.monotonic())
        self._told: set[str] = set()
        self._build()

    # -- layout -------------------------------------------------------------------------

    def _label(self, name: str, factor: float, bold: bool = False) -> QLabel:
        label = QLabel()
        label.setAccessibleName(name)
        label.setWordWrap(True)
        self._scales.append((label, factor, bold))
        label.setFont(scaled_font(self.font(), factor, bold))
        # Text never gets squeezed: the figure and the ring give way instead.
        label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        return label

    def _button(self, text: str, name: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(name)
        button.setMinimumHeight(40)
        button.clicked.connect(slot)
        # A click leaves the keyboard focus where it was, so Space keeps meaning pause.
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        return button

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        """Follow the application's text size (the "larger text" setting)."""
        if event.type() == QEvent.Type.FontChange:
            for widget, factor, bold in self._scales:
                widget.setFont(scaled_font(self.font(), factor, bold))
        super().changeEvent(event)

    def _build_sound_widgets(self) -> None:
        """The banner saying what is wrong with sound, and the get-ready "Test sound"."""
        self.test_sound_button = self._button(
            "Test sound", "Play the voice and the beeps", self.test_sound
        )
        self.test_sound_button.setVisible(False)
        self.sound_banner = self._label("Sound problem", 1.15, bold=True)
        self.sound_banner.setStyleSheet(BANNER_STYLE)
        self.sound_banner.setVisible(False)

    def _build(self) -> None:
        self._scales: list[tuple[QWidget, float, bool]] = []
        self.exercise_label = self._label("Exercise", 1.9, bold=True)
        self.position_label = self._label("Set, rep and side", 1.3)
        self.position_label.setWordWrap(False)
        self.figure = FigureWidget()
        self.figure.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.countdown_label = self._label("Seconds left in this step", 8.0, bold=True)
        self.countdown_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.ring = BreathingRing()
        self.ring.setMinimumSize(160, 160)
        self.action_label = self._label("What to do now", 1.7, bold=True)
        self.action_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.steps_label = self._label("How to do it", 1.05)
        self.steps_label.setTextFormat(Qt.TextFormat.RichText)
        self.steps_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.next_label = self._label("Next up", 1.15)
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Session progress")
        self.progress.setTextVisible(True)
        self.progress.setMinimumHeight(26)

        self.back_button = self._button(
            "◀ Back", "Back to this or the previous exercise", self.back
        )
        self.pause_button = self._button("Pause", "Pause or resume", self.toggle_pause)
        self.skip_button = self._button("Skip ▶", "Skip to the next exercise", self.skip)
        self.stop_button = self._button("Stop", "Stop the session", self.stop)
        self.pain_button = self._button(
            "Stop, I feel pain", "Stop, I feel pain", self.stop_for_pain
        )
        self._build_sound_widgets()
        self.pain_button.setMinimumHeight(48)
        self._scales.append((self.pain_button, 1.15, True))
        self.pain_button.setFont(scaled_font(self.font(), 1.15, bold=True))
        # White on this red is 5.9:1.
        self.pain_button.setStyleSheet(
            "QPushButton { background: #b3261e; color: white; border-radius: 6px;"
            " padding: 6px 18px; }"
            "QPushButton:focus { border: 3px solid #1f1f1f; }"
        )

        right = QVBoxLayout()
        right.addWidget(self.countdown_label)
        right.addWidget(self.ring, 1, Qt.AlignmentFlag.AlignHCenter)
        right.addWidget(self.action_label)
        right.addWidget(self.next_label)

        centre = QGridLayout()
        centre.addWidget(self.figure, 0, 0)
        centre.addLayout(right, 0, 1)
        centre.addWidget(self.steps_label, 1, 0, 1, 2)
        centre.setColumnStretch(0, 3)
        centre.setColumnStretch(1, 2)
        centre.setRowStretch(0, 1)

        controls = QHBoxLayout()
        for button in (
            self.back_button,
            self.pause_button,
            self.skip_button,
            self.stop_button,
            self.test_sound_button,
        ):
            controls.addWidget(button)
        controls.addStretch(1)
        controls.addWidget(self.pain_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.sound_banner)
        header = QHBoxLayout()
        header.addWidget(self.exercise_label, 1)
        header.addWidget(self.position_label, 0, Qt.AlignmentFlag.AlignRight)
        layout.addLayout(header)
        layout.addLayout(centre, 1)
        layout.addWidget(self.progress)
        layout.addLayout(controls)

    # -- session ------------------------------------------------------------------------

    def set_reasons(self, reasons: Mapping[str, str]) -> None:
        """Why each exercise of the next session has its number of reps (progression)."""
        self._reasons = dict(reasons)

    def set_figures(self, figures: Mapping[str, ExerciseFigure]) -> None:
        """The illustrations, by id (loaded after the window shows)."""
        self._figures = figures

    @property
    def driver(self) -> SchedulerDriver | None:
        """The driver of the current (or last) session."""
        return self._driver

    @property
    def in_session(self) -> bool:
        """True from start until the session finishes or stops."""
        return self._driver is not None and self._driver.scheduler.state not in (
            State.IDLE,
            State.FINISHED,
            State.STOPPED,
        )

    def run(self, routine: Routine, plan: Plan, audio: SessionAudio | None) -> None:
        """Start ``plan`` (compiled from ``routine``)."""
        if self._driver is not None:
            self._driver.deleteLater()
        if self._audio is not audio:
            if self._audio is not None:
                with contextlib.suppress(RuntimeError):  # that audio is gone already
                    self._audio.status_changed.disconnect(self.show_sound_status)
            if audio is not None:
                audio.status_changed.connect(self.show_sound_status)
        self._routine = routine
        self._audio = audio
        self._driver = SchedulerDriver(plan, self._clock, self)
        self._driver.any_event.connect(self._on_event)
        if audio is not None:
            self._driver.cue_due.connect(lambda event: audio.play(event.cue))
        self.show_sound_status(audio.status if audio is not None else SoundStatus())
        self._sleep = SleepDetector(time.time(), time.monotonic())
        self._driver.start()
        self.setFocus()

    def show_sound_status(self, status: SoundStatus) -> None:
        """Show the banner with what to do about sound, or hide it when sound works."""
        text = status_text(status)
        self.sound_banner.setText(text)
        self.sound_banner.setAccessibleDescription(text)
        self.sound_banner.setVisible(bool(text))
        if text and text not in self._told:
            self._told.add(text)
            log.warning("sound: %s", text.replace("\n", " "))

    def test_sound(self) -> None:
        """Pause, so that no cue cuts it short, and play the session's voice and beeps.

        The sound is made off the GUI thread; Resume (or Space) carries on.
        """
        if self._audio is None:
            return
        self.pause()
        self._audio.test_sound()

    def _getting_ready(self) -> bool:
        """True during get-ready, paused or not."""
        driver = self._driver
        if driver is None:
            return False
        step = driver.scheduler.current_step
        state = driver.scheduler.state
        return state is State.GET_READY or (
            state is State.PAUSED and step is not None and step.kind is StepKind.GET_READY
        )

    def toggle_pause(self) -> None:
        """Pause or resume."""
        if self.in_session and self._driver is not None:
            self._driver.toggle_pause()

    def pause(self) -> None:
        """Pause if running (nobody is watching: sleep, lock)."""
        if self._driver is not None and self._driver.scheduler.is_active:
            self._driver.pause()

    def skip(self) -> None:
        """Skip to the next exercise."""
        if self.in_session and self._driver is not None:
            self._driver.skip()

    def back(self) -> None:
        """Back to the start of this exercise or the previous one."""
        if self.in_session and self._driver is not None:
            self._driver.back()

    def stop(self) -> None:
        """Stop the session."""
        if self.in_session and self._driver is not None:
            self._driver.stop(StopReason.USER)

    def stop_for_pain(self) -> None:
        """Stop at once because something hurts."""
        if self.in_session and self._driver is not None:
            self._driver.stop(StopReason.PAIN)

    # -- display ------------------------------------------------------------------------

    def _on_event(self, event: Event) -> None:
        driver = self._driver
        if driver is None:
            return
        if driver.scheduler.is_active and self._sleep.slept(time.time(), time.monotonic()):
            driver.pause()  # the machine slept with no signal: don't run on unattended
            return
        scheduler = driver.scheduler
        plan = scheduler.plan
        position = scheduler.position_ms()
        self.progress.setRange(0, max(1, plan.total_ms))
        self.progress.setValue(round(position))
        self.progress.setFormat(f"%p %  ·  {format_duration(plan.total_ms - position)} left")
        if isinstance(event, Finished):
            self.figure.set_running(False)
            self.ring.set_running(False)
            self.state_text.emit("Finished" if scheduler.state is State.FINISHED else "Stopped")
            self.finished.emit(event.summary)
            return
        if isinstance(event, StateChanged):
            running = event.new in (State.GET_READY, State.RUNNING)
            self.figure.set_running(running)
            self.ring.set_running(running)
            self.pause_button.setText("Resume" if event.new is State.PAUSED else "Pause")
            self.test_sound_button.setVisible(self._audio is not None and self._getting_ready())
            self.state_text.emit(
                {
                    State.GET_READY: "Get ready",
                    State.RUNNING: "Running",
                    State.PAUSED: "Paused",
                }.get(event.new, event.new.value)
            )
        step = scheduler.current_step
        if step is None:
            return
        if isinstance(event, StepStarted):
            self._show_step(plan, event.step.index)
            started = self._clock.monotonic_ms() - event.late_ms
            self.figure.show_step(event.step, started, self._clock)
            self.ring.show_step(event.step, started, self._clock)
        if isinstance(event, StepStarted | CountdownSecond | StateChanged):
            left = max(0.0, step.end_ms - position)
            self.countdown_label.setText(str(math.ceil(left / 1000 - 1e-9)))
        paused = scheduler.state is State.PAUSED
        words = STEP_WORDS[step.kind]
        self.action_label.setText(f"Paused · {words}" if paused else words)

    def _show_step(self, plan: Plan, index: int) -> None:
        step = plan.steps[index]
        exercise = plan.exercise_of(step)
        lead_in = step.kind in (StepKind.GET_READY, StepKind.ANNOUNCE, StepKind.REST)
        if exercise is None:
            self.exercise_label.setText("Well done")
            self.steps_label.setText("")
            self.figure.set_figure(None)
        else:
            routine_exercise = self._routine.exercises[exercise.index] if self._routine else None
            prefix = "Coming up: " if lead_in else ""
            self.exercise_label.setText(prefix + exercise.name)
            if routine_exercise is not None:
                items = "".join(f"<li>{text}</li>" for text in routine_exercise.steps)
                safety = (
                    f"<p><b>Watch out:</b> {routine_exercise.safety}</p>"
                    if routine_exercise.safety
                    else ""
                )
                reason = self._reasons.get(routine_exercise.id)
                why = f"<p><i>{escape(reason)}</i></p>" if reason else ""
                self.steps_label.setText(f"<ol>{items}</ol>{safety}{why}")
                self.figure.set_figure(self._figures.get(routine_exercise.illustration_id))
        parts = []
        if step.set_count > 1 and step.set_number:
            parts.append(f"Set {step.set_number} of {step.set_count}")
        if step.rep_count and step.rep_number:
            parts.append(f"Rep {step.rep_number} of {step.rep_count}")
        if step.side is not None:
            parts.append(f"{step.side.value.capitalize()} side")
        self.position_label.setText("  ·  ".join(parts))
        self.next_label.setText(describe_next(plan, step))
