"""The breathing ring: grows on the inhale, stays on the hold, shrinks on the exhale.

The word in the centre ("In", "Hold", "Out") says what to do. Every step that is waited
out rather than breathed (a hold, timed work, get-ready, a rest, a side switch) shows a
progress arc that fills clockwise from the top as the step goes by, over a full track, so
the time left can be seen from across the room. Colours come from the widget's palette,
so the ring follows a light or dark theme: the arc and the ring's edge are the highlight
colour, brought towards the text colour until they stand 3:1 against the window (WCAG
1.4.11, graphics), the track is the text colour faint on the window, and the word is
always readable: its colour is checked against the fill it sits on (4.5:1).

Like the figure, the ring repaints only while it moves: about 30 frames a second on the
inhale and exhale, 10 a second while an arc fills, none while paused or hidden.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from backtimer.core.figure.motion import keyframe_progress
from backtimer.core.plan.timeline import Step, StepKind
from backtimer.qt.widgets.figure_widget import FRAME_MS, StepAnimatedWidget

#: The ring's radius at rest and at the top of a breath, as a share of the room it has.
MIN_FRACTION: Final = 0.45
MAX_FRACTION: Final = 1.0
#: The least contrast between the word and the fill behind it (WCAG AA, normal text).
MIN_CONTRAST: Final = 4.5
#: How much of the highlight colour tints the inside of the ring.
FILL_TINT: Final = 0.22
#: The least contrast between the arc (and the ring's edge) and the window (WCAG graphics).
MIN_GRAPHIC_CONTRAST: Final = 3.0
#: How much of the text colour the arc's track has, over the window.
TRACK_TINT: Final = 0.28
#: Milliseconds between frames while only the arc fills (10 a second is smooth enough).
ARC_FRAME_MS: Final = 100

_WORDS: Final = {StepKind.INHALE: "In", StepKind.HOLD: "Hold", StepKind.EXHALE: "Out"}
_SPOKEN: Final = {
    StepKind.INHALE: "Breathe in",
    StepKind.HOLD: "Hold your breath",
    StepKind.EXHALE: "Breathe out",
}
_BREATHING: Final = frozenset(_WORDS)
#: Steps whose passing time the arc shows (the breath's own steps move the ring instead).
_ARC_STEPS: Final = frozenset(
    {
        StepKind.HOLD,
        StepKind.WORK,
        StepKind.GET_READY,
        StepKind.ANNOUNCE,
        StepKind.REST,
        StepKind.SWITCH_SIDE,
        StepKind.SET_REST,
    }
)


def relative_luminance(colour: QColor) -> float:
    """WCAG relative luminance of an opaque colour."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio between two opaque colours, from 1 to 21."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def blend(over: QColor, under: QColor, amount: float) -> QColor:
    """``over`` laid on ``under`` at opacity ``amount``, as an opaque colour."""
    return QColor.fromRgbF(
        under.redF() + (over.redF() - under.redF()) * amount,
        under.greenF() + (over.greenF() - under.greenF()) * amount,
        under.blueF() + (over.blueF() - under.blueF()) * amount,
    )


def readable_on(background: QColor, preferred: QColor) -> QColor:
    """``preferred`` if it reads on ``background``, else black or white, whichever reads
    better (one of them always reaches 4.5:1)."""
    if contrast_ratio(preferred, background) >= MIN_CONTRAST:
        return preferred
    black, white = QColor("black"), QColor("white")
    return max((black, white), key=lambda c: contrast_ratio(c, background))


def visible_on(background: QColor, preferred: QColor, towards: QColor) -> QColor:
    """``preferred``, brought towards ``towards`` (the text colour) just enough to stand
    :data:`MIN_GRAPHIC_CONTRAST` against ``background``."""
    for step in range(11):
        colour = blend(towards, preferred, step / 10)
        if contrast_ratio(colour, background) >= MIN_GRAPHIC_CONTRAST:
            return colour
    return towards


