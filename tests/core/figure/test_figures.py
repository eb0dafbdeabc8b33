"""The exercise figures: valid bodies, inside their canvas, and committed SVGs up to date."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backtimer.core.figure import skeleton as sk
from backtimer.core.figure.figures import ExerciseFigure, load_figures, parse_figure
from backtimer.core.figure.generate import generate
from backtimer.core.figure.pose import Pose, interpolate, joints_of, mirror
from backtimer.core.figure.skeleton import Limb
from backtimer.core.figure.svg import GAP, PANEL, layout_of, render_svg
from backtimer.core.paths import assets_dir, builtin_routines_dir
from backtimer.core.routine.library import load_library

POSES = assets_dir() / "poses"
EXERCISES = assets_dir() / "exercises"
FIGURES = load_figures(POSES)


def lengths_hold(pose: Pose) -> None:
    joints = joints_of(pose)
    girdles = {
        "shoulders": 2 * sk.SHOULDER_HALF_WIDTH if pose.front_view else 0.0,
        "hips": 2 * sk.HIP_HALF_WIDTH if pose.front_view else 0.0,
    }
    for name, (start, end) in joints.segments().items():
        expected = girdles[name] if name in girdles else sk.SEGMENT_LENGTHS[name]
        assert math.dist(start, end) == pytest.approx(expected, abs=1e-6), name


angles = st.floats(min_value=0, max_value=359.9)
limbs = st.builds(Limb, angles, angles, angles)
poses = st.builds(
    Pose,
    front_view=st.booleans(),
    lower_back=angles,
    upper_back=angles,
    neck=angles,
    near_arm=limbs,
    far_arm=limbs,
    near_leg=limbs,
    far_leg=limbs,
)


@given(poses, poses, st.floats(min_value=0, max_value=1))
def test_any_mix_of_two_poses_keeps_every_segment_length(a: Pose, b: Pose, t: float) -> None:
    lengths_hold(interpolate(a, b, t))


@given(poses)
def test_mirror_twice_is_the_same_pose(pose: Pose) -> None:
    twice = joints_of(mirror(mirror(pose)))
    for name, point in joints_of(pose).points().items():
        assert twice.points()[name] == pytest.approx(point, abs=1e-6)


@given(poses)
def test_mirror_flips_left_and_right(pose: Pose) -> None:
    flipped = joints_of(mirror(pose)).points()
    for name, (x, y) in joints_of(pose).points().items():
        other = name
        if pose.front_view:  # from the front, near is the picture's left: they trade
            other = name.replace("near_", "far_") if name.startswith("near_") else other
            other = name.replace("far_", "near_") if name.startswith("far_") else other
        assert flipped[other] == pytest.approx((-x, y), abs=1e-6)


def test_interpolation_ends_are_the_keyframes() -> None:
    figure = next(iter(FIGURES.values()))
    first, last = figure.keyframes[0].pose, figure.keyframes[-1].pose
    for t, pose in ((0.0, first), (1.0, last)):
        mixed = joints_of(interpolate(first, last, t)).points()
        for name, point in joints_of(pose).points().items():
            assert mixed[name] == pytest.approx(point, abs=1e-6)


def test_a_figure_on_the_ground_touches_it() -> None:
    figure = FIGURES["bridge"]
    joints = joints_of(figure.keyframes[0].pose, figure.ground)
    lowest = min(y for start, end in joints.segments().values() for _, y in (start, end))
    assert lowest - sk.LIMB_WIDTH / 2 == pytest.approx(figure.ground, abs=sk.TORSO_WIDTH / 2)


def test_pinned_joint_lands_where_pinned() -> None:
    text = (
        (POSES / "bridge.toml")
        .read_text()
        .replace('name = "start"', 'name = "start"\npin = { joint = "near_hand", x = 10, y = 200 }')
    )
    figure = parse_figure(text, "pinned")
    assert joints_of(figure.keyframes[0].pose).near_hand == pytest.approx((10, 200))


@pytest.mark.parametrize("figure", FIGURES.values(), ids=lambda f: f.id)
def test_every_keyframe_keeps_segment_lengths(figure: ExerciseFigure) -> None:
    for keyframe in figure.keyframes:
        lengths_hold(keyframe.pose)
        lengths_hold(mirror(keyframe.pose))


@pytest.mark.parametrize("figure", FIGURES.values(), ids=lambda f: f.id)
def test_every_figure_stays_inside_its_panel(figure: ExerciseFigure) -> None:
    layout = layout_of(figure)
    for panel, keyframe in enumerate(figure.keyframes):
        joints = joints_of(keyframe.pose, figure.ground)
        left = panel * (PANEL + GAP)
        for name, point in joints.points().items():
            x, y = layout.to_svg(panel, point)
            reach = (sk.HEAD_RADIUS if name == "head" else sk.TORSO_WIDTH / 2) * layout.scale
            where = (keyframe.name, name, round(x), round(y))
            assert x - reach >= left, where
            assert x + reach <= left + PANEL, where
            assert y - reach >= 0, where
            assert y + reach <= PANEL, where


def test_committed_svgs_match_the_generator(tmp_path: Path) -> None:
    assert generate(POSES, EXERCISES, check=True) == [], (
        "assets/exercises is stale: run `python -m backtimer.core.figure.generate`"
    )


def test_generating_twice_changes_nothing(tmp_path: Path) -> None:
    assert generate(POSES, tmp_path) != []
    assert generate(POSES, tmp_path) == []


@pytest.mark.parametrize("path", sorted(EXERCISES.glob("*.svg")), ids=lambda p: p.name)
def test_svgs_are_well_formed(path: Path) -> None:
    root = ET.fromstring(path.read_text(encoding="utf-8"))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    figure = FIGURES[path.stem]
    groups = root.findall("{http://www.w3.org/2000/svg}g")
    assert [g.get("id") for g in groups] == [k.name for k in figure.keyframes]
    assert render_svg(figure) == path.read_text(encoding="utf-8")


def test_every_exercise_of_the_library_has_an_illustration() -> None:
    library = load_library(builtin_routines_dir())
    missing = sorted(
        {
            exercise.illustration_id
            for entry in library.entries
            for exercise in entry.routine.exercises
            if exercise.illustration_id not in FIGURES
        }
    )
    assert missing == []
