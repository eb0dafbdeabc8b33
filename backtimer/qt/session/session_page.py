"""The session view: what to do now, big enough to follow from a mat two metres away.

The exercise's name with its set and side, what to do now, the animated figure, the
number that matters now (the seconds left, or the rep as "3 / 10") with the ring, the
steps, what comes next, overall progress and time left, the controls, and the
always-visible "Stop, I feel pain (P)". It runs one plan through a
:class:`~backtimer.qt.session.scheduler_driver.SchedulerDriver` and reports the summary.

Sizes, for someone on a mat 2 m away from a 1366×768 laptop screen (96 dpi: 1 px is
0.26 mm). At 2 m, 1° of visual angle is 35 mm, about 132 px; comfortable reading at a
distance wants a capital height of 0.3–0.5° (40–66 px); the capital height of the
interface font is about 0.72 of its pixel size. Everything is sized from the page's
height ``H`` (768 px here), not from a point size, so it grows with the window:

* the number: its ink fills its box (at least 15 % of ``H`` for the seconds); at
  1366×768 the seconds' digits are 190–230 px high (1.4–1.7°), a rep such as "3 / 10"
  about 150 px (1.1°): readable from anywhere in the room;
* the exercise's name (with set and side) and what to do now: rows of 9 % of ``H``
  (69 px): a 57 px font, capitals 41 px, 0.31°; long texts shrink to fit their row;
* what comes next: a row of 6 % of ``H``, capitals about 0.2°, for a glance;
* the steps and "Watch out": 3 % of ``H`` (23 px, capitals 0.13° at 2 m, 0.25° at 1 m:
  read before the exercise, up close), smaller when they would not fit their column, but
  never under 1.3 times the application font (then the column scrolls).

The geometry is fixed by the page's size alone: the rows have fixed heights and the three
columns (steps, figure, number and ring) fixed shares, so nothing moves between exercises
when a name is longer or a "Watch out" line appears, and "Larger text" (which enlarges
the steps, the controls and the other pages) never makes the figure smaller.

Paused is unmistakable: a :class:`~backtimer.qt.session.session_veil.SessionVeil` dims
the content with "Paused — Press Space to resume". Esc or Stop pauses and asks "End this
session?" (Space or Enter keeps going, Esc again ends it). When another window of the
app comes over the session (a dialog, a message, the history) it pauses; nothing
resumes by itself.

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
import weakref
from collections.abc import Callable, Mapping
from html import escape
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontInfo, QKeyEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from backtimer.audio.status import SoundStatus, status_text
from backtimer.core.clock import MonotonicClock, SystemClock
from backtimer.core.figure.scene import ExerciseFigure
from backtimer.core.plan.compiler import COUNTDOWN_MIN_MS
from backtimer.core.plan.describe import action_words, describe_next, format_duration
from backtimer.core.plan.timeline import Plan, Step, StepKind
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
from backtimer.qt.session.session_veil import SessionVeil
from backtimer.qt.widgets.breathing_ring import BreathingRing
from backtimer.qt.widgets.figure_widget import FigureWidget
from backtimer.qt.widgets.fit_text import FitText
from backtimer.qt.widgets.fonts import scaled_font

if TYPE_CHECKING:
    from backtimer.core.routine.model import Cues, Exercise, Routine

log = logging.getLogger(__name__)

#: The banner's look: dark text on amber (10:1), readable from the mat.
BANNER_STYLE = (
    "QLabel { background: #ffe08a; color: #1f1f1f; border: 2px solid #b26a00;"
    " border-radius: 6px; padding: 6px 10px; }"
)


#: Rows and columns as shares of the page: see the module's notes on sizes.
NAME_ROW = 0.09
ACTION_ROW = 0.09
NEXT_ROW = 0.06
PROGRESS_ROW = 0.035
CONTROLS_ROW = 0.075
STEPS_TEXT = 0.03
#: The columns' shares of the width: steps, figure, number and ring.
COLUMNS = (3, 4, 3)
#: Below this width the steps need more of it to stay readable (and the figure less).
NARROW = 1000
NARROW_COLUMNS = (4, 3, 3)
#: The number's share of its column's height, and its caption's.
NUMBER_SHARE = 0.55
CAPTION_SHARE = 0.08
#: The steps are never smaller than this many times the application font.
STEPS_MIN_FACTOR = 1.3
#: The usual application font in pixels (10 pt at 96 dpi); a larger one scales the steps.
NORMAL_TEXT_PX = 13
#: Steps that show the rep in the big number (holds this long count their seconds).
_BREATH_KINDS = frozenset({StepKind.INHALE, StepKind.HOLD, StepKind.EXHALE})


def pixel_size(font: QFont) -> int:
    """The pixel size ``font`` is drawn at."""
    return QFontInfo(font).pixelSize()


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
        self._resume_after_question = False
        self._build()
        #: Checks, once the window system has settled, what took the focus from the window.
        self._cover_check = QTimer(self)
        self._cover_check.setSingleShot(True)
        self._cover_check.setInterval(0)
        self._cover_check.timeout.connect(self._pause_if_covered)
        self._watched: weakref.ref[QWidget] | None = None

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        """Watch the window the page is shown in (for :meth:`_pause_if_covered`)."""
        super().showEvent(event)
        window = self.window()
        watched = self._watched() if self._watched is not None else None
        if window is not watched:
            if watched is not None and shiboken6.isValid(watched):
                watched.removeEventFilter(self)
            window.installEventFilter(self)
            self._watched = weakref.ref(window)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """The window lost the focus: see what took it once that has settled."""
        if event.type() == QEvent.Type.WindowDeactivate and watched is self.window():
            self._cover_check.start()
        return super().eventFilter(watched, event)

    def _pause_if_covered(self) -> None:
        """Pause when another window of this app comes over the session (a dialog, a
        message, the history): nobody follows a session they cannot see. Another
        program's window does not pause it; nothing resumes by itself (Space does)."""
        other = QApplication.activeWindow()
        if other is not None and other is not self.window() and self.isVisible():
            self.pause()

    # -- layout -------------------------------------------------------------------------

    def _fit(self, name: str, bold: bool = False, left: bool = False) -> FitText:
        align = Qt.AlignmentFlag.AlignCenter
        if left:
            align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        return FitText(name, bold=bold, alignment=align)

    def _button(self, text: str, name: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(name)
        button.clicked.connect(slot)
        # A click leaves the keyboard focus where it was, so Space keeps meaning pause.
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        button.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)
        return button

    def _build_sound_widgets(self) -> None:
        """The banner saying what is wrong with sound, and the get-ready "Test sound"."""
        self.test_sound_button = self._button(
            "Test sound", "Play the voice and the beeps", self.test_sound
        )
        self.test_sound_button.setVisible(False)
        self.sound_banner = QLabel()
        self.sound_banner.setAccessibleName("Sound problem")
        self.sound_banner.setWordWrap(True)
        self.sound_banner.setStyleSheet(BANNER_STYLE)
        self.sound_banner.setVisible(False)

    def _build_controls(self) -> QWidget:
        self.back_button = self._button(
            "◀ Back", "Back to this or the previous exercise", self.back
        )
        self.pause_button = self._button("Pause", "Pause or resume", self.toggle_pause)
        self.skip_button = self._button("Skip ▶", "Skip to the next exercise", self.skip)
        self.stop_button = self._button("Stop (Esc)", "Stop the session", self.request_stop)
        self.pain_button = self._button(
            "Stop, I feel pain (P)", "Stop, I feel pain", self.stop_for_pain
        )
        # White on this red is 5.9:1.
        self.pain_button.setStyleSheet(
            "QPushButton { background: #b3261e; color: white; border-radius: 6px;"
            " padding: 4px 18px; }"
            "QPushButton:focus { border: 3px solid #1f1f1f; }"
        )
        bar = QWidget()
        controls = QHBoxLayout(bar)
        controls.setContentsMargins(0, 0, 0, 0)
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
        return bar

    def _build_columns(self) -> QHBoxLayout:
        self.steps_label = QLabel()
        self.steps_label.setAccessibleName("How to do it")
        self.steps_label.setWordWrap(True)
        self.steps_label.setTextFormat(Qt.TextFormat.RichText)
        self.steps_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.steps_area = QScrollArea()
        self.steps_area.setAccessibleName("How to do it")
        self.steps_area.setWidgetResizable(True)
        self.steps_area.setFrameShape(QFrame.Shape.NoFrame)
        self.steps_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.steps_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.steps_area.setWidget(self.steps_label)
        self.figure = FigureWidget()
        self.countdown_label = FitText("Seconds left in this step", bold=True, tight=True)
        self.count_caption = self._fit("What the number counts")
        self.ring = BreathingRing()
        self.ring.setMinimumSize(0, 0)
        parts: tuple[QWidget, ...] = (self.countdown_label, self.count_caption, self.ring)
        for part in parts:
            # The column's stretch factors share its height out, whatever they show.
            part.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        number = QWidget()
        self._number_column = QVBoxLayout(number)
        self._number_column.setContentsMargins(0, 0, 0, 0)
        self._number_column.setSpacing(0)
        self._number_column.addWidget(self.countdown_label)
        self._number_column.addWidget(self.count_caption)
        self._number_column.addWidget(self.ring)
        columns = QHBoxLayout()
        self._columns = columns
        for widget, share in zip((self.steps_area, self.figure, number), COLUMNS, strict=True):
            # The columns keep their shares whatever they hold: nothing moves.
            widget.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
            columns.addWidget(widget, share)
        return columns

    def _build(self) -> None:
        self.exercise_label = self._fit("Exercise", bold=True, left=True)
        self.position_label = FitText(
            "Set, rep and side",
            alignment=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
        )
        self.action_label = self._fit("What to do now", bold=True)
        self.next_label = self._fit("Next up", left=True)
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Session progress")
        self.progress.setTextVisible(True)
        self._build_sound_widgets()
        self.controls = self._build_controls()

        self._header = QHBoxLayout()
        self._header.addWidget(self.exercise_label, 3)
        self._header.addWidget(self.position_label, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.sound_banner)
        layout.addLayout(self._header)
        layout.addWidget(self.action_label)
        layout.addLayout(self._build_columns(), 1)
        layout.addWidget(self.next_label)
        layout.addWidget(self.progress)
        layout.addWidget(self.controls)
        self._layout = layout
        self.veil = SessionVeil(self.keep_going, self.stop, self)
        self._apply_sizes()

    def _apply_sizes(self) -> None:
        """Row heights and text sizes from the page's height (see the module's notes)."""
        height = max(1, self.height())
        base = pixel_size(self.font())
        line = max(1, round(base * 1.4))
        rows = (
            (self.exercise_label, NAME_ROW),
            (self.position_label, NAME_ROW),
            (self.action_label, ACTION_ROW),
            (self.next_label, NEXT_ROW),
        )
        for widget, share in rows:
            row = max(line, round(height * share))
            widget.setFixedHeight(row)
            widget.set_limits(base, round(row * 0.82))
        progress = max(18, round(height * PROGRESS_ROW))
        self.progress.setFixedHeight(progress)
        progress_font = QFont(self.font())
        progress_font.setPixelSize(max(min(base, progress - 4), round(progress * 0.6)))
        self.progress.setFont(progress_font)
        controls = max(40, round(height * CONTROLS_ROW))
        self.controls.setFixedHeight(controls)
        button_font = scaled_font(self.font(), 1.0)
        button_px = max(round(base * 1.15), round(controls * 0.32))
        button_font.setPixelSize(min(button_px, round(controls * 0.42)))
        for button in self.controls.findChildren(QPushButton):
            button.setFont(button_font)
        pain_font = QFont(button_font)
        pain_font.setBold(True)
        self.pain_button.setFont(pain_font)
        shares = NARROW_COLUMNS if self.width() < NARROW else COLUMNS
        for index, share in enumerate(shares):
            self._columns.setStretch(index, share)
        self._fit_steps()
        self.sound_banner.setFont(scaled_font(self.font(), 1.15, bold=True))
        self.countdown_label.set_limits(base, 4000)
        margin = max(4, round(height * 0.02))
        self.countdown_label.setContentsMargins(margin, margin, margin, 0)
        self.count_caption.set_limits(base, max(base, round(height * NEXT_ROW * 0.7)))
        self._number_column.setStretch(0, round(NUMBER_SHARE * 100))
        self._number_column.setStretch(1, round(CAPTION_SHARE * 100))
        self._number_column.setStretch(2, round((1 - NUMBER_SHARE - CAPTION_SHARE) * 100))
        spacing = max(4, round(height * 0.01))
        self._layout.setSpacing(spacing)
        self._header.setSpacing(spacing * 4)
        self._layout.setContentsMargins(spacing * 2, spacing, spacing * 2, spacing)
        self._place_veil()

    def _fit_steps(self) -> None:
        """The steps as large as 3 % of the height (more with larger text), smaller if that
        is what it takes for them (and "Watch out") to fit their column, never below 1.3
        times the text size."""
        base = pixel_size(self.font())
        floor = round(base * STEPS_MIN_FACTOR)
        larger = max(1.0, base / NORMAL_TEXT_PX)  # "Larger text" makes them larger still
        size = max(floor, round(self.height() * STEPS_TEXT * larger))
        width = self.steps_area.viewport().width()
        room = self.steps_area.viewport().height()
        font = QFont(self.font())
        while True:
            font.setPixelSize(size)
            self.steps_label.setFont(font)
            if size <= floor or width <= 0 or self.steps_label.heightForWidth(width) <= room:
                break
            size -= 1

    def _place_veil(self) -> None:
        """The veil covers everything above the controls."""
        top = self.controls.geometry().top() - self._layout.spacing()
        self.veil.setGeometry(0, 0, self.width(), max(0, top))
        if self.veil.isVisible():
            self.veil.place()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        """Size everything from the new height."""
        super().resizeEvent(event)
        self._apply_sizes()
        self._layout.activate()
        self._place_veil()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        """Follow the application's text size (the "larger text" setting)."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and hasattr(self, "veil"):
            self._apply_sizes()

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
        """Pause or resume; while asking whether to end, keep going."""
        if self.asking:
            self.keep_going()
        elif self.in_session and self._driver is not None:
            self._driver.toggle_pause()

    @property
    def asking(self) -> bool:
        """True while the page asks whether to end the session."""
        return self.veil.asking

    def request_stop(self) -> None:
        """Esc or Stop: pause and ask "End this session?"; asked already, end it."""
        if not self.in_session or self._driver is None:
            return
        if self.asking:
            self.stop()
            return
        self._resume_after_question = self._driver.scheduler.is_active
        self.pause()
        self.veil.show_question()

    def keep_going(self) -> None:
        """The answer "Keep going": carry on as before the question (running or paused)."""
        if not self.asking:
            return
        resume, self._resume_after_question = self._resume_after_question, False
        self.veil.hide()
        if resume and self._driver is not None and self.in_session:
            self._driver.resume()
        self._show_veil()

    def _show_veil(self) -> None:
        """Dim a paused session; show the content when it runs (or is over)."""
        if self.asking:
            return
        driver = self._driver
        if driver is not None and driver.scheduler.state is State.PAUSED:
            self.veil.show_paused()
        else:
            self.veil.hide()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        """Enter answers "Keep going" while the page asks whether to end."""
        if self.asking and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.keep_going()
            return
        super().keyPressEvent(event)

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
        """Stop the session at once (the window closes, or the user said so twice)."""
        self.veil.hide()
        if self.in_session and self._driver is not None:
            self._driver.stop(StopReason.USER)

    def stop_for_pain(self) -> None:
        """Stop at once because something hurts: no question, paused or not."""
        self.veil.hide()
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
            self.veil.hide()
            self.state_text.emit("Finished" if scheduler.state is State.FINISHED else "Stopped")
            self.finished.emit(event.summary)
            return
        if isinstance(event, StateChanged):
            self._on_state_changed(event)
        step = scheduler.current_step
        if step is None:
            return
        if isinstance(event, StepStarted):
            self._show_step(plan, event.step.index)
            started = self._clock.monotonic_ms() - event.late_ms
            self.figure.show_step(event.step, started, self._clock)
            self.ring.show_step(event.step, started, self._clock)
        if isinstance(event, StepStarted | CountdownSecond | StateChanged):
            self._show_number(plan, step, max(0.0, step.end_ms - position))
        paused = scheduler.state is State.PAUSED
        self.action_label.setText("Paused" if paused else action_words(step, self._cues(step)))

    def _on_state_changed(self, event: StateChanged) -> None:
        running = event.new in (State.GET_READY, State.RUNNING)
        self.figure.set_running(running)
        self.ring.set_running(running)
        self.pause_button.setText("Resume (Space)" if event.new is State.PAUSED else "Pause")
        self.test_sound_button.setVisible(self._audio is not None and self._getting_ready())
        self._show_veil()
        self.state_text.emit(
            {
                State.GET_READY: "Get ready",
                State.RUNNING: "Running",
                State.PAUSED: "Paused",
            }.get(event.new, event.new.value)
        )

    def _cues(self, step: Step) -> Cues | None:
        """The exercise's own words for ``step``, if it has any."""
        if self._routine is None or step.exercise_index is None:
            return None
        return self._routine.exercises[step.exercise_index].cues

    @staticmethod
    def shows_rep(step: Step) -> bool:
        """Whether the big number is the rep ("3 / 10") rather than the seconds left.

        A rep's breath shows which rep it is; a hold long enough for the voice to count
        down (5 s or more) shows its seconds, as does every other step.
        """
        if not step.rep_count or step.kind not in _BREATH_KINDS:
            return False
        return step.kind is not StepKind.HOLD or step.duration_ms < COUNTDOWN_MIN_MS

    def _show_number(self, plan: Plan, step: Step, left_ms: float) -> None:
        exercise = plan.exercise_of(step)
        if self.shows_rep(step):
            self.countdown_label.setText(f"{step.rep_number}\u2009/\u2009{step.rep_count}")
            timed = exercise is not None and exercise.kind == "timed"
            self.count_caption.setText("breath" if timed else "rep")
        else:
            seconds = math.ceil(left_ms / 1000 - 1e-9)
            self.countdown_label.setText(str(seconds))
            self.count_caption.setText("second left" if seconds == 1 else "seconds left")
        self.countdown_label.setAccessibleDescription(
            f"{self.countdown_label.text()} {self.count_caption.text()}"
        )

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
                self.steps_label.setText(self._steps_html(routine_exercise))
                self._fit_steps()
                self.figure.set_figure(self._figures.get(routine_exercise.illustration_id))
        self.position_label.setText(self._position(plan, step, lead_in))
        self.next_label.setText(describe_next(plan, step))

    def _steps_html(self, exercise: Exercise) -> str:
        """The steps, "Watch out" and why this many reps, for the steps column."""
        items = "".join(f"<li>{escape(text, quote=False)}</li>" for text in exercise.steps)
        safety = (
            f"<p><b>Watch out:</b> {escape(exercise.safety, quote=False)}</p>"
            if exercise.safety
            else ""
        )
        reason = self._reasons.get(exercise.id)
        why = f"<p><i>{escape(reason, quote=False)}</i></p>" if reason else ""
        return f"<ol style='margin-left: 0; -qt-list-indent: 1'>{items}</ol>{safety}{why}"

    def _position(self, plan: Plan, step: Step, lead_in: bool) -> str:
        """Set and side (and the rep when the big number counts seconds)."""
        if lead_in and step.exercise_index is not None:
            return f"Exercise {step.exercise_index + 1} of {len(plan.exercises)}"
        parts = []
        if step.set_count > 1 and step.set_number:
            parts.append(f"Set {step.set_number} of {step.set_count}")
        if step.rep_count and step.rep_number and not self.shows_rep(step):
            parts.append(f"Rep {step.rep_number} of {step.rep_count}")
        if step.side is not None:
            parts.append(f"{step.side.value.capitalize()} side")
        return "  ·  ".join(parts)
