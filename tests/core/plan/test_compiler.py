"""Unit tests for the plan compiler, on small routines written as TOML.

Each test builds a routine with :func:`routine` from one or more :func:`exercise` blocks and
compiles it; the rules checked are those of the compiler's module docstring.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise

import pytest

from backtimer.core.plan import phrases
from backtimer.core.plan.compiler import (
    ANNOUNCE_TAIL_MS,
    CUE_GAP_MS,
    SWITCH_SIDE_MIN_MS,
    PlanSettings,
    compile_plan,
)
from backtimer.core.plan.phrases import estimate_speech_ms
from backtimer.core.plan.timeline import (
    ROLE_PRIORITY,
    Beep,
    Cue,
    CueRole,
    Plan,
    Side,
    Step,
    StepKind,
)
from backtimer.core.routine.loader import parse_routine
from backtimer.core.routine.model import Routine

# --- helpers ------------------------------------------------------------------------------

_KIND_DEFAULTS: dict[str, dict[str, str]] = {
    "timed": {"duration": "10"},
    "reps": {"reps": "3"},
    "hold_reps": {"reps": "3", "hold": "5"},
}

_REP_KINDS = (StepKind.INHALE, StepKind.HOLD, StepKind.EXHALE)
_WORK_KINDS = (*_REP_KINDS, StepKind.WORK)


def exercise(ex_id: str = "bridge", kind: str = "reps", **fields: str | None) -> str:
    """One ``[[exercises]]`` block; ``fields`` are TOML values that add, replace or (None) drop
    keys of a valid exercise of ``kind``."""
    merged: dict[str, str | None] = {
        "id": f'"{ex_id}"',
        "name": f'"{ex_id.replace("-", " ").capitalize()}"',
        "kind": f'"{kind}"',
        **_KIND_DEFAULTS[kind],
        "steps": '["Do it slowly."]',
        "source": '"default"',
        **fields,
    }
    lines = [f"{key} = {value}" for key, value in merged.items() if value is not None]
    return "\n[[exercises]]\n" + "\n".join(lines) + "\n"


def routine(*blocks: str, rest: float = 10) -> Routine:
    """A routine of the given exercise blocks, with ``rest`` seconds between exercises."""
    text = (
        "schema_version = 1\n"
        'id = "test-routine"\n'
        'title = "Test routine"\n'
        'summary = "A routine for the tests."\n'
        'category = "other"\n'
        f"rest_between_exercises = {rest}\n"
    )
    return parse_routine(text + "".join(blocks or (exercise(),)), "<test>")


def plan_of(*blocks: str, rest: float = 10, settings: PlanSettings | None = None) -> Plan:
    """The compiled plan of ``routine(*blocks, rest=rest)``."""
    return compile_plan(routine(*blocks, rest=rest), settings)


def speech(step: Step, role: CueRole | None = None) -> list[Cue]:
    """The spoken cues of ``step``, optionally only those of ``role``."""
    return [c for c in step.cues if c.is_speech and (role is None or c.role is role)]


def texts(step: Step) -> list[str]:
    """The texts of the spoken cues of ``step``."""
    return [c.text for c in step.cues if c.text is not None]


def exercise_steps(plan: Plan, index: int) -> list[Step]:
    """All steps of exercise ``index``, lead-in included."""
    return [plan.steps[i] for i in plan.exercises[index].step_range]


def work_steps(plan: Plan, index: int) -> list[Step]:
    """The working steps of exercise ``index``, in order."""
    return [s for s in exercise_steps(plan, index) if s.kind in _WORK_KINDS]


def lead_in(plan: Plan, index: int) -> Step:
    """The lead-in step of exercise ``index``."""
    return plan.steps[plan.exercises[index].entry_step]


def announcement(step: Step) -> Cue:
    """The one announcement cue of a lead-in step."""
    (cue,) = speech(step, CueRole.ANNOUNCE)
    return cue


def said(cue: Cue, announcement_text: str, first_step: str = "Do it slowly.") -> bool:
    """True when ``cue`` says the announcement, alone or followed by the first step."""
    return cue.text in (announcement_text, f"{announcement_text} {first_step}")


def clash(a: Cue, b: Cue) -> bool:
    """True when spoken cues ``a`` and ``b`` are closer than the gap kept around speech."""
    return a.at_ms < b.end_ms + CUE_GAP_MS and b.at_ms < a.end_ms + CUE_GAP_MS


def assert_no_overlapping_speech(plan: Plan) -> None:
    spoken = sorted((c for c in plan.cues if c.is_speech), key=lambda c: c.at_ms)
    for before, after in pairwise(spoken):
        assert after.at_ms >= before.end_ms + CUE_GAP_MS, (before, after)


def long_phrases(factor: int = 250) -> Callable[[str], int]:
    """A phrase timer that makes every phrase very long: ``factor`` ms per character."""
    return lambda text: factor * len(text)


#: Phrase timers the lead-in tests run under: the estimate, and real but very slow speech.
PHRASE_TIMERS = pytest.mark.parametrize(
    "phrase_ms",
    [estimate_speech_ms, long_phrases()],
    ids=["estimate", "long-phrases"],
)

THREE_EXERCISES = (
    exercise("knees-to-chest", "hold_reps", reps="2", hold="5"),
    exercise("cat-cow", "reps", reps="3"),
    exercise("shoulder-rolls", "timed", duration="8"),
)


# --- lead-ins -----------------------------------------------------------------------------


@pytest.mark.parametrize("get_ready_seconds", [0, 3, 10, 15, 60])
@PHRASE_TIMERS
def test_get_ready_announces_the_first_exercise_and_lasts_long_enough(
    get_ready_seconds: float, phrase_ms: Callable[[str], int]
) -> None:
    settings = PlanSettings(get_ready_seconds=get_ready_seconds, phrase_ms=phrase_ms)
    plan = plan_of(*THREE_EXERCISES, settings=settings)
    first = plan.steps[0]
    assert first.kind is StepKind.GET_READY
    assert first.start_ms == 0
    assert first.exercise_index == 0
    assert plan.exercises[0].entry_step == 0
    assert first.duration_ms >= get_ready_seconds * 1000
    cue = announcement(first)
    ex = routine(*THREE_EXERCISES).exercises[0]
    assert said(cue, phrases.announce(ex, 2, first=True))
    assert cue.text is not None
    assert cue.text.startswith("First: Knees to chest.")
    assert cue.at_ms == 0
    assert cue.duration_ms == phrase_ms(cue.text)
    assert cue.end_ms <= first.end_ms
    assert cue in plan.cues


def test_get_ready_is_lengthened_for_a_long_announcement() -> None:
    settings = PlanSettings(get_ready_seconds=2, phrase_ms=lambda text: 9_000)
    plan = plan_of(exercise(), settings=settings)
    first = plan.steps[0]
    # The phrase, a short silence and the 3-2-1 count-in fit, rounded up to a whole second.
    assert first.duration_ms == 13_000
    beeps = [c for c in first.cues if c.beep is Beep.COUNT]
    assert [c.at_ms for c in beeps] == [10_000, 11_000, 12_000]


@pytest.mark.parametrize("rest", [1, 2, 5, 10, 30])
@PHRASE_TIMERS
def test_each_later_exercise_is_led_in_by_a_rest_that_holds_its_announcement(
    rest: float, phrase_ms: Callable[[str], int]
) -> None:
    plan = plan_of(*THREE_EXERCISES, rest=rest, settings=PlanSettings(phrase_ms=phrase_ms))
    ex = routine(*THREE_EXERCISES).exercises
    for index in (1, 2):
        step = lead_in(plan, index)
        assert step.kind is StepKind.REST
        assert step.exercise_index == index
        assert plan.exercises[index].first_step == step.index + 1
        assert step.duration_ms >= rest * 1000
        cue = announcement(step)
        assert said(cue, phrases.announce(ex[index], plan.exercises[index].reps, first=False))
        assert cue.text is not None
        assert cue.text.startswith("Next: ")
        assert step.start_ms <= cue.at_ms
        assert cue.end_ms <= step.end_ms
        # A rest beep opens it and the announcement does not talk over it.
        assert step.cues[0] == Cue(step.start_ms, CueRole.BEEP, beep=Beep.REST, duration_ms=200)
        assert cue.at_ms >= step.cues[0].end_ms + CUE_GAP_MS
        # The count-in comes after the announcement and a short silence.
        count = [c for c in step.cues if c.beep is Beep.COUNT]
        assert [c.at_ms for c in count] == [step.end_ms - k * 1000 for k in (3, 2, 1)]
        assert cue.end_ms + ANNOUNCE_TAIL_MS <= count[0].at_ms


@PHRASE_TIMERS
def test_a_rest_too_short_for_its_announcement_is_lengthened(
    phrase_ms: Callable[[str], int],
) -> None:
    plan = plan_of(*THREE_EXERCISES, rest=1, settings=PlanSettings(phrase_ms=phrase_ms))
    for index in (1, 2):
        step = lead_in(plan, index)
        cue = announcement(step)
        assert step.duration_ms > 1000
        assert cue.end_ms + ANNOUNCE_TAIL_MS + 3000 <= step.end_ms
        assert cue.end_ms <= step.end_ms


def test_a_long_enough_rest_keeps_its_length_and_announces_after_a_second() -> None:
    plan = plan_of(*THREE_EXERCISES, rest=20)
    step = lead_in(plan, 1)
    assert step.duration_ms == 20_000
    assert announcement(step).at_ms == step.start_ms + 1000


@PHRASE_TIMERS
def test_no_rest_between_exercises_gives_announce_steps(phrase_ms: Callable[[str], int]) -> None:
    plan = plan_of(*THREE_EXERCISES, rest=0, settings=PlanSettings(phrase_ms=phrase_ms))
    assert not [s for s in plan.steps if s.kind is StepKind.REST]
    for index in (1, 2):
        step = lead_in(plan, index)
        assert step.kind is StepKind.ANNOUNCE
        assert step.exercise_index == index
        cue = announcement(step)
        assert cue.text is not None
        assert cue.text.startswith("Next: ")
        assert step.start_ms < cue.at_ms
        assert cue.end_ms <= step.end_ms
    assert_no_overlapping_speech(plan)


def test_announcement_override_replaces_the_generated_text() -> None:
    plan = plan_of(
        exercise("bridge", cues='{ announce = "Bridges now." }'),
        exercise("plank", "timed", cues='{ announce = "Plank time." }'),
    )
    assert said(announcement(plan.steps[0]), "Bridges now.")
    assert said(announcement(lead_in(plan, 1)), "Plank time.")


def test_announcement_describes_reps_holds_sides_and_sets() -> None:
    plan = plan_of(
        exercise("bird-dog", "hold_reps", reps="{ min = 4, max = 8 }", hold="5", sides='"each"'),
        exercise("cat-cow", sets="2", sides='"alternate"', reps="6"),
        exercise("shoulder-rolls", "timed", duration="30"),
    )
    assert said(announcement(plan.steps[0]), "First: Bird dog. 4 times, hold 5 seconds, each side.")
    assert said(
        announcement(lead_in(plan, 1)), "Next: Cat cow. 6 times, alternating sides, 2 sets."
    )
    assert said(announcement(lead_in(plan, 2)), "Next: Shoulder rolls. 30 seconds.")


# --- reps, holds, sides, sets ---------------------------------------------------------------


def test_reps_are_inhale_hold_exhale_with_the_breathing_pattern() -> None:
    plan = plan_of(
        exercise("cat-cow", reps="3", breathing="{ inhale = 2, hold = 1.5, exhale = 3 }"),
    )
    steps = work_steps(plan, 0)
    assert [s.kind for s in steps] == [StepKind.INHALE, StepKind.HOLD, StepKind.EXHALE] * 3
    assert [s.duration_ms for s in steps] == [2000, 1500, 3000] * 3
    assert [s.rep_number for s in steps] == [1, 1, 1, 2, 2, 2, 3, 3, 3]
    assert {s.rep_count for s in steps} == {3}
    assert {(s.set_number, s.set_count, s.side) for s in steps} == {(1, 1, None)}


def test_reps_with_natural_breathing_have_no_hold() -> None:
    plan = plan_of(exercise("pelvic-tilts", reps="2"))
    steps = work_steps(plan, 0)
    assert [s.kind for s in steps] == [StepKind.INHALE, StepKind.EXHALE] * 2
    assert [s.duration_ms for s in steps] == [2000, 2000] * 2
    assert texts(steps[0]) == ["Breathe in."]
    assert steps[0].cues[0].beep is Beep.GO
    assert texts(steps[1]) == ["Breathe out."]
    # The last rep says so; the inhale of 2 s has no room for the breath as well.
    assert texts(steps[2]) == ["Last one."]
    assert speech(steps[2])[0].role is CueRole.REP


def test_hold_reps_use_the_low_end_of_the_ranges() -> None:
    plan = plan_of(
        exercise("bridge", "hold_reps", reps="{ min = 2, max = 6 }", hold="{ min = 6, max = 10 }"),
    )
    steps = work_steps(plan, 0)
    assert [s.kind for s in steps] == [StepKind.INHALE, StepKind.HOLD, StepKind.EXHALE] * 2
    holds = [s for s in steps if s.kind is StepKind.HOLD]
    assert [s.duration_ms for s in holds] == [6000, 6000]
    assert plan.exercises[0].reps == 2
    assert plan.exercises[0].hold_seconds == 6
    assert texts(holds[0])[0] == "Hold for 6 seconds."
    assert texts(holds[1])[0] == "Hold."
    # A long hold ends with a beep before the exhale's words.
    exhale = steps[2]
    assert exhale.cues[0].beep is Beep.HOLD_END
    assert speech(exhale)[0].at_ms == exhale.start_ms + 200


def test_hold_reps_hold_replaces_the_breathing_hold() -> None:
    plan = plan_of(
        exercise(
            "bridge",
            "hold_reps",
            reps="2",
            hold="3",
            breathing="{ inhale = 3, hold = 2, exhale = 4 }",
        ),
        settings=PlanSettings(phrase_ms=lambda text: 300),
    )
    assert [s.duration_ms for s in work_steps(plan, 0)] == [3000, 3000, 4000] * 2


def test_sides_each_runs_right_then_switches_then_left() -> None:
    plan = plan_of(exercise("leg-raise", reps="2", sides='"each"'))
    steps = exercise_steps(plan, 0)[1:]
    kinds = [s.kind for s in steps]
    assert kinds == [
        *[StepKind.INHALE, StepKind.EXHALE] * 2,
        StepKind.SWITCH_SIDE,
        *[StepKind.INHALE, StepKind.EXHALE] * 2,
    ]
    switch = steps[4]
    assert [s.side for s in steps[:4]] == [Side.RIGHT] * 4
    assert [s.side for s in steps[5:]] == [Side.LEFT] * 4
    assert switch.side is Side.LEFT
    assert switch.duration_ms >= SWITCH_SIDE_MIN_MS
    (cue,) = speech(switch)
    assert cue.role is CueRole.SWITCH_SIDE
    assert cue.text == "Switch sides. Now the left side."
    assert cue.end_ms <= switch.end_ms
    assert switch.cues[0].beep is Beep.REST
    assert [s.rep_number for s in steps[5:]] == [1, 1, 2, 2]
    assert texts(steps[0])[0] == "Right side. Breathe in."
    assert texts(steps[5])[0] == "Left side. Breathe in."


def test_timed_sides_each_gives_two_work_steps_around_a_switch() -> None:
    plan = plan_of(exercise("side-stretch", "timed", duration="10", sides='"each"'))
    steps = exercise_steps(plan, 0)[1:]
    assert [(s.kind, s.side) for s in steps] == [
        (StepKind.WORK, Side.RIGHT),
        (StepKind.SWITCH_SIDE, Side.LEFT),
        (StepKind.WORK, Side.LEFT),
    ]
    assert [s.duration_ms for s in steps if s.kind is StepKind.WORK] == [10_000, 10_000]
    assert "Switch sides" in texts(steps[1])[0]
    assert texts(steps[0])[0] == "Right side."
    assert texts(steps[2])[0] == "Left side."


def test_sides_alternate_alternates_rep_by_rep() -> None:
    plan = plan_of(exercise("bird-dog", "hold_reps", reps="3", hold="2", sides='"alternate"'))
    steps = work_steps(plan, 0)
    assert not [s for s in plan.steps if s.kind is StepKind.SWITCH_SIDE]
    inhales = [s for s in steps if s.kind is StepKind.INHALE]
    assert [s.side for s in inhales] == [Side.RIGHT, Side.LEFT] * 3
    assert [s.rep_number for s in inhales] == [1, 2, 3, 4, 5, 6]
    for inhale in inhales:
        rep = [s for s in steps if s.rep_number == inhale.rep_number]
        assert [s.kind for s in rep] == list(_REP_KINDS)
        assert {s.side for s in rep} == {inhale.side}
    later = [speech(s) for s in inhales[1:]]
    assert [[(c.text, c.role) for c in cues] for cues in later] == [
        [("Left side.", CueRole.REP)],
        [("Right side.", CueRole.REP)],
    ] * 2 + [[("Last one. Left side.", CueRole.REP)]]
    assert [s.rep_count for s in steps] == [6] * len(steps)


#: Speech at 10 characters a second: near espeak's real pace, and easy to reckon with.
TEN_CHARS_A_SECOND = PlanSettings(phrase_ms=lambda text: 100 * len(text))


@pytest.mark.parametrize("sides", ["each", "alternate"])
def test_the_first_rep_on_a_side_names_the_side(sides: str) -> None:
    plan = plan_of(
        exercise("bird-dog", "hold_reps", reps="2", hold="6", sides=f'"{sides}"'),
        settings=TEN_CHARS_A_SECOND,
    )
    firsts = [s for s in work_steps(plan, 0) if s.kind is StepKind.INHALE and s.rep_number == 1]
    assert firsts
    for step in firsts:
        assert step.side is not None
        assert any(text.startswith(f"{step.side.value.capitalize()} side.") for text in texts(step))


@pytest.mark.parametrize("rest_between_sets", [0, 4, 20])
def test_sets_are_separated_by_set_rests(rest_between_sets: float) -> None:
    plan = plan_of(
        exercise("crunches", reps="2", sets="3", rest_between_sets=str(rest_between_sets))
    )
    steps = exercise_steps(plan, 0)[1:]
    set_rests = [s for s in steps if s.kind is StepKind.SET_REST]
    assert [s.set_number for s in set_rests] == [2, 3]
    assert {s.set_count for s in set_rests} == {3}
    for set_rest in set_rests:
        assert set_rest.duration_ms >= rest_between_sets * 1000
        (cue,) = speech(set_rest)
        assert cue.role is CueRole.SET
        assert cue.text == f"Rest. Set {set_rest.set_number} of 3 next."
        assert cue.end_ms <= set_rest.end_ms
    assert [s.set_number for s in steps if s.kind is StepKind.EXHALE] == [1, 1, 2, 2, 3, 3]
    # Each set starts again at rep 1 with the "go" beep.
    firsts = [s for s in steps if s.kind is StepKind.INHALE and s.rep_number == 1]
    assert len(firsts) == 3
    assert all(s.cues[0].beep is Beep.GO for s in firsts)


@pytest.mark.parametrize("rest_between_sets", [4, 5])
def test_a_set_rest_count_in_comes_after_its_announcement(rest_between_sets: int) -> None:
    plan = plan_of(
        exercise("crunches", reps="2", sets="2", rest_between_sets=str(rest_between_sets)),
        settings=TEN_CHARS_A_SECOND,
    )
    (set_rest,) = [s for s in plan.steps if s.kind is StepKind.SET_REST]
    (cue,) = speech(set_rest, CueRole.SET)
    count = [c for c in set_rest.cues if c.beep is Beep.COUNT]
    assert count
    assert cue.end_ms + ANNOUNCE_TAIL_MS <= count[0].at_ms


def test_timed_with_breathing_is_paced_as_breath_cycles() -> None:
    plan = plan_of(
        exercise("deep-breaths", "timed", duration="20", breathing="{ inhale = 4, exhale = 6 }"),
    )
    steps = work_steps(plan, 0)
    assert [s.kind for s in steps] == [StepKind.INHALE, StepKind.EXHALE] * 2
    assert sum(s.duration_ms for s in steps) == 20_000


def test_timed_without_breathing_is_one_work_step() -> None:
    plan = plan_of(exercise("march", "timed", duration="12"))
    (step,) = work_steps(plan, 0)
    assert step.kind is StepKind.WORK
    assert step.duration_ms == 12_000
    assert step.cues[0].beep is Beep.GO
    assert texts(step)[0] == "Go."


# --- countdown and halfway ----------------------------------------------------------------


def _hold(seconds: float) -> Step:
    plan = plan_of(exercise("bridge", "hold_reps", reps="1", hold=f"{seconds}"))
    (hold,) = [s for s in plan.steps if s.kind is StepKind.HOLD]
    assert hold.duration_ms == round(seconds * 1000)
    return hold


@pytest.mark.parametrize("seconds", [5, 5.5, 8, 20, 40])
def test_holds_of_5_s_or_more_end_with_3_2_1(seconds: float) -> None:
    hold = _hold(seconds)
    count = speech(hold, CueRole.COUNTDOWN)
    assert [(c.text, c.at_ms) for c in count] == [
        ("Three", hold.end_ms - 3000),
        ("Two", hold.end_ms - 2000),
        ("One", hold.end_ms - 1000),
    ]


def test_a_5_s_hold_still_says_hold() -> None:
    plan = plan_of(exercise("bridge", "hold_reps", reps="1", hold="5"), settings=TEN_CHARS_A_SECOND)
    (hold,) = [s for s in plan.steps if s.kind is StepKind.HOLD]
    assert [c.at_ms for c in speech(hold, CueRole.HOLD)] == [hold.start_ms]


@pytest.mark.parametrize("seconds", [1, 3, 4, 4.9])
def test_holds_under_5_s_have_no_countdown(seconds: float) -> None:
    hold = _hold(seconds)
    assert speech(hold, CueRole.COUNTDOWN) == []
    assert not {"Three", "Two", "One"} & set(texts(hold))
    assert texts(hold) == ["Hold."]


@pytest.mark.parametrize(
    ("seconds", "halfway"), [(5, False), (19.9, False), (20, True), (40, True)]
)
def test_halfway_only_in_holds_of_20_s_or_more(seconds: float, halfway: bool) -> None:
    hold = _hold(seconds)
    cues = speech(hold, CueRole.HALFWAY)
    if halfway:
        assert [(c.text, c.at_ms) for c in cues] == [
            ("Halfway.", hold.start_ms + hold.duration_ms // 2)
        ]
    else:
        assert cues == []
    assert ("Halfway." in texts(hold)) is halfway


@pytest.mark.parametrize(("seconds", "count", "halfway"), [(4, 0, 0), (5, 3, 0), (30, 3, 1)])
def test_timed_work_gets_countdown_and_halfway_by_length(
    seconds: int, count: int, halfway: int
) -> None:
    plan = plan_of(exercise("plank", "timed", duration=str(seconds)))
    (work,) = work_steps(plan, 0)
    assert len(speech(work, CueRole.COUNTDOWN)) == count
    assert len(speech(work, CueRole.HALFWAY)) == halfway


# --- settings and totals --------------------------------------------------------------------


def test_reps_setting_overrides_the_reps_of_that_exercise_only() -> None:
    blocks = (
        exercise("bridge", "hold_reps", reps="{ min = 2, max = 10 }", hold="3"),
        exercise("crunches", reps="{ min = 3, max = 10 }"),
        exercise("plank", "timed", duration="10"),
    )
    plan = plan_of(*blocks, settings=PlanSettings(reps={"bridge": 7, "plank": 4}))
    assert [e.reps for e in plan.exercises] == [7, 3, 0]
    exhales = [s for s in work_steps(plan, 0) if s.kind is StepKind.EXHALE]
    assert len(exhales) == 7
    assert {s.rep_count for s in exhales} == {7}
    assert len([s for s in work_steps(plan, 1) if s.kind is StepKind.EXHALE]) == 3
    assert [s.kind for s in work_steps(plan, 2)] == [StepKind.WORK]
    assert "7 times" in (announcement(plan.steps[0]).text or "")


def test_reps_setting_applies_to_each_side_and_set() -> None:
    plan = plan_of(
        exercise("leg-raise", reps="2", sides='"each"', sets="2"),
        settings=PlanSettings(reps={"leg-raise": 4}),
    )
    exhales = [s for s in work_steps(plan, 0) if s.kind is StepKind.EXHALE]
    assert len(exhales) == 4 * 2 * 2


@pytest.mark.parametrize(
    "blocks",
    [
        (exercise(),),
        THREE_EXERCISES,
        (
            exercise("bird-dog", "hold_reps", reps="3", hold="21", sides='"alternate"', sets="2"),
            exercise("side-plank", "timed", duration="25", sides='"each"'),
        ),
    ],
    ids=["one", "three", "sides-and-sets"],
)
@pytest.mark.parametrize("rest", [0, 3, 15])
def test_total_is_the_sum_of_steps_and_the_last_step_is_done(
    blocks: tuple[str, ...], rest: float
) -> None:
    plan = plan_of(*blocks, rest=rest)
    assert plan.total_ms == sum(s.duration_ms for s in plan.steps)
    start = 0
    for index, step in enumerate(plan.steps):
        assert step.index == index
        assert step.start_ms == start
        assert step.duration_ms > 0
        start = step.end_ms
    done = plan.steps[-1]
    assert done.kind is StepKind.DONE
    assert done.exercise_index is None
    assert [s for s in plan.steps if s.kind is StepKind.DONE] == [done]
    assert texts(done) == [phrases.DONE]
    assert speech(done)[0].role is CueRole.DONE
    assert speech(done)[0].end_ms <= done.end_ms
    assert done.cues[0].beep is Beep.DONE
    assert plan.exercises[-1].last_step == done.index - 1
    assert_no_overlapping_speech(plan)


def test_plan_names_the_routine_and_its_exercises() -> None:
    plan = plan_of(*THREE_EXERCISES)
    assert plan.routine_id == "test-routine"
    assert plan.title == "Test routine"
    assert [e.id for e in plan.exercises] == ["knees-to-chest", "cat-cow", "shoulder-rolls"]
    assert [e.kind for e in plan.exercises] == ["hold_reps", "reps", "timed"]
    assert plan.exercises[2].duration_seconds == 8
    for step in plan.steps[:-1]:
        ex = plan.exercise_of(step)
        assert ex is not None
        assert step.index in ex.step_range
    assert plan.exercise_of(plan.steps[-1]) is None


def test_step_at_finds_the_step_in_progress() -> None:
    plan = plan_of(*THREE_EXERCISES)
    for step in plan.steps:
        assert plan.step_at(step.start_ms) is step
        assert plan.step_at(step.end_ms - 1) is step
    assert plan.step_at(plan.total_ms + 5000) is plan.steps[-1]


# --- cue overrides --------------------------------------------------------------------------


def test_cue_overrides_replace_the_generated_text() -> None:
    cues = (
        '{ inhale = "Lift your hips.", hold = "Keep them up.", exhale = "Lower slowly.", '
        'switch_side = "Other leg now." }'
    )
    plan = plan_of(
        exercise(
            "bridge",
            "hold_reps",
            reps="2",
            hold="3",
            sides='"each"',
            breathing="{ inhale = 4, exhale = 3 }",
            cues=cues,
        ),
    )
    steps = work_steps(plan, 0)
    firsts = [s for s in steps if s.kind is StepKind.INHALE and s.rep_number == 1]
    assert [texts(s) for s in firsts] == [
        ["Right side. Lift your hips."],
        ["Left side. Lift your hips."],
    ]
    for step in steps:
        if step.kind is StepKind.HOLD:
            assert texts(step) == ["Keep them up."]
        elif step.kind is StepKind.EXHALE:
            assert texts(step) == ["Lower slowly."]
    (switch,) = [s for s in plan.steps if s.kind is StepKind.SWITCH_SIDE]
    assert texts(switch) == ["Other leg now."]
    generated = {phrases.BREATHE_IN, phrases.BREATHE_OUT, "Hold.", "Hold for 3 seconds."}
    assert not generated & {c.text for c in plan.cues}
    assert not [c for c in plan.dropped_cues if c.text in ("Keep them up.", "Lower slowly.")]


# --- overlapping speech ----------------------------------------------------------------------


def _assert_drops_follow_priority(plan: Plan) -> None:
    """Every dropped cue clashes with a kept one that outranks it (or ties and came first)."""
    kept = [c for c in plan.cues if c.is_speech]
    assert plan.dropped_cues
    for cue in plan.dropped_cues:
        assert cue.is_speech
        assert cue not in plan.cues
        winners = [
            k
            for k in kept
            if clash(k, cue)
            and (
                ROLE_PRIORITY[k.role] > ROLE_PRIORITY[cue.role]
                or (ROLE_PRIORITY[k.role] == ROLE_PRIORITY[cue.role] and k.at_ms <= cue.at_ms)
            )
        ]
        assert winners, cue
    assert_no_overlapping_speech(plan)


def test_a_lower_priority_cue_that_would_overlap_is_dropped() -> None:
    def phrase_ms(text: str) -> int:
        return 10_000 if text.startswith(("Two", "Three")) else estimate_speech_ms(text)

    plan = plan_of(exercise("cat-cow", reps="4"), settings=PlanSettings(phrase_ms=phrase_ms))
    dropped = {(c.text, c.role) for c in plan.dropped_cues}
    assert dropped == {("Two.", CueRole.REP), ("Three.", CueRole.REP)}
    assert ROLE_PRIORITY[CueRole.BREATH] > ROLE_PRIORITY[CueRole.REP]
    exhales = [s for s in plan.steps if s.kind is StepKind.EXHALE]
    assert all(texts(s) == ["Breathe out."] for s in exhales)
    _assert_drops_follow_priority(plan)


def test_a_higher_priority_cue_wins_even_when_it_comes_later() -> None:
    def phrase_ms(text: str) -> int:
        return 8_000 if text == phrases.HALFWAY else 500

    plan = plan_of(
        exercise("plank", "timed", duration="20"), settings=PlanSettings(phrase_ms=phrase_ms)
    )
    (work,) = work_steps(plan, 0)
    # "Halfway." (halfway) at 10 s would run into "Three" (countdown) at 17 s.
    assert texts(work) == ["Go.", "Three", "Two", "One"]
    assert [(c.text, c.role, c.at_ms) for c in plan.dropped_cues] == [
        (phrases.HALFWAY, CueRole.HALFWAY, work.start_ms + 10_000)
    ]
    assert ROLE_PRIORITY[CueRole.COUNTDOWN] > ROLE_PRIORITY[CueRole.HALFWAY]
    _assert_drops_follow_priority(plan)


def test_on_a_priority_tie_the_earlier_cue_stays() -> None:
    def phrase_ms(text: str) -> int:
        return 5_000 if text == phrases.BREATHE_OUT else 500

    plan = plan_of(exercise("cat-cow", reps="4"), settings=PlanSettings(phrase_ms=phrase_ms))
    exhales = [s for s in work_steps(plan, 0) if s.kind is StepKind.EXHALE]
    # Each 5 s "Breathe out." (breath) runs into the next rep's, 4 s later: the earlier stays,
    # so the one after that is clear again. (The last would run into "Well done".)
    assert [texts(s) for s in exhales[:3]] == [[phrases.BREATHE_OUT], [], [phrases.BREATHE_OUT]]
    assert (phrases.BREATHE_OUT, exhales[1].start_ms) in [
        (c.text, c.at_ms) for c in plan.dropped_cues
    ]
    _assert_drops_follow_priority(plan)


def test_on_a_tie_in_the_countdown_the_earlier_number_stays() -> None:
    plan = plan_of(
        exercise("bridge", "hold_reps", reps="1", hold="8"),
        settings=PlanSettings(phrase_ms=lambda text: 1_000),
    )
    (hold,) = [s for s in plan.steps if s.kind is StepKind.HOLD]
    assert [t for t in texts(hold) if t in ("Three", "Two", "One")] == ["Three", "One"]
    _assert_drops_follow_priority(plan)


def test_beeps_are_never_dropped() -> None:
    plan = plan_of(*THREE_EXERCISES, rest=0, settings=PlanSettings(phrase_ms=lambda text: 20_000))
    assert plan.dropped_cues
    assert all(c.is_speech for c in plan.dropped_cues)
    plain = plan_of(*THREE_EXERCISES, rest=0, settings=PlanSettings(phrase_ms=lambda text: 600))
    assert not plain.dropped_cues

    def beeps(of: Plan) -> list[list[tuple[int, Beep | None]]]:
        return [
            [(c.at_ms - s.start_ms, c.beep) for c in s.cues if not c.is_speech] for s in of.steps
        ]

    # Same steps, same beeps, wherever the steps lie; only the lead-ins grow.
    assert [s.kind for s in plan.steps] == [s.kind for s in plain.steps]
    lead_ins = {e.entry_step for e in plan.exercises} | {len(plan.steps) - 1}
    for index, (long_beeps, plain_beeps) in enumerate(zip(beeps(plan), beeps(plain), strict=True)):
        if index in lead_ins:
            assert [b for _, b in long_beeps] == [b for _, b in plain_beeps]
        else:
            assert long_beeps == plain_beeps
    _assert_drops_follow_priority(plan)


@pytest.mark.parametrize("factor", [0, 50, 150, 400])
def test_announcements_are_never_dropped(factor: int) -> None:
    plan = plan_of(*THREE_EXERCISES, rest=0, settings=PlanSettings(phrase_ms=long_phrases(factor)))
    for ex in plan.exercises:
        step = plan.steps[ex.entry_step]
        assert announcement(step).end_ms <= step.end_ms
    assert not [c for c in plan.dropped_cues if c.role is CueRole.ANNOUNCE]
    assert_no_overlapping_speech(plan)
