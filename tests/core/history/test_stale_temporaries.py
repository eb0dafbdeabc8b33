"""The writer's lock is where temporaries of killed writes go: every state file's, safely."""

from __future__ import annotations

import os
import time
from pathlib import Path

from backtimer.core.history.overrides import REPS_FILE_NAME
from backtimer.core.history.recorder import (
    DATA_STATE_FILES,
    HISTORY_FILES,
    HISTORY_FOLDER,
    SessionHistory,
)
from backtimer.core.history.store import HISTORY_FILE_PATTERNS, IN_PROGRESS_FILE_NAME, HistoryStore
from backtimer.core.reminders.store import REMINDERS_FILE_NAME
from backtimer.core.store.temporaries import STALE_AFTER_S


def leftover(path: Path, age_s: float) -> Path:
    """A temporary as write_atomically names them, last changed ``age_s`` ago."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{"cut": ', encoding="utf-8")
    then = time.time() - age_s
    os.utime(path, (then, then))
    return path


def test_taking_the_writers_lock_removes_what_killed_writes_left(tmp_path: Path) -> None:
    """Regression: remove_stale_temporaries was never called; temporaries piled up."""
    history = tmp_path / HISTORY_FOLDER
    gone = [
        leftover(history / ".history-2026.json.a1b2c3d4.tmp", 0),  # only the writer writes these
        leftover(history / f".{IN_PROGRESS_FILE_NAME}.e5f6g7h8.tmp", 0),
        leftover(tmp_path / f".{REPS_FILE_NAME}.k1ll3d00.tmp", STALE_AFTER_S + 5),
        leftover(tmp_path / f".{REMINDERS_FILE_NAME}.k1ll3d01.tmp", STALE_AFTER_S + 5),
    ]
    # `backtimer reps` writes pins without the writer's lock: a recent one may be in flight.
    in_flight = leftover(tmp_path / f".{REPS_FILE_NAME}.wr1t1ng0.tmp", 1)
    data = leftover(tmp_path / REPS_FILE_NAME, 3600)
    other = leftover(tmp_path / ".notes.txt.x.tmp", 3600)

    writer = SessionHistory.open_as_writer(tmp_path, open_now=False)
    try:
        for path in gone:
            assert not path.exists(), path
        for path in (in_flight, data, other):
            assert path.exists(), path
    finally:
        assert writer.lock is not None
        writer.lock.release()


def test_a_reader_removes_nothing(tmp_path: Path) -> None:
    temporary = leftover(tmp_path / ".history-2026.json.a1b2c3d4.tmp", 3600)
    HistoryStore(tmp_path, recover=False).sessions()
    assert temporary.exists()
    assert HistoryStore(tmp_path).remove_stale_temporaries() == 1  # the writer's own call
    assert not temporary.exists()


def test_the_names_match_the_stores() -> None:
    assert HISTORY_FILES == HISTORY_FILE_PATTERNS
    assert set(DATA_STATE_FILES) == {REPS_FILE_NAME, REMINDERS_FILE_NAME}
