"""A realistic history for tests and screenshots: about ten weeks of sessions, seeded.

Built from the built-in routines' titles and exercises, with the habits of a real person:
busy weeks and good ones, a streak up to now, one stop for pain, one session cut short
when the app closed, a skipped exercise here and there; desk breaks twice a working day
this week (:data:`DESK_BREAKS_PER_DAY`), which never count toward the goal, and the
desk-break reminders of those days (:func:`sample_break_events`).
"""

from __future__ import annotations

import random
import tomllib
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Any

from backtimer.core.clock import FakeClock
from backtimer.core.history.records import (
    BreakEvent,
    BreakEventKind,
    ExerciseRecord,
    SessionOutcome,
    SessionRecord,
)
from backtimer.core.history.session_log import begin_record, end_record
from backtimer.core.paths import builtin_routines_dir
from backtimer.core.plan.compiler import PlanSettings, compile_plan
from backtimer.core.routine.loader import parse_routine
from backtimer.core.scheduler import Finished, Scheduler, StopReason

#: Sessions per week, oldest first (the last is the current week, so far).
WEEK_PLAN = (2, 3, 4, 1, 0, 3, 2, 4, 3, 4, 2)
#: Routines and how often they are picked.
ROUTINES = (
    ("back-strengthening", 5),
    ("stretch-and-strengthen", 3),
    ("neck", 3),
    ("lower-back", 2),
    ("spine-stretch", 1),
)
#: Desk breaks on each working day of the current week before today.
DESK_BREAKS_PER_DAY = 2


@dataclass(frozen=True, slots=True)
class _Routine:
    id: str
    title: str
    exercises: list[tuple[str, str, int, int, float]]  # id, name, sets, reps, hold


def _number(value: Any) -> float:
    if isinstance(value, dict):
        return float(value.get("min", 0))
    return float(value or 0)


def _routine(routine_id: str) -> _Routine:
    data = tomllib.loads((builtin_routines_dir() / f"{routine_id}.toml").read_text("utf-8"))
    exercises = [
        (
            str(e["id"]),
            str(e["name"]),
            int(_number(e.get("sets", 1))),
            int(_number(e.get("reps", 0))),
            _number(e.get("hold", 0)),
        )
        for e in data["exercises"]
    ]
    return _Routine(str(data["id"]), str(data["title"]), exercises)


def sample_history(today: date, tz: tzinfo, seed: int = 6) -> list[SessionRecord]:
    """About ten weeks of sessions ending on ``today`` (in ``tz``), by start time."""
    rng = random.Random(seed)
    routines = {routine_id: _routine(routine_id) for routine_id, _ in ROUTINES}
    weights = [weight for _, weight in ROUTINES]
    this_monday = today - timedelta(days=today.weekday())
    records: list[SessionRecord] = []
    for offset, count in enumerate(reversed(WEEK_PLAN)):
        monday = this_monday - timedelta(weeks=offset)
        # This week: the days before today (nothing later than now), or Monday itself.
        last_day = max(0, (today - monday).days - 1) if offset == 0 else 6
        days = sorted(rng.sample(range(last_day + 1), min(count, last_day + 1)))
        for day in days:
            routine_id = rng.choices([r for r, _ in ROUTINES], weights)[0]
            hour = rng.choice([7, 7, 8, 12, 18, 19, 21])
            started = datetime.combine(
                monday + timedelta(days=day), time(hour, rng.randrange(0, 60, 5)), tz
            )
            records.append(_session(rng, routines[routine_id], started, len(records)))
    records.sort(key=lambda r: r.started)
    # One stop for pain last week, one session cut short when the app closed.
    pain = next(r for r in records if r.started.date() >= this_monday - timedelta(weeks=1))
    interrupted = next(r for r in records if r.started.date() >= this_monday - timedelta(weeks=6))
    records = [
        _cut(r, SessionOutcome.STOPPED_FOR_PAIN, 0.35)
        if r is pain
        else _cut(r, SessionOutcome.INTERRUPTED, 0.5)
        if r is interrupted
        else r
        for r in records
    ]
    breaks = _routine("desk-break")
    for break_day in _break_days(today):
        for hour in (10, 15)[:DESK_BREAKS_PER_DAY]:
            started = datetime.combine(break_day, time(hour, 0), tz)
            record = _session(rng, breaks, started, len(records))
            records.append(replace(record, id=f"sample-break-{len(records):04d}"))
    records.sort(key=lambda r: r.started)
    return records


