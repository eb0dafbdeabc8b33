"""Geometric checks that a figure reads: no arm through the head, nothing under the floor.

The tests run them over every exercise's keyframes and the frames between; the pose
author runs them too (``python -m backtimer.core.figure.checks``) while drawing.
"""

from __future__ import annotations

import math

from backtimer.core.figure import skeleton as sk
from backtimer.core.figure.draw import arms_behind_head
from backtimer.core.figure.figures import load_figures
from backtimer.core.figure.motion import helper_along, pose_along, sample_times
from backtimer.core.figure.pose import Pose
from backtimer.core.figure.scene import ExerciseFigure, View, place
from backtimer.core.figure.skeleton import Joints, distance_to_segment
from backtimer.core.paths import assets_dir

#: How close a hand resting on the head may come to its centre: it touches the edge.
TOUCH_REACH = sk.HEAD_RADIUS * 0.5
#: How close an upper arm may pass: it starts at the shoulder, under the ear, so a raised
#: arm may graze the outer rim of the head there (not the face).
UPPER_ARM_REACH = sk.HEAD_RADIUS * 0.8
#: How far (figure units) a drawn part may dip under the floor or the mat: none, give or
#: take rounding.
GROUND_SLACK = 0.5


def arms_through_head(
    joints: Joints,
    head_touch: frozenset[str] = frozenset(),
    behind: frozenset[str] = frozenset(),
) -> list[str]:
    """The arm segments that cross the head's circle where it shows.

    An arm drawn over the head stays out of it: a forearm's line out of the head's
    circle, an upper arm's at most grazing its rim (:data:`UPPER_ARM_REACH`). An arm in
    ``head_touch`` ("near_arm", "far_arm") rests its hand on the head: its forearm may
    overlap the head's edge but not reach within :data:`TOUCH_REACH` of the centre.

    An arm in ``behind`` is drawn behind the head (from the side: the far arm, and a
    near arm raised past the ear; see :func:`~backtimer.core.figure.draw.arms_behind_head`)
    and so never covers the face; it may pass behind the head as long as its hand shows
    clear of it, unless the hand rests on the back of the head (``head_touch``).
    """
    segments = joints.segments()
    problems = []
    for side in ("near", "far"):
        arm = f"{side}_arm"
        if arm in behind:
            hand = joints.near_hand if side == "near" else joints.far_hand
            clear = math.dist(hand, joints.head) - sk.HEAD_RADIUS - sk.LIMB_WIDTH / 2
            if clear < 0 and arm not in head_touch:
                problems.append(f"{side} hand hidden behind the head by {-clear:.1f}")
            continue
        for part in ("upper_arm", "forearm"):
            a, b = segments[f"{side}_{part}"]
            least = sk.HEAD_RADIUS if part == "forearm" else UPPER_ARM_REACH
            if arm in head_touch and part == "forearm":
                least = TOUCH_REACH
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
    behind = arms_behind_head(pose, joints, side_view, figure.head_touch)
    problems = arms_through_head(joints, figure.head_touch, behind)
    if _lowest(joints) < figure.ground - GROUND_SLACK:
        problems.append(f"under the ground by {figure.ground - _lowest(joints):.1f}")
    if helper is not None and helper_joints is not None:
        helper_behind = arms_behind_head(helper, helper_joints, side_view)
        problems += [f"helper {p}" for p in arms_through_head(helper_joints, behind=helper_behind)]
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
