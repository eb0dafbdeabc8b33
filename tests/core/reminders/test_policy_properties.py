"""Properties of the reminder policy under random days: users, sleeps, actions, restarts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from backtimer.core.reminders.policy import ReminderDue, ReminderPolicy
from backtimer.core.reminders.working_hours import WorkingHours
from backtimer.core.settings import ReminderSettings
from tests.core.reminders.desk import BERLIN, Desk

reminder_settings = st.builds(
    ReminderSettings,
    interval_minutes=st.sampled_from([5, 15, 30, 60, 90]),
    working_days=st.sets(st.integers(0, 6), min_size=1).map(lambda d: tuple(sorted(d))),
    work_start=st.sampled_from([time(0), time(2, 30), time(9), time(22)]),
    work_end=st.sampled_from([time(0), time(3), time(18), time(6)]),
    idle_threshold_minutes=st.sampled_from([1, 5, 15, 60]),
)

# Around both of Berlin's 2026 DST changes and an ordinary week.
starts = st.sampled_from(
    [datetime(2026, 3, 27, 8), datetime(2026, 10, 23, 16), datetime(2026, 6, 1, 7)]
).flatmap(
    lambda day: st.integers(0, 3 * 24 * 60).map(
        lambda minutes: (day + timedelta(minutes=minutes)).replace(tzinfo=BERLIN)
    )
)

ACTIONS = (
    "skip",
    "break_taken",
    "start_break",
    "end_break",
    "pause_until_tomorrow",
    "pause_until_resumed",
    "resume",
)


@dataclass(frozen=True)
class Step:
    kind: str
    minutes: int = 0
    flag: bool = False
    action: str = ""


steps = st.one_of(
    st.builds(Step, kind=st.just("run"), minutes=st.integers(0, 240)),
    st.builds(Step, kind=st.just("leave")),
    st.builds(Step, kind=st.just("come_back")),
    st.builds(Step, kind=st.just("suspend"), minutes=st.integers(0, 600), flag=st.booleans()),
    st.builds(Step, kind=st.just("snooze"), minutes=st.sampled_from([5, 10, 15])),
    st.builds(Step, kind=st.just("pause_for"), minutes=st.integers(1, 300)),
    st.builds(Step, kind=st.just("action"), action=st.sampled_from(ACTIONS)),
    st.builds(Step, kind=st.just("restart")),
)


def restart(desk: Desk, reminders: ReminderSettings) -> None:
    """The app quits and starts again with the saved schedule (clocks run on)."""
    saved = desk.policy.saved_schedule()
    desk.policy = ReminderPolicy(
        reminders, BERLIN, desk.wall, desk.mono, saved=saved, idle_detection=True
    )
    desk.poll()


@settings(max_examples=150)
@given(reminders=reminder_settings, start=starts, plan=st.lists(steps, max_size=25))
def test_reminders_never_burst_never_come_off_hours_and_deadlines_are_ahead(
    reminders: ReminderSettings, start: datetime, plan: list[Step]
) -> None:
    desk = Desk(start, reminders)
    hours = WorkingHours.from_settings(reminders, BERLIN)
    interval = timedelta(minutes=reminders.interval_minutes)
    last_due: datetime | None = None  # the last reminder with no action since
    checked = 0

    def check() -> None:
        nonlocal last_due, checked
        for at, event in desk.log[checked:]:
            if isinstance(event, ReminderDue):
                assert hours.contains(at), f"a reminder outside working hours at {at}"
                if last_due is not None:
                    assert at - last_due >= interval, f"two reminders {last_due} and {at}"
                last_due = at
        checked = len(desk.log)
        assert desk.policy.next_deadline() >= desk.mono.monotonic_ms()

    check()
    for step in plan:
        if step.kind == "run":
            desk.run(timedelta(minutes=step.minutes))
        elif step.kind == "leave":
            desk.leave()
        elif step.kind == "come_back":
            desk.come_back()
        elif step.kind == "suspend":
            desk.suspend(timedelta(minutes=step.minutes), signals=step.flag)
        elif step.kind == "restart":
            restart(desk, reminders)
        else:
            check()  # what the action's own poll reports came before the action
            if step.kind == "snooze":
                desk.act("snooze", step.minutes)
            elif step.kind == "pause_for":
                desk.act("pause_for", timedelta(minutes=step.minutes))
            else:
                desk.act(step.action)
            last_due = None
        check()


@settings(max_examples=100)
@given(
    reminders=reminder_settings,
    start=starts,
    sleep_minutes=st.integers(0, 24 * 60),
    signals=st.booleans(),
)
def test_a_sleep_of_any_length_brings_at_most_one_reminder(
    reminders: ReminderSettings, start: datetime, sleep_minutes: int, signals: bool
) -> None:
    desk = Desk(start, reminders, idle_detection=False)
    desk.run(timedelta(minutes=30))
    desk.clear()
    desk.suspend(timedelta(minutes=sleep_minutes), signals=signals)
    desk.run(timedelta(minutes=4))  # shorter than any interval
    assert len(desk.reminders()) <= 1
