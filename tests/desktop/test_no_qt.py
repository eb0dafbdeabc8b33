"""The desktop backends import no Qt: checked on the real import graph."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import backtimer.desktop


def test_importing_the_desktop_backends_loads_no_qt() -> None:
    modules = sorted(
        info.name
        for info in pkgutil.walk_packages(backtimer.desktop.__path__, prefix="backtimer.desktop.")
    )
    assert "backtimer.desktop.idle" in modules
    assert "backtimer.desktop.autostart" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"
