"""Desk-break reminders wired to Qt, on fake clocks: the prompt, the tray, the history, the
saved schedule, the one timer; and how the window, the tray and later launches meet them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from backtimer.core.clock import FakeClock
from backtimer.core.history.records import BreakEvent, BreakEventKind
from backtimer.core.reminders.policy import (
    MAX_WAIT_S,
    SLEEP_ABORT_S,
    Phase,
    ReminderPolicy,
    SavedSchedule,
)
from backtimer.core.reminders.store import ReminderStore
from backtimer.core.reminders.wall_clock import FakeWallClock
from backtimer.core.settings import ReminderSettings, Settings
from backtimer.qt.breaks.desk_break_wiring import DeskBreakParts, connect_desk_breaks
from backtimer.qt.breaks.desk_breaks import PROMPT_TITLE, DeskBreaks, prompt_body
from backtimer.qt.breaks.tray_icon import PAUSE_CHOICES, PauseUntil, RingState, TrayIcon
from backtimer.qt.shell.content_on_demand import WindowOnDemand
from backtimer.qt.shell.main_window import MainWindow
from backtimer.qt.shell.single_instance import SingleInstance
from tests.core.reminders.desk import BERLIN, local
from tests.helpers.fakes import FakePrompter

MONDAY_10 = local("2026-03-02 10:00")  # a Monday, in working hours (Mon–Fri 09:00–18:00)
#: The settings' snooze (the fake prompter's own is 10 min: the settings' must win).
SNOOZE_MINUTES = 15
SETTINGS = ReminderSettings(snooze_minutes=SNOOZE_MINUTES)
HOUR_BODY = "You have been at your desk for an hour. Stand up and move for two minutes."


class FakeIdle:
    """An idle detector whose reading the test sets."""

    name = "fake"

    def __init__(self) -> None:
        self.seconds: float | None = 0.0

    def idle_seconds(self) -> float | None:
        return self.seconds


@dataclass
class Rig:
    """A DeskBreaks on fake clocks with a fake prompt, a real tray icon and a store."""

    wall: FakeWallClock
    mono: FakeClock
    store_path: Path
    prompter: FakePrompter
    tray: TrayIcon
    idle: FakeIdle | None
    desk: DeskBreaks
    recorded: list[BreakEvent] = field(default_factory=list)

    @property
    def now(self) -> datetime:
        return self.wall.now().astimezone(BERLIN)

    def advance(self, delta: timedelta) -> None:
        """Time passes with the machine awake."""
        self.wall.advance(delta)
        self.mono.advance(delta.total_seconds() * 1000)

    def kinds(self) -> list[BreakEventKind]:
        return [event.kind for event in self.recorded]

    def phase(self) -> Phase:
        return self.desk.policy.phase

    def due_at(self) -> datetime | None:
        return self.desk.policy.view().due_at

    def saved(self) -> SavedSchedule | None:
        return ReminderStore(self.store_path).load()

    def make_due(self) -> None:
        """An hour at the desk: the reminder shows."""
        self.advance(timedelta(minutes=60))
        self.desk.poll()
        assert self.prompter.showing


def make_rig(
    qtbot: QtBot,  # for the QApplication
    tmp_path: Path,
    settings: ReminderSettings = SETTINGS,
    *,
    idle: FakeIdle | None = None,
    saved: SavedSchedule | None = None,
    start: datetime = MONDAY_10,
    wall: FakeWallClock | None = None,
    mono: FakeClock | None = None,
) -> Rig:
    wall = wall or FakeWallClock(start)
    mono = mono or FakeClock()
    policy = ReminderPolicy(
        settings, BERLIN, wall, mono, saved=saved, idle_detection=idle is not None
    )
    path = tmp_path / "reminders.json"
    prompter = FakePrompter()
    tray = TrayIcon(now=lambda: wall.now().astimezone(BERLIN))
    recorded: list[BreakEvent] = []
    desk = DeskBreaks(
        policy,
        ReminderStore(path),
        prompter,
        mono,
        tray=tray,
        idle=idle,
        record=recorded.append,
        now=lambda: wall.now().astimezone(BERLIN),
    )
    desk.start()
    return Rig(wall, mono, path, prompter, tray, idle, desk, recorded)


@pytest.fixture
def rig(qtbot: QtBot, tmp_path: Path) -> Iterator[Rig]:
    made = make_rig(qtbot, tmp_path)
    yield made
    made.desk.apply_settings(replace(SETTINGS, enabled=False))  # stop the timer
    made.tray.deleteLater()


# -- the prompt -------------------------------------------------------------------------------


def test_nothing_shows_before_the_interval_is_over(rig: Rig) -> None:
    assert rig.phase() is Phase.COUNTING
    assert rig.due_at() == MONDAY_10 + timedelta(hours=1)
    rig.advance(timedelta(minutes=59, seconds=59))
    rig.desk.poll()
    assert rig.prompter.shown == []
    assert rig.recorded == []
    assert rig.tray.tooltip() == "Next break in 1 min"


def test_a_due_reminder_shows_the_prompt_and_is_recorded(rig: Rig) -> None:
    rig.make_due()
    assert rig.prompter.shown == [(PROMPT_TITLE, HOUR_BODY)]
    assert PROMPT_TITLE == "Time for a break"
    assert rig.kinds() == [BreakEventKind.SHOWN]
    assert rig.recorded[0].at == rig.now  # when it was shown, not when it fell due
    assert rig.phase() is Phase.DUE
    assert rig.tray.status.state is RingState.DUE
    rig.desk.poll()  # polling again says nothing new
    assert len(rig.prompter.shown) == 1
    assert rig.kinds() == [BreakEventKind.SHOWN]


@pytest.mark.parametrize(
    ("minutes", "sat"),
    [(45, "45 minutes"), (60, "an hour"), (90, "90 minutes"), (120, "2 hours")],
)
def test_the_prompt_says_how_long_the_user_has_sat(minutes: int, sat: str) -> None:
    body = prompt_body(ReminderSettings(interval_minutes=minutes))
    assert body == f"You have been at your desk for {sat}. Stand up and move for two minutes."


def test_start_break_opens_the_break_and_the_interval_restarts_after_it(
    qtbot: QtBot, rig: Rig
) -> None:
    rig.make_due()
    with qtbot.waitSignal(rig.desk.break_wanted, timeout=1000):
        rig.prompter.choose("start")
    assert rig.kinds() == [BreakEventKind.SHOWN, BreakEventKind.TAKEN]
    assert rig.recorded[1].at == rig.now
    assert rig.phase() is Phase.ON_BREAK
    assert not rig.prompter.showing
    rig.advance(timedelta(hours=2))  # however long the break: no reminder during it
    rig.desk.poll()
    assert len(rig.prompter.shown) == 1
    rig.desk.break_finished()
    assert rig.phase() is Phase.COUNTING
    assert rig.due_at() == rig.now + timedelta(hours=1)
    assert rig.desk.policy.view().seconds_left == 3600
    assert rig.tray.status.state is RingState.RUNNING
    assert rig.tray.status.fraction_left == 1.0


def test_the_tray_can_start_a_break_with_nothing_due(qtbot: QtBot, rig: Rig) -> None:
    rig.advance(timedelta(minutes=20))
    with qtbot.waitSignal(rig.desk.break_wanted, timeout=1000):
        rig.tray.break_action.trigger()
    assert rig.kinds() == [BreakEventKind.TAKEN]
    assert rig.phase() is Phase.ON_BREAK
    rig.desk.break_finished()
    assert rig.due_at() == rig.now + timedelta(hours=1)


def test_snooze_reminds_again_after_the_snooze_minutes(qtbot: QtBot, rig: Rig) -> None:
    rig.make_due()
    with qtbot.assertNotEmitted(rig.desk.break_wanted):
        rig.prompter.choose("snooze")
    assert rig.kinds() == [BreakEventKind.SHOWN, BreakEventKind.SNOOZED]
    assert rig.phase() is Phase.COUNTING
    snoozed_at = rig.now
    assert rig.due_at() == snoozed_at + timedelta(minutes=SNOOZE_MINUTES)
    rig.advance(timedelta(minutes=SNOOZE_MINUTES) - timedelta(seconds=1))
    rig.desk.poll()
    assert len(rig.prompter.shown) == 1
    rig.advance(timedelta(seconds=1))
    rig.desk.poll()
    assert len(rig.prompter.shown) == 2
    assert rig.kinds()[-1] is BreakEventKind.SHOWN
    assert rig.recorded[-1].at == snoozed_at + timedelta(minutes=SNOOZE_MINUTES)


def test_skip_waits_a_whole_interval(rig: Rig) -> None:
    rig.make_due()
    rig.prompter.choose("skip")
    assert rig.kinds() == [BreakEventKind.SHOWN, BreakEventKind.SKIPPED]
    assert rig.phase() is Phase.COUNTING
    assert not rig.prompter.showing
    assert rig.due_at() == rig.now + timedelta(hours=1)
    rig.advance(timedelta(minutes=59))
    rig.desk.poll()
    assert len(rig.prompter.shown) == 1


def test_a_dismissed_prompt_comes_back_an_interval_later(rig: Rig) -> None:
    rig.make_due()
    rig.prompter.choose("dismiss")
    assert rig.kinds() == [BreakEventKind.SHOWN]
    rig.advance(timedelta(minutes=59))
    rig.desk.poll()
    assert len(rig.prompter.shown) == 1
    rig.advance(timedelta(minutes=1))
    rig.desk.poll()
    assert len(rig.prompter.shown) == 2


# -- the tray's pause menu ------------------------------------------------------------------


def pause_end(length: timedelta | PauseUntil) -> datetime | None:
    if length is PauseUntil.TOMORROW:
        return local("2026-03-03 09:00")
    if length is PauseUntil.RESUMED:
        return None
    assert isinstance(length, timedelta)
    return MONDAY_10 + timedelta(hours=1) + length


@pytest.mark.parametrize(("text", "length"), PAUSE_CHOICES, ids=[t for t, _ in PAUSE_CHOICES])
def test_each_pause_choice_pauses_until_resumed(
    rig: Rig, text: str, length: timedelta | PauseUntil
) -> None:
    rig.make_due()
    rig.tray.pause_actions[text].trigger()
    assert rig.phase() is Phase.PAUSED
    assert not rig.prompter.showing  # the prompt showing is taken back
    view = rig.desk.policy.view()
    assert view.paused
    assert view.paused_until == pause_end(length)
    assert rig.tray.status.state is RingState.PAUSED
    assert rig.tray.status.paused_until == pause_end(length)
    assert rig.tray.resume_action.isEnabled()
    assert rig.saved() == rig.desk.policy.saved_schedule()
    assert rig.kinds() == [BreakEventKind.SHOWN]  # a pause is not a break event
    rig.advance(timedelta(minutes=10))
    rig.desk.poll()
    assert len(rig.prompter.shown) == 1
    rig.tray.resume_action.trigger()
    assert rig.phase() is Phase.COUNTING
    assert rig.due_at() == rig.now + timedelta(hours=1)
    assert not rig.tray.resume_action.isEnabled()
    assert not rig.saved().paused  # type: ignore[union-attr]


def test_a_pause_for_a_while_ends_by_itself(rig: Rig) -> None:
    rig.desk.pause(timedelta(minutes=30))
    rig.advance(timedelta(minutes=29))
    rig.desk.poll()
    assert rig.phase() is Phase.PAUSED
    rig.advance(timedelta(minutes=1))
    rig.desk.poll()
    assert rig.phase() is Phase.COUNTING
    assert rig.due_at() == rig.now + timedelta(hours=1)
    assert rig.prompter.shown == []


def test_a_pause_length_must_be_one_of_the_choices(rig: Rig) -> None:
    with pytest.raises(TypeError, match="not a pause length"):
        rig.desk.pause("1 hour")  # type: ignore[arg-type]


# -- natural breaks, sleep ------------------------------------------------------------------


def test_being_away_is_a_natural_break_that_withdraws_the_prompt(
    qtbot: QtBot, tmp_path: Path
) -> None:
    idle = FakeIdle()
    rig = make_rig(qtbot, tmp_path, idle=idle)
    rig.make_due()
    rig.advance(timedelta(minutes=5))
    idle.seconds = 5 * 60.0  # the user left as the prompt came
    rig.desk.poll()
    assert rig.kinds() == [BreakEventKind.SHOWN, BreakEventKind.NATURAL_BREAK]
    assert not rig.prompter.showing
    assert rig.prompter.withdrawn >= 1
    assert rig.phase() is Phase.AWAY
    rig.advance(timedelta(minutes=10))
    idle.seconds = 15 * 60.0
    rig.desk.poll()
    assert rig.kinds().count(BreakEventKind.NATURAL_BREAK) == 1  # one break, not one a poll
    rig.advance(timedelta(minutes=1))
    idle.seconds = 0.0  # back
    rig.desk.poll()
    assert rig.phase() is Phase.COUNTING
    assert rig.due_at() == rig.now + timedelta(hours=1)
    assert len(rig.prompter.shown) == 1
    rig.desk.apply_settings(replace(SETTINGS, enabled=False))


def test_idle_short_of_the_threshold_is_no_break(qtbot: QtBot, tmp_path: Path) -> None:
    idle = FakeIdle()
    rig = make_rig(qtbot, tmp_path, idle=idle)
    rig.advance(timedelta(minutes=30))
    idle.seconds = 4 * 60.0
    rig.desk.poll()
    assert rig.recorded == []
    assert rig.phase() is Phase.COUNTING
    rig.desk.apply_settings(replace(SETTINGS, enabled=False))


def test_a_long_sleep_counts_as_the_break(rig: Rig) -> None:
    rig.make_due()
    rig.desk.system_sleeping(True)
    assert rig.phase() is Phase.SLEEPING
    wake = rig.desk.next_wake_ms()
    assert wake is not None
    assert wake <= latest_fire_ms(SLEEP_ABORT_S * 1000)
    rig.wall.advance(timedelta(hours=2))  # asleep: the monotonic clock stands still
    rig.desk.system_sleeping(False)
    assert rig.kinds() == [BreakEventKind.SHOWN, BreakEventKind.NATURAL_BREAK]
    assert not rig.prompter.showing
    assert rig.phase() is Phase.COUNTING
    assert rig.due_at() == rig.now + timedelta(hours=1)


def test_a_short_nap_keeps_the_schedule(rig: Rig) -> None:
    rig.advance(timedelta(minutes=30))
    due = rig.due_at()
    rig.desk.system_sleeping(True)
    rig.wall.advance(timedelta(minutes=2))
    rig.desk.system_sleeping(False)
    assert rig.recorded == []
    assert rig.phase() is Phase.COUNTING
    assert rig.due_at() == due


def test_sleeping_past_the_due_time_briefly_reminds_once(rig: Rig) -> None:
    rig.advance(timedelta(minutes=58))
    rig.desk.system_sleeping(True)
    rig.wall.advance(timedelta(minutes=4))
    rig.desk.system_sleeping(False)
    rig.desk.poll()
    assert len(rig.prompter.shown) == 1
    assert rig.kinds() == [BreakEventKind.SHOWN]


# -- the saved schedule ---------------------------------------------------------------------


def test_the_schedule_is_saved_after_every_change(qtbot: QtBot, rig: Rig) -> None:
    assert rig.saved() == rig.desk.policy.saved_schedule()
    first_due = rig.saved().due  # type: ignore[union-attr]
    assert first_due == MONDAY_10 + timedelta(hours=1)
    rig.make_due()
    rig.prompter.choose("snooze")
    saved = rig.saved()
    assert saved is not None
    assert saved.snoozed
    assert saved.due == rig.now + timedelta(minutes=SNOOZE_MINUTES)
    rig.desk.pause(PauseUntil.RESUMED)
    assert rig.saved().paused  # type: ignore[union-attr]
    rig.desk.resume()
    rig.desk.take_break()
    rig.desk.break_finished()
    assert rig.saved() == rig.desk.policy.saved_schedule()
    assert rig.saved().due == rig.now + timedelta(hours=1)  # type: ignore[union-attr]


def test_a_restart_keeps_the_schedule(qtbot: QtBot, rig: Rig, tmp_path: Path) -> None:
    rig.advance(timedelta(minutes=20))
    rig.desk.skip()  # the next break is an hour from 10:20
    due = rig.due_at()
    rig.desk.apply_settings(replace(SETTINGS, enabled=False))
    rig.advance(timedelta(minutes=5))
    again = make_rig(qtbot, tmp_path, saved=rig.saved(), wall=rig.wall, mono=FakeClock(5_000_000.0))
    assert again.due_at() == due
    again.advance(timedelta(minutes=55))
    again.desk.poll()
    assert again.prompter.shown == [(PROMPT_TITLE, HOUR_BODY)]
    again.desk.apply_settings(replace(SETTINGS, enabled=False))


# -- settings -------------------------------------------------------------------------------


def test_switching_reminders_off_stops_the_timer_and_withdraws(rig: Rig) -> None:
    rig.make_due()
    assert rig.desk.next_wake_ms() is not None
    rig.desk.apply_settings(replace(SETTINGS, enabled=False))
    assert not rig.desk.enabled
    assert rig.desk.next_wake_ms() is None
    assert not rig.prompter.showing
    assert rig.tray.status.state is RingState.PAUSED
    assert rig.tray.tooltip() == "Reminders paused"
    rig.advance(timedelta(hours=3))
    rig.desk.poll()
    assert rig.desk.next_wake_ms() is None
    assert len(rig.prompter.shown) == 1
    rig.desk.system_sleeping(True)
    rig.desk.break_finished()
    assert rig.desk.next_wake_ms() is None


def test_switching_reminders_back_on_arms_the_timer(rig: Rig) -> None:
    rig.desk.apply_settings(replace(SETTINGS, enabled=False))
    rig.desk.apply_settings(SETTINGS)
    assert rig.desk.enabled
    assert rig.desk.next_wake_ms() is not None
    assert rig.tray.status.state is RingState.RUNNING


def test_back_on_after_hours_off_starts_a_fresh_interval_without_a_late_reminder(
    rig: Rig,
) -> None:
    rig.desk.apply_settings(replace(SETTINGS, enabled=False))
    rig.advance(timedelta(hours=3))
    rig.desk.apply_settings(SETTINGS)
    assert rig.prompter.shown == []
    assert rig.recorded == []
    assert rig.phase() is Phase.COUNTING
    assert rig.due_at() == rig.now + timedelta(hours=1)


def test_new_settings_apply_at_once(rig: Rig) -> None:
    rig.advance(timedelta(minutes=10))
    rig.desk.apply_settings(replace(SETTINGS, interval_minutes=30, snooze_minutes=5))
    assert rig.prompter.snooze_minutes == 5
    assert rig.due_at() == MONDAY_10 + timedelta(minutes=30)
    rig.advance(timedelta(minutes=20))
    rig.desk.poll()
    assert rig.prompter.shown == [
        (
            PROMPT_TITLE,
            "You have been at your desk for 30 minutes. Stand up and move for two minutes.",
        )
    ]
    rig.prompter.choose("snooze")
    assert rig.due_at() == rig.now + timedelta(minutes=5)


def test_outside_working_hours_the_tray_says_when_reminders_return(
    qtbot: QtBot, tmp_path: Path
) -> None:
    rig = make_rig(qtbot, tmp_path, start=local("2026-03-02 19:00"))
    assert rig.phase() is Phase.OFF_HOURS
    assert rig.tray.status.state is RingState.QUIET
    assert rig.tray.status.quiet_until == local("2026-03-03 09:00")
    wake = rig.desk.next_wake_ms()
    assert wake is not None
    assert wake <= latest_fire_ms(MAX_WAIT_S * 1000)
    rig.desk.apply_settings(replace(SETTINGS, enabled=False))


# -- the one timer --------------------------------------------------------------------------


def deadline_in_ms(rig: Rig) -> float:
    return rig.desk.policy.next_deadline() - rig.mono.monotonic_ms()


def latest_fire_ms(wait_ms: float) -> float:
    """When a coarse timer armed for ``wait_ms`` may fire at the latest: Qt runs one of
    20 s or more on whole seconds (up to a second off), a shorter one within 5 %."""
    return wait_ms + (1000 if wait_ms >= 20_000 else 0.05 * wait_ms + 1)


def assert_armed_by_the_deadline(rig: Rig) -> float:
    wake = rig.desk.next_wake_ms()
    assert wake is not None
    assert wake <= latest_fire_ms(deadline_in_ms(rig))
    return wake


def test_the_timer_is_armed_no_later_than_the_policy_deadline(rig: Rig) -> None:
    for step in (timedelta(seconds=0.5), timedelta(minutes=7, seconds=13), timedelta(minutes=50)):
        rig.advance(step)
        rig.desk.poll()
        assert_armed_by_the_deadline(rig)
    rig.advance(timedelta(minutes=2, seconds=16, milliseconds=500))
    rig.desk.poll()
    assert rig.desk.policy.view().seconds_left == 30
    assert assert_armed_by_the_deadline(rig) >= 29_000  # the deadline, not the next minute
    rig.make_due()
    assert_armed_by_the_deadline(rig)
    rig.desk.pause(PauseUntil.RESUMED)
    wake = assert_armed_by_the_deadline(rig)
    assert wake > 60_000  # paused: the countdown does not move, nothing to wake for


def test_while_counting_it_wakes_about_once_a_minute(rig: Rig) -> None:
    """Play the timer for an hour: a wake per minute of the tray's countdown, and the
    reminder on time."""
    rig.advance(timedelta(seconds=1))  # an instant after the interval began
    rig.desk.poll()
    wake = assert_armed_by_the_deadline(rig)
    assert 59_000 <= wake <= latest_fire_ms(60_050)  # a minute ends 59 s from now
    wakes = 0
    minutes_shown = {rig.tray.status.minutes_left}
    while not rig.prompter.shown:
        wake = assert_armed_by_the_deadline(rig)
        rig.advance(timedelta(milliseconds=wake + 20))  # it fires, a little late
        rig.desk.poll()
        wakes += 1
        minutes_shown.add(rig.tray.status.minutes_left)
        assert wakes <= 62, "woke more than once a minute"
    assert wakes >= 59
    assert rig.now - (MONDAY_10 + timedelta(hours=1)) < timedelta(seconds=1.5)
    assert minutes_shown >= set(range(1, 61))


def test_a_wake_with_nothing_to_do_changes_nothing(qtbot: QtBot, rig: Rig) -> None:
    """The real timer fires on its own; with the fake clocks standing still, it finds
    nothing to report."""
    rig.advance(timedelta(minutes=59, seconds=59, milliseconds=990))
    rig.desk.poll()
    wake = rig.desk.next_wake_ms()
    assert wake is not None
    assert wake <= 100
    # The desk's own poll is connected first, so it has run when this wait returns.
    with qtbot.waitSignal(rig.desk._timer.timeout, timeout=1000):
        pass
    assert rig.prompter.shown == []


# -- the window, the tray, other launches -----------------------------------------------------


class FakeLauncher:
    """Stands in for the break launcher: counts the breaks opened."""

    def __init__(self) -> None:
        self.opened = 0

    def open(self) -> None:
        self.opened += 1


@dataclass
class App:
    holder: WindowOnDemand
    desk: Rig
    breaks: FakeLauncher
    instance: SingleInstance
    closed: list[bool]
    told: list[tuple[str, str]]
    routines: list[str]

    @property
    def window(self) -> MainWindow:
        return self.holder.get()


def make_app(
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    *,
    tray_visible: bool | None,
    show: bool = True,
) -> App:
    rig = make_rig(qtbot, tmp_path)
    closed: list[bool] = []
    routines: list[str] = []

    def make_window() -> MainWindow:
        window = MainWindow(None, {}, None, Settings(safety_acknowledged=True), lambda s: None)
        qtbot.addWidget(window)
        window.closed.connect(lambda: closed.append(True))
        monkeypatch.setattr(window, "start_routine", routines.append)
        return window

    holder = WindowOnDemand(make_window, lambda: closed.append(True))
    told: list[tuple[str, str]] = []
    if tray_visible is not None:
        monkeypatch.setattr(rig.tray, "is_visible", lambda: tray_visible)
        monkeypatch.setattr(
            rig.tray.tray, "showMessage", lambda title, text, *rest: told.append((title, text))
        )
    monkeypatch.setattr(
        "PySide6.QtWidgets.QMessageBox.information",
        lambda parent, title, text, *rest: told.append((title, text)),
    )
    breaks = FakeLauncher()
    instance = SingleInstance(f"backtimer-test-{id(tmp_path)}")
    parts = DeskBreakParts(rig.desk, rig.tray if tray_visible is not None else None, None)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    connect_desk_breaks(parts, holder, breaks, instance, app)  # type: ignore[arg-type]
    if show:
        holder.get().show()
        qtbot.waitExposed(holder.get())
    return App(holder, rig, breaks, instance, closed, told, routines)


@pytest.fixture
def with_tray(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[App]:
    app = make_app(qtbot, tmp_path, monkeypatch, tray_visible=True)
    yield app
    app.desk.desk.apply_settings(replace(SETTINGS, enabled=False))


@pytest.fixture
def no_tray(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[App]:
    app = make_app(qtbot, tmp_path, monkeypatch, tray_visible=None)
    yield app
    app.desk.desk.apply_settings(replace(SETTINGS, enabled=False))


def test_with_a_tray_closing_the_window_keeps_the_app_in_the_tray(
    qtbot: QtBot, with_tray: App
) -> None:
    app = with_tray
    assert not app.window.close()
    assert not app.window.isVisible()
    assert app.closed == []
    assert len(app.told) == 1
    assert app.told[0][0] == "backtimer keeps running"
    # The reminders go on.
    app.desk.make_due()
    assert len(app.desk.prompter.shown) == 1
    # Opened again from the tray, closed again: the user was told once.
    app.desk.tray.open_action.trigger()
    qtbot.waitUntil(app.window.isVisible, timeout=2000)
    assert not app.window.close()
    assert not app.window.isVisible()
    assert len(app.told) == 1
    assert app.closed == []


def test_quit_really_closes(with_tray: App) -> None:
    with_tray.window.quit()
    assert not with_tray.window.isVisible()
    assert with_tray.closed == [True]
    assert with_tray.told == []


def test_the_tray_menu_quits_too(with_tray: App) -> None:
    with_tray.desk.tray.quit_action.trigger()
    assert with_tray.closed == [True]


def test_the_tray_quits_an_app_whose_window_never_showed(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``backtimer --tray``: the window was never wanted; Quit in the tray still quits."""
    app = make_app(qtbot, tmp_path, monkeypatch, tray_visible=True, show=False)
    app.desk.tray.quit_action.trigger()
    assert app.closed == [True]
    assert not app.holder.created
    app.desk.desk.apply_settings(replace(SETTINGS, enabled=False))


