"""The reminder schedule on disk: ``reminders.json`` in the data folder.

A small JSON object (the next due time and the pause, as aware ISO 8601 times) written
atomically, under the file's lock (:func:`~backtimer.core.store.file_lock.locked`), and
only when it changed. It is read through :func:`~backtimer.core.store.json_state.
read_state_json`, so whatever the file holds, a file that cannot be read or that does not
hold a schedule (wrong shapes, times without an offset or outside 1970–2200, as for history
records) is moved aside to ``reminders.json.unreadable-<timestamp>`` and the reminders start
afresh; the message says so and is kept in :attr:`ReminderStore.problems`. A schedule the
policy cannot use after all is set aside the same way (:meth:`ReminderStore.set_aside`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from backtimer.core.history.record_rules import (
    EARLIEST_YEAR,
    LATEST_YEAR,
    RecordFormatError,
    parse_time,
)
from backtimer.core.paths import AppPaths
from backtimer.core.reminders.policy import SavedSchedule
from backtimer.core.store.atomic_storage import move_aside, write_atomically
from backtimer.core.store.errors import UnreadableStoreError
from backtimer.core.store.file_lock import locked
from backtimer.core.store.json_state import read_state_json
from backtimer.core.store.user_files import SMALL_STATE_LIMIT

log = logging.getLogger(__name__)

REMINDERS_FILE_NAME: Final = "reminders.json"
SCHEDULE_VERSION: Final = 1


def default_reminders_path(paths: AppPaths) -> Path:
    """Where the schedule lives: ``reminders.json`` in the data folder."""
    return paths.data / REMINDERS_FILE_NAME


def _time_text(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat()


def schedule_to_dict(schedule: SavedSchedule) -> dict[str, Any]:
    """``schedule`` as plain JSON data; :func:`schedule_from_dict` reads it back."""
    return {
        "version": SCHEDULE_VERSION,
        "due": _time_text(schedule.due),
        "since": _time_text(schedule.since),
        "stretch_start": _time_text(schedule.stretch_start),
        "snoozed": schedule.snoozed,
        "paused": schedule.paused,
        "paused_until": _time_text(schedule.paused_until),
    }


class ScheduleFormatError(ValueError):
    """The data is not a saved schedule; the message names the field."""


def _read_time(data: Mapping[str, Any], key: str) -> datetime | None:
    """The time at ``key``, by the rules of a history record's times (aware, 1970–2200)."""
    value = data.get(key)
    if value is None:
        return None
    try:
        parsed = parse_time(value, key)
    except RecordFormatError as error:
        found = f"{error.found} without an offset" if "(no offset)" in error.found else error.found
        raise ScheduleFormatError(
            f'"{key}": expected a date and time with its UTC offset (ISO 8601), '
            f"in {EARLIEST_YEAR}–{LATEST_YEAR}, or null; found {found}"
        ) from None
    return parsed.astimezone(UTC)


def _read_bool(data: Mapping[str, Any], key: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise ScheduleFormatError(f'"{key}": expected true or false, found {value!r}')
    return value


def schedule_from_dict(data: object) -> SavedSchedule:
    """The schedule in ``data``; raises :class:`ScheduleFormatError` naming the bad field."""
    if not isinstance(data, Mapping):
        raise ScheduleFormatError(f"expected a JSON object, found {type(data).__name__}")
    version = data.get("version")
    if version != SCHEDULE_VERSION:
        raise ScheduleFormatError(f'"version": expected {SCHEDULE_VERSION}, found {version!r}')
    return SavedSchedule(
        due=_read_time(data, "due"),
        since=_read_time(data, "since"),
        stretch_start=_read_time(data, "stretch_start"),
        snoozed=_read_bool(data, "snoozed"),
        paused=_read_bool(data, "paused"),
        paused_until=_read_time(data, "paused_until"),
    )


def _schedule_text(schedule: SavedSchedule) -> str:
    return json.dumps(schedule_to_dict(schedule), indent=2) + "\n"


class ReminderStore:
    """Loads and saves the :class:`~backtimer.core.reminders.policy.SavedSchedule`."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        #: Why the last :meth:`load` started afresh, one line each.
        self.problems: list[str] = []
        self._written: str | None = None

    @classmethod
    def for_paths(cls, paths: AppPaths) -> ReminderStore:
        """The store at the default place for ``paths``."""
        return cls(default_reminders_path(paths))

    def load(self) -> SavedSchedule | None:
        """The saved schedule; None when there is none or it could not be read."""
        self.problems = []
        self._written = None
        try:
            data = read_state_json(self.path, SMALL_STATE_LIMIT)
        except UnreadableStoreError as error:
            self.set_aside(error.reason)
            return None
        except OSError as error:
            self._warn(
                f"cannot read {self.path}: {error.strerror or error}; reminders start afresh"
            )
            return None
        if data is None:
            return None
        try:
            schedule = schedule_from_dict(data)
        except ScheduleFormatError as error:
            self.set_aside(str(error))
            return None
        self._written = _schedule_text(schedule)
        return schedule

    def save(self, schedule: SavedSchedule) -> bool:
        """Write ``schedule`` atomically when it changed; True when it wrote.

        Raises :class:`~backtimer.core.store.atomic_storage.StoreWriteError` when the
        write fails (the old file is then unchanged).
        """
        text = _schedule_text(schedule)
        if text == self._written:
            return False
        with locked(self.path):
            write_atomically(self.path, text)
        self._written = text
        return True

    def set_aside(self, reason: str) -> None:
        """Keep the file under another name (never deleted), saying why: reminders start
        afresh, and the next :meth:`save` writes a new file."""
        self._written = None
        try:
            kept = move_aside(self.path)
        except FileNotFoundError:
            self._warn(f"cannot use {self.path}: {reason}; reminders start afresh")
            return
        except OSError as error:
            self._warn(
                f"cannot read {self.path}: {reason}; it could not be moved aside either "
                f"({error.strerror or error}); reminders start afresh"
            )
            return
        self._warn(
            f"cannot read {self.path}: {reason}; kept it as {kept.name} and reminders start afresh"
        )

    def _warn(self, message: str) -> None:
        self.problems.append(message)
        log.warning("%s", message)
