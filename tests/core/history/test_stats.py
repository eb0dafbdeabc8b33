"""History statistics: ISO-week buckets, the streak of weeks meeting the goal, routine totals."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backtimer.core.history.definitions import got_under_way
from backtimer.core.history.records import SessionOutcome, SessionRecord
from backtimer.core.history.stats import (
    GOAL_SESSIONS_PER_WEEK,
    IsoWeek,
    by_week,
    compute_stats,
    counts_toward_goal,
    current_streak,
    local_day,
    recent_weeks,
    routine_totals,
    sessions_by_day,
)

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def session(
    started: datetime,
    active: float = 600.0,
    outcome: SessionOutcome = SessionOutcome.COMPLETED,
    routine: str = "back",
    title: str | None = None,
    sid: str | None = None,
) -> SessionRecord:
    return SessionRecord(
        id=sid or f"{routine}-{started.isoformat()}",
        started=started,
        ended=started + timedelta(seconds=active),
        routine_id=routine,
        routine_title=title or routine.capitalize(),
        outcome=outcome,
        active_seconds=active,
        app_version="0.1.0",
    )


def sessions_on(days: list[date], per_day: int = 1, tz: ZoneInfo = BERLIN) -> list[SessionRecord]:
    return [
        session(datetime(day.year, day.month, day.day, 8 + n, tzinfo=tz))
        for day in days
        for n in range(per_day)
    ]


def goal_week(monday: date) -> list[date]:
    """Three days of the week starting ``monday``: exactly the goal."""
    return [monday, monday + timedelta(days=2), monday + timedelta(days=4)]


# --- ISO weeks ---------------------------------------------------------------------------


def test_iso_week_53_and_its_neighbours() -> None:
    # 2026 has 53 ISO weeks; 2027-01-01 (a Friday) still belongs to 2026-W53.
    assert IsoWeek.of(date(2026, 12, 31)) == IsoWeek(2026, 53)
    assert IsoWeek.of(date(2027, 1, 3)) == IsoWeek(2026, 53)
    assert IsoWeek.of(date(2027, 1, 4)) == IsoWeek(2027, 1)
    assert IsoWeek(2026, 53).shifted(1) == IsoWeek(2027, 1)
    assert IsoWeek(2027, 1).shifted(-1) == IsoWeek(2026, 53)
    assert IsoWeek(2025, 52).shifted(1) == IsoWeek(2026, 1)
    assert str(IsoWeek(2026, 5)) == "2026-W05"
    assert IsoWeek(2026, 53).monday == date(2026, 12, 28)
    assert IsoWeek(2026, 53).sunday == date(2027, 1, 3)


def test_a_session_belongs_to_the_local_day_it_started() -> None:
    # 23:30 on Sunday in Berlin is Sunday 22:30 UTC but Monday nowhere near: stays Sunday.
    late = session(datetime(2026, 3, 8, 23, 30, tzinfo=BERLIN))
    assert local_day(late, BERLIN) == date(2026, 3, 8)
    assert local_day(late, UTC) == date(2026, 3, 8)
    # Seen from New York the same instant is Sunday afternoon; from Tokyo, Monday.
    assert local_day(late, ZoneInfo("Asia/Tokyo")) == date(2026, 3, 9)
    assert IsoWeek.of(local_day(late, ZoneInfo("Asia/Tokyo"))) == IsoWeek(2026, 11)
    assert IsoWeek.of(local_day(late, BERLIN)) == IsoWeek(2026, 10)


def test_the_system_local_time_is_used_without_a_zone() -> None:
    record = session(datetime(2026, 3, 8, 12, 0, tzinfo=UTC))
    assert local_day(record) == record.started.astimezone().date()


# --- which sessions count -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("outcome", "active", "counted"),
    [
        (SessionOutcome.COMPLETED, 600, True),
        (SessionOutcome.COMPLETED, 90, True),  # a completed workout counts, however short
        (SessionOutcome.STOPPED, 600, True),  # ten active minutes count
        (SessionOutcome.STOPPED, 599, False),
        (SessionOutcome.STOPPED, 60, False),
        (SessionOutcome.STOPPED, 8, False),  # the 8-second stopped break
        (SessionOutcome.STOPPED_FOR_PAIN, 30, False),
        (SessionOutcome.STOPPED_FOR_PAIN, 900, True),
        (SessionOutcome.INTERRUPTED, 200, False),
        (SessionOutcome.INTERRUPTED, 700, True),
        (SessionOutcome.STOPPED, 0, False),
        (SessionOutcome.IN_PROGRESS, 0, False),
        (SessionOutcome.IN_PROGRESS, 1000, False),
    ],
)
def test_workouts_count_when_completed_or_ten_active_minutes(
    outcome: SessionOutcome, active: float, counted: bool
) -> None:
    record = session(datetime(2026, 3, 2, 8, tzinfo=BERLIN), active, outcome)
    assert counts_toward_goal(record) is counted
    [week] = by_week([record], BERLIN).values()
    assert week.sessions == int(counted)
    assert week.active_seconds == active


# --- the streak ------------------------------------------------------------------------------


def streak(records: list[SessionRecord], today: date, tz: ZoneInfo = BERLIN) -> int:
    return current_streak(by_week(records, tz), today)


def test_no_history_no_streak() -> None:
    assert streak([], date(2026, 3, 4)) == 0


def test_the_current_week_counts_once_it_meets_the_goal() -> None:
    monday = date(2026, 3, 2)
    records = sessions_on(goal_week(monday))
    assert streak(records, monday + timedelta(days=5)) == 1
    # Earlier that week, with only two sessions so far, there is no streak yet.
    assert streak(records[:2], monday + timedelta(days=3)) == 0


def test_the_week_in_progress_does_not_break_the_streak() -> None:
    monday = date(2026, 3, 2)
    records = sessions_on(
        goal_week(monday - timedelta(weeks=2)) + goal_week(monday - timedelta(weeks=1))
    )
    # This week: one session so far; the two weeks before met the goal.
    records += sessions_on([monday])
    assert streak(records, monday + timedelta(days=1)) == 2
    assert streak(records, monday + timedelta(days=6)) == 2  # Sunday: still in progress


def test_a_week_short_of_the_goal_breaks_the_streak() -> None:
    monday = date(2026, 3, 2)
    weeks = [monday - timedelta(weeks=n) for n in (4, 3, 1)]
    records = sessions_on([d for w in weeks for d in goal_week(w)])
    records += sessions_on([monday - timedelta(weeks=2)] * 1)  # one session: short
    assert streak(records, monday) == 1
    # Last week missed entirely: nothing carries over.
    assert streak(records, monday + timedelta(weeks=1)) == 0


def test_more_than_the_goal_in_fewer_days_still_counts() -> None:
    monday = date(2026, 3, 2)
    records = sessions_on([monday], per_day=GOAL_SESSIONS_PER_WEEK)
    assert streak(records, monday) == 1


def test_sessions_without_active_time_do_not_meet_the_goal() -> None:
    monday = date(2026, 3, 2)
    records = sessions_on(goal_week(monday))
    records[-1] = session(records[-1].started, active=0, outcome=SessionOutcome.STOPPED)
    assert streak(records, monday + timedelta(days=6)) == 0


def test_the_streak_runs_across_new_year_and_week_53() -> None:
    # 2026-W52, 2026-W53 (Dec 28 – Jan 3) and 2027-W01, with W53 split over two years.
    w52 = goal_week(date(2026, 12, 21))
    w53 = [date(2026, 12, 30), date(2027, 1, 1), date(2027, 1, 3)]
    w01 = goal_week(date(2027, 1, 4))
    records = sessions_on(w52 + w53 + w01)
    weekly = by_week(records, BERLIN)
    assert weekly[IsoWeek(2026, 53)].sessions == 3
    assert current_streak(weekly, date(2027, 1, 10)) == 3
    # Monday of W01 with one session so far: in progress, the streak ends with W53.
    so_far = by_week(sessions_on([*w52, *w53, date(2027, 1, 4)]), BERLIN)
    assert current_streak(so_far, date(2027, 1, 4)) == 2
    # Sunday of W53, the goal met: W52 and W53.
    assert current_streak(by_week(sessions_on(w52 + w53), BERLIN), date(2027, 1, 3)) == 2


def test_the_streak_across_a_year_with_52_weeks() -> None:
    # 2025 has 52 ISO weeks; 2025-12-29 is already 2026-W01.
    w52 = goal_week(date(2025, 12, 22))
    w01 = [date(2025, 12, 29), date(2025, 12, 31), date(2026, 1, 2)]
    weekly = by_week(sessions_on(w52 + w01), BERLIN)
    assert set(weekly) == {IsoWeek(2025, 52), IsoWeek(2026, 1)}
    assert current_streak(weekly, date(2026, 1, 5)) == 2


def test_summer_time_changes_do_not_move_sessions() -> None:
    # Europe: clocks go forward on Sun 2026-03-29 and back on Sun 2026-10-25 (at 2–3 am).
    spring = [
        datetime(2026, 3, 23, 7, tzinfo=BERLIN),
        datetime(2026, 3, 29, 1, 30, tzinfo=BERLIN),  # just before the change
        datetime(2026, 3, 29, 23, 59, tzinfo=BERLIN),  # the last minute of the week
        datetime(2026, 3, 30, 0, 1, tzinfo=BERLIN),  # the next week
    ]
    autumn = [
        datetime(2026, 10, 25, 2, 30, tzinfo=BERLIN),  # an ambiguous hour (first pass)
        datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=BERLIN),  # and its repeat
        datetime(2026, 10, 25, 23, 30, tzinfo=BERLIN),
    ]
    # As stored: UTC plus the offset in force then (what the recorder writes).
    records = [session(dt.astimezone(timezone(dt.utcoffset() or timedelta()))) for dt in spring]
    records += [session(dt.astimezone(timezone(dt.utcoffset() or timedelta()))) for dt in autumn]
    weekly = by_week(records, BERLIN)
    assert weekly[IsoWeek(2026, 13)].sessions == 3
    assert weekly[IsoWeek(2026, 14)].sessions == 1
    assert weekly[IsoWeek(2026, 43)].sessions == 3
    assert current_streak(weekly, date(2026, 3, 29)) == 1
    assert current_streak(weekly, date(2026, 11, 1)) == 1


def test_new_york_summer_time() -> None:
    # US clocks go forward on Sun 2026-03-08; a Sunday-night session stays in its week.
    records = sessions_on([date(2026, 3, 2), date(2026, 3, 4)], tz=NEW_YORK)
    records.append(session(datetime(2026, 3, 8, 23, 45, tzinfo=NEW_YORK)))
    weekly = by_week(records, NEW_YORK)
    assert weekly[IsoWeek(2026, 10)].sessions == 3
    assert current_streak(weekly, date(2026, 3, 9)) == 1


# --- the recent weeks, routines and days ----------------------------------------------------


def test_recent_weeks_fill_empty_weeks_and_end_this_week() -> None:
    monday = date(2027, 1, 4)
    records = sessions_on([date(2026, 12, 29), monday])
    weeks = recent_weeks(by_week(records, BERLIN), monday + timedelta(days=2), count=4)
    assert [str(w.week) for w in weeks] == ["2026-W51", "2026-W52", "2026-W53", "2027-W01"]
    assert [w.sessions for w in weeks] == [0, 0, 1, 1]
    assert [w.minutes for w in weeks] == [0, 0, 10, 10]


def test_routine_totals() -> None:
    base = datetime(2026, 3, 2, 8, tzinfo=BERLIN)
    records = [
        session(base, 600, routine="neck", title="Neck"),
        session(base + timedelta(days=1), 300, routine="neck", title="Neck, gently"),
        session(base + timedelta(days=2), 900, SessionOutcome.STOPPED_FOR_PAIN, routine="back"),
        session(base + timedelta(days=3), 0, SessionOutcome.IN_PROGRESS, routine="back"),
    ]
    neck, back = routine_totals(records, BERLIN)
    assert (neck.routine_id, neck.title, neck.sessions, neck.minutes) == (
        "neck",
        "Neck, gently",
        2,
        15,
    )
    assert neck.last_done == base + timedelta(days=1)
    assert (back.sessions, back.minutes) == (1, 15)
    assert back.last_done == base + timedelta(days=2)  # the running session is not "done"


def test_sessions_by_day_and_the_whole() -> None:
    base = datetime(2026, 3, 2, 8, tzinfo=BERLIN)
    records = [session(base + timedelta(hours=h)) for h in (3, 0, 26)]
    days = sessions_by_day(records, BERLIN)
    assert list(days) == [date(2026, 3, 2), date(2026, 3, 3)]
    assert [r.started.hour for r in days[date(2026, 3, 2)]] == [8, 11]
    stats = compute_stats(records, date(2026, 3, 4), BERLIN)
    assert stats.total_sessions == 3
    assert stats.total_active_seconds == 1800
    assert stats.this_week.sessions == 3
    assert stats.streak == 1
    assert len(stats.recent) == 12
    assert stats.recent[-1].week == IsoWeek(2026, 10)


# --- properties ------------------------------------------------------------------------------

ZONES = st.sampled_from([BERLIN, NEW_YORK, ZoneInfo("Asia/Kolkata"), ZoneInfo("Pacific/Apia"), UTC])
OFFSETS = st.integers(min_value=-12 * 4, max_value=14 * 4).map(
    lambda quarters: timezone(timedelta(minutes=15 * quarters))
)


@st.composite
def records(draw: st.DrawFn) -> SessionRecord:
    instant = draw(
        st.datetimes(
            min_value=datetime(2020, 1, 1),
            max_value=datetime(2032, 12, 31),
            timezones=st.just(UTC),
        )
    )
    started = instant.astimezone(draw(OFFSETS))
    active = draw(st.one_of(st.just(0.0), st.floats(min_value=0.001, max_value=7200)))
    outcome = draw(st.sampled_from(list(SessionOutcome)))
    routine = draw(st.sampled_from(["back", "neck", "desk-break"]))
    return session(started, active, outcome, routine, sid=draw(st.uuids()).hex)


@given(st.lists(records(), max_size=60), ZONES)
def test_every_session_lands_in_exactly_one_week_and_totals_add_up(
    sessions: list[SessionRecord], tz: ZoneInfo
) -> None:
    weekly = by_week(sessions, tz)
    for record in sessions:
        day = record.started.astimezone(tz).date()
        holding = [w for w in weekly.values() if w.week.monday <= day <= w.week.sunday]
        assert len(holding) == 1
        assert holding[0].week == IsoWeek.of(day)
    assert sum(w.sessions for w in weekly.values()) == sum(map(counts_toward_goal, sessions))
    under_way = sum(map(got_under_way, sessions))
    assert sum(w.workouts + w.desk_breaks for w in weekly.values()) == under_way
    assert all(w.sessions <= w.workouts for w in weekly.values())
    assert sum(w.active_seconds for w in weekly.values()) == pytest.approx(
        sum(r.active_seconds for r in sessions)
    )
    days = sessions_by_day(sessions, tz)
    assert sum(len(v) for v in days.values()) == len(sessions)
    totals = routine_totals(sessions, tz)
    assert sum(t.sessions for t in totals) == under_way
    assert sum(t.active_seconds for t in totals) == pytest.approx(
        sum(r.active_seconds for r in sessions)
    )


@given(st.lists(records(), max_size=60), ZONES, st.dates(date(2020, 1, 1), date(2033, 6, 1)))
def test_the_streak_is_the_run_of_goal_weeks_ending_now(
    sessions: list[SessionRecord], tz: ZoneInfo, today: date
) -> None:
    weekly = by_week(sessions, tz)
    n = current_streak(weekly, today)
    current = IsoWeek.of(today)
    # A streak of n: the n weeks before (and maybe including) this one met the goal...
    this_met = current in weekly and weekly[current].met_goal
    first = current if this_met else current.shifted(-1)
    for offset in range(n):
        assert weekly[first.shifted(-offset)].met_goal
    # ...and the week before them did not.
    before = first.shifted(-n)
    assert before not in weekly or not weekly[before].met_goal
