"""The one-folder app: ./scripts/package builds it, and it runs without this checkout.

Slow: the build takes about a minute (docs/packaging.md has the numbers).
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

import backtimer
from backtimer.core.paths import resolve_paths
from backtimer.core.settings import Settings
from backtimer.core.store.settings_store import SettingsStore
from tests.e2e.harness import DEFAULT_TIMEOUT_S, VirtualDisplay, wait_until

# The first test waits for the module's build (BUILD_TIMEOUT_S) within its own time.
pytestmark = [pytest.mark.packaging, pytest.mark.slow, pytest.mark.timeout(1200)]

REPO = Path(__file__).resolve().parents[2]
BUILD_TIMEOUT_S = 900

QUICK = """\
schema_version = 1
id = "quick"
title = "Quick"
summary = "One short move."
category = "other"

[[exercises]]
id = "shoulder-rolls"
name = "Shoulder rolls"
steps = ["Roll the shoulders."]
kind = "timed"
duration = 2
source = "default"
"""


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled program, built with the README's command into a temporary folder."""
    root = tmp_path_factory.mktemp("bundle")
    result = subprocess.run(
        [
            str(REPO / "scripts" / "package"),
            "--distpath",
            str(root / "dist"),
            "--workpath",
            str(root / "build"),
        ],
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_S,
        check=False,
    )
    assert result.returncode == 0, f"scripts/package failed:\n{result.stdout}\n{result.stderr}"
    program = root / "dist" / "backtimer" / "backtimer"
    assert program.is_file()
    return program


@pytest.fixture
def outside(tmp_path: Path) -> dict[str, str]:
    """An environment that leads nowhere near this checkout or its virtual environment."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME"}
    }
    env["PATH"] = "/usr/bin:/bin"
    env["BACKTIMER_DATA_DIR"] = str(tmp_path / "data")
    return env


def _run(program: Path, *args: str, env: dict[str, str], cwd: Path) -> str:
    result = subprocess.run(
        [str(program), *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, f"{args}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def test_the_bundle_answers_in_the_terminal(
    bundle: Path, outside: dict[str, str], tmp_path: Path
) -> None:
    assert _run(bundle, "--version", env=outside, cwd=tmp_path).strip() == (
        f"backtimer {backtimer.__version__}"
    )
    routines = json.loads(_run(bundle, "routines", "--json", env=outside, cwd=tmp_path))
    assert len(routines["routines"]) == 10
    assert all(str(bundle.parent) in routine["path"] for routine in routines["routines"])


@pytest.fixture
def returning_user(tmp_path: Path) -> Path:
    """A data folder whose user has seen the safety screen and has a one-move routine."""
    data = tmp_path / "data"
    paths = resolve_paths(data)
    paths.ensure()
    SettingsStore(paths.config / "settings.json").save(
        Settings(safety_acknowledged=True, get_ready_seconds=0)
    )
    (paths.user_routines / "quick.toml").write_text(QUICK)
    return data


@pytest.mark.e2e
def test_the_bundle_speaks_through_its_own_worker(
    bundle: Path, outside: dict[str, str], returning_user: Path, tmp_path: Path
) -> None:
    """The bundle starts itself as the speech worker (there is no python to run)."""
    env = {**outside, "BACKTIMER_DATA_DIR": str(returning_user)}
    output = _run(bundle, "run", "quick", "--no-window", env=env, cwd=tmp_path)
    assert "Session complete" in output
    spoken = list((resolve_paths(returning_user).cache / "speech").rglob("*.wav"))
    assert spoken, f"no phrase was rendered to speech:\n{output}"


def _xdotool(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        ["xdotool", *args], env=env, capture_output=True, text=True, timeout=20, check=False
    )
    return result.stdout.strip()


@pytest.fixture
def display() -> Iterator[VirtualDisplay]:
    with VirtualDisplay() as server:
        yield server


@pytest.mark.e2e
def test_the_bundle_opens_its_window_and_runs_a_routine(
    bundle: Path,
    outside: dict[str, str],
    returning_user: Path,
    display: VirtualDisplay,
    tmp_path: Path,
) -> None:
    env = display.env(outside)
    env["BACKTIMER_DATA_DIR"] = str(returning_user)
    log_path = tmp_path / "app.log"
    with log_path.open("w") as log:
        app = subprocess.Popen(
            [str(bundle), "run", "quick"], env=env, cwd=tmp_path, stdout=log, stderr=log
        )
        try:

            def title() -> str:
                if app.poll() is not None:
                    raise RuntimeError(f"the bundle exited early:\n{log_path.read_text()}")
                ids = _xdotool(env, "search", "--onlyvisible", "--pid", str(app.pid)).split()
                return " ".join(_xdotool(env, "getwindowname", window) for window in ids)

            wait_until(lambda: "Quick · Running" in title(), DEFAULT_TIMEOUT_S, "the session")
            wait_until(lambda: "Quick · Finished" in title(), DEFAULT_TIMEOUT_S, "its end")
            app.terminate()
            assert app.wait(timeout=20) == 128 + 15
        finally:
            if app.poll() is None:
                app.kill()
                app.wait()
    assert "Traceback" not in log_path.read_text()
