"""The animated exercise figure: the illustration's keyframes, drawn live with QPainter.

:class:`FigureWidget` draws an :class:`~backtimer.core.figure.figures.ExerciseFigure` with
the same marks as the generated SVGs (:mod:`backtimer.core.figure.draw`): the floor line,
the props, a helper figure if the exercise has one, then the body back to front, each
part outlined in the window's colour so crossing limbs stay apart, the head with its
face, and any movement cue. The colours follow the theme (:func:`figure_colours`): a
light figure on a dark window, every body line at 3:1 contrast or more. The pose comes
from the step in progress (:func:`~backtimer.core.figure.motion.pose_for`), read from the
clock at paint time.

CPU matters: one coarse timer repaints at about 30 frames a second, and only while the
figure moves (inhale, exhale, timed work), the session runs and the widget is shown. A
hold, a rest, a pause or an idle window costs no repaints at all.
"""

from __future__ import annotations

import math
from typing import Final

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QHideEvent, QPainter, QPaintEvent, QPalette, QPen, QShowEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from backtimer.core.clock import MonotonicClock
from backtimer.core.figure import svg
from backtimer.core.figure.draw import DARK, LIGHT, Colours, Mark, Stroke
from backtimer.core.figure.motion import (
    helper_along,
    helper_for,
    is_moving,
    pose_along,
    pose_for,
)
from backtimer.core.figure.pose import Pose
from backtimer.core.figure.scene import MAT_THICKNESS, ExerciseFigure, Prop, PropKind, View
from backtimer.core.figure.skeleton import Point
from backtimer.core.figure.svg import Box
from backtimer.core.plan.timeline import Side, Step
from backtimer.qt.widgets.theme import palette_is_dark

#: Milliseconds between frames while something moves (about 30 frames a second).
FRAME_MS: Final = 33

#: How far the mat reaches past the content box, in figure units (as in the SVGs).
_MAT_OVERHANG: Final = 8.0


