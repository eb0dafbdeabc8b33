"""The routine's preview: what a routine holds, shown between the picker and the session.

Choosing a card (a click, Enter or Space) shows this page: the title, the summary, the
planned length (:mod:`backtimer.app.durations`), the equipment it needs and whether the
user has it, then each exercise in order with its figure (the start position, still), its
numbers with the reps the session will use and why (the session factory's one answer),
and its safety line. **Start** (Enter) starts the session; **Back** (Esc) returns to the
picker; **Change reps…** opens the reps dialog where the picker offers it.

Everything above the buttons scrolls, so a long routine fits a small window.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from backtimer.app.durations import length_text
from backtimer.app.picker import describe_numbers, missing_equipment
from backtimer.qt.home.words import describe_equipment, equipment_list, plural
from backtimer.qt.widgets.figure_widget import FigureWidget
from backtimer.qt.widgets.fonts import scaled_font

if TYPE_CHECKING:
    from backtimer.core.figure.scene import ExerciseFigure
    from backtimer.core.history.progression import Decision
    from backtimer.core.routine.kinds import Equipment
    from backtimer.core.routine.model import Exercise, Routine

#: A row's figure, in multiples of the font's line height.
_FIGURE_LINES = 5


def _label(text: str = "", *, wrap: bool = True) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    return label


class ExerciseRow(QFrame):
    """One exercise of the preview: its figure, name, numbers, reps and why, safety line."""

    def __init__(
        self,
        number: int,
        exercise: Exercise,
        decision: Decision | None,
        figure: ExerciseFigure | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.exercise = exercise
        self.figure = FigureWidget()
        self.figure.set_figure(figure, exercise.name)
        self.name_label = _label(f"{number}. {exercise.name}")
        self.numbers_label = _label(describe_numbers(exercise, decision.reps if decision else None))
        self.reason_label = _label(decision.reason if decision is not None else "")
        self.reason_label.setHidden(decision is None)
        self.safety_label = _label(f"Take care: {exercise.safety}" if exercise.safety else "")
        self.safety_label.setHidden(not exercise.safety)
        texts = [self.name_label, self.numbers_label, self.reason_label, self.safety_label]
        spoken = [label.text().rstrip(".") for label in texts if label.text()]
        self.setAccessibleName(". ".join(spoken) + ".")
        words = QVBoxLayout()
        words.setSpacing(2)
        for label in texts:
            words.addWidget(label)
        words.addStretch(1)
        layout = self._layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.figure, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(words, 1)
        self.apply_fonts()

    def apply_fonts(self) -> None:
        """Derive the fonts and the figure's size from the row's (inherited) font."""
        base = self.font()
        self.name_label.setFont(scaled_font(base, 1.3, bold=True))
        self.numbers_label.setFont(scaled_font(base, 1.15))
        italic = scaled_font(base, 1.05)
        italic.setItalic(True)
        self.reason_label.setFont(italic)
        self.safety_label.setFont(scaled_font(base, 1.05))
        side = self.fontMetrics().height() * _FIGURE_LINES
        self.figure.setFixedSize(round(side * 1.3), side)
        self._layout.setSpacing(self.fontMetrics().height())


class PreviewPage(QWidget):
    """A routine's preview with Start, Back and (where offered) Change reps…."""

    #: Start the routine shown (its id).
    start_requested = Signal(str)
    #: Back to the picker (the id of the routine shown, to put the focus back on its card).
    back_requested = Signal(str)
    #: Open the reps of the routine shown (its id).
    reps_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.routine: Routine | None = None
        self.rows: list[ExerciseRow] = []
        self._build()

    def _build(self) -> None:
        self.title_label = _label()
        self.summary_label = _label()
        self.facts_label = _label()
        self.equipment_label = _label()
        self.have_label = _label()
        self.stop_label = _label()
        self.exercises_heading = _label("Exercises")
        self._rows_layout = QVBoxLayout()
        content = QWidget()
        column = QVBoxLayout(content)
        for label in (
            self.title_label,
            self.summary_label,
            self.facts_label,
            self.equipment_label,
            self.have_label,
            self.stop_label,
            self.exercises_heading,
        ):
            column.addWidget(label)
        column.addLayout(self._rows_layout)
        column.addStretch(1)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setWidget(content)
        self.scroll_area.setAccessibleName("The routine's exercises")
        self.scroll_area.setBackgroundRole(QPalette.ColorRole.Window)

        self.start_button = QPushButton("&Start")
        self.start_button.setAccessibleName("Start the routine")
        self.start_button.setToolTip("Start the routine (Enter)")
        self.start_button.setDefault(True)
        self.back_button = QPushButton("Back")
        self.back_button.setAccessibleName("Back to the routines")
        self.back_button.setToolTip("Back to the routines (Esc)")
        self.reps_button = QPushButton("Change &reps…")
        self.reps_button.setAccessibleName("Change the reps")
        self.reps_button.setToolTip("See the reps each exercise uses next time, and pin them")
        for button in (self.start_button, self.back_button, self.reps_button):
            button.setAutoDefault(True)
        self.start_button.clicked.connect(self.start)
        self.back_button.clicked.connect(self.go_back)
        self.reps_button.clicked.connect(self._ask_reps)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.reps_button)
        buttons.addStretch(1)
        buttons.addWidget(self.start_button)

        layout = self._layout = QVBoxLayout(self)
        layout.addWidget(self.scroll_area, 1)
        layout.addLayout(buttons)
        QWidget.setTabOrder(self.start_button, self.back_button)
        QWidget.setTabOrder(self.back_button, self.reps_button)
        QWidget.setTabOrder(self.reps_button, self.scroll_area)
        self._apply_fonts()

    def show_routine(
        self,
        routine: Routine,
        decisions: Mapping[str, Decision],
        length_ms: int,
        figures: Mapping[str, ExerciseFigure],
        *,
        have: Collection[Equipment] | None = None,
        reps_available: bool = False,
        stop_rule: str | None = None,
    ) -> None:
        """Show ``routine`` with the reps ``decisions`` and its planned length.

        ``have`` is what the user said they have (None: they said nothing), to tell them
        whether they have what the routine needs; ``stop_rule`` is the safety text's rule.
        """
        self.routine = routine
        self.title_label.setText(routine.title)
        self.summary_label.setText(routine.summary)
        count = plural(len(routine.exercises), "exercise")
        self.facts_label.setText(f"{length_text(length_ms)} min in all · {count}")
        self.equipment_label.setText(describe_equipment(routine.equipment))
        self.have_label.setText(_have_text(routine, have))
        self.have_label.setHidden(not self.have_label.text())
        self.stop_label.setText(stop_rule or "")
        self.stop_label.setHidden(not stop_rule)
        self._fill_rows(routine, decisions, figures)
        counts = any(exercise.reps is not None for exercise in routine.exercises)
        self.reps_button.setHidden(not (reps_available and counts))
        self.setAccessibleName(f"{routine.title}: preview")
        self.start_button.setAccessibleDescription(f"{routine.title}, {self.facts_label.text()}")
        self.scroll_area.verticalScrollBar().setValue(0)

    def _fill_rows(
        self,
        routine: Routine,
        decisions: Mapping[str, Decision],
        figures: Mapping[str, ExerciseFigure],
    ) -> None:
        for row in self.rows:
            self._rows_layout.removeWidget(row)
            row.hide()
            row.deleteLater()
        self.rows = []
        for number, exercise in enumerate(routine.exercises, start=1):
            row = ExerciseRow(
                number,
                exercise,
                decisions.get(exercise.id),
                figures.get(exercise.illustration_id),
            )
            self._rows_layout.addWidget(row)
            self.rows.append(row)

    def _apply_fonts(self) -> None:
        base = self.font()
        self.title_label.setFont(scaled_font(base, 2.0, bold=True))
        self.summary_label.setFont(scaled_font(base, 1.2))
        self.facts_label.setFont(scaled_font(base, 1.5))
        for label in (self.equipment_label, self.have_label, self.stop_label):
            label.setFont(scaled_font(base, 1.15))
        self.exercises_heading.setFont(scaled_font(base, 1.5, bold=True))
        for button in (self.start_button, self.back_button, self.reps_button):
            button.setFont(scaled_font(base, 1.15))
            button.setMinimumHeight(round(self.fontMetrics().height() * 2.4))
        self.start_button.setMinimumWidth(self.fontMetrics().averageCharWidth() * 16)
        spacing = self.fontMetrics().height()
        self._layout.setContentsMargins(spacing, spacing, spacing, spacing)
        self._rows_layout.setSpacing(spacing)
        for row in self.rows:
            row.apply_fonts()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and hasattr(self, "rows"):
            self._apply_fonts()

    # -- actions --------------------------------------------------------------------------

    def focus_start(self) -> None:
        """Give the keyboard to Start (the page has just been shown)."""
        self.start_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def start(self) -> None:
        """Start the routine shown."""
        if self.routine is not None:
            self.start_requested.emit(self.routine.id)

    def go_back(self) -> None:
        """Back to the picker."""
        if self.routine is not None:
            self.back_requested.emit(self.routine.id)

    def _ask_reps(self) -> None:
        if self.routine is not None:
            self.reps_requested.emit(self.routine.id)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        """Enter starts (unless a button has the keyboard: it takes its own Enter)."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.isAutoRepeat():
            self.start()
            return
        super().keyPressEvent(event)


def _have_text(routine: Routine, have: Collection[Equipment] | None) -> str:
    """Whether the user has what ``routine`` needs, when they said what they have."""
    if have is None or not routine.equipment:
        return ""
    missing = missing_equipment(routine, have)
    if not missing:
        return "You have everything it needs."
    return f"You said you do not have {equipment_list(missing, 'or')}."
