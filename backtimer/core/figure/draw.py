"""What a posed figure is drawn with: round strokes and dots in named inks, back to front.

The SVG stills (:mod:`backtimer.core.figure.svg`) and the animated widget draw the same
marks; each maps the inks to its own colours (the widget to the theme's).

Each body part is outlined as a whole in the background colour, so crossing limbs stay
apart and parts have no inner seams. The main figure's far limbs are drawn behind it in a
lighter ink from the side; a helper (a second person, such as the adult holding a child's
legs) is drawn first, behind, in its own inks.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from backtimer.core.figure import skeleton as sk
from backtimer.core.figure.pose import NOSE_RADIUS, Pose, eyes_of, nose_of, swellings_of
from backtimer.core.figure.skeleton import Joints, Point, distance_to_segment, step_from

__all__ = [
    "DARK",
    "EYE_RADIUS",
    "LIGHT",
    "OUTLINE",
    "Colours",
    "Dot",
    "Ink",
    "Mark",
    "Stroke",
    "figure_marks",
]

#: Width of the background-coloured outline around each part.
OUTLINE: Final = 3.0
#: Radius of an eye.
EYE_RADIUS: Final = 2.2

#: Body parts back to front; each part is outlined as a whole, so it has no inner seams.
_PARTS: Final = (
    ("far_thigh", "far_shin", "far_foot"),
    ("far_upper_arm", "far_forearm"),
    ("hips", "lower_back", "upper_back", "shoulders", "neck"),
    ("near_thigh", "near_shin", "near_foot"),
    ("near_upper_arm", "near_forearm"),
)


class Ink(StrEnum):
    """The colours a figure is drawn in."""

    #: The background: outlines around parts, and the eyes.
    OUTLINE = "outline"
    NEAR = "near"
    FAR = "far"
    HELPER = "helper"
    HELPER_FAR = "helper_far"
    #: Movement cues: the arrow of an isometric push, a circling arrow.
    CUE = "cue"


@dataclass(frozen=True, slots=True)
class Colours:
    """A colour set (``#rrggbb``) for the figure, its props and the scene.

    The body inks keep at least 3:1 contrast with the background they are made for (WCAG
    non-text contrast); the Qt tests check it against the themes' window colours.
    """

    near: str
    far: str
    helper: str
    helper_far: str
    cue: str
    #: The background the set is made for; outlines and eyes take the actual background.
    background: str
    prop: str
    floor: str
    mat_fill: str
    ball_fill: str
    arrow: str

    def ink(self, ink: Ink, background: str | None = None) -> str:
        """The colour of ``ink``; the outline is ``background`` (default: the set's)."""
        if ink is Ink.OUTLINE:
            return background or self.background
        return {
            Ink.NEAR: self.near,
            Ink.FAR: self.far,
            Ink.HELPER: self.helper,
            Ink.HELPER_FAR: self.helper_far,
            Ink.CUE: self.cue,
        }[ink]


#: For light backgrounds (and the SVG stills, on white).
LIGHT: Final = Colours(
    near="#2b6a94",
    far="#5b87ab",
    helper="#a0522d",
    helper_far="#b5703e",
    cue="#b3261e",
    background="#ffffff",
    prop="#7b8791",
    floor="#aab4bc",
    mat_fill="#d6e4ec",
    ball_fill="#f1c7a6",
    arrow="#9aa5ad",
)
#: For dark backgrounds: light body on charcoal, dim props.
DARK: Final = Colours(
    near="#9ccaf0",
    far="#5f8db3",
    helper="#f0a868",
    helper_far="#b87a4a",
    cue="#f28b82",
    background="#1f2023",
    prop="#8d98a1",
    floor="#5c656d",
    mat_fill="#2e3a44",
    ball_fill="#7a5a44",
    arrow="#7d8890",
)


@dataclass(frozen=True, slots=True)
class Stroke:
    """A round-capped line from ``a`` to ``b`` (a dot when they meet)."""

    a: Point
    b: Point
    ink: Ink
    width: float


@dataclass(frozen=True, slots=True)
class Dot:
    """A filled circle."""

    centre: Point
    radius: float
    ink: Ink


Mark = Stroke | Dot


def _width(name: str) -> float:
    return sk.TORSO_WIDTH if name in sk.TORSO_SEGMENTS else sk.LIMB_WIDTH


def _head(pose: Pose, joints: Joints, ink: Ink) -> list[Mark]:
    """The head, and the nose on its outline when the face is in profile."""
    nose = nose_of(pose, joints)
    pad = OUTLINE / 2
    out: list[Mark] = [Dot(joints.head, sk.HEAD_RADIUS + pad, Ink.OUTLINE)]
    if nose is not None:
        out.append(Dot(nose, NOSE_RADIUS + pad, Ink.OUTLINE))
    out.append(Dot(joints.head, sk.HEAD_RADIUS, ink))
    if nose is not None:
        out.append(Dot(nose, NOSE_RADIUS, ink))
    return out


#: The push arrow: how far from the head's edge it starts, how long it is, its width.
_PUSH_GAP = 8.0
_PUSH_LENGTH = 16.0
_PUSH_WIDTH = 3.5


def push_marks(pose: Pose, joints: Joints) -> list[Mark]:
    """An arrow pointing the way the head pushes, if it pushes: on the side it pushes
    away from (the hands it pushes into are on the other), its tip at the head."""
    if pose.push is None:
        return []
    tip = step_from(joints.head, pose.push + 180, sk.HEAD_RADIUS + _PUSH_GAP)
    start = step_from(tip, pose.push + 180, _PUSH_LENGTH)
    return [
        Stroke(start, tip, Ink.CUE, _PUSH_WIDTH),
        Stroke(tip, step_from(tip, pose.push + 145, 7.0), Ink.CUE, _PUSH_WIDTH),
        Stroke(tip, step_from(tip, pose.push - 145, 7.0), Ink.CUE, _PUSH_WIDTH),
    ]


#: A circling arrow: how much of the circle it covers, in how many strokes, its width.
_LOOP_SWEEP = 290.0
_LOOP_STEPS = 14
_LOOP_WIDTH = 2.5


def loop_marks(centre: Point, radius: float, counter_clockwise: bool) -> list[Mark]:
    """A circling arrow round ``centre``: an arc most of the way round, and its head."""
    sign = 1.0 if counter_clockwise else -1.0
    start = 200.0
    points = [
        step_from(centre, start + sign * _LOOP_SWEEP * i / _LOOP_STEPS, radius)
        for i in range(_LOOP_STEPS + 1)
    ]
    out: list[Mark] = [Stroke(a, b, Ink.CUE, _LOOP_WIDTH) for a, b in itertools.pairwise(points)]
    tip = points[-1]
    heading = start + sign * (_LOOP_SWEEP + 90.0)
    out += [
        Stroke(tip, step_from(tip, heading + 150, 6.0), Ink.CUE, _LOOP_WIDTH),
        Stroke(tip, step_from(tip, heading - 150, 6.0), Ink.CUE, _LOOP_WIDTH),
    ]
    return out


def _hand_behind_head(pose: Pose, joints: Joints) -> bool:
    """From the side: the near hand is on the back of the head (hands behind the head)."""
    face = math.radians(pose.neck - 90.0 * pose.facing)
    hx, hy = joints.near_hand[0] - joints.head[0], joints.near_hand[1] - joints.head[1]
    ahead = hx * math.cos(face) + hy * math.sin(face)
    return math.hypot(hx, hy) < sk.HEAD_RADIUS + sk.LIMB_WIDTH and ahead < 0


#: From the side, a near upper arm within this many degrees of the neck's direction is
#: raised past the ear.
_PAST_THE_EAR = 60.0


def arms_behind_head(
    pose: Pose, joints: Joints, side_view: bool, head_touch: frozenset[str] = frozenset()
) -> frozenset[str]:
    """The arms drawn behind the head, so they never cover the face.

    From the front the head is drawn over both arms. From the side the far arm is always
    behind; the near arm goes behind when its hand rests on the back of the head (in
    ``head_touch``) or when it is raised past the ear (its upper arm points along the
    neck and would cross the head), as an arm circling overhead does.
    """
    if not side_view:
        return frozenset({"near_arm", "far_arm"})
    if "near_arm" in head_touch:
        behind = _hand_behind_head(pose, joints)
    else:
        ux = joints.near_elbow[0] - joints.near_shoulder[0]
        uy = joints.near_elbow[1] - joints.near_shoulder[1]
        toward = math.degrees(math.atan2(uy, ux)) - pose.neck
        along_neck = abs((toward + 180.0) % 360.0 - 180.0) < _PAST_THE_EAR
        crosses = (
            distance_to_segment(joints.head, joints.near_shoulder, joints.near_elbow)
            < sk.HEAD_RADIUS
        )
        behind = along_neck and crosses
    return frozenset({"near_arm", "far_arm"} if behind else {"far_arm"})


def figure_marks(
    pose: Pose,
    joints: Joints,
    side_view: bool,
    helper: bool = False,
    head_touch: frozenset[str] = frozenset(),
) -> list[Mark]:
    """The marks of one posed person, back to front.

    From the side the head follows the torso (a hand may rest on it in front) and far
    limbs are light; a near arm goes behind the head when :func:`arms_behind_head` says
    so. From the front the head comes last, so arms raised beside it never hide it. The
    eyes come last of all, then a push arrow. ``helper`` draws the second person's inks.
    """
    near, far = (Ink.HELPER, Ink.HELPER_FAR) if helper else (Ink.NEAR, Ink.FAR)
    segments = joints.segments()
    out: list[Mark] = []
    parts = list(_PARTS)
    if side_view and "near_arm" in arms_behind_head(pose, joints, side_view, head_touch):
        parts.insert(2, parts.pop())
    for part in parts:
        strokes = [
            Stroke(
                *segments[name],
                far if name.startswith("far_") and side_view else near,
                _width(name),
            )
            for name in part
        ]
        dots = [Dot(c, r, near) for c, r in swellings_of(pose, joints)] if "neck" in part else []
        out += [Stroke(s.a, s.b, Ink.OUTLINE, s.width + OUTLINE) for s in strokes]
        out += [Dot(d.centre, d.radius + OUTLINE / 2, Ink.OUTLINE) for d in dots]
        out += strokes
        out += dots
        if "neck" in part and side_view:
            out += _head(pose, joints, near)
    if not side_view:
        out += _head(pose, joints, near)
    out += [Dot(eye, EYE_RADIUS, Ink.OUTLINE) for eye in eyes_of(pose, joints)]
    return out + push_marks(pose, joints)


def marks_extent(marks: list[Mark]) -> tuple[float, float, float, float]:
    """(left, bottom, right, top) around every mark, widths included."""
    xs: list[float] = []
    ys: list[float] = []
    for mark in marks:
        if isinstance(mark, Stroke):
            half = mark.width / 2
            for x, y in (mark.a, mark.b):
                xs += [x - half, x + half]
                ys += [y - half, y + half]
        else:
            x, y = mark.centre
            xs += [x - mark.radius, x + mark.radius]
            ys += [y - mark.radius, y + mark.radius]
    if not xs:
        return (0.0, 0.0, 0.0, 0.0)
    return (min(xs), min(ys), max(xs), max(ys))


def is_dot(mark: Stroke) -> bool:
    """A stroke whose ends meet is drawn as a dot."""
    return math.dist(mark.a, mark.b) < 1e-6
