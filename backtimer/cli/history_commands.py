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
from datetime import date
from pathlib import Path

from backtimer.core.display_text import for_display
from backtimer.core.history.csv_io import (
    ImportFileError,
    export_file,
    export_sessions,
    read_sessions_file,
)
from backtimer.core.history.importing import READ_ONLY_ERRORS, Added, add_imported
from backtimer.core.history.lock import LOCK_FILE_NAME, AlreadyRunningError, InstanceLock
from backtimer.core.history.recorder import HISTORY_FOLDER
from backtimer.core.history.store import HistoryStore
from backtimer.core.paths import AppPaths
from backtimer.core.plan.describe import format_duration

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


def history_table(paths: AppPaths) -> str:
    """The table ``backtimer history`` prints."""
    with _store(paths, write=False) as store:
        assert store is not None
        records = store.sessions()
    if not records:
        return "No sessions yet.\n"
    lines = [f"{'started':<17}  {'routine':<28}  {'outcome':<17}  {'active':>6}  exercises done"]
    for record in records:
        done = sum(1 for e in record.exercises if not e.skipped and e.reps_done == e.reps_planned)
        title = for_display(record.routine_title)[:28]
        lines.append(
            f"{record.started:%Y-%m-%d %H:%M}  {title:<28}  "
            f"{record.outcome.value.replace('_', ' '):<17}  "
            f"{format_duration(record.active_seconds * 1000):>6}  "
            f"{done}/{len(record.exercises)}"
        )
    return "\n".join(lines) + "\n"


def cmd_history(paths: AppPaths) -> int:
    """Print a table of every session."""
    return _write_stdout(history_table(paths))


def cmd_export(
    paths: AppPaths, target: str, by_exercise: bool, start: date | None, end: date | None
) -> int:
    """Write the history as CSV to ``target`` (``-`` for standard output), atomically."""
    with _store(paths, write=False) as store:
        assert store is not None
        records = store.sessions()
    if target == "-":
        out = io.StringIO(newline="")
        export_sessions(records, out, by_exercise, start, end)
        return _write_stdout(out.getvalue())
    try:
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
