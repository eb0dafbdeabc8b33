"""After a stop for pain: what hurt, where, and a note, all optional, kept with the session.

The form offers the body areas (neck, shoulders, upper back, lower back, hips or legs,
elsewhere) and the kinds of pain (sharp, dull ache, tingling or numbness) as buttons that
stay pressed, large enough to hit without care, and a line for a note. "Save" emits
:attr:`PainForm.saved` with the choices in words ("lower back, hips or legs — sharp") and
the note; the summary page passes it on as ``pain_reported``. Nothing here is required:
someone in pain may leave at once.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from backtimer.qt.widgets.fonts import scaled_font

#: Where it hurt, as offered (several may be chosen).
AREAS: Final = ("Neck", "Shoulders", "Upper back", "Lower back", "Hips or legs", "Elsewhere")
#: What the pain was like (several may be chosen).
KINDS: Final = ("Sharp", "Dull ache", "Tingling or numbness")
#: The longest note kept.
MAX_NOTE: Final = 500


def pain_words(areas: list[str], kinds: list[str]) -> str:
    """The choices in words: ``"lower back, neck — sharp"``; empty when nothing is chosen."""
    where = ", ".join(area.lower() for area in areas)
    what = ", ".join(kind.lower() for kind in kinds)
    return " — ".join(part for part in (where, what) if part)


class PainForm(QWidget):
    """Optional: where it hurt, what kind of pain, a note; "Save" emits :attr:`saved`."""

    #: The choices in words, and the note.
    saved = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("What hurt (optional)")
        self.heading = QLabel("What hurt? (optional, saved with this session)")
        self.heading.setWordWrap(True)
        self.area_buttons = [self._choice(text) for text in AREAS]
        self.kind_buttons = [self._choice(text) for text in KINDS]
        self.note_edit = QLineEdit()
        self.note_edit.setAccessibleName("A note about the pain")
        self.note_edit.setPlaceholderText("A note, if you like: what you were doing, how it felt")
        self.note_edit.setMaxLength(MAX_NOTE)
        self.note_edit.textEdited.connect(self._changed)
        self.save_button = QPushButton("Save")
        self.save_button.setAccessibleName("Save what hurt with this session")
        self.save_button.clicked.connect(self.save)
        self.saved_label = QLabel("")
        self.saved_label.setAccessibleName("Saved")
        self.where_label = QLabel("Where")
        self.kind_label = QLabel("How it felt")

        choices = QGridLayout()
        choices.addWidget(self.where_label, 0, 0)
        for index, button in enumerate(self.area_buttons):
            choices.addWidget(button, index // 3, 1 + index % 3)
        choices.addWidget(self.kind_label, 2, 0)
        for index, button in enumerate(self.kind_buttons):
            choices.addWidget(button, 2, 1 + index)
        for column in (1, 2, 3):
            choices.setColumnStretch(column, 1)
        note = QHBoxLayout()
        note.addWidget(self.note_edit, 1)
        note.addWidget(self.save_button)
        note.addWidget(self.saved_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addLayout(choices)
        layout.addLayout(note)
        self._layout = layout
        self.clear()

    def _choice(self, text: str) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(text)
        button.setCheckable(True)
        # A chosen button is unmistakable in either theme: the highlight, bold.
        button.setStyleSheet(
            "QPushButton:checked { background: palette(highlight);"
            " color: palette(highlighted-text); font-weight: bold;"
            " border: 2px solid palette(window-text); border-radius: 4px; }"
        )
        button.toggled.connect(self._changed)
        return button

    # -- state ----------------------------------------------------------------------------

    def chosen_areas(self) -> list[str]:
        """The areas pressed, in the order offered."""
        return [button.text() for button in self.area_buttons if button.isChecked()]

    def chosen_kinds(self) -> list[str]:
        """The kinds pressed, in the order offered."""
        return [button.text() for button in self.kind_buttons if button.isChecked()]

    def words(self) -> str:
        """The choices in words (see :func:`pain_words`)."""
        return pain_words(self.chosen_areas(), self.chosen_kinds())

    @property
    def unsaved(self) -> bool:
        """Something was chosen or written and not saved yet."""
        return self.save_button.isEnabled()

    def clear(self) -> None:
        """Nothing chosen, nothing saved (a new summary)."""
        for button in (*self.area_buttons, *self.kind_buttons):
            button.setChecked(False)
        self.note_edit.clear()
        self.saved_label.setText("")
        self.save_button.setEnabled(False)

    def save(self) -> None:
        """Emit :attr:`saved` with the choices and the note (if there is anything new)."""
        if not self.unsaved:
            return
        self.saved.emit(self.words(), self.note_edit.text().strip())
        self.save_button.setEnabled(False)
        self.saved_label.setText("Saved")

    def _changed(self, *_args: object) -> None:
        something = bool(self.words() or self.note_edit.text().strip())
        self.save_button.setEnabled(something)
        self.saved_label.setText("")

    def apply_fonts(self, factor: float) -> None:
        """Text at ``factor`` times the application font; buttons tall enough to hit."""
        base = self.font()
        self.heading.setFont(scaled_font(base, factor * 1.1, bold=True))
        text = scaled_font(base, factor)
        line = round(self.fontMetrics().height() * factor * 1.8)
        for widget in (*self.area_buttons, *self.kind_buttons, self.save_button):
            widget.setFont(text)
            widget.setMinimumHeight(line)
        self.note_edit.setFont(text)
        self.note_edit.setMinimumHeight(line)
        for label in (self.saved_label, self.where_label, self.kind_label):
            label.setFont(text)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        """Enter in the note saves it (rather than leaving the page)."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.save()
            event.accept()
            return
        super().keyPressEvent(event)
