"""The history in the terminal: ``backtimer history``, ``export --csv`` and ``import --csv``.

Reading works while the app runs (the app holds the writer's lock; a reader then leaves
unfinished sessions alone). Importing writes, so it needs the lock.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from backtimer.core.history.csv_io import export_sessions, import_sessions
from backtimer.core.history.lock import LOCK_FILE_NAME, AlreadyRunningError, InstanceLock
from backtimer.core.history.recorder import HISTORY_FOLDER
from backtimer.core.history.store import HistoryStore
from backtimer.core.paths import AppPaths
from backtimer.core.plan.describe import format_duration

EXIT_OK = 0
EXIT_INVALID = 1


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
        yield HistoryStore(paths.data / HISTORY_FOLDER, recover=False)
        return
    try:
        store = HistoryStore(paths.data / HISTORY_FOLDER)
        for problem in store.problems:
            print(f"backtimer: {problem}", file=sys.stderr)
        yield store
    finally:
        lock.release()


def cmd_history(paths: AppPaths) -> int:
    """Print a table of every session."""
    with _store(paths, write=False) as store:
        assert store is not None
        records = store.sessions()
    if not records:
        print("No sessions yet.")
        return EXIT_OK
    print(f"{'started':<17}  {'routine':<28}  {'outcome':<17}  {'active':>6}  exercises done")
    for record in records:
        done = sum(1 for e in record.exercises if not e.skipped and e.reps_done == e.reps_planned)
        print(
            f"{record.started:%Y-%m-%d %H:%M}  {record.routine_title[:28]:<28}  "
            f"{record.outcome.value.replace('_', ' '):<17}  "
            f"{format_duration(record.active_seconds * 1000):>6}  "
            f"{done}/{len(record.exercises)}"
        )
    return EXIT_OK


def cmd_export(
    paths: AppPaths, target: str, by_exercise: bool, start: date | None, end: date | None
) -> int:
    """Write the history as CSV to ``target`` (``-`` for standard output)."""
    with _store(paths, write=False) as store:
        assert store is not None
        records = store.sessions()
    if target == "-":
        count = export_sessions(records, sys.stdout, by_exercise, start, end)
    else:
        try:
            with Path(target).open("w", encoding="utf-8", newline="") as out:
                count = export_sessions(records, out, by_exercise, start, end)
        except OSError as error:
            print(f"backtimer export: {target}: {error.strerror or error}", file=sys.stderr)
            return EXIT_INVALID
        print(f"Exported {count} rows to {target}.", file=sys.stderr)
    return EXIT_OK


def cmd_import(paths: AppPaths, source: str) -> int:
    """Add the sessions of a CSV export; rows already present are skipped, bad rows reported."""
    try:
        with Path(source).open(encoding="utf-8", newline="") as stream:
            result = import_sessions(stream)
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "expected UTF-8 text"
        print(f"backtimer import: {source}: {reason or error}", file=sys.stderr)
        return EXIT_INVALID
    for problem in result.errors:
        print(f"{source}:{problem}", file=sys.stderr)
    with _store(paths, write=True) as store:
        if store is None:
            return EXIT_INVALID
        try:
            added = store.add_sessions(result.records)
        except OSError as error:
            print(f"backtimer import: could not save the history: {error}", file=sys.stderr)
            return EXIT_INVALID
    skipped = len(result.records) - added
    print(
        f"Imported {added} sessions; {skipped} were already there; "
        f"{len(result.errors)} bad rows skipped."
    )
    return EXIT_OK if not result.errors else EXIT_INVALID