def test_with_reminders_off_closing_the_window_quits(with_tray: App) -> None:
    with_tray.desk.desk.apply_settings(replace(SETTINGS, enabled=False))
    assert with_tray.window.close()
    assert with_tray.closed == [True]
    assert with_tray.told == []


def test_a_hidden_tray_icon_does_not_keep_a_hidden_app(
    qtbot: QtBot, with_tray: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(with_tray.desk.tray, "is_visible", lambda: False)
    assert not with_tray.window.close()
    qtbot.waitUntil(with_tray.window.isMinimized, timeout=2000)
    assert with_tray.closed == []


def test_the_tray_menu_reaches_the_window(qtbot: QtBot, with_tray: App) -> None:
    app = with_tray
    app.window.close()
    app.desk.tray.routine_requested.emit("cat-cow")
    qtbot.waitUntil(app.window.isVisible, timeout=2000)
    assert app.routines == ["cat-cow"]
    opened: list[bool] = []
    app.window.open_settings = lambda: opened.append(True)  # type: ignore[method-assign]
    app.desk.tray.settings_action.trigger()
    assert opened == [True]
    app.desk.tray.break_action.trigger()
    assert app.breaks.opened == 1
    assert app.desk.kinds() == [BreakEventKind.TAKEN]


def test_without_a_tray_closing_minimises_and_says_why_once(qtbot: QtBot, no_tray: App) -> None:
    app = no_tray
    assert not app.window.close()
    qtbot.waitUntil(app.window.isMinimized, timeout=2000)
    assert app.closed == []
    assert len(app.told) == 1
    title, text = app.told[0]
    assert title == "backtimer keeps running"
    assert "no system tray" in text
    assert "File → Quit" in text
    app.window.showNormal()
    assert not app.window.close()
    assert len(app.told) == 1
    app.window.quit()
    assert app.closed == [True]


def test_a_prompt_answered_starts_the_break_in_the_app(qtbot: QtBot, no_tray: App) -> None:
    no_tray.desk.make_due()
    no_tray.desk.prompter.choose("start")
    assert no_tray.breaks.opened == 1


def test_commands_from_later_launches(qtbot: QtBot, no_tray: App) -> None:
    app = no_tray
    app.window.close()  # minimised: there is no tray
    qtbot.waitUntil(app.window.isMinimized, timeout=2000)
    app.instance.deliver(b'{"command": "break-now"}\n')
    assert app.breaks.opened == 1
    assert app.desk.kinds() == [BreakEventKind.TAKEN]
    assert app.desk.phase() is Phase.ON_BREAK
    app.instance.deliver(b'{"command": "show"}\n')
    qtbot.waitUntil(lambda: not app.window.isMinimized(), timeout=2000)
    app.window.showMinimized()
    qtbot.waitUntil(app.window.isMinimized, timeout=2000)
    app.instance.deliver(b'{"command": "run", "routine": "cat-cow"}\n')
    qtbot.waitUntil(lambda: not app.window.isMinimized(), timeout=2000)
    assert app.routines == ["cat-cow"]
    app.instance.deliver(b'{"command": "run", "routine": 3}\n')  # not a routine id: ignored
    app.instance.deliver(b'{"command": "dance"}\n')
    assert app.routines == ["cat-cow"]
    assert app.breaks.opened == 1


def test_without_a_tray_a_tray_launch_shows_the_window(qtbot: QtBot, no_tray: App) -> None:
    no_tray.window.hide()
    no_tray.instance.deliver(b'{"command": "tray"}\n')
    assert no_tray.window.isVisible()


def test_with_a_tray_a_tray_launch_leaves_the_window_hidden(with_tray: App) -> None:
    with_tray.window.close()
    with_tray.instance.deliver(b'{"command": "tray"}\n')
    assert not with_tray.window.isVisible()


def test_a_break_now_launch_works_with_reminders_off(qtbot: QtBot, with_tray: App) -> None:
    with_tray.desk.desk.apply_settings(replace(SETTINGS, enabled=False))
    with qtbot.waitSignal(with_tray.desk.desk.break_wanted, timeout=1000):
        with_tray.instance.deliver(b'{"command": "break-now"}\n')
    assert with_tray.breaks.opened == 1
    with_tray.desk.desk.break_finished()
    assert with_tray.desk.desk.next_wake_ms() is None


def test_started_in_the_tray_the_window_is_built_only_when_wanted(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``backtimer --tray``: breaks, tray launches and reminders need no window."""
    app = make_app(qtbot, tmp_path, monkeypatch, tray_visible=True, show=False)
    app.instance.deliver(b'{"command": "tray"}\n')
    app.instance.deliver(b'{"command": "break-now"}\n')
    app.desk.tray.break_action.trigger()
    assert app.breaks.opened == 2
    assert not app.holder.created
    app.desk.tray.open_action.trigger()
    assert app.holder.created
    qtbot.waitUntil(app.window.isVisible, timeout=2000)
    # Built late, it still closes into the tray.
    assert not app.window.close()
    assert not app.window.isVisible()
    assert app.closed == []
    assert len(app.told) == 1


@pytest.mark.parametrize(
    "command", [b'{"command": "show"}\n', b'{"command": "run", "routine": "cat-cow"}\n']
)
def test_a_later_launch_builds_the_window_of_a_tray_start(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: bytes
) -> None:
    app = make_app(qtbot, tmp_path, monkeypatch, tray_visible=True, show=False)
    app.instance.deliver(command)
    assert app.holder.created
    qtbot.waitUntil(app.window.isVisible, timeout=2000)
    assert app.routines == (["cat-cow"] if b"run" in command else [])
    app.desk.desk.apply_settings(replace(SETTINGS, enabled=False))


def test_the_tray_settings_build_the_window_first(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[bool] = []
    monkeypatch.setattr(MainWindow, "open_settings", lambda self: opened.append(True))
    app = make_app(qtbot, tmp_path, monkeypatch, tray_visible=True, show=False)
    app.desk.tray.settings_action.trigger()
    assert opened == [True]
    qtbot.waitUntil(app.window.isVisible, timeout=2000)
    app.desk.desk.apply_settings(replace(SETTINGS, enabled=False))
