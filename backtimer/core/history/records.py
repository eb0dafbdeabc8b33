"""What history records: sessions (with their exercises) and break-reminder events.

Plain frozen dataclasses with conversions to JSON-ready dicts; the store, the CSV export
and the views all speak these. Reading them back, with every field checked, is
:mod:`backtimer.core.history.record_rules`. Times are timezone-aware: UTC plus the local
offset at the time, so a session keeps the wall-clock time the user saw.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

#: Version of the record layout; the store migrates older files to it.
RECORD_SCHEMA_VERSION = 1


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


@dataclass(frozen=True, slots=True)
class ExerciseRecord:
    """One exercise of a session: planned against done."""

    exercise_id: str
    name: str
    sets_planned: int
    sets_done: int
    reps_planned: int
    reps_done: int
    hold_seconds: float
    skipped: bool


@dataclass(frozen=True, slots=True)
class SessionRecord:
    """One session, from its start."""

    id: str  #: unique and stable (a UUID), so importing the same file twice adds nothing
    started: datetime  #: timezone-aware
    ended: datetime | None
    routine_id: str
    routine_title: str
    outcome: SessionOutcome
    active_seconds: float
    app_version: str
    exercises: tuple[ExerciseRecord, ...] = field(default=())

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
            "exercises": [
                {
                    "exercise_id": e.exercise_id,
                    "name": e.name,
                    "sets_planned": e.sets_planned,
                    "sets_done": e.sets_done,
                    "reps_planned": e.reps_planned,
                    "reps_done": e.reps_done,
                    "hold_seconds": e.hold_seconds,
                    "skipped": e.skipped,
                }
                for e in self.exercises
            ],
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