class StepAnimatedWidget(QWidget):
    """A widget that follows the session's steps and animates only while something moves.

    Subclasses say what moves (:meth:`moves`) and paint from :meth:`elapsed_ms`. Pausing
    (``set_running(False)``) freezes the picture where it is; resuming carries on from
    there, as the scheduler does.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._step: Step | None = None
        self._started_ms = 0.0
        self._clock: MonotonicClock | None = None
        self._running = True
        self._paused_at: float | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(FRAME_MS)
        self._timer.setTimerType(Qt.TimerType.CoarseTimer)
        self._timer.timeout.connect(self._tick)

    # -- API ------------------------------------------------------------------------------

    def show_step(self, step: Step, started_ms: float, clock: MonotonicClock) -> None:
        """Follow ``step``, which began at ``started_ms`` on ``clock``."""
        self._step = step
        self._started_ms = started_ms
        self._clock = clock
        self._paused_at = None if self._running else clock.monotonic_ms()
        self._step_changed()
        self._sync_timer()
        self.update()

    def clear_step(self) -> None:
        """Follow no step: show the still start picture."""
        self._step = None
        self._paused_at = None
        self._step_changed()
        self._sync_timer()
        self.update()

    def set_running(self, running: bool) -> None:
        """Run or pause the animation; a paused picture stays where it was."""
        if running == self._running:
            return
        self._running = running
        if self._clock is not None:
            now = self._clock.monotonic_ms()
            if running:
                if self._paused_at is not None:
                    self._started_ms += now - self._paused_at
                self._paused_at = None
            else:
                self._paused_at = now
        self._sync_timer()
        self.update()

    @property
    def step(self) -> Step | None:
        """The step followed, if any."""
        return self._step

    @property
    def running(self) -> bool:
        """False while paused."""
        return self._running

    @property
    def animation_timer(self) -> QTimer:
        """The one frame timer (exposed for tests)."""
        return self._timer

    def is_animating(self) -> bool:
        """True while the frame timer runs."""
        return self._timer.isActive()

    def elapsed_ms(self) -> float:
        """How far into its step the picture is (frozen while paused)."""
        if self._clock is None or self._step is None:
            return 0.0
        now = self._paused_at if self._paused_at is not None else self._clock.monotonic_ms()
        return now - self._started_ms

    # -- for subclasses -------------------------------------------------------------------

    def moves(self, step: Step) -> bool:
        """Whether the picture changes during ``step``."""
        return is_moving(step)

    def can_animate(self) -> bool:
        """Whether there is anything to animate at all."""
        return True

    def _step_changed(self) -> None:
        """The step followed changed (or was cleared)."""

    def _sync_timer(self) -> None:
        """Run the frame timer exactly while the picture moves and can be seen."""
        step = self._step
        wanted = (
            step is not None
            and self._running
            and self._clock is not None
            and self.isVisible()
            and self.can_animate()
            and self.moves(step)
            and self.elapsed_ms() < step.duration_ms
        )
        if wanted and not self._timer.isActive():
            self._timer.start()
        elif not wanted and self._timer.isActive():
            self._timer.stop()

    def _tick(self) -> None:
        self.update()
        step = self._step
        if step is None or self.elapsed_ms() >= step.duration_ms:
            # The movement is over; the last frame above shows where it ended.
            self._sync_timer()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        """Animate again once shown."""
        super().showEvent(event)
        self._sync_timer()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 (Qt override)
        """A hidden picture needs no frames."""
        super().hideEvent(event)
        self._sync_timer()


def humanise(figure_id: str) -> str:
    """``"cat-stretch-on-toes"`` → ``"cat stretch on toes"``."""
    return figure_id.replace("-", " ").replace("_", " ")


def _mirrored_box(box: Box) -> Box:
    return Box(-box.right, box.bottom, -box.left, box.top)


def _q(point: Point) -> QPointF:
    return QPointF(point[0], point[1])


class FigureWidget(StepAnimatedWidget):
    """An exercise's figure, posed for the step in progress and scaled to fit."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._figure: ExerciseFigure | None = None
        self._box: Box | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("Exercise illustration")
        self.setAccessibleDescription("")

    # -- API ------------------------------------------------------------------------------

    def set_figure(self, figure: ExerciseFigure | None, name: str | None = None) -> None:
        """Draw ``figure`` (``None``: draw nothing); ``name`` is the exercise's name."""
        self._figure = figure
        self._box = svg.content_box(figure) if figure is not None else None
        if figure is None:
            self.setAccessibleName("Exercise illustration")
            self.setAccessibleDescription("No illustration")
        else:
            label = name or humanise(figure.id)
            self.setAccessibleName(f"Illustration of {label}")
            positions = " to ".join(k.name for k in figure.keyframes)
            self.setAccessibleDescription(f"A figure showing {label}: {positions}")
        self._sync_timer()
        self.update()

    @property
    def figure(self) -> ExerciseFigure | None:
        """The figure drawn, if any."""
        return self._figure

    def current_pose(self) -> Pose | None:
        """The pose drawn now (the start position when no step is followed)."""
        figure = self._figure
        if figure is None:
            return None
        if self._step is None:
            return pose_along(figure, 0.0)
        return pose_for(figure, self._step, self.elapsed_ms())

    def current_helper(self) -> Pose | None:
        """The helper's pose drawn now, if the figure has a helper."""
        figure = self._figure
        if figure is None:
            return None
        if self._step is None:
            return helper_along(figure, 0.0)
        return helper_for(figure, self._step, self.elapsed_ms())

    def mirrored(self) -> bool:
        """True when the picture is flipped for the left side."""
        return self._step is not None and self._step.side is Side.LEFT

    def can_animate(self) -> bool:
        """A figure with a single keyframe never moves."""
        return self._figure is not None and len(self._figure.keyframes) > 1

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """Big enough to read the pose."""
        return QSize(240, 240)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """A comfortable size."""
        return QSize(360, 320)

    # -- painting -------------------------------------------------------------------------

    def _fit_box(self) -> Box | None:
        """The figure-unit box to fit: every keyframe and prop, and the mat's overhang."""
        figure, box = self._figure, self._box
        if figure is None or box is None:
            return None
        if any(p.kind is PropKind.MAT for p in figure.props):
            box = Box(box.left - _MAT_OVERHANG, box.bottom, box.right + _MAT_OVERHANG, box.top)
        return _mirrored_box(box) if self.mirrored() else box

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        """Draw the floor, the props and the posed body."""
        figure, pose, box = self._figure, self.current_pose(), self._fit_box()
        if figure is None or pose is None or box is None or self._box is None:
            return
        width, height = self.width(), self.height()
        # Pixels per pixel of a 260-wide SVG panel: fixed-width lines scale with it.
        unit = min(width, height) / svg.PANEL
        margin = max(6.0, svg.MARGIN * unit)
        room_x, room_y = width - 2 * margin, height - 2 * margin
        box_w, box_h = box.right - box.left, box.top - box.bottom
        if room_x <= 0 or room_y <= 0 or box_w <= 0 or box_h <= 0:
            return
        scale = min(room_x / box_w, room_y / box_h)
        centre_x, centre_y = (box.left + box.right) / 2, (box.bottom + box.top) / 2

        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        outline = self.palette().color(QPalette.ColorRole.Window)
        colours = figure_colours(self.palette())

        # The floor, across the widget, in pixels (2 SVG pixels thick).
        floor_y = height / 2 + centre_y * scale
        floor_pen = QPen(QColor(colours.floor), 2 * unit)
        floor_pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        painter.setPen(floor_pen)
        painter.drawLine(QPointF(6 * unit, floor_y), QPointF(width - 6 * unit, floor_y))

        # Everything else in figure units: y up, the box centred.
        painter.translate(width / 2, height / 2)
        painter.scale(scale, -scale)
        painter.translate(-centre_x, -centre_y)
        content = _mirrored_box(self._box) if self.mirrored() else self._box
        flip = -1.0 if self.mirrored() else 1.0
        for prop in figure.props:
            _draw_prop(painter, prop, content, figure.view, flip, 1.0 / scale * unit, colours)
        marks = svg.scene_marks(figure, pose, self.current_helper())
        _draw_marks(painter, marks, colours, outline)
        painter.end()


