"""Launch time: from starting the process to its main window being mapped, seen from outside.

    .venv/bin/python bench/startup.py [--runs 15]

Starts Xvfb, then launches ``python -m backtimer`` (a returning user: settings seeded so
the first-run safety screen does not show, full built-in library) over and over, polling
with xdotool until a visible window of that process exists. For contrast it does the same
for a bare PySide6 window. Prints median, min and max in milliseconds.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from backtimer.core.paths import resolve_paths  # noqa: E402
from backtimer.core.settings import Settings  # noqa: E402
from backtimer.core.store.settings_store import SettingsStore  # noqa: E402
from tests.e2e.harness import VirtualDisplay  # noqa: E402

BARE = (
    "from PySide6.QtWidgets import QApplication, QMainWindow\n"
    "app = QApplication([])\nw = QMainWindow()\nw.resize(800, 600)\nw.show()\napp.exec()\n"
)


def time_to_window(command: list[str], env: dict[str, str]) -> float:
    """Milliseconds from Popen to a visible window of the process."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        while True:
            found = subprocess.run(
                ["xdotool", "search", "--onlyvisible", "--pid", str(process.pid)],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            ).stdout.strip()
            if found:
                return (time.perf_counter() - started) * 1000
            if process.poll() is not None:
                errors = process.stderr.read() if process.stderr else ""
                raise RuntimeError(f"{command} exited with {process.returncode}: {errors}")
    finally:
        process.terminate()
        process.wait(timeout=10)


def report(name: str, values: list[float]) -> None:
    print(
        f"{name:<28} median {statistics.median(values):6.0f} ms   "
        f"min {min(values):6.0f}   max {max(values):6.0f}   (n={len(values)})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch, VirtualDisplay("1280x800x24") as display:
        data = Path(scratch) / "data"
        paths = resolve_paths(data)
        paths.ensure()
        SettingsStore(paths.config / "settings.json").save(Settings(safety_acknowledged=True))
        env = display.env()
        app = [sys.executable, "-m", "backtimer", "--data-dir", str(data)]
        bare = [sys.executable, "-c", BARE]
        time_to_window(app, env)  # warm the file cache once
        app_times = [time_to_window(app, env) for _ in range(args.runs)]
        bare_times = [time_to_window(bare, env) for _ in range(args.runs)]
    report("backtimer (full library)", app_times)
    report("bare PySide6 window", bare_times)
    print(f"target median <= 400 ms: {'met' if statistics.median(app_times) <= 400 else 'MISSED'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
