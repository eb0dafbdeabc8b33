"""What every history number means: the one definition the window, the terminal and CSV use.

The History window, ``backtimer history`` and the CSV export all count through this module,
so the same session reads the same everywhere.

**Exercises of a session.** Each exercise of a session is in exactly one state
(:class:`~backtimer.core.history.records.ExerciseState`), decided by the session's
scheduler when it ends (:meth:`backtimer.core.scheduler.Scheduler.summary`):

* *done* — every planned set and rep was done;
* *partly done* — started but not finished: some set or rep was done, or it was under way
  when the session stopped (a stop, a pain stop, or the app closing);
* *skipped* — the user skipped it before finishing it;
* *not reached* — the session ended before it began.

Records written before schema 2 do not say the state; it is worked out from their counts
(:func:`~backtimer.core.history.records.state_from_counts`). **Done of planned** is
"*done* of *all the exercises the session planned*", written ``"2 of 10 done"``
(:func:`done_of_planned`) in the window and the terminal, and as the CSV columns
``exercises_done`` and ``exercises_planned``; the other states are counted beside it
(:class:`ExerciseCounts`).

**Workouts and desk breaks.** A session is a desk break when it was started by a desk-break
reminder or runs a desk-break routine, and a workout otherwise
(:class:`~backtimer.core.history.records.SessionKind`; a record written before schema 2 is
a desk break when its routine is the built-in ``desk-break``).

**The weekly goal.** The articles the routines come from advise exercising 3–4 times a week
(:data:`GOAL_SESSIONS_PER_WEEK` to :data:`GOAL_SESSIONS_PER_WEEK_HIGH`), in sessions of
20–30 minutes after a warm-up of about 10. A session counts toward the goal
(:func:`counts_toward_goal`) when it is a **workout** that was **completed**, or that had at
least :data:`GOAL_MIN_ACTIVE_MINUTES` **active minutes** (as long as a full warm-up)
whatever its outcome. Desk breaks never count, nor does a session still in progress or one
that never got under way (below). A
week meets the goal at :data:`GOAL_SESSIONS_PER_WEEK` such workouts.

A session **got under way** (:func:`got_under_way`) when it ran for some time (active time
above zero) and is no longer running, whatever its outcome. The desk breaks of a week and
the sessions per routine count those.

**Active time** adds up the active time of every session, workouts and desk breaks alike
(the time the session ran, pauses left out).

**Desk-break reminders** (:class:`BreakCounts`) count the reminder events of a day or week by
what the user did: *taken* (the break was started), *snoozed*, *skipped*, and *natural
breaks* (the user was away from the computer long enough that no reminder was needed).
A reminder *shown* is not an answer and is counted apart.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from backtimer.core.history.records import (
    BreakEvent,
    BreakEventKind,
    ExerciseRecord,
    ExerciseState,
    SessionKind,
    SessionOutcome,
    SessionRecord,
    state_from_counts,
)

#: The articles' goal: 3–4 sessions a week. A week meets it at the lower bound.
GOAL_SESSIONS_PER_WEEK: Final = 3
#: The upper bound of the articles' 3–4 (shown as the top of the goal band).
GOAL_SESSIONS_PER_WEEK_HIGH: Final = 4
#: The active minutes a workout not completed needs to count toward the goal.
GOAL_MIN_ACTIVE_MINUTES: Final = 10
#: The goal in words, for labels: "3–4".
GOAL_WORDS: Final = f"{GOAL_SESSIONS_PER_WEEK}–{GOAL_SESSIONS_PER_WEEK_HIGH}"
#: What counts toward the goal, in one sentence for tooltips and help.
GOAL_RULE: Final = (
    f"A workout counts toward the goal of {GOAL_WORDS} a week when you completed it or "
    f"exercised for at least {GOAL_MIN_ACTIVE_MINUTES} minutes. Desk breaks do not count."
)

#: States in words, as every front end writes them.
STATE_WORDS: Final[dict[ExerciseState, str]] = {
    ExerciseState.DONE: "done",
    ExerciseState.PARTLY_DONE: "partly done",
    ExerciseState.SKIPPED: "skipped",
    ExerciseState.NOT_REACHED: "not reached",
}


def exercise_state(exercise: ExerciseRecord) -> ExerciseState:
    """What became of ``exercise`` (see the module docstring)."""
    if exercise.state is not None:
        return exercise.state
    return state_from_counts(
        exercise.skipped,
        exercise.sets_planned,
        exercise.sets_done,
        exercise.reps_planned,
        exercise.reps_done,
    )


def exercise_done(exercise: ExerciseRecord) -> bool:
    """True when every planned set and rep of ``exercise`` was done."""
    return exercise_state(exercise) is ExerciseState.DONE


@dataclass(frozen=True, slots=True)
class ExerciseCounts:
    """How many exercises of a session ended in each state, and how many were planned."""

    done: int = 0
    partly_done: int = 0
    skipped: int = 0
    not_reached: int = 0

    @property
    def planned(self) -> int:
        """Every exercise the session planned."""
        return self.done + self.partly_done + self.skipped + self.not_reached

    @classmethod
    def of(cls, record: SessionRecord) -> ExerciseCounts:
        """The counts of ``record``'s exercises."""
        states = [exercise_state(e) for e in record.exercises]
        return cls(
            done=states.count(ExerciseState.DONE),
            partly_done=states.count(ExerciseState.PARTLY_DONE),
            skipped=states.count(ExerciseState.SKIPPED),
            not_reached=states.count(ExerciseState.NOT_REACHED),
        )


