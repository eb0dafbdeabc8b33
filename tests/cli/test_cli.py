"""The ``backtimer`` command, run as a user runs it: in a subprocess."""

from __future__ import annotations

import itertools
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from backtimer import __version__
from backtimer.core.paths import builtin_routines_dir

BUILTIN_IDS = {"warm-up", "desk-break", "stretch-and-strengthen"}

USER_ROUTINE = """\
schema_version = 1
id = "my-stretch"
title = "My stretch"
summary = "One stretch."
category = "stretch"

[[exercises]]
id = "knees-to-chest"
name = "Knees to chest"
steps = ["Lie on your back.", "Pull your knees in."]
kind = "hold_reps"
reps = 3
hold = 5
source = "default"
"""


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "backtimer", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr
    assert "Traceback" not in result.stdout


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"backtimer {__version__}"


def test_help_lists_the_commands() -> None:
    result = run("--help")
    assert result.returncode == 0
    for word in ("validate", "routines", "plan", "--data-dir", "--version"):
        assert word in result.stdout


def test_validate_accepts_the_builtin_routines() -> None:
    files = sorted(str(p) for p in builtin_routines_dir().glob("*.toml"))
    result = run("validate", *files)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.count(": ok") == len(files)


def test_validate_reports_every_problem_as_file_line_path_message(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(USER_ROUTINE.replace("hold = 5", "hold = 36000").replace("reps = 3", "reps = 0"))
    good = tmp_path / "good.toml"
    good.write_text(USER_ROUTINE)
    result = run("validate", str(good), str(bad))
    assert result.returncode == 1
    no_traceback(result)
    lines = result.stderr.splitlines()
    assert lines == [
        f"{bad}:12: exercises[0].reps: expected more than 0, found 0",
        f"{bad}:13: exercises[0].hold: expected at most 600 seconds, found 36000",
    ]
    assert f"{good}: ok" in result.stdout


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b'id = "x\n', ":1: (toml): "),
        (b"", ": (file): file is empty"),
        (b'schema_version = 1\ntitle = "\xff"\n', ":2: (file): expected UTF-8 text"),
        (b"# padding\n" * 200_000, ": (file): expected a routine file under 1 MiB"),
    ],
    ids=["malformed", "empty", "not-utf8", "several-mb"],
)
def test_validate_bad_files_exit_1_with_a_clear_message(
    tmp_path: Path, content: bytes, expected: str
) -> None:
    path = tmp_path / "routine.toml"
    path.write_bytes(content)
    result = run("validate", str(path))
    assert result.returncode == 1
    no_traceback(result)
    assert result.stderr.startswith(str(path))
    assert expected in result.stderr


def test_validate_a_directory(tmp_path: Path) -> None:
    result = run("validate", str(tmp_path))
    assert result.returncode == 1
    no_traceback(result)
    assert (
        result.stderr.strip() == f"{tmp_path}: (file): expected a routine file, found a directory"
    )


def test_routines_json_lists_builtin_and_user_routines(tmp_path: Path) -> None:
    data_dir = tmp_path / "data-dir"
    user_routines = data_dir / "data" / "routines"
    user_routines.mkdir(parents=True)
    (user_routines / "mine.toml").write_text(USER_ROUTINE)
    (user_routines / "broken.toml").write_text("schema_version = 1\nid = 3\n")
    result = run("--data-dir", str(data_dir), "routines", "--json")
    assert result.returncode == 0
    no_traceback(result)
    listing = json.loads(result.stdout)["routines"]
    by_id = {r["id"]: r for r in listing}
    assert set(by_id) >= BUILTIN_IDS
    assert by_id["my-stretch"]["origin"] == "user"
    assert by_id["warm-up"]["origin"] == "builtin"
    mine = by_id["my-stretch"]["exercises"][0]
    assert (mine["reps"], mine["hold"], mine["planned_reps"]) == (
        {"min": 3, "max": 3},
        {"min": 5, "max": 5},
        3,
    )
    for routine in listing:
        assert routine["total_ms"] > 0
        assert all(exercise["source"] for exercise in routine["exercises"])
    assert "broken.toml" in result.stderr
    assert "warning: skipped a routine" in result.stderr


def test_routines_text_lists_every_exercise() -> None:
    result = run("routines")
    assert result.returncode == 0
    assert "Warm-up [warm-up]" in result.stdout
    assert "Lying hamstring stretch: 2–3 reps, hold 20–30 s, sides: each" in result.stdout


def test_data_dir_from_the_environment(tmp_path: Path) -> None:
    user_routines = tmp_path / "env-dir" / "data" / "routines"
    user_routines.mkdir(parents=True)
    (user_routines / "mine.toml").write_text(USER_ROUTINE)
    env = {**os.environ, "BACKTIMER_DATA_DIR": str(tmp_path / "env-dir")}
    result = run("routines", "--json", env=env)
    ids = {r["id"] for r in json.loads(result.stdout)["routines"]}
    assert "my-stretch" in ids


def test_plan_json_adds_up() -> None:
    result = run("plan", "stretch-and-strengthen", "--json")
    assert result.returncode == 0, result.stderr
    plan = json.loads(result.stdout)
    steps = plan["steps"]
    assert plan["total_ms"] == sum(step["duration_ms"] for step in steps)
    assert steps[0]["kind"] == "get_ready"
    assert steps[-1]["kind"] == "done"
    for before, after in itertools.pairwise(steps):
        assert after["start_ms"] == before["start_ms"] + before["duration_ms"]


