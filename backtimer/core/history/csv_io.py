"""History as CSV: export sessions for a spreadsheet, import them back.

Format: RFC 4180 (comma separated, ``"`` quoting where needed, CRLF line ends), UTF-8 (the
caller opens the file with ``encoding="utf-8", newline=""``), one header row, times in
ISO 8601 with their UTC offset, numbers written as Python writes them.

Two forms:

* per session (the default): :data:`SESSION_COLUMNS`, one row per session. ``kind`` says
  whether it was a workout or a desk break; ``pain_area`` and ``pain_note`` what hurt after a
  pain stop. The summary columns (``exercises_done`` … ``reps_planned``) are for
  spreadsheets, counted as :mod:`~backtimer.core.history.definitions` defines them (the
  same figures as the History window and ``backtimer history``); the last column,
  ``exercises_json``, holds the session's exercises as JSON so that export → import gives back
  exactly the same records. On import the summary columns are ignored (they are derived from
  the exercises), and ``exercises_json``, ``kind`` and the pain columns may be missing (an
  export from before they existed: no exercises, the kind from the routine, no pain note).
* by exercise (``by_exercise=True``): :data:`EXERCISE_COLUMNS`, one row per exercise of each
  session, for charts, with its ``state`` (done, partly_done, skipped, not_reached). It
  lacks session fields (end, title, active time, app version), so it is export only:
  :func:`import_sessions` reports it as an error instead of guessing them.
* desk-break reminders (:func:`export_breaks`): :data:`BREAK_COLUMNS`, one row per reminder
  event (shown, taken, snoozed, skipped, natural break), export only.

Import reads the file through :func:`read_sessions_file` (a regular file of at most
:data:`~backtimer.core.store.user_files.IMPORT_LIMIT` bytes, UTF-8) and checks every field of
every row with :mod:`~backtimer.core.history.record_rules`, the rules the store reads by: a
row that breaks one is reported as ``line N: column: expected …, found …`` (a field inside
``exercises_json`` as ``exercises_json: exercises[2].reps_done: …``) and skipped. The rows are
split by :func:`split_rows`, which, unlike :mod:`csv`'s reader, has no limit on a cell's size
and never stops at a bad row: every good row is kept and every bad one is reported by the
line it starts on. The same session id twice with the same data is read once; with other
data the later row is reported. Export to a file (:func:`export_file`) is atomic.

Formula neutralisation (OWASP "CSV injection"): a text cell that a spreadsheet could take for
a formula, one beginning with ``=``, ``+``, ``-``, ``@``, tab or carriage return, is written
with a leading apostrophe. To keep the round trip exact, a text cell that already begins with
apostrophes followed by one of those characters gets one more. Import undoes exactly this:
it strips one leading apostrophe when the cell, after its leading apostrophes, begins with one
of those characters. Numbers and times are never prefixed (``-1.5`` stays a number).
"""

from __future__ import annotations

import csv
import errno
import io
import json
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Final, TextIO

from backtimer.core.history.definitions import ExerciseCounts, exercise_state
from backtimer.core.history.record_rules import RecordFormatError, session_from_dict
from backtimer.core.history.records import BreakEvent, SessionRecord
from backtimer.core.store.atomic_storage import write_atomically
from backtimer.core.store.errors import UnreadableStoreError
from backtimer.core.store.json_state import parse_state_json
from backtimer.core.store.user_files import (
    IMPORT_LIMIT,
    FileTooLargeError,
    UserFileError,
    read_user_file,
)

SESSION_COLUMNS: Final = (
    "id",
    "started",
    "ended",
    "routine_id",
    "routine_title",
    "outcome",
    "active_seconds",
    "app_version",
    "kind",
    "pain_area",
    "pain_note",
    "exercises_done",
    "exercises_partly_done",
    "exercises_skipped",
    "exercises_not_reached",
    "exercises_planned",
    "reps_done",
    "reps_planned",
    "exercises_json",
)

#: One desk-break reminder event per row.
BREAK_COLUMNS: Final = ("id", "at", "kind")

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
    "state",
)

