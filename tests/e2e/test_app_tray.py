"""The real app in the tray on a real desktop (Xvfb, trayer, dunst, a private D-Bus):
``backtimer --tray`` with a break already due, the notification, the break window, a
second launch handing over ``--break-now``, and what is on disk after SIGTERM."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from backtimer.core.history.recorder import HISTORY_FOLDER
from backtimer.core.history.records import BreakEventKind
from backtimer.core.history.store import HistoryStore
from backtimer.core.paths import resolve_paths
from backtimer.core.reminders.policy import SavedSchedule
from backtimer.core.reminders.store import ReminderStore, schedule_to_dict
from backtimer.core.settings import AudioSettings, ReminderSettings, Settings
from backtimer.core.store.settings_store import SettingsStore
from tests.e2e.desktop import Desktop, missing_tools
from tests.e2e.harness import DEFAULT_TIMEOUT_S, AppProcess, wait_until

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(bool(missing_tools()), reason=f"not installed: {missing_tools()}"),
]

#: Working time all week, all day (an end equal to the start is the whole day).
ALWAYS = ReminderSettings(working_days=(0, 1, 2, 3, 4, 5, 6), work_start=time(0), work_end=time(0))
#: A line of ``xwininfo -tree``: the window id, then its name and geometry.
TREE_LINE = re.compile(r"^\s*(0x[0-9a-f]+) .*?(\d+)x(\d+)\+-?\d+\+-?\d+", re.MULTILINE)


def seed(root: Path) -> None:
    """Settings (safety read, working all the time, silent) and a break due a minute ago."""
    paths = resolve_paths(root)
    paths.ensure()
    SettingsStore(paths.config / "settings.json").save(
        Settings(
            safety_acknowledged=True,
            reminders=ALWAYS,
            audio=AudioSettings(speech=False, beeps=False),
        )
    )
    due = datetime.now(UTC) - timedelta(minutes=1)
    schedule = SavedSchedule(due=due, since=due - timedelta(hours=1))
    ReminderStore.for_paths(paths).path.write_text(json.dumps(schedule_to_dict(schedule)))


def run(desktop: Desktop, *command: str) -> str:
    result = subprocess.run(
        list(command),
        env=desktop.env(),
        capture_output=True,
        text=True,
        timeout=DEFAULT_TIMEOUT_S,
        check=False,
    )
    return result.stdout


def windows_of(desktop: Desktop, pid: int, *, visible: bool = False) -> set[int]:
    """The X windows of process ``pid`` (by _NET_WM_PID)."""
    only = ["--onlyvisible"] if visible else []
    found = run(desktop, "xdotool", "search", *only, "--pid", str(pid))
    return {int(window) for window in found.split()}


def tray_icons(desktop: Desktop, pid: int) -> list[tuple[int, int]]:
    """The sizes of the windows of ``pid`` embedded in trayer's panel."""
    panels = run(desktop, "xdotool", "search", "--classname", "panel").split()
    ours = windows_of(desktop, pid)
    sizes = []
    for panel in panels:
        tree = run(desktop, "xwininfo", "-tree", "-id", panel)
        for window, width, height in TREE_LINE.findall(tree):
            if int(window, 16) in ours:
                sizes.append((int(width), int(height)))
    return sizes


def all_tray_icons(desktop: Desktop) -> int:
    """How many icons trayer's panel holds (an embedded window each)."""
    count = 0
    for panel in run(desktop, "xdotool", "search", "--classname", "panel").split():
        tree = run(desktop, "xwininfo", "-tree", "-id", panel)
        count += len(re.findall(r"^\s+0x[0-9a-f]+ \"[^\"]*\": \(", tree, re.MULTILINE))
    return count


def alive(app: AppProcess) -> bool:
    """True while the app runs; fails the test with its output when it has exited."""
    if app.process.poll() is not None:
        raise AssertionError(f"the app exited early:\n{app.log.read_text()}")
    return True


@pytest.fixture
def desktop(tmp_path: Path) -> Iterator[Desktop]:
    with Desktop(tmp_path / "desktop") as started:
        yield started


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "backtimer"


@pytest.fixture
def app(desktop: Desktop, root: Path) -> Iterator[AppProcess]:
    seed(root)
    started = AppProcess(desktop.display, root, "--tray", env=desktop.env())
    yield started
    started.close()


