"""Properties of compiled plans over generated routines and settings.

:func:`routines` and :func:`plan_settings` are strategies; the scheduler's property tests
use them too.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from backtimer.core.plan import phrases
from backtimer.core.plan.compiler import CUE_GAP_MS, PlanSettings, compile_plan
from backtimer.core.plan.phrases import estimate_speech_ms
from backtimer.core.plan.timeline import CueRole, Plan, Step, StepKind
from backtimer.core.routine.model import Routine

# --- strategies ---------------------------------------------------------------------------


def seconds(low: int, high: int) -> st.SearchStrategy[float]:
    """Seconds from ``low`` to ``high``: whole, or to a tenth."""
    return st.one_of(
        st.integers(low, high),
        st.integers(low * 10, high * 10).map(lambda tenths: tenths / 10),
    )


def ranged(values: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A number, or a ``{min, max}`` table of two of them."""
    return st.one_of(
        values,
        st.tuples(values, values).map(lambda pair: {"min": min(pair), "max": max(pair)}),
    )


breathing_patterns = st.one_of(
    st.just("natural"),
    st.fixed_dictionaries(
        {
            "inhale": st.integers(5, 50).map(lambda tenths: tenths / 10),
            "hold": st.integers(0, 30).map(lambda tenths: tenths / 10),
            "exhale": st.integers(5, 50).map(lambda tenths: tenths / 10),
        }
    ),
)

cue_overrides = st.fixed_dictionaries(
    {},
    optional={
        name: st.sampled_from(["Now.", "Lift your hips and keep your back long.", "Easy."])
        for name in ("announce", "inhale", "hold", "exhale", "switch_side", "start", "halfway")
    },
)


@st.composite
def exercise_dicts(draw: st.DrawFn, index: int) -> dict[str, Any]:
    """A valid exercise table, as a routine file would hold it."""
    kind = draw(st.sampled_from(["timed", "reps", "hold_reps"]))
    exercise: dict[str, Any] = {
        "id": f"exercise-{index}",
        "name": f"Exercise {index}",
        "steps": ["Do it slowly."],
        "kind": kind,
        "source": "default",
        "sets": draw(st.integers(1, 3)),
        "rest_between_sets": draw(seconds(0, 30)),
        "sides": draw(st.sampled_from(["none", "each", "alternate"])),
        "breathing": draw(breathing_patterns),
    }
    if kind == "timed":
        exercise["duration"] = draw(ranged(seconds(1, 60)))
    else:
        exercise["reps"] = draw(ranged(st.integers(1, 10)))
    if kind == "hold_reps":
        exercise["hold"] = draw(ranged(seconds(1, 40)))
    cues = draw(cue_overrides)
    if cues:
        exercise["cues"] = cues
    return exercise


@st.composite
def routine_dicts(draw: st.DrawFn, max_exercises: int = 5) -> dict[str, Any]:
    """A valid routine table with 1 to ``max_exercises`` exercises."""
    count = draw(st.integers(1, max_exercises))
    return {
        "schema_version": 1,
        "id": "generated",
        "title": "Generated routine",
        "summary": "A routine made up by the tests.",
        "category": "other",
        "rest_between_exercises": draw(seconds(0, 20)),
        "exercises": [draw(exercise_dicts(index)) for index in range(count)],
    }


def routines(max_exercises: int = 5) -> st.SearchStrategy[Routine]:
    """Valid routines."""
    return routine_dicts(max_exercises).map(Routine.model_validate)


@dataclass(frozen=True)
class LinearPhraseTimer:
    """A made-up speech length: ``base + per_char * len(text)`` ms."""

    base: int
    per_char: int

    def __call__(self, text: str) -> int:
        return self.base + self.per_char * len(text)


phrase_timers = st.one_of(
    st.just(estimate_speech_ms),
    st.builds(LinearPhraseTimer, base=st.integers(0, 2000), per_char=st.integers(0, 250)),
)


@st.composite
def plan_settings(draw: st.DrawFn) -> PlanSettings:
    """Settings: a get-ready length, a phrase timer and maybe some reps from progression."""
    reps = draw(
        st.dictionaries(
            st.integers(0, 5).map(lambda index: f"exercise-{index}"),
            st.integers(0, 10),
            max_size=2,
        )
    )
    return PlanSettings(
        get_ready_seconds=draw(seconds(0, 15)),
        reps=reps,
        phrase_ms=draw(phrase_timers),
    )


def plans() -> st.SearchStrategy[Plan]:
    """Compiled plans of generated routines under generated settings."""
    return st.builds(compile_plan, routines(), plan_settings())


#: As many examples as the Hypothesis profile gives (tests/conftest.py: few locally, more in CI).
PROPERTY = settings(deadline=None)


# --- properties ---------------------------------------------------------------------------
#
# Each ``check_*`` function is one property; the tests run them in two groups so that the
# examples are generated once per group (generating them is most of the cost).


