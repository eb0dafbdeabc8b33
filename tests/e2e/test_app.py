"""The real app, launched as a subprocess on a virtual display and driven by keys."""

from __future__ import annotations

import pytest

from tests.e2e.harness import AppProcess

pytestmark = pytest.mark.e2e


def test_window_opens_and_keys_drive_a_session(launch: type[AppProcess]) -> None:
    app = launch()
    app.find_window("backtimer")
    assert app.title() == "backtimer"

    app.key("space")
    app.wait_for_title("Desk break · Get ready")
    app.key("space")
    app.wait_for_title("Desk break · Paused")
    app.key("space")
    app.wait_for_title("Desk break · Get ready")
    app.key("Right")  # skip the first exercise: the session runs on
    app.wait_for_title("Desk break · Running")
    app.key("Escape")
    app.wait_for_title("Desk break · Stopped")

    app.key("ctrl+q")
    assert app.process.wait(timeout=20) == 0
    assert "Traceback" not in app.log.read_text()


def test_sigterm_quits_cleanly(launch: type[AppProcess]) -> None:
    app = launch()
    app.find_window("backtimer")
    app.process.terminate()
    assert app.process.wait(timeout=20) == 128 + 15
    assert "Traceback" not in app.log.read_text()
