"""Tests of counting that coaches and of every cue field of an exercise.

Later reps count with the breath ("Two. Breathe in."), the last rep says "Last one.", long
sets say "Three to go.", lead-ins read the first step where it fits, and the ``start`` and
``halfway`` cues are used; the rules are those of the compiler's module docstring. The last
tests run over every built-in routine.
"""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

from backtimer.core.paths import builtin_routines_dir
from backtimer.core.plan import phrases
from backtimer.core.plan.compiler import CUE_GAP_MS, PlanSettings, compile_plan
from backtimer.core.plan.timeline import Cue, CueRole, Plan, Side, Step, StepKind, spoken_texts
from backtimer.core.routine.library import load_library
from backtimer.core.routine.model import Routine
from tests.core.plan.test_compiler import (
    announcement,
    assert_no_overlapping_speech,
    exercise,
    lead_in,
    plan_of,
    speech,
    texts,
    work_steps,
)

#: Speech at 10 characters a second: near espeak's real pace, and easy to reckon with.
TEN_CHARS_A_SECOND = PlanSettings(phrase_ms=lambda text: 100 * len(text))


def inhales(plan: Plan, index: int = 0) -> list[Step]:
    return [s for s in work_steps(plan, index) if s.kind is StepKind.INHALE]


def first_text(step: Step) -> str:
    return texts(step)[0]


# --- counting ---------------------------------------------------------------------------


def test_later_reps_say_their_number_with_the_breath_and_the_last_says_so() -> None:
    plan = plan_of(
        exercise("cat-cow", reps="4", breathing="{ inhale = 3, exhale = 3 }"),
        settings=TEN_CHARS_A_SECOND,
    )
    assert [first_text(s) for s in inhales(plan)] == [
        "Breathe in.",
        "Two. Breathe in.",
        "Three. Breathe in.",
        "Last one. Breathe in.",
    ]
    later = [speech(s)[0] for s in inhales(plan)[1:]]
    assert all(c.role is CueRole.REP for c in later)
    assert all(c.at_ms == s.start_ms for c, s in zip(later, inhales(plan)[1:], strict=True))
    assert_no_overlapping_speech(plan)


def test_later_reps_say_the_exercises_own_inhale_cue() -> None:
    plan = plan_of(
        exercise(
            "bridge",
            reps="3",
            breathing="{ inhale = 3, exhale = 3 }",
            cues='{ inhale = "Lift your hips.", exhale = "Lower slowly." }',
        ),
        settings=TEN_CHARS_A_SECOND,
    )
    assert [first_text(s) for s in inhales(plan)] == [
        "Lift your hips.",
        "Two. Lift your hips.",
        "Last one. Lift your hips.",
    ]
    exhales = [s for s in work_steps(plan, 0) if s.kind is StepKind.EXHALE]
    assert {first_text(s) for s in exhales} == {"Lower slowly."}


def test_a_rep_phrase_too_long_for_the_inhale_falls_back_to_a_shorter_one() -> None:
    long_cue = "Lift your hips slowly and evenly."
    plan = plan_of(
        exercise(
            "bridge",
            reps="3",
            breathing="{ inhale = 2, exhale = 3 }",
            cues=f'{{ inhale = "{long_cue}" }}',
        ),
        settings=TEN_CHARS_A_SECOND,
    )
    # 2 s of inhale: "Two. Breathe in." (1.6 s) fits with its silence, "Last one. Breathe in."
    # (2.1 s) does not.
    assert [first_text(s) for s in inhales(plan)[1:]] == ["Two. Breathe in.", "Last one."]
    assert [s.duration_ms for s in inhales(plan)[1:]] == [2000, 2000]
    # Those not chosen are rendered too: with real phrase lengths they may be chosen.
    rendered = spoken_texts(plan)
    assert f"Two. {long_cue}" in rendered
    assert f"Last one. {long_cue}" in rendered
    assert "Last one. Breathe in." in rendered
    assert f"Two. {long_cue}" in plan.alternative_texts
    assert "Two. Breathe in." not in plan.alternative_texts


