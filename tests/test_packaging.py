"""The wheel: it carries the routines and assets, and installs into a fresh environment.

backtimer.core.paths finds the shipped folders through importlib.resources: inside the
package for an installed wheel, the checkout's top-level folders for an editable install.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import backtimer
from backtimer.core.paths import _shipped_folder

REPO = Path(__file__).resolve().parents[1]
SHIPPED = ("routines", "assets")
BUILTIN_ROUTINES = 10


@pytest.fixture
def make_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[str, str], Path]]:
    """``make_package(folder, name)``: an empty importable package ``folder/name``."""
    made: list[str] = []

    def make(folder: str, name: str) -> Path:
        package = tmp_path / folder / name
        package.mkdir(parents=True)
        (package / "__init__.py").write_text("")
        monkeypatch.syspath_prepend(str(tmp_path / folder))
        made.append(name)
        return package

    yield make
    for name in made:
        sys.modules.pop(name, None)


def test_an_installed_package_reads_its_own_copy(
    make_package: Callable[[str, str], Path],
) -> None:
    package = make_package("site-packages", "shipped_installed")
    (package / "_data" / "routines").mkdir(parents=True)
    found = _shipped_folder("routines", package="shipped_installed")
    assert found == package / "_data" / "routines"


def test_a_checkout_reads_its_top_level_folder(
    make_package: Callable[[str, str], Path],
) -> None:
    package = make_package("checkout", "shipped_checkout")
    (package.parent / "assets").mkdir()
    assert _shipped_folder("assets", package="shipped_checkout") == package.parent / "assets"


def test_a_missing_folder_is_named(make_package: Callable[[str, str], Path]) -> None:
    make_package("bare", "shipped_bare")
    with pytest.raises(FileNotFoundError, match=r"routines folder is missing.*reinstall"):
        _shipped_folder("routines", package="shipped_bare")


def _shipped_files() -> set[str]:
    """Every file of routines/ and assets/, as the wheel should hold it."""
    files = set()
    for folder in SHIPPED:
        for path in (REPO / folder).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                files.add(f"backtimer/_data/{path.relative_to(REPO).as_posix()}")
    return files


def _run(*command: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, f"{command} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.mark.packaging
@pytest.mark.slow
@pytest.mark.timeout(1200)  # two pip runs of up to 600 s each
def test_the_wheel_installs_into_a_fresh_environment_and_runs(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    _run(sys.executable, "-m", "pip", "wheel", REPO, "--no-deps", "-w", wheels, cwd=tmp_path)
    (wheel,) = wheels.glob("backtimer-*.whl")

    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert _shipped_files() <= names, sorted(_shipped_files() - names)
    assert "backtimer/_data/assets/icons/hicolor/scalable/apps/backtimer.svg" in names
    assert "backtimer/cli/commands.py" in names

    target = tmp_path / "env"
    venv.create(target, with_pip=True)
    python = target / "bin" / "python"
    _run(python, "-m", "pip", "install", "--quiet", wheel, cwd=tmp_path)

    # Nothing may lead the installed app back to this checkout.
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    env["BACKTIMER_DATA_DIR"] = str(tmp_path / "data")
    command = target / "bin" / "backtimer"
    assert _run(command, "--version", cwd=tmp_path, env=env).strip() == (
        f"backtimer {backtimer.__version__}"
    )
    listing = json.loads(_run(command, "routines", "--json", cwd=tmp_path, env=env))
    routines = listing["routines"]
    assert len(routines) == BUILTIN_ROUTINES
    site = _run(python, "-c", "import backtimer; print(backtimer.__file__)", cwd=tmp_path, env=env)
    shipped = Path(site.strip()).parent / "_data" / "routines"
    assert {Path(routine["path"]).parent for routine in routines} == {shipped}
