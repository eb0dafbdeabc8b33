"""Launch time: from starting the process to its main window being mapped, seen from outside.

    .venv/bin/python bench/startup.py [--runs 15]

Starts Xvfb, then launches ``python -m backtimer`` (a returning user: settings seeded so
the first-run safety screen does not show, full built-in library) over and over, polling
with xdotool until a visible window of that process exists. For contrast it does the same
for a bare PySide6 window, alternating the two so that both see the same load on a shared
machine. Prints median, min and max in milliseconds.

Both run as on a desktop:

* with a D-Bus session bus of their own (``dbus-daemon --session``, see
  ``tests/e2e/desktop.py``). Without one, Qt's accessibility bridge makes libdbus
  "autolaunch" a bus through ``dbus-launch`` at the first label, a process start that a
  desktop session never pays (about 10 ms here). ``--no-session-bus`` leaves it out.
* with a bytecode cache, as an installed app has (pip compiles the ``.pyc`` files when it
  installs a wheel): the launches get ``PYTHONPYCACHEPREFIX`` pointing into the scratch
  folder, which the first, unmeasured launch fills. ``--no-bytecode-cache`` keeps the
  caller's setting instead; with ``PYTHONDONTWRITEBYTECODE=1`` every launch then compiles
  the app's modules from source (some 40-70 ms more here).
"""

from __future__ import annotations

import argparse
import contextlib
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
from tests.e2e.desktop import Desktop  # noqa: E402
from tests.e2e.harness import VirtualDisplay  # noqa: E402

BARE = (
    "from PySide6.QtWidgets import QApplication, QMainWindow\n"
    "app = QApplication([])\nw = QMainWindow()\nw.resize(800, 600)\nw.show()\napp.exec()\n"
)


def time_to_window(command: list[str], env: dict[str, str]) -> float:
    """Milliseconds from Popen to a visible window of the process."""
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=errors)
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
                    errors.seek(0)
                    text = errors.read().decode(errors="replace")
                    raise RuntimeError(f"{command} exited with {process.returncode}: {text}")
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
    parser.add_argument(
        "--no-bytecode-cache",
        action="store_true",
        help="use the caller's bytecode settings (may compile every module on every launch)",
    )
    parser.add_argument(
        "--no-session-bus",
        action="store_true",
        help="no D-Bus session bus (libdbus then autolaunches one at every launch)",
    )
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        scratch = stack.enter_context(tempfile.TemporaryDirectory())
        if args.no_session_bus:
            env = stack.enter_context(VirtualDisplay("1280x800x24")).env()
        else:
            desktop = Desktop(Path(scratch) / "desktop", tray=False, notifications=False)
            env = stack.enter_context(desktop).env()
        data = Path(scratch) / "data"
        paths = resolve_paths(data)
        paths.ensure()
        SettingsStore(paths.config / "settings.json").save(Settings(safety_acknowledged=True))
        if not args.no_bytecode_cache:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(Path(scratch) / "pycache")
        app = [sys.executable, "-m", "backtimer", "--data-dir", str(data)]
        bare = [sys.executable, "-c", BARE]
        time_to_window(app, env)  # warm the file (and bytecode) cache once
        time_to_window(bare, env)
        app_times: list[float] = []
        bare_times: list[float] = []
        for _ in range(args.runs):
            app_times.append(time_to_window(app, env))
            bare_times.append(time_to_window(bare, env))
    conditions = [
        "no session bus" if args.no_session_bus else "session bus",
        "no bytecode cache" if args.no_bytecode_cache else "bytecode cache",
    ]
    print(", ".join(conditions))
    report("backtimer (full library)", app_times)
    report("bare PySide6 window", bare_times)
    print(f"target median <= 400 ms: {'met' if statistics.median(app_times) <= 400 else 'MISSED'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