def test_a_short_last_inhale_is_lengthened_to_say_last_one() -> None:
    plan = plan_of(
        exercise("cat-cow", reps="3", breathing="{ inhale = 0.5, exhale = 3 }"),
        settings=TEN_CHARS_A_SECOND,
    )
    last = inhales(plan)[-1]
    (cue,) = speech(last)
    assert cue.text == phrases.LAST_ONE
    assert last.duration_ms == 1100  # 0.9 s of speech and its silence, rounded up
    assert cue.end_ms + CUE_GAP_MS <= last.end_ms
    # The other reps keep their pace.
    assert inhales(plan)[1].duration_ms == 500
    assert_no_overlapping_speech(plan)


def test_a_later_rep_waits_for_speech_that_runs_over_from_the_exhale() -> None:
    plan = plan_of(
        exercise(
            "cat-cow",
            reps="2",
            breathing="{ inhale = 3, exhale = 2 }",
            cues='{ exhale = "Breathe out, lower slowly." }',  # 2.6 s in a 2 s exhale
        ),
        settings=TEN_CHARS_A_SECOND,
    )
    last = inhales(plan)[-1]
    (cue,) = speech(last)
    assert cue.text == "Last one. Breathe in."  # 2.1 s: still fits after the wait
    assert cue.at_ms == last.start_ms + 600 + CUE_GAP_MS
    # Only the last exhale's runs into the end of the session and gives way.
    assert all(c.at_ms >= last.end_ms for c in plan.dropped_cues)
    assert_no_overlapping_speech(plan)


@pytest.mark.parametrize(("reps", "said_at"), [(7, None), (8, 6), (10, 8)])
def test_long_sets_say_three_to_go(reps: int, said_at: int | None) -> None:
    plan = plan_of(
        exercise("cat-cow", reps=str(reps), breathing="{ inhale = 3, exhale = 3 }"),
        settings=TEN_CHARS_A_SECOND,
    )
    said = [s.rep_number for s in inhales(plan) if first_text(s).startswith(phrases.THREE_TO_GO)]
    assert said == ([] if said_at is None else [said_at])
    if said_at is not None:
        (step,) = [s for s in inhales(plan) if s.rep_number == said_at]
        assert first_text(step) == "Three to go. Breathe in."


def test_a_set_of_one_rep_has_no_last_one() -> None:
    plan = plan_of(exercise("cat-cow", reps="1"), settings=TEN_CHARS_A_SECOND)
    assert not [c for c in plan.cues if c.text and phrases.LAST_ONE in c.text]


def test_each_side_and_each_set_has_its_own_last_one() -> None:
    plan = plan_of(
        exercise("bird-dog", reps="2", sides='"each"', sets="2", rest_between_sets="10"),
        settings=TEN_CHARS_A_SECOND,
    )
    lasts = [s for s in inhales(plan) if first_text(s).startswith(phrases.LAST_ONE)]
    assert [(s.set_number, s.side) for s in lasts] == [
        (1, Side.RIGHT),
        (1, Side.LEFT),
        (2, Side.RIGHT),
        (2, Side.LEFT),
    ]
    assert all(s.rep_number == s.rep_count == 2 for s in lasts)


def test_alternating_sides_say_the_side_with_the_breath() -> None:
    plan = plan_of(
        exercise("bird-dog", reps="2", sides='"alternate"', breathing="{ inhale = 3, exhale = 3 }"),
        settings=TEN_CHARS_A_SECOND,
    )
    assert [first_text(s) for s in inhales(plan)] == [
        "Right side. Breathe in.",
        "Left side. Breathe in.",
        "Right side. Breathe in.",
        "Last one. Left side.",
    ]


