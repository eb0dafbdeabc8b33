"""A small real desktop for end-to-end tests: Xvfb, a private session bus, a tray, dunst.

:class:`Desktop` starts, on a :class:`~tests.e2e.harness.VirtualDisplay`:

* a D-Bus session bus of its own (``dbus-daemon --session``), so nothing reaches the
  user's desktop;
* ``trayer`` as the system tray host (it owns the X tray selection);
* ``dunst`` as the notification service, with a minimal config written to a temporary
  folder (notifications never time out, so a test can look at them).

:meth:`Desktop.env` is the environment a program started on it needs;
:meth:`Desktop.notifications` reads ``dunstctl history``. Everything started is stopped by
:meth:`Desktop.close` (by process id).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Self

from tests.e2e.harness import VirtualDisplay, wait_until

#: Tools the desktop needs (scripts/setup --test installs them).
TOOLS = ("Xvfb", "xdotool", "dbus-daemon", "trayer", "dunst", "dunstctl")

DUNSTRC = """\
[global]
    monitor = 0
    follow = none
    width = 360
    font = DejaVu Sans 10
[urgency_low]
    timeout = 0
[urgency_normal]
    timeout = 0
[urgency_critical]
    timeout = 0
"""


def missing_tools() -> list[str]:
    """The tools of :data:`TOOLS` that are not installed."""
    return [tool for tool in TOOLS if shutil.which(tool) is None]


class Desktop:
    """Xvfb, a private session bus, ``trayer`` and ``dunst``."""

    def __init__(self, folder: Path, tray: bool = True, notifications: bool = True) -> None:
        missing = missing_tools()
        if missing:
            raise RuntimeError(f"not installed: {', '.join(missing)} (scripts/setup --test)")
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self._processes: list[subprocess.Popen[bytes]] = []
        self._bus_pid: int | None = None
        self.display = VirtualDisplay()
        try:
            self.bus_address = self._start_bus()
            if tray:
                self._start_tray()
            if notifications:
                self._start_dunst()
        except BaseException:
            self.close()
            raise

    def env(self, base: Mapping[str, str] | None = None) -> dict[str, str]:
        """An environment for programs on this desktop: its display and its session bus."""
        env = self.display.env(base)
        env["DBUS_SESSION_BUS_ADDRESS"] = self.bus_address
        for name in ("XDG_CURRENT_DESKTOP", "DESKTOP_SESSION", "GNOME_DESKTOP_SESSION_ID"):
            env.pop(name, None)
        return env

    def _log(self, name: str) -> Any:
        return (self.folder / f"{name}.log").open("wb")

    def _spawn(self, name: str, *command: str) -> subprocess.Popen[bytes]:
        with self._log(name) as log:
            process = subprocess.Popen(
                command, env=self.env(), stdout=log, stderr=subprocess.STDOUT
            )
        self._processes.append(process)
        return process

    def _start_bus(self) -> str:
        result = subprocess.run(
            ["dbus-daemon", "--session", "--fork", "--print-address=1", "--print-pid=1"],
            env=self.display.env(),
            capture_output=True,
            text=True,
            timeout=20,
            check=True,
        )
        address, pid = result.stdout.split()[:2]
        self._bus_pid = int(pid)
        return address

    def _start_tray(self) -> None:
        process = self._spawn(
            "trayer",
            "trayer",
            "--edge", "top",
            "--align", "right",
            "--widthtype", "pixel",
            "--width", "160",
            "--heighttype", "pixel",
            "--height", "28",
            "--SetDockType", "true",
            "--transparent", "false",
            "--tint", "0x303030",
        )  # fmt: skip

        def mapped() -> bool:
            if process.poll() is not None:
                raise RuntimeError(f"trayer exited: {self.log('trayer')}")
            found = subprocess.run(
                ["xdotool", "search", "--onlyvisible", "--pid", str(process.pid)],
                env=self.env(),
                capture_output=True,
                timeout=10,
                check=False,
            )
            return bool(found.stdout.strip())

        wait_until(mapped, 20, "trayer to show its panel")

    def _start_dunst(self) -> None:
        config = self.folder / "dunstrc"
        config.write_text(DUNSTRC, encoding="utf-8")
        process = self._spawn("dunst", "dunst", "-config", str(config))

        def serving() -> bool:
            if process.poll() is not None:
                raise RuntimeError(f"dunst exited: {self.log('dunst')}")
            return self.dunstctl("is-paused", check=False).strip() in ("true", "false")

        wait_until(serving, 20, "dunst to serve notifications")

    def log(self, name: str) -> str:
        """What a started program printed."""
        path = self.folder / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def dunstctl(self, *args: str, check: bool = True) -> str:
        """Run ``dunstctl`` against this desktop's dunst; its output."""
        result = subprocess.run(
            ["dunstctl", *args],
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=20,
            check=check,
        )
        return result.stdout

    def notifications(self) -> list[dict[str, Any]]:
        """Every notification dunst has shown or holds, newest first, as plain dicts
        (``{"summary": ..., "body": ..., "appname": ..., "id": ...}``)."""
        shown = self.dunstctl("history")
        entries = json.loads(shown)["data"][0] if shown.strip() else []
        return [{key: field["data"] for key, field in entry.items()} for entry in entries]

    def close(self) -> None:
        """Stop everything this desktop started."""
        for process in reversed(self._processes):
            if process.poll() is None:
                process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._processes.clear()
        if self._bus_pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._bus_pid, signal.SIGTERM)
            self._bus_pid = None
        self.display.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
