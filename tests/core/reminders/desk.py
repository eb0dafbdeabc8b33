"""A simulated desk for the reminder policy: fake clocks, a user, a machine that sleeps.

:class:`Desk` plays the app's part too: it arms "one timer" for the policy's next
deadline and polls when it fires, with the idle seconds the user's input leaves.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from backtimer.core.clock import FakeClock
from backtimer.core.reminders.policy import (
    ReminderDue,
    ReminderEvent,
    ReminderPolicy,
    SavedSchedule,
)
from backtimer.core.reminders.wall_clock import FakeWallClock
from backtimer.core.settings import ReminderSettings

BERLIN = ZoneInfo("Europe/Berlin")


def local(text: str, tz: ZoneInfo = BERLIN) -> datetime:
    """An aware datetime from ``YYYY-MM-DD HH:MM`` in ``tz``."""
    return datetime.fromisoformat(text).replace(tzinfo=tz)


class Desk:
    """A user at a computer, the computer, and the app's timer."""

    def __init__(
        self,
        start: datetime,
        settings: ReminderSettings | None = None,
        *,
        tz: ZoneInfo = BERLIN,
        idle_detection: bool = True,
        saved: SavedSchedule | None = None,
        wall: FakeWallClock | None = None,
        mono: FakeClock | None = None,
    ) -> None:
        self.tz = tz
        self.wall = wall or FakeWallClock(start)
        self.mono = mono or FakeClock()
        self.away_since: datetime | None = None
        self.idle_detection = idle_detection
        self.policy = ReminderPolicy(
            settings or ReminderSettings(),
            tz,
            self.wall,
            self.mono,
            saved=saved,
            idle_detection=idle_detection,
        )
        self.log: list[tuple[datetime, ReminderEvent]] = []
        self.polls = 0
        self.poll()

    # -- the user -----------------------------------------------------------------------

    def leave(self) -> None:
        """The user stops touching the computer."""
        self.away_since = self.now

    def come_back(self) -> None:
        """The user touches the computer again."""
        self.away_since = None

    def idle(self) -> float | None:
        if not self.idle_detection:
            return None
        if self.away_since is None:
            return 0.0
        return (self.now - self.away_since).total_seconds()

    # -- the machine and the app --------------------------------------------------------

    @property
    def now(self) -> datetime:
        return self.wall.now()

    def record(self, events: list[ReminderEvent]) -> list[ReminderEvent]:
        self.log.extend((self.now.astimezone(self.tz), event) for event in events)
        return events

    def poll(self) -> list[ReminderEvent]:
        self.polls += 1
        return self.record(self.policy.poll(self.idle()))

    def act(self, action: str, *args: object) -> list[ReminderEvent]:
        """Call a policy action by name, as the tray or a prompt would."""
        return self.record(getattr(self.policy, action)(*args))

    def _advance(self, ms: float) -> None:
        self.mono.advance(ms)
        self.wall.advance(timedelta(milliseconds=ms))

    def run(self, duration: timedelta) -> None:
        """Let time pass awake, polling whenever the policy's deadline comes."""
        end_mono = self.mono.monotonic_ms() + duration.total_seconds() * 1000
        while True:
            deadline = self.policy.next_deadline()
            assert deadline >= self.mono.monotonic_ms(), "a deadline in the past"
            if deadline > end_mono:
                self._advance(end_mono - self.mono.monotonic_ms())
                return
            self._advance(deadline - self.mono.monotonic_ms())
            self.poll()

    def run_until(self, when: datetime) -> None:
        self.run(when - self.now)

    def suspend(self, duration: timedelta, *, signals: bool = True) -> None:
        """The machine sleeps: the wall clock runs on, the monotonic clock stands still."""
        if signals:
            self.act("system_sleeping", True)
        self.wall.advance(duration)
        if signals:
            self.act("system_sleeping", False)

    # -- what happened ------------------------------------------------------------------

    def reminders(self) -> list[datetime]:
        """Local times at which a reminder came."""
        return [at for at, event in self.log if isinstance(event, ReminderDue)]

    def of_type(self, kind: type) -> list[tuple[datetime, ReminderEvent]]:
        return [(at, event) for at, event in self.log if isinstance(event, kind)]

    def clear(self) -> None:
        self.log.clear()
