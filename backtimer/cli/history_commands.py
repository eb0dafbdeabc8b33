"""The history in the terminal: ``backtimer history``, ``export --csv`` and ``import --csv``.

Reading works while the app runs (the app holds the writer's lock; a reader then leaves
unfinished sessions alone) and in a data folder that cannot be written (no lock can be
taken there; the history is read as it is). Importing writes, so it needs the lock, and
says so plainly when the folder is read-only.

Titles are printed through :func:`~backtimer.core.display_text.for_display`: an escape
sequence or a bidi control in an imported title cannot drive the terminal. A failure to
write to standard output (``> /dev/full``) is a one-line message and a non-zero exit;
a reader that goes away (``| head``) ends the output quietly.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from backtimer.core.display_text import for_display
from backtimer.core.history.csv_io import (
    ImportFileError,
    export_breaks,
    export_breaks_file,
    export_file,
    export_sessions,
    read_sessions_file,
)
from backtimer.core.history.definitions import GOAL_RULE, GOAL_WORDS, done_of_planned, kind_words
from backtimer.core.history.importing import READ_ONLY_ERRORS, Added, add_imported
from backtimer.core.history.lock import LOCK_FILE_NAME, AlreadyRunningError, InstanceLock
from backtimer.core.history.recorder import HISTORY_FOLDER
from backtimer.core.history.stats import WeekStats, breaks_by_week, by_week
from backtimer.core.history.store import HistoryStore
from backtimer.core.paths import AppPaths
from backtimer.core.plan.describe import format_duration

if TYPE_CHECKING:
    from backtimer.core.history.records import BreakEvent, SessionRecord

EXIT_OK = 0
EXIT_INVALID = 1


def _reader(paths: AppPaths) -> HistoryStore:
    """The history opened by a reader: nothing is recovered nor written."""
    return HistoryStore(paths.data / HISTORY_FOLDER, recover=False)


@contextmanager
def _store(paths: AppPaths, write: bool) -> Iterator[HistoryStore | None]:
    """The history store; for writing only with the lock (None and a message without)."""
    lock = InstanceLock(paths.data / LOCK_FILE_NAME)
    try:
        lock.acquire()
    except AlreadyRunningError:
        if write:
            print(
                "backtimer: the app is running with this data folder; quit it to import.",
                file=sys.stderr,
            )
            yield None
            return
        yield _reader(paths)
        return
    except OSError as error:  # the folder cannot be written: read it as it is
        if write:
            _say_cannot_write(paths, error)
            yield None
            return
        yield _reader(paths)
        return
    try:
        store = HistoryStore(paths.data / HISTORY_FOLDER)
        for problem in store.problems:
            print(f"backtimer: {problem}", file=sys.stderr)
        yield store
    finally:
        lock.release()


def _say_cannot_write(paths: AppPaths, error: OSError) -> None:
    reason = error.strerror or str(error)
    if error.errno in READ_ONLY_ERRORS:
        text = f"the data folder {paths.data} is read-only; cannot import ({reason})."
    else:
        text = f"cannot take the lock in the data folder {paths.data} ({reason}); cannot import."
    print(f"backtimer import: {text}", file=sys.stderr)


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so the flush at exit cannot fail again."""
    with contextlib.suppress(OSError, ValueError, io.UnsupportedOperation):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _write_stdout(text: str) -> int:
    """Write ``text`` (UTF-8) to standard output; EXIT_INVALID and a message if that fails."""
    try:
        raw = getattr(sys.stdout, "buffer", None)
        if raw is None:
            sys.stdout.write(text)
        else:
            sys.stdout.flush()
            raw.write(text.encode("utf-8", "replace"))
        sys.stdout.flush()
    except BrokenPipeError:  # the reader went away (``| head``): it has what it wanted
        _silence_stdout()
        return EXIT_OK
    except OSError as error:
        _silence_stdout()
        reason = error.strerror or str(error)
        print(f"backtimer: could not write to standard output: {reason}", file=sys.stderr)
        return EXIT_INVALID
    return EXIT_OK


def history_table(paths: AppPaths, tz: tzinfo | None = None) -> str:
    """What ``backtimer history`` prints: every session, then a line per week.

    Each session: when, workout or desk break, the routine, the outcome, active time and
    its exercises as "2 of 10 done" (:func:`~backtimer.core.history.definitions.
    done_of_planned`, as the History window shows them), and below a pain stop what hurt.
    Each week (local time, ``tz`` None: the system's): the workouts that count toward the
    goal, the desk breaks, and the desk-break reminders taken, snoozed and skipped.
    """
    with _store(paths, write=False) as store:
        assert store is not None
        records = store.sessions()
        events = store.break_events()
    if not records and not events:
        return "No sessions yet.\n"
    lines = _session_lines(records) if records else ["No sessions yet."]
    return "\n".join([*lines, "", *_week_lines(records, events, tz)]) + "\n"


