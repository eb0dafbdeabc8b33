"""History as CSV: export sessions for a spreadsheet, import them back.

Format: RFC 4180 (comma separated, ``"`` quoting where needed, CRLF line ends), UTF-8 (the
caller opens the file with ``encoding="utf-8", newline=""``), one header row, times in
ISO 8601 with their UTC offset, numbers written as Python writes them.

Two forms:

* per session (the default): :data:`SESSION_COLUMNS`, one row per session. The summary
  columns (``exercises_done`` … ``reps_planned``) are for spreadsheets; the last column,
  ``exercises_json``, holds the session's exercises as JSON so that export → import gives back
  exactly the same records. On import the summary columns are ignored (they are derived from
  the exercises) and ``exercises_json`` may be missing (the session then has no exercises).
* by exercise (``by_exercise=True``): :data:`EXERCISE_COLUMNS`, one row per exercise of each
  session, for charts. It lacks session fields (end, title, active time, app version), so it is
  export only: :func:`import_sessions` reports it as an error instead of guessing them.

Formula neutralisation (OWASP "CSV injection"): a text cell that a spreadsheet could take for
a formula, one beginning with ``=``, ``+``, ``-``, ``@``, tab or carriage return, is written
with a leading apostrophe. To keep the round trip exact, a text cell that already begins with
apostrophes followed by one of those characters gets one more. Import undoes exactly this:
it strips one leading apostrophe when the cell, after its leading apostrophes, begins with one
of those characters. Numbers and times are never prefixed (``-1.5`` stays a number).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Final, TextIO

from backtimer.core.history.records import ExerciseRecord, SessionOutcome, SessionRecord

SESSION_COLUMNS: Final = (
    "id",
    "started",
    "ended",
    "routine_id",
    "routine_title",
    "outcome",
    "active_seconds",
    "app_version",
    "exercises_done",
    "exercises_skipped",
    "reps_done",
    "reps_planned",
    "exercises_json",
)

EXERCISE_COLUMNS: Final = (
    "session_id",
    "started",
    "routine_id",
    "outcome",
    "exercise_id",
    "name",
    "sets_planned",
    "sets_done",
    "reps_planned",
    "reps_done",
    "hold_seconds",
    "skipped",
)

#: Columns an import needs; ``exercises_json`` and the summary columns are optional.
REQUIRED_COLUMNS: Final = SESSION_COLUMNS[:8]

#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_PREFIXES: Final = frozenset("=+-@\t\r")


def _needs_guard(text: str) -> bool:
    return text.lstrip("'")[:1] in FORMULA_PREFIXES


def neutralise(text: str) -> str:
    """``text`` made safe for a spreadsheet cell (see the module docstring)."""
    return "'" + text if _needs_guard(text) else text


def restore(cell: str) -> str:
    """The text :func:`neutralise` turned into ``cell``."""
    return cell[1:] if cell.startswith("'") and _needs_guard(cell) else cell


def _number(value: float) -> str:
    return str(value)


def _writer(out: TextIO) -> Any:
    return csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)


def _in_range(record: SessionRecord, start: date | None, end: date | None) -> bool:
    day = record.started.date()  # the local date the user saw
    return (start is None or day >= start) and (end is None or day <= end)


def _exercises_json(record: SessionRecord) -> str:
    exercises = record.to_dict()["exercises"]
    return json.dumps(exercises, ensure_ascii=False, separators=(",", ":"))


def export_sessions(
    records: Iterable[SessionRecord],
    out: TextIO,
    by_exercise: bool = False,
    start: date | None = None,
    end: date | None = None,
) -> int:
    """Write ``records`` as CSV to ``out``; return the number of data rows written.

    ``start`` and ``end`` keep only sessions whose local start date lies between them
    (both inclusive).
    """
    writer = _writer(out)
    writer.writerow(EXERCISE_COLUMNS if by_exercise else SESSION_COLUMNS)
    rows = 0
    for record in records:
        if not _in_range(record, start, end):
            continue
        if by_exercise:
            for ex in record.exercises:
                writer.writerow(
                    [
                        neutralise(record.id),
                        record.started.isoformat(),
                        neutralise(record.routine_id),
                        record.outcome.value,
                        neutralise(ex.exercise_id),
                        neutralise(ex.name),
                        _number(ex.sets_planned),
                        _number(ex.sets_done),
                        _number(ex.reps_planned),
                        _number(ex.reps_done),
                        _number(ex.hold_seconds),
                        "true" if ex.skipped else "false",
                    ]
                )
                rows += 1
            continue
        done = [e for e in record.exercises if not e.skipped]
        writer.writerow(
            [
                neutralise(record.id),
                record.started.isoformat(),
                record.ended.isoformat() if record.ended else "",
                neutralise(record.routine_id),
                neutralise(record.routine_title),
                record.outcome.value,
                _number(record.active_seconds),
                neutralise(record.app_version),
                _number(len(done)),
                _number(len(record.exercises) - len(done)),
                _number(sum(e.reps_done for e in record.exercises)),
                _number(sum(e.reps_planned for e in record.exercises)),
                neutralise(_exercises_json(record)),
            ]
        )
        rows += 1
    return rows


# --- import -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ImportResult:
    """The sessions read, and one message per row that was skipped."""

    records: list[SessionRecord] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class _RowError(ValueError):
    def __init__(self, column: str, expected: str, found: str) -> None:
        super().__init__(f"{column}: expected {expected}, found {found}")


def _shown(value: str) -> str:
    return repr(value) if value else "nothing"


def _time(column: str, cell: str) -> datetime:
    try:
        value = datetime.fromisoformat(cell)
    except ValueError:
        raise _RowError(column, "an ISO 8601 time with offset", _shown(cell)) from None
    if value.tzinfo is None or value.utcoffset() is None:
        raise _RowError(column, "an ISO 8601 time with offset", _shown(cell))
    return value


def _float(column: str, cell: str) -> float:
    try:
        value = float(cell)
    except ValueError:
        raise _RowError(column, "a number", _shown(cell)) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise _RowError(column, "a finite number", _shown(cell))
    return value


def _exercise(item: Any) -> ExerciseRecord:
    if not isinstance(item, dict):
        raise TypeError("not an object")
    ints = ("sets_planned", "sets_done", "reps_planned", "reps_done")
    if any(type(item[key]) is not int for key in ints):
        raise TypeError("counts must be whole numbers")
    hold = item["hold_seconds"]
    if isinstance(hold, bool) or not isinstance(hold, int | float):
        raise TypeError("hold_seconds must be a number")
    if not isinstance(item["skipped"], bool):
        raise TypeError("skipped must be true or false")
    if not all(isinstance(item[key], str) for key in ("exercise_id", "name")):
        raise TypeError("exercise_id and name must be text")
    return ExerciseRecord(
        exercise_id=item["exercise_id"],
        name=item["name"],
        sets_planned=item["sets_planned"],
        sets_done=item["sets_done"],
        reps_planned=item["reps_planned"],
        reps_done=item["reps_done"],
        hold_seconds=float(hold),
        skipped=item["skipped"],
    )


def _exercises(cell: str) -> tuple[ExerciseRecord, ...]:
    expected = "a JSON list of exercises"
    try:
        items = json.loads(cell)
        if not isinstance(items, list):
            raise TypeError("not a list")
        return tuple(_exercise(item) for item in items)
    except (ValueError, TypeError, KeyError) as error:
        raise _RowError("exercises_json", expected, f"{_shown(cell[:40])} ({error})") from None


def _session(row: dict[str, str]) -> SessionRecord:
    outcome_cell = row["outcome"]
    try:
        outcome = SessionOutcome(outcome_cell)
    except ValueError:
        choices = ", ".join(o.value for o in SessionOutcome)
        raise _RowError("outcome", f"one of {choices}", _shown(outcome_cell)) from None
    text = {key: restore(row[key]) for key in ("id", "routine_id", "routine_title", "app_version")}
    if not text["id"]:
        raise _RowError("id", "a session id", "nothing")
    exercises_cell = row.get("exercises_json")
    return SessionRecord(
        id=text["id"],
        started=_time("started", row["started"]),
        ended=_time("ended", row["ended"]) if row["ended"] else None,
        routine_id=text["routine_id"],
        routine_title=text["routine_title"],
        outcome=outcome,
        active_seconds=_float("active_seconds", row["active_seconds"]),
        app_version=text["app_version"],
        exercises=_exercises(restore(exercises_cell)) if exercises_cell else (),
    )


def _rows(reader: Any) -> Iterator[tuple[int, list[str]]]:
    """Each row with the line it starts on (a quoted cell may span lines)."""
    previous = reader.line_num
    for row in reader:
        yield previous + 1, row
        previous = reader.line_num


def import_sessions(source: str | TextIO) -> ImportResult:
    """The sessions in a per-session export (text, or a stream opened with ``newline=""``).

    A bad row is skipped and reported as ``"line N: <column>: expected …, found …"``; the
    good rows are kept.
    """
    stream = io.StringIO(source, newline="") if isinstance(source, str) else source
    result = ImportResult()
    reader = csv.reader(stream)
    try:
        header = next(reader)
    except StopIteration:
        result.errors.append("line 1: header: expected the column names, found nothing")
        return result
    except csv.Error as error:
        result.errors.append(f"line 1: header: expected CSV, found an error ({error})")
        return result
    if header and header[0].startswith("\ufeff"):  # a BOM from a spreadsheet's "UTF-8 CSV"
        header[0] = header[0][1:]
    if "exercise_id" in header:
        result.errors.append(
            "line 1: header: expected a per-session export, found a by-exercise export "
            "(export without by_exercise to import)"
        )
        return result
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        found = ", ".join(header) if any(header) else "nothing"
        result.errors.append(
            f"line 1: header: expected columns {', '.join(missing)}, found {found}"
        )
        return result
    rows = _rows(reader)
    while True:
        try:
            line, cells = next(rows)
        except StopIteration:
            break
        except csv.Error as error:
            result.errors.append(f"line {reader.line_num}: row: expected CSV, found ({error})")
            break
        if not any(cells):
            continue  # a blank line
        if len(cells) < len(header):
            column = header[len(cells)]
            result.errors.append(
                f"line {line}: {column}: expected {len(header)} columns, found {len(cells)}"
            )
            continue
        if len(cells) > len(header):
            result.errors.append(
                f"line {line}: row: expected {len(header)} columns, found {len(cells)}"
            )
            continue
        try:
            result.records.append(_session(dict(zip(header, cells, strict=True))))
        except _RowError as error:
            result.errors.append(f"line {line}: {error}")
    return result
