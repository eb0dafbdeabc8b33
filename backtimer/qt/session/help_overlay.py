"""The keyboard help: a card of shortcuts over a dimmed window, closed by Esc, F1 or a click.

The overlay is a child of the widget it covers and follows its size. While it is open it
keeps the keyboard focus (Tab does not wander to the widgets underneath) and gives it back
when it closes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import shiboken6
from PySide6.QtCore import QEvent, QObject, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from backtimer.qt.widgets.card import Card
from backtimer.qt.widgets.fonts import scaled_font

#: The veil over the window: black at this opacity, in light and dark themes alike.
VEIL: Final = QColor(0, 0, 0, 170)

#: Keys that close the overlay (besides a click).
CLOSE_KEYS: Final = frozenset({Qt.Key.Key_Escape, Qt.Key.Key_F1})


class _KeyCap(QLabel):
    """A key's name drawn as a key: button colours, a thin rounded border."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.setForegroundRole(QPalette.ColorRole.ButtonText)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
        painter.setBrush(palette.color(QPalette.ColorRole.Button))
        radius = self.fontMetrics().height() * 0.25
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), radius, radius)
        painter.end()
        super().paintEvent(event)


class HelpOverlay(QWidget):
    """The shortcuts, as (keys, action) pairs, on a card over ``parent``.

    Call :meth:`open` to show it; Esc, F1 or a click anywhere closes it and emits
    :attr:`closed`.
    """

    #: The overlay closed.
    closed = Signal()

    def __init__(
        self,
        shortcuts: Sequence[tuple[str, str]],
        parent: QWidget,
        title: str = "Keyboard shortcuts",
    ) -> None:
        super().__init__(parent)
        self._title = title
        self._shortcuts: list[tuple[str, str]] = []
        self._previous_focus: QWidget | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setAccessibleName(title)

        self.card = Card(self)
        self.card.setAccessibleName(title)
        self.heading = QLabel(title)
        self.heading.setAccessibleName(title)
        self.heading.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self._rows = QGridLayout()
        self.hint_label = QLabel("Press Esc or F1, or click anywhere, to close")
        self.hint_label.setAccessibleName("Press Esc or F1, or click anywhere, to close")
        self.hint_label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.hint_label.setWordWrap(True)
        card_layout = QVBoxLayout(self.card)
        card_layout.addWidget(self.heading)
        card_layout.addLayout(self._rows)
        card_layout.addWidget(self.hint_label)
        self._card_layout = card_layout

        self.set_shortcuts(shortcuts)
        parent.installEventFilter(self)
        self.hide()

    # -- content --------------------------------------------------------------------------

    @property
    def shortcuts(self) -> list[tuple[str, str]]:
        """The (keys, action) pairs shown."""
        return list(self._shortcuts)

    def set_shortcuts(self, shortcuts: Sequence[tuple[str, str]]) -> None:
        """Show these (keys, action) pairs, in this order."""
        self._shortcuts = [(keys, action) for keys, action in shortcuts]
        while self._rows.count():
            item = self._rows.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        for row, (keys, action) in enumerate(self._shortcuts):
            cap = _KeyCap(keys)
            cap.setAccessibleName(f"{keys}: {action}")
            label = QLabel(action)
            label.setAccessibleName(f"{keys}: {action}")
            label.setWordWrap(True)
            self._rows.addWidget(cap, row, 0, Qt.AlignmentFlag.AlignRight)
            self._rows.addWidget(label, row, 1)
        self._rows.setColumnStretch(1, 1)
        self.setAccessibleDescription("; ".join(f"{k}: {a}" for k, a in self._shortcuts))
        self._apply_fonts()

    def _apply_fonts(self) -> None:
        base = self.font()
        line = self.fontMetrics().height()
        self.heading.setFont(scaled_font(base, 1.8, bold=True))
        self.hint_label.setFont(scaled_font(base, 1.1))
        keys = scaled_font(base, 1.3, bold=True)
        actions = scaled_font(base, 1.3)
        for index in range(self._rows.count()):
            item = self._rows.itemAt(index)
            widget = item.widget() if item is not None else None
            if isinstance(widget, _KeyCap):
                widget.setFont(keys)
                widget.setContentsMargins(round(line * 0.6), 2, round(line * 0.6), 2)
            elif isinstance(widget, QLabel):
                widget.setFont(actions)
        self._rows.setHorizontalSpacing(line)
        self._rows.setVerticalSpacing(round(line * 0.5))
        pad = line * 2
        self._card_layout.setContentsMargins(pad, round(pad * 0.8), pad, round(pad * 0.8))
        self._card_layout.setSpacing(line)
        self._place_card()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and hasattr(self, "_card_layout"):
            self._apply_fonts()

    # -- showing and closing ---------------------------------------------------------------

    def open(self) -> None:
        """Cover the parent, show the card and take the keyboard focus."""
        parent = self.parentWidget()
        if parent is None:
            return
        if not self.isVisible():
            self._previous_focus = parent.window().focusWidget()
        self.setGeometry(parent.rect())
        self._place_card()
        self.raise_()
        self.show()
        self.setFocus(Qt.FocusReason.PopupFocusReason)

    def dismiss(self) -> None:
        """Close the overlay, give the focus back and emit :attr:`closed`."""
        if not self.isVisible():
            return
        self.hide()
        previous, self._previous_focus = self._previous_focus, None
        if previous is not None and shiboken6.isValid(previous) and previous.isVisible():
            previous.setFocus(Qt.FocusReason.PopupFocusReason)
        self.closed.emit()

    def toggle(self) -> None:
        """Open when closed, close when open (for an F1 action on the window)."""
        if self.isVisible():
            self.dismiss()
        else:
            self.open()

    def _place_card(self) -> None:
        hint = self.card.sizeHint()
        line = self.fontMetrics().height()
        width = min(max(hint.width(), line * 34), max(1, self.width() - 2 * line))
        height = min(self.card.heightForWidth(width), max(1, self.height() - 2 * line))
        if height <= 0:
            height = min(hint.height(), max(1, self.height() - 2 * line))
        self.card.setGeometry(
            (self.width() - width) // 2, (self.height() - height) // 2, width, height
        )

    # -- events ---------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
            parent = self.parentWidget()
            if parent is not None:
                self.setGeometry(parent.rect())
        return super().eventFilter(watched, event)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        self._place_card()

    def event(self, event: QEvent) -> bool:
        # Esc and F1 are ours while the overlay is open, even if the window has actions
        # with those shortcuts (F1 would otherwise reopen it, Esc stop a session).
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() in CLOSE_KEYS
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if event.key() in CLOSE_KEYS:
            self.dismiss()
            return
        super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        self.dismiss()

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: N802 (Qt override)
        return True  # keep the focus here while open

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        painter.fillRect(self.rect(), VEIL)
