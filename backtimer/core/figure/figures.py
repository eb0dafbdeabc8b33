"""Exercise figures: the pose keyframes and props of each illustration, read from TOML.

Each illustration has a file ``assets/poses/<id>.toml``::

    view = "side"                      # or "front"
    props = [{ kind = "mat" }]         # mat, chair, bar, ball, wall, support

    [[keyframes]]
    name = "start"
    spine = [180, 180]                 # lower back, upper back
    neck = 180
    near_arm = [190, 185]              # upper arm, forearm
    far_arm = [190, 185]
    near_leg = [60, 300, 0]            # thigh, shin, foot
    far_leg = [60, 300, 0]
    # pin = { joint = "near_hand", x = 0, y = 210 }   # optional; default: on the ground
    # facing = "right"                 # where the front of the body is; default right
    # belly = 1                        # breath in the belly (0 to 1); also chest
    # shrug = [0, 6]                   # shoulders ahead and up, in figure units
    # push = 180                       # the head pushes that way (isometric press): arrow
    # helper = { spine = ..., pin = { joint = "near_hand", to = "near_ankle", x = 0, y = 0 } }

The movement goes from the first keyframe through the others to the last one (on the
inhale) and back (on the exhale).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Annotated, Final, Literal

__all__ = [
    "MAT_THICKNESS",
    "ExerciseFigure",
    "FigureFileError",
    "Keyframe",
    "Prop",
    "PropKind",
    "View",
    "load_figure",
    "load_figures",
    "parse_figure",
]

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from backtimer.core.figure.pose import Pin, Pose
from backtimer.core.figure.scene import (
    MAT_THICKNESS,
    ExerciseFigure,
    Keyframe,
    Loop,
    Prop,
    PropKind,
    View,
)
from backtimer.core.figure.skeleton import Joints, Limb

Angle = Annotated[float, Field(ge=-360, le=720)]
JOINT_NAMES: Final = tuple(Joints.__slots__)


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, strict=True, extra="forbid", allow_inf_nan=False)


class _PropModel(_Strict):
    kind: PropKind = Field(strict=False)
    x: float = 0.0
    y: float = 0.0


class _PinModel(_Strict):
    joint: Literal[JOINT_NAMES]  # type: ignore[valid-type]
    x: float
    y: float


class _HelperPinModel(_PinModel):
    #: The main figure's joint the helper's ``joint`` goes to, moved by (x, y).
    to: Literal[JOINT_NAMES] | None = None  # type: ignore[valid-type]


Amount = Annotated[float, Field(ge=0, le=1)]
Shrug = Annotated[float, Field(ge=-8, le=8)]


class _BodyModel(_Strict):
    spine: Annotated[list[Angle], Field(min_length=2, max_length=2)]
    neck: Angle
    near_arm: Annotated[list[Angle], Field(min_length=2, max_length=2)]
    far_arm: Annotated[list[Angle], Field(min_length=2, max_length=2)]
    near_leg: Annotated[list[Angle], Field(min_length=3, max_length=3)]
    far_leg: Annotated[list[Angle], Field(min_length=3, max_length=3)]
    x: float = 0.0
    pin: _PinModel | None = None
    facing: Literal["right", "left"] = "right"
    #: Degrees the face turns toward the figure's own right (negative: its left).
    head_turn: Annotated[float, Field(ge=-90, le=90)] = 0.0
    belly: Amount = Field(default=0.0, strict=False)
    chest: Amount = Field(default=0.0, strict=False)
    push: Angle | None = None
    shrug: Annotated[list[Shrug], Field(min_length=2, max_length=2)] = Field(
        default_factory=lambda: [0.0, 0.0]
    )

    def _pin(self) -> Pin:
        return Pin(self.pin.joint, self.pin.x, self.pin.y) if self.pin else Pin(None, self.x)

    def pose(self, front_view: bool) -> Pose:
        return Pose(
            lower_back=self.spine[0],
            upper_back=self.spine[1],
            neck=self.neck,
            near_arm=Limb(*self.near_arm),
            far_arm=Limb(*self.far_arm),
            near_leg=Limb(*self.near_leg),
            far_leg=Limb(*self.far_leg),
            pin=self._pin(),
            facing=1 if self.facing == "right" else -1,
            head_turn=self.head_turn,
            front_view=front_view,
            belly=self.belly,
            chest=self.chest,
            push=self.push,
            shrug_ahead=self.shrug[0],
            shrug_up=self.shrug[1],
        )


class _HelperModel(_BodyModel):
    """The second person in the picture (an adult holding a child's legs, say)."""

    pin: _HelperPinModel | None = None

    def _pin(self) -> Pin:
        if self.pin is None:
            return Pin(None, self.x)
        return Pin(self.pin.joint, self.pin.x, self.pin.y, self.pin.to)


class _KeyframeModel(_BodyModel):
    name: Annotated[str, Field(min_length=1, max_length=40)]
    helper: _HelperModel | None = None


class _LoopModel(_Strict):
    joint: Literal[JOINT_NAMES]  # type: ignore[valid-type]
    radius: Annotated[float, Field(gt=0, le=80)] = Field(strict=False)
    clockwise: bool = False


class _FigureModel(_Strict):
    view: View = Field(default=View.SIDE, strict=False)
    props: list[_PropModel] = Field(default_factory=list)
    keyframes: Annotated[list[_KeyframeModel], Field(min_length=1, max_length=6)]
    head_touch: list[Literal["near_arm", "far_arm"]] = Field(default_factory=list)
    loops: list[_LoopModel] = Field(default_factory=list, max_length=4)


class FigureFileError(ValueError):
    """A pose file that cannot be used; the message names the file and the keys."""


def parse_figure(text: str, figure_id: str, file: str = "<figure>") -> ExerciseFigure:
    """Read one pose file's text."""
    try:
        model = _FigureModel.model_validate(tomllib.loads(text))
    except tomllib.TOMLDecodeError as error:
        raise FigureFileError(f"{file}: {error}") from None
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()
        )
        raise FigureFileError(f"{file}: {problems}") from None
    front = model.view is View.FRONT
    return ExerciseFigure(
        id=figure_id,
        view=model.view,
        props=tuple(Prop(p.kind, p.x, p.y) for p in model.props),
        keyframes=tuple(
            Keyframe(
                k.name,
                k.pose(front_view=front),
                k.helper.pose(front_view=front) if k.helper is not None else None,
            )
            for k in model.keyframes
        ),
        head_touch=frozenset(model.head_touch),
        loops=tuple(Loop(x.joint, x.radius, x.clockwise) for x in model.loops),
    )


def load_figure(path: Path) -> ExerciseFigure:
    """Read ``assets/poses/<id>.toml``."""
    return parse_figure(path.read_text(encoding="utf-8"), path.stem, str(path))


def load_figures(folder: Path) -> dict[str, ExerciseFigure]:
    """Every pose file of ``folder``, by illustration id."""
    return {path.stem: load_figure(path) for path in sorted(folder.glob("*.toml"))}