#: Columns an import needs; ``kind``, the pain note, ``exercises_json`` and the summary
#: columns are optional.
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
                        exercise_state(ex).value,
                    ]
                )
                rows += 1
            continue
        writer.writerow(_session_row(record))
        rows += 1
    return rows


def _session_row(record: SessionRecord) -> list[str]:
    """The cells of ``record``'s row, in the order of :data:`SESSION_COLUMNS`."""
    counts = ExerciseCounts.of(record)
    data = record.to_dict()
    return [
        neutralise(record.id),
        record.started.isoformat(),
        record.ended.isoformat() if record.ended else "",
        neutralise(record.routine_id),
        neutralise(record.routine_title),
        record.outcome.value,
        _number(record.active_seconds),
        neutralise(record.app_version),
        data["kind"],
        neutralise(record.pain_area),
        neutralise(record.pain_note),
        _number(counts.done),
        _number(counts.partly_done),
        _number(counts.skipped),
        _number(counts.not_reached),
        _number(counts.planned),
        _number(sum(e.reps_done for e in record.exercises)),
        _number(sum(e.reps_planned for e in record.exercises)),
        neutralise(_exercises_json(record)),
    ]


def export_breaks(
    events: Iterable[BreakEvent],
    out: TextIO,
    start: date | None = None,
    end: date | None = None,
) -> int:
    """Write desk-break reminder events as CSV (:data:`BREAK_COLUMNS`); how many rows.

    ``start`` and ``end`` keep only events whose local date lies between them (inclusive).
    """
    writer = _writer(out)
    writer.writerow(BREAK_COLUMNS)
    rows = 0
    for event in events:
        day = event.at.date()
        if (start is not None and day < start) or (end is not None and day > end):
            continue
        writer.writerow([neutralise(event.id), event.at.isoformat(), event.kind.value])
        rows += 1
    return rows


def export_file(
    records: Iterable[SessionRecord],
    target: Path,
    by_exercise: bool = False,
    start: date | None = None,
    end: date | None = None,
) -> int:
    """Write ``records`` as CSV to the file ``target``; return the number of data rows.

    The whole CSV is made in memory, then written atomically (a temporary file in the
    target's folder replaces the target): a failure (a full disk) leaves any earlier file
    there as it was and no temporary file behind. A link is followed, so the file it points
    to is replaced and the link stays. A device or a pipe (``/dev/stdout``) is written
    directly, as a shell's ``>`` would. No folder is made. Raises :class:`OSError` (its
    ``strerror`` says why).
    """
    out = io.StringIO(newline="")
    rows = export_sessions(records, out, by_exercise, start, end)
    write_csv_file(out.getvalue(), target)
    return rows


def export_breaks_file(
    events: Iterable[BreakEvent],
    target: Path,
    start: date | None = None,
    end: date | None = None,
) -> int:
    """Write desk-break reminder events as CSV to the file ``target`` (as :func:`export_file`)."""
    out = io.StringIO(newline="")
    rows = export_breaks(events, out, start, end)
    write_csv_file(out.getvalue(), target)
    return rows


