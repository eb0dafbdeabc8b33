"""The built-in library: all ten routines of the content map, valid, sourced and sized."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from backtimer.core.paths import builtin_routines_dir
from backtimer.core.plan.compiler import compile_plan
from backtimer.core.routine.library import load_library
from backtimer.core.routine.model import Routine
from tests.helpers.routines import BACK_ROUTINE

SEED = re.compile(r"^\d{3}_[0-9a-f]{16}\.txt$")
LIBRARY = load_library(builtin_routines_dir())
ROUTINES = {entry.routine.id: entry.routine for entry in LIBRARY.entries}

EXPECTED_IDS = {
    "warm-up",
    "back-strengthening",
    "stretch-and-strengthen",
    "neck",
    "lower-back",
    "spine-stretch",
    "posture",
    "home-workout",
    "desk-break",
    "kids-posture",
}


def minutes(routine_id: str) -> float:
    return compile_plan(ROUTINES[routine_id]).total_ms / 60_000


def test_all_ten_routines_load() -> None:
    assert LIBRARY.errors == []
    assert set(ROUTINES) == EXPECTED_IDS


@pytest.mark.parametrize("routine", ROUTINES.values(), ids=lambda r: r.id)
def test_every_exercise_names_its_seed_article(routine: Routine) -> None:
    for exercise in routine.exercises:
        assert SEED.match(exercise.source), (exercise.id, exercise.source)
        assert exercise.steps, exercise.id


def test_warm_up_takes_about_five_minutes() -> None:
    assert 4.5 <= minutes("warm-up") <= 6.0


def test_desk_break_takes_two_to_three_minutes() -> None:
    assert 2.0 <= minutes("desk-break") <= 3.0


def test_stretch_and_strengthen_is_a_full_session() -> None:
    assert 20.0 <= minutes("stretch-and-strengthen") <= 30.0


def test_reps_from_two_to_ten_where_the_articles_say_so() -> None:
    ranged = [
        exercise
        for exercise in ROUTINES["back-strengthening"].exercises
        if exercise.reps is not None and exercise.reps.is_range
    ]
    assert ranged
    assert all((e.reps.min, e.reps.max) == (2, 10) for e in ranged if e.reps is not None)


@pytest.mark.timeout(30)
def test_special_files_in_the_user_folder_are_skipped_and_reported(tmp_path: Path) -> None:
    """A FIFO or a link to /dev/zero named *.toml neither hangs the library nor hides the
    routines beside it."""
    user = tmp_path / "routines"
    user.mkdir()
    (user / "back.toml").write_text(BACK_ROUTINE, encoding="utf-8")
    os.mkfifo(user / "pipe.toml")
    (user / "zero.toml").symlink_to("/dev/zero")
    library = load_library(builtin_routines_dir(), user)
    assert "back" in library.ids
    assert set(EXPECTED_IDS) <= set(library.ids)
    problems = {Path(error.file).name: error.message for error in library.errors}
    assert problems == {
        "pipe.toml": "expected a regular file, found a named pipe (FIFO)",
        "zero.toml": "expected a regular file, found a character device",
    }
