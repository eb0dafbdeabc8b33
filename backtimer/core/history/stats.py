"""What the history view shows, computed from session records: weeks, streak, routines, days.

Every figure is counted in local time, in ISO weeks (Monday to Sunday; a year has 52 or
53 of them, and the days around New Year may belong to the neighbouring year's weeks).
The time zone is injected: ``tz=None`` means the system's local time, looked up for each
instant (so a session keeps its wall-clock day across a change of summer time); tests pass
a :class:`zoneinfo.ZoneInfo`. A session belongs to the local day and week it *started* in.

What each number means (which sessions count toward the goal, what "done" is, the
desk-break counts) is defined once, in :mod:`backtimer.core.history.definitions`; this
module only adds them up by day, week and routine. A week's ``sessions`` are the workouts
that count toward the goal; its ``desk_breaks`` are counted apart, and its active time adds
up every session.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import Final

from backtimer.core.history.definitions import (
    GOAL_SESSIONS_PER_WEEK,
    GOAL_SESSIONS_PER_WEEK_HIGH,
    BreakCounts,
    counts_toward_goal,
    exercise_done,
    got_under_way,
)
from backtimer.core.history.records import BreakEvent, SessionOutcome, SessionRecord

__all__ = [
    "CHART_WEEKS",
    "GOAL_SESSIONS_PER_WEEK",
    "GOAL_SESSIONS_PER_WEEK_HIGH",
    "HistoryStats",
    "IsoWeek",
    "RoutineTotals",
    "WeekStats",
    "breaks_by_day",
    "breaks_by_week",
    "compute_stats",
    "counts_toward_goal",
    "exercise_done",
]

#: How many weeks the charts show, the current one last.
CHART_WEEKS: Final = 12


@dataclass(frozen=True, slots=True, order=True)
class IsoWeek:
    """An ISO 8601 week: its ISO year and number (1 to 52 or 53)."""

    year: int
    week: int

    @classmethod
    def of(cls, day: date) -> IsoWeek:
        """The week ``day`` lies in."""
        iso = day.isocalendar()
        return cls(iso.year, iso.week)

    @property
    def monday(self) -> date:
        """The week's first day."""
        return date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> date:
        """The week's last day."""
        return date.fromisocalendar(self.year, self.week, 7)

    def shifted(self, weeks: int) -> IsoWeek:
        """The week ``weeks`` later (earlier when negative)."""
        return IsoWeek.of(self.monday + timedelta(weeks=weeks))

    def __str__(self) -> str:
        return f"{self.year}-W{self.week:02d}"


def local_start(record: SessionRecord, tz: tzinfo | None = None) -> datetime:
    """When ``record`` started, in ``tz`` (None: the system's local time)."""
    return record.started.astimezone(tz)


def local_day(record: SessionRecord, tz: tzinfo | None = None) -> date:
    """The local day ``record`` started on."""
    return local_start(record, tz).date()


@dataclass(frozen=True, slots=True)
class WeekStats:
    """One week: the workouts that count toward the goal, the desk breaks, and the active
    time of all."""

    week: IsoWeek
    sessions: int = 0  #: workouts that count toward the goal
    active_seconds: float = 0.0
    desk_breaks: int = 0  #: desk-break sessions that got under way
    workouts: int = 0  #: workouts that got under way, counted toward the goal or not

    @property
    def minutes(self) -> float:
        """Active minutes."""
        return self.active_seconds / 60

    @property
    def met_goal(self) -> bool:
        """At least :data:`GOAL_SESSIONS_PER_WEEK` sessions."""
        return self.sessions >= GOAL_SESSIONS_PER_WEEK


def by_week(records: Iterable[SessionRecord], tz: tzinfo | None = None) -> dict[IsoWeek, WeekStats]:
    """Each week that has a session, with its counted sessions and active time."""
    sessions: dict[IsoWeek, int] = defaultdict(int)
    seconds: dict[IsoWeek, float] = defaultdict(float)
    breaks: dict[IsoWeek, int] = defaultdict(int)
    workouts: dict[IsoWeek, int] = defaultdict(int)
    for record in records:
        week = IsoWeek.of(local_day(record, tz))
        seconds[week] += max(0.0, record.active_seconds)
        if counts_toward_goal(record):
            sessions[week] += 1
        if got_under_way(record):
            if record.is_desk_break:
                breaks[week] += 1
            else:
                workouts[week] += 1
    return {
        week: WeekStats(week, sessions[week], seconds[week], breaks[week], workouts[week])
        for week in sorted(seconds)
    }


def recent_weeks(
    weekly: dict[IsoWeek, WeekStats], today: date, count: int = CHART_WEEKS
) -> list[WeekStats]:
    """The ``count`` weeks up to the one of ``today`` (oldest first), empty ones included."""
    current = IsoWeek.of(today)
    weeks = [current.shifted(-offset) for offset in range(count - 1, -1, -1)]
    return [weekly.get(week, WeekStats(week)) for week in weeks]


