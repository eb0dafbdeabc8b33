"""The reminder policy: when to prompt for a desk break, as a state machine on two clocks.

Nothing here waits. The owner arms one timer for :meth:`ReminderPolicy.next_deadline`
(monotonic milliseconds), calls :meth:`ReminderPolicy.poll` when it fires (with the idle
seconds of the desktop, when it can measure them) and after every user action, and turns
the returned events into prompts and tray updates.

How the schedule moves:

- The next break is due one interval after the last one (a break taken, a skip, a natural
  break, the start of working time, the end of a pause) or one snooze after a snooze. Due
  times are wall-clock instants kept in UTC, so DST changes do not move them.
- Outside working hours nothing is due; entering working time restarts the interval.
- Away from the computer for the idle threshold or longer (the desktop's idle time, or the
  machine asleep) is a break taken: the interval restarts when the user is back.
- A reminder comes at most once per due time: the next one is due an interval later unless
  an action moves it. After a sleep past the due time there is one reminder, or none when
  the sleep was long enough to count as the break; never a burst.
- Sleep is seen from the clocks (the wall clock runs on while the monotonic one stands
  still: :class:`~backtimer.core.suspend.SleepDetector`) and from
  :meth:`ReminderPolicy.system_sleeping` (logind's ``PrepareForSleep``), whichever comes
  first; the other then finds nothing left to report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from enum import StrEnum
from typing import Final

from backtimer.core.clock import MonotonicClock
from backtimer.core.reminders.wall_clock import WallClock
from backtimer.core.reminders.working_hours import Stretch, WorkingHours
from backtimer.core.settings import ReminderSettings
from backtimer.core.suspend import SleepDetector

#: While the user is away, how often to look whether they are back.
AWAY_SAMPLE_S: Final = 60.0
#: Away, and no idle sample for this long: stop waiting for the user to come back.
IDLE_SAMPLES_LOST_S: Final = 5 * AWAY_SAMPLE_S
#: The longest the owner's timer waits, so that a changed wall clock is noticed.
MAX_WAIT_S: Final = 600.0
#: "Going to sleep" with no sleep seen this long after means the sleep was called off.
SLEEP_ABORT_S: Final = 60.0
#: An idle check lands this much after the moment the idle time could reach the threshold.
IDLE_MARGIN_S: Final = 1.0
#: The shortest wait between two idle checks.
MIN_IDLE_CHECK_S: Final = 1.0


class Phase(StrEnum):
    """What the reminders are doing, as the tray shows it."""

    COUNTING = "counting"  #: counting down to the next break
    DUE = "due"  #: a reminder is showing and waits for an answer
    AWAY = "away"  #: the user is away: a natural break is under way
    ON_BREAK = "on_break"  #: a break (the break window) is under way
    PAUSED = "paused"  #: paused by the user
    OFF_HOURS = "off_hours"  #: outside working hours
    SLEEPING = "sleeping"  #: the machine is going to sleep


class BreakCause(StrEnum):
    """What a natural break was."""

    IDLE = "idle"  #: no input for the idle threshold
    SLEEP = "sleep"  #: the machine slept for the idle threshold


@dataclass(frozen=True, slots=True)
class ReminderDue:
    """Time for a break: show the prompt."""

    due_at: datetime  #: when it was due (UTC)
    overdue_s: float  #: how late this poll came (after a sleep, possibly hours)


@dataclass(frozen=True, slots=True)
class ReminderWithdrawn:
    """A reminder that was showing is answered or moot: close its prompt if still open."""

    reason: str


@dataclass(frozen=True, slots=True)
class NaturalBreak:
    """The user was away long enough: that counted as a break and the interval restarts."""

    cause: BreakCause
    away_s: float  #: how long they had been away when it was noticed


@dataclass(frozen=True, slots=True)
class StateChanged:
    """The phase changed; ``old`` is None on the first poll."""

    old: Phase | None
    new: Phase


ReminderEvent = ReminderDue | ReminderWithdrawn | NaturalBreak | StateChanged


@dataclass(frozen=True, slots=True)
class ReminderView:
    """What the tray shows, at one moment."""

    phase: Phase
    within_working_hours: bool
    due_at: datetime | None  #: the next break (local time), None when none is scheduled
    seconds_left: float | None  #: until the next break; 0 while one is due
    fraction_elapsed: float  #: of the current interval (or snooze), 0.0 to 1.0
    paused: bool
    paused_until: datetime | None  #: local time; None when paused until resumed
    next_working_start: datetime | None  #: local time, when outside working hours
    natural_breaks: bool  #: idle time is measured, so being away counts as a break


@dataclass(frozen=True, slots=True)
class SavedSchedule:
    """What survives a restart: the next due time and the pause (all UTC)."""

    due: datetime | None = None
    since: datetime | None = None  #: when the current interval (or snooze) began
    stretch_start: datetime | None = None  #: the working stretch ``due`` belongs to
    snoozed: bool = False  #: ``due`` is a snooze's end, not an interval's
    paused: bool = False
    paused_until: datetime | None = None  #: None with ``paused``: until resumed


class ReminderPolicy:
    """Decides when a desk break is due; see the module docstring.

    Call :meth:`poll` once right after constructing it: that first poll reports the phase
    (and a reminder that fell due while the app was not running).
    """

    def __init__(
        self,
        settings: ReminderSettings,
        tz: tzinfo,
        wall: WallClock,
        monotonic: MonotonicClock,
        *,
        saved: SavedSchedule | None = None,
        idle_detection: bool = False,
    ) -> None:
        self._wall = wall
        self._mono = monotonic
        self._tz = tz
        #: Whether idle samples come with each poll: then :meth:`next_deadline` asks for
        #: them in time to notice a natural break.
        self.idle_detection = idle_detection
        self._apply_settings(settings)
        now = self._read_clocks()
        self._sleep = SleepDetector(now.timestamp(), self._last_mono / 1000)
        saved = saved or SavedSchedule()
        self._due = saved.due
        self._since = saved.since or (saved.due - self._interval if saved.due else None)
        self._due_stretch = saved.stretch_start
        self._snoozed = saved.snoozed
        self._paused = saved.paused
        self._paused_until = saved.paused_until if saved.paused else None
        self._stretch: Stretch | None = self._hours.stretch_at(now)
        self._pending = False
        self._on_break = False
        self._away = False
        #: Idle runs that began before this were already counted (by a sleep).
        self._quiet_before: datetime | None = None
        self._sleeping = False
        self._sleep_started = now
        self._idle_sample: tuple[datetime, float] | None = None
        self._phase: Phase | None = None

    # -- configuration ------------------------------------------------------------------

    def _apply_settings(self, settings: ReminderSettings) -> None:
        self.settings = settings
        self._hours = WorkingHours.from_settings(settings, self._tz)
        self._interval = timedelta(minutes=settings.interval_minutes)
        self._threshold_s = settings.idle_threshold_minutes * 60.0

    def reconfigure(self, settings: ReminderSettings) -> list[ReminderEvent]:
        """Take new settings; a new interval counts from the current interval's start."""
        events = self.poll()
        old_hours = self._hours
        self._apply_settings(settings)
        now = self._last_wall
        if self._due is not None and self._since is not None and not self._snoozed:
            self._due = max(self._since + self._interval, now)
        if old_hours != self._hours:
            self._due = None  # the schedule belonged to the old working hours
        return events + self.poll()

    def switch_on(self, settings: ReminderSettings) -> list[ReminderEvent]:
        """Reminders are back on after being off: the interval starts now.

        Nothing that fell due while they were off is reported, and the time off is not
        taken for a sleep.
        """
        self._apply_settings(settings)
        now = self._read_clocks()
        self._sleep = SleepDetector(now.timestamp(), self._last_mono / 1000)
        self._sleeping = False
        self._pending = self._away = self._on_break = self._snoozed = False
        self._due = self._since = None
        return self.poll()

    @property
    def working_hours(self) -> WorkingHours:
        """The working hours in use."""
        return self._hours

    # -- clocks -------------------------------------------------------------------------

    def _read_clocks(self) -> datetime:
        self._last_wall = self._wall.now().astimezone(UTC)
        self._last_mono = self._mono.monotonic_ms()
        return self._last_wall

    def _wall_to_mono(self, target: datetime) -> float:
        delta_ms = (target - self._last_wall).total_seconds() * 1000
        return self._last_mono + max(delta_ms, 0.0)

    # -- queries ------------------------------------------------------------------------

    @property
    def phase(self) -> Phase:
        """The phase as of the last poll or action."""
        return self._phase if self._phase is not None else self._compute_phase()

    def next_deadline(self) -> float:
        """The monotonic time (ms) at which :meth:`poll` should run next.

        Never before the time of the last poll or action, and at most
        :data:`MAX_WAIT_S` after it.
        """
        now = self._last_wall
        targets = [now + timedelta(seconds=MAX_WAIT_S)]
        if self._sleeping:
            targets.append(self._sleep_started + timedelta(seconds=SLEEP_ABORT_S))
            return self._wall_to_mono(min(targets))
        if self._paused and self._paused_until is not None:
            targets.append(self._paused_until)
        if self._stretch is not None:
            if self._stretch.end is not None:
                targets.append(self._stretch.end)
        else:
            start = self._hours.next_start(now)
            if start is not None:
                targets.append(start)
        if self._counting() and self._due is not None:
            targets.append(self._due)
        if self.idle_detection and self._watching_idle():
            targets.append(self._next_idle_check(now))
        return self._wall_to_mono(max(min(targets), now))

    def _next_idle_check(self, now: datetime) -> datetime:
        later = now + timedelta(seconds=AWAY_SAMPLE_S)
        if self._away or self._idle_sample is None:
            return later
        sampled_at, idle_s = self._idle_sample
        # The idle time cannot reach the threshold before this, whatever the user does.
        reach = sampled_at + timedelta(seconds=self._threshold_s - idle_s + IDLE_MARGIN_S)
        if reach <= now:
            return later  # samples stopped coming (the backend gives no reading): no haste
        return max(reach, now + timedelta(seconds=MIN_IDLE_CHECK_S))

    def view(self) -> ReminderView:
        """The state for the tray, as of now (reads the clocks, changes nothing)."""
        now = self._wall.now().astimezone(UTC)
        phase = self.phase
        within = self._hours.contains(now)
        due_at: datetime | None = None
        seconds_left: float | None = None
        fraction = 0.0
        if self._due is not None and not self._paused and within:
            due_at = self._due.astimezone(self._tz)
            if self._pending:
                seconds_left, fraction = 0.0, 1.0
            elif self._away or self._on_break:
                seconds_left = self._interval.total_seconds()
            else:
                seconds_left = max((self._due - now).total_seconds(), 0.0)
                if self._since is not None and self._due > self._since:
                    span = (self._due - self._since).total_seconds()
                    fraction = min(max(1.0 - seconds_left / span, 0.0), 1.0)
        next_start = None if within else self._hours.next_start(now)
        return ReminderView(
            phase=phase,
            within_working_hours=within,
            due_at=due_at,
            seconds_left=seconds_left,
            fraction_elapsed=fraction,
            paused=self._paused,
            paused_until=(self._paused_until.astimezone(self._tz) if self._paused_until else None),
            next_working_start=next_start.astimezone(self._tz) if next_start else None,
            natural_breaks=self.idle_detection,
        )

    def saved_schedule(self) -> SavedSchedule:
        """The schedule to keep across a restart (see :mod:`~backtimer.core.reminders.store`)."""
        return SavedSchedule(
            due=self._due,
            since=self._since,
            stretch_start=self._due_stretch,
            snoozed=self._snoozed,
            paused=self._paused,
            paused_until=self._paused_until,
        )

    # -- the clock moves ----------------------------------------------------------------

    def poll(self, idle_seconds: float | None = None) -> list[ReminderEvent]:
        """Everything that happened by now.

        ``idle_seconds`` is how long the desktop has had no input, when it can be measured
        (None: no sample this time).
        """
        return self._step(idle_seconds, woke=False)

    def observe_idle(self, seconds: float) -> list[ReminderEvent]:
        """Take an idle sample: :meth:`poll` with ``idle_seconds``."""
        return self.poll(seconds)

    def system_sleeping(self, sleeping: bool) -> list[ReminderEvent]:
        """The machine is about to sleep (True) or has woken (False), from logind."""
        if sleeping:
            events = self.poll()
            if not self._sleeping:
                self._sleeping = True
                self._sleep_started = self._last_wall
            return self._note_phase(events)
        return self._step(None, woke=True)

    def _step(self, idle_seconds: float | None, woke: bool) -> list[ReminderEvent]:
        now = self._read_clocks()
        events: list[ReminderEvent] = []
        slept = self._sleep.slept(now.timestamp(), self._last_mono / 1000)
        if self._sleeping:
            asleep_for = (now - self._sleep_started).total_seconds()
            if not (woke or slept > 0 or asleep_for >= SLEEP_ABORT_S):
                return self._note_phase(events)  # going to sleep: nothing to say now
            self._sleeping = False
            slept = max(slept, asleep_for)
        if slept > 0:
            self._woke(now, slept, events)
        self._update_working_time(now, events)
        self._update_pause(now, events)
        if idle_seconds is not None:
            self._observe_idle(now, max(idle_seconds, 0.0), events)
        elif self._away and self._idle_samples_stopped(now):
            self._away = False  # no way to tell when they came back: count from now
            self._restart(now)
        self._check_due(now, events)
        return self._note_phase(events)

    def _woke(self, now: datetime, slept_s: float, events: list[ReminderEvent]) -> None:
        if slept_s < self._threshold_s:
            return  # a short nap: the schedule stands (a reminder past due comes once)
        if self._hours.contains(now) and not self._paused and not self._on_break:
            events.append(NaturalBreak(BreakCause.SLEEP, slept_s))
        self._withdraw("the machine slept long enough for a break", events)
        self._away = False
        self._quiet_before = now
        self._restart(now)

    def _update_working_time(self, now: datetime, events: list[ReminderEvent]) -> None:
        stretch = self._hours.stretch_at(now)
        self._stretch = stretch
        if stretch is None:
            self._withdraw("working hours are over", events)
            self._due = self._since = None
            self._away = False
            return
        if self._due is None or self._due_stretch != stretch.start:
            self._due_stretch = stretch.start
            self._restart(now)

    def _update_pause(self, now: datetime, events: list[ReminderEvent]) -> None:
        if self._paused and self._paused_until is not None and now >= self._paused_until:
            self._paused = False
            self._paused_until = None
            if self._due is not None:
                self._restart(now)

    def _observe_idle(self, now: datetime, idle_s: float, events: list[ReminderEvent]) -> None:
        self._idle_sample = (now, idle_s)
        if not self._watching_idle():
            self._away = False
            return
        run_start = now - timedelta(seconds=idle_s)
        if idle_s >= self._threshold_s:
            if not self._away:
                self._away = True
                if self._quiet_before is None or run_start >= self._quiet_before:
                    events.append(NaturalBreak(BreakCause.IDLE, idle_s))
                self._withdraw("the user is away: a natural break", events)
                self._restart(now)
        elif self._away:
            # Back: the interval counts from the moment the input came.
            self._away = False
            self._restart(max(run_start, self._since or run_start))

    def _idle_samples_stopped(self, now: datetime) -> bool:
        if not self.idle_detection or self._idle_sample is None:
            return True
        return (now - self._idle_sample[0]).total_seconds() > IDLE_SAMPLES_LOST_S

    def _check_due(self, now: datetime, events: list[ReminderEvent]) -> None:
        if not self._counting() or self._due is None or now < self._due:
            return
        events.append(ReminderDue(self._due, (now - self._due).total_seconds()))
        self._pending = True
        # Unanswered, it comes again an interval later, never sooner.
        self._since, self._due = now, now + self._interval
        self._snoozed = False

    # -- actions ------------------------------------------------------------------------

    def snooze(self, minutes: float) -> list[ReminderEvent]:
        """Remind again in ``minutes``."""
        if minutes <= 0:
            raise ValueError(f"a snooze lasts a positive number of minutes, not {minutes}")
        events = self.poll()
        if self._due is not None and not self._paused:
            now = self._last_wall
            self._withdraw("snoozed", events)
            self._away = False
            self._since, self._due = now, now + timedelta(minutes=minutes)
            self._snoozed = True
        return self._note_phase(events)

    def skip(self) -> list[ReminderEvent]:
        """Skip this break: the next one is an interval from now."""
        events = self.poll()
        self._withdraw("skipped", events)
        if self._due is not None:
            self._restart(self._last_wall)
        return self._note_phase(events)

    def start_break(self) -> list[ReminderEvent]:
        """A break began (the break window opened): no reminders until it ends."""
        events = self.poll()
        self._withdraw("a break started", events)
        self._on_break = True
        self._away = False
        return self._note_phase(events)

    def end_break(self) -> list[ReminderEvent]:
        """The break ended: the interval restarts now."""
        events = self.poll()
        self._on_break = False
        if self._due is not None:
            self._restart(self._last_wall)
        return self._note_phase(events)

    def break_taken(self) -> list[ReminderEvent]:
        """A break was taken (begun and ended at once): the interval restarts now."""
        events = self.poll()
        self._withdraw("a break was taken", events)
        self._on_break = False
        self._away = False
        if self._due is not None:
            self._restart(self._last_wall)
        return self._note_phase(events)

    def pause_for(self, duration: timedelta) -> list[ReminderEvent]:
        """No reminders for ``duration``; the interval restarts when it ends."""
        if duration <= timedelta(0):
            raise ValueError(f"a pause lasts a positive time, not {duration}")
        events = self.poll()
        return self._pause(self._last_wall + duration, events)

    def pause_until_tomorrow(self) -> list[ReminderEvent]:
        """No reminders until working time starts on the next working day."""
        events = self.poll()
        return self._pause(self._hours.next_day_start(self._last_wall), events)

    def pause_until_resumed(self) -> list[ReminderEvent]:
        """No reminders until :meth:`resume`."""
        events = self.poll()
        return self._pause(None, events)

    def _pause(self, until: datetime | None, events: list[ReminderEvent]) -> list[ReminderEvent]:
        self._withdraw("reminders paused", events)
        self._paused = True
        self._paused_until = until
        self._away = False
        return self._note_phase(events)

    def resume(self) -> list[ReminderEvent]:
        """End a pause: the interval restarts now."""
        events = self.poll()
        if self._paused:
            self._paused = False
            self._paused_until = None
            if self._due is not None:
                self._restart(self._last_wall)
        return self._note_phase(events)

    # -- internals ----------------------------------------------------------------------

    def _counting(self) -> bool:
        """Whether a reminder can fall due now."""
        return self._stretch is not None and not (
            self._paused or self._sleeping or self._on_break or self._away
        )

    def _watching_idle(self) -> bool:
        """Whether being away would count as a break now."""
        return self._stretch is not None and not (self._paused or self._sleeping or self._on_break)

    def _restart(self, start: datetime) -> None:
        self._since, self._due = start, start + self._interval
        self._snoozed = False
        self._pending = False

    def _withdraw(self, reason: str, events: list[ReminderEvent]) -> None:
        if self._pending:
            self._pending = False
            events.append(ReminderWithdrawn(reason))

    def _compute_phase(self) -> Phase:
        if self._sleeping:
            return Phase.SLEEPING
        if self._paused:
            return Phase.PAUSED
        if self._stretch is None:
            return Phase.OFF_HOURS
        if self._on_break:
            return Phase.ON_BREAK
        if self._away:
            return Phase.AWAY
        if self._pending:
            return Phase.DUE
        return Phase.COUNTING

    def _note_phase(self, events: list[ReminderEvent]) -> list[ReminderEvent]:
        phase = self._compute_phase()
        if phase is not self._phase:
            events.append(StateChanged(self._phase, phase))
            self._phase = phase
        return events
