"""The break window: one routine (the desk break), compact and on top of the other windows.

It holds a :class:`~backtimer.qt.session.session_page.SessionPage`, so the break has the
same figure, countdown, voice and always-visible "Stop, I feel pain" as a session in the
main window, and starts it through a
:class:`~backtimer.qt.session.session_runner.SessionRunner`, so it is recorded in the
history the same way. When the routine ends the window says how it went (after a stop for
pain: the stop rule) and emits :attr:`BreakWindow.finished` with the outcome. Keys: Space
pauses and resumes, Right skips, Left goes back, P (or Ctrl+Shift+P) stops for pain, Esc
asks before it stops (Esc again stops; once the break is over, Esc closes the window).
The window's title gives the routine's planned length
(:mod:`backtimer.app.durations`), the same figure as the picker's card.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from backtimer.app.options import SessionOptions
from backtimer.core.plan.describe import OUTCOME_WORDS
from backtimer.core.scheduler import Outcome, Summary
from backtimer.core.settings import Settings
from backtimer.qt.session.pain_form import PainForm
from backtimer.qt.session.session_page import SessionPage
from backtimer.qt.session.session_runner import AudioFactory, SessionRunner
from backtimer.qt.settings.safety_dialog import StopRuleBox
from backtimer.qt.widgets.fonts import scaled_font
from backtimer.qt.widgets.window_size import fit_to_screen

if TYPE_CHECKING:
    from backtimer.app.sessions import SessionFactory
    from backtimer.core.clock import MonotonicClock
    from backtimer.core.figure.scene import ExerciseFigure
    from backtimer.core.history.recorder import SessionHistory
    from backtimer.core.routine.model import Routine
    from backtimer.core.safety import Safety

#: The window's size when it opens: room for the figure, the countdown and the controls.
DEFAULT_SIZE = QSize(760, 560)
#: The least size at which the session still reads.
MINIMUM_SIZE = QSize(560, 440)


class BreakWindow(QWidget):
    """Runs one routine on top of the other windows; emits ``finished`` with its outcome."""

    #: The :class:`~backtimer.core.scheduler.Outcome` of the break, once recorded.
    finished = Signal(object)

    def __init__(
        self,
        figures: Mapping[str, ExerciseFigure],
        settings: Settings,
        audio_factory: AudioFactory,
        history: SessionHistory | None = None,
        safety: Safety | None = None,
        clock: MonotonicClock | None = None,
        parent: QWidget | None = None,
        sessions: SessionFactory | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window | Qt.WindowType.WindowStaysOnTopHint)
        self.setWindowTitle("Desk break — backtimer")
        self._safety = safety
        self._title = "Desk break"
        #: The planned length of the break shown in the title (``"2:36 min"``).
        self.length_text = ""
        #: The summary of the last break, once it is over.
        self.summary: Summary | None = None
        self.session = SessionPage(figures, clock)
        self.runner = SessionRunner(
            self.session,
            settings,
            audio_factory,
            history,
            self,
            sessions=sessions,
            options=SessionOptions(desk_break=True),  # recorded as desk breaks
        )
        self.runner.finished.connect(self._on_finished)
        self.session.state_text.connect(self._on_state_text)
        self._build()
        fit_to_screen(self, DEFAULT_SIZE, MINIMUM_SIZE)

    def _build(self) -> None:
        self.done_page = QWidget()
        self.done_headline = QLabel()
        self.done_headline.setFont(scaled_font(self.font(), 1.8, bold=True))
        self.done_headline.setWordWrap(True)
        self.done_headline.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.done_line = QLabel()
        self.done_line.setWordWrap(True)
        self.done_line.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.done_line.setFont(scaled_font(self.font(), 1.2))
        self._rule_slot = QVBoxLayout()
        self.stop_rule_box: StopRuleBox | None = None
        #: After a stop for pain: what hurt, kept with the break's record.
        self.pain_form = PainForm()
        self.pain_form.saved.connect(self.runner.note_pain)
        self.pain_form.hide()
        self.close_button = QPushButton("&Close")
        self.close_button.setAccessibleName("Close the break window")
        self.close_button.setMinimumHeight(40)
        self.close_button.setDefault(True)
        self.close_button.clicked.connect(self.close)
        done = QVBoxLayout(self.done_page)
        done.addStretch(1)
        done.addWidget(self.done_headline)
        done.addWidget(self.done_line)
        done.addLayout(self._rule_slot)
        done.addWidget(self.pain_form)
        done.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.close_button)
        done.addLayout(row)

        self.pages = QStackedWidget()
        self.pages.addWidget(self.session)
        self.pages.addWidget(self.done_page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.pages)

        keys = (
            (Qt.Key.Key_Space, self.session.toggle_pause),
            (Qt.Key.Key_Right, self.session.skip),
            (Qt.Key.Key_Left, self.session.back),
            (Qt.Key.Key_Escape, self.escape),
        )
        for key, slot in keys:
            QShortcut(QKeySequence(key), self).activated.connect(slot)
        for pain_keys in (QKeySequence(Qt.Key.Key_P), QKeySequence("Ctrl+Shift+P")):
            QShortcut(pain_keys, self).activated.connect(self.session.stop_for_pain)

    # -- the break ----------------------------------------------------------------------

    @property
    def in_session(self) -> bool:
        """True while the break runs (or its voice is being prepared)."""
        return self.runner.busy

    def set_figures(self, figures: Mapping[str, ExerciseFigure]) -> None:
        """The exercise illustrations, by id."""
        self.session.set_figures(figures)

    def set_safety(self, safety: Safety) -> None:
        """The safety text (the stop rule shows after a stop for pain)."""
        self._safety = safety

    def set_settings(self, settings: Settings) -> None:
        """Settings for the next break."""
        self.runner.set_settings(settings)

    def start(self, routine: Routine) -> bool:
        """Show the window and run ``routine``; False while a break is already running."""
        if self.runner.busy:
            self.present()
            return False
        from backtimer.app.durations import length_text, session_length_ms

        runner = self.runner
        prepared = runner.sessions.prepare(routine, runner.settings, runner.options)
        self.length_text = f"{length_text(session_length_ms(prepared))} min"
        self._title = f"{routine.title}, {self.length_text}"
        self.summary = None
        self.pages.setCurrentWidget(self.session)
        self.present()
        return self.runner.start(routine)

    def present(self) -> None:
        """Show the window in front and give it the keyboard."""
        self.show()
        self.raise_()
        self.activateWindow()

    def escape(self) -> None:
        """Esc: ask before stopping the break (Esc again stops it); over, close the window."""
        if self.runner.busy:
            self.session.request_stop()
        else:
            self.close()

    def _on_state_text(self, text: str) -> None:
        self.setWindowTitle(f"{self._title} · {text} — backtimer")

    def _on_finished(self, summary: Summary) -> None:
        self.summary = summary
        headline, line = OUTCOME_WORDS[summary.outcome]
        if summary.outcome is Outcome.COMPLETED:
            line = "Break taken. Back to work, and keep moving now and then."
        self.done_headline.setText(headline)
        self.done_headline.setAccessibleName(headline)
        self.done_line.setText(line)
        self.done_line.setAccessibleName(line)
        if self.stop_rule_box is not None:
            self._rule_slot.removeWidget(self.stop_rule_box)
            self.stop_rule_box.hide()
            self.stop_rule_box.deleteLater()
            self.stop_rule_box = None
        pain = summary.outcome is Outcome.STOPPED_FOR_PAIN
        if pain and self._safety is not None:
            rule = self._safety.stop_rule
            self.stop_rule_box = StopRuleBox(rule.title, rule.text)
            self._rule_slot.addWidget(self.stop_rule_box)
        self.pain_form.clear()
        self.pain_form.setVisible(pain)
        if self.isVisible():
            self.pages.setCurrentWidget(self.done_page)
            self.close_button.setFocus()
        self.finished.emit(summary.outcome)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        """Closing stops a running break, and lets go of the voice until the next one.

        What the pain form holds is saved, not lost.
        """
        if self.pain_form.isVisible():
            self.pain_form.save()
        self.session.stop()
        self.runner.close()
        super().closeEvent(event)