def current_streak(weekly: dict[IsoWeek, WeekStats], today: date) -> int:
    """How many weeks in a row met the goal, up to now.

    The week of ``today`` counts when it has already met the goal; while it has not, it
    is still in progress and does not break the streak, which then ends last week.
    """
    week = IsoWeek.of(today)
    streak = 0
    if week in weekly and weekly[week].met_goal:
        streak = 1
    week = week.shifted(-1)
    while week in weekly and weekly[week].met_goal:
        streak += 1
        week = week.shifted(-1)
    return streak


@dataclass(frozen=True, slots=True)
class RoutineTotals:
    """One routine over the whole history."""

    routine_id: str
    title: str  #: as of its latest session (a routine may have been renamed)
    sessions: int  #: sessions that got under way (desk breaks too; not only those of the goal)
    active_seconds: float
    last_done: datetime | None  #: start of the latest session that got under way, local

    @property
    def minutes(self) -> float:
        """Active minutes."""
        return self.active_seconds / 60


def routine_totals(
    records: Iterable[SessionRecord], tz: tzinfo | None = None
) -> list[RoutineTotals]:
    """Totals per routine, the most done first (then by title)."""
    latest: dict[str, SessionRecord] = {}
    sessions: dict[str, int] = defaultdict(int)
    seconds: dict[str, float] = defaultdict(float)
    last: dict[str, datetime] = {}
    for record in records:
        key = record.routine_id
        if key not in latest or record.started >= latest[key].started:
            latest[key] = record
        seconds[key] += max(0.0, record.active_seconds)
        if got_under_way(record):
            sessions[key] += 1
        if record.outcome is not SessionOutcome.IN_PROGRESS:
            started = local_start(record, tz)
            if key not in last or started > last[key]:
                last[key] = started
    totals = [
        RoutineTotals(key, record.routine_title, sessions[key], seconds[key], last.get(key))
        for key, record in latest.items()
    ]
    totals.sort(key=lambda t: (-t.sessions, -t.active_seconds, t.title.casefold()))
    return totals


def sessions_by_day(
    records: Iterable[SessionRecord], tz: tzinfo | None = None
) -> dict[date, list[SessionRecord]]:
    """Every session by the local day it started on (for the calendar), by start time."""
    days: dict[date, list[SessionRecord]] = defaultdict(list)
    for record in sorted(records, key=lambda r: r.started):
        days[local_day(record, tz)].append(record)
    return dict(days)


@dataclass(frozen=True, slots=True)
class HistoryStats:
    """Everything the history view shows, computed once per refresh."""

    today: date
    weekly: dict[IsoWeek, WeekStats] = field(default_factory=dict)
    recent: list[WeekStats] = field(default_factory=list)
    streak: int = 0
    routines: list[RoutineTotals] = field(default_factory=list)
    days: dict[date, list[SessionRecord]] = field(default_factory=dict)
    total_sessions: int = 0  #: workouts that count toward the goal
    total_active_seconds: float = 0.0
    total_desk_breaks: int = 0  #: desk-break sessions that got under way
    breaks_weekly: dict[IsoWeek, BreakCounts] = field(default_factory=dict)
    breaks_daily: dict[date, BreakCounts] = field(default_factory=dict)

    @property
    def this_week(self) -> WeekStats:
        """The week of :attr:`today`."""
        week = IsoWeek.of(self.today)
        return self.weekly.get(week, WeekStats(week))


def breaks_by_day(
    events: Iterable[BreakEvent], tz: tzinfo | None = None
) -> dict[date, BreakCounts]:
    """The desk-break reminders of each local day that has any, by day."""
    days: dict[date, list[BreakEvent]] = defaultdict(list)
    for event in events:
        days[event.at.astimezone(tz).date()].append(event)
    return {day: BreakCounts.of(days[day]) for day in sorted(days)}


def breaks_by_week(
    events: Iterable[BreakEvent], tz: tzinfo | None = None
) -> dict[IsoWeek, BreakCounts]:
    """The desk-break reminders of each ISO week that has any, by week."""
    weeks: dict[IsoWeek, list[BreakEvent]] = defaultdict(list)
    for event in events:
        weeks[IsoWeek.of(event.at.astimezone(tz).date())].append(event)
    return {week: BreakCounts.of(weeks[week]) for week in sorted(weeks)}


def compute_stats(
    records: Sequence[SessionRecord],
    today: date,
    tz: tzinfo | None = None,
    chart_weeks: int = CHART_WEEKS,
    break_events: Sequence[BreakEvent] = (),
) -> HistoryStats:
    """Weeks, the recent ones, the streak, routine totals, days and desk-break counts."""
    weekly = by_week(records, tz)
    return HistoryStats(
        today=today,
        weekly=weekly,
        recent=recent_weeks(weekly, today, chart_weeks),
        streak=current_streak(weekly, today),
        routines=routine_totals(records, tz),
        days=sessions_by_day(records, tz),
        total_sessions=sum(1 for r in records if counts_toward_goal(r)),
        total_active_seconds=sum(max(0.0, r.active_seconds) for r in records),
        total_desk_breaks=sum(w.desk_breaks for w in weekly.values()),
        breaks_weekly=breaks_by_week(break_events, tz),
        breaks_daily=breaks_by_day(break_events, tz),
    )
