"""GNOME's idle monitor through a real D-Bus session bus, with a stand-in for Mutter."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from backtimer.core.reminders.idle import IdleUnavailableError
from backtimer.qt.breaks.idle_gnome import MutterIdleDetector

REPO = Path(__file__).resolve().parents[2]

#: Answers GetIdletime on the session bus as Mutter does (uint64 milliseconds).
FAKE_MUTTER = """
from PySide6.QtCore import ClassInfo, QCoreApplication, QObject, Slot
from PySide6.QtDBus import QDBusConnection

@ClassInfo({"D-Bus Interface": "org.gnome.Mutter.IdleMonitor"})
class Monitor(QObject):
    @Slot(result="qulonglong")
    def GetIdletime(self):
        return 312_500

app = QCoreApplication([])
bus = QDBusConnection.sessionBus()
monitor = Monitor()
bus.registerObject(
    "/org/gnome/Mutter/IdleMonitor/Core", monitor, QDBusConnection.RegisterOption.ExportAllSlots
)
print("READY" if bus.registerService("org.gnome.Mutter.IdleMonitor") else "FAILED", flush=True)
app.exec()
"""

CLIENT = """
import os, subprocess, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.pop("DISPLAY", None)
os.environ.pop("WAYLAND_DISPLAY", None)
from PySide6.QtCore import QCoreApplication
from backtimer.core.reminders.idle import IdleUnavailableError
from backtimer.qt.breaks.idle_gnome import MutterIdleDetector, choose_idle_detector

app = QCoreApplication([])
try:
    MutterIdleDetector.open()
except IdleUnavailableError as error:
    print("BEFORE:", error, flush=True)
mutter = subprocess.Popen([sys.executable, "-c", sys.argv[1]], stdout=subprocess.PIPE, text=True)
try:
    print("SERVICE:", mutter.stdout.readline().strip(), flush=True)
    print("IDLE:", MutterIdleDetector.open().idle_seconds(), flush=True)
    print("CHOICE:", choose_idle_detector().message, flush=True)
finally:
    mutter.terminate()
    mutter.wait(10)
"""


@pytest.mark.skipif(shutil.which("dbus-run-session") is None, reason="needs dbus-run-session")
def test_idle_time_from_mutter_over_the_session_bus() -> None:
    result = subprocess.run(
        ["dbus-run-session", "--", sys.executable, "-c", CLIENT, FAKE_MUTTER],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    lines = result.stdout.splitlines()
    assert "BEFORE: org.gnome.Mutter.IdleMonitor is not on the session bus (not GNOME)" in lines, (
        result.stdout + result.stderr
    )
    assert "SERVICE: READY" in lines, result.stdout + result.stderr
    assert "IDLE: 312.5" in lines, result.stdout + result.stderr
    assert "CHOICE: natural breaks on: idle time from GNOME Mutter's idle monitor" in lines


def test_without_a_session_bus_it_is_unavailable_and_starts_none() -> None:
    with pytest.raises(IdleUnavailableError, match="no D-Bus session bus"):
        MutterIdleDetector.open(environ={})