def breaks_written(history: Path, kind: BreakEventKind) -> int:
    """How many break events of ``kind`` the running app has written (read only: the app is
    the history's one writer)."""
    count = 0
    for shard in history.glob("history-[0-9]*.json"):
        try:
            data = json.loads(shard.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # being replaced: look again
        events = data.get("breaks", {}).values()
        count += sum(1 for event in events if event.get("kind") == kind.value)
    return count


def ours(desktop: Desktop) -> list[dict[str, Any]]:
    return [entry for entry in desktop.notifications() if entry["appname"] == "backtimer"]


def test_the_app_in_the_tray_reminds_and_opens_the_break(
    desktop: Desktop, root: Path, app: AppProcess
) -> None:
    seeded = ReminderStore(resolve_paths(root).data / "reminders.json").load()
    assert seeded is not None
    assert seeded.due is not None
    pid = app.process.pid

    # The tray icon gets a place in trayer's panel; no window opens (--tray).
    wait_until(lambda: alive(app) and bool(tray_icons(desktop, pid)), 20, "the tray icon")
    [(width, height)] = tray_icons(desktop, pid)
    assert width > 1
    assert height > 1
    assert windows_of(desktop, pid, visible=True) == windows_of(desktop, pid)  # just the icon
    assert all_tray_icons(desktop) == 1

    # The reminder that fell due while the app was closed reaches dunst.
    wait_until(
        lambda: alive(app) and desktop.dunstctl("count", "displayed").strip() == "1",
        20,
        "dunst to show the reminder",
    )
    desktop.dunstctl("action", "0")  # what a click on the notification does (Start break)
    wait_until(lambda: bool(ours(desktop)), 10, "the notification in dunst's history")
    [notification] = ours(desktop)
    assert notification["summary"] == "Time for a break"
    assert "Stand up and move" in notification["body"]

    # Start break opens the break window.
    def break_window() -> bool:
        alive(app)
        return bool(run(desktop, "xdotool", "search", "--onlyvisible", "--name", "Desk break"))

    wait_until(break_window, DEFAULT_TIMEOUT_S, "the break window")
    # Only the tray icon and the break window are mapped: the main window stays hidden.
    visible = windows_of(desktop, pid, visible=True)
    names = {run(desktop, "xdotool", "getwindowname", str(w)).strip() for w in visible}
    assert len(visible) == 2, names
    assert any(name.startswith("Desk break") for name in names), names
    # It carries the app's icon (the one of the desktop entry) for the window list.
    [break_id] = run(desktop, "xdotool", "search", "--onlyvisible", "--name", "Desk break").split()
    icon = run(desktop, "xprop", "-id", break_id, "_NET_WM_ICON")
    assert "_NET_WM_ICON(CARDINAL)" in icon, icon

    # A second launch hands --break-now over and exits; no second tray icon.
    second = subprocess.run(
        [sys.executable, "-m", "backtimer", "--data-dir", str(root), "--break-now"],
        env=desktop.env(),
        capture_output=True,
        text=True,
        timeout=DEFAULT_TIMEOUT_S,
        check=False,
    )
    assert second.returncode == 0, second.stderr
    assert "handed over" in second.stdout
    assert all_tray_icons(desktop) == 1
    assert len(tray_icons(desktop, pid)) == 1
    # The handover does not wait for an answer: wait for the running app to take the break.
    history = resolve_paths(root).data / HISTORY_FOLDER
    wait_until(
        lambda: alive(app) and breaks_written(history, BreakEventKind.TAKEN) == 2,
        DEFAULT_TIMEOUT_S,
        "the running app to take the break --break-now asked for",
    )

    # SIGTERM: the break events and the new schedule are on disk.
    started = datetime.now(UTC)
    assert app.close() == 128 + signal.SIGTERM, app.log.read_text()  # quit, not killed
    paths = resolve_paths(root)
    kinds = [event.kind for event in HistoryStore(history, recover=False).break_events()]
    assert kinds[0] is BreakEventKind.SHOWN
    assert kinds.count(BreakEventKind.SHOWN) == 1
    assert kinds.count(BreakEventKind.TAKEN) == 2  # the notification's, then --break-now's
    saved = ReminderStore(paths.data / "reminders.json").load()
    assert saved is not None
    assert saved.due is not None
    # Once shown, the next break is an interval on (the break under way stops the count).
    assert not saved.paused
    assert saved.due > seeded.due + timedelta(minutes=59)
    assert saved.due <= started + timedelta(minutes=ALWAYS.interval_minutes)
