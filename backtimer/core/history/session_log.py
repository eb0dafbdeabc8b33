"""Turn a session into history records: one written at its start, replaced at its end.

Each exercise's state is the scheduler's verdict (:meth:`backtimer.core.scheduler.Scheduler.
summary`), kept as it is: what "done", "partly done", "skipped" and "not reached" mean is
:mod:`backtimer.core.history.definitions`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from backtimer.core.history.records import (
    ExerciseRecord,
    ExerciseState,
    SessionKind,
    SessionOutcome,
    SessionRecord,
)
from backtimer.core.scheduler import ExerciseStatus, Outcome, Summary

_OUTCOMES = {
    Outcome.COMPLETED: SessionOutcome.COMPLETED,
    Outcome.STOPPED: SessionOutcome.STOPPED,
    Outcome.STOPPED_FOR_PAIN: SessionOutcome.STOPPED_FOR_PAIN,
    Outcome.INTERRUPTED: SessionOutcome.INTERRUPTED,
}
#: The scheduler's verdict on an exercise, as the history records it.
RECORDED_STATE = {
    ExerciseStatus.DONE: ExerciseState.DONE,
    ExerciseStatus.PARTIAL: ExerciseState.PARTLY_DONE,
    ExerciseStatus.SKIPPED: ExerciseState.SKIPPED,
    ExerciseStatus.NOT_REACHED: ExerciseState.NOT_REACHED,
}


def begin_record(
    routine_id: str,
    routine_title: str,
    started: datetime,
    app_version: str,
    kind: SessionKind | None = None,
) -> SessionRecord:
    """The record written when a session starts (outcome: in progress).

    ``kind`` None: a desk break when the routine is the built-in desk break.
    """
    return SessionRecord(
        id=str(uuid.uuid4()),
        started=started,
        ended=None,
        routine_id=routine_id,
        routine_title=routine_title,
        outcome=SessionOutcome.IN_PROGRESS,
        active_seconds=0.0,
        app_version=app_version,
        kind=kind,
    )


def end_record(begun: SessionRecord, summary: Summary, ended: datetime) -> SessionRecord:
    """The finished record: outcome, active time and every exercise, planned against done."""
    return replace(
        begun,
        # A clock set back during the session must not make it end before it began.
        ended=max(ended, begun.started),
        outcome=_OUTCOMES[summary.outcome],
        active_seconds=round(summary.active_ms / 1000, 3),
        exercises=tuple(
            ExerciseRecord(
                exercise_id=result.id,
                name=result.name,
                sets_planned=result.sets_planned,
                sets_done=result.sets_done,
                reps_planned=result.reps_planned,
                reps_done=result.reps_done,
                hold_seconds=result.hold_seconds,
                skipped=result.status is ExerciseStatus.SKIPPED,
                state=RECORDED_STATE[result.status],
            )
            for result in summary.exercises
        ),
    )


def last_done(records: Iterable[SessionRecord]) -> dict[str, datetime]:
    """When each routine was last done (any session that got under way and ended)."""
    latest: dict[str, datetime] = {}
    for record in records:
        if record.outcome is SessionOutcome.IN_PROGRESS:
            continue
        known = latest.get(record.routine_id)
        if known is None or record.started > known:
            latest[record.routine_id] = record.started
    return latest
