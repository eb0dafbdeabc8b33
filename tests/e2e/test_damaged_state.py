"""The real app on a data folder where every state file is damaged in its own way (issue 12).

Settings nested 100,000 deep, a reminder schedule in the year 1, rep pins holding a
5,000-digit number, a running-sessions file that is a FIFO (or holds a NaN record), a year
of history with one NaN record beside a valid one, a FIFO and a link to ``/dev/zero`` among
the routines and the temporary of a write killed over a minute ago. The window and the
tray both start, say what they set aside, keep every damaged file (or record) beside its
original, keep the valid history, run a routine to its end and quit with 0.
"""

from __future__ import annotations

import json
import math
import os
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from backtimer.core.history.recorder import HISTORY_FOLDER
from backtimer.core.history.records import BreakEventKind, SessionOutcome, SessionRecord
from backtimer.core.history.store import IN_PROGRESS_FILE_NAME, HistoryStore, shard_name
from backtimer.core.paths import AppPaths, resolve_paths
from backtimer.core.reminders.store import ReminderStore
from backtimer.core.store.settings_store import SettingsStore
from tests.core.history.test_store import make_session
from tests.e2e.desktop import Desktop, missing_tools
from tests.e2e.harness import DEFAULT_TIMEOUT_S, AppProcess, Launch, wait_until
from tests.e2e.test_app import QUICK
from tests.e2e.test_app_tray import alive, breaks_written, tray_icons

pytestmark = pytest.mark.e2e

OFFSET = timezone(timedelta(hours=2))
YEAR_ONE = "0001-01-01T00:00:00+05:00"
SHARD = shard_name(2026)
#: The state files damaged, by where they are, with what the log must say of each.
SETTINGS = "settings.json"
REMINDERS = "reminders.json"
REPS = "reps.json"
STALE_TEMPORARY = ".reps.json.k3x9q1zp.tmp"


@dataclass(frozen=True)
class Damaged:
    """What :func:`damage` put in the data folder."""

    paths: AppPaths
    #: The bytes of each damaged regular file, by its path.
    originals: dict[Path, bytes]
    good: SessionRecord
    nan_id: str
    #: The id of the NaN record in the running-sessions file, or None when that is a FIFO.
    running_nan_id: str | None

    @property
    def history(self) -> Path:
        return self.paths.data / HISTORY_FOLDER


def _tables(sessions: dict[str, Any]) -> bytes:
    """A history file as an old or hand-edited backtimer might hold it (NaN allowed)."""
    tables = {"sessions": sessions, "meta": {"1": {"schema_version": 1}}}
    return json.dumps(tables, allow_nan=True).encode()


def damage(root: Path, *, running_as_fifo: bool) -> Damaged:
    """Damage every state file of the data folder ``root``, each in another way."""
    paths = resolve_paths(root)
    paths.ensure()
    history = paths.data / HISTORY_FOLDER
    history.mkdir()
    schedule = {"version": 1, "due": YEAR_ONE, "since": YEAR_ONE, "paused": False}
    pins = b'{"schema_version": 1, "pins": {"quick": {"deep-breath": ' + b"9" * 5000 + b"}}}"
    good = make_session(datetime(2026, 3, 1, 9, tzinfo=OFFSET))
    bad = make_session(datetime(2026, 3, 2, 9, tzinfo=OFFSET)).to_dict()
    bad["active_seconds"] = math.nan
    originals = {
        paths.config / SETTINGS: b"[" * 100_000,
        paths.data / REMINDERS: json.dumps(schedule).encode(),
        paths.data / REPS: pins,
        history / SHARD: _tables({"1": good.to_dict(), "2": bad}),
    }
    running_nan_id = None
    if running_as_fifo:
        os.mkfifo(history / IN_PROGRESS_FILE_NAME)
    else:
        running = make_session(datetime(2026, 3, 3, 9, tzinfo=OFFSET)).to_dict()
        running.update(outcome="in_progress", ended=None, active_seconds=math.nan)
        running_nan_id = running["id"]
        originals[history / IN_PROGRESS_FILE_NAME] = _tables({"1": running})
    for path, raw in originals.items():
        path.write_bytes(raw)
    (paths.user_routines / "quick.toml").write_text(QUICK, encoding="utf-8")
    os.mkfifo(paths.user_routines / "evil.toml")
    (paths.user_routines / "zero.toml").symlink_to("/dev/zero")
    stale = paths.data / STALE_TEMPORARY
    stale.write_bytes(b'{"schema_version": 1, "pi')  # a write killed half way
    minutes_ago = time.time() - 120
    os.utime(stale, (minutes_ago, minutes_ago))
    return Damaged(paths, originals, good, bad["id"], running_nan_id)


def kept_beside(path: Path, kind: str) -> Path:
    """The one file ``<name>.<kind>-<time>`` beside ``path``."""
    found = sorted(path.parent.glob(f"{path.name}.{kind}-*"))
    assert len(found) == 1, f"expected one {kind} copy of {path.name}, found {found}"
    return found[0]


def quarantined_ids(kept: Path) -> dict[str, str]:
    """The ids of the records in the quarantine file ``kept``, with their reasons."""
    content = json.loads(kept.read_text(encoding="utf-8"))
    return {entry["document"]["id"]: entry["reason"] for entry in content["documents"]}


