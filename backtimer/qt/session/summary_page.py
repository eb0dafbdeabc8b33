"""The summary page: how the session ended, what was done, and where to go next.

A headline by outcome, the active time, the exercises done, partly done, skipped and not
reached (by name, with their reps), and, after a stop for pain, the stop rule in the
safety panel's red with, under it, an optional :class:`~backtimer.qt.session.pain_form.
PainForm` (where it hurt, what kind of pain, a note) whose "Save" emits
:attr:`SummaryPage.pain_reported`. "Back to routines" is the default: Enter goes home
(saving what the form holds first). After a stop for pain "Do it again" is not offered:
the stop rule says rest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from backtimer.core.history.definitions import STATE_WORDS
from backtimer.core.history.session_log import RECORDED_STATE
from backtimer.core.plan.describe import OUTCOME_WORDS, format_duration
from backtimer.core.scheduler import ExerciseResult, ExerciseStatus, Outcome, Summary
from backtimer.qt.session.pain_form import PainForm
from backtimer.qt.settings.safety_dialog import StopRuleBox
from backtimer.qt.widgets.fonts import scaled_font

if TYPE_CHECKING:
    from backtimer.core.safety import Safety


#: The groups of the exercise list, in the order shown.
#: In the words the history and the terminal use for them.
STATUS_WORDS: Final[dict[ExerciseStatus, str]] = {
    status: STATE_WORDS[state].capitalize() for status, state in RECORDED_STATE.items()
}


def describe_result(result: ExerciseResult) -> str:
    """An exercise's name and what was done of it: ``"Bridge · 6 of 10 reps"``."""
    parts = [result.name]
    if result.reps_planned:
        parts.append(f"{result.reps_done} of {result.reps_planned} reps")
    if result.sets_planned > 1:
        parts.append(f"{result.sets_done} of {result.sets_planned} sets")
    return " · ".join(parts)


class _Figure(QWidget):
    """A big number over a caption: "4:32" over "Active time"."""

    def __init__(self, caption: str) -> None:
        super().__init__()
        self.value_label = QLabel()
        self.caption_label = QLabel(caption)
        self.caption = caption
        for label in (self.value_label, self.caption_label):
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.value_label)
        layout.addWidget(self.caption_label)

    def set_value(self, value: str) -> None:
        self.value_label.setText(value)
        self.value_label.setAccessibleName(f"{self.caption}: {value}")
        self.caption_label.setAccessibleName(self.caption)


