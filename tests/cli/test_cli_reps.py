"""`backtimer plan` with its reps and why, and `backtimer reps`, run as a user runs them."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from backtimer.core.history.lock import LOCK_FILE_NAME, InstanceLock
from backtimer.core.history.overrides import RepsOverrides
from backtimer.core.history.store import HistoryStore
from backtimer.core.paths import resolve_paths
from tests.helpers.concurrent_cli import run_together
from tests.helpers.routines import BACK_ROUTINE, back_routine, completed_sessions


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "backtimer", "--data-dir", str(root), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "Traceback" not in result.stderr
    return result


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A data dir with the routine and two completed sessions of it (so 3 bridges next)."""
    root = tmp_path / "home"
    data = resolve_paths(root).data
    (data / "routines").mkdir(parents=True)
    (data / "routines" / "back.toml").write_text(BACK_ROUTINE, encoding="utf-8")
    HistoryStore(data / "history").add_sessions(completed_sessions(back_routine(), 3, 2))
    return root


def plan_exercises(root: Path, *extra: str) -> dict[str, dict[str, object]]:
    result = run(root, "plan", "back", "--json", *extra)
    assert result.returncode == 0, result.stderr
    return {e["id"]: e for e in json.loads(result.stdout)["exercises"]}


def test_plan_uses_the_history_and_says_why(root: Path) -> None:
    exercises = plan_exercises(root)
    bridge = exercises["bridge"]
    assert bridge["reps"] == 3
    assert bridge["reps_range"] == {"min": 2, "max": 10}
    assert bridge["reps_reason"] == "2 completed sessions since the last step: up to 3 reps"
    assert bridge["reps_pinned"] is False
    plank = exercises["plank"]
    assert (plank["reps_range"], plank["reps_reason"], plank["reps_pinned"]) == (None, None, False)

    text = run(root, "plan", "back")
    assert text.returncode == 0, text.stderr
    assert "Reps this time (from the history and your pins):" in text.stdout
    assert "  Bridge (2–10): 2 completed sessions since the last step: up to 3 reps" in text.stdout
    assert "  Cat (3–6): 2 completed sessions since the last step: up to 4 reps" in text.stdout


def test_plan_without_history_uses_the_routine_alone(root: Path) -> None:
    assert run(root, "reps", "back", "cat", "5").returncode == 0
    exercises = plan_exercises(root, "--no-history")
    assert exercises["bridge"]["reps"] == 2
    assert exercises["bridge"]["reps_reason"] == "Start of the range: 2 reps"
    assert exercises["cat"]["reps"] == 3  # no pins either
    text = run(root, "plan", "back", "--no-history").stdout
    assert "Reps this time (from the routine alone):" in text


def test_pin_list_and_unpin(root: Path) -> None:
    pinned = run(root, "reps", "back", "bridge", "6")
    assert pinned.returncode == 0, pinned.stderr
    assert pinned.stdout == "Bridge in Back: pinned at 6 reps, whatever the history says.\n"

    exercises = plan_exercises(root)
    assert exercises["bridge"]["reps"] == 6
    assert exercises["bridge"]["reps_reason"] == "Pinned at 6 reps by you"
    assert exercises["bridge"]["reps_pinned"] is True
    assert exercises["cat"]["reps"] == 4  # the others still follow the history

    shown = run(root, "reps", "back")
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[0] == "Back [back]: reps next time"
    assert lines[1].split()[:3] == ["bridge", "6", "pinned"]
    assert lines[1].endswith("Bridge (2–10): Pinned at 6 reps by you")
    assert lines[2].split()[:3] == ["cat", "4", "auto"]
    assert len(lines) == 3  # the timed plank has no reps

    listed = run(root, "reps")
    assert listed.stdout.splitlines() == ["Back [back]", "  bridge: 6 reps  Bridge"]

    freed = run(root, "reps", "back", "bridge", "--auto")
    assert freed.returncode == 0, freed.stderr
    assert freed.stdout == (
        "Bridge: automatic again. Next time: "
        "2 completed sessions since the last step: up to 3 reps.\n"
    )
    assert plan_exercises(root)["bridge"]["reps"] == 3
    assert run(root, "reps").stdout.startswith("No pinned reps")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["back", "bridge", "11"],
            1,
            "backtimer reps: Bridge: 11 reps is above the exercise's range (2–10 reps); "
            "pin 1 to 10\n",
        ),
        (
            ["back", "bridge", "0"],
            1,
            "Bridge: expected at least 1 rep, found 0\n",
        ),
        (
            ["back", "plank", "3"],
            1,
            "Plank (plank) is timed, not counted in reps: there are no reps to pin\n",
        ),
        (
            ["back", "nope", "--auto"],
            1,
            "backtimer reps: routine 'back' has no exercise 'nope'; "
            "its exercises with reps: bridge, cat\n",
        ),
        (["back", "bridge"], 2, "either a number of reps or --auto"),
        (["back", "bridge", "4", "--auto"], 2, "either a number of reps or --auto"),
        (["--auto"], 2, "name the routine and the exercise"),
        (["no-such-routine", "bridge", "3"], 1, "no routine with id 'no-such-routine'"),
    ],
)
def test_bad_pins_are_refused_with_a_clear_message(
    root: Path, args: list[str], code: int, message: str
) -> None:
    result = run(root, "reps", *args)
    assert result.returncode == code
    assert message in result.stderr
    assert result.stdout == ""
    assert not (resolve_paths(root).data / "reps.json").exists()


