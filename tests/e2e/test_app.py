"""The real app, launched as a subprocess on a virtual display and driven by keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from backtimer.core.history.records import SessionOutcome
from backtimer.core.history.store import HistoryStore
from backtimer.core.paths import resolve_paths
from backtimer.core.settings import Settings
from backtimer.core.store.settings_store import SettingsStore
from tests.e2e.harness import Launch, wait_until

pytestmark = pytest.mark.e2e

QUICK = """\
schema_version = 1
id = "quick"
title = "Quick"
summary = "Two short moves to try the app."
category = "other"
rest_between_exercises = 2

[[exercises]]
id = "deep-breath"
name = "Deep breath"
steps = ["Breathe in slowly.", "Breathe out."]
kind = "reps"
reps = 1
breathing = { inhale = 1, exhale = 1 }
source = "default"

[[exercises]]
id = "shoulder-rolls"
name = "Shoulder rolls"
steps = ["Roll the shoulders."]
kind = "timed"
duration = 2
source = "default"
"""


def store(data_dir: Path) -> SettingsStore:
    return SettingsStore(resolve_paths(data_dir).config / "settings.json")


@pytest.fixture
def returning_user(data_dir: Path) -> Path:
    """A data dir whose user has seen the safety screen and has a quick routine."""
    paths = resolve_paths(data_dir)
    paths.ensure()
    store(data_dir).save(Settings(safety_acknowledged=True, get_ready_seconds=0))
    (paths.user_routines / "quick.toml").write_text(QUICK)
    return data_dir


def test_first_run_asks_to_acknowledge_the_safety_screen(launch: Launch, data_dir: Path) -> None:
    app = launch()
    app.find_window("Before you start")
    app.key("space")  # tick "I have read this"
    app.key("Return")  # Continue
    app.find_window("backtimer")
    assert store(data_dir).load().safety_acknowledged
    app.key("ctrl+q")
    assert app.process.wait(timeout=20) == 0


def test_keys_drive_a_short_routine_to_its_summary(launch: Launch, returning_user: Path) -> None:
    app = launch("run", "quick")
    app.find_window("Quick")
    app.wait_for_title("Quick · Running")
    app.key("space")
    app.wait_for_title("Quick · Paused")
    app.key("space")
    app.wait_for_title("Quick · Running")
    app.key("Right")  # to the second exercise
    app.key("Right")  # to the end
    app.wait_for_title("Quick · Finished")
    app.key("Return")  # the summary's default: back to the routines
    app.wait_for_title("backtimer")
    app.key("ctrl+q")
    assert app.process.wait(timeout=20) == 0
    assert "Traceback" not in app.log.read_text()


def test_escape_twice_stops_and_sigterm_quits_cleanly(launch: Launch, returning_user: Path) -> None:
    app = launch("run", "quick")
    app.find_window("Quick")
    app.key("Escape")  # asks first, paused
    app.wait_for_title("Quick · Paused")
    app.key("Escape")  # again: ends it
    app.wait_for_title("Quick · Stopped")
    app.process.terminate()
    assert app.process.wait(timeout=20) == 128 + 15
    assert "Traceback" not in app.log.read_text()


def test_sessions_are_recorded_and_a_killed_one_shows_as_interrupted(
    launch: Launch, returning_user: Path
) -> None:
    history = resolve_paths(returning_user).data / "history"
    app = launch("run", "quick")
    app.find_window("Quick")
    app.wait_for_title("Quick · Finished", timeout_s=40)
    app.key("ctrl+q")
    assert app.process.wait(timeout=20) == 0
    assert [r.outcome for r in HistoryStore(history).sessions()] == [SessionOutcome.COMPLETED]

    killed = launch("run", "quick")
    killed.find_window("Quick")
    killed.process.kill()  # SIGKILL mid-session: no chance to write anything more
    killed.process.wait(timeout=20)
    outcomes = [r.outcome for r in HistoryStore(history).sessions()]
    assert outcomes == [SessionOutcome.COMPLETED, SessionOutcome.INTERRUPTED]


def test_a_routine_file_runs_in_the_window_with_the_options_of_the_command_line(
    launch: Launch, returning_user: Path, tmp_path: Path
) -> None:
    # A file outside the library, whose id is also that of a routine in it: the file runs.
    routine_file = tmp_path / "mine.toml"
    routine_file.write_text(QUICK.replace('title = "Quick"', 'title = "My own quick one"'))
    app = launch("run", str(routine_file), "--get-ready", "0", "--no-speech")
    app.find_window("My own quick one")
    app.wait_for_title("My own quick one · Running")
    app.key("Right")
    app.key("Right")
    app.wait_for_title("My own quick one · Finished")
    app.key("ctrl+q")
    assert app.process.wait(timeout=20) == 0
    history = HistoryStore(resolve_paths(returning_user).data / "history")
    assert [r.routine_title for r in history.sessions()] == ["My own quick one"]


def test_a_routine_file_that_is_not_valid_is_said_in_the_terminal(
    launch: Launch, returning_user: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("schema_version = 1\nid = 3\n")
    app = launch("run", str(broken))
    assert app.process.wait(timeout=20) == 1
    assert f"{broken}:" in app.log.read_text()


def test_a_card_opens_its_preview_esc_goes_back_and_enter_starts(
    launch: Launch, returning_user: Path
) -> None:
    app = launch()
    app.find_window("backtimer")
    app.key("q", "u", "i", "c", "k")  # the search keeps it while the routines load

    def preview_shown() -> bool:
        app.key("Down")  # from the search to the first card, once the cards are there
        app.key("Return")
        try:
            wait_until(lambda: app.title().startswith("Quick"), 1.0, "the preview")
        except TimeoutError:
            return False
        return True

    wait_until(preview_shown, 30, "the preview of the quick routine")
    assert app.title() == "Quick — backtimer"  # the preview; nothing started
    app.key("Escape")  # back to the routines, on the same card
    wait_until(lambda: app.title() == "backtimer", 10, "the routines")
    app.key("Return")  # the card again
    wait_until(lambda: app.title() == "Quick — backtimer", 10, "the preview again")
    app.key("Return")  # Start (running it to its end is another test's)
    wait_until(lambda: app.title().startswith("Quick · "), 20, "the session")
    app.key("ctrl+q")
    assert app.process.wait(timeout=20) == 0
    assert "Traceback" not in app.log.read_text()
