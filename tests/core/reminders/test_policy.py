"""The reminder policy over simulated days on fake clocks (Berlin time)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from backtimer.core.reminders.policy import (
    MAX_WAIT_S,
    BreakCause,
    NaturalBreak,
    Phase,
    ReminderDue,
    ReminderWithdrawn,
    StateChanged,
)
from backtimer.core.settings import ReminderSettings
from tests.core.reminders.desk import BERLIN, Desk, local

MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)


def hhmm(times: list[datetime]) -> list[str]:
    return [f"{at:%a %H:%M}" for at in times]


def test_first_poll_reports_the_phase() -> None:
    desk = Desk(local("2026-06-01 10:00"))  # a Monday
    assert desk.log[0][1] == StateChanged(None, Phase.COUNTING)
    saturday = Desk(local("2026-06-06 10:00"))
    assert saturday.log[0][1] == StateChanged(None, Phase.OFF_HOURS)


def test_an_ignored_reminder_comes_back_an_interval_later_within_working_hours() -> None:
    desk = Desk(local("2026-06-01 07:30"))
    desk.run_until(local("2026-06-02 08:00"))
    assert hhmm(desk.reminders()) == [f"Mon {h:02}:00" for h in range(10, 18)]
    # Still unanswered at six: working hours are over, so the prompt is withdrawn.
    withdrawn = desk.of_type(ReminderWithdrawn)
    assert [f"{at:%H:%M}" for at, _ in withdrawn] == ["18:00"]


def test_a_simulated_week_with_breaks_taken() -> None:
    desk = Desk(local("2026-06-01 08:00"))  # Monday 1 June 2026
    end = local("2026-06-08 08:00")
    while desk.now < end:
        before = len(desk.reminders())
        desk.run(MINUTE)
        if len(desk.reminders()) > before:
            desk.run(2 * MINUTE)  # the routine takes two minutes
            desk.act("break_taken")
    reminders = desk.reminders()
    by_day: dict[str, list[str]] = {}
    for at in reminders:
        by_day.setdefault(f"{at:%a}", []).append(f"{at:%H:%M}")
    assert sorted(by_day) == ["Fri", "Mon", "Thu", "Tue", "Wed"]  # none at the weekend
    for times in by_day.values():
        # 10:00, 11:03, 12:06 …: an interval after each break ended (polled each minute).
        assert times[0] == "10:00"
        assert len(times) == 8
        assert all("09:00" <= t < "18:00" for t in times)
    gaps = [b - a for a, b in itertools.pairwise(reminders)]
    assert min(gaps) >= HOUR


def test_snooze_and_skip() -> None:
    desk = Desk(local("2026-06-01 09:00"))
    desk.run_until(local("2026-06-01 10:00"))
    assert hhmm(desk.reminders()) == ["Mon 10:00"]
    events = desk.act("snooze", 5)
    assert ReminderWithdrawn("snoozed") in events
    assert desk.policy.phase is Phase.COUNTING
    desk.run_until(local("2026-06-01 10:05"))
    desk.act("snooze", 10)
    desk.run_until(local("2026-06-01 10:15"))
    desk.act("skip")
    desk.run_until(local("2026-06-01 11:30"))
    assert hhmm(desk.reminders()) == ["Mon 10:00", "Mon 10:05", "Mon 10:15", "Mon 11:15"]
    with pytest.raises(ValueError, match="positive"):
        desk.policy.snooze(0)


def test_a_break_in_the_window_holds_reminders_until_it_ends() -> None:
    desk = Desk(local("2026-06-01 09:00"))
    desk.run_until(local("2026-06-01 09:58"))
    desk.act("start_break")
    assert desk.policy.phase is Phase.ON_BREAK
    desk.run_until(local("2026-06-01 10:30"))  # a long break: nothing comes during it
    assert desk.reminders() == []
    desk.act("end_break")
    desk.run_until(local("2026-06-01 11:31"))
    assert hhmm(desk.reminders()) == ["Mon 11:30"]


def test_pause_for_a_while() -> None:
    desk = Desk(local("2026-06-01 09:00"))
    desk.run_until(local("2026-06-01 09:50"))
    desk.act("pause_for", timedelta(minutes=30))
    view = desk.policy.view()
    assert view.phase is Phase.PAUSED
    assert view.paused_until == local("2026-06-01 10:20")
    assert view.seconds_left is None
    desk.run_until(local("2026-06-01 11:21"))
    # The interval restarts when the pause ends.
    assert hhmm(desk.reminders()) == ["Mon 11:20"]
    changes = [e.new for _, e in desk.log if isinstance(e, StateChanged)]
    assert changes[-3:] == [Phase.PAUSED, Phase.COUNTING, Phase.DUE]


def test_pause_until_tomorrow_and_across_a_weekend() -> None:
    desk = Desk(local("2026-06-01 09:00"))
    desk.run_until(local("2026-06-01 11:00"))
    desk.clear()
    desk.act("pause_until_tomorrow")
    assert desk.policy.view().paused_until == local("2026-06-02 09:00")
    desk.run_until(local("2026-06-02 10:01"))
    assert hhmm(desk.reminders()) == ["Tue 10:00"]
    desk.run_until(local("2026-06-05 16:00"))  # Friday afternoon
    desk.act("pause_until_tomorrow")
    assert desk.policy.view().paused_until == local("2026-06-08 09:00")  # Monday


def test_pause_until_resumed_lasts_until_resume() -> None:
    desk = Desk(local("2026-06-01 09:00"))
    desk.act("pause_until_resumed")
    view = desk.policy.view()
    assert view.paused
    assert view.paused_until is None
    desk.run_until(local("2026-06-03 14:00"))
    assert desk.reminders() == []
    desk.act("resume")
    desk.run_until(local("2026-06-03 15:01"))
    assert hhmm(desk.reminders()) == ["Wed 15:00"]


def test_a_pending_reminder_is_withdrawn_by_a_pause() -> None:
    desk = Desk(local("2026-06-01 09:00"))
    desk.run_until(local("2026-06-01 10:01"))
    assert desk.policy.phase is Phase.DUE
    events = desk.act("pause_for", HOUR)
    assert ReminderWithdrawn("reminders paused") in events


def test_idle_for_the_threshold_is_a_natural_break() -> None:
    desk = Desk(local("2026-06-01 09:00"))
    desk.run_until(local("2026-06-01 09:30"))
    desk.leave()
    desk.run_until(local("2026-06-01 09:50"))
    breaks = desk.of_type(NaturalBreak)
    assert len(breaks) == 1
    at, event = breaks[0]
    assert isinstance(event, NaturalBreak)
    assert event.cause is BreakCause.IDLE
    # Noticed when the idle time reaches the threshold (plus the check's margin).
    assert local("2026-06-01 09:35") <= at <= local("2026-06-01 09:35:02")
    assert desk.policy.phase is Phase.AWAY
    assert desk.policy.view().seconds_left == 3600
    desk.come_back()
    desk.run_until(local("2026-06-01 11:00"))
    # The interval counts from the return, seen at the next check (within a minute).
    (reminder,) = desk.reminders()
    assert local("2026-06-01 10:50") <= reminder <= local("2026-06-01 10:51")


def test_a_short_absence_is_not_a_break() -> None:
    desk = Desk(local("2026-06-01 09:00"))
    desk.run_until(local("2026-06-01 09:30"))
    desk.leave()
    desk.run(4 * MINUTE + 58 * timedelta(seconds=1))
    desk.come_back()
    desk.run_until(local("2026-06-01 10:01"))
    assert desk.of_type(NaturalBreak) == []
    assert hhmm(desk.reminders()) == ["Mon 10:00"]


def test_away_when_the_reminder_falls_due_makes_it_moot() -> None:
    desk = Desk(local("2026-06-01 09:00"))
    desk.run_until(local("2026-06-01 09:58"))
    desk.leave()
    desk.run_until(local("2026-06-01 10:10"))
    # It came at ten (they might be reading), then the absence counted as the break.
    assert hhmm(desk.reminders()) == ["Mon 10:00"]
    assert [f"{at:%H:%M}" for at, _ in desk.of_type(ReminderWithdrawn)] == ["10:03"]


def test_the_threshold_is_configurable() -> None:
    desk = Desk(local("2026-06-01 09:00"), ReminderSettings(idle_threshold_minutes=15))
    desk.run_until(local("2026-06-01 09:30"))
    desk.leave()
    desk.run_until(local("2026-06-01 09:44"))
    assert desk.of_type(NaturalBreak) == []
    desk.run_until(local("2026-06-01 09:46"))
    assert len(desk.of_type(NaturalBreak)) == 1


def test_without_idle_detection_being_away_changes_nothing() -> None:
    desk = Desk(local("2026-06-01 09:00"), idle_detection=False)
    desk.leave()
    desk.run_until(local("2026-06-01 11:01"))
    assert hhmm(desk.reminders()) == ["Mon 10:00", "Mon 11:00"]
    assert not desk.policy.view().natural_breaks


@pytest.mark.parametrize("signals", [True, False])
def test_an_eight_hour_suspend_counts_as_the_break(signals: bool) -> None:
    # Always working time, so the sleep ends inside it.
    settings = ReminderSettings(working_days=tuple(range(7)), work_start=time(0), work_end=time(0))
    desk = Desk(local("2026-06-01 09:00"), settings)
    desk.run_until(local("2026-06-01 09:30"))
    desk.suspend(8 * HOUR, signals=signals)
    desk.run(10 * MINUTE)
    assert desk.reminders() == []
    (at, event) = desk.of_type(NaturalBreak)[0]
    assert isinstance(event, NaturalBreak)
    assert event.cause is BreakCause.SLEEP
    assert event.away_s >= 8 * 3600
    assert len(desk.of_type(NaturalBreak)) == 1
    # With logind's signal it is seen at once; from the clocks alone, at the next poll.
    assert at - local("2026-06-01 17:30") <= timedelta(seconds=0 if signals else MAX_WAIT_S)
    desk.run_until(at + HOUR + MINUTE)
    assert desk.reminders() == [at + HOUR]


@pytest.mark.parametrize("signals", [True, False])
def test_a_short_sleep_past_the_due_time_gives_one_reminder_not_a_burst(signals: bool) -> None:
    settings = ReminderSettings(interval_minutes=5, idle_threshold_minutes=60)
    desk = Desk(local("2026-06-01 09:00"), settings)
    desk.run_until(local("2026-06-01 09:04"))
    desk.suspend(50 * MINUTE, signals=signals)  # ten intervals, but shorter than a break
    desk.run(2 * MINUTE)  # the timer was due at 09:05: it fires within a minute of waking
    (reminder,) = desk.reminders()
    event = next(e for _, e in desk.of_type(ReminderDue))
    assert isinstance(event, ReminderDue)
    assert event.overdue_s >= 49 * 60
    assert reminder >= local("2026-06-01 09:54")


def test_a_suspend_over_the_evening_restarts_the_interval_in_the_morning() -> None:
    desk = Desk(local("2026-06-01 17:00"))
    desk.suspend(timedelta(hours=16, minutes=30), signals=False)  # Tuesday 09:30
    desk.run_until(local("2026-06-02 10:45"))
    reminders = desk.reminders()
    assert len(reminders) == 1
    assert local("2026-06-02 10:30") <= reminders[0] <= local("2026-06-02 10:40")


def test_going_to_sleep_holds_reminders_and_a_cancelled_sleep_lets_them_come() -> None:
    desk = Desk(local("2026-06-01 09:00"))
    desk.run_until(local("2026-06-01 09:59:50"))
    desk.act("system_sleeping", True)
    assert desk.policy.phase is Phase.SLEEPING
    desk.run(30 * timedelta(seconds=1))  # no sleep came
    assert desk.reminders() == []
    desk.run(2 * MINUTE)
    assert len(desk.reminders()) == 1  # the sleep was called off: the reminder comes


def test_the_spring_dst_change_keeps_local_times() -> None:
    desk = Desk(local("2026-03-27 08:00"))  # Friday before the change
    desk.run_until(local("2026-03-30 12:30"))  # Monday after it
    assert hhmm(desk.reminders()) == [
        *(f"Fri {h:02}:00" for h in range(10, 18)),
        "Mon 10:00",
        "Mon 11:00",
        "Mon 12:00",
    ]
    assert desk.reminders()[-1].utcoffset() == timedelta(hours=2)


def test_the_autumn_dst_change_keeps_local_times() -> None:
    desk = Desk(local("2026-10-23 16:30"))  # Friday before the change
    desk.run_until(local("2026-10-26 11:30"))
    assert hhmm(desk.reminders()) == ["Fri 17:30", "Mon 10:00", "Mon 11:00"]
    assert desk.reminders()[-1].utcoffset() == timedelta(hours=1)


def test_intervals_are_elapsed_time_through_the_dst_night() -> None:
    settings = ReminderSettings(working_days=tuple(range(7)), work_start=time(0), work_end=time(0))
    desk = Desk(local("2026-03-29 00:30"), settings)
    desk.run_until(local("2026-03-29 04:31"))
    assert [f"{at:%H:%M%z}" for at in desk.reminders()] == [
        "01:30+0100",
        "03:30+0200",  # an hour after 01:30 CET
        "04:30+0200",
    ]


def test_the_view_for_the_tray() -> None:
    desk = Desk(local("2026-06-01 09:00"))
    desk.run_until(local("2026-06-01 09:45"))
    view = desk.policy.view()
    assert view.phase is Phase.COUNTING
    assert view.within_working_hours
    assert view.due_at == local("2026-06-01 10:00")
    assert view.due_at is not None
    assert view.due_at.tzinfo is BERLIN
    assert view.seconds_left == 15 * 60
    assert view.fraction_elapsed == pytest.approx(0.75)
    assert view.natural_breaks
    desk.run_until(local("2026-06-01 10:00"))
    due = desk.policy.view()
    assert (due.phase, due.seconds_left, due.fraction_elapsed) == (Phase.DUE, 0.0, 1.0)
    desk.run_until(local("2026-06-01 19:00"))
    evening = desk.policy.view()
    assert evening.phase is Phase.OFF_HOURS
    assert not evening.within_working_hours
    assert evening.seconds_left is None
    assert evening.next_working_start == local("2026-06-02 09:00")


def test_reconfigure_keeps_the_start_of_the_interval() -> None:
    desk = Desk(local("2026-06-01 09:00"))
    desk.run_until(local("2026-06-01 09:20"))
    desk.act("reconfigure", ReminderSettings(interval_minutes=30))
    desk.run_until(local("2026-06-01 10:01"))
    assert hhmm(desk.reminders()) == ["Mon 09:30", "Mon 10:00"]
    desk.act("reconfigure", ReminderSettings(interval_minutes=30, work_end=time(10, 30)))
    desk.run_until(local("2026-06-01 12:00"))
    assert hhmm(desk.reminders()) == ["Mon 09:30", "Mon 10:00"]  # after 10:30: none


def test_the_timer_wakes_rarely() -> None:
    """A working day with a present user: how often the app's one timer fires."""
    with_idle = Desk(local("2026-06-01 00:00"))
    with_idle.run(timedelta(days=1))
    without = Desk(local("2026-06-01 00:00"), idle_detection=False)
    without.run(timedelta(days=1))
    # Idle checks every 5 min in working hours; otherwise every MAX_WAIT_S at most.
    assert with_idle.polls <= 9 * 12 + 15 * 6 + 20
    assert without.polls <= 24 * 6 + 20


def test_an_idle_backend_without_readings_does_not_make_the_timer_race() -> None:
    desk = Desk(local("2026-06-01 09:00"))
    desk.idle_detection = False  # the backend gives no reading: polls carry no sample
    desk.run(HOUR)
    assert desk.policy.idle_detection
    assert desk.polls <= 62


def test_next_deadline_converts_wall_time_to_monotonic_time() -> None:
    desk = Desk(local("2026-06-01 09:59"), idle_detection=False)
    desk.act("skip")  # due 10:59
    desk.run_until(local("2026-06-01 10:58"))
    assert desk.policy.next_deadline() == pytest.approx(desk.mono.monotonic_ms() + 60_000)


def test_saturday_start_waits_for_monday() -> None:
    desk = Desk(datetime(2026, 6, 6, 10, tzinfo=UTC), tz=ZoneInfo("UTC"))
    assert desk.policy.phase is Phase.OFF_HOURS
    desk.run_until(datetime(2026, 6, 8, 10, 1, tzinfo=UTC))
    assert hhmm(desk.reminders()) == ["Mon 10:00"]
