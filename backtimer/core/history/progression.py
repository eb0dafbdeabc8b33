"""Progression: how many reps to plan next time, from the history of a routine.

Pure functions over :class:`SessionRecord`. The rule, over the sessions of one routine in time
order:

* reps start at the low end of the exercise's range;
* every two completed sessions since the last change add one rep, never above the top;
* a session stopped for pain takes one rep off, never below the low end, and starts the count
  again;
* other outcomes (stopped, interrupted, in progress) neither count nor step;
* a completed session that records this exercise as skipped does not count for it;
* reps pinned by the user (see :mod:`backtimer.core.history.overrides`) win over all of
  this.

The result carries a short sentence for the user saying why.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from backtimer.core.history.records import SessionOutcome, SessionRecord

#: Completed sessions needed for one more rep.
SESSIONS_PER_STEP: Final = 2

if TYPE_CHECKING:
    from backtimer.core.routine.model import Routine


@dataclass(frozen=True, slots=True)
class Decision:
    """The reps to plan and why, in words for the user."""

    reps: int
    reason: str
    #: True when the count is one the user pinned rather than the progression's.
    pinned: bool = False


def _reps(count: int) -> str:
    return f"{count} rep" if count == 1 else f"{count} reps"


def _span(low: int, high: int) -> str:
    return f"{low}–{high}" if low != high else f"{low}"


def pinned_reason(pinned: int) -> str:
    """Why a pinned exercise uses its count: ``"Pinned at 6 reps by you"``."""
    return f"Pinned at {_reps(pinned)} by you"


def _skipped(record: SessionRecord, exercise_id: str) -> bool:
    return any(e.exercise_id == exercise_id and e.skipped for e in record.exercises)


def planned_reps(
    exercise_id: str,
    rep_range: tuple[int, int],
    sessions: Sequence[SessionRecord],
    routine_id: str,
    override: int | None = None,
) -> Decision:
    """The reps to plan for ``exercise_id`` of ``routine_id`` given the past ``sessions``.

    ``rep_range`` is the exercise's (min, max); ``override`` is a count pinned by the user.
    """
    low, high = rep_range
    if not 1 <= low <= high:
        raise ValueError(f"expected 1 <= min <= max, found min = {low}, max = {high}")
    if override is not None:
        if override < 1:
            raise ValueError(f"expected a pinned count of at least 1, found {override}")
        return Decision(override, pinned_reason(override), pinned=True)

    history = sorted((s for s in sessions if s.routine_id == routine_id), key=lambda s: s.started)
    reps = low
    count = 0  # completed sessions since the last change
    last: str | None = None  # "up", "top" or "pain": the last thing that moved the count
    for session in history:
        if session.outcome is SessionOutcome.STOPPED_FOR_PAIN:
            reps = max(low, reps - 1)
            count = 0
            last = "pain"
        elif session.outcome is SessionOutcome.COMPLETED and not _skipped(session, exercise_id):
            count += 1
            if count >= SESSIONS_PER_STEP:
                count = 0
                last = "up" if reps < high else "top"
                reps = min(high, reps + 1)
    return Decision(reps, _reason(reps, low, high, last, history))


def _reason(
    reps: int, low: int, high: int, last: str | None, history: Sequence[SessionRecord]
) -> str:
    if last == "pain":
        if history and history[-1].outcome is SessionOutcome.STOPPED_FOR_PAIN:
            verb = "staying at" if reps == low else "back to"
            return f"Stopped for pain last time: {verb} {_reps(reps)}"
        return f"Stepped back after a pain stop: {_reps(reps)}"
    if low == high:
        return f"Fixed at {_reps(reps)}"
    if last == "up":
        top = ", the top of the range" if reps == high else ""
        return (
            f"{SESSIONS_PER_STEP} completed sessions since the last step: up to {_reps(reps)}{top}"
        )
    if last == "top":
        return f"Top of the range: {_reps(reps)}"
    return f"Start of the range: {_reps(reps)}"


def routine_progression(
    routine: Routine,
    sessions: Sequence[SessionRecord],
    pins: Mapping[str, int] | None = None,
) -> dict[str, Decision]:
    """The reps to use for every exercise of ``routine`` that counts reps, and why.

    ``pins`` maps exercise ids to counts the user pinned (see :func:`with_pins`).
    """
    automatic = {
        exercise.id: planned_reps(
            exercise.id,
            (int(exercise.reps.min), int(exercise.reps.max)),
            sessions,
            routine.id,
        )
        for exercise in routine.exercises
        if exercise.reps is not None
    }
    return with_pins(routine, automatic, pins or {})


def with_pins(
    routine: Routine, automatic: Mapping[str, Decision], pins: Mapping[str, int]
) -> dict[str, Decision]:
    """``automatic`` with the user's ``pins`` in place, in the routine's order.

    A pin for an exercise that no longer exists or no longer counts reps is ignored. A pin
    above the top of the exercise's range (the routine file changed since) uses the top and
    says so; a pin below 1 is ignored.
    """
    decisions: dict[str, Decision] = {}
    for exercise in routine.exercises:
        if exercise.reps is None:
            continue
        pinned = pins.get(exercise.id)
        if pinned is None or pinned < 1:
            if exercise.id in automatic:
                decisions[exercise.id] = automatic[exercise.id]
            continue
        high = int(exercise.reps.max)
        if pinned > high:
            decisions[exercise.id] = Decision(
                high,
                f"Pinned at {_reps(pinned)} by you, above this range "
                f"({_span(int(exercise.reps.min), high)}): {_reps(high)}",
                pinned=True,
            )
        else:
            decisions[exercise.id] = Decision(pinned, pinned_reason(pinned), pinned=True)
    return decisions