def test_rep_heads() -> None:
    assert phrases.rep_head(2, 5) == "Two."
    assert phrases.rep_head(5, 5) == "Last one."
    assert phrases.rep_head(6, 8) == "Three to go."
    assert phrases.rep_head(6, 7) == "Six."
    assert phrases.rep_head(3, 4, "left") == "Left side."
    assert phrases.rep_head(4, 4, "left") == "Last one. Left side."
    assert phrases.rep_head(22, 30) == "22."
    assert phrases.with_breath("Two.", "Breathe in.") == "Two. Breathe in."


# --- holds, timed work ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cues", "said"),
    [
        ('{ hold = "Keep still." }', ["Keep still.", "Keep still."]),
        ('{ start = "Stay long." }', ["Stay long.", "Stay long."]),
        ('{ hold = "Keep still.", start = "Stay long." }', ["Keep still.", "Keep still."]),
        # Too long to say before the 3-2-1 of a 6 s hold: the generic words instead.
        (
            '{ hold = "Keep your back flat and breathe calmly." }',
            ["Hold for 6 seconds.", "Hold."],
        ),
        ("{}", ["Hold for 6 seconds.", "Hold."]),
    ],
)
def test_a_hold_says_the_hold_cue_or_else_the_start_cue(cues: str, said: list[str]) -> None:
    plan = plan_of(
        exercise("bridge", "hold_reps", reps="2", hold="6", cues=cues),
        settings=TEN_CHARS_A_SECOND,
    )
    holds = [s for s in work_steps(plan, 0) if s.kind is StepKind.HOLD]
    assert [first_text(s) for s in holds] == said
    assert [c.text for c in speech(holds[0], CueRole.COUNTDOWN)] == ["Three", "Two", "One"]


def test_a_hold_cue_too_long_for_a_short_hold_does_not_run_into_the_exhale() -> None:
    plan = plan_of(
        exercise(
            "cat-cow",
            reps="2",
            breathing="{ inhale = 3, hold = 1, exhale = 3 }",
            cues='{ hold = "Keep still now." }',  # 1.5 s in a 1 s hold
        ),
        settings=TEN_CHARS_A_SECOND,
    )
    holds = [s for s in work_steps(plan, 0) if s.kind is StepKind.HOLD]
    assert [first_text(s) for s in holds] == ["Hold.", "Hold."]
    exhales = [s for s in work_steps(plan, 0) if s.kind is StepKind.EXHALE]
    assert all(texts(s) == ["Breathe out."] for s in exhales)
    assert "Keep still now." in plan.alternative_texts


def test_timed_work_opens_with_its_start_cue_and_says_its_own_halfway() -> None:
    plan = plan_of(
        exercise(
            "plank",
            "timed",
            duration="30",
            cues='{ start = "Hold your body straight.", halfway = "Halfway, keep breathing." }',
        ),
        settings=TEN_CHARS_A_SECOND,
    )
    (work,) = work_steps(plan, 0)
    assert texts(work) == [
        "Hold your body straight.",
        "Halfway, keep breathing.",
        "Three",
        "Two",
        "One",
    ]
    (start,) = speech(work, CueRole.BREATH)
    assert start.at_ms == work.start_ms + 200  # after the go beep
    (halfway,) = speech(work, CueRole.HALFWAY)
    assert halfway.at_ms == work.start_ms + 15_000


def test_timed_work_on_each_side_says_the_side_then_the_start_cue() -> None:
    plan = plan_of(
        exercise("side-plank", "timed", duration="10", sides='"each"', cues='{ start = "Lift." }'),
        settings=TEN_CHARS_A_SECOND,
    )
    works = [s for s in work_steps(plan, 0) if s.kind is StepKind.WORK]
    assert [first_text(s) for s in works] == ["Right side. Lift.", "Left side. Lift."]


def test_a_start_cue_too_long_for_short_work_gives_way_to_go() -> None:
    plan = plan_of(
        exercise("plank", "timed", duration="5", cues='{ start = "Hold your body straight." }'),
        settings=TEN_CHARS_A_SECOND,
    )
    (work,) = work_steps(plan, 0)
    assert first_text(work) == phrases.GO
    assert "Hold your body straight." in plan.alternative_texts