def test_plan_reads_while_the_app_holds_the_lock(root: Path) -> None:
    data = resolve_paths(root).data
    with InstanceLock(data / LOCK_FILE_NAME):
        assert plan_exercises(root)["bridge"]["reps"] == 3
        assert run(root, "reps", "back", "bridge", "5").returncode == 0
        assert plan_exercises(root)["bridge"]["reps"] == 5


def test_an_unreadable_pins_file_is_set_aside_and_reported(root: Path) -> None:
    data = resolve_paths(root).data
    (data / "reps.json").write_text("{oops", encoding="utf-8")
    result = run(root, "plan", "back", "--json")
    assert result.returncode == 0
    assert f"backtimer: cannot read {data / 'reps.json'}: not valid JSON" in result.stderr
    assert "kept it as reps.json.unreadable-" in result.stderr
    assert json.loads(result.stdout)["exercises"][0]["reps"] == 3
    assert [p.read_text() for p in data.glob("reps.json.unreadable-*")] == ["{oops"]


def test_plan_of_a_routine_file_in_an_empty_data_dir_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "back.toml"
    path.write_text(BACK_ROUTINE, encoding="utf-8")
    result = run(tmp_path / "empty", "plan", str(path))
    assert result.returncode == 0, result.stderr
    assert "  Bridge (2–10): Start of the range: 2 reps" in result.stdout
    assert not (tmp_path / "empty").exists()


@pytest.mark.e2e
def test_the_terminal_mode_uses_a_pin(root: Path) -> None:
    assert run(root, "reps", "back", "bridge", "7").returncode == 0
    command = ["run", "back", "--no-window", "--no-speech", "--get-ready", "0"]
    process = subprocess.Popen(
        [sys.executable, "-m", "backtimer", "--data-dir", str(root), *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None
    before = []
    for line in process.stdout:
        before.append(line.rstrip("\n"))
        if "Ctrl+C stops" in line:
            break
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert "Traceback" not in err
    assert "Bridge: Pinned at 7 reps by you" in before
    assert "Cat: 2 completed sessions since the last step: up to 4 reps" in before
    assert "0/7 reps" in out or "/7 reps" in out  # the summary counts against the pin


#: A routine of ten exercises counted in reps, one for each concurrent pin.
WIDE_ROUTINE = """\
schema_version = 1
id = "wide"
title = "Wide"
summary = "Ten counted moves."
category = "strength"
""" + "".join(
    f"""
[[exercises]]
id = "move-{n}"
name = "Move {n}"
steps = ["Move."]
kind = "reps"
reps = {{ min = 1, max = 12 }}
source = "default"
"""
    for n in range(10)
)


def test_ten_pins_made_at_the_same_moment_are_all_kept(tmp_path: Path) -> None:
    """Regression: each pin is a read-modify-write of reps.json; unlocked, 6–9 of 10 stayed."""
    root = tmp_path / "home"
    data = resolve_paths(root).data
    (data / "routines").mkdir(parents=True)
    (data / "routines" / "wide.toml").write_text(WIDE_ROUTINE, encoding="utf-8")
    results = run_together(
        [["--data-dir", str(root), "reps", "wide", f"move-{n}", str(n + 1)] for n in range(10)]
    )
    assert [result.returncode for result in results] == [0] * 10, results
    assert not any("Traceback" in result.stderr for result in results)
    assert RepsOverrides.for_data(data).all_pins() == {
        "wide": {f"move-{n}": n + 1 for n in range(10)}
    }


def test_damaged_pins_and_running_sessions_are_set_aside_and_plan_works(root: Path) -> None:
    """Regression: a 5,000-digit pin and 100,000 '[' in the in-progress file gave tracebacks."""
    data = resolve_paths(root).data
    reps = b'{"pins": {"back": {"bridge": ' + b"9" * 5000 + b"}}}"
    (data / "reps.json").write_bytes(reps)
    (data / "history" / "history-in-progress.json").write_bytes(b"[" * 100_000)
    result = run(root, "plan", "back", "--json")
    assert result.returncode == 0, result.stderr
    assert "reps.json" in result.stderr
    assert "history-in-progress.json" in result.stderr
    (kept,) = data.glob("reps.json.unreadable-*")
    assert kept.read_bytes() == reps
    assert len(list((data / "history").glob("history-in-progress.json.unreadable-*"))) == 1
    assert json.loads(result.stdout)["exercises"]
