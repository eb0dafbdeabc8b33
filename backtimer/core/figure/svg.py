"""Render an exercise figure to SVG: its keyframes side by side, arrows between them.

The output is deterministic (fixed number formatting, no timestamps), so generating the
illustrations again changes nothing. Every exercise is drawn at the same scale unless it
would not fit its panel, so the figures are comparable across the library.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Final

from backtimer.core.figure.draw import LIGHT, Mark, Stroke, figure_marks, loop_marks, marks_extent
from backtimer.core.figure.motion import helper_along, pose_along, sample_times
from backtimer.core.figure.pose import Pose
from backtimer.core.figure.scene import (
    MAT_THICKNESS,
    ExerciseFigure,
    Keyframe,
    Prop,
    PropKind,
    View,
    place,
)
from backtimer.core.figure.skeleton import Point

PANEL: Final = 260.0
GAP: Final = 36.0
MARGIN: Final = 12.0
FLOOR_MARGIN: Final = 16.0
BALL_RADIUS: Final = 30.0
CHAIR_SEAT: Final = 46.0
SUPPORT_HEIGHT: Final = 100.0
WALL_HEIGHT: Final = 230.0

NEAR: Final = LIGHT.near
FAR: Final = LIGHT.far
PROP: Final = LIGHT.prop
FLOOR: Final = LIGHT.floor
MAT_FILL: Final = LIGHT.mat_fill
BALL_FILL: Final = LIGHT.ball_fill
ARROW: Final = LIGHT.arrow


def _n(value: float) -> str:
    """A coordinate: one decimal, no trailing zeros, no negative zero."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


@dataclass(frozen=True, slots=True)
class Box:
    """An axis-aligned box in figure units."""

    left: float
    bottom: float
    right: float
    top: float

    def union(self, other: Box) -> Box:
        """The box around both."""
        return Box(
            min(self.left, other.left),
            min(self.bottom, other.bottom),
            max(self.right, other.right),
            max(self.top, other.top),
        )


def _prop_box(prop: Prop, body: Box, view: View) -> Box:
    if prop.kind is PropKind.MAT:
        return Box(body.left - 8, 0, body.right + 8, MAT_THICKNESS)
    if prop.kind is PropKind.CHAIR:
        return Box(prop.x - 22, 0, prop.x + 22, CHAIR_SEAT + 52)
    if prop.kind is PropKind.SUPPORT:
        return Box(prop.x - 14, 0, prop.x + 4, SUPPORT_HEIGHT)
    if prop.kind is PropKind.BAR:
        half = 70 if view is View.FRONT else 5
        return Box(prop.x - half, prop.y - 5, prop.x + half, prop.y + 18)
    if prop.kind is PropKind.BALL:
        return Box(prop.x - BALL_RADIUS, 0, prop.x + BALL_RADIUS, 2 * BALL_RADIUS)
    return Box(prop.x - 3, 0, prop.x + 3, WALL_HEIGHT)


@dataclass(frozen=True, slots=True)
class Layout:
    """How figure units map to the SVG: a scale and the figure point at panel centre."""

    scale: float
    centre_x: float
    panels: int

    @property
    def width(self) -> float:
        """Width of the whole picture."""
        return self.panels * PANEL + (self.panels - 1) * GAP

    def to_svg(self, panel: int, point: Point) -> Point:
        """Where a figure point lands in the SVG."""
        x = panel * (PANEL + GAP) + PANEL / 2 + (point[0] - self.centre_x) * self.scale
        y = PANEL - FLOOR_MARGIN - point[1] * self.scale
        return x, y


def frame_box(figure: ExerciseFigure, pose: Pose, helper: Pose | None = None) -> Box:
    """The box around one frame's bodies as drawn: the figure, its helper, outlines."""
    return Box(*marks_extent(scene_marks(figure, pose, helper)))


def content_box(figure: ExerciseFigure) -> Box:
    """The box around the whole movement (keyframes and the frames between) and props."""
    times = sample_times(figure)
    box = frame_box(figure, pose_along(figure, 0.0), helper_along(figure, 0.0))
    for t in times[1:]:
        box = box.union(frame_box(figure, pose_along(figure, t), helper_along(figure, t)))
    for prop in figure.props:
        box = box.union(_prop_box(prop, box, figure.view))
    return box.union(Box(box.left, 0, box.right, box.top))


def layout_of(figure: ExerciseFigure) -> Layout:
    """The scale (1, or less when the content would not fit) and centring of a figure."""
    box = content_box(figure)
    room_x = PANEL - 2 * MARGIN
    room_y = PANEL - FLOOR_MARGIN - MARGIN
    scale = min(1.0, room_x / (box.right - box.left), room_y / box.top)
    return Layout(scale, (box.left + box.right) / 2, len(figure.keyframes))


def _line(a: Point, b: Point, colour: str, width: float) -> str:
    return (
        f'<line x1="{_n(a[0])}" y1="{_n(a[1])}" x2="{_n(b[0])}" y2="{_n(b[1])}" '
        f'stroke="{colour}" stroke-width="{_n(width)}" stroke-linecap="round"/>'
    )


