"""The reps dialog: the reps each exercise of a routine uses next time, why, and pins.

``RepsDialog(routine, automatic, pins)`` lists the exercises that count reps. Each row
shows the exercise, its range, the reps it will use and why, an "Automatic" box and a spin
box. With "Automatic" ticked the count follows the history (``automatic``, the
progression's decisions without pins) and the spin box shows it, disabled; unticked, the
spin box (1 to the top of the range) pins the count. After OK, :meth:`RepsDialog.changes`
gives, for every exercise shown, the pinned count or None for automatic.

:func:`open_reps_dialog` opens it without blocking and saves the pins on OK, telling the
user when they could not be saved.

Every control has an accessible name naming its exercise; the tab order runs row by row;
text follows the application font (and so the larger-text setting).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from backtimer.core.history.overrides import PinError, RepsOverrides, counted_exercises
from backtimer.core.history.progression import Decision, pinned_reason, routine_progression
from backtimer.qt.widgets.fonts import scaled_font
from backtimer.qt.widgets.window_size import fit_to_screen

if TYPE_CHECKING:
    from backtimer.core.routine.model import Exercise, Routine

INTRO = (
    "Reps start at the low end of each range and grow by one after two completed "
    "sessions without a pain stop; a pain stop steps back. Untick Automatic to pin a "
    "count: it stays until you tick Automatic again."
)


def _range_text(exercise: Exercise) -> str:
    assert exercise.reps is not None
    low, high = int(exercise.reps.min), int(exercise.reps.max)
    return f"Range {low}–{high}:" if low != high else f"{low} in the routine:"


class _Row:
    """One exercise: its name, range, reason, "Automatic" box and count."""

    def __init__(
        self, exercise: Exercise, automatic: Decision, pinned: int | None, parent: QWidget
    ) -> None:
        assert exercise.reps is not None
        self.exercise = exercise
        self.automatic = automatic
        high = int(exercise.reps.max)
        name = exercise.name
        self.name_label = QLabel(name, parent)
        self.range_label = QLabel(_range_text(exercise), parent)
        self.range_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.reason_label = QLabel(parent)
        self.reason_label.setWordWrap(True)
        self.auto_box = QCheckBox("Automatic", parent)
        self.auto_box.setAccessibleName(f"Automatic reps for {name}")
        self.auto_box.setToolTip("Follow the history: the count grows as you keep at it")
        self.spin = QSpinBox(parent)
        self.spin.setRange(1, high)
        self.spin.setSuffix(" reps")
        self.spin.setAccessibleName(f"Reps for {name}")
        self.spin.setToolTip(f"1 to {high}, the top of the range")
        self.auto_box.setChecked(pinned is None)
        self.spin.setValue(min(pinned, high) if pinned is not None else automatic.reps)
        self.spin.setEnabled(pinned is not None)
        self.auto_box.toggled.connect(self._on_auto)
        self.spin.valueChanged.connect(self._show_reason)
        self._show_reason()

    @property
    def pinned(self) -> int | None:
        """The pinned count, or None when the exercise follows the history."""
        return None if self.auto_box.isChecked() else self.spin.value()

    def set_automatic(self) -> None:
        """Follow the history again."""
        self.auto_box.setChecked(True)

    def _on_auto(self, automatic: bool) -> None:
        if automatic:
            self.spin.setValue(self.automatic.reps)
        self.spin.setEnabled(not automatic)
        self._show_reason()

    def _show_reason(self) -> None:
        pinned = self.pinned
        reason = self.automatic.reason if pinned is None else pinned_reason(pinned)
        self.reason_label.setText(reason)
        font = self.reason_label.font()
        font.setBold(pinned is not None)  # a pin stands out
        self.reason_label.setFont(font)
        self.reason_label.setAccessibleName(f"{self.exercise.name}: {reason}")


class RepsDialog(QDialog):
    """See and pin the reps of a routine's exercises; OK keeps, Cancel drops."""

    def __init__(
        self,
        routine: Routine,
        automatic: Mapping[str, Decision],
        pins: Mapping[str, int],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.routine = routine
        self.setWindowTitle(f"Reps — {routine.title}")
        self.setAccessibleName(f"Reps of {routine.title}")

        self.heading = QLabel(f"Reps of {routine.title}")
        self.intro = QLabel(INTRO)
        self.intro.setWordWrap(True)

        rows_widget = QWidget()
        grid = QGridLayout(rows_widget)
        grid.setColumnStretch(0, 1)
        self.rows: dict[str, _Row] = {}
        self._details: list[QHBoxLayout] = []
        #: The message shown when saving failed (see open_reps_dialog), for tests.
        self.save_error: QMessageBox | None = None
        fallback = routine_progression(routine, [])  # no history: each range's start
        for index, exercise in enumerate(counted_exercises(routine)):
            decision = automatic.get(exercise.id) or fallback[exercise.id]
            row = _Row(exercise, decision, pins.get(exercise.id), rows_widget)
            self.rows[exercise.id] = row
            top = index * 3  # name and controls; range and reason; a gap
            grid.addWidget(row.name_label, top, 0)
            grid.addWidget(row.auto_box, top, 1)
            grid.addWidget(row.spin, top, 2)
            detail = QHBoxLayout()
            self._details.append(detail)
            detail.addWidget(row.range_label)
            detail.addWidget(row.reason_label, 1)
            grid.addLayout(detail, top + 1, 0, 1, 3)
        self._grid = grid
        if not self.rows:
            grid.addWidget(QLabel("This routine has no exercises counted in reps."), 0, 0)
        grid.setRowStretch(grid.rowCount(), 1)

        self._scroll = QScrollArea()
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._scroll.setWidget(rows_widget)
        self._rows_widget = rows_widget

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.all_automatic_button = QPushButton("All &automatic")
        self.all_automatic_button.setAccessibleName("All automatic")
        self.all_automatic_button.setEnabled(bool(self.rows))
        self.buttons.addButton(self.all_automatic_button, QDialogButtonBox.ButtonRole.ResetRole)
        self.all_automatic_button.clicked.connect(self.set_all_automatic)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.intro)
        layout.addWidget(self._scroll, 1)
        layout.addWidget(self.buttons)
        self._apply_fonts()
        first = next(iter(self.rows.values()), None)
        if first is not None:
            first.auto_box.setFocus(Qt.FocusReason.OtherFocusReason)

    def changes(self) -> dict[str, int | None]:
        """Every exercise shown: its pinned count, or None to follow the history."""
        return {exercise_id: row.pinned for exercise_id, row in self.rows.items()}

    def set_all_automatic(self) -> None:
        """Tick "Automatic" everywhere."""
        for row in self.rows.values():
            row.set_automatic()

    def _apply_fonts(self) -> None:
        base = self.font()
        self.heading.setFont(scaled_font(base, 1.5, bold=True))
        self.intro.setFont(scaled_font(base, 1.05))
        for row in self.rows.values():
            row.name_label.setFont(scaled_font(base, 1.2, bold=True))
            for widget in (row.auto_box, row.spin, row.range_label, row.reason_label):
                widget.setFont(scaled_font(base, 1.1))
            row.reason_label.setFont(scaled_font(base, 1.1, bold=row.pinned is not None))
        spacing = self.fontMetrics().height()
        self._grid.setVerticalSpacing(round(spacing * 0.2))
        self._grid.setHorizontalSpacing(spacing)
        for detail in self._details:
            detail.setSpacing(round(spacing * 0.5))
        for index in range(len(self.rows)):
            self._grid.setRowMinimumHeight(index * 3 + 2, round(spacing * 0.5))
        # The rows never go under the scroll bar: the scroll area is as wide as they need.
        scroll_bar = self._scroll.verticalScrollBar().sizeHint().width()
        rows_width = self._rows_widget.minimumSizeHint().width()
        self._scroll.setMinimumWidth(rows_width + scroll_bar + 2)
        width = max(self.fontMetrics().averageCharWidth() * 76, self.minimumSizeHint().width())
        height = min(spacing * (9 + 3 * len(self.rows)), spacing * 40)
        fit_to_screen(self, QSize(max(self.width(), width), max(self.height(), height)))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and hasattr(self, "rows"):
            self._apply_fonts()


def save_changes(
    store: RepsOverrides, routine: Routine, changes: Mapping[str, int | None], parent: QWidget
) -> QMessageBox | None:
    """Save the pins; on failure, tell the user (without blocking) and return the message."""
    try:
        store.set_pins(routine, changes)
    except (PinError, OSError) as error:
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Reps not saved",
            f"The reps of {routine.title} could not be saved: {error}",
            QMessageBox.StandardButton.Ok,
            parent,
        )
        box.setAccessibleName("Reps not saved")
        box.open()
        return box
    return None


def open_reps_dialog(
    parent: QWidget, routine: Routine, automatic: Mapping[str, Decision], store: RepsOverrides
) -> RepsDialog:
    """Show the reps of ``routine`` (not blocking); OK saves the pins to ``store``."""
    dialog = RepsDialog(routine, automatic, store.pins(routine.id), parent)

    def save() -> None:
        dialog.save_error = save_changes(store, routine, dialog.changes(), parent)

    dialog.accepted.connect(save)
    dialog.open()
    return dialog