def _session_lines(records: list[SessionRecord]) -> list[str]:
    lines = [
        f"{'started':<17}  {'kind':<10}  {'routine':<28}  {'outcome':<17}  {'active':>6}  exercises"
    ]
    for record in records:
        title = for_display(record.routine_title)[:28]
        lines.append(
            f"{record.started:%Y-%m-%d %H:%M}  {kind_words(record.kind).lower():<10}  "
            f"{title:<28}  {record.outcome.value.replace('_', ' '):<17}  "
            f"{format_duration(record.active_seconds * 1000):>6}  {done_of_planned(record)}"
        )
        if record.pain_area or record.pain_note:
            said = " — ".join(p for p in (record.pain_area, record.pain_note) if p)
            lines.append(f"{'':<17}  pain: {for_display(' '.join(said.split()))}")
    return lines


def _week_lines(
    records: list[SessionRecord], events: list[BreakEvent], tz: tzinfo | None
) -> list[str]:
    weekly = by_week(records, tz)
    breaks = breaks_by_week(events, tz)
    lines = [f"{'week':<8}  {'workouts':<18}  {'desk breaks':>11}  desk-break reminders"]
    for week in sorted(set(weekly) | set(breaks)):
        stats = weekly.get(week, WeekStats(week))
        goal = f"{stats.sessions} of {GOAL_WORDS}" + (" (met)" if stats.met_goal else "")
        reminders = breaks[week].summary() if week in breaks else "none"
        lines.append(f"{week!s:<8}  {goal:<18}  {stats.desk_breaks:>11}  {reminders}")
    return [*lines, "", GOAL_RULE]


def cmd_history(paths: AppPaths) -> int:
    """Print every session and a line per week (see :func:`history_table`)."""
    return _write_stdout(history_table(paths))


def cmd_export(
    paths: AppPaths,
    target: str,
    by_exercise: bool,
    start: date | None,
    end: date | None,
    breaks: bool = False,
) -> int:
    """Write the history as CSV to ``target`` (``-`` for standard output), atomically;
    ``breaks``: the desk-break reminders instead of the sessions."""
    with _store(paths, write=False) as store:
        assert store is not None
        records = [] if breaks else store.sessions()
        events = store.break_events() if breaks else []
    if target == "-":
        out = io.StringIO(newline="")
        if breaks:
            export_breaks(events, out, start, end)
        else:
            export_sessions(records, out, by_exercise, start, end)
        return _write_stdout(out.getvalue())
    try:
        if breaks:
            count = export_breaks_file(events, Path(target), start, end)
        else:
            count = export_file(records, Path(target), by_exercise, start, end)
    except OSError as error:
        reason = error.strerror or str(error)
        print(
            f"backtimer export: could not write {target}: {reason}; "
            "any file there before is unchanged.",
            file=sys.stderr,
        )
        return EXIT_INVALID
    print(f"Exported {count} rows to {target}.", file=sys.stderr)
    return EXIT_OK


def cmd_import(paths: AppPaths, source: str) -> int:
    """Add the sessions of a CSV export; rows already present are skipped, bad rows reported."""
    with _store(paths, write=True) as store:
        if store is None:
            return EXIT_INVALID
        try:
            result = read_sessions_file(Path(source))
        except ImportFileError as error:
            print(f"backtimer import: {source}: {error.reason}", file=sys.stderr)
            return EXIT_INVALID
        for problem in result.errors:
            print(for_display(f"{source}:{problem}"), file=sys.stderr)
        outcome = add_imported(store, result.records)
    if outcome.failure is not None:
        _say_import_failed(paths, outcome)
        return EXIT_INVALID
    print(
        f"Imported {outcome.added} sessions; {outcome.known} were already there; "
        f"{len(result.errors)} bad rows skipped."
    )
    return EXIT_OK if not result.errors else EXIT_INVALID


def _say_import_failed(paths: AppPaths, outcome: Added) -> None:
    failure = outcome.failure
    assert failure is not None
    reason = failure.strerror or str(failure)
    if outcome.read_only:
        what = f"the data folder {paths.data} is read-only; cannot import ({reason})."
    elif failure.filename:
        what = f"could not save {failure.filename}: {reason}."
    else:
        what = f"could not save the history: {reason}."
    if outcome.added == 0:
        done = "Nothing was added."
    else:
        word = "session was" if outcome.added == 1 else "sessions were"
        done = (
            f"{outcome.added} new {word} added before that; import the file again to add the rest."
        )
    print(f"backtimer import: {what} {done}", file=sys.stderr)
