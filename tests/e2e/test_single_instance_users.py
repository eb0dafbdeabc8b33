"""The real app in the tray, when another user of the machine listens where it would.

A second launch must not hand its command to someone else's process (and so never start):
it starts on its own, says why, and takes the socket back.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDir

from backtimer.core.paths import resolve_paths
from backtimer.qt.shell.single_instance import server_name
from tests.e2e.harness import DEFAULT_TIMEOUT_S, AppProcess, VirtualDisplay, wait_until
from tests.helpers.other_user import impostor_listening, needs_root

pytestmark = [pytest.mark.e2e, needs_root]


@pytest.fixture
def runtime_dir() -> Iterator[Path]:
    """The user's runtime folder (a short path: a socket's must fit in 108 bytes)."""
    folder = Path(tempfile.mkdtemp(prefix="bt-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def ours_listening(path: Path) -> bool:
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return False
    return stat.S_ISSOCK(info.st_mode) and info.st_uid == os.geteuid()


def test_tray_starts_when_another_user_listens_on_its_socket(
    display: VirtualDisplay,
    tmp_path: Path,
    runtime_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = tmp_path / "data"
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime_dir))
    name = server_name(resolve_paths(data).data)
    assert name is not None
    path = Path(QDir.tempPath()) / name  # (a bare name lives in the temporary folder)
    with impostor_listening(path) as impostor:
        app = AppProcess(display, data, "--tray", env={"XDG_RUNTIME_DIR": str(runtime_dir)})
        try:
            wait_until(
                lambda: app.process.poll() is None and ours_listening(path),
                DEFAULT_TIMEOUT_S,
                "the app to listen on a socket of its own",
            )
            assert impostor.poll() is None  # the other user's process was there all along
        finally:
            app.close()
    log = app.log.read_text()
    assert "handed over" not in log
    assert "another user" in log
