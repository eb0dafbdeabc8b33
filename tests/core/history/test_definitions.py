"""The one definition of every history number: exercise states, the goal, desk breaks, reminders."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backtimer.core.history.definitions import (
    GOAL_MIN_ACTIVE_MINUTES,
    BreakCounts,
    ExerciseCounts,
    counts_toward_goal,
    done_of_planned,
    exercise_state,
)
from backtimer.core.history.record_rules import (
    MAX_PAIN_AREA_LENGTH,
    MAX_PAIN_NOTE_LENGTH,
    RecordFormatError,
    session_from_dict,
)
from backtimer.core.history.records import (
    BreakEvent,
    BreakEventKind,
    ExerciseRecord,
    ExerciseState,
    SessionKind,
    SessionOutcome,
    SessionRecord,
)
from backtimer.core.history.stats import IsoWeek, breaks_by_day, breaks_by_week, by_week
from backtimer.core.scheduler import StopReason
from tests.helpers.history_samples import stopped_warm_up

BERLIN = ZoneInfo("Europe/Berlin")
MONDAY = datetime(2026, 3, 9, 8, 0, tzinfo=BERLIN)


def session(
    *,
    outcome: SessionOutcome = SessionOutcome.COMPLETED,
    active: float = 1200.0,
    routine_id: str = "back-strengthening",
    kind: SessionKind | None = None,
    started: datetime = MONDAY,
    sid: str = "s",
) -> SessionRecord:
    return SessionRecord(
        id=sid,
        started=started,
        ended=started + timedelta(seconds=active),
        routine_id=routine_id,
        routine_title="Routine",
        outcome=outcome,
        active_seconds=active,
        app_version="test",
        kind=kind,
    )


# --- exercise states ---------------------------------------------------------------------------


@pytest.mark.parametrize("reason", [StopReason.USER, StopReason.PAIN])
def test_the_exercise_under_way_at_a_stop_is_partly_done(reason: StopReason) -> None:
    record = stopped_warm_up(MONDAY, reason)
    assert record.outcome is (
        SessionOutcome.STOPPED_FOR_PAIN if reason is StopReason.PAIN else SessionOutcome.STOPPED
    )
    states = [exercise_state(e) for e in record.exercises]
    assert states[:3] == [ExerciseState.DONE, ExerciseState.DONE, ExerciseState.PARTLY_DONE]
    assert set(states[3:]) == {ExerciseState.NOT_REACHED}
    counts = ExerciseCounts.of(record)
    assert (counts.done, counts.partly_done, counts.not_reached, counts.planned) == (2, 1, 7, 10)
    assert done_of_planned(record) == "2 of 10 done · 1 partly"


@pytest.mark.parametrize(
    ("counts", "state"),
    [
        ((False, 1, 1, 10, 10), ExerciseState.DONE),
        ((False, 1, 1, 0, 0), ExerciseState.DONE),  # a timed exercise, its one set done
        ((False, 1, 0, 0, 0), ExerciseState.NOT_REACHED),  # timed, not begun: not "0 of 0 done"
        ((False, 2, 1, 10, 5), ExerciseState.PARTLY_DONE),
        ((False, 1, 0, 10, 3), ExerciseState.PARTLY_DONE),
        ((True, 1, 0, 10, 0), ExerciseState.SKIPPED),
        ((False, 0, 0, 0, 0), ExerciseState.NOT_REACHED),
    ],
)
def test_a_record_without_a_state_gets_it_from_its_counts(
    counts: tuple[bool, int, int, int, int], state: ExerciseState
) -> None:
    skipped, sets_planned, sets_done, reps_planned, reps_done = counts
    data = {
        "exercise_id": "e",
        "name": "E",
        "sets_planned": sets_planned,
        "sets_done": sets_done,
        "reps_planned": reps_planned,
        "reps_done": reps_done,
        "hold_seconds": 0,
        "skipped": skipped,
    }
    record = session_from_dict({**session().to_dict(), "exercises": [data]})
    assert exercise_state(record.exercises[0]) is state


# --- the goal ------------------------------------------------------------------------------------


def test_desk_breaks_and_short_stops_do_not_meet_the_goal() -> None:
    desk_breaks = [
        session(
            routine_id="desk-break", active=150, started=MONDAY + timedelta(hours=h), sid=f"b{h}"
        )
        for h in range(5)
    ]
    stopped = session(outcome=SessionOutcome.STOPPED, active=8, sid="stopped")
    [week] = by_week([*desk_breaks, stopped], BERLIN).values()
    assert week.sessions == 0
    assert not week.met_goal  # not "5 of 3–4 — goal met"
    assert week.desk_breaks == 5
    assert week.workouts == 1
    assert week.active_seconds == 5 * 150 + 8


def test_a_completed_workout_counts_and_a_desk_break_never_does() -> None:
    assert counts_toward_goal(session(active=120))
    assert not counts_toward_goal(session(kind=SessionKind.DESK_BREAK, active=3600))
    stopped = SessionOutcome.STOPPED
    assert counts_toward_goal(session(outcome=stopped, active=GOAL_MIN_ACTIVE_MINUTES * 60))
    assert not counts_toward_goal(session(outcome=stopped, active=GOAL_MIN_ACTIVE_MINUTES * 60 - 1))


def test_three_workouts_meet_the_goal() -> None:
    workouts = [session(started=MONDAY + timedelta(days=d), sid=f"w{d}") for d in range(3)]
    [week] = by_week(workouts, BERLIN).values()
    assert (week.sessions, week.met_goal) == (3, True)


# --- kinds and pain notes as records hold them ------------------------------------------------


def test_an_old_record_of_the_desk_break_routine_is_a_desk_break() -> None:
    data = session(routine_id="desk-break").to_dict()
    del data["kind"]
    assert session_from_dict(data).kind is SessionKind.DESK_BREAK
    data = session(routine_id="neck").to_dict()
    del data["kind"]
    assert session_from_dict(data).kind is SessionKind.WORKOUT


def test_a_desk_break_of_any_routine_keeps_its_kind() -> None:
    record = session(routine_id="neck", kind=SessionKind.DESK_BREAK)
    assert session_from_dict(record.to_dict()) == record


TEXT = st.text(max_size=MAX_PAIN_NOTE_LENGTH + 20)


@given(
    kind=st.one_of(
        st.none(), st.sampled_from([k.value for k in SessionKind]), st.text(), st.integers()
    ),
    area=st.one_of(st.none(), TEXT, st.integers()),
    note=st.one_of(st.none(), TEXT, st.booleans()),
)
def test_kind_and_pain_note_are_read_or_refused_by_name(kind: Any, area: Any, note: Any) -> None:
    data = {**session().to_dict(), "kind": kind, "pain_area": area, "pain_note": note}
    valid_kind = kind is None or kind in {k.value for k in SessionKind}

    def valid_text(value: Any, limit: int) -> bool:
        if value is None:
            return True
        if not isinstance(value, str) or len(value) > limit:
            return False
        return not any(0xD800 <= ord(c) <= 0xDFFF for c in value)

    valid_area = valid_text(area, MAX_PAIN_AREA_LENGTH)
    valid_note = valid_text(note, MAX_PAIN_NOTE_LENGTH)
    if valid_kind and valid_area and valid_note:
        record = session_from_dict(data)
        assert record.pain_area == (area or "")
        assert record.pain_note == (note or "")
        assert session_from_dict(record.to_dict()) == record
    else:
        with pytest.raises(RecordFormatError) as caught:
            session_from_dict(data)
        assert caught.value.field in {"kind", "pain_area", "pain_note"}


@given(
    state=st.one_of(st.none(), st.sampled_from([s.value for s in ExerciseState]), st.text()),
    skipped=st.booleans(),
)
def test_an_exercise_state_must_agree_with_skipped(state: Any, skipped: bool) -> None:
    exercise = ExerciseRecord("e", "E", 1, 0, 5, 0, 0.0, skipped).to_dict()
    data = {**session().to_dict(), "exercises": [{**exercise, "state": state}]}
    known = state is None or state in {s.value for s in ExerciseState}
    agrees = state is None or (state == ExerciseState.SKIPPED.value) is skipped
    if known and agrees:
        record = session_from_dict(data)
        assert (exercise_state(record.exercises[0]) is ExerciseState.SKIPPED) is skipped
    else:
        with pytest.raises(RecordFormatError, match=r"exercises\[0\]\.state"):
            session_from_dict(data)


# --- desk-break reminders ---------------------------------------------------------------------


def events_over_two_weeks() -> list[BreakEvent]:
    kinds = {
        date(2026, 3, 2): [BreakEventKind.TAKEN, BreakEventKind.SNOOZED, BreakEventKind.TAKEN],
        date(2026, 3, 3): [BreakEventKind.SKIPPED, BreakEventKind.NATURAL_BREAK],
        date(2026, 3, 9): [BreakEventKind.SHOWN, BreakEventKind.TAKEN],
    }
    return [
        BreakEvent(f"{day}-{n}", datetime(day.year, day.month, day.day, 9 + n, tzinfo=BERLIN), kind)
        for day, day_kinds in kinds.items()
        for n, kind in enumerate(day_kinds)
    ]


def test_reminders_are_counted_per_day_and_per_week() -> None:
    events = events_over_two_weeks()
    daily = breaks_by_day(events, BERLIN)
    assert daily[date(2026, 3, 2)] == BreakCounts(taken=2, snoozed=1)
    assert daily[date(2026, 3, 3)] == BreakCounts(skipped=1, natural=1)
    weekly = breaks_by_week(events, BERLIN)
    assert list(weekly) == [IsoWeek(2026, 10), IsoWeek(2026, 11)]
    assert weekly[IsoWeek(2026, 10)] == BreakCounts(taken=2, snoozed=1, skipped=1, natural=1)
    assert weekly[IsoWeek(2026, 11)] == BreakCounts(taken=1, shown=1)
    assert (
        weekly[IsoWeek(2026, 10)].summary() == "2 taken · 1 snoozed · 1 skipped · 1 natural break"
    )


def test_a_reminder_belongs_to_its_local_day() -> None:
    # 23:30 UTC on Sunday is already Monday in Berlin: the next week.
    late = BreakEvent(
        "late", datetime(2026, 3, 8, 23, 30, tzinfo=ZoneInfo("UTC")), BreakEventKind.TAKEN
    )
    assert list(breaks_by_day([late], BERLIN)) == [date(2026, 3, 9)]
    assert list(breaks_by_week([late], BERLIN)) == [IsoWeek(2026, 11)]