def check_what_was_set_aside(damaged: Damaged, log: str) -> None:
    """Every damaged file kept beside its original with its bytes (or its record kept in
    quarantine), each named in the log, the valid history still there, no traceback."""
    assert "Traceback" not in log
    history = damaged.history
    for path, raw in damaged.originals.items():
        if path.name == SHARD or (path.name == IN_PROGRESS_FILE_NAME and damaged.running_nan_id):
            continue  # readable files with one bad record: quarantined, below
        kept = kept_beside(path, "unreadable")
        assert kept.read_bytes() == raw
        assert kept.name in log
    shard = kept_beside(history / SHARD, "quarantine")
    assert list(quarantined_ids(shard)) == [damaged.nan_id]
    assert "active_seconds" in quarantined_ids(shard)[damaged.nan_id]
    assert shard.name in log
    assert damaged.nan_id in log
    running = history / IN_PROGRESS_FILE_NAME
    if damaged.running_nan_id is None:
        kept = kept_beside(running, "unreadable")
        assert stat.S_ISFIFO(kept.lstat().st_mode)  # the FIFO itself, moved
        assert kept.name in log
    else:
        kept = kept_beside(running, "quarantine")
        assert list(quarantined_ids(kept)) == [damaged.running_nan_id]
        assert kept.name in log
    routines = damaged.paths.user_routines
    assert f"{routines / 'evil.toml'}: (file): expected a regular file, found a named pipe" in log
    assert f"{routines / 'zero.toml'}: (file): expected a regular file, found a character" in log
    assert stat.S_ISFIFO((routines / "evil.toml").lstat().st_mode)  # the user's: left alone
    assert (routines / "zero.toml").is_symlink()
    assert not (damaged.paths.data / STALE_TEMPORARY).exists()
    # The valid session of 2026 is kept; what the app wrote since is readable.
    sessions = HistoryStore(history, recover=False).sessions()
    assert damaged.good in sessions
    assert damaged.nan_id not in {session.id for session in sessions}
    settings = SettingsStore(damaged.paths.config / SETTINGS)
    assert settings.load().safety_acknowledged
    assert settings.problems == []
    reminders = ReminderStore(damaged.paths.data / REMINDERS)
    reminders.load()
    assert reminders.problems == []


def quick_sessions(damaged: Damaged) -> list[SessionOutcome]:
    sessions = HistoryStore(damaged.history, recover=False).sessions()
    return [session.outcome for session in sessions if session.routine_id == "quick"]


def acknowledge_safety(app: AppProcess) -> None:
    """The settings start afresh, so the first-run safety screen shows: accept it."""
    app.find_window("Before you start")
    app.key("space")  # tick "I have read this"
    app.key("Return")  # Continue


def run_quick_to_its_end(app: AppProcess) -> None:
    """Skip the get-ready and the first exercise; the routine ends in seconds."""
    app.find_window("Quick")
    app.wait_for_title("Quick · Get ready")
    app.key("Right")
    app.wait_for_title("Quick · Running")
    app.key("Right")  # on to the end (were this key missed, the end is seconds away anyway)
    app.wait_for_title("Quick · Finished", timeout_s=30)


def test_the_window_starts_on_damaged_state_sets_it_aside_and_works(
    launch: Launch, data_dir: Path
) -> None:
    damaged = damage(data_dir, running_as_fifo=False)
    app = launch("run", "quick")
    acknowledge_safety(app)
    run_quick_to_its_end(app)
    app.key("Return")  # the summary's default: back to the routines
    wait_until(lambda: app.title() == "backtimer", DEFAULT_TIMEOUT_S, "the routines")
    app.key("ctrl+q")
    assert app.process.wait(timeout=20) == 0
    check_what_was_set_aside(damaged, app.log.read_text())
    assert quick_sessions(damaged) == [SessionOutcome.COMPLETED]


@pytest.fixture
def desktop(tmp_path: Path) -> Iterator[Desktop]:
    with Desktop(tmp_path / "desktop") as started:
        yield started


def hand_over(desktop: Desktop, root: Path, *args: str) -> None:
    """A second launch, which hands ``args`` to the running app and exits."""
    second = subprocess.run(
        [sys.executable, "-m", "backtimer", "--data-dir", str(root), *args],
        env=desktop.env(),
        capture_output=True,
        text=True,
        timeout=DEFAULT_TIMEOUT_S,
        check=False,
    )
    assert second.returncode == 0, second.stderr
    assert "handed over" in second.stdout
    assert "Traceback" not in second.stderr


@pytest.mark.skipif(bool(missing_tools()), reason=f"not installed: {missing_tools()}")
def test_the_tray_starts_on_damaged_state_sets_it_aside_and_works(
    desktop: Desktop, tmp_path: Path
) -> None:
    root = tmp_path / "backtimer"
    damaged = damage(root, running_as_fifo=True)
    app = AppProcess(desktop.display, root, "--tray", env=desktop.env())
    try:
        acknowledge_safety(app)
        pid = app.process.pid
        wait_until(lambda: alive(app) and bool(tray_icons(desktop, pid)), 20, "the tray icon")
        # A break asked for by a second launch is taken and recorded.
        hand_over(desktop, root, "--break-now")
        wait_until(
            lambda: alive(app) and breaks_written(damaged.history, BreakEventKind.TAKEN) == 1,
            DEFAULT_TIMEOUT_S,
            "the break to be recorded",
        )
        # A routine asked for opens the window and runs to its end (reading the rep pins).
        hand_over(desktop, root, "run", "quick")
        run_quick_to_its_end(app)
        app.key("ctrl+q")
        assert app.process.wait(timeout=20) == 0
    finally:
        app.close()
    check_what_was_set_aside(damaged, app.log.read_text())
    assert quick_sessions(damaged) == [SessionOutcome.COMPLETED]