def test_plan_of_a_file_with_get_ready(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(USER_ROUTINE)
    result = run("plan", str(path), "--get-ready", "20")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("My stretch [my-stretch]:")
    first = json.loads(run("plan", str(path), "--json", "--get-ready", "20").stdout)["steps"][0]
    assert first["duration_ms"] == 20_000


def test_plan_of_an_unknown_routine() -> None:
    result = run("plan", "no-such-routine")
    assert result.returncode == 1
    no_traceback(result)
    assert "no routine with id 'no-such-routine'" in result.stderr
    assert "warm-up" in result.stderr


def test_plan_of_an_invalid_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(USER_ROUTINE.replace('kind = "hold_reps"', 'kind = "hold"'))
    result = run("plan", str(path))
    assert result.returncode == 1
    no_traceback(result)
    assert f"{path}:11: exercises[0].kind: expected one of" in result.stderr


def test_launch_without_a_display_explains_how_to_run(tmp_path: Path) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    result = run("--data-dir", str(tmp_path), env=env)
    assert result.returncode == 2
    no_traceback(result)
    assert "no graphical display found" in result.stderr
    assert "xvfb-run -a backtimer" in result.stderr


def test_schema_command_prints_the_committed_schema() -> None:
    result = run("schema")
    assert result.returncode == 0
    assert result.stdout == (builtin_routines_dir() / "schema.json").read_text()


def test_console_script_is_installed() -> None:
    script = shutil.which("backtimer", path=str(Path(sys.executable).parent))
    assert script is not None
    result = subprocess.run([script, "--version"], capture_output=True, text=True, check=False)
    assert result.stdout.strip() == f"backtimer {__version__}"


def special_files_folder(tmp_path: Path) -> Path:
    """A data dir whose routines folder holds a good routine, a FIFO and a link to
    /dev/zero, all named *.toml."""
    data_dir = tmp_path / "data-dir"
    user_routines = data_dir / "data" / "routines"
    user_routines.mkdir(parents=True)
    (user_routines / "mine.toml").write_text(USER_ROUTINE)
    os.mkfifo(user_routines / "pipe.toml")
    (user_routines / "zero.toml").symlink_to("/dev/zero")
    return data_dir


#: Runs ``python -m backtimer ARGS`` with at most 1 GiB of memory.
BOUNDED_MAIN = """
import resource, runpy, sys
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
sys.argv = ["backtimer", *sys.argv[1:]]
runpy.run_module("backtimer", run_name="__main__", alter_sys=True)
"""


def bounded(*args: str) -> subprocess.CompletedProcess[str]:
    """Run backtimer with a short timeout and 1 GiB of memory: a hang or an endless read
    fails the test instead of stalling it."""
    return subprocess.run(
        [sys.executable, "-c", BOUNDED_MAIN, *args],
        capture_output=True,
        text=True,
        timeout=20,
        check=False,
    )


@pytest.mark.parametrize(
    "command",
    [["routines"], ["routines", "--json"], ["plan", "my-stretch"], ["plan", "warm-up"]],
    ids=" ".join,
)
def test_special_files_in_the_routines_folder_neither_hang_nor_hide_the_others(
    tmp_path: Path, command: list[str]
) -> None:
    data_dir = special_files_folder(tmp_path)
    result = bounded("--data-dir", str(data_dir), *command)
    no_traceback(result)
    assert result.returncode == 0, result.stderr
    if command[0] == "plan":  # the plan of the routine asked for; the others are not listed
        assert f"[{command[1]}]" in result.stdout.splitlines()[0]
        return
    folder = data_dir / "data" / "routines"
    assert (
        f"{folder / 'pipe.toml'}: (file): expected a regular file, found a named pipe (FIFO)"
        in result.stderr
    )
    assert (
        f"{folder / 'zero.toml'}: (file): expected a regular file, found a character device"
        in result.stderr
    )
    assert "my-stretch" in result.stdout
    assert "warm-up" in result.stdout


def test_validate_refuses_special_files_without_waiting(tmp_path: Path) -> None:
    folder = special_files_folder(tmp_path) / "data" / "routines"
    result = bounded("validate", str(folder / "pipe.toml"), str(folder / "zero.toml"))
    no_traceback(result)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{folder / 'pipe.toml'}: (file): expected a regular file, found a named pipe (FIFO)",
        f"{folder / 'zero.toml'}: (file): expected a regular file, found a character device",
    ]


@pytest.mark.parametrize("seconds", ["nan", "inf", "-inf", "-1", "1e308", "300.5"])
@pytest.mark.parametrize(
    "command",
    [["plan"], ["run", "--no-window", "--no-speech", "--no-beeps"], ["run"]],
    ids=["plan", "run-in-the-terminal", "run-in-the-window"],
)
def test_get_ready_out_of_range_is_refused_alike_by_plan_and_run(
    tmp_path: Path, command: list[str], seconds: str
) -> None:
    # No display: if the window's run did not refuse first, it would say there is none.
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["QT_QPA_PLATFORM"] = ""
    data_dir = str(tmp_path / "data-dir")
    result = run(
        "--data-dir",
        data_dir,
        command[0],
        "warm-up",
        *command[1:],
        f"--get-ready={seconds}",  # (= so that "-inf" is not taken for an option)
        env=env,
    )
    no_traceback(result)
    assert result.returncode == 2
    shown = f"{float(seconds):g}"
    assert result.stderr == (
        f"backtimer {command[0]}: --get-ready: expected 0 to 300 seconds, found {shown}\n"
    )
