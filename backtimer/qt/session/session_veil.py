"""The veil over a paused session, and the question before a session ends.

Paused must be unmistakable from the mat: the session's content is dimmed and a card in
the middle says "Paused" and "Press Space to resume" in large type. Asked to stop (Esc or
the Stop button), the page pauses and the card asks "End this session?" with two answers:
"Keep going (Space)" and "End session (Esc)". The veil covers the content, never the row
of controls, so "Stop, I feel pain" stays visible and clickable in every state.

Why a question rather than an undo: someone two metres away who pressed Esc by accident
would have to reach the keyboard before an undo ran out; a paused question waits for
them, and ending on purpose costs one more key.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from backtimer.qt.widgets.card import Card
from backtimer.qt.widgets.fonts import scaled_font

#: The dimming: black at this opacity (of 255) over the session, in light and dark themes.
DIM_ALPHA: Final = 150


class SessionVeil(QWidget):
    """Dims the session while it is paused; asks before it ends."""

    def __init__(
        self, keep_going: Callable[[], None], end: Callable[[], None], parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setAccessibleName("Paused")
        self.card = Card(self, QPalette.ColorRole.WindowText, edge_width=2, roundness=0.8)
        self.title_label = QLabel()
        self.hint_label = QLabel()
        for label in (self.title_label, self.hint_label):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)
        self.keep_button = QPushButton("Keep going (Space)")
        self.keep_button.setAccessibleName("Keep going")
        self.keep_button.clicked.connect(keep_going)
        self.end_button = QPushButton("End session (Esc)")
        self.end_button.setAccessibleName("End the session")
        self.end_button.clicked.connect(end)
        for button in (self.keep_button, self.end_button):
            # The keys (Space, Enter, Esc) answer; a click leaves the focus where it was.
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        buttons = QHBoxLayout()
        buttons.addWidget(self.keep_button)
        buttons.addWidget(self.end_button)
        layout = QVBoxLayout(self.card)
        layout.addWidget(self.title_label)
        layout.addWidget(self.hint_label)
        layout.addLayout(buttons)
        self._layout = layout
        self._asking = False
        self.hide()

    @property
    def asking(self) -> bool:
        """True while the card asks whether to end the session."""
        return self.isVisible() and self._asking

    def show_paused(self) -> None:
        """Dim the session: "Paused", and how to resume."""
        self._show(False, "Paused", "Press Space to resume")

    def show_question(self) -> None:
        """Ask whether to end the session."""
        self._show(True, "End this session?", "What you did so far is kept.")

    def _show(self, asking: bool, title: str, hint: str) -> None:
        self._asking = asking
        self.title_label.setText(title)
        self.hint_label.setText(hint)
        self.setAccessibleName(title)
        self.setAccessibleDescription(hint)
        self.keep_button.setVisible(asking)
        self.end_button.setVisible(asking)
        self.show()
        self.raise_()
        self.place()

    def place(self) -> None:
        """Size the fonts and the card from the room the veil has."""
        height = max(1, self.height())
        base = self.font()
        title = scaled_font(base, 1.0, bold=True)
        title.setPixelSize(max(24, round(height * 0.11)))
        hint = scaled_font(base, 1.0)
        hint.setPixelSize(max(16, round(height * 0.045)))
        self.title_label.setFont(title)
        self.hint_label.setFont(hint)
        button = scaled_font(base, 1.0)
        button.setPixelSize(max(14, round(height * 0.035)))
        for widget in (self.keep_button, self.end_button):
            widget.setFont(button)
            widget.setMinimumHeight(round(button.pixelSize() * 2.2))
        pad = max(12, round(height * 0.03))
        self._layout.setContentsMargins(pad * 2, pad, pad * 2, pad)
        self._layout.setSpacing(pad // 2)
        hint_size = self.card.sizeHint()
        width = min(max(hint_size.width(), round(self.width() * 0.5)), self.width() - 2 * pad)
        card_height = min(self._layout.totalHeightForWidth(width), self.height() - 2 * pad)
        if card_height <= 0:
            card_height = min(hint_size.height(), self.height() - 2 * pad)
        self.card.setGeometry(
            (self.width() - width) // 2, (self.height() - card_height) // 2, width, card_height
        )

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        """Clicks on the dimmed content do nothing (the controls stay below)."""
        event.accept()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        """Dim what is under the veil."""
        painter = QPainter(self)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(0, 0, 0, DIM_ALPHA))
        painter.drawRect(self.rect())
        painter.end()
