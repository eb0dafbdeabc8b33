"""Figures that read: no arm through the head, nothing under the floor or outside the view,
breath that shows, a helper drawn with the figure."""

from __future__ import annotations

import math

import pytest

from backtimer.core.figure import skeleton as sk
from backtimer.core.figure.checks import arms_through_head, figure_problems
from backtimer.core.figure.draw import (
    LIGHT,
    Dot,
    Ink,
    Stroke,
    arms_behind_head,
    figure_marks,
    marks_extent,
)
from backtimer.core.figure.figures import (
    ExerciseFigure,
    FigureFileError,
    load_figures,
    parse_figure,
)
from backtimer.core.figure.motion import helper_along, pose_along, sample_times
from backtimer.core.figure.pose import Pose, joints_of, mirror, swellings_of
from backtimer.core.figure.scene import Loop, place
from backtimer.core.figure.skeleton import distance_to_segment
from backtimer.core.figure.svg import content_box, frame_box, render_svg, scene_marks
from backtimer.core.paths import assets_dir

FIGURES = load_figures(assets_dir() / "poses")
STANDING = """
view = "side"
[[keyframes]]
name = "stand"
spine = [90, 90]
neck = 90
near_arm = [268, 272]
far_arm = [272, 275]
near_leg = [272, 268, 0]
far_leg = [268, 272, 0]
"""


@pytest.mark.parametrize("figure", FIGURES.values(), ids=lambda f: f.id)
def test_no_arm_crosses_the_head_and_nothing_dips_under_the_ground(
    figure: ExerciseFigure,
) -> None:
    """At every keyframe and 11 frames between each pair."""
    assert figure_problems(figure) == []


#: Arms that must pass overhead from the side (a straight arm circling from the front
#: to the back cannot miss the head): there the near arm goes behind the head.
OVERHEAD = frozenset({"arm-circles"})


@pytest.mark.parametrize(
    "figure", [f for f in FIGURES.values() if f.id not in OVERHEAD], ids=lambda f: f.id
)
def test_no_near_arm_needs_to_hide_behind_the_head(figure: ExerciseFigure) -> None:
    """The strict rule: apart from the far arm from the side (and hands resting on the
    head), no arm crosses the head, at any sampled frame."""
    side = figure.view.value == "side"
    behind = frozenset({"far_arm"}) if side else frozenset({"near_arm", "far_arm"})
    for t in sample_times(figure, 12):
        joints, _ = place(figure, pose_along(figure, t), helper_along(figure, t))
        assert arms_through_head(joints, figure.head_touch, behind) == [], f"at {t:.2f}"


@pytest.mark.parametrize("figure", FIGURES.values(), ids=lambda f: f.id)
def test_every_frame_stays_inside_the_view_box(figure: ExerciseFigure) -> None:
    """The box the window fits (content_box) holds the whole body, head included, at
    frames far denser than the ones it was measured at."""
    box = content_box(figure)
    for t in sample_times(figure, 40):
        frame = frame_box(figure, pose_along(figure, t), helper_along(figure, t))
        where = f"{figure.id} at {t:.3f}"
        assert frame.left >= box.left - 1.0, where
        assert frame.right <= box.right + 1.0, where
        assert frame.bottom >= box.bottom - 1.0, where
        assert frame.top <= box.top + 1.0, where
        joints, _ = place(figure, pose_along(figure, t), helper_along(figure, t))
        assert joints.head[1] - sk.HEAD_RADIUS >= box.bottom - 1.0, where
        assert joints.head[1] + sk.HEAD_RADIUS <= box.top + 1.0, where


def test_distance_to_a_segment() -> None:
    assert distance_to_segment((0, 5), (-10, 0), (10, 0)) == pytest.approx(5)
    assert distance_to_segment((13, 4), (-10, 0), (10, 0)) == pytest.approx(5)
    assert distance_to_segment((1, 1), (0, 0), (0, 0)) == pytest.approx(math.sqrt(2))


