"""A routine as a card on the picker: a button that Enter, Space or a click activates.

It shows the routine's title, planned length, category, number of exercises, equipment
and when it was last done, and (when the routine counts reps) a "Reps…" button. Once the
illustrations have loaded, a small still of the first exercise's figure (its start
position) sits beside the length and the facts (:meth:`RoutineCard.set_figure`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QEnterEvent,
    QFocusEvent,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from backtimer.qt.home.words import (
    CATEGORY_WORDS,
    NBSP,
    describe_equipment,
    describe_plan_length,
    plural,
)
from backtimer.qt.widgets.fonts import scaled_font

if TYPE_CHECKING:
    from backtimer.core.figure.scene import ExerciseFigure
    from backtimer.core.routine.model import Routine
    from backtimer.qt.widgets.figure_widget import FigureWidget

#: The card's figure, in lines of the card's font.
_FIGURE_LINES = 4.2


class RoutineCard(QAbstractButton):
    """One routine as a card: a button that Enter, Space or a click activates."""

    #: The card took the keyboard focus (the page scrolls it into view).
    focused = Signal()
    #: The user asked for the routine's reps (the "Reps…" button, or R on the card).
    reps_wanted = Signal()

    def __init__(self, routine: Routine, total_ms: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.routine = routine
        self.total_ms = total_ms
        self._last_done = "never"
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setToolTip(routine.summary)
        self.setAccessibleDescription(routine.summary)

        self.title_label = QLabel(routine.title)
        self.length_label = QLabel(describe_plan_length(total_ms))
        count = plural(len(routine.exercises), "exercise", NBSP)
        self.facts_label = QLabel(f"{CATEGORY_WORDS[routine.category]} · {count}")
        self.equipment_label = QLabel(describe_equipment(routine.equipment))
        self.last_done_label = QLabel()
        #: Opens the reps of the routine's exercises (shown when the routine counts reps).
        self.reps_button = QPushButton("Reps…")
        self.reps_button.setAccessibleName(f"Reps of {routine.title}")
        self.reps_button.setToolTip("See the reps each exercise uses next time, and pin them")
        # Tab and the arrows go from card to card; on a card, R opens its reps.
        self.reps_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.reps_button.clicked.connect(self.reps_wanted)
        #: The still of the first exercise's figure, once the illustrations are there.
        self.figure: FigureWidget | None = None
        layout = self._layout = QVBoxLayout(self)
        layout.setSpacing(4)
        details = QVBoxLayout()
        details.setSpacing(4)
        for label in self._labels:
            label.setWordWrap(True)
            label.setForegroundRole(QPalette.ColorRole.Text)
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        layout.addWidget(self.title_label)
        for label in (self.length_label, self.facts_label, self.equipment_label):
            details.addWidget(label)
        self._middle = QHBoxLayout()
        self._middle.addLayout(details, 1)
        layout.addLayout(self._middle)
        bottom = QHBoxLayout()
        bottom.addWidget(self.last_done_label, 1)
        bottom.addWidget(self.reps_button, 0, Qt.AlignmentFlag.AlignBottom)
        layout.addLayout(bottom)
        layout.insertSpacing(1, 2)
        layout.addStretch(1)
        self.apply_fonts()
        self.set_last_done("never")

    def set_figure(self, figure: ExerciseFigure | None) -> None:
        """Show ``figure`` (the first exercise's) as a small still; None shows none."""
        if figure is None:
            if self.figure is not None:
                self.figure.hide()
            return
        if self.figure is None:
            from backtimer.qt.widgets.figure_widget import FigureWidget

            self.figure = FigureWidget()
            self.figure.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            self.figure.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self._middle.addWidget(self.figure, 0, Qt.AlignmentFlag.AlignTop)
            self._size_figure()
        self.figure.set_figure(figure, self.routine.exercises[0].name)
        self.figure.show()

    def _size_figure(self) -> None:
        if self.figure is not None:
            side = round(self.fontMetrics().height() * _FIGURE_LINES)
            self.figure.setFixedSize(round(side * 1.3), side)

    def set_length(self, total_ms: int) -> None:
        """Show the routine's planned length (:mod:`backtimer.app.durations`)."""
        self.total_ms = total_ms
        self.length_label.setText(describe_plan_length(total_ms))
        self.set_last_done(self._last_done)

    @property
    def _labels(self) -> tuple[QLabel, ...]:
        return (
            self.title_label,
            self.length_label,
            self.facts_label,
            self.equipment_label,
            self.last_done_label,
        )

    def set_reps_available(self, available: bool) -> None:
        """Show the "Reps…" button (and let R open the reps) or not."""
        self.reps_button.setHidden(not available)
        hint = " Press R for the reps of its exercises." if available else ""
        self.setAccessibleDescription(self.routine.summary + hint)

    @property
    def last_done_text(self) -> str:
        """``"never"``, ``"today"``, ``"3 days ago"``…"""
        return self._last_done

    def set_last_done(self, text: str) -> None:
        """Show when the routine was last done, in words."""
        self._last_done = text
        self.last_done_label.setText(f"Last done: {text}")
        routine = self.routine
        self.setAccessibleName(
            f"{routine.title}. {self.length_label.text()}. {self.facts_label.text()}. "
            f"{self.equipment_label.text()}. Last done {text}."
        )

    def apply_fonts(self) -> None:
        """Derive the labels' fonts from the card's (inherited) font."""
        base = self.font()
        self.title_label.setFont(scaled_font(base, 1.8, bold=True))
        self.length_label.setFont(scaled_font(base, 1.6))
        for label in (self.facts_label, self.equipment_label, self.last_done_label):
            label.setFont(scaled_font(base, 1.25))
        self.reps_button.setFont(scaled_font(base, 1.1))
        margin = self.fontMetrics().height()
        self._layout.setContentsMargins(margin, round(margin * 0.8), margin, round(margin * 0.8))
        self._size_figure()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return self._layout.sizeHint()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return self._layout.minimumSize()

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt override)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt override)
        return self._layout.totalHeightForWidth(width)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.isAutoRepeat():
            self.click()
            return
        if (
            event.key() == Qt.Key.Key_R
            and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            and not self.reps_button.isHidden()
        ):
            self.reps_wanted.emit()
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt override)
        super().focusInEvent(event)
        self.focused.emit()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        palette = self.palette()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        radius = self.fontMetrics().height() * 0.5
        if self.isDown() or self.underMouse():
            fill = palette.color(QPalette.ColorRole.AlternateBase)
        else:
            fill = palette.color(QPalette.ColorRole.Base)
        if self.hasFocus():
            pen = QPen(palette.color(QPalette.ColorRole.Highlight), 3)
        else:
            pen = QPen(palette.color(QPalette.ColorRole.Mid), 1)
        inset = pen.widthF() / 2 + 0.5
        painter.setPen(pen)
        painter.setBrush(fill)
        painter.drawRoundedRect(
            QRectF(self.rect()).adjusted(inset, inset, -inset, -inset), radius, radius
        )

    def enterEvent(self, event: QEnterEvent) -> None:  # noqa: N802 (Qt override)
        super().enterEvent(event)
        self.update()

    def leaveEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        super().leaveEvent(event)
        self.update()