def _break_days(today: date) -> list[date]:
    """The working days of ``today``'s week before it."""
    monday = today - timedelta(days=today.weekday())
    return [monday + timedelta(days=n) for n in range(min(today.weekday(), 5))]


def sample_break_events(today: date, tz: tzinfo) -> list[BreakEvent]:
    """The desk-break reminders of this week's working days before ``today`` and of last
    Monday: per day one taken at 10:00, one snoozed then taken at 15:00, one skipped at
    17:00, and a natural break at 12:00."""
    days = [*_break_days(today), today - timedelta(days=today.weekday() + 7)]
    plan = (
        (10, BreakEventKind.TAKEN),
        (12, BreakEventKind.NATURAL_BREAK),
        (14, BreakEventKind.SNOOZED),
        (15, BreakEventKind.TAKEN),
        (17, BreakEventKind.SKIPPED),
    )
    return [
        BreakEvent(f"break-{day}-{hour}", datetime.combine(day, time(hour, 0), tz), kind)
        for day in sorted(days)
        for hour, kind in plan
    ]


def _session(rng: random.Random, routine: _Routine, started: datetime, n: int) -> SessionRecord:
    exercises = []
    seconds = 0.0
    for exercise_id, name, sets, reps, hold in routine.exercises:
        skipped = rng.random() < 0.06
        exercises.append(
            ExerciseRecord(
                exercise_id=exercise_id,
                name=name,
                sets_planned=sets,
                sets_done=0 if skipped else sets,
                reps_planned=reps,
                reps_done=0 if skipped else reps,
                hold_seconds=hold,
                skipped=skipped,
            )
        )
        if not skipped:
            seconds += sets * max(reps, 1) * (max(hold, 5) + 8) + 30
    seconds *= rng.uniform(0.9, 1.1)
    return SessionRecord(
        id=f"sample-{n:04d}",
        started=started.astimezone(timezone(started.utcoffset() or timedelta())),
        ended=started + timedelta(seconds=seconds + 30),
        routine_id=routine.id,
        routine_title=routine.title,
        outcome=SessionOutcome.COMPLETED,
        active_seconds=round(seconds, 1),
        app_version="0.1.0",
        exercises=tuple(exercises),
    )


def _cut(record: SessionRecord, outcome: SessionOutcome, share: float) -> SessionRecord:
    """``record`` ended early, after ``share`` of its exercises."""
    keep = max(1, round(len(record.exercises) * share))
    exercises = tuple(
        e
        if i < keep
        else ExerciseRecord(
            e.exercise_id, e.name, e.sets_planned, 0, e.reps_planned, 0, e.hold_seconds, False
        )
        for i, e in enumerate(record.exercises)
    )
    return SessionRecord(
        id=record.id,
        started=record.started,
        ended=record.ended if outcome is not SessionOutcome.INTERRUPTED else None,
        routine_id=record.routine_id,
        routine_title=record.routine_title,
        outcome=outcome,
        active_seconds=round(record.active_seconds * share, 1),
        app_version=record.app_version,
        exercises=exercises,
    )


def stopped_warm_up(started: datetime, reason: StopReason = StopReason.USER) -> SessionRecord:
    """The built-in warm-up run on a fake clock and stopped a second into its third exercise
    (two done, one under way, seven not reached), as the app records it."""
    text = (builtin_routines_dir() / "warm-up.toml").read_text("utf-8")
    plan = compile_plan(parse_routine(text), PlanSettings(phrase_ms=lambda _text: 600))
    clock = FakeClock(1_000_000.0)
    scheduler = Scheduler(plan, clock)
    scheduler.start()
    third = plan.steps[plan.exercises[2].first_step]
    clock.advance(third.start_ms + 1000 - scheduler.position_ms())
    scheduler.poll()
    (summary,) = [e.summary for e in scheduler.stop(reason) if isinstance(e, Finished)]
    begun = begin_record(plan.routine_id, plan.title, started, "test")
    return end_record(begun, summary, started + timedelta(milliseconds=summary.active_ms))