def test_an_arm_across_the_face_is_caught() -> None:
    across = STANDING.replace("near_arm = [268, 272]", "near_arm = [10, 150]")
    figure = parse_figure(across, "x")
    joints = joints_of(figure.keyframes[0].pose)
    assert any(p.startswith("near_forearm") for p in arms_through_head(joints))
    assert figure_problems(figure) != []


def test_an_arm_raised_past_the_ear_goes_behind_the_head_and_its_hand_shows() -> None:
    raised = parse_figure(STANDING.replace("near_arm = [268, 272]", "near_arm = [90, 90]"), "x")
    pose = raised.keyframes[0].pose
    joints = joints_of(pose)
    assert arms_behind_head(pose, joints, side_view=True) == {"near_arm", "far_arm"}
    assert arms_through_head(joints) != []
    assert figure_problems(raised) == []
    marks = figure_marks(pose, joints, True)
    head = next(i for i, m in enumerate(marks) if isinstance(m, Dot) and m.radius == sk.HEAD_RADIUS)
    hand = next(
        i
        for i, m in enumerate(marks)
        if isinstance(m, Stroke) and m.ink is Ink.NEAR and m.b == joints.near_hand
    )
    assert hand < head
    # Bent back over the head, the hand would hide behind it: that is caught.
    hidden = STANDING.replace("near_arm = [268, 272]", "near_arm = [88, 250]")
    assert any("hidden behind the head" in p for p in figure_problems(parse_figure(hidden, "x")))
    # Hanging at the side, the near arm stays in front.
    standing = parse_figure(STANDING, "x").keyframes[0].pose
    assert arms_behind_head(standing, joints_of(standing), side_view=True) == {"far_arm"}


def test_a_hand_on_the_head_may_touch_its_edge_but_not_cross_its_centre() -> None:
    on_head = STANDING.replace("near_arm = [268, 272]", "near_arm = [45, 150]")
    joints = joints_of(parse_figure(on_head, "x").keyframes[0].pose)
    assert arms_through_head(joints) != []
    assert arms_through_head(joints, frozenset({"near_arm"})) == []
    through = STANDING.replace("near_arm = [268, 272]", "near_arm = [40, 165]")
    joints = joints_of(parse_figure(through, "x").keyframes[0].pose)
    assert distance_to_segment(joints.head, joints.near_elbow, joints.near_hand) < 6.25
    assert arms_through_head(joints, frozenset({"near_arm"})) != []


def test_a_body_under_the_floor_is_caught() -> None:
    pinned = STANDING.replace(
        'name = "stand"', 'name = "stand"\npin = { joint = "hip", x = 0, y = 40 }'
    )
    assert any("under the ground" in p for p in figure_problems(parse_figure(pinned, "x")))


@pytest.mark.parametrize("figure_id", ["belly-breathing", "deep-breath"])
def test_breathing_in_swells_the_torso(figure_id: str) -> None:
    figure = FIGURES[figure_id]
    out, full = figure.keyframes[0].pose, figure.keyframes[-1].pose
    assert swellings_of(out, joints_of(out)) == []
    swollen = swellings_of(full, joints_of(full))
    assert swollen != []
    # The torso drawn on the inhale reaches further forward than on the exhale.
    marks_out = figure_marks(out, joints_of(out), side_view=True)
    marks_in = figure_marks(full, joints_of(full), side_view=True)
    assert len(marks_in) > len(marks_out)
    assert _torso_front(marks_in) > _torso_front(marks_out) + 4


def _torso_front(marks: list[Stroke | Dot]) -> float:
    """How far right the torso (wide strokes and swellings in the near ink) reaches."""
    front = -math.inf
    for mark in marks:
        if mark.ink is not Ink.NEAR:
            continue
        if isinstance(mark, Stroke) and mark.width >= sk.TORSO_WIDTH:
            front = max(front, mark.a[0] + mark.width / 2, mark.b[0] + mark.width / 2)
        elif isinstance(mark, Dot) and mark.radius < sk.HEAD_RADIUS and mark.radius > 5:
            front = max(front, mark.centre[0] + mark.radius)
    return front


