"""The tray icon and the break notification on a real desktop: Xvfb, trayer, dunst, D-Bus.

The Qt side runs in a child process (this one's Qt is offscreen), reporting what happens as
lines of JSON on its stdout.
"""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.desktop import Desktop, missing_tools
from tests.e2e.harness import DEFAULT_TIMEOUT_S, wait_until

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(bool(missing_tools()), reason=f"not installed: {missing_tools()}"),
]

#: The child: shows the tray icon or the notification and reports as JSON lines.
PROBE = r"""
import json, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

def report(**event):
    print(json.dumps(event), flush=True)

app = QApplication(sys.argv[:1])
app.setDesktopFileName("backtimer")
mode = sys.argv[1]
if mode == "tray":
    from backtimer.qt.breaks.tray_icon import TrayIcon, tray_available
    tray = TrayIcon()
    tray.set_status(0.6, 36)
    tray.set_routines([("desk-break", "Desk break")])
    tray.show()
    def check():
        rect = tray.geometry()
        if tray_available() and not rect.isEmpty():
            geometry = [rect.x(), rect.y(), rect.width(), rect.height()]
            report(event="tray", geometry=geometry, tooltip=tray.tooltip())
            app.quit()
    timer = QTimer(interval=50, timeout=check)
    timer.start()
elif mode == "notify":
    from backtimer.core.paths import builtin_routines_dir, assets_dir
    from backtimer.core.routine.loader import parse_routine
    from backtimer.core.figure.figures import load_figures
    from backtimer.core.settings import Settings
    from backtimer.qt.breaks.break_window import BreakWindow
    from backtimer.qt.breaks.notifications import DBusNotifier
    notifier = DBusNotifier.open()
    if notifier is None:
        report(event="no-notifier")
        sys.exit(1)
    report(event="opened", capabilities=notifier.capabilities)
    windows = []
    def start_break():
        report(event="answer", answer="start")
        routine = parse_routine((builtin_routines_dir() / "desk-break.toml").read_text())
        window = BreakWindow(load_figures(assets_dir() / "poses"), Settings(), lambda s: None)
        windows.append(window)
        window.start(routine)
        report(event="break-window", title=window.windowTitle())
    notifier.start_requested.connect(start_break)
    notifier.snooze_requested.connect(lambda: report(event="answer", answer="snooze"))
    notifier.skip_requested.connect(lambda: report(event="answer", answer="skip"))
    notifier.dismissed.connect(lambda: report(event="answer", answer="dismissed"))
    def show():
        notifier.show_reminder("Time for a break", "Two minutes for your back.")
        report(event="shown", id=notifier.notification_id)
    QTimer.singleShot(0, show)
app.exec()
"""


class Probe:
    """The child process and the events it reports."""

    def __init__(self, desktop: Desktop, mode: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", PROBE, mode],
            env=desktop.env(),
            cwd=Path(__file__).resolve().parents[2],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.events: queue.Queue[dict[str, Any]] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if line.strip():
                self.events.put(json.loads(line))

    def expect(self, event: str, timeout_s: float = DEFAULT_TIMEOUT_S) -> dict[str, Any]:
        """The next event, which must be ``event``."""
        try:
            got = self.events.get(timeout=timeout_s)
        except queue.Empty:
            self.close()
            raise AssertionError(f"no {event!r} from the child: {self.stderr()}") from None
        assert got["event"] == event, (got, self.stderr())
        return got

    def stderr(self) -> str:
        if self.process.poll() is None:
            return "(still running)"
        assert self.process.stderr is not None
        return self.process.stderr.read()

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._reader.join(timeout=10)
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()


@pytest.fixture
def desktop(tmp_path: Path) -> Iterator[Desktop]:
    with Desktop(tmp_path / "desktop") as started:
        yield started


@pytest.fixture
def probe(desktop: Desktop) -> Iterator[Callable[[str], Probe]]:
    started: list[Probe] = []

    class Started(Probe):
        def __init__(self, mode: str) -> None:
            super().__init__(desktop, mode)
            started.append(self)

    yield Started
    for child in started:
        child.close()


def test_the_tray_icon_gets_a_place_in_the_tray(probe: Callable[[str], Probe]) -> None:
    tray = probe("tray").expect("tray")
    _x, y, width, height = tray["geometry"]
    assert width > 0
    assert height > 0
    assert 0 <= y < 40  # trayer's panel is at the top of the screen
    assert tray["tooltip"] == "Next break in 36 min"


def test_the_notification_reaches_dunst_and_its_action_opens_the_break(
    desktop: Desktop, probe: Callable[[str], Probe]
) -> None:
    child = probe("notify")
    assert "actions" in child.expect("opened")["capabilities"]
    shown = child.expect("shown")
    assert shown["id"] > 0
    wait_until(
        lambda: desktop.dunstctl("count", "displayed").strip() == "1", 10, "dunst to show it"
    )
    desktop.dunstctl("action", "0")  # what a click on the notification does
    assert child.expect("answer")["answer"] == "start"
    assert child.expect("break-window")["title"].startswith("Desk break")
    wait_until(
        lambda: bool(
            subprocess.run(
                ["xdotool", "search", "--onlyvisible", "--name", "Desk break"],
                env=desktop.env(),
                capture_output=True,
                timeout=10,
                check=False,
            ).stdout.strip()
        ),
        DEFAULT_TIMEOUT_S,
        "the break window to show",
    )

    def ours() -> list[dict[str, Any]]:
        return [entry for entry in desktop.notifications() if entry["appname"] == "backtimer"]

    wait_until(lambda: bool(ours()), 10, "the notification in dunst's history")
    history = ours()
    assert [entry["summary"] for entry in history] == ["Time for a break"]
    assert history[0]["body"] == "Two minutes for your back."
    assert history[0]["id"] == shown["id"]


@pytest.mark.parametrize("action", ["snooze", "skip"])
def test_snooze_and_skip_come_back_from_the_bus(
    desktop: Desktop, probe: Callable[[str], Probe], action: str
) -> None:
    child = probe("notify")
    child.expect("opened")
    shown = child.expect("shown")
    wait_until(
        lambda: desktop.dunstctl("count", "displayed").strip() == "1", 10, "dunst to show it"
    )
    # dunstctl only invokes the default action; the others arrive as the server sends them.
    subprocess.run(
        [
            "dbus-send",
            "--session",
            "--type=signal",
            "/org/freedesktop/Notifications",
            "org.freedesktop.Notifications.ActionInvoked",
            f"uint32:{shown['id']}",
            f"string:{action}",
        ],
        env=desktop.env(),
        check=True,
        timeout=10,
    )
    assert child.expect("answer")["answer"] == action


def test_closing_the_notification_is_a_dismissal(
    desktop: Desktop, probe: Callable[[str], Probe]
) -> None:
    child = probe("notify")
    child.expect("opened")
    child.expect("shown")
    wait_until(
        lambda: desktop.dunstctl("count", "displayed").strip() == "1", 10, "dunst to show it"
    )
    desktop.dunstctl("close")
    assert child.expect("answer")["answer"] == "dismissed"