class SummaryPage(QWidget):
    """What a session did; :attr:`home_requested` and :attr:`again_requested` lead on."""

    #: "Back to routines" was pressed.
    home_requested = Signal()
    #: "Do it again" was pressed.
    again_requested = Signal()
    #: After a stop for pain, "Save": where and what kind ("lower back — sharp"), the note.
    pain_reported = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._summary: Summary | None = None
        self.stop_rule_box: StopRuleBox | None = None
        self._build()
        self._apply_fonts()

    # -- layout ---------------------------------------------------------------------------

    def _build(self) -> None:
        self.headline_label = QLabel()
        self.line_label = QLabel()
        self.title_label = QLabel()
        for label in (self.headline_label, self.line_label, self.title_label):
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            label.setWordWrap(True)

        # The stop rule goes between two stretches: centred, at most 56 lines wide.
        self._stop_rule_slot = QHBoxLayout()
        self._stop_rule_slot.setContentsMargins(0, 0, 0, 0)
        self._stop_rule_slot.addStretch(1)
        self._stop_rule_slot.addStretch(1)

        self.time_figure = _Figure("Active time")
        self.exercises_figure = _Figure("Exercises done")
        self.reps_figure = _Figure("Reps done")
        figures = QHBoxLayout()
        figures.addStretch(1)
        for figure in (self.time_figure, self.exercises_figure, self.reps_figure):
            figures.addWidget(figure, 2)
        figures.addStretch(1)

        self._groups = QGridLayout()
        self._groups.setAlignment(Qt.AlignmentFlag.AlignTop)
        self._groups_widget = QWidget()
        self._groups_widget.setAccessibleName("Exercises")
        outer = QHBoxLayout(self._groups_widget)
        outer.addStretch(1)
        outer.addLayout(self._groups, 6)
        outer.addStretch(1)

        self.pain_form = PainForm()
        self.pain_form.saved.connect(self.pain_reported)
        self.pain_form.hide()
        pain_row = QHBoxLayout()
        pain_row.addStretch(1)
        pain_row.addWidget(self.pain_form, 100)
        pain_row.addStretch(1)

        buttons = self._build_buttons()
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.headline_label)
        layout.addWidget(self.line_label)
        layout.addWidget(self.title_label)
        layout.addLayout(self._stop_rule_slot)
        layout.addLayout(pain_row)
        layout.addSpacing(12)
        layout.addLayout(figures)
        layout.addSpacing(12)
        layout.addWidget(self._groups_widget, 1)
        # Takes the list's room when the list is hidden (after pain), so nothing spreads.
        self._filler = QWidget()
        self._filler.hide()
        layout.addWidget(self._filler, 1)
        self._layout = layout
        # Everything but the buttons scrolls when the window is too small for it (a long
        # list; the stop rule and the pain form on an 800×600 screen with larger text).
        self.scroll_area = QScrollArea()
        self.scroll_area.setAccessibleName("Summary")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scroll_area.setWidget(body)
        page = QVBoxLayout(self)
        page.addWidget(self.scroll_area, 1)
        page.addLayout(buttons)
        QWidget.setTabOrder(self.back_button, self.again_button)

    def _build_buttons(self) -> QHBoxLayout:
        """ "Back to routines" (the default) and "Do it again"."""
        self.back_button = QPushButton("Back to routines")
        self.back_button.setAccessibleName("Back to routines")
        self.back_button.clicked.connect(self._go_home)
        self.again_button = QPushButton("Do it again")
        self.again_button.setAccessibleName("Do this routine again")
        self.again_button.clicked.connect(self.again_requested)
        for button in (self.back_button, self.again_button):
            # Enter presses the focused button; on this page the focus starts on Back.
            button.setAutoDefault(True)
            button.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        self.back_button.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.again_button)
        buttons.addStretch(1)
        return buttons

    def _apply_fonts(self) -> None:
        base = self.font()
        self.headline_label.setFont(scaled_font(base, 2.6, bold=True))
        self.line_label.setFont(scaled_font(base, 1.5))
        self.title_label.setFont(scaled_font(base, 1.25))
        for figure in (self.time_figure, self.exercises_figure, self.reps_figure):
            figure.value_label.setFont(scaled_font(base, 2.4, bold=True))
            figure.caption_label.setFont(scaled_font(base, 1.2))
        for index in range(self._groups.count()):
            item = self._groups.itemAt(index)
            widget = item.widget() if item is not None else None
            if isinstance(widget, QLabel):
                bold = widget.property("heading") is True
                widget.setFont(scaled_font(base, 1.4 if bold else 1.3, bold=bold))
        line = self.fontMetrics().height()
        if self.stop_rule_box is not None:
            self.stop_rule_box.apply_fonts(title_factor=1.8, text_factor=1.4)
            self.stop_rule_box.setMaximumWidth(line * 56)
        self.pain_form.apply_fonts(1.2)
        self.pain_form.setMaximumWidth(line * 56)
        button_font = scaled_font(base, 1.4)
        for button in (self.back_button, self.again_button):
            button.setFont(button_font)
            button.setMinimumHeight(round(line * 3))
            button.setMinimumWidth(line * 14)
        self._layout.setContentsMargins(line * 2, line * 2, line * 2, line * 2)
        self._layout.setSpacing(round(line * 0.6))
        self._groups.setHorizontalSpacing(line * 2)
        self._groups.setVerticalSpacing(round(line * 0.4))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and hasattr(self, "_layout"):
            self._apply_fonts()

    # -- content --------------------------------------------------------------------------

    @property
    def summary(self) -> Summary | None:
        """The summary shown, if any."""
        return self._summary

    def show_summary(self, summary: Summary, safety: Safety) -> None:
        """Show what ``summary`` says; after a stop for pain, the stop rule from ``safety``."""
        self._summary = summary
        headline, line = OUTCOME_WORDS[summary.outcome]
        self.headline_label.setText(headline)
        self.headline_label.setAccessibleName(headline)
        self.line_label.setText(line)
        self.line_label.setAccessibleName(line)
        self.title_label.setText(summary.title)
        self.title_label.setAccessibleName(f"Routine: {summary.title}")

        if self.stop_rule_box is not None:
            self._stop_rule_slot.removeWidget(self.stop_rule_box)
            self.stop_rule_box.hide()  # at once: deleteLater waits for the event loop
            self.stop_rule_box.deleteLater()
            self.stop_rule_box = None
        if summary.outcome is Outcome.STOPPED_FOR_PAIN:
            rule = safety.stop_rule
            self.stop_rule_box = StopRuleBox(rule.title, rule.text)
            self.stop_rule_box.setSizePolicy(
                QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum
            )
            self._stop_rule_slot.insertWidget(1, self.stop_rule_box, 100)
        pain = summary.outcome is Outcome.STOPPED_FOR_PAIN
        self.pain_form.clear()
        self.pain_form.setVisible(pain)
        # After pain the stop rule says rest: going again is not offered.
        self.again_button.setVisible(not pain)
        # After pain, the stop rule and the form take the room of the counts and the list
        # (the history keeps them).
        for widget in (self.time_figure, self.exercises_figure, self._groups_widget):
            widget.setVisible(not pain)
        self._filler.setVisible(pain)

        results = summary.exercises
        done = sum(1 for r in results if r.status is ExerciseStatus.DONE)
        reps_done = sum(r.reps_done for r in results)
        reps_planned = sum(r.reps_planned for r in results)
        self.time_figure.set_value(format_duration(summary.active_ms))
        self.exercises_figure.set_value(f"{done} of {len(results)}")
        self.reps_figure.set_value(f"{reps_done} of {reps_planned}")
        self.reps_figure.setVisible(reps_planned > 0 and not pain)
        self._fill_groups(results)
        self._apply_fonts()
        self.focus_default()

    def _fill_groups(self, results: tuple[ExerciseResult, ...]) -> None:
        while self._groups.count():
            item = self._groups.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        row = 0
        for status, words in STATUS_WORDS.items():
            names = [describe_result(r) for r in results if r.status is status]
            if not names:
                continue
            heading = QLabel(f"{words} ({len(names)})")
            heading.setProperty("heading", True)
            heading.setAccessibleName(f"{words}: {len(names)}")
            heading.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            self._groups.addWidget(heading, row, 0)
            for name in names:
                label = QLabel(name)
                label.setWordWrap(True)
                label.setAccessibleName(f"{words}: {name}")
                self._groups.addWidget(label, row, 1)
                row += 1
            spacer = QLabel()  # a little air between the groups
            self._groups.addWidget(spacer, row, 0)
            row += 1
        self._groups.setColumnStretch(1, 1)

    def group_texts(self, status: ExerciseStatus) -> list[str]:
        """The lines listed under ``status`` (for tests and accessibility checks)."""
        prefix = f"{STATUS_WORDS[status]}: "
        texts = []
        for index in range(self._groups.count()):
            item = self._groups.itemAt(index)
            widget = item.widget() if item is not None else None
            if (
                isinstance(widget, QLabel)
                and widget.accessibleName().startswith(prefix)
                and widget.property("heading") is not True
            ):
                texts.append(widget.text())
        return texts

    def _go_home(self) -> None:
        """Back to routines, keeping what the pain form holds (saved, not lost)."""
        if self.pain_form.isVisible() and self.pain_form.unsaved:
            self.pain_form.save()
        self.home_requested.emit()

    def focus_default(self) -> None:
        """Put the focus on "Back to routines", so Enter goes home."""
        self.back_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        # Enter anywhere on the page that no button took: the default, Back.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.back_button.click()
            return
        super().keyPressEvent(event)
