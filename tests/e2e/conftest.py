"""Fixtures for end-to-end tests: a virtual display and the real app on it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.harness import AppProcess, Launch, VirtualDisplay


@pytest.fixture
def display() -> Iterator[VirtualDisplay]:
    """A fresh Xvfb server for one test."""
    with VirtualDisplay() as server:
        yield server


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """The app's --data-dir for one test."""
    return tmp_path / "data"


@pytest.fixture
def launch(display: VirtualDisplay, data_dir: Path) -> Iterator[Launch]:
    """Start the app with ``launch(*args)``; every app started is closed afterwards."""
    started: list[AppProcess] = []

    class Launcher(AppProcess):
        def __init__(self, *args: str) -> None:
            super().__init__(display, data_dir, *args)
            started.append(self)

    yield Launcher
    for app in started:
        app.close()
