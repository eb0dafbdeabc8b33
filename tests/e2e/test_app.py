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
    app.wait_for_title(" · Get ready — backtimer")
    app.key("space")
    app.wait_for_title(" · Paused — backtimer")
    app.key("space")
    app.wait_for_title(" · Get ready — backtimer")
    app.key("Right")  # skip the first exercise: the session runs on
    app.wait_for_title(" · Running — backtimer")
    app.key("Escape")
    app.wait_for_title(" · Stopped — backtimer")

    app.key("ctrl+q")
    assert app.process.wait(timeout=20) == 0
    assert "Traceback" not in app.log.read_text()


def test_run_opens_the_window_with_the_routine_started(launch: type[AppProcess]) -> None:
    app = launch("run", "desk-break")
    app.find_window("Desk break")
    app.wait_for_title("Desk break · Get ready")
    app.key("Escape")
    app.wait_for_title("Desk break · Stopped")


def test_sigterm_quits_cleanly(launch: type[AppProcess]) -> None:
    app = launch()
    app.find_window("backtimer")
    app.process.terminate()
    assert app.process.wait(timeout=20) == 128 + 15
    assert "Traceback" not in app.log.read_text()
