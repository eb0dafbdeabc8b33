"""Working hours: on which days and between which local times reminders may come.

Each working day has one period from ``start`` to ``end`` in local time (the injected
``tz``, a :class:`zoneinfo.ZoneInfo` in the app, so DST changes are real). ``end`` before
``start`` is a period that runs past midnight into the next day; ``end == start`` is a
period of a whole day. Periods that touch (Mon–Fri 00:00–00:00, or every day all day) form
one *stretch*: the interval restarts only where a stretch starts.

Every datetime taken or returned is aware; the results are in UTC, so that comparing and
subtracting them is plain elapsed time on both sides of a DST change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Final

from backtimer.core.settings import DAY_NAMES, ReminderSettings

#: Monday to Friday, as :meth:`datetime.date.weekday` numbers them (Monday is 0).
WEEKDAYS: Final = frozenset(range(5))
DEFAULT_START: Final = time(9, 0)
DEFAULT_END: Final = time(18, 0)


def _aware(t: datetime) -> datetime:
    if t.tzinfo is None or t.utcoffset() is None:
        raise ValueError(f"working hours need an aware datetime, got {t.isoformat()}")
    return t


@dataclass(frozen=True, slots=True)
class Stretch:
    """A continuous span of working time, in UTC; ``None`` ends are unbounded."""

    start: datetime | None
    end: datetime | None

    def contains(self, t: datetime) -> bool:
        """Whether ``t`` lies in the stretch (start inclusive, end exclusive)."""
        return (self.start is None or self.start <= t) and (self.end is None or t < self.end)


@dataclass(frozen=True, slots=True)
class WorkingHours:
    """Working days (0 = Monday) with one local-time period each."""

    tz: tzinfo
    days: frozenset[int] = WEEKDAYS
    start: time = DEFAULT_START
    end: time = DEFAULT_END

    def __post_init__(self) -> None:
        bad = sorted(day for day in self.days if day not in range(7))
        if bad:
            raise ValueError(f"working days are numbered 0 (Monday) to 6 (Sunday), got {bad}")
        for name, value in (("start", self.start), ("end", self.end)):
            if value.tzinfo is not None:
                raise ValueError(f"working hours {name} is a local time without a zone")

    @classmethod
    def from_settings(cls, settings: ReminderSettings, tz: tzinfo) -> WorkingHours:
        """The working hours that ``settings`` describe, in the local zone ``tz``."""
        return cls(
            tz=tz,
            days=frozenset(settings.working_days),
            start=settings.work_start,
            end=settings.work_end,
        )

    # -- shape --------------------------------------------------------------------------

    @property
    def always(self) -> bool:
        """Every day, all day: working time never ends."""
        return len(self.days) == 7 and self.start == self.end

    @property
    def never(self) -> bool:
        """No working days at all."""
        return not self.days

    def _period(self, day: date) -> tuple[datetime, datetime] | None:
        """The working period that starts on local ``day``, in UTC, or None."""
        if day.weekday() not in self.days:
            return None
        end_day = day if self.end > self.start else day + timedelta(days=1)
        start = datetime.combine(day, self.start, tzinfo=self.tz).astimezone(UTC)
        end = datetime.combine(end_day, self.end, tzinfo=self.tz).astimezone(UTC)
        return start, end

    def _local_day(self, t: datetime) -> date:
        return _aware(t).astimezone(self.tz).date()

    # -- queries ------------------------------------------------------------------------

    def contains(self, t: datetime) -> bool:
        """Whether ``t`` is working time."""
        return self.stretch_at(t) is not None

    def stretch_at(self, t: datetime) -> Stretch | None:
        """The stretch of working time that ``t`` lies in, or None outside working time."""
        t = _aware(t).astimezone(UTC)
        if self.always:
            return Stretch(None, None)
        today = self._local_day(t)
        # A period that ran past midnight can have started the day before.
        for offset in (-1, 0):
            day = today + timedelta(days=offset)
            period = self._period(day)
            if period is not None and period[0] <= t < period[1]:
                return Stretch(self._stretch_start(day, period[0]), self._stretch_end(day))
        return None

    def _stretch_start(self, day: date, start: datetime) -> datetime:
        """Walk back over periods that end exactly where the next starts."""
        for _ in range(7):
            previous = self._period(day - timedelta(days=1))
            if previous is None or previous[1] != start:
                break
            day, start = day - timedelta(days=1), previous[0]
        return start

    def _stretch_end(self, day: date) -> datetime:
        period = self._period(day)
        assert period is not None
        end = period[1]
        for _ in range(7):
            following = self._period(day + timedelta(days=1))
            if following is None or following[0] != end:
                break
            day, end = day + timedelta(days=1), following[1]
        return end

    def next_start(self, t: datetime) -> datetime | None:
        """The start of the first stretch that begins after ``t`` (None: there is none)."""
        t = _aware(t).astimezone(UTC)
        if self.always or self.never:
            return None
        today = self._local_day(t)
        for offset in range(-1, 9):
            day = today + timedelta(days=offset)
            period = self._period(day)
            if period is None or period[0] <= t:
                continue
            # A period that merely continues a stretch is not the start of one.
            if self._stretch_start(day, period[0]) == period[0]:
                return period[0]
        return None

    def next_working_moment(self, t: datetime) -> datetime | None:
        """``t`` itself when it is working time, else the next stretch's start."""
        t = _aware(t).astimezone(UTC)
        return t if self.contains(t) else self.next_start(t)

    def next_day_start(self, t: datetime) -> datetime:
        """The start of working time on the first working day after ``t``'s local date.

        What "pause until tomorrow" waits for: on a Friday it is Monday's start. With no
        working days at all it is the next local midnight.
        """
        today = self._local_day(t)
        for offset in range(1, 8):
            period = self._period(today + timedelta(days=offset))
            if period is not None:
                return period[0]
        midnight = datetime.combine(today + timedelta(days=1), time(0), tzinfo=self.tz)
        return midnight.astimezone(UTC)

    def describe(self) -> str:
        """A short human text, such as ``Mon–Fri 09:00–18:00``."""
        if self.never:
            return "no working days"
        days = sorted(self.days)
        if days == list(range(days[0], days[-1] + 1)) and len(days) > 2:
            day_text = f"{DAY_NAMES[days[0]].title()}–{DAY_NAMES[days[-1]].title()}"
        else:
            day_text = ", ".join(DAY_NAMES[day].title() for day in days)
        if self.start == self.end:
            return f"{day_text}, all day"
        return f"{day_text} {self.start:%H:%M}–{self.end:%H:%M}"
