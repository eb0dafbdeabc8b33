"""A card over a dimmed window: a rounded panel in the window's own colours.

The keyboard help and the session's "Paused" / "End this session?" veil both draw one;
each says how its edge looks.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QWidget


class Card(QWidget):
    """A rounded panel in the window colour, with an edge of ``edge`` at ``edge_width`` px.

    ``roundness`` is the corner radius in lines of the card's font.
    """

    def __init__(
        self,
        parent: QWidget | None = None,
        edge: QPalette.ColorRole = QPalette.ColorRole.Mid,
        edge_width: int = 1,
        roundness: float = 0.6,
    ) -> None:
        super().__init__(parent)
        self._edge = edge
        self._edge_width = edge_width
        self._roundness = roundness

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        painter.setPen(QPen(palette.color(self._edge), self._edge_width))
        painter.setBrush(palette.color(QPalette.ColorRole.Window))
        radius = self.fontMetrics().height() * self._roundness
        inset = self._edge_width / 2
        rect = QRectF(self.rect()).adjusted(inset, inset, -inset, -inset)
        painter.drawRoundedRect(rect, radius, radius)
        painter.end()
