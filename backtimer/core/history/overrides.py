"""Reps the user pins: per routine and exercise, "always N reps" instead of the progression.

The pins live in ``reps.json`` in the data folder::

    {"schema_version": 1, "pins": {"back-strengthening": {"bridge": 6}}}

An exercise without a pin follows the history (see
:mod:`backtimer.core.history.progression`). A pin is a whole number from 1 up to the top
of the exercise's range: fewer reps than the range starts at is the user's call, more than
the routine's source gives is refused (:func:`check_pin`).

The file is read afresh for every question and every change (it is tiny), and written
atomically, so the app and ``backtimer reps`` can both change it; each change is a
read-modify-write of the whole file made under the file's lock
(:func:`~backtimer.core.store.file_lock.locked`), re-reading it once the lock is held, so
changes made at the same time by several processes are all kept. Reading never fails: a
missing file means no pins; a pin that is not a usable number is ignored and reported; a
file that cannot be read at all (see :func:`~backtimer.core.store.json_state.
read_state_json`: bad JSON, deep nesting, huge numbers, NaN, a FIFO…) is moved aside to
``reps.json.unreadable-<timestamp>`` (kept for the user) and every exercise follows the
history again. A file written by a newer backtimer is left alone:
its pins are not used and it is not overwritten. Every such message is logged once and
kept in :attr:`RepsOverrides.problems`.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from backtimer.core.store.atomic_storage import StoreWriteError, move_aside, write_atomically
from backtimer.core.store.errors import UnreadableStoreError
from backtimer.core.store.file_lock import locked
from backtimer.core.store.json_state import read_state_json
from backtimer.core.store.user_files import SMALL_STATE_LIMIT

if TYPE_CHECKING:
    from backtimer.core.routine.model import Exercise, Routine

log = logging.getLogger(__name__)

REPS_FILE_NAME: Final = "reps.json"
OVERRIDES_SCHEMA_VERSION: Final = 1
#: The most reps a pin read from the file may hold (as many as a history record's counts).
MAX_PIN: Final = 10_000
_SURROGATE: Final = re.compile("[\ud800-\udfff]")

#: Pins by routine id, then exercise id.
Pins = dict[str, dict[str, int]]


def _shown(value: object) -> str:
    """A value found in the file, as JSON, cut short when long."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "..."


def _is_unicode(text: str) -> bool:
    """Whether ``text`` has no unpaired surrogate (JSON's "\ud800", which cannot be saved)."""
    return text.isascii() or not _SURROGATE.search(text)


def _key(text: str) -> str:
    """A routine or exercise id found in the file, cut short when long."""
    return text if len(text) <= 40 else text[:37] + "..."


class PinError(ValueError):
    """A pin that cannot be set; the message says why, for the user."""


def _reps(count: int) -> str:
    return f"{count} rep" if count == 1 else f"{count} reps"


def _span(exercise: Exercise) -> str:
    assert exercise.reps is not None
    low, high = int(exercise.reps.min), int(exercise.reps.max)
    return f"{low}–{high}" if low != high else f"{low}"


def counted_exercises(routine: Routine) -> list[Exercise]:
    """The exercises of ``routine`` that count reps (the ones a pin can apply to)."""
    return [exercise for exercise in routine.exercises if exercise.reps is not None]


def check_pin(routine: Routine, exercise_id: str, reps: int) -> Exercise:
    """The exercise ``exercise_id`` of ``routine`` if ``reps`` may be pinned for it.

    Raises :class:`PinError` naming the problem: an unknown exercise, one timed rather
    than counted, fewer than 1 rep, or more than the top of its range.
    """
    exercise = next((e for e in routine.exercises if e.id == exercise_id), None)
    if exercise is None:
        counted = ", ".join(e.id for e in counted_exercises(routine)) or "none"
        raise PinError(
            f"routine '{routine.id}' has no exercise '{exercise_id}'; "
            f"its exercises with reps: {counted}"
        )
    if exercise.reps is None:
        raise PinError(
            f"{exercise.name} ({exercise.id}) is timed, not counted in reps: "
            "there are no reps to pin"
        )
    high = int(exercise.reps.max)
    if isinstance(reps, bool) or not isinstance(reps, int) or reps < 1:
        raise PinError(f"{exercise.name}: expected at least 1 rep, found {reps!r}")
    if reps > high:
        raise PinError(
            f"{exercise.name}: {_reps(reps)} is above the exercise's range "
            f"({_span(exercise)} reps); pin 1 to {high}"
        )
    return exercise