def write_csv_file(text: str, target: Path) -> None:
    """Write ``text`` to ``target`` as :func:`export_file` describes (atomically, …)."""
    path = Path(target).resolve()
    try:
        mode: int | None = path.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        mode = None
    if mode is not None and stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, "expected a file name, found a folder", str(target))
    if mode is None and not path.parent.is_dir():  # no folder is made for a mistyped path
        reason = f"expected an existing folder, found no folder {path.parent}"
        raise FileNotFoundError(errno.ENOENT, reason, str(target))
    if mode is not None and not stat.S_ISREG(mode):
        with path.open("w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        return
    write_atomically(path, text)


# --- import -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ImportResult:
    """The sessions read, and one message per row that was skipped."""

    records: list[SessionRecord] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class ImportFileError(Exception):
    """The file as a whole cannot be imported (missing, not a file, too large, not UTF-8)."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = Path(path)
        self.reason = reason


class _RowError(ValueError):
    def __init__(self, column: str, expected: str, found: str) -> None:
        super().__init__(f"{column}: expected {expected}, found {found}")


def _shown(value: str) -> str:
    if not value:
        return "nothing"
    return repr(value if len(value) <= 40 else value[:40] + "…")


#: A number as export writes it (``540.5``, ``1e-05``): ASCII digits, no ``nan``, ``inf``
#: or ``1_000``.
_NUMBER: Final = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
#: The characters a number cell may hold; longer is not a number backtimer wrote.
_NUMBER_LENGTH: Final = 40


def _number_cell(column: str, cell: str) -> float:
    if len(cell) > _NUMBER_LENGTH or _NUMBER.fullmatch(cell) is None:
        raise _RowError(column, "a number", _shown(cell))
    return float(cell)


def _exercises(cell: str) -> object:
    """The JSON value of an ``exercises_json`` cell (checked by the record rules later)."""
    if not cell:
        return []
    try:
        return parse_state_json(cell.encode("utf-8", "surrogatepass"), Path("exercises_json"))
    except UnreadableStoreError as error:
        found = f"{_shown(cell)} ({error.reason})"
        raise _RowError("exercises_json", "a JSON list of exercises", found) from None


def _session(row: dict[str, str]) -> SessionRecord:
    """The session a row describes, every field checked by the record rules."""
    data = {
        "id": restore(row["id"]),
        "started": row["started"],
        "ended": row["ended"] or None,
        "routine_id": restore(row["routine_id"]),
        "routine_title": restore(row["routine_title"]),
        "outcome": row["outcome"],
        "active_seconds": _number_cell("active_seconds", row["active_seconds"]),
        "app_version": restore(row["app_version"]),
        "exercises": _exercises(restore(row.get("exercises_json", ""))),
        "kind": row.get("kind") or None,
        "pain_area": restore(row.get("pain_area", "")),
        "pain_note": restore(row.get("pain_note", "")),
    }
    try:
        return session_from_dict(data)
    except RecordFormatError as error:
        if error.field.startswith("exercises"):
            raise _RowError(f"exercises_json: {error.field}", error.expected, error.found) from None
        raise _RowError(error.field, error.expected, error.found) from None


# --- splitting the text into rows ---------------------------------------------------------

#: The rest of an unquoted cell.
_PLAIN: Final = re.compile(r"[^,\r\n]*")
#: A quoted cell: ``"``, the text (``""`` for a quote), the closing ``"`` (missing when the
#: file ends first), and anything after it up to the next comma or line end (which the csv
#: module, not strict, adds to the cell).
_QUOTED: Final = re.compile(r'"([^"]*(?:""[^"]*)*)(")?([^,\r\n]*)')


def count_lines(text: str) -> int:
    """How many line ends (CRLF, LF or CR) ``text`` holds."""
    return text.count("\n") + text.count("\r") - text.count("\r\n")


@dataclass(frozen=True, slots=True)
class _Row:
    line: int  #: the line the row starts on
    cells: list[str]
    unclosed: bool = False  #: a quoted cell runs to the end of the file


def split_rows(text: str) -> Iterator[_Row]:
    """The rows of CSV ``text`` with their first lines, as :mod:`csv` reads them.

    The same cells as ``csv.reader`` (excel dialect, not strict) gives, without its limit
    on the size of a cell and without ever stopping early: whatever a row holds, the next
    row starts after its line end. A blank line is a row of one empty cell.
    """
    pos, line, size = 0, 1, len(text)
    while pos < size:
        row = _Row(line, [])
        while True:
            if text.startswith('"', pos):
                match = _QUOTED.match(text, pos)
                assert match is not None  # it matches any text after a quote
                inner = match.group(1)
                row.cells.append(inner.replace('""', '"') + match.group(3))
                line += count_lines(inner)
                if match.group(2) is None:
                    row = _Row(row.line, row.cells, unclosed=True)
            else:
                match = _PLAIN.match(text, pos)
                assert match is not None  # it matches the empty string too
                row.cells.append(match.group(0))
            pos = match.end()
            if not text.startswith(",", pos):
                break
            pos += 1
        pos += 2 if text.startswith("\r\n", pos) else 1
        line += 1
        yield row


# --- reading ------------------------------------------------------------------------------


def _header_problem(header: list[str]) -> str | None:
    """Why ``header`` is not that of a per-session export, or None."""
    if not any(header):
        return "line 1: header: expected the column names, found nothing"
    if "exercise_id" in header:
        return (
            "line 1: header: expected a per-session export, found a by-exercise export "
            "(export without by_exercise to import)"
        )
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        found = ", ".join(_shown(cell) for cell in header)
        return f"line 1: header: expected columns {', '.join(missing)}, found {found}"
    twice = sorted({column for column in header if column and header.count(column) > 1})
    if twice:
        return f"line 1: header: expected each column once, found {', '.join(twice)} twice"
    return None


def _row_problem(row: _Row, header: list[str]) -> str | None:
    """Why ``row`` cannot be a session, before its cells are read; None when it can."""
    if row.unclosed:
        return (
            f'line {row.line}: row: expected a closing quote (") for a cell, found the end '
            "of the file (everything after the quote is in that cell)"
        )
    if len(row.cells) < len(header):
        column = header[len(row.cells)]
        return f"line {row.line}: {column}: expected {len(header)} columns, found {len(row.cells)}"
    if len(row.cells) > len(header):
        return f"line {row.line}: row: expected {len(header)} columns, found {len(row.cells)}"
    return None


def import_sessions(source: str | TextIO) -> ImportResult:
    """The sessions in a per-session export (text, or a stream opened with ``newline=""``).

    Every field is checked by :mod:`~backtimer.core.history.record_rules`. A bad row is
    skipped and reported as ``"line N: <column>: expected …, found …"``; every good row is
    kept, whatever comes before or after it. A session id met again with the same data is
    read once; with other data, the later row is reported.
    """
    text = source if isinstance(source, str) else source.read()
    rows = split_rows(text.removeprefix("\ufeff"))  # a BOM from a spreadsheet's "UTF-8 CSV"
    result = ImportResult()
    first = next(rows, None)
    header = first.cells if first is not None and not first.unclosed else []
    problem = _header_problem(header)
    if problem is not None:
        result.errors.append(problem)
        return result
    seen: dict[str, tuple[int, SessionRecord]] = {}
    for row in rows:
        if not any(row.cells) and not row.unclosed:
            continue  # a blank line
        problem = _row_problem(row, header)
        if problem is None:
            try:
                record = _session(dict(zip(header, row.cells, strict=True)))
            except _RowError as error:
                problem = f"line {row.line}: {error}"
            else:
                problem = _duplicate(record, row.line, seen)
                if problem is None and record.id not in seen:
                    seen[record.id] = (row.line, record)
                    result.records.append(record)
        if problem is not None:
            result.errors.append(problem)
    return result


def _duplicate(
    record: SessionRecord, line: int, seen: dict[str, tuple[int, SessionRecord]]
) -> str | None:
    """The problem with a session id met before with other data; None otherwise."""
    first = seen.get(record.id)
    if first is None or first[1] == record:
        return None
    return (
        f"line {line}: id: expected a unique session id, found {_shown(record.id)} again "
        f"(first on line {first[0]}) with other data"
    )


def read_sessions_file(path: Path, limit: int = IMPORT_LIMIT) -> ImportResult:
    """The sessions of the per-session export at ``path`` (see :func:`import_sessions`).

    The file is read through :func:`~backtimer.core.store.user_files.read_user_file`: a
    regular file of at most ``limit`` bytes (so a FIFO or ``/dev/zero`` never hangs nor
    fills memory). Raises :class:`ImportFileError` when the file as a whole cannot be read.
    """
    path = Path(path)
    try:
        raw = read_user_file(path, limit)
    except FileTooLargeError as error:
        raise ImportFileError(path, f"too large to import: {error.reason}") from None
    except UserFileError as error:
        raise ImportFileError(path, error.reason) from None
    except OSError as error:
        raise ImportFileError(path, error.strerror or str(error)) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = count_lines(raw[: error.start].decode("utf-8", "replace")) + 1
        reason = (
            f"expected UTF-8 text, found the byte 0x{raw[error.start]:02x} on line {line} "
            "(save the file as UTF-8)"
        )
        raise ImportFileError(path, reason) from None
    return import_sessions(text)
