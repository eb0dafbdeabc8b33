"""Fonts relative to the application font, so all text follows the larger-text setting."""

from __future__ import annotations

from PySide6.QtGui import QFont


def scaled_font(base: QFont, factor: float, bold: bool = False) -> QFont:
    """``base`` at ``factor`` times its size (point or pixel sized), optionally bold."""
    font = QFont(base)
    if base.pointSizeF() > 0:
        font.setPointSizeF(base.pointSizeF() * factor)
    elif base.pixelSize() > 0:
        font.setPixelSize(max(1, round(base.pixelSize() * factor)))
    if bold:
        font.setBold(True)
    return font