class RepsOverrides:
    """The pinned reps in one JSON file; see the module's description."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        #: What the last read could not use, one message each.
        self.problems: list[str] = []
        #: Set when the file must not be overwritten (unreadable and not moved, or newer).
        self._blocked: str | None = None
        self._logged: set[str] = set()

    @classmethod
    def for_data(cls, data: Path) -> RepsOverrides:
        """The pins of a data folder (``DATA/reps.json``)."""
        return cls(Path(data) / REPS_FILE_NAME)

    # -- reading -----------------------------------------------------------------------

    def all_pins(self) -> Pins:
        """Every pin, by routine id then exercise id (read from the file now)."""
        return self._read()

    def pins(self, routine_id: str) -> dict[str, int]:
        """The pins of one routine, by exercise id."""
        return self._read().get(routine_id, {})

    # -- changing ----------------------------------------------------------------------

    def pin(self, routine: Routine, exercise_id: str, reps: int) -> None:
        """Always use ``reps`` for this exercise of ``routine`` (checked by :func:`check_pin`).

        Raises :class:`PinError` for a pin that is not allowed and
        :class:`~backtimer.core.store.atomic_storage.StoreWriteError` when the file cannot
        be written (it is then unchanged).
        """
        self.set_pins(routine, {exercise_id: reps})

    def unpin(self, routine_id: str, exercise_id: str) -> bool:
        """Let this exercise follow the history again; False when it was not pinned."""
        with locked(self.path):
            pins = self._read()
            self._check_writable()
            mine = pins.get(routine_id, {})
            if exercise_id not in mine:
                return False
            del mine[exercise_id]
            self._write(pins)
        return True

    def set_pins(self, routine: Routine, changes: Mapping[str, int | None]) -> None:
        """Pin (a count) or unpin (None) several exercises of ``routine`` in one write.

        Every pin is checked first; nothing is written when any is refused.
        """
        for exercise_id, reps in changes.items():
            if reps is not None:
                check_pin(routine, exercise_id, reps)
        with locked(self.path):
            pins = self._read()  # inside the lock: what other processes wrote is kept
            self._check_writable()
            mine = pins.setdefault(routine.id, {})
            before = dict(mine)
            for exercise_id, reps in changes.items():
                if reps is None:
                    mine.pop(exercise_id, None)
                else:
                    mine[exercise_id] = reps
            if mine == before:
                return
            self._write(pins)

    # -- the file ----------------------------------------------------------------------

    def _check_writable(self) -> None:
        if self._blocked is not None:
            raise StoreWriteError(self.path, self._blocked)

    def _write(self, pins: Pins) -> None:
        kept = {routine: dict(sorted(mine.items())) for routine, mine in pins.items() if mine}
        data = {"schema_version": OVERRIDES_SCHEMA_VERSION, "pins": dict(sorted(kept.items()))}
        write_atomically(self.path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")

    def _read(self) -> Pins:
        self.problems = []
        self._blocked = None
        try:
            data = read_state_json(self.path, SMALL_STATE_LIMIT)
        except UnreadableStoreError as error:
            return self._set_aside(error.reason)
        except OSError as error:
            reason = error.strerror or str(error)
            self._blocked = f"the file could not be read ({reason}); not overwriting it"
            self._warn(f"cannot read {self.path}: {reason}; every exercise follows the history")
            return {}
        if data is None:
            return {}
        if not isinstance(data, dict):
            return self._set_aside(f"expected a JSON object, found {_shown(data)}")
        version = data.get("schema_version", OVERRIDES_SCHEMA_VERSION)
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            return self._set_aside(
                f"schema_version: expected a whole number, found {_shown(version)}"
            )
        if version > OVERRIDES_SCHEMA_VERSION:
            self._blocked = f"written by a newer backtimer (schema {version}); not changing it"
            self._warn(
                f"{self.path}: written by a newer backtimer (schema {version}); "
                "its pins are not used and the file is left as it is"
            )
            return {}
        pins = data.get("pins", {})
        if not isinstance(pins, dict):
            return self._set_aside(f"pins: expected an object, found {_shown(pins)}")
        return self._valid_pins(pins)

    def _valid_pins(self, pins: dict[str, Any]) -> Pins:
        valid: Pins = {}
        for routine_id, mine in pins.items():
            if not _is_unicode(routine_id):
                self._warn(
                    f"{self.path}: pins: a routine id that is not text "
                    f"({_shown(routine_id)}); ignored"
                )
                continue
            if not isinstance(mine, dict):
                self._warn(
                    f"{self.path}: pins.{_key(routine_id)}: expected an object of exercise "
                    f"ids and reps, found {_shown(mine)}; ignored"
                )
                continue
            for exercise_id, reps in mine.items():
                if not _is_unicode(exercise_id):
                    self._warn(
                        f"{self.path}: pins.{_key(routine_id)}: an exercise id that is not text "
                        f"({_shown(exercise_id)}); ignored"
                    )
                    continue
                if isinstance(reps, bool) or not isinstance(reps, int) or not 1 <= reps <= MAX_PIN:
                    self._warn(
                        f"{self.path}: pins.{_key(routine_id)}.{_key(exercise_id)}: expected "
                        f"a whole number of reps from 1 to {MAX_PIN}, found {_shown(reps)}; ignored"
                    )
                    continue
                valid.setdefault(routine_id, {})[exercise_id] = reps
        return valid

    def _set_aside(self, reason: str) -> Pins:
        """Keep an unreadable file under another name; block writing if that fails."""
        try:
            kept = move_aside(self.path)
        except OSError as error:
            self._blocked = (
                f"the file could not be read ({reason}) nor moved aside "
                f"({error.strerror or error}); not overwriting it"
            )
            self._warn(
                f"cannot read {self.path}: {reason}; it could not be moved aside either; "
                "every exercise follows the history"
            )
            return {}
        self._warn(
            f"cannot read {self.path}: {reason}; kept it as {kept.name}, "
            "and every exercise follows the history again"
        )
        return {}

    def _warn(self, message: str) -> None:
        self.problems.append(message)
        if message not in self._logged:
            self._logged.add(message)
            log.warning("%s", message)
