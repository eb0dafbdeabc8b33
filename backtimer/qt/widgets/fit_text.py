"""Text that fills its box: the largest font, up to a cap, at which the text fits.

The session screen is read from a mat two metres away, so its words and its number are
sized from the room they have, not from a fixed point size: :class:`FitText` takes the
largest pixel size between its floor and its cap at which its text fits its rectangle
(wrapped at word boundaries when wrapping is on), and draws it there. Its own geometry
never depends on the text, so a longer name or a new line never moves anything else.

``tight`` fits the ink of the glyphs rather than the font's line box, so digits fill the
box: the big countdown uses it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRectF, QSize, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

_HUGE = 100_000.0


class FitText(QWidget):
    """A line (or a few) of text, as large as its box allows."""

    def __init__(
        self,
        name: str,
        bold: bool = False,
        alignment: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignCenter,
        wrap: bool = True,
        tight: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._text = ""
        self._bold = bold
        self._alignment = alignment
        self._wrap = wrap and not tight
        self._tight = tight
        self._min_px = 10
        self._max_px = 400
        self._fitted: QFont | None = None
        self._fitted_for = QSize()
        self.setAccessibleName(name)
        # Any width; the height its owner fixes (a layout honours a fixed height only when
        # the vertical policy is not Ignored).
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    # -- API ------------------------------------------------------------------------------

    def text(self) -> str:
        """The text shown."""
        return self._text

    def setText(self, text: str) -> None:  # noqa: N802 - QLabel's name, for its callers
        """Show ``text`` (the font is fitted again)."""
        if text == self._text:
            return
        self._text = text
        self.setAccessibleDescription(text)
        self._refit()

    def set_limits(self, min_px: int, max_px: int) -> None:
        """The smallest and largest pixel size the text may take."""
        min_px, max_px = max(1, min_px), max(1, max_px)
        if (min_px, max(min_px, max_px)) != (self._min_px, self._max_px):
            self._min_px, self._max_px = min_px, max(min_px, max_px)
            self._refit()

    def fitted_font(self) -> QFont:
        """The font the text is drawn in: the largest that fits (never below the floor)."""
        if self._fitted is None or self._fitted_for != self.size():
            self._fitted = self._fit()
            self._fitted_for = self.size()
        return self._fitted

    def text_rect(self) -> QRectF:
        """Where the text's ink (tight) or lines (otherwise) are drawn, in widget pixels."""
        font = self.fitted_font()
        if self._tight:
            ink = QFontMetricsF(font).tightBoundingRect(self._text)
            return QRectF(0, 0, ink.width(), ink.height()).translated(
                self._origin(ink).x() + ink.x(), self._origin(ink).y() + ink.y()
            )
        box = QRectF(self.contentsRect())
        return QFontMetricsF(font).boundingRect(box, self._flags(), self._text)

    # -- fitting --------------------------------------------------------------------------

    def _flags(self) -> int:
        flags = int(self._alignment.value)
        if self._wrap:
            flags |= int(Qt.TextFlag.TextWordWrap.value)
        return flags

    def _fits(self, px: int) -> bool:
        font = self._font(px)
        box = QRectF(self.contentsRect())
        metrics = QFontMetricsF(font)
        if self._tight:
            ink = metrics.tightBoundingRect(self._text)
            return ink.width() <= box.width() and ink.height() <= box.height()
        if self._wrap:
            room = QRectF(0, 0, box.width(), _HUGE)
            needed = metrics.boundingRect(room, self._flags(), self._text)
        else:
            needed = metrics.boundingRect(self._text)
            needed.setHeight(metrics.height())
        return needed.width() <= box.width() + 0.5 and needed.height() <= box.height() + 0.5

    def _font(self, px: int) -> QFont:
        font = QFont(self.font())
        font.setPixelSize(px)
        font.setBold(self._bold)
        return font

    def _fit(self) -> QFont:
        low, high = self._min_px, self._max_px
        if not self._text or self._fits(high):
            return self._font(high)
        while low < high:
            middle = (low + high + 1) // 2
            if self._fits(middle):
                low = middle
            else:
                high = middle - 1
        return self._font(low)

    def _refit(self) -> None:
        self._fitted = None
        self.update()

    def _origin(self, ink: QRectF) -> QRectF:
        """Where to put the baseline so that the ink is centred (tight mode)."""
        box = QRectF(self.contentsRect())
        x = box.center().x() - ink.width() / 2 - ink.x()
        if self._alignment & Qt.AlignmentFlag.AlignLeft:
            x = box.left() - ink.x()
        y = box.center().y() - ink.height() / 2 - ink.y()
        return QRectF(x, y, 0, 0)

    # -- Qt -------------------------------------------------------------------------------

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """Nothing: the page gives the text its box."""
        return QSize(0, 0)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """One line at the floor size."""
        metrics = QFontMetricsF(self._font(self._min_px))
        return QSize(round(metrics.horizontalAdvance(self._text)), round(metrics.height()))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        """A new box: fit again."""
        self._refit()
        super().resizeEvent(event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        """A new font: fit again."""
        if event.type() == QEvent.Type.FontChange:
            self._refit()
        super().changeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        """Draw the text in its fitted font, in the palette's text colour."""
        if not self._text:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        font = self.fitted_font()
        painter.setFont(font)
        painter.setPen(self.palette().color(self.foregroundRole()))
        if self._tight:
            ink = QFontMetricsF(font).tightBoundingRect(self._text)
            origin = self._origin(ink)
            painter.drawText(origin.topLeft(), self._text)
        else:
            painter.drawText(QRectF(self.contentsRect()), self._flags(), self._text)
        painter.end()
