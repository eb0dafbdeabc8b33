"""The one place that says what a valid history record is, field by field.

Every record that comes from outside the running session — a history shard, the
in-progress file, an imported CSV row — becomes a :class:`~backtimer.core.history.records.
SessionRecord` or :class:`~backtimer.core.history.records.BreakEvent` only through
:func:`session_from_dict` and :func:`break_event_from_dict`. They check types and sane
ranges (times with an offset between :data:`EARLIEST_YEAR` and :data:`LATEST_YEAR`, an end
not before the start, finite, non-negative numbers under their limits, whole counts) and
raise :class:`RecordFormatError` naming the field, what was expected and what was found.
What passes can be shown, summed, charted and written back as JSON without surprises.

Fields added by schema 2 may be missing (an older file or CSV export): an exercise's
``state`` is then worked out from its counts, a session's ``kind`` from its routine, and
its pain note is empty. A ``state`` given must agree with ``skipped``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Final

from backtimer.core.history.records import (
    BreakEvent,
    BreakEventKind,
    ExerciseRecord,
    ExerciseState,
    SessionKind,
    SessionOutcome,
    SessionRecord,
)

EARLIEST_YEAR: Final = 1970
LATEST_YEAR: Final = 2200
#: The longest a session may be active; a day is far more than any routine.
MAX_ACTIVE_SECONDS: Final = 24 * 60 * 60
MAX_COUNT: Final = 10_000
MAX_HOLD_SECONDS: Final = 24 * 60 * 60
MAX_EXERCISES: Final = 1_000
MAX_ID_LENGTH: Final = 200
MAX_TEXT_LENGTH: Final = 1_000
#: Where it hurt, after a pain stop ("lower back"): a short phrase.
MAX_PAIN_AREA_LENGTH: Final = 100
#: What the user said about the pain.
MAX_PAIN_NOTE_LENGTH: Final = MAX_TEXT_LENGTH
_SURROGATE: Final = re.compile("[\ud800-\udfff]")


class RecordFormatError(ValueError):
    """A field of a record is not what a record holds."""

    def __init__(self, field: str, expected: str, found: object) -> None:
        self.field = field
        self.expected = expected
        self.found = _shown(found)
        super().__init__(f"{field}: expected {expected}, found {self.found}")


def _shown(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:40] + "…"
        return repr(text) if value else "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        text = repr(value)
        return text if len(text) <= 40 else text[:40] + "…"
    return f"a {type(value).__name__}"


def _text(data: Mapping[str, Any], key: str, limit: int, where: str, *, empty: bool) -> str:
    """The text at ``key``; ``where`` prefixes the field's name in a message (``exercises[2].``).

    Messages are built only on failure: every record read passes through here.
    """
    value = data.get(key)
    if not isinstance(value, str) or len(value) > limit or (not empty and not value):
        expected = f"text of at most {limit} characters" + ("" if empty else ", not empty")
        raise RecordFormatError(where + key, expected, value)
    # JSON's "\ud800" escape: text no file can be written with (never in ASCII text).
    if not value.isascii() and _SURROGATE.search(value):
        raise RecordFormatError(where + key, "text without unpaired surrogates", value)
    return value


def parse_time(value: object, field: str) -> datetime:
    """An aware time in the accepted years, from ISO 8601 text."""
    if isinstance(value, str) and len(value) <= 64:
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            if parsed.tzinfo is not None and EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
                if parsed.utcoffset() is not None:
                    return parsed
            elif parsed.tzinfo is None:
                value = f"{value} (no offset)"
    expected = f"an ISO 8601 time with its UTC offset, in {EARLIEST_YEAR}–{LATEST_YEAR}"
    raise RecordFormatError(field, expected, value)


def _number(value: object, field: str, limit: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RecordFormatError(field, f"a number from 0 to {limit:g}", value)
    number = float(value)
    if not math.isfinite(number) or not 0 <= number <= limit:
        raise RecordFormatError(field, f"a number from 0 to {limit:g}", value)
    return number


def _count(data: Mapping[str, Any], key: str, where: str) -> int:
    value = data.get(key)
    if type(value) is not int or not 0 <= value <= MAX_COUNT:
        raise RecordFormatError(where + key, f"a whole number from 0 to {MAX_COUNT}", value)
    return value


def exercise_from_dict(data: object, field: str = "exercises[0]") -> ExerciseRecord:
    """One exercise of a session; ``field`` names it in messages."""
    if not isinstance(data, Mapping):
        raise RecordFormatError(field, "an object", data)
    where = field + "."
    skipped = data.get("skipped")
    if not isinstance(skipped, bool):
        raise RecordFormatError(where + "skipped", "true or false", skipped)
    state = _state(data.get("state"), skipped, where)
    return ExerciseRecord(
        exercise_id=_text(data, "exercise_id", MAX_ID_LENGTH, where, empty=False),
        name=_text(data, "name", MAX_TEXT_LENGTH, where, empty=True),
        sets_planned=_count(data, "sets_planned", where),
        sets_done=_count(data, "sets_done", where),
        reps_planned=_count(data, "reps_planned", where),
        reps_done=_count(data, "reps_done", where),
        hold_seconds=_number(data.get("hold_seconds"), where + "hold_seconds", MAX_HOLD_SECONDS),
        skipped=skipped,
        state=state,
    )


def _state(value: object, skipped: bool, where: str) -> ExerciseState | None:
    """The state an exercise names (None when it names none: worked out from its counts)."""
    if value is None:
        return None
    try:
        state = ExerciseState(value if isinstance(value, str) else "")
    except ValueError:
        choices = ", ".join(s.value for s in ExerciseState)
        raise RecordFormatError(where + "state", f"one of {choices}", value) from None
    if (state is ExerciseState.SKIPPED) is not skipped:
        expected = "skipped, as skipped is true" if skipped else "not skipped, as skipped is false"
        raise RecordFormatError(where + "state", expected, value)
    return state


def _kind(value: object) -> SessionKind | None:
    """The kind a session names (None when it names none: worked out from its routine)."""
    if value is None:
        return None
    try:
        return SessionKind(value if isinstance(value, str) else "")
    except ValueError:
        choices = ", ".join(k.value for k in SessionKind)
        raise RecordFormatError("kind", f"one of {choices}", value) from None


def _optional_text(data: Mapping[str, Any], key: str, limit: int) -> str:
    """The text at ``key``, empty when missing."""
    if data.get(key) is None:
        return ""
    return _text(data, key, limit, "", empty=True)


def exercises_from_list(value: object) -> tuple[ExerciseRecord, ...]:
    """The exercises of a session from a JSON list."""
    if not isinstance(value, list) or len(value) > MAX_EXERCISES:
        raise RecordFormatError("exercises", f"a list of at most {MAX_EXERCISES} exercises", value)
    return tuple(exercise_from_dict(item, f"exercises[{i}]") for i, item in enumerate(value))


def _outcome(value: object) -> SessionOutcome:
    try:
        return SessionOutcome(value if isinstance(value, str) else "")
    except ValueError:
        choices = ", ".join(o.value for o in SessionOutcome)
        raise RecordFormatError("outcome", f"one of {choices}", value) from None


def session_from_dict(data: object) -> SessionRecord:
    """The session a stored or imported dict describes, or RecordFormatError."""
    if not isinstance(data, Mapping):
        raise RecordFormatError("session", "an object", data)
    started = parse_time(data.get("started"), "started")
    ended_value = data.get("ended")
    ended = None if ended_value in (None, "") else parse_time(ended_value, "ended")
    if ended is not None and ended < started:
        raise RecordFormatError("ended", f"a time not before started ({started})", ended_value)
    active = _number(data.get("active_seconds"), "active_seconds", MAX_ACTIVE_SECONDS)
    return SessionRecord(
        id=_text(data, "id", MAX_ID_LENGTH, "", empty=False),
        started=started,
        ended=ended,
        routine_id=_text(data, "routine_id", MAX_ID_LENGTH, "", empty=True),
        routine_title=_text(data, "routine_title", MAX_TEXT_LENGTH, "", empty=True),
        outcome=_outcome(data.get("outcome")),
        active_seconds=active,
        app_version=_text(data, "app_version", MAX_ID_LENGTH, "", empty=True),
        exercises=exercises_from_list(data.get("exercises", [])),
        kind=_kind(data.get("kind")),
        pain_area=_optional_text(data, "pain_area", MAX_PAIN_AREA_LENGTH),
        pain_note=_optional_text(data, "pain_note", MAX_PAIN_NOTE_LENGTH),
    )


def break_event_from_dict(data: object) -> BreakEvent:
    """The break event a stored dict describes, or RecordFormatError."""
    if not isinstance(data, Mapping):
        raise RecordFormatError("break event", "an object", data)
    kind = data.get("kind")
    try:
        event_kind = BreakEventKind(kind if isinstance(kind, str) else "")
    except ValueError:
        choices = ", ".join(k.value for k in BreakEventKind)
        raise RecordFormatError("kind", f"one of {choices}", kind) from None
    return BreakEvent(
        id=_text(data, "id", MAX_ID_LENGTH, "", empty=False),
        at=parse_time(data.get("at"), "at"),
        kind=event_kind,
    )
