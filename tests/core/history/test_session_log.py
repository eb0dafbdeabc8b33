"""Sessions become history records."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from backtimer.core.history.records import SessionOutcome
from backtimer.core.history.session_log import begin_record, end_record, last_done
from backtimer.core.scheduler import ExerciseResult, ExerciseStatus, Outcome, Summary

START = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def summary(outcome: Outcome) -> Summary:
    return Summary(
        routine_id="neck",
        title="Neck",
        outcome=outcome,
        active_ms=61_500,
        exercises=(
            ExerciseResult("a", "A", ExerciseStatus.DONE, 1, 1, 5, 5, 0.0),
            ExerciseResult("b", "B", ExerciseStatus.SKIPPED, 2, 0, 10, 0, 5.0),
        ),
    )


def test_a_session_starts_in_progress_and_ends_with_what_was_done() -> None:
    begun = begin_record("neck", "Neck", START, "0.1.0")
    assert begun.outcome is SessionOutcome.IN_PROGRESS
    ended = end_record(begun, summary(Outcome.STOPPED_FOR_PAIN), START + timedelta(minutes=2))
    assert ended.id == begun.id
    assert ended.outcome is SessionOutcome.STOPPED_FOR_PAIN
    assert ended.active_seconds == 61.5
    assert [(e.exercise_id, e.reps_done, e.skipped) for e in ended.exercises] == [
        ("a", 5, False),
        ("b", 0, True),
    ]


def test_last_done_is_the_latest_finished_session_per_routine() -> None:
    first = end_record(begin_record("neck", "Neck", START, "v"), summary(Outcome.COMPLETED), START)
    later = START + timedelta(days=2)
    second = end_record(begin_record("neck", "Neck", later, "v"), summary(Outcome.STOPPED), later)
    running = begin_record("warm-up", "Warm-up", later, "v")
    assert last_done([second, first, running]) == {"neck": later}
