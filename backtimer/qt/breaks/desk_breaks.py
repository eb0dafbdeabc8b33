"""Desk-break reminders on the real clocks: the policy's one timer, the prompt and the tray.

:class:`DeskBreaks` adapts the pure :class:`~backtimer.core.reminders.policy.ReminderPolicy`
to Qt. One single-shot timer is armed for the policy's next deadline (or the next minute of
the tray's countdown, whichever is sooner); when it fires, the policy is polled with the
desktop's idle time and its events become a prompt, a withdrawn prompt, the tray's ring and
break events in the history. The user's answers (from the prompt or the tray menu) go back
to the policy, and the schedule is saved after every change, so a restart keeps it.

It knows nothing of windows: a break the user takes is announced with ``break_wanted``, and
the app opens the break window and calls :meth:`DeskBreaks.break_finished` when it closes.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from datetime import datetime, timedelta

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from backtimer.core.clock import MonotonicClock
from backtimer.core.history.records import BreakEvent, BreakEventKind
from backtimer.core.reminders.idle import IdleDetector
from backtimer.core.reminders.policy import (
    NaturalBreak,
    Phase,
    ReminderDue,
    ReminderEvent,
    ReminderPolicy,
    ReminderView,
    ReminderWithdrawn,
)
from backtimer.core.reminders.store import ReminderStore
from backtimer.core.settings import ReminderSettings
from backtimer.core.store.atomic_storage import StoreWriteError
from backtimer.qt.breaks.prompts import BreakPrompter
from backtimer.qt.breaks.tray_icon import PauseUntil, TrayIcon

log = logging.getLogger(__name__)

#: The prompt's title.
PROMPT_TITLE = "Time for a break"
#: The tray's countdown moves in whole minutes; the timer wakes this long after one passes.
#: Qt runs a coarse timer of 20 s or more on whole seconds, up to a second early or late;
#: a margin under that would often wake just before the minute, and then once more.
MINUTE_MARGIN_S = 1.05


def prompt_body(settings: ReminderSettings) -> str:
    """What the prompt says: how long the user has sat, and what to do about it."""
    minutes = settings.interval_minutes
    sat = f"{minutes} minutes" if minutes < 60 or minutes % 60 else _hours(minutes // 60)
    return f"You have been at your desk for {sat}. Stand up and move for two minutes."


def _hours(hours: int) -> str:
    return "an hour" if hours == 1 else f"{hours} hours"


class DeskBreaks(QObject):
    """Runs the reminder policy: timer, prompt, tray status, break events, saved schedule."""

    #: The user chose to take a break now (from the prompt or the tray): open the break window.
    break_wanted = Signal()

    def __init__(
        self,
        policy: ReminderPolicy,
        store: ReminderStore,
        prompter: BreakPrompter,
        clock: MonotonicClock,
        *,
        tray: TrayIcon | None = None,
        idle: IdleDetector | None = None,
        record: Callable[[BreakEvent], object] = lambda event: None,
        now: Callable[[], datetime] = lambda: datetime.now().astimezone(),
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.policy = policy
        self._store = store
        self.prompter = prompter
        self._clock = clock
        self._tray = tray
        self._idle = idle
        self._record = record
        self._now = now
        self._enabled = policy.settings.enabled
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        # A reminder a fraction of a second late is fine; coarse timers let the system
        # batch wake-ups, which keeps an idle tray app cheap.
        self._timer.setTimerType(Qt.TimerType.CoarseTimer)
        self._timer.timeout.connect(self.poll)
        prompter.start_requested.connect(self.take_break)
        prompter.snooze_requested.connect(self.snooze)
        prompter.skip_requested.connect(self.skip)
        if tray is not None:
            tray.break_requested.connect(self.take_break)
            tray.pause_requested.connect(self.pause)
            tray.resume_requested.connect(self.resume)

    # -- the clock ----------------------------------------------------------------------

    @property
    def enabled(self) -> bool:
        """False when the user switched reminders off: nothing is polled or shown."""
        return self._enabled

    def start(self) -> None:
        """The first poll (it reports a reminder that fell due while the app was closed)."""
        self.poll()

    def poll(self) -> None:
        """Let the policy catch up with the clocks, then wait for its next deadline."""
        if not self._enabled:
            self._show_off()
            return
        idle = self._idle.idle_seconds() if self._idle is not None else None
        self._handle(self.policy.poll(idle))

    def _arm(self, view: ReminderView) -> None:
        wait_ms = self.policy.next_deadline() - self._clock.monotonic_ms()
        if view.phase is Phase.COUNTING and view.seconds_left is not None:
            # Wake when the countdown shows the next whole minute, for the tray.
            to_minute = view.seconds_left % 60 + MINUTE_MARGIN_S
            wait_ms = min(wait_ms, to_minute * 1000)
        self._timer.start(max(0, math.ceil(wait_ms)))

    def next_wake_ms(self) -> float | None:
        """Milliseconds until the timer fires; None when it is not running."""
        return self._timer.remainingTime() if self._timer.isActive() else None

    # -- what the user does -------------------------------------------------------------

    def take_break(self) -> None:
        """Start a break now (the prompt's Start break, the tray's Take a break now)."""
        if self._enabled:
            self._handle(self.policy.start_break())
        self.prompter.withdraw()
        self._write(BreakEventKind.TAKEN)
        self.break_wanted.emit()

    def break_finished(self) -> None:
        """The break window closed: the interval restarts now."""
        if self._enabled:
            self._handle(self.policy.end_break())

    def snooze(self) -> None:
        """Remind again after the snooze time of the settings."""
        self._handle(self.policy.snooze(self.policy.settings.snooze_minutes))
        self._write(BreakEventKind.SNOOZED)

    def skip(self) -> None:
        """Skip this break: the next one is an interval from now."""
        self._handle(self.policy.skip())
        self._write(BreakEventKind.SKIPPED)

    def pause(self, length: timedelta | PauseUntil) -> None:
        """Pause reminders for a while, until tomorrow or until resumed (the tray's choices)."""
        if length is PauseUntil.TOMORROW:
            events = self.policy.pause_until_tomorrow()
        elif length is PauseUntil.RESUMED:
            events = self.policy.pause_until_resumed()
        elif isinstance(length, timedelta):
            events = self.policy.pause_for(length)
        else:
            raise TypeError(f"not a pause length: {length!r}")
        self._handle(events)

    def resume(self) -> None:
        """End a pause."""
        self._handle(self.policy.resume())

    def system_sleeping(self, sleeping: bool) -> None:
        """logind says the machine is going to sleep (True) or is back (False)."""
        if self._enabled:
            self._handle(self.policy.system_sleeping(sleeping))

    def apply_settings(self, settings: ReminderSettings) -> None:
        """New reminder settings: the interval, hours and snooze apply at once."""
        self.prompter.snooze_minutes = settings.snooze_minutes
        was_enabled, self._enabled = self._enabled, settings.enabled
        if not settings.enabled:
            self._timer.stop()
            self.prompter.withdraw()
            self.policy.settings = settings
            self._show_off()
            return
        if was_enabled:
            self._handle(self.policy.reconfigure(settings))
        else:
            self._handle(self.policy.switch_on(settings))

    # -- the policy's events --------------------------------------------------------------

    def _handle(self, events: list[ReminderEvent]) -> None:
        for event in events:
            if isinstance(event, ReminderDue):
                self.prompter.show_reminder(PROMPT_TITLE, prompt_body(self.policy.settings))
                self._write(BreakEventKind.SHOWN)
            elif isinstance(event, ReminderWithdrawn):
                self.prompter.withdraw()
            elif isinstance(event, NaturalBreak):
                self._write(BreakEventKind.NATURAL_BREAK)
        self._save()
        view = self.policy.view()
        self._show_status(view)
        if self._enabled:
            self._arm(view)

    def _write(self, kind: BreakEventKind) -> None:
        import uuid  # here: a process idling in the tray need not keep it

        self._record(BreakEvent(str(uuid.uuid4()), self._now(), kind))

    def _save(self) -> None:
        try:
            self._store.save(self.policy.saved_schedule())
        except StoreWriteError as error:
            log.warning("could not save the reminder schedule: %s", error)

    def _show_status(self, view: ReminderView) -> None:
        if self._tray is None:
            return
        minutes = None if view.seconds_left is None else math.ceil(view.seconds_left / 60)
        self._tray.set_status(
            1.0 - view.fraction_elapsed,
            minutes,
            paused=view.paused,
            paused_until=view.paused_until,
            due=view.phase is Phase.DUE,
            quiet_until=view.next_working_start if not view.within_working_hours else None,
        )

    def _show_off(self) -> None:
        if self._tray is not None:
            self._tray.set_status(1.0, None, paused=True)