def _line(painter: QPainter, a: Point, b: Point, colour: QColor | str, width: float) -> None:
    """A round-capped stroke; a zero-length one is a dot, as in the SVGs."""
    if math.dist(a, b) < 1e-6:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(colour))
        painter.drawEllipse(_q(a), width / 2, width / 2)
        return
    pen = QPen(QColor(colour), width)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    painter.drawLine(_q(a), _q(b))


def _circle(painter: QPainter, centre: Point, radius: float, fill: QColor | str) -> None:
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(fill))
    painter.drawEllipse(_q(centre), radius, radius)


def _draw_prop(
    painter: QPainter,
    prop: Prop,
    content: Box,
    view: View,
    flip: float,
    pixel: float,
    colours: Colours,
) -> None:
    """One prop, as :func:`backtimer.core.figure.svg._props_svg` draws it.

    ``flip`` is -1 on the mirrored (left) side: the prop moves and turns with the figure.
    ``pixel`` is one SVG pixel in figure units, for the thin fixed-width strokes.
    """
    x0 = prop.x * flip

    def at(dx: float, y: float) -> Point:
        return (x0 + dx * flip, y)

    if prop.kind is PropKind.MAT:
        rect = QRectF(
            content.left - _MAT_OVERHANG,
            0.0,
            content.right - content.left + 2 * _MAT_OVERHANG,
            MAT_THICKNESS,
        )
        painter.setPen(QPen(QColor(colours.floor), pixel))
        painter.setBrush(QColor(colours.mat_fill))
        painter.drawRoundedRect(rect, 2 * pixel, 2 * pixel)
    elif prop.kind is PropKind.CHAIR:
        seat = svg.CHAIR_SEAT
        _line(painter, at(-20, seat), at(20, seat), colours.prop, 5)
        _line(painter, at(-20, seat), at(-20, seat + 50), colours.prop, 5)
        _line(painter, at(-18, seat), at(-18, 0), colours.prop, 4)
        _line(painter, at(18, seat), at(18, 0), colours.prop, 4)
    elif prop.kind is PropKind.SUPPORT:
        top = svg.SUPPORT_HEIGHT
        _line(painter, at(0, 0), at(0, top), colours.prop, 5)
        _line(painter, at(-12, top), at(2, top), colours.prop, 5)
    elif prop.kind is PropKind.BAR:
        if view is View.FRONT:
            _line(painter, at(-68, prop.y), at(68, prop.y), colours.prop, 6)
        else:
            _line(painter, at(0, prop.y), at(0, prop.y + 16), colours.prop, 3)
            _circle(painter, at(0, prop.y), 5, colours.prop)
    elif prop.kind is PropKind.BALL:
        painter.setPen(QPen(QColor(colours.prop), 1.5 * pixel))
        painter.setBrush(QColor(colours.ball_fill))
        radius = svg.BALL_RADIUS
        painter.drawEllipse(_q(at(0, radius)), radius, radius)
    else:
        _line(painter, at(0, 0), at(0, svg.WALL_HEIGHT), colours.floor, 6)


def figure_colours(palette: QPalette) -> Colours:
    """The figure's colour set for ``palette``: the dark set on a dark window, else light."""
    return DARK if palette_is_dark(palette) else LIGHT


def _draw_marks(painter: QPainter, marks: list[Mark], colours: Colours, outline: QColor) -> None:
    """The figure's marks, in the theme's colours; the outline (and eyes) in the window's."""
    background = outline.name()
    for mark in marks:
        colour = colours.ink(mark.ink, background)
        if isinstance(mark, Stroke):
            _line(painter, mark.a, mark.b, colour, mark.width)
        else:
            _circle(painter, mark.centre, mark.radius, colour)