def test_breath_paced_timed_work_says_its_start_cue_with_the_first_inhale() -> None:
    plan = plan_of(
        exercise(
            "breathing",
            "timed",
            duration="12",
            breathing="{ inhale = 3, exhale = 3 }",
            cues='{ start = "Sit tall." }',
        ),
        settings=TEN_CHARS_A_SECOND,
    )
    assert [first_text(s) for s in inhales(plan)] == [
        "Sit tall. Breathe in.",
        "Last one. Breathe in.",
    ]


@pytest.mark.parametrize(
    ("cues", "middle"),
    [
        ('{ halfway = "Keep it slow." }', "Keep it slow. Breathe in."),
        ("{}", "Halfway. Breathe in."),
    ],
)
def test_breath_paced_timed_work_says_halfway_on_its_middle_cycle(cues: str, middle: str) -> None:
    plan = plan_of(
        exercise("breathing", "timed", duration="30", breathing="{ inhale = 3, exhale = 3 }"),
        exercise(
            "breathing-2",
            "timed",
            duration="30",
            breathing="{ inhale = 3, exhale = 3 }",
            cues=cues,
        ),
        settings=TEN_CHARS_A_SECOND,
    )
    steps = inhales(plan, 1)
    assert [s.rep_number for s in steps if first_text(s) == middle] == [3]  # of 5 cycles
    assert steps[2].start_ms - steps[0].start_ms == 12_000
    assert first_text(steps[-1]) == "Last one. Breathe in."
    # Shorter than 20 s: no halfway, as for work.
    short = plan_of(
        exercise("breathing", "timed", duration="18", breathing="{ inhale = 3, exhale = 3 }"),
        settings=TEN_CHARS_A_SECOND,
    )
    assert [first_text(s) for s in inhales(short)] == [
        "Breathe in.",
        "Two. Breathe in.",
        "Last one. Breathe in.",
    ]


# --- lead-ins ---------------------------------------------------------------------------


def test_a_lead_in_reads_the_first_step_where_it_fits() -> None:
    blocks = (
        exercise("bridge", steps='["Lie on your back."]'),
        exercise("plank", "timed", steps='["Rest on your forearms."]'),
    )
    plan = plan_of(*blocks, rest=20, settings=TEN_CHARS_A_SECOND)
    first = announcement(plan.steps[0])
    assert first.text == "First: Bridge. 3 times. Lie on your back."
    assert plan.steps[0].duration_ms == 10_000  # not lengthened for the step
    assert announcement(lead_in(plan, 1)).text == (
        "Next: Plank. 10 seconds. Rest on your forearms."
    )


@pytest.mark.parametrize("get_ready_seconds", [3, 6])
def test_a_lead_in_too_short_for_the_first_step_says_the_announcement_alone(
    get_ready_seconds: float,
) -> None:
    settings = PlanSettings(
        get_ready_seconds=get_ready_seconds, phrase_ms=TEN_CHARS_A_SECOND.phrase_ms
    )
    plan = plan_of(exercise("bridge", steps='["Lie on your back."]'), settings=settings)
    cue = announcement(plan.steps[0])
    assert cue.text == "First: Bridge. 3 times."
    # As before, the get-ready step is lengthened for the announcement when it must be.
    assert plan.steps[0].duration_ms == max(get_ready_seconds * 1000, 6000)
    assert "First: Bridge. 3 times. Lie on your back." in plan.alternative_texts


def test_no_first_step_is_read_when_announcing_the_name_only() -> None:
    settings = PlanSettings(announce_next=False, phrase_ms=TEN_CHARS_A_SECOND.phrase_ms)
    plan = plan_of(exercise("bridge", steps='["Lie on your back."]'), settings=settings)
    assert announcement(plan.steps[0]).text == "Bridge."


