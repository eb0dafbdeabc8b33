"""Render an exercise figure to SVG: its keyframes side by side, arrows between them.

The output is deterministic (fixed number formatting, no timestamps), so generating the
illustrations again changes nothing. Every exercise is drawn at the same scale unless it
would not fit its panel, so the figures are comparable across the library.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from backtimer.core.figure import skeleton as sk
from backtimer.core.figure.pose import Pose, eyes_of, joints_of
from backtimer.core.figure.scene import MAT_THICKNESS, ExerciseFigure, Prop, PropKind, View
from backtimer.core.figure.skeleton import Joints, Point

PANEL: Final = 260.0
GAP: Final = 36.0
MARGIN: Final = 12.0
FLOOR_MARGIN: Final = 16.0
BALL_RADIUS: Final = 30.0
CHAIR_SEAT: Final = 46.0
SUPPORT_HEIGHT: Final = 100.0
WALL_HEIGHT: Final = 230.0

NEAR: Final = "#2b6a94"
FAR: Final = "#9dc1d9"
PROP: Final = "#7b8791"
FLOOR: Final = "#aab4bc"
MAT_FILL: Final = "#d6e4ec"
BALL_FILL: Final = "#f1c7a6"
ARROW: Final = "#9aa5ad"
#: Width of the white outline around each segment.
OUTLINE: Final = 3.0

#: Body parts back to front; each part is outlined as a whole, so it has no inner seams.
_PARTS: Final = (
    ("far_thigh", "far_shin", "far_foot"),
    ("far_upper_arm", "far_forearm"),
    ("hips", "lower_back", "upper_back", "shoulders", "neck"),
    ("near_thigh", "near_shin", "near_foot"),
    ("near_upper_arm", "near_forearm"),
)


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


def body_box(joints: Joints) -> Box:
    """The box around a drawn body, stroke widths and head included."""
    xs: list[float] = []
    ys: list[float] = []
    for name, (start, end) in joints.segments().items():
        half = (sk.TORSO_WIDTH if name in sk.TORSO_SEGMENTS else sk.LIMB_WIDTH) / 2
        for x, y in (start, end):
            xs += [x - half, x + half]
            ys += [y - half, y + half]
    hx, hy = joints.head
    xs += [hx - sk.HEAD_RADIUS, hx + sk.HEAD_RADIUS]
    ys += [hy - sk.HEAD_RADIUS, hy + sk.HEAD_RADIUS]
    return Box(min(xs), min(ys), max(xs), max(ys))


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


def content_box(figure: ExerciseFigure) -> Box:
    """The box around every keyframe's body and every prop."""
    bodies = [body_box(joints_of(k.pose, figure.ground)) for k in figure.keyframes]
    box = bodies[0]
    for other in bodies[1:]:
        box = box.union(other)
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


def _head_svg(pose: Pose, joints: Joints, layout: Layout, panel: int, view: View) -> list[str]:
    hx, hy = layout.to_svg(panel, joints.head)
    radius = sk.HEAD_RADIUS * layout.scale
    out = [
        f'<circle cx="{_n(hx)}" cy="{_n(hy)}" r="{_n(radius + OUTLINE * layout.scale / 2)}" '
        f'fill="white"/>',
        f'<circle cx="{_n(hx)}" cy="{_n(hy)}" r="{_n(radius)}" fill="{NEAR}"/>',
    ]
    return out


def _eye_svg(pose: Pose, joints: Joints, layout: Layout, panel: int) -> list[str]:
    out = []
    for eye in eyes_of(pose, joints):
        ex, ey = layout.to_svg(panel, eye)
        radius = 2.2 * layout.scale
        out.append(f'<circle cx="{_n(ex)}" cy="{_n(ey)}" r="{_n(radius)}" fill="white"/>')
    return out


def _body_svg(pose: Pose, joints: Joints, layout: Layout, panel: int, view: View) -> list[str]:
    """Segments back to front, each with a thin white outline so crossing limbs stay apart.

    From the side the head follows the neck (arms may pass in front of it) and the eye
    comes last; from the front the head comes last, so arms raised beside it never hide it.
    """
    out: list[str] = []
    segments = joints.segments()
    for part in _PARTS:
        strokes = []
        for name in part:
            start, end = segments[name]
            a, b = layout.to_svg(panel, start), layout.to_svg(panel, end)
            width = (sk.TORSO_WIDTH if name in sk.TORSO_SEGMENTS else sk.LIMB_WIDTH) * layout.scale
            colour = FAR if name.startswith("far_") and view is View.SIDE else NEAR
            strokes.append((a, b, colour, width))
        out += [_line(a, b, "white", width + OUTLINE * layout.scale) for a, b, _, width in strokes]
        out += [_line(a, b, colour, width) for a, b, colour, width in strokes]
        if "neck" in part and view is View.SIDE:
            out += _head_svg(pose, joints, layout, panel, view)
    if view is View.FRONT:
        out += _head_svg(pose, joints, layout, panel, view)
    # The eyes show which way the face points: keep them visible over an arm in front.
    out += _eye_svg(pose, joints, layout, panel)
    return out


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
        joints = joints_of(keyframe.pose, figure.ground)
        floor_y = layout.to_svg(panel, (0, 0))[1]
        left = panel * (PANEL + GAP)
        parts.append(f'<g id="{keyframe.name}">')
        parts.append(_line((left + 6, floor_y), (left + PANEL - 6, floor_y), FLOOR, 2))
        parts += _props_svg(figure, layout, panel, content_box(figure))
        parts += _body_svg(keyframe.pose, joints, layout, panel, figure.view)
        parts.append("</g>")
        if panel < layout.panels - 1:
            parts.append(_arrow(layout, panel))
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