def done_of_planned(record: SessionRecord) -> str:
    """``"2 of 10 done"``, ``"2 of 10 done · 1 partly · 1 skipped"``; ``"—"`` with none."""
    counts = ExerciseCounts.of(record)
    if not counts.planned:
        return "—"
    parts = [f"{counts.done} of {counts.planned} done"]
    if counts.partly_done:
        parts.append(f"{counts.partly_done} partly")
    if counts.skipped:
        parts.append(f"{counts.skipped} skipped")
    return " · ".join(parts)


def counts_toward_goal(record: SessionRecord) -> bool:
    """True for a workout completed, or with at least :data:`GOAL_MIN_ACTIVE_MINUTES`."""
    if record.kind is SessionKind.DESK_BREAK or not got_under_way(record):
        return False
    if record.outcome is SessionOutcome.COMPLETED:
        return True
    return record.active_seconds >= GOAL_MIN_ACTIVE_MINUTES * 60


def got_under_way(record: SessionRecord) -> bool:
    """True for a session that ran for some time and is no longer running."""
    return record.outcome is not SessionOutcome.IN_PROGRESS and record.active_seconds > 0


def kind_words(kind: SessionKind | None) -> str:
    """``"Workout"`` or ``"Desk break"``."""
    return "Desk break" if kind is SessionKind.DESK_BREAK else "Workout"


@dataclass(frozen=True, slots=True)
class BreakCounts:
    """Desk-break reminders over a day or a week, by what the user did."""

    taken: int = 0
    snoozed: int = 0
    skipped: int = 0
    natural: int = 0
    shown: int = 0

    @property
    def answered(self) -> int:
        """Reminders taken, snoozed or skipped, and natural breaks."""
        return self.taken + self.snoozed + self.skipped + self.natural

    def summary(self) -> str:
        """``"3 taken · 1 snoozed · 0 skipped · 2 natural breaks"``."""
        natural = "natural break" if self.natural == 1 else "natural breaks"
        return (
            f"{self.taken} taken · {self.snoozed} snoozed · {self.skipped} skipped · "
            f"{self.natural} {natural}"
        )

    @classmethod
    def of(cls, events: Iterable[BreakEvent]) -> BreakCounts:
        """The counts of ``events``."""
        kinds = [event.kind for event in events]
        return cls(
            taken=kinds.count(BreakEventKind.TAKEN),
            snoozed=kinds.count(BreakEventKind.SNOOZED),
            skipped=kinds.count(BreakEventKind.SKIPPED),
            natural=kinds.count(BreakEventKind.NATURAL_BREAK),
            shown=kinds.count(BreakEventKind.SHOWN),
        )
