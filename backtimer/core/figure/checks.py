"""Geometric checks that a figure reads: no arm through the head, nothing under the floor.

The tests run them over every exercise's keyframes and the frames between; the pose
author runs them too (``python -m backtimer.core.figure.checks``) while drawing.
"""

from __future__ import annotations

import math

from backtimer.core.figure import skeleton as sk
from backtimer.core.figure.figures import load_figures
from backtimer.core.figure.motion import helper_along, pose_along, sample_times
from backtimer.core.figure.pose import Pose
from backtimer.core.figure.scene import ExerciseFigure, View, place
from backtimer.core.figure.skeleton import Joints, Point
from backtimer.core.paths import assets_dir

#: How close a hand resting on the head may come to its centre: it touches the edge.
TOUCH_REACH = sk.HEAD_RADIUS * 0.5
#: How close an upper arm may pass: it starts at the shoulder, under the ear, so a raised
#: arm may graze the outer rim of the head there (not the face).
UPPER_ARM_REACH = sk.HEAD_RADIUS * 0.8
#: How far (figure units) a drawn part may dip under the floor or the mat: none, give or
#: take rounding.
GROUND_SLACK = 0.5


def distance_to_segment(point: Point, a: Point, b: Point) -> float:
    """The shortest distance from ``point`` to the segment from ``a`` to ``b``."""
    ax, ay = a
    dx, dy = b[0] - ax, b[1] - ay
    length2 = dx * dx + dy * dy
    if length2 == 0:
        return math.dist(point, a)
    t = max(0.0, min(1.0, ((point[0] - ax) * dx + (point[1] - ay) * dy) / length2))
    return math.dist(point, (ax + t * dx, ay + t * dy))


def arms_through_head(
    joints: Joints, head_touch: frozenset[str] = frozenset(), side_view: bool = False
) -> list[str]:
    """The arm segments that cross the head's circle.

    A forearm's line stays out of the head's circle; an upper arm's may graze its rim
    (:data:`UPPER_ARM_REACH`). An arm in ``head_touch`` ("near_arm", "far_arm") rests its
    hand on the head: its forearm may overlap the head's edge but not reach within
    :data:`TOUCH_REACH` of the centre.

    From the side the far arm is on the other side of the head and drawn behind it, in
    the light ink: it may pass behind the head (arms stretched forward past the ears)
    as long as its hand shows clear of the head.
    """
    segments = joints.segments()
    problems = []
    for side in ("near", "far"):
        if side == "far" and side_view:
            if "far_arm" in head_touch:
                continue  # the hand rests on the far side of the head: hidden is right
            clear = math.dist(joints.far_hand, joints.head) - sk.HEAD_RADIUS - sk.LIMB_WIDTH / 2
            if clear < 0:
                problems.append(f"far hand hidden behind the head by {-clear:.1f}")
            continue
        for part in ("upper_arm", "forearm"):
            a, b = segments[f"{side}_{part}"]
            touching = f"{side}_arm" in head_touch and part == "forearm"
            least = sk.HEAD_RADIUS if part == "forearm" else UPPER_ARM_REACH
            least = TOUCH_REACH if touching else least
            gap = distance_to_segment(joints.head, a, b)
            if gap < least - 1e-6:
                problems.append(f"{side}_{part} {gap:.1f} from the head's centre")
    return problems


def _lowest(joints: Joints) -> float:
    lowest = joints.head[1] - sk.HEAD_RADIUS
    for name, (start, end) in joints.segments().items():
        half = (sk.TORSO_WIDTH if name in sk.TORSO_SEGMENTS else sk.LIMB_WIDTH) / 2
        lowest = min(lowest, start[1] - half, end[1] - half)
    return lowest


def frame_problems(figure: ExerciseFigure, pose: Pose, helper: Pose | None) -> list[str]:
    """What misreads in one frame: arms through the head, parts under the ground."""
    joints, helper_joints = place(figure, pose, helper)
    side_view = figure.view is View.SIDE
    problems = arms_through_head(joints, figure.head_touch, side_view)
    if _lowest(joints) < figure.ground - GROUND_SLACK:
        problems.append(f"under the ground by {figure.ground - _lowest(joints):.1f}")
    if helper_joints is not None:
        problems += [f"helper {p}" for p in arms_through_head(helper_joints, side_view=side_view)]
        if _lowest(helper_joints) < -GROUND_SLACK:
            problems.append(f"helper under the floor by {-_lowest(helper_joints):.1f}")
    return problems


def figure_problems(figure: ExerciseFigure, per_span: int = 12) -> list[str]:
    """:func:`frame_problems` at every keyframe and ``per_span - 1`` frames between each."""
    out = []
    for t in sample_times(figure, per_span):
        for problem in frame_problems(figure, pose_along(figure, t), helper_along(figure, t)):
            out.append(f"{figure.id} at {t:.2f}: {problem}")
    return out


def main() -> int:
    """Print the problems of every pose file; exit 1 if there are any."""
    problems = [
        p
        for figure in load_figures(assets_dir() / "poses").values()
        for p in figure_problems(figure)
    ]
    print("\n".join(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
