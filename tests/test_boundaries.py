"""The core imports no Qt, speech engine or audio library: checked on the real import graph."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import backtimer.core

FORBIDDEN = ("PySide6", "shiboken6", "pyttsx3", "simpleaudio")


def core_modules() -> list[str]:
    return sorted(
        info.name
        for info in pkgutil.walk_packages(backtimer.core.__path__, prefix="backtimer.core.")
    )


def test_core_has_modules() -> None:
    assert "backtimer.core.scheduler" in core_modules()
    assert "backtimer.core.plan.compiler" in core_modules()


def test_importing_the_core_loads_no_gui_or_audio_library() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {core_modules()!r}:\n"
        "    importlib.import_module(name)\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_the_cli_loads_no_gui_for_terminal_commands() -> None:
    code = (
        "import sys\n"
        "from backtimer.main import main\n"
        "main(['routines'])\n"
        "print('LOADED', sorted(m for m in sys.modules if m.split('.')[0] == 'PySide6'))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "LOADED []"
