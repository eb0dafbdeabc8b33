"""A minimal session window: pick a routine, run it, see what to do now and what comes next.

This is the stage-one window: plain widgets around a :class:`SchedulerDriver`. Everything it
shows is read back from the core scheduler when an event arrives, so the labels can never
disagree with the session's real position.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from backtimer.core.clock import MonotonicClock
from backtimer.core.plan.compiler import PlanSettings, compile_plan
from backtimer.core.plan.describe import (
    OUTCOME_WORDS,
    STEP_WORDS,
    describe_next,
    describe_step,
    format_duration,
)
from backtimer.core.plan.timeline import Plan
from backtimer.core.routine.library import Library
from backtimer.core.scheduler import Event, Finished, State, StopReason
from backtimer.qt.scheduler_driver import SchedulerDriver
from backtimer.qt.session_audio import SessionAudio

#: How the window title names the session's state.
_STATE_WORDS: dict[State, str] = {
    State.IDLE: "Ready",
    State.GET_READY: "Get ready",
    State.RUNNING: "Running",
    State.PAUSED: "Paused",
    State.FINISHED: "Finished",
    State.STOPPED: "Stopped",
}


class SessionWindow(QMainWindow):
    """Routine picker, countdown, what to do now and next, progress, and session controls."""

    def __init__(
        self,
        library: Library,
        clock: MonotonicClock | None = None,
        settings: PlanSettings | None = None,
        parent: QWidget | None = None,
        audio: SessionAudio | None = None,
    ) -> None:
        super().__init__(parent)
        self._library = library
        self._clock = clock
        self._settings = settings or PlanSettings()
        self._driver: SchedulerDriver | None = None
        #: Speech and beeps; None for a silent window (tests).
        self._audio = audio
        self._preparing = False
        if audio is not None:
            audio.progress.connect(self._on_voice_progress)
            audio.ready.connect(self._on_voice_ready)
        self.setWindowTitle("backtimer")
        self._build()
        for entry in library.entries:
            plan = compile_plan(entry.routine, self._settings)
            label = f"{entry.routine.title} ({format_duration(plan.total_ms)})"
            self.routine_box.addItem(label, entry.routine.id)
            last = self.routine_box.count() - 1
            self.routine_box.setItemData(last, plan.total_ms, Qt.ItemDataRole.UserRole + 1)
        if library.errors:
            count = len(library.errors)
            self.statusBar().showMessage(f"{count} problem(s) in routine files; see the log.")
        self.routine_box.currentIndexChanged.connect(self._on_routine_changed)
        self._show_idle()

    # -- layout ---------------------------------------------------------------------------

    def _button(self, text: str, accessible: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(accessible)
        button.clicked.connect(slot)
        button.setMinimumHeight(36)
        # Clicking leaves the focus where it was, so Space keeps meaning start / pause; a
        # button reached with Tab takes Space itself (see start_or_toggle).
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self._buttons.append(button)
        return button

    def _build(self) -> None:
        self._buttons: list[QPushButton] = []
        self.routine_box = QComboBox()
        self.routine_box.setAccessibleName("Routine")
        self.countdown_label = QLabel()
        self.countdown_label.setAccessibleName("Seconds left in this step")
        big = QFont(self.countdown_label.font())
        big.setPointSize(72)
        big.setBold(True)
        self.countdown_label.setFont(big)
        self.step_label = QLabel()
        self.step_label.setAccessibleName("What to do now")
        medium = QFont(self.step_label.font())
        medium.setPointSize(20)
        self.step_label.setFont(medium)
        self.detail_label = QLabel()
        self.detail_label.setAccessibleName("Exercise, set, rep and side")
        self.next_label = QLabel()
        self.next_label.setAccessibleName("Next up")
        for label in (self.countdown_label, self.step_label, self.detail_label, self.next_label):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)
            label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Session progress")
        self.progress.setTextVisible(True)

        self.start_button = self._button("Start", "Start session", self.start_session)
        self.pause_button = self._button("Pause", "Pause or resume", self.toggle_pause)
        self.skip_button = self._button("Skip ▶", "Skip to the next exercise", self.skip)
        self.back_button = self._button(
            "◀ Back", "Back to this or the previous exercise", self.back
        )
        self.stop_button = self._button("Stop", "Stop session", self.stop)
        self.pain_button = self._button(
            "Stop, I feel pain", "Stop, I feel pain", self.stop_for_pain
        )
        self.pain_button.setStyleSheet(
            "QPushButton { background: #b3261e; color: white; font-weight: bold; }"
            "QPushButton:disabled { background: #d9a7a4; }"
        )

        picker = QHBoxLayout()
        picker.addWidget(QLabel("Routine:"))
        picker.addWidget(self.routine_box, 1)
        picker.addWidget(self.start_button)
        controls = QHBoxLayout()
        for button in (self.back_button, self.pause_button, self.skip_button, self.stop_button):
            controls.addWidget(button)
        layout = QVBoxLayout()
        layout.addLayout(picker)
        layout.addStretch(1)
        layout.addWidget(self.countdown_label)
        layout.addWidget(self.step_label)
        layout.addWidget(self.detail_label)
        layout.addWidget(self.next_label)
        layout.addStretch(1)
        layout.addWidget(self.progress)
        layout.addLayout(controls)
        layout.addWidget(self.pain_button)
        central = QWidget()
        central.setLayout(layout)
        self.setCentralWidget(central)
        self.resize(560, 520)

        self._build_menus()

    def _build_menus(self) -> None:
        """File and Session menus; the session actions carry the keyboard shortcuts."""
        file_menu = self.menuBar().addMenu("&File")
        quit_action = file_menu.addAction("&Quit")
        quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        quit_action.triggered.connect(self.close)
        session_menu = self.menuBar().addMenu("&Session")
        for text, key, slot in (
            ("&Start / Pause", Qt.Key.Key_Space, self.start_or_toggle),
            ("S&kip exercise", Qt.Key.Key_Right, self.skip),
            ("&Back", Qt.Key.Key_Left, self.back),
            ("S&top", Qt.Key.Key_Escape, self.stop),
        ):
            action = session_menu.addAction(text)
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(slot)
        session_menu.addSeparator()
        session_menu.addAction("Stop, I feel &pain").triggered.connect(self.stop_for_pain)

    # -- session --------------------------------------------------------------------------

    @property
    def driver(self) -> SchedulerDriver | None:
        """The driver of the current (or last) session."""
        return self._driver

    @property
    def in_session(self) -> bool:
        """True from start until the session finishes or stops."""
        return self._driver is not None and self._driver.scheduler.state not in (
            State.FINISHED,
            State.STOPPED,
        )

    def start_session(self) -> None:
        """Compile the chosen routine and start it (once its voice is ready)."""
        if self.in_session or self._preparing or self.routine_box.currentIndex() < 0:
            return
        entry = self._library.find(self.routine_box.currentData())
        if entry is None:
            return
        if self._audio is None:
            self._run_plan(compile_plan(entry.routine, self._settings))
            return
        self._preparing = True
        self._set_controls(False)
        self.start_button.setEnabled(False)
        self.step_label.setText("Preparing the voice…")
        self._audio.prepare(entry.routine, self._settings)

    def _on_voice_progress(self, done: int, total: int) -> None:
        if self._preparing:
            self.step_label.setText(f"Preparing the voice… {done} of {total}")

    def _on_voice_ready(self, plan: Plan) -> None:
        if self._preparing:
            self._preparing = False
            self._run_plan(plan)

    def _run_plan(self, plan: Plan) -> None:
        if self._driver is not None:
            self._driver.deleteLater()
        self._driver = SchedulerDriver(plan, self._clock, self)
        self._driver.any_event.connect(self._on_event)
        audio = self._audio
        if audio is not None:
            self._driver.cue_due.connect(lambda event: audio.play(event.cue))
        self._driver.start()

    def start_routine(self, routine_id: str) -> None:
        """Choose the routine with this id and start it."""
        index = self.routine_box.findData(routine_id)
        if index >= 0:
            self.routine_box.setCurrentIndex(index)
            self.start_session()

    def start_or_toggle(self) -> None:
        """Space: start a session, or pause / resume the running one.

        When one of the window's buttons has the keyboard focus, Space presses it instead,
        as it would without the shortcut.
        """
        focused = self.focusWidget()
        if isinstance(focused, QPushButton) and focused in self._buttons and focused.isEnabled():
            focused.click()
        elif self.in_session:
            self.toggle_pause()
        else:
            self.start_session()

    def toggle_pause(self) -> None:
        """Pause or resume."""
        if self.in_session and self._driver is not None:
            self._driver.toggle_pause()

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

    # -- display --------------------------------------------------------------------------

    def _set_controls(self, running: bool) -> None:
        self.routine_box.setEnabled(not running)
        self.start_button.setEnabled(not running and self.routine_box.count() > 0)
        for button in (
            self.pause_button,
            self.skip_button,
            self.back_button,
            self.stop_button,
            self.pain_button,
        ):
            button.setEnabled(running)

    def _on_routine_changed(self, _index: int) -> None:
        if not self.in_session:
            self._show_idle()

    def _show_idle(self) -> None:
        self.setWindowTitle("backtimer")
        self._set_controls(False)
        total = self.routine_box.currentData(Qt.ItemDataRole.UserRole + 1)
        self.countdown_label.setText(format_duration(total) if total is not None else "")
        if self.routine_box.count() == 0:
            self.step_label.setText("No routines found")
        else:
            self.step_label.setText("Press Start or Space to begin")
        self.detail_label.setText("Space: start / pause · →: skip · ←: back · Esc: stop")
        self.next_label.setText("")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat("Not started")

    def _on_event(self, event: Event) -> None:
        driver = self._driver
        if driver is None:
            return
        scheduler = driver.scheduler
        plan = scheduler.plan
        position = scheduler.position_ms()
        self.setWindowTitle(f"{plan.title} · {_STATE_WORDS[scheduler.state]} — backtimer")
        self.progress.setRange(0, plan.total_ms)
        self.progress.setValue(round(position))
        self.progress.setFormat(f"%p% · {format_duration(plan.total_ms - position)} left")
        if isinstance(event, Finished):
            self._set_controls(False)
            headline, line = OUTCOME_WORDS[event.summary.outcome]
            done = len(event.summary.done)
            self.countdown_label.setText("")
            self.step_label.setText(headline)
            self.detail_label.setText(line)
            self.next_label.setText(f"{done} of {len(plan.exercises)} exercises done")
            return
        self._set_controls(True)
        paused = scheduler.state is State.PAUSED
        self.pause_button.setText("Resume" if paused else "Pause")
        step = scheduler.current_step
        if step is None:
            return
        self.countdown_label.setText(str(math.ceil((step.end_ms - position) / 1000 - 1e-9)))
        words = STEP_WORDS[step.kind]
        self.step_label.setText(f"Paused · {words}" if paused else words)
        self.detail_label.setText(describe_step(plan, step))
        self.next_label.setText(describe_next(plan, step))