def check_offsets_never_go_back(plan: Plan) -> None:
    assert plan.steps[0].start_ms == 0
    for index, step in enumerate(plan.steps):
        assert step.index == index
        assert step.duration_ms > 0, step
        if index:
            previous = plan.steps[index - 1]
            assert step.start_ms == previous.end_ms
            assert step.start_ms > previous.start_ms


def check_total_is_the_sum_of_the_durations(plan: Plan) -> None:
    assert plan.total_ms == sum(step.duration_ms for step in plan.steps)
    assert plan.steps[-1].kind is StepKind.DONE
    assert [s.kind for s in plan.steps].count(StepKind.DONE) == 1


def _rep_key(step: Step) -> tuple[int | None, int, int, object]:
    return (step.exercise_index, step.set_number, step.rep_number, step.side)


def check_each_rep_is_inhale_then_hold_then_exhale_with_nothing_in_between(plan: Plan) -> None:
    steps = plan.steps
    index = 0
    while index < len(steps):
        step = steps[index]
        assert step.kind not in (StepKind.HOLD, StepKind.EXHALE), f"{step} has no inhale"
        if step.kind is StepKind.INHALE:
            assert step.rep_number >= 1
            assert step.rep_number <= step.rep_count
            rep = [step]
            index += 1
            if steps[index].kind is StepKind.HOLD:
                rep.append(steps[index])
                index += 1
            assert steps[index].kind is StepKind.EXHALE, steps[index]
            rep.append(steps[index])
            assert {_rep_key(s) for s in rep} == {_rep_key(step)}
        index += 1


def check_kept_spoken_cues_never_overlap(plan: Plan) -> None:
    spoken = sorted((c for c in plan.cues if c.is_speech), key=lambda c: c.at_ms)
    for before, after in pairwise(spoken):
        assert after.at_ms >= before.end_ms + CUE_GAP_MS, (before, after)
    assert all(c.is_speech for c in plan.dropped_cues)
    assert not set(plan.dropped_cues) & set(spoken)


def check_every_cue_lies_within_the_plan_and_its_step(plan: Plan) -> None:
    for step in plan.steps:
        for cue in step.cues:
            assert cue.at_ms >= 0
            assert cue.end_ms <= plan.total_ms, cue
            assert step.start_ms <= cue.at_ms < step.end_ms, (step, cue)
    assert [c.at_ms for c in plan.cues] == sorted(c.at_ms for c in plan.cues)


def check_announcements_end_within_their_step(plan: Plan) -> None:
    announced = set()
    for step in plan.steps:
        for cue in step.cues:
            if cue.role is CueRole.ANNOUNCE:
                assert cue.end_ms <= step.end_ms, (step, cue)
                announced.add(step.index)
    assert announced == {e.entry_step for e in plan.exercises}


def check_the_last_rep_of_every_run_says_so(plan: Plan) -> None:
    """Every run of 2 or more reps (or breaths) says "Last one." as its last one starts."""
    for step in plan.steps:
        if (
            step.kind is StepKind.INHALE
            and step.rep_count >= 2
            and step.rep_number == step.rep_count
        ):
            spoken = [c for c in step.cues if c.is_speech]
            assert spoken, step
            assert spoken[0].text is not None
            assert spoken[0].text.startswith(phrases.LAST_ONE), step
            assert spoken[0].end_ms + CUE_GAP_MS <= step.end_ms, step


def check_exercise_step_ranges_tile_the_plan(plan: Plan) -> None:
    expected_entry = 0
    for index, exercise in enumerate(plan.exercises):
        assert exercise.index == index
        assert exercise.entry_step == expected_entry
        assert exercise.entry_step <= exercise.first_step <= exercise.last_step
        assert exercise.first_step == exercise.entry_step + 1
        entry = plan.steps[exercise.entry_step]
        lead_ins = (StepKind.GET_READY,) if index == 0 else (StepKind.REST, StepKind.ANNOUNCE)
        assert entry.kind in lead_ins
        assert plan.steps[exercise.first_step].kind in (StepKind.INHALE, StepKind.WORK)
        for step_index in exercise.step_range:
            assert plan.steps[step_index].exercise_index == index
        expected_entry = exercise.last_step + 1
    assert expected_entry == len(plan.steps) - 1


@PROPERTY
@given(plans())
def test_steps_follow_each_other_and_tile_the_exercises(plan: Plan) -> None:
    check_offsets_never_go_back(plan)
    check_total_is_the_sum_of_the_durations(plan)
    check_each_rep_is_inhale_then_hold_then_exhale_with_nothing_in_between(plan)
    check_exercise_step_ranges_tile_the_plan(plan)


@PROPERTY
@given(plans())
def test_cues_stay_apart_and_within_their_steps(plan: Plan) -> None:
    check_kept_spoken_cues_never_overlap(plan)
    check_every_cue_lies_within_the_plan_and_its_step(plan)
    check_announcements_end_within_their_step(plan)
    check_the_last_rep_of_every_run_says_so(plan)
