"""The animated figure: drawn at the right pose for each phase of a step."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backtimer.core.figure.figures import ExerciseFigure, load_figures
from backtimer.core.figure.motion import (
    WORK_PERIOD_MS,
    is_moving,
    keyframe_progress,
    pose_along,
    pose_for,
    work_period_ms,
)
from backtimer.core.figure.pose import Pose, joints_of, mirror
from backtimer.core.paths import assets_dir
from backtimer.core.plan.timeline import Side, Step, StepKind

FIGURES = load_figures(assets_dir() / "poses")
BRIDGE = FIGURES["bridge"]
#: Three keyframes: dipped, flat, rounded.
CAT = FIGURES["cat"]


def step(kind: StepKind, duration_ms: int = 4000, side: Side | None = None) -> Step:
    return Step(
        index=0, kind=kind, start_ms=0, duration_ms=duration_ms, exercise_index=0, side=side
    )


def same_pose(a: Pose, b: Pose) -> bool:
    """The two poses put every joint in the same place."""
    pa, pb = joints_of(a).points(), joints_of(b).points()
    return all(pa[name] == pytest.approx(pb[name], abs=1e-6) for name in pa)


def first(figure: ExerciseFigure) -> Pose:
    return figure.keyframes[0].pose


def last(figure: ExerciseFigure) -> Pose:
    return figure.keyframes[-1].pose


# -- progress -------------------------------------------------------------------------------


def test_inhale_eases_from_start_to_end() -> None:
    inhale = step(StepKind.INHALE, 4000)
    assert keyframe_progress(inhale, 0) == 0.0
    assert keyframe_progress(inhale, 2000) == pytest.approx(0.5)
    assert keyframe_progress(inhale, 4000) == 1.0
    # Eased: slow at the ends, faster in the middle.
    assert keyframe_progress(inhale, 400) < 0.1
    assert keyframe_progress(inhale, 3600) > 0.9


def test_hold_stays_at_the_end_and_exhale_returns() -> None:
    hold = step(StepKind.HOLD, 5000)
    assert {keyframe_progress(hold, ms) for ms in (0, 2500, 5000)} == {1.0}
    exhale = step(StepKind.EXHALE, 4000)
    assert keyframe_progress(exhale, 0) == 1.0
    assert keyframe_progress(exhale, 2000) == pytest.approx(0.5)
    assert keyframe_progress(exhale, 4000) == 0.0


@pytest.mark.parametrize(
    "kind",
    [
        StepKind.GET_READY,
        StepKind.ANNOUNCE,
        StepKind.REST,
        StepKind.SET_REST,
        StepKind.SWITCH_SIDE,
        StepKind.DONE,
    ],
)
def test_still_steps_show_the_start_position(kind: StepKind) -> None:
    still = step(kind, 10_000)
    assert {keyframe_progress(still, ms) for ms in (0, 3000, 10_000)} == {0.0}
    assert not is_moving(still)


@pytest.mark.parametrize("kind", [StepKind.INHALE, StepKind.EXHALE, StepKind.WORK])
def test_only_movement_steps_move(kind: StepKind) -> None:
    assert is_moving(step(kind))


def test_work_repeats_the_movement_and_ends_where_it_began() -> None:
    work = step(StepKind.WORK, 30_000)
    period = work_period_ms(work)
    assert period == pytest.approx(WORK_PERIOD_MS, rel=0.15)
    assert 30_000 / period == pytest.approx(round(30_000 / period))
    for cycle in range(3):
        begin = cycle * period
        assert keyframe_progress(work, begin) == pytest.approx(0.0, abs=1e-9)
        assert keyframe_progress(work, begin + period / 4) == pytest.approx(0.5)
        assert keyframe_progress(work, begin + period / 2) == pytest.approx(1.0)
    assert keyframe_progress(work, 30_000) == pytest.approx(0.0, abs=1e-9)


def test_short_work_still_moves_once() -> None:
    work = step(StepKind.WORK, 1500)
    assert work_period_ms(work) == 1500
    assert keyframe_progress(work, 750) == pytest.approx(1.0)


@given(
    st.sampled_from(list(StepKind)),
    st.integers(min_value=0, max_value=120_000),
    st.floats(min_value=-1e6, max_value=1e6),
)
def test_progress_is_clamped(kind: StepKind, duration_ms: int, elapsed_ms: float) -> None:
    assert 0.0 <= keyframe_progress(step(kind, duration_ms), elapsed_ms) <= 1.0


def test_before_and_after_the_step_progress_clamps() -> None:
    inhale = step(StepKind.INHALE, 3000)
    assert keyframe_progress(inhale, -500) == 0.0
    assert keyframe_progress(inhale, 9000) == 1.0


def test_a_zero_length_step_is_over() -> None:
    assert keyframe_progress(step(StepKind.INHALE, 0), 0) == 1.0
    assert keyframe_progress(step(StepKind.EXHALE, 0), 0) == 0.0


# -- poses ----------------------------------------------------------------------------------


def test_pose_along_runs_through_every_keyframe() -> None:
    assert len(CAT.keyframes) == 3
    assert same_pose(pose_along(CAT, 0.0), first(CAT))
    assert same_pose(pose_along(CAT, 0.5), CAT.keyframes[1].pose)
    assert same_pose(pose_along(CAT, 1.0), last(CAT))
    assert same_pose(pose_along(CAT, -3.0), first(CAT))
    assert same_pose(pose_along(CAT, 7.0), last(CAT))


def test_pose_along_a_single_keyframe_is_that_keyframe() -> None:
    single = ExerciseFigure("still", BRIDGE.view, BRIDGE.props, BRIDGE.keyframes[:1])
    for t in (0.0, 0.4, 1.0):
        assert same_pose(pose_along(single, t), first(BRIDGE))


def test_inhale_starts_at_the_first_keyframe_and_ends_at_the_last() -> None:
    inhale = step(StepKind.INHALE, 3000)
    assert same_pose(pose_for(BRIDGE, inhale, 0), first(BRIDGE))
    assert same_pose(pose_for(BRIDGE, inhale, 3000), last(BRIDGE))


def test_hold_shows_the_last_keyframe() -> None:
    hold = step(StepKind.HOLD, 5000)
    for ms in (0, 2500, 5000):
        assert same_pose(pose_for(BRIDGE, hold, ms), last(BRIDGE))


def test_mid_exhale_is_between_the_keyframes() -> None:
    exhale = step(StepKind.EXHALE, 4000)
    hip_y = joints_of(pose_for(BRIDGE, exhale, 2000), BRIDGE.ground).hip[1]
    start_y = joints_of(first(BRIDGE), BRIDGE.ground).hip[1]
    end_y = joints_of(last(BRIDGE), BRIDGE.ground).hip[1]
    assert start_y < hip_y < end_y
    assert same_pose(pose_for(BRIDGE, exhale, 4000), first(BRIDGE))


def test_rest_shows_the_start_position() -> None:
    assert same_pose(pose_for(CAT, step(StepKind.REST, 20_000), 12_000), first(CAT))


def test_the_left_side_is_mirrored() -> None:
    for ms in (0, 1000, 3000):
        right = pose_for(BRIDGE, step(StepKind.INHALE, 3000, Side.RIGHT), ms)
        left = pose_for(BRIDGE, step(StepKind.INHALE, 3000, Side.LEFT), ms)
        assert same_pose(left, mirror(right))
    no_side = pose_for(BRIDGE, step(StepKind.INHALE, 3000, None), 3000)
    assert same_pose(no_side, last(BRIDGE))
