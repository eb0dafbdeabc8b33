"""User settings as plain data: what the settings dialog edits and the session reads."""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import time
from enum import StrEnum
from typing import Any, Final, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class AudioSettings:
    """How a session sounds."""

    speech: bool = True  #: speak the cues
    beeps: bool = True  #: play the beeps
    announce_next: bool = True  #: say what comes next and its numbers, not just its name
    voice: str | None = None  #: a voice id the speech engine lists; None for its default
    rate: int | None = None  #: words per minute; None for the engine's default
    volume: float = 1.0  #: 0.0 to 1.0
    #: the speech engine: "espeak" (espeak-ng, always there) or "piper" (the neural
    #: voice of the optional ``neural`` extra; espeak-ng is used when it is missing)
    engine: str = "espeak"


class Theme(StrEnum):
    """How the app looks: follow the system, or always light or dark."""

    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"


#: Bounds of the values that have them (inclusive).
RATE_RANGE: Final = (80, 450)
#: The speech engines a setting can choose (docs/voices.md).
SPEECH_ENGINES: Final = ("espeak", "piper")
VOLUME_RANGE: Final = (0.0, 1.0)
GET_READY_RANGE: Final = (0.0, 60.0)
#: Bounds of the reminder settings, in minutes (inclusive).
REMINDER_INTERVAL_RANGE: Final = (5, 240)
IDLE_THRESHOLD_RANGE: Final = (1, 60)
#: The snooze lengths offered, in minutes.
SNOOZE_CHOICES: Final = (5, 10, 15)
#: Short names of the days of the week, Monday first, as the settings file writes them.
DAY_NAMES: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
#: The version of the settings layout :func:`settings_to_dict` writes.
SETTINGS_SCHEMA_VERSION: Final = 1
_SURROGATE: Final = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class ReminderSettings:
    """Desk-break reminders: how often, when, and what a break is.

    ``working_days`` are numbered as :meth:`datetime.date.weekday` does (0 is Monday),
    sorted and without repeats. ``work_start``/``work_end`` are local times; an end before
    the start runs past midnight, and an end equal to the start means the whole day.
    """

    enabled: bool = True  #: remind at all
    interval_minutes: int = 60  #: time between breaks
    working_days: tuple[int, ...] = (0, 1, 2, 3, 4)
    work_start: time = time(9, 0)
    work_end: time = time(18, 0)
    #: Away from the computer (no input, or asleep) this long counts as a break taken.
    idle_threshold_minutes: int = 5
    snooze_minutes: int = 5  #: the snooze a prompt offers first; one of SNOOZE_CHOICES
    start_at_login: bool = False  #: start backtimer in the tray at login
    break_routine: str = "desk-break"  #: the routine a break runs (a routine id)


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the user can set, as saved between runs."""

    audio: AudioSettings = field(default_factory=AudioSettings)
    get_ready_seconds: float = 10.0  #: the get-ready step before the first exercise
    theme: Theme = Theme.SYSTEM
    larger_text: bool = False  #: scale the app's text up by about a quarter
    safety_acknowledged: bool = False  #: the safety notice has been read and accepted
    #: The main window's geometry: base64 of ``QWidget.saveGeometry()``, set by the Qt layer.
    window_geometry: str | None = None
    #: The history window's geometry, kept the same way.
    history_geometry: str | None = None
    reminders: ReminderSettings = field(default_factory=ReminderSettings)
    #: The user has been told that closing the window keeps backtimer running.
    told_close_keeps_running: bool = False
    #: What the user said they have under the picker's "I have" (equipment as routine
    #: files name it: "mat", "chair"…, in the order of :class:`Equipment`); None while
    #: they have said nothing (every routine shows).
    equipment_at_hand: tuple[str, ...] | None = None


def reminder_settings_to_dict(reminders: ReminderSettings) -> dict[str, Any]:
    """The ``reminders`` part of the settings file."""
    return {
        "enabled": reminders.enabled,
        "interval_minutes": reminders.interval_minutes,
        "working_days": [DAY_NAMES[day] for day in reminders.working_days],
        "work_start": reminders.work_start.strftime("%H:%M"),
        "work_end": reminders.work_end.strftime("%H:%M"),
        "idle_threshold_minutes": reminders.idle_threshold_minutes,
        "snooze_minutes": reminders.snooze_minutes,
        "start_at_login": reminders.start_at_login,
        "break_routine": reminders.break_routine,
    }


def settings_to_dict(settings: Settings) -> dict[str, Any]:
    """``settings`` as plain JSON data; :func:`settings_from_dict` reads it back."""
    audio = settings.audio
    return {
        "schema_version": SETTINGS_SCHEMA_VERSION,
        "audio": {
            "speech": audio.speech,
            "beeps": audio.beeps,
            "announce_next": audio.announce_next,
            "voice": audio.voice,
            "rate": audio.rate,
            "volume": audio.volume,
            "engine": audio.engine,
        },
        "get_ready_seconds": settings.get_ready_seconds,
        "theme": settings.theme.value,
        "larger_text": settings.larger_text,
        "safety_acknowledged": settings.safety_acknowledged,
        "window_geometry": settings.window_geometry,
        "history_geometry": settings.history_geometry,
        "reminders": reminder_settings_to_dict(settings.reminders),
        "told_close_keeps_running": settings.told_close_keeps_running,
        "equipment_at_hand": (
            None if settings.equipment_at_hand is None else list(settings.equipment_at_hand)
        ),
    }


class _InvalidValueError(Exception):
    """A value that does not fit its field: ``expected`` says what would have."""

    def __init__(self, expected: str) -> None:
        super().__init__(expected)
        self.expected = expected


def _shown(value: object) -> str:
    """A short JSON-ish rendering of a value found in the file."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _bool(value: object) -> bool:
    if not isinstance(value, bool):
        raise _InvalidValueError("true or false")
    return value


