"""Rep progression from session history."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backtimer.core.history.progression import (
    Decision,
    pinned_reason,
    planned_reps,
    routine_progression,
    with_pins,
)
from backtimer.core.history.records import ExerciseRecord, SessionOutcome, SessionRecord
from tests.helpers.routines import back_routine

C = SessionOutcome.COMPLETED
P = SessionOutcome.STOPPED_FOR_PAIN
S = SessionOutcome.STOPPED
I = SessionOutcome.INTERRUPTED  # noqa: E741
T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


def history(*outcomes: SessionOutcome, routine: str = "back") -> list[SessionRecord]:
    return [
        SessionRecord(
            f"{routine}-{i}", T0 + timedelta(days=i), None, routine, "Back", outcome, 60.0, "0.1"
        )
        for i, outcome in enumerate(outcomes)
    ]


def plan(*outcomes: SessionOutcome, rep_range: tuple[int, int] = (3, 6)) -> Decision:
    return planned_reps("bridge", rep_range, history(*outcomes), "back")


def test_start_of_the_range() -> None:
    assert plan() == Decision(3, "Start of the range: 3 reps")
    assert plan(C) == Decision(3, "Start of the range: 3 reps")


def test_two_completed_sessions_add_a_rep() -> None:
    assert plan(C, C) == Decision(4, "2 completed sessions since the last step: up to 4 reps")
    assert plan(C, C, C).reps == 4
    assert plan(C, C, C, C).reps == 5


def test_never_above_max() -> None:
    decision = plan(*[C] * 6)
    assert decision == Decision(
        6, "2 completed sessions since the last step: up to 6 reps, the top of the range"
    )
    assert plan(*[C] * 20) == Decision(6, "Top of the range: 6 reps")


def test_pain_steps_back_and_resets_the_count() -> None:
    assert plan(C, C, C, C, P) == Decision(4, "Stopped for pain last time: back to 4 reps")
    assert plan(C, C, C, C, P, C).reps == 4  # the count starts again
    assert plan(C, C, C, C, P, C) == Decision(4, "Stepped back after a pain stop: 4 reps")
    assert plan(C, C, C, C, P, C, C).reps == 5
    assert plan(C, P, C).reps == 3  # the completed session before the pain stop is forgotten


def test_pain_not_below_min() -> None:
    assert plan(P) == Decision(3, "Stopped for pain last time: staying at 3 reps")
    assert plan(C, C, P, P, P).reps == 3


def test_other_outcomes_neither_count_nor_step() -> None:
    assert plan(C, S, I, SessionOutcome.IN_PROGRESS).reps == 3
    assert plan(C, S, C).reps == 4


def test_only_this_routine_in_time_order() -> None:
    other = history(P, P, P, routine="neck")
    mine = history(C, C, P, C, C)  # in order: up to 4, back to 3, up to 4
    shuffled = [mine[3], other[0], mine[4], mine[0], other[1], mine[2], mine[1], other[2]]
    assert planned_reps("bridge", (3, 6), shuffled, "back").reps == 4
    # time order matters: the pain stop last means a step back
    late_pain = [*mine[:2], replace(mine[2], started=T0 + timedelta(days=9))]
    assert planned_reps("bridge", (3, 6), late_pain, "back").reps == 3


def test_completed_session_with_this_exercise_skipped_does_not_count() -> None:
    skipped = ExerciseRecord("bridge", "Bridge", 1, 0, 3, 0, 0.0, True)
    other_skipped = ExerciseRecord("plank", "Plank", 1, 0, 3, 0, 0.0, True)
    records = [
        SessionRecord(f"s{i}", T0 + timedelta(days=i), None, "back", "Back", C, 60.0, "0.1", (ex,))
        for i, ex in enumerate([skipped, skipped, other_skipped])
    ]
    assert planned_reps("bridge", (3, 6), records, "back").reps == 3
    assert planned_reps("plank", (3, 6), records, "back").reps == 4


def test_override_wins() -> None:
    assert planned_reps("bridge", (3, 6), history(P), "back", override=6) == Decision(
        6, "Pinned at 6 reps by you", pinned=True
    )
    assert planned_reps("bridge", (3, 6), [], "back", override=1) == Decision(
        1, "Pinned at 1 rep by you", pinned=True
    )


def test_single_value_range() -> None:
    assert plan(rep_range=(5, 5)) == Decision(5, "Fixed at 5 reps")
    assert plan(C, C, rep_range=(5, 5)) == Decision(5, "Fixed at 5 reps")


@pytest.mark.parametrize(("rep_range", "override"), [((0, 3), None), ((4, 3), None), ((1, 3), 0)])
def test_bad_arguments(rep_range: tuple[int, int], override: int | None) -> None:
    with pytest.raises(ValueError, match="expected"):
        planned_reps("bridge", rep_range, [], "back", override=override)


OUTCOMES = st.lists(st.sampled_from(SessionOutcome), max_size=40)
RANGES = st.tuples(st.integers(1, 20), st.integers(0, 20)).map(lambda t: (t[0], t[0] + t[1]))


@given(OUTCOMES, RANGES)
def test_reps_always_within_range(
    outcomes: list[SessionOutcome], rep_range: tuple[int, int]
) -> None:
    low, high = rep_range
    decision = plan(*outcomes, rep_range=rep_range)
    assert low <= decision.reps <= high
    assert decision.reason


@given(OUTCOMES, RANGES)
def test_pain_stop_never_increases_reps(
    outcomes: list[SessionOutcome], rep_range: tuple[int, int]
) -> None:
    before = plan(*outcomes, rep_range=rep_range).reps
    after = plan(*outcomes, P, rep_range=rep_range)
    assert after.reps <= before
    assert after.reps == max(rep_range[0], before - 1)
    assert after.reason.startswith("Stopped for pain last time")


def test_routine_progression_applies_pins_in_the_routines_order() -> None:
    routine = back_routine()
    sessions = history(C, C)
    automatic = routine_progression(routine, sessions)
    assert list(automatic) == ["bridge", "cat"]
    assert automatic["bridge"] == Decision(
        3, "2 completed sessions since the last step: up to 3 reps"
    )
    pinned = routine_progression(routine, sessions, {"cat": 6})
    assert list(pinned) == ["bridge", "cat"]
    assert pinned["bridge"] == automatic["bridge"]
    assert pinned["cat"] == Decision(6, "Pinned at 6 reps by you", pinned=True)


def test_with_pins_ignores_pins_that_no_longer_fit_the_routine() -> None:
    routine = back_routine()
    automatic = routine_progression(routine, [])
    decisions = with_pins(routine, automatic, {"plank": 4, "gone": 3, "bridge": 0})
    assert decisions == automatic
    # the routine file changed since the pin: the top of the range now
    assert with_pins(routine, automatic, {"cat": 9})["cat"] == Decision(
        6, "Pinned at 9 reps by you, above this range (3–6): 6 reps", pinned=True
    )
    # a pin below the range's start is the user's call
    assert with_pins(routine, {}, {"cat": 1}) == {
        "cat": Decision(1, "Pinned at 1 rep by you", pinned=True)
    }


@given(OUTCOMES, st.integers(1, 10))
def test_a_pin_wins_whatever_the_history(outcomes: list[SessionOutcome], pinned: int) -> None:
    routine = back_routine()
    decisions = routine_progression(routine, history(*outcomes), {"bridge": pinned})
    assert decisions["bridge"].reps == pinned
    assert decisions["bridge"].reason == pinned_reason(pinned)
    assert decisions["bridge"].pinned
    assert not decisions["cat"].pinned
