"""Run the real app as a user does: a subprocess on a virtual X display, driven by keys.

:class:`VirtualDisplay` starts Xvfb on a free display number (Xvfb picks it and reports
it through ``-displayfd``); :class:`AppProcess` launches ``python -m backtimer`` on it and
talks to its window with xdotool.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Protocol, Self

DEFAULT_TIMEOUT_S = 20.0


def wait_until(predicate: Callable[[], bool], timeout_s: float, what: str) -> None:
    """Poll ``predicate`` until it holds; fail with ``what`` after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout_s:g} s waiting for {what}")
        time.sleep(0.02)


class VirtualDisplay:
    """An Xvfb server on a display number of its own choosing."""

    def __init__(self, size: str = "1280x800x24") -> None:
        if shutil.which("Xvfb") is None:
            raise RuntimeError("Xvfb is not installed (scripts/setup --test installs it)")
        read_fd, write_fd = os.pipe()
        self.process = subprocess.Popen(
            # -noreset: by default the server resets when its last client leaves (the
            # readiness probe below), refusing whoever connects during the reset.
            [
                "Xvfb",
                "-displayfd",
                str(write_fd),
                "-screen",
                "0",
                size,
                "-nolisten",
                "tcp",
                "-noreset",
            ],
            pass_fds=(write_fd,),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(write_fd)
        with os.fdopen(read_fd) as reader:
            number = reader.readline().strip()
        if not number:
            self.process.kill()
            raise RuntimeError("Xvfb did not start")
        self.display = f":{number}"
        # Xvfb reports its number when it listens, but a client can still be refused for a
        # moment (seen when a display number was just freed); wait until one gets in.
        wait_until(self._accepts_clients, 10, f"Xvfb on {self.display} to accept clients")

    def _accepts_clients(self) -> bool:
        result = subprocess.run(
            ["xdotool", "getdisplaygeometry"],
            env=self.env(),
            capture_output=True,
            timeout=10,
            check=False,
        )
        return result.returncode == 0

    def env(self, base: Mapping[str, str] | None = None) -> dict[str, str]:
        """An environment whose programs use this display."""
        env = dict(os.environ if base is None else base)
        env.pop("QT_QPA_PLATFORM", None)
        env.pop("WAYLAND_DISPLAY", None)
        env["DISPLAY"] = self.display
        return env

    def close(self) -> None:
        """Stop the server."""
        self.process.terminate()
        self.process.wait(timeout=10)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AppProcess:
    """``python -m backtimer`` running on a virtual display."""

    def __init__(
        self,
        display: VirtualDisplay,
        data_dir: Path,
        *args: str,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.display = display
        self.env = {**display.env(), **(env or {})}
        self.log = data_dir / "app.log"
        data_dir.mkdir(parents=True, exist_ok=True)
        self._log_file = self.log.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "backtimer", "--data-dir", str(data_dir), *args],
            env=self.env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
        )
        self.window_id: str | None = None

    def xdotool(self, *args: str) -> str:
        """Run xdotool on the app's display and return what it printed."""
        result = subprocess.run(
            ["xdotool", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=DEFAULT_TIMEOUT_S,
            check=False,
        )
        return result.stdout.strip()

    def find_window(self, name: str, timeout_s: float = DEFAULT_TIMEOUT_S) -> str:
        """The id of the app's mapped window whose title matches ``name``."""

        def found() -> bool:
            if self.process.poll() is not None:
                raise RuntimeError(f"the app exited early:\n{self.log.read_text()}")
            ids = self.xdotool("search", "--onlyvisible", "--pid", str(self.process.pid))
            for window in ids.split():
                if name in self.xdotool("getwindowname", window):
                    self.window_id = window
                    return True
            return False

        wait_until(found, timeout_s, f"a window named {name!r}")
        assert self.window_id is not None
        return self.window_id

    def title(self) -> str:
        """The current title of the app's window."""
        assert self.window_id is not None
        return self.xdotool("getwindowname", self.window_id)

    def wait_for_title(self, text: str, timeout_s: float = DEFAULT_TIMEOUT_S) -> None:
        """Wait until the window title contains ``text``."""
        wait_until(lambda: text in self.title(), timeout_s, f"the title to show {text!r}")

    def key(self, *keys: str) -> None:
        """Type keys into the app's window, as a user at the keyboard would.

        There is no window manager on the virtual display, so the window is given the
        input focus directly; the keys then go through the X server like real ones.
        """
        assert self.window_id is not None
        self.xdotool("windowfocus", "--sync", self.window_id)
        self.xdotool("key", "--clearmodifiers", *keys)

    def close(self) -> int:
        """Make sure the app is gone: SIGTERM (which it handles by quitting), then SIGKILL."""
        if self.process.poll() is None:
            self.process.terminate()
        try:
            code = self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        self._log_file.close()
        return code


class Launch(Protocol):
    """The ``launch`` fixture: ``launch(*args)`` starts the app with those arguments."""

    def __call__(self, *args: str) -> AppProcess: ...
