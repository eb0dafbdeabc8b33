"""The real app with a FIFO and a link to /dev/zero among the user's routines: the window
loads the other routines, runs one and reports the two it skipped (issue 12, item 11)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from backtimer.core.paths import resolve_paths
from backtimer.core.settings import Settings
from backtimer.core.store.settings_store import SettingsStore
from tests.e2e.harness import Launch
from tests.e2e.test_app import QUICK

pytestmark = pytest.mark.e2e


def test_the_window_skips_special_files_and_runs_the_others(launch: Launch, data_dir: Path) -> None:
    paths = resolve_paths(data_dir)
    paths.ensure()
    SettingsStore(paths.config / "settings.json").save(
        Settings(safety_acknowledged=True, get_ready_seconds=0)
    )
    (paths.user_routines / "quick.toml").write_text(QUICK)
    os.mkfifo(paths.user_routines / "pipe.toml")
    (paths.user_routines / "zero.toml").symlink_to("/dev/zero")
    app = launch("run", "quick")
    app.find_window("Quick")
    app.wait_for_title("Quick · Running")
    app.key("Escape")  # asks first, paused
    app.wait_for_title("Quick · Paused")
    app.key("Escape")  # again: ends it
    app.wait_for_title("Quick · Stopped")
    app.process.terminate()
    assert app.process.wait(timeout=20) == 128 + 15  # SIGTERM handled: not frozen
    log = app.log.read_text()
    assert "Traceback" not in log
    assert "pipe.toml: (file): expected a regular file, found a named pipe (FIFO)" in log
    assert "zero.toml: (file): expected a regular file, found a character device" in log
