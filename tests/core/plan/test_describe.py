"""Plans in words: every phase has a human label, in the exercise's own words when it has them."""

from __future__ import annotations

import pytest

from backtimer.core.paths import builtin_routines_dir
from backtimer.core.plan.compiler import compile_plan
from backtimer.core.plan.describe import (
    STEP_WORDS,
    action_words,
    describe_next,
    format_length,
)
from backtimer.core.plan.timeline import Plan, Side, Step, StepKind
from backtimer.core.routine.library import load_library
from backtimer.core.routine.loader import parse_routine
from backtimer.core.routine.model import Exercise, Routine

#: Internal names and machine words that must never reach the screen.
NOT_HUMAN = ("Go", "Work", "work", "_", "Breathe out and return", "Next up", "None")


def builtin_routines() -> list[Routine]:
    return [entry.routine for entry in load_library(builtin_routines_dir()).entries]


def human(text: str) -> bool:
    words = text.replace(",", " ").replace("·", " ").split()
    return bool(text.strip()) and not any(
        bad in words or (len(bad) > 2 and bad in text) for bad in NOT_HUMAN
    )


def test_every_step_kind_has_plain_words() -> None:
    assert set(STEP_WORDS) == set(StepKind)
    for kind, words in STEP_WORDS.items():
        assert human(words), kind
        assert words[0].isupper()
        assert words != kind.value


@pytest.mark.parametrize("kind", list(StepKind))
def test_what_to_do_is_human_for_every_step_kind(kind: StepKind) -> None:
    step = Step(index=0, kind=kind, start_ms=0, duration_ms=3000, exercise_index=0)
    assert human(action_words(step)), kind


@pytest.mark.parametrize("routine", builtin_routines(), ids=lambda r: r.id)
def test_every_step_of_every_built_in_routine_reads_as_words(routine: Routine) -> None:
    plan = compile_plan(routine)
    for step in plan.steps:
        cues = (
            routine.exercises[step.exercise_index].cues if step.exercise_index is not None else None
        )
        assert human(action_words(step, cues)), step
        following = describe_next(plan, step)
        assert following.startswith("Next: "), following
        assert human(following), following


def belly_breathing() -> tuple[Routine, Plan]:
    routine = next(r for r in builtin_routines() if r.id == "warm-up")
    return routine, compile_plan(routine)


def test_a_breath_follows_the_exercise_s_own_words() -> None:
    routine, plan = belly_breathing()
    cues = routine.exercises[0].cues
    exhale = next(s for s in plan.steps if s.kind is StepKind.EXHALE and s.exercise_index == 0)
    inhale = next(s for s in plan.steps if s.kind is StepKind.INHALE and s.exercise_index == 0)
    assert action_words(exhale, cues) == "Breathe out through your nose, belly in"
    assert action_words(inhale, cues) == "Breathe in through your mouth, belly out"
    assert action_words(exhale) == "Breathe out"  # no words of its own: plain ones


def test_timed_work_says_its_start_cue_or_keep_going() -> None:
    routine = next(r for r in builtin_routines() if r.id == "posture")
    plan = compile_plan(routine)
    work = next(s for s in plan.steps if s.kind is StepKind.WORK)
    assert step_exercise(routine, work).cues.start
    assert (
        action_words(work, step_exercise(routine, work).cues)
        == "Lift into one straight line, head to heels"
    )
    assert action_words(work) == "Keep going"


def step_exercise(routine: Routine, step: Step) -> Exercise:
    assert step.exercise_index is not None
    return routine.exercises[step.exercise_index]


ROUTINE = """
schema_version = 1
id = "two"
title = "Two"
summary = "Two moves."
category = "stretch"
rest_between_exercises = 10

[[exercises]]
id = "bridge"
name = "Bridge"
steps = ["Lift."]
kind = "hold_reps"
reps = 2
hold = 5
sets = 2
rest_between_sets = 20
breathing = { inhale = 2, exhale = 2 }
source = "default"

[[exercises]]
id = "cat-stretch"
name = "Cat stretch"
steps = ["Round the back."]
kind = "timed"
duration = 30
sides = "each"
source = "default"
"""


def test_next_says_what_comes_in_words() -> None:
    plan = compile_plan(parse_routine(ROUTINE))
    texts = {describe_next(plan, step) for step in plan.steps}
    assert "Next: Bridge · 2 reps" in texts  # from get-ready
    assert "Next: Hold · 5 s" in texts  # from an inhale
    assert "Next: Breathe out · 2 s" in texts  # from a hold
    assert "Next: Rep 2 of 2" in texts  # from an exhale
    assert "Next: Rest 20 s, then set 2 of 2" in texts
    assert "Next: Rest 10 s, then Cat stretch" in texts
    assert "Next: Cat stretch · 30 s" in texts  # from the rest before it
    assert "Next: Switch to the left side" in texts
    assert "Next: the end" in texts


def test_switching_sides_names_the_side() -> None:
    step = Step(
        index=0,
        kind=StepKind.SWITCH_SIDE,
        start_ms=0,
        duration_ms=3000,
        exercise_index=0,
        side=Side.LEFT,
    )
    assert action_words(step) == "Switch to the left side"


@pytest.mark.parametrize(
    ("ms", "text"),
    [(0, "0 s"), (30_000, "30 s"), (29_001, "30 s"), (60_000, "1 min"), (75_000, "1 min 15 s")],
)
def test_format_length(ms: int, text: str) -> None:
    assert format_length(ms) == text