def _number(value: object, low: float, high: float) -> float:
    expected = f"a number from {low:g} to {high:g}"
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _InvalidValueError(expected)
    number = float(value)
    if not (math.isfinite(number) and low <= number <= high):
        raise _InvalidValueError(expected)
    return number


def _whole_number(value: object, low: int, high: int, expected: str) -> int:
    """``value`` as a whole number from ``low`` to ``high`` (a float such as 45.0 counts)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _InvalidValueError(expected)
    if isinstance(value, float) and not value.is_integer():
        raise _InvalidValueError(expected)
    if not low <= value <= high:
        raise _InvalidValueError(expected)
    return int(value)


def _engine(value: object) -> str:
    if value not in SPEECH_ENGINES:
        raise _InvalidValueError(" or ".join(f'"{name}"' for name in SPEECH_ENGINES))
    return str(value)


def _rate(value: object) -> int | None:
    if value is None:
        return None
    low, high = RATE_RANGE
    expected = f"a whole number of words per minute from {low} to {high}, or null for the default"
    return _whole_number(value, low, high, expected)


def _is_unicode(text: str) -> bool:
    """Whether ``text`` has no unpaired surrogate (JSON's "\ud800", which cannot be saved)."""
    return text.isascii() or not _SURROGATE.search(text)


def _voice(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip() or not _is_unicode(value):
        raise _InvalidValueError("a voice id (text), or null for the engine's default")
    return value


def _theme(value: object) -> Theme:
    for theme in Theme:
        if value == theme.value:
            return theme
    raise _InvalidValueError(" or ".join(f'"{theme.value}"' for theme in Theme))


def _geometry(value: object) -> str | None:
    if value is None:
        return None
    expected = "base64 text, or null"
    if not isinstance(value, str):
        raise _InvalidValueError(expected)
    try:
        base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise _InvalidValueError(expected) from None
    return value


def _whole_minutes(low: int, high: int) -> Callable[[object], int]:
    def check(value: object) -> int:
        return _whole_number(value, low, high, f"a whole number of minutes from {low} to {high}")

    return check


def _snooze(value: object) -> int:
    expected = " or ".join(str(choice) for choice in SNOOZE_CHOICES) + " (minutes)"
    if isinstance(value, bool) or value not in SNOOZE_CHOICES:
        raise _InvalidValueError(expected)
    assert isinstance(value, int | float)
    return int(value)


def _days(value: object) -> tuple[int, ...]:
    expected = (
        "a list of one or more days out of "
        + ", ".join(f'"{name}"' for name in DAY_NAMES)
        + ", each at most once"
    )
    if not isinstance(value, list) or not value:
        raise _InvalidValueError(expected)
    days: set[int] = set()
    for item in value:
        if not isinstance(item, str) or item.lower() not in DAY_NAMES:
            raise _InvalidValueError(expected)
        day = DAY_NAMES.index(item.lower())
        if day in days:
            raise _InvalidValueError(expected)
        days.add(day)
    return tuple(sorted(days))


def _equipment_at_hand(value: object) -> tuple[str, ...] | None:
    from backtimer.core.routine.kinds import Equipment

    names = [item.value for item in Equipment]
    expected = (
        "null or a list of things out of "
        + ", ".join(f'"{name}"' for name in names)
        + ", each at most once"
    )
    if value is None:
        return None
    if not isinstance(value, list) or len(set(map(str, value))) != len(value):
        raise _InvalidValueError(expected)
    if not all(isinstance(item, str) and item in names for item in value):
        raise _InvalidValueError(expected)
    return tuple(name for name in names if name in value)


def _clock_time(value: object) -> time:
    expected = 'a time of day as "HH:MM" (24-hour clock), such as "09:00"'
    if not isinstance(value, str) or len(value) != 5 or value[2] != ":":
        raise _InvalidValueError(expected)
    hours, minutes = value[:2], value[3:]
    if not (hours.isdigit() and minutes.isdigit() and hours.isascii() and minutes.isascii()):
        raise _InvalidValueError(expected)
    if int(hours) > 23 or int(minutes) > 59:
        raise _InvalidValueError(expected)
    return time(int(hours), int(minutes))


def _routine_id(value: object) -> str:
    if not isinstance(value, str) or not value.strip() or not _is_unicode(value):
        raise _InvalidValueError("a routine id (text)")
    return value


class _Fields:
    """Reads the fields of one JSON object by name, each falling back to the attribute of
    ``defaults`` with the same name, and keeps a message in ``problems`` for each that does."""

    def __init__(
        self, data: Mapping[str, Any], prefix: str, defaults: object, problems: list[str]
    ) -> None:
        self._data = data
        self._prefix = prefix
        self._defaults = defaults
        self._problems = problems

    def __call__(self, key: str, check: Callable[[object], T]) -> T:
        default: T = getattr(self._defaults, key)
        if key not in self._data:
            return default
        value = self._data[key]
        try:
            return check(value)
        except _InvalidValueError as invalid:
            self._problems.append(
                f"setting {self._prefix}{key}: expected {invalid.expected}, "
                f"found {_shown(value)}; using the default ({_shown(default)})"
            )
            return default


def settings_from_dict(data: object) -> tuple[Settings, list[str]]:
    """Settings from plain JSON data, and a message for every value that was not usable.

    Tolerant: unknown keys are ignored, missing ones take their default, and a value of
    the wrong type or out of range takes its default with a message naming the field,
    what was expected and what was found.
    """
    defaults = Settings()
    problems: list[str] = []
    if not isinstance(data, Mapping):
        problems.append(f"settings: expected an object, found {_shown(data)}; using the defaults")
        return defaults, problems
    audio = defaults.audio
    audio_data = data.get("audio", {})
    if isinstance(audio_data, Mapping):
        read = _Fields(audio_data, "audio.", audio, problems)
        audio = AudioSettings(
            speech=read("speech", _bool),
            beeps=read("beeps", _bool),
            announce_next=read("announce_next", _bool),
            voice=read("voice", _voice),
            rate=read("rate", _rate),
            volume=read("volume", lambda v: _number(v, *VOLUME_RANGE)),
            engine=read("engine", _engine),
        )
    else:
        problems.append(
            f"setting audio: expected an object, found {_shown(audio_data)}; "
            "using the default sound settings"
        )
    reminders = defaults.reminders
    reminder_data = data.get("reminders", {})
    if isinstance(reminder_data, Mapping):
        reminders = _reminders_from_dict(reminder_data, problems)
    else:
        problems.append(
            f"setting reminders: expected an object, found {_shown(reminder_data)}; "
            "using the default reminder settings"
        )
    read = _Fields(data, "", defaults, problems)
    settings = Settings(
        audio=audio,
        get_ready_seconds=read("get_ready_seconds", lambda v: _number(v, *GET_READY_RANGE)),
        theme=read("theme", _theme),
        larger_text=read("larger_text", _bool),
        safety_acknowledged=read("safety_acknowledged", _bool),
        window_geometry=read("window_geometry", _geometry),
        history_geometry=read("history_geometry", _geometry),
        reminders=reminders,
        told_close_keeps_running=read("told_close_keeps_running", _bool),
        equipment_at_hand=read("equipment_at_hand", _equipment_at_hand),
    )
    return settings, problems


def _reminders_from_dict(data: Mapping[str, Any], problems: list[str]) -> ReminderSettings:
    """The ``reminders`` object, field by field, each falling back to its default."""
    read = _Fields(data, "reminders.", ReminderSettings(), problems)
    return ReminderSettings(
        enabled=read("enabled", _bool),
        interval_minutes=read("interval_minutes", _whole_minutes(*REMINDER_INTERVAL_RANGE)),
        working_days=read("working_days", _days),
        work_start=read("work_start", _clock_time),
        work_end=read("work_end", _clock_time),
        idle_threshold_minutes=read(
            "idle_threshold_minutes", _whole_minutes(*IDLE_THRESHOLD_RANGE)
        ),
        snooze_minutes=read("snooze_minutes", _snooze),
        start_at_login=read("start_at_login", _bool),
        break_routine=read("break_routine", _routine_id),
    )
