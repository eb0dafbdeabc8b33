"""What history records: sessions (with their exercises) and break-reminder events.

A session says whether it was a workout or a desk break (:class:`SessionKind`) and, after a
stop for pain, what hurt; each exercise says what became of it (:class:`ExerciseState`).
What these mean for the figures is :mod:`backtimer.core.history.definitions`.

Plain frozen dataclasses with conversions to JSON-ready dicts; the store, the CSV export
and the views all speak these. Reading them back, with every field checked, is
:mod:`backtimer.core.history.record_rules`. Times are timezone-aware: UTC plus the local
offset at the time, so a session keeps the wall-clock time the user saw.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Final

#: Version of the record layout; the store migrates older files to it.
#: 2 added a session's ``kind`` and pain note and each exercise's ``state``.
RECORD_SCHEMA_VERSION = 2
#: The built-in desk-break routine: an older record of it is a desk break.
DESK_BREAK_ROUTINE_ID: Final = "desk-break"


class SessionOutcome(StrEnum):
    """How a session ended (as the scheduler's Outcome, plus interrupted by a crash)."""

    COMPLETED = "completed"
    STOPPED = "stopped"
    STOPPED_FOR_PAIN = "stopped_for_pain"
    INTERRUPTED = "interrupted"
    #: Written when the session starts; still there on the next start means a crash or kill.
    IN_PROGRESS = "in_progress"


class BreakEventKind(StrEnum):
    """What happened to a desk-break reminder."""

    SHOWN = "shown"
    TAKEN = "taken"
    SNOOZED = "snoozed"
    SKIPPED = "skipped"
    NATURAL_BREAK = "natural_break"


class SessionKind(StrEnum):
    """What a session was: a workout, or a desk break (never counted toward the goal)."""

    WORKOUT = "workout"
    DESK_BREAK = "desk_break"


class ExerciseState(StrEnum):
    """What became of one exercise of a session (see :mod:`~backtimer.core.history.definitions`)."""

    DONE = "done"
    PARTLY_DONE = "partly_done"
    SKIPPED = "skipped"
    NOT_REACHED = "not_reached"


def state_from_counts(
    skipped: bool, sets_planned: int, sets_done: int, reps_planned: int, reps_done: int
) -> ExerciseState:
    """The state of an exercise recorded before schema 2, from its counts.

    Every planned set and rep done (and at least one of them planned) is done; any set or
    rep done is partly done. Only a record written since schema 2 knows that an exercise
    was under way with nothing finished yet (partly done, too).
    """
    if skipped:
        return ExerciseState.SKIPPED
    if (sets_planned or reps_planned) and sets_done >= sets_planned and reps_done >= reps_planned:
        return ExerciseState.DONE
    if sets_done or reps_done:
        return ExerciseState.PARTLY_DONE
    return ExerciseState.NOT_REACHED


def kind_from_routine(routine_id: str) -> SessionKind:
    """The kind of a session recorded before schema 2: the desk-break routine's is a break."""
    return SessionKind.DESK_BREAK if routine_id == DESK_BREAK_ROUTINE_ID else SessionKind.WORKOUT


@dataclass(frozen=True, slots=True)
class ExerciseRecord:
    """One exercise of a session: planned against done.

    ``state`` None (a record made without one) is worked out from the counts.
    """

    exercise_id: str
    name: str
    sets_planned: int
    sets_done: int
    reps_planned: int
    reps_done: int
    hold_seconds: float
    skipped: bool
    state: ExerciseState | None = None

    def __post_init__(self) -> None:
        if self.state is None:
            state = state_from_counts(
                self.skipped, self.sets_planned, self.sets_done, self.reps_planned, self.reps_done
            )
            object.__setattr__(self, "state", state)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "exercise_id": self.exercise_id,
            "name": self.name,
            "sets_planned": self.sets_planned,
            "sets_done": self.sets_done,
            "reps_planned": self.reps_planned,
            "reps_done": self.reps_done,
            "hold_seconds": self.hold_seconds,
            "skipped": self.skipped,
            "state": self.state.value if self.state is not None else None,
        }


@dataclass(frozen=True, slots=True)
class SessionRecord:
    """One session, from its start.

    ``kind`` None (a record made without one) is worked out from the routine id. The pain
    note (``pain_area``, ``pain_note``) is what the user said hurt after a pain stop.
    """

    id: str  #: unique and stable (a UUID), so importing the same file twice adds nothing
    started: datetime  #: timezone-aware
    ended: datetime | None
    routine_id: str
    routine_title: str
    outcome: SessionOutcome
    active_seconds: float
    app_version: str
    exercises: tuple[ExerciseRecord, ...] = field(default=())
    kind: SessionKind | None = None
    pain_area: str = ""
    pain_note: str = ""

    def __post_init__(self) -> None:
        if self.kind is None:
            object.__setattr__(self, "kind", kind_from_routine(self.routine_id))

    @property
    def is_desk_break(self) -> bool:
        """True for a desk break (never counted toward the weekly goal)."""
        return self.kind is SessionKind.DESK_BREAK

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "id": self.id,
            "started": self.started.isoformat(),
            "ended": self.ended.isoformat() if self.ended else None,
            "routine_id": self.routine_id,
            "routine_title": self.routine_title,
            "outcome": self.outcome.value,
            "active_seconds": self.active_seconds,
            "app_version": self.app_version,
            "exercises": [e.to_dict() for e in self.exercises],
            "kind": (self.kind or kind_from_routine(self.routine_id)).value,
            "pain_area": self.pain_area,
            "pain_note": self.pain_note,
        }


@dataclass(frozen=True, slots=True)
class BreakEvent:
    """Something that happened to a desk-break reminder."""

    id: str
    at: datetime  #: timezone-aware
    kind: BreakEventKind

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"id": self.id, "at": self.at.isoformat(), "kind": self.kind.value}
