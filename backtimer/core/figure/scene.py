"""An exercise's figure as plain data: its view, props and pose keyframes.

Loading and validating pose files is :mod:`backtimer.core.figure.figures`; drawing and
animating need only these types.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from backtimer.core.figure.pose import Pose, joints_of
from backtimer.core.figure.skeleton import Joints

#: How thick the mat is; a figure on a mat rests on its top.
MAT_THICKNESS: Final = 5.0


class View(StrEnum):
    """From where the figure is seen."""

    SIDE = "side"
    FRONT = "front"


class PropKind(StrEnum):
    """Things drawn with the figure."""

    MAT = "mat"
    CHAIR = "chair"
    BAR = "bar"
    BALL = "ball"
    WALL = "wall"
    SUPPORT = "support"


@dataclass(frozen=True, slots=True)
class Prop:
    """A prop: where it stands (x) and, for a bar, its height (y)."""

    kind: PropKind
    x: float = 0.0
    y: float = 0.0


@dataclass(frozen=True, slots=True)
class Loop:
    """A circling arrow round a joint, for movements that go round (shoulder rolls)."""

    joint: str
    radius: float
    #: Which way it goes for a figure facing right (mirrored with the figure).
    clockwise: bool = False


@dataclass(frozen=True, slots=True)
class Keyframe:
    """A named pose of an exercise, and the pose of the helper (another person) if any."""

    name: str
    pose: Pose
    helper: Pose | None = None


@dataclass(frozen=True, slots=True)
class ExerciseFigure:
    """Everything needed to draw or animate one exercise."""

    id: str
    view: View
    props: tuple[Prop, ...]
    keyframes: tuple[Keyframe, ...]
    #: Arms ("near_arm", "far_arm") whose hand rests on the head: they may touch its edge.
    head_touch: frozenset[str] = frozenset()
    #: Circling arrows drawn with every frame.
    loops: tuple[Loop, ...] = ()

    @property
    def ground(self) -> float:
        """Height the figure rests on: the top of the mat, or the floor."""
        return MAT_THICKNESS if any(p.kind is PropKind.MAT for p in self.props) else 0.0


def place(
    figure: ExerciseFigure, pose: Pose, helper: Pose | None = None
) -> tuple[Joints, Joints | None]:
    """Where the joints of the figure (and of its helper, if any) are in ``figure``'s scene."""
    joints = joints_of(pose, figure.ground)
    return joints, (joints_of(helper, figure.ground, joints) if helper is not None else None)