def _props_svg(figure: ExerciseFigure, layout: Layout, panel: int, body: Box) -> list[str]:
    out: list[str] = []
    s = layout.scale

    def at(x: float, y: float) -> Point:
        return layout.to_svg(panel, (x, y))

    for prop in figure.props:
        if prop.kind is PropKind.MAT:
            x0, y0 = at(body.left - 8, MAT_THICKNESS)
            x1, y1 = at(body.right + 8, 0)
            out.append(
                f'<rect x="{_n(x0)}" y="{_n(y0)}" width="{_n(x1 - x0)}" height="{_n(y1 - y0)}" '
                f'rx="2" fill="{MAT_FILL}" stroke="{FLOOR}" stroke-width="1"/>'
            )
        elif prop.kind is PropKind.CHAIR:
            seat = CHAIR_SEAT
            out.append(_line(at(prop.x - 20, seat), at(prop.x + 20, seat), PROP, 5 * s))
            out.append(_line(at(prop.x - 20, seat), at(prop.x - 20, seat + 50), PROP, 5 * s))
            out.append(_line(at(prop.x - 18, seat), at(prop.x - 18, 0), PROP, 4 * s))
            out.append(_line(at(prop.x + 18, seat), at(prop.x + 18, 0), PROP, 4 * s))
        elif prop.kind is PropKind.SUPPORT:
            out.append(_line(at(prop.x, 0), at(prop.x, SUPPORT_HEIGHT), PROP, 5 * s))
            out.append(
                _line(at(prop.x - 12, SUPPORT_HEIGHT), at(prop.x + 2, SUPPORT_HEIGHT), PROP, 5 * s)
            )
        elif prop.kind is PropKind.BAR:
            if figure.view is View.FRONT:
                out.append(_line(at(prop.x - 68, prop.y), at(prop.x + 68, prop.y), PROP, 6 * s))
            else:
                out.append(_line(at(prop.x, prop.y), at(prop.x, prop.y + 16), PROP, 3 * s))
                cx, cy = at(prop.x, prop.y)
                out.append(f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="{_n(5 * s)}" fill="{PROP}"/>')
        elif prop.kind is PropKind.BALL:
            cx, cy = at(prop.x, BALL_RADIUS)
            out.append(
                f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="{_n(BALL_RADIUS * s)}" '
                f'fill="{BALL_FILL}" stroke="{PROP}" stroke-width="1.5"/>'
            )
        else:
            out.append(_line(at(prop.x, 0), at(prop.x, WALL_HEIGHT), FLOOR, 6 * s))
    return out


def _marks_svg(marks: list[Mark], layout: Layout, panel: int) -> list[str]:
    """The figure's marks (:mod:`backtimer.core.figure.draw`) in the light colours."""
    out: list[str] = []
    s = layout.scale
    for mark in marks:
        colour = LIGHT.ink(mark.ink)
        if isinstance(mark, Stroke):
            a, b = layout.to_svg(panel, mark.a), layout.to_svg(panel, mark.b)
            out.append(_line(a, b, colour, mark.width * s))
        else:
            cx, cy = layout.to_svg(panel, mark.centre)
            out.append(
                f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="{_n(mark.radius * s)}" fill="{colour}"/>'
            )
    return out


def scene_marks(figure: ExerciseFigure, pose: Pose, helper: Pose | None) -> list[Mark]:
    """The helper (if any) behind, then the figure."""
    joints, helper_joints = place(figure, pose, helper)
    side = figure.view is View.SIDE
    marks: list[Mark] = []
    if helper is not None and helper_joints is not None:
        marks += figure_marks(helper, helper_joints, side, helper=True)
    marks += figure_marks(pose, joints, side, head_touch=figure.head_touch)
    points = joints.points()
    for loop in figure.loops:
        # Mirrored with the figure: facing left turns the other way.
        counter = (not loop.clockwise) == (pose.facing > 0)
        marks += loop_marks(points[loop.joint], loop.radius, counter)
    return marks


def _arrow(layout: Layout, panel: int) -> str:
    x = (panel + 1) * PANEL + panel * GAP + GAP / 2
    y = PANEL / 2
    return (
        f'<path d="M{_n(x - 9)} {_n(y)} H{_n(x + 7)} M{_n(x + 1)} {_n(y - 6)} '
        f'L{_n(x + 8)} {_n(y)} L{_n(x + 1)} {_n(y + 6)}" fill="none" stroke="{ARROW}" '
        f'stroke-width="3" stroke-linecap="round" stroke-linejoin="round"/>'
    )


def render_svg(figure: ExerciseFigure) -> str:
    """The SVG text of an exercise's illustration."""
    layout = layout_of(figure)
    width = layout.width
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_n(width)}" height="{_n(PANEL)}" '
        f'viewBox="0 0 {_n(width)} {_n(PANEL)}">',
        f"<title>{figure.id}</title>",
    ]
    for panel, keyframe in enumerate(figure.keyframes):
        floor_y = layout.to_svg(panel, (0, 0))[1]
        left = panel * (PANEL + GAP)
        parts.append(f'<g id="{keyframe.name}">')
        parts.append(_line((left + 6, floor_y), (left + PANEL - 6, floor_y), FLOOR, 2))
        parts += _props_svg(figure, layout, panel, content_box(figure))
        parts += _marks_svg(scene_marks(figure, keyframe.pose, keyframe.helper), layout, panel)
        parts.append("</g>")
        if panel < layout.panels - 1:
            parts.append(_arrow(layout, panel))
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def frames_figure(
    figure: ExerciseFigure, times: tuple[float, ...] = (0.0, 0.5, 1.0)
) -> ExerciseFigure:
    """``figure`` as it moves: the frames at ``times`` along its keyframes (start, halfway,
    end by default), as keyframes of their own, to draw side by side."""
    names = {0.0: "start", 0.5: "halfway", 1.0: "end"}
    frames = tuple(
        Keyframe(names.get(t, f"at {t:g}"), pose_along(figure, t), helper_along(figure, t))
        for t in times
    )
    return replace(figure, keyframes=frames)
