"""The figure: a person as segments of fixed length, posed by segment angles.

Angles are absolute (relative to the picture, not to the parent segment), in degrees,
counter-clockwise from pointing right: 0 = right, 90 = up, 180 = left, 270 = down. The y
axis points up. A side-view figure faces right; the *near* arm and leg are the ones on the
viewer's side and are drawn in front, the *far* ones behind.

Because each segment keeps its length and only its angle changes, any mix of two poses
(see :func:`~backtimer.core.figure.pose.interpolate`) is a valid body: limbs never
stretch.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

#: Segment lengths, in figure units; a standing figure is about 175 units tall.
LOWER_BACK: Final = 26.0
UPPER_BACK: Final = 28.0
NECK: Final = 9.0
HEAD_RADIUS: Final = 12.5
UPPER_ARM: Final = 29.0
FOREARM: Final = 27.0
THIGH: Final = 43.0
SHIN: Final = 41.0
FOOT: Final = 13.0
#: Half the width of the shoulders and of the hips, seen from the front (zero from the side).
SHOULDER_HALF_WIDTH: Final = 16.0
HIP_HALF_WIDTH: Final = 8.0

#: Stroke widths of the drawn segments.
TORSO_WIDTH: Final = 21.0
LIMB_WIDTH: Final = 12.0

Point = tuple[float, float]

#: Segments drawn as wide as the torso.
TORSO_SEGMENTS: Final = frozenset({"lower_back", "upper_back", "shoulders", "hips"})


@dataclass(frozen=True, slots=True)
class Limb:
    """Angles of an arm (upper, lower) or a leg (upper, lower, foot)."""

    upper: float
    lower: float
    foot: float = 0.0


@dataclass(frozen=True, slots=True)
class Joints:
    """Where every joint of a posed figure is."""

    hip: Point
    waist: Point
    shoulder: Point
    neck_top: Point
    head: Point
    near_elbow: Point
    near_hand: Point
    far_elbow: Point
    far_hand: Point
    near_knee: Point
    near_ankle: Point
    near_toe: Point
    far_knee: Point
    far_ankle: Point
    far_toe: Point
    near_shoulder: Point
    far_shoulder: Point
    near_hip: Point
    far_hip: Point

    def points(self) -> dict[str, Point]:
        """Every joint by name."""
        return {name: getattr(self, name) for name in self.__slots__}

    def segments(self) -> dict[str, tuple[Point, Point]]:
        """Every drawn segment by name, as (start, end)."""
        return {
            "lower_back": (self.hip, self.waist),
            "upper_back": (self.waist, self.shoulder),
            "neck": (self.shoulder, self.neck_top),
            "shoulders": (self.near_shoulder, self.far_shoulder),
            "hips": (self.near_hip, self.far_hip),
            "near_upper_arm": (self.near_shoulder, self.near_elbow),
            "near_forearm": (self.near_elbow, self.near_hand),
            "far_upper_arm": (self.far_shoulder, self.far_elbow),
            "far_forearm": (self.far_elbow, self.far_hand),
            "near_thigh": (self.near_hip, self.near_knee),
            "near_shin": (self.near_knee, self.near_ankle),
            "near_foot": (self.near_ankle, self.near_toe),
            "far_thigh": (self.far_hip, self.far_knee),
            "far_shin": (self.far_knee, self.far_ankle),
            "far_foot": (self.far_ankle, self.far_toe),
        }


#: Length of each limb and spine segment, by the names of :meth:`Joints.segments`. The
#: shoulder and hip girdles are 2 x their half widths from the front and 0 from the side.
SEGMENT_LENGTHS: Final = {
    "lower_back": LOWER_BACK,
    "upper_back": UPPER_BACK,
    "neck": NECK,
    "near_upper_arm": UPPER_ARM,
    "near_forearm": FOREARM,
    "far_upper_arm": UPPER_ARM,
    "far_forearm": FOREARM,
    "near_thigh": THIGH,
    "near_shin": SHIN,
    "near_foot": FOOT,
    "far_thigh": THIGH,
    "far_shin": SHIN,
    "far_foot": FOOT,
}


def step_from(origin: Point, angle_degrees: float, length: float) -> Point:
    """The point ``length`` away from ``origin`` in the direction ``angle_degrees``."""
    radians = math.radians(angle_degrees)
    return (origin[0] + length * math.cos(radians), origin[1] + length * math.sin(radians))


def distance_to_segment(point: Point, a: Point, b: Point) -> float:
    """The shortest distance from ``point`` to the segment from ``a`` to ``b``."""
    ax, ay = a
    dx, dy = b[0] - ax, b[1] - ay
    length2 = dx * dx + dy * dy
    if length2 == 0:
        return math.dist(point, a)
    t = max(0.0, min(1.0, ((point[0] - ax) * dx + (point[1] - ay) * dy) / length2))
    return math.dist(point, (ax + t * dx, ay + t * dy))
