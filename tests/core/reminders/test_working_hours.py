"""Working hours: days, local times, overnight and all-day periods, DST in Berlin."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from backtimer.core.reminders.working_hours import Stretch, WorkingHours
from backtimer.core.settings import ReminderSettings
from tests.core.reminders.desk import BERLIN, local

OFFICE = WorkingHours(BERLIN)  # Mon–Fri 09:00–18:00


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("when", "inside"),
    [
        ("2026-06-01 08:59", False),  # Monday, before work
        ("2026-06-01 09:00", True),
        ("2026-06-01 17:59", True),
        ("2026-06-01 18:00", False),  # the end is exclusive
        ("2026-06-05 12:00", True),  # Friday
        ("2026-06-06 12:00", False),  # Saturday
        ("2026-06-07 12:00", False),  # Sunday
    ],
)
def test_default_hours_are_monday_to_friday_nine_to_six(when: str, inside: bool) -> None:
    assert OFFICE.contains(local(when)) is inside


def test_the_stretch_and_the_next_start() -> None:
    stretch = OFFICE.stretch_at(local("2026-06-01 10:30"))
    assert stretch == Stretch(local("2026-06-01 09:00"), local("2026-06-01 18:00"))
    assert OFFICE.stretch_at(local("2026-06-01 19:00")) is None
    # Friday evening: the next start is Monday morning.
    assert OFFICE.next_start(local("2026-06-05 18:00")) == local("2026-06-08 09:00")
    # In working time, the next start is tomorrow's.
    assert OFFICE.next_start(local("2026-06-01 10:00")) == local("2026-06-02 09:00")
    assert OFFICE.next_working_moment(local("2026-06-01 10:00")) == local("2026-06-01 10:00")
    assert OFFICE.next_working_moment(local("2026-06-06 10:00")) == local("2026-06-08 09:00")


@pytest.mark.parametrize(
    ("when", "tomorrow"),
    [
        ("2026-06-01 10:00", "2026-06-02 09:00"),  # Monday → Tuesday
        ("2026-06-01 07:00", "2026-06-02 09:00"),  # before work is still "today"
        ("2026-06-05 15:00", "2026-06-08 09:00"),  # Friday → Monday
        ("2026-06-06 15:00", "2026-06-08 09:00"),  # Saturday → Monday
    ],
)
def test_next_day_start_is_what_pause_until_tomorrow_waits_for(when: str, tomorrow: str) -> None:
    assert OFFICE.next_day_start(local(when)) == local(tomorrow)


def test_results_are_utc_and_naive_times_are_refused() -> None:
    start = OFFICE.next_start(local("2026-06-01 07:00"))
    assert start is not None
    assert start.tzinfo is UTC
    with pytest.raises(ValueError, match="aware"):
        OFFICE.contains(datetime(2026, 6, 1, 10))


def test_an_overnight_period_runs_into_the_next_day() -> None:
    nights = WorkingHours(BERLIN, frozenset({0}), time(22), time(6))  # Monday night
    assert nights.contains(local("2026-06-01 23:00"))
    assert nights.contains(local("2026-06-02 05:59"))  # Tuesday early: Monday's shift
    assert not nights.contains(local("2026-06-02 06:00"))
    assert not nights.contains(local("2026-06-02 23:00"))  # Tuesday is not a working day
    assert nights.stretch_at(local("2026-06-02 01:00")) == Stretch(
        local("2026-06-01 22:00"), local("2026-06-02 06:00")
    )


def test_touching_whole_days_form_one_stretch() -> None:
    weekdays = WorkingHours(BERLIN, frozenset(range(5)), time(0), time(0))
    assert weekdays.stretch_at(local("2026-06-03 12:00")) == Stretch(
        local("2026-06-01 00:00"), local("2026-06-06 00:00")
    )
    # Midnight inside the week is not a start: the next one is next Monday.
    assert weekdays.next_start(local("2026-06-03 12:00")) == local("2026-06-08 00:00")


def test_always_and_never() -> None:
    always = WorkingHours(BERLIN, frozenset(range(7)), time(0), time(0))
    assert always.always
    assert always.stretch_at(local("2026-06-06 03:00")) == Stretch(None, None)
    assert always.next_start(local("2026-06-06 03:00")) is None
    never = WorkingHours(BERLIN, frozenset())
    assert never.never
    assert not never.contains(local("2026-06-01 10:00"))
    assert never.next_start(local("2026-06-01 10:00")) is None
    assert never.next_day_start(local("2026-06-01 10:00")) == local("2026-06-02 00:00")


def test_bad_days_are_refused() -> None:
    with pytest.raises(ValueError, match="0 \\(Monday\\) to 6"):
        WorkingHours(BERLIN, frozenset({7}))


def test_nine_in_the_morning_is_local_on_both_sides_of_a_dst_change() -> None:
    # Berlin: CET (+1) until Sunday 29 March 2026, CEST (+2) until Sunday 25 October.
    assert OFFICE.next_start(local("2026-03-27 18:00")) == utc("2026-03-30 07:00")
    assert OFFICE.next_start(local("2026-03-26 18:00")) == utc("2026-03-27 08:00")
    assert OFFICE.next_start(local("2026-10-23 18:00")) == utc("2026-10-26 08:00")
    assert OFFICE.next_start(local("2026-10-22 18:00")) == utc("2026-10-23 07:00")


def test_a_period_across_the_clock_change_has_its_real_length() -> None:
    early = WorkingHours(BERLIN, frozenset(range(7)), time(1), time(5))
    spring = early.stretch_at(local("2026-03-29 01:30"))
    autumn = early.stretch_at(local("2026-10-25 01:30"))
    assert spring is not None
    assert spring.start is not None
    assert spring.end is not None
    assert autumn is not None
    assert autumn.start is not None
    assert autumn.end is not None
    assert (spring.end - spring.start).total_seconds() == 3 * 3600  # 02:00–03:00 skipped
    assert (autumn.end - autumn.start).total_seconds() == 5 * 3600  # 02:00–03:00 twice


def test_a_start_in_the_skipped_hour_still_starts() -> None:
    odd = WorkingHours(BERLIN, frozenset(range(7)), time(2, 30), time(8))
    start = odd.next_start(local("2026-03-29 00:00"))
    assert start == utc("2026-03-29 01:30")  # 03:30 CEST, an hour after the gap began
    assert odd.contains(start)


def test_from_settings_and_describe() -> None:
    settings = ReminderSettings(working_days=(0, 2, 4), work_start=time(8), work_end=time(16))
    hours = WorkingHours.from_settings(settings, ZoneInfo("UTC"))
    assert hours.days == frozenset({0, 2, 4})
    assert hours.describe() == "Mon, Wed, Fri 08:00–16:00"
    assert OFFICE.describe() == "Mon–Fri 09:00–18:00"
    assert WorkingHours(BERLIN, frozenset(range(7)), time(0), time(0)).describe() == (
        "Mon–Sun, all day"
    )