def test_belly_breathing_frames_differ_in_the_belly_and_chest_breaths_in_the_chest() -> None:
    belly = FIGURES["belly-breathing"].keyframes[-1].pose
    chest = FIGURES["deep-breath"].keyframes[-1].pose
    belly_at = swellings_of(belly, joints_of(belly))[0][0][1]
    chest_at = swellings_of(chest, joints_of(chest))[0][0][1]
    assert chest_at > belly_at + 15


@pytest.mark.parametrize("figure_id", ["sphinx-head-turns", "head-turns", "chin-down-head-turns"])
def test_head_turns_move_the_face(figure_id: str) -> None:
    figure = FIGURES[figure_id]
    first, last = figure.keyframes[0].pose, figure.keyframes[-1].pose
    faces = []
    for pose in (first, last):
        marks = figure_marks(pose, joints_of(pose), side_view=not pose.front_view)
        faces.append(
            sorted(
                (round(m.centre[0]), round(m.centre[1]))
                for m in marks
                if isinstance(m, Dot) and m.radius < 4
            )
        )
    assert faces[0] != faces[1]


@pytest.mark.parametrize("figure_id", ["head-press-back", "forehead-press"])
def test_head_presses_show_a_hand_on_the_head_and_a_tilt(figure_id: str) -> None:
    figure = FIGURES[figure_id]
    assert figure.head_touch
    first, last = figure.keyframes[0].pose, figure.keyframes[-1].pose
    assert abs(first.neck - last.neck) >= 5
    # The press shows as an arrow at the head, pointing the way it pushes.
    pressing = figure_marks(last, joints_of(last), True, head_touch=figure.head_touch)
    assert [m for m in pressing if m.ink is Ink.CUE]
    assert not [
        m
        for m in figure_marks(first, joints_of(first), True, head_touch=figure.head_touch)
        if m.ink is Ink.CUE
    ]
    for pose in (first, last):
        joints = joints_of(pose)
        for arm in figure.head_touch:
            hand = joints.near_hand if arm == "near_arm" else joints.far_hand
            assert math.dist(hand, joints.head) < sk.HEAD_RADIUS + sk.LIMB_WIDTH


def test_the_wheelbarrow_walk_has_an_adult_holding_the_legs() -> None:
    figure = FIGURES["wheelbarrow-walk"]
    assert all(k.helper is not None for k in figure.keyframes)
    for t in sample_times(figure):
        joints, helper = place(figure, pose_along(figure, t), helper_along(figure, t))
        assert helper is not None
        assert math.dist(helper.near_hand, joints.near_ankle) < 1e-6
        # The adult stands: feet on the floor, head above the child's.
        assert min(helper.near_toe[1], helper.far_toe[1]) < sk.LIMB_WIDTH
        assert helper.head[1] > joints.head[1] + 40


def test_a_two_figure_scene_draws_both() -> None:
    figure = FIGURES["wheelbarrow-walk"]
    pose, helper = figure.keyframes[0].pose, figure.keyframes[0].helper
    assert helper is not None
    svg = render_svg(figure)
    assert LIGHT.helper in svg
    assert LIGHT.near in svg
    joints, helper_joints = place(figure, pose, helper)
    assert helper_joints is not None
    both = marks_extent(figure_marks(helper, helper_joints, True, helper=True))
    assert both[0] < joints.hip[0]


def test_a_helper_pinned_to_the_figure_mirrors_with_it() -> None:
    figure = FIGURES["wheelbarrow-walk"]
    pose, helper = figure.keyframes[1].pose, figure.keyframes[1].helper
    assert helper is not None
    joints, helper_joints = place(figure, mirror(pose), mirror(helper))
    assert helper_joints is not None
    assert helper_joints.near_hand == pytest.approx(joints.near_ankle)
    assert helper_joints.hip[0] > joints.hip[0]