class BreathingRing(StepAnimatedWidget):
    """A ring paced by the breathing steps, with the word to follow in its centre."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.setAccessibleName("Breathing")
        self.setAccessibleDescription("")

    # -- API ------------------------------------------------------------------------------

    def current_fraction(self) -> float:
        """The ring's radius now, as a share of the largest it gets."""
        step = self.step
        if step is None or step.kind not in _BREATHING:
            return MIN_FRACTION
        progress = keyframe_progress(step, self.elapsed_ms())
        return MIN_FRACTION + (MAX_FRACTION - MIN_FRACTION) * progress

    def word(self) -> str:
        """What the centre says: "In", "Hold", "Out", or nothing."""
        step = self.step
        return _WORDS.get(step.kind, "") if step is not None else ""

    def moves(self, step: Step) -> bool:
        """The ring moves on the inhale and the exhale; the arc fills on the other steps."""
        return step.kind in (StepKind.INHALE, StepKind.EXHALE) or step.kind in _ARC_STEPS

    def progress(self) -> float | None:
        """How much of the step has gone by, 0 to 1, while the arc shows it; else None."""
        step = self.step
        if step is None or step.kind not in _ARC_STEPS or step.duration_ms <= 0:
            return None
        return min(1.0, max(0.0, self.elapsed_ms() / step.duration_ms))

    def arc_colour(self) -> QColor:
        """The arc and the ring's edge: the highlight, visible on the window (3:1)."""
        palette = self.palette()
        return visible_on(
            palette.color(QPalette.ColorRole.Window),
            palette.color(QPalette.ColorRole.Highlight),
            palette.color(QPalette.ColorRole.WindowText),
        )

    def track_colour(self) -> QColor:
        """The full circle the arc fills: the text colour, faint."""
        palette = self.palette()
        return blend(
            palette.color(QPalette.ColorRole.WindowText),
            palette.color(QPalette.ColorRole.Window),
            TRACK_TINT,
        )

    def fill_colour(self) -> QColor:
        """The inside of the ring: the window tinted with the highlight."""
        palette = self.palette()
        return blend(
            palette.color(QPalette.ColorRole.Highlight),
            palette.color(QPalette.ColorRole.Window),
            FILL_TINT,
        )

    def text_colour(self) -> QColor:
        """The word's colour: the theme's text, unless it would not read on the fill."""
        return readable_on(self.fill_colour(), self.palette().color(QPalette.ColorRole.WindowText))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """Room for the ring and its word."""
        return QSize(120, 120)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """A comfortable size."""
        return QSize(200, 200)

    def _step_changed(self) -> None:
        step = self.step
        spoken = _SPOKEN.get(step.kind, "") if step is not None else ""
        self.setAccessibleDescription(spoken)
        arc = step is not None and step.kind in _ARC_STEPS
        self.animation_timer.setInterval(ARC_FRAME_MS if arc else FRAME_MS)

    # -- painting -------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        """Draw the track and the arc, or the guide, the ring at its size and the word."""
        side = min(self.width(), self.height())
        stroke = max(3.0, side * 0.06)
        room = side / 2 - stroke - max(2.0, side * 0.02)
        if room <= 0:
            return
        palette = self.palette()
        edge = self.arc_colour()
        centre = QPointF(self.width() / 2, self.height() / 2)
        breathing = self.step is not None and self.step.kind in _BREATHING
        radius = room * self.current_fraction()
        progress = self.progress()

        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        outer = QRectF(centre.x() - room, centre.y() - room, 2 * room, 2 * room)
        if progress is None:
            # Where a full breath reaches: a thin guide.
            painter.setPen(QPen(self.track_colour(), max(1.0, stroke / 4), Qt.PenStyle.DotLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(centre, room, room)
        else:
            painter.setPen(QPen(self.track_colour(), stroke))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(centre, room, room)
            pen = QPen(edge, stroke)
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            painter.setPen(pen)
            # Qt's angles are in 1/16 degree, counter-clockwise from 3 o'clock.
            painter.drawArc(outer, 90 * 16, -round(progress * 360 * 16))
        if breathing:
            painter.setPen(QPen(edge, stroke / 2))
            painter.setBrush(self.fill_colour())
            inner = radius - (stroke if progress is not None else 0)
            painter.drawEllipse(centre, inner, inner)
        word = self.word()
        if word:
            font = QFont(self.font())
            font.setPixelSize(max(10, round(room * 0.32)))
            font.setBold(True)
            painter.setFont(font)
            painter.setPen(
                self.text_colour() if breathing else palette.color(QPalette.ColorRole.WindowText)
            )
            box = QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius)
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, word)
        painter.end()
