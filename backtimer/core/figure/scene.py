"""An exercise's figure as plain data: its view, props and pose keyframes.

Loading and validating pose files is :mod:`backtimer.core.figure.figures`; drawing and
animating need only these types.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from backtimer.core.figure.pose import Pose

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
class Keyframe:
    """A named pose of an exercise."""

    name: str
    pose: Pose


@dataclass(frozen=True, slots=True)
class ExerciseFigure:
    """Everything needed to draw or animate one exercise."""

    id: str
    view: View
    props: tuple[Prop, ...]
    keyframes: tuple[Keyframe, ...]

    @property
    def ground(self) -> float:
        """Height the figure rests on: the top of the mat, or the floor."""
        return MAT_THICKNESS if any(p.kind is PropKind.MAT for p in self.props) else 0.0
