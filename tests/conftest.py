"""Shared test setup: Qt runs offscreen, and no test touches the user's real files."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

# Before any Qt import: widgets render offscreen unless a test sets up a real display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

settings.register_profile("default", deadline=None, print_blob=True)
settings.load_profile("default")


@pytest.fixture(autouse=True)
def isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point every path backtimer resolves (and XDG's) at a fresh temporary folder."""
    root = tmp_path / "backtimer-home"
    monkeypatch.setenv("BACKTIMER_DATA_DIR", str(root))
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(name, str(tmp_path / "xdg" / name.lower()))
    return root