def test_announce_steps_without_a_rest_do_not_read_the_first_step() -> None:
    blocks = (exercise("bridge"), exercise("plank", "timed", steps='["Rest on your forearms."]'))
    plan = plan_of(*blocks, rest=0, settings=TEN_CHARS_A_SECOND)
    assert announcement(lead_in(plan, 1)).text == "Next: Plank. 10 seconds."


# --- every built-in routine -------------------------------------------------------------

BUILTIN = load_library(builtin_routines_dir(), None)
BUILTIN_ROUTINES: dict[str, Routine] = {e.routine.id: e.routine for e in BUILTIN.entries}


def test_the_builtin_routines_load() -> None:
    assert not BUILTIN.errors
    assert len(BUILTIN_ROUTINES) >= 10


@pytest.mark.parametrize("routine_id", sorted(BUILTIN_ROUTINES))
def test_every_builtin_reps_exercise_says_last_one_on_its_last_rep(routine_id: str) -> None:
    plan = compile_plan(BUILTIN_ROUTINES[routine_id])
    assert_no_overlapping_speech(plan)
    for planned in plan.exercises:
        if planned.kind not in ("reps", "hold_reps"):
            continue
        steps = [plan.steps[i] for i in planned.step_range]
        lasts = [
            s
            for s in steps
            if s.kind is StepKind.INHALE and s.rep_count >= 2 and s.rep_number == s.rep_count
        ]
        runs = {(s.set_number, s.side) for s in steps if s.kind is StepKind.INHALE}
        if planned.sides != "alternate" and planned.reps >= 2:
            assert len(lasts) == len(runs), planned.name
        for step in lasts:
            said = [c.text for c in speech(step)]
            assert said, (planned.name, step)
            assert said[0] is not None
            assert said[0].startswith(phrases.LAST_ONE), (planned.name, said)


_SIDE = re.compile(r"^(Right|Left) side\.$|^Switch sides\. Now the (right|left) side\.$")


def _generic(text: str) -> bool:
    """True for words said for any exercise: numbers, breath words, sides, halfway, "Last
    one." alone, and an announcement ("Next: ...") — none of them the exercise's own."""
    numbers = {phrases.number_word(n) for n in range(21)} | {f"{n}" for n in range(21, 101)}
    bare = text.rstrip(".")
    return (
        bare in numbers
        or text
        in {
            phrases.BREATHE_IN,
            phrases.BREATHE_OUT,
            phrases.HOLD,
            phrases.HALFWAY,
            phrases.LAST_ONE,
            phrases.THREE_TO_GO,
            phrases.GO,
        }
        or _SIDE.match(text) is not None
        or text.startswith(("Next:", "First:"))
        or (text.startswith("Hold for ") and text.endswith(" seconds."))
        or (". " in text and all(_generic(f"{part}.") for part in text.rstrip(".").split(". ")))
    )


def test_the_generic_words_are_recognised() -> None:
    for text in ("Two.", "Two", "Last one. Breathe in.", "Right side. Breathe in.", "Hold."):
        assert _generic(text), text
    assert not _generic("Two. Lift your hips.")
    assert not _generic("Keep your back flat.")


@pytest.mark.parametrize("routine_id", sorted(BUILTIN_ROUTINES))
def test_every_builtin_exercise_has_a_cue_of_its_own(routine_id: str) -> None:
    plan = compile_plan(BUILTIN_ROUTINES[routine_id])
    work_kinds = (StepKind.INHALE, StepKind.HOLD, StepKind.EXHALE, StepKind.WORK)
    own: dict[int, list[Cue]] = defaultdict(list)
    for step in plan.steps:
        if step.kind in work_kinds and step.exercise_index is not None:
            own[step.exercise_index] += [
                c for c in step.cues if c.text is not None and not _generic(c.text)
            ]
    missing = [ex.name for ex in plan.exercises if not own[ex.index]]
    assert not missing, f"{routine_id}: no cue of their own for {missing}"
