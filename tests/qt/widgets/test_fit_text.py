"""Text that fills its box: as large as fits, never past its cap nor under its floor."""

from __future__ import annotations

from PySide6.QtCore import QRectF
from pytestqt.qtbot import QtBot

from backtimer.qt.widgets.fit_text import FitText


def make(qtbot: QtBot, text: str, size: tuple[int, int], tight: bool = False) -> FitText:
    widget = FitText("Sample", bold=True, tight=tight)
    qtbot.addWidget(widget)
    widget.resize(*size)
    widget.setText(text)
    widget.set_limits(8, 1000)
    return widget


def test_the_text_fits_its_box(qtbot: QtBot) -> None:
    widget = make(qtbot, "Breathe out through your nose, belly in", (600, 80))
    drawn = widget.text_rect()
    assert QRectF(widget.rect()).adjusted(-1, -1, 1, 1).contains(drawn)
    assert widget.fitted_font().pixelSize() > 20
    assert widget.accessibleDescription() == "Breathe out through your nose, belly in"


def test_a_bigger_box_gives_bigger_text(qtbot: QtBot) -> None:
    widget = make(qtbot, "29", (200, 100), tight=True)
    small = widget.fitted_font().pixelSize()
    widget.resize(400, 200)
    assert widget.fitted_font().pixelSize() > small * 1.8
    ink = widget.text_rect()
    assert ink.height() >= 200 * 0.85  # the digits' ink fills the height
    assert QRectF(widget.rect()).adjusted(-1, -1, 1, 1).contains(ink)


def test_longer_text_gets_smaller_and_the_box_stays(qtbot: QtBot) -> None:
    widget = make(qtbot, "Plank", (400, 60))
    short = widget.fitted_font().pixelSize()
    widget.setText("Opposite arm and leg raise with a long name")
    assert widget.fitted_font().pixelSize() < short
    assert widget.size().width() == 400
    assert widget.size().height() == 60


def test_limits_hold(qtbot: QtBot) -> None:
    widget = make(qtbot, "Go on", (2000, 2000))
    widget.set_limits(10, 40)
    assert widget.fitted_font().pixelSize() == 40
    widget.resize(5, 5)
    assert widget.fitted_font().pixelSize() == 10  # never under the floor