def test_hands_behind_the_head_go_behind_it_and_leave_the_face_showing() -> None:
    figure = FIGURES["head-press-back"]
    pose = figure.keyframes[0].pose
    joints = joints_of(pose)
    marks = figure_marks(pose, joints, True, head_touch=figure.head_touch)
    head = next(i for i, m in enumerate(marks) if isinstance(m, Dot) and m.radius == sk.HEAD_RADIUS)
    forearm = next(
        i
        for i, m in enumerate(marks)
        if isinstance(m, Stroke) and m.ink is Ink.NEAR and m.b == joints.near_hand
    )
    assert forearm < head
    # A palm on the forehead stays in front of the head.
    figure = FIGURES["forehead-press"]
    pose = figure.keyframes[-1].pose
    assert arms_behind_head(pose, joints_of(pose), True, figure.head_touch) == {"far_arm"}


@pytest.mark.parametrize("figure_id", ["shoulder-rolls", "hip-circles", "arm-circles"])
def test_circling_movements_draw_a_circling_arrow_that_turns_with_the_side(
    figure_id: str,
) -> None:
    figure = FIGURES[figure_id]
    assert figure.loops
    loop = figure.loops[0]
    pose = figure.keyframes[0].pose

    def cue_turn(p: Pose) -> float:
        """The signed area swept by the arrow's arc: positive when counter-clockwise."""
        joints, _ = place(figure, p)
        centre = joints.points()[loop.joint]
        cues = [m for m in scene_marks(figure, p, None) if m.ink is Ink.CUE]
        arc = [m for m in cues if isinstance(m, Stroke)][:-2]
        assert len(arc) > 8
        return sum(
            (m.a[0] - centre[0]) * (m.b[1] - centre[1])
            - (m.a[1] - centre[1]) * (m.b[0] - centre[0])
            for m in arc
        )

    right, left = cue_turn(pose), cue_turn(mirror(pose))
    assert right * left < 0
    assert (right > 0) == (not loop.clockwise)


def test_a_loop_needs_a_joint_and_a_radius() -> None:
    bad = 'loops = [{ joint = "elbow", radius = 10 }]\n' + STANDING
    with pytest.raises(FigureFileError, match="loops"):
        parse_figure(bad, "x")
    good = 'loops = [{ joint = "near_shoulder", radius = 10, clockwise = true }]\n' + STANDING
    assert parse_figure(good, "x").loops == (Loop("near_shoulder", 10.0, True),)


@pytest.mark.parametrize("figure", FIGURES.values(), ids=lambda f: f.id)
def test_nothing_drawn_over_the_head_crosses_the_face(figure: ExerciseFigure) -> None:
    """As drawn: no limb painted after the head (arm or leg) reaches into it beyond its
    rim, at any sampled frame; the head stays whole (at the deepest forward bend too)."""
    for t in sample_times(figure, 12):
        pose, helper = pose_along(figure, t), helper_along(figure, t)
        joints, _ = place(figure, pose, helper)
        marks = scene_marks(figure, pose, helper)
        head = max(
            i
            for i, m in enumerate(marks)
            if isinstance(m, Dot) and m.radius == sk.HEAD_RADIUS and m.centre == joints.head
        )
        touching = {
            joints.near_hand if arm == "near_arm" else joints.far_hand for arm in figure.head_touch
        }
        for mark in marks[head + 1 :]:
            if not isinstance(mark, Stroke) or mark.ink not in (Ink.NEAR, Ink.FAR):
                continue
            if mark.width < sk.LIMB_WIDTH or mark.b in touching:
                continue
            gap = distance_to_segment(joints.head, mark.a, mark.b)
            assert gap >= sk.HEAD_RADIUS * 0.8, f"{figure.id} at {t:.2f}: {gap:.1f}"
