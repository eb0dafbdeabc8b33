"""The picker's rules: the warm-up first in a fixed order, what you have, the length limit,
an exercise's numbers, and the one planned length."""

from __future__ import annotations

from dataclasses import replace

from backtimer.app.durations import length_text, planned_length_ms
from backtimer.app.picker import (
    describe_numbers,
    fits_length,
    missing_equipment,
    needs_covered,
    picker_order,
)
from backtimer.core.paths import builtin_routines_dir
from backtimer.core.plan.compiler import PlanSettings, compile_plan
from backtimer.core.routine.kinds import Equipment, Sides
from backtimer.core.routine.library import load_library
from backtimer.core.routine.model import Routine
from tests.helpers.routines import back_routine


def builtin() -> list[Routine]:
    return [entry.routine for entry in load_library(builtin_routines_dir()).entries]


def test_the_warm_up_comes_first_and_the_order_is_stable() -> None:
    routines = builtin()
    ordered = [routine.id for routine in picker_order(routines)]
    assert ordered[:2] == ["warm-up", "desk-break"]
    assert ordered[-1] == "kids-posture"
    assert [r.id for r in picker_order(reversed(routines))] == ordered


def test_the_builtin_routines_share_a_few_categories() -> None:
    categories = {routine.category for routine in builtin()}
    assert len(categories) == 7


def test_a_routine_shows_when_everything_it_needs_is_at_hand() -> None:
    neck = next(r for r in builtin() if r.id == "neck")  # a chair and a mat
    assert needs_covered(neck, {Equipment.CHAIR, Equipment.MAT, Equipment.WALL})
    assert not needs_covered(neck, {Equipment.MAT})
    assert missing_equipment(neck, {Equipment.MAT}) == [Equipment.CHAIR]
    warm_up = next(r for r in builtin() if r.id == "warm-up")
    assert needs_covered(warm_up, set())


def test_the_length_limit() -> None:
    assert fits_length(10 * 60_000, None)
    assert fits_length(5 * 60_000, 5)
    assert not fits_length(5 * 60_000 + 1, 5)


def test_an_exercises_numbers_use_the_reps_decided() -> None:
    bridge, plank, _cat = back_routine().exercises
    assert describe_numbers(bridge, None) == "2 reps"
    assert describe_numbers(bridge, 4) == "4 reps"
    assert describe_numbers(plank, None) == "20 s"
    held = bridge.model_copy(update={"sets": 2, "sides": Sides.EACH, "hold": bridge.reps})
    assert describe_numbers(held, 1) == "1 rep · hold 2 s · 2 sets · each side"


def test_the_planned_length_is_the_plan_with_estimates_and_counts_a_partial_second() -> None:
    routine = back_routine()
    settings = PlanSettings(get_ready_seconds=3, reps={"bridge": 5})
    slow = replace(settings, phrase_ms=lambda text: 10_000)  # a real voice, much slower
    assert planned_length_ms(routine, slow) == compile_plan(routine, settings).total_ms
    assert length_text(155_000) == "2:35"
    assert length_text(155_001) == "2:36"
