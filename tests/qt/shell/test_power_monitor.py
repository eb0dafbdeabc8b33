"""Sleep and lock signals through a real D-Bus session bus (dbus-run-session)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

CHILD = """
import os
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtDBus import QDBusConnection, QDBusMessage
from backtimer.qt.shell.power_monitor import PowerMonitor

app = QCoreApplication([])
monitor = PowerMonitor()
print("listening:", monitor.listening, flush=True)
monitor.screen_locked.connect(lambda: (print("LOCKED", flush=True), app.quit()))
QTimer.singleShot(10_000, lambda: (print("TIMEOUT", flush=True), app.quit()))
signal = QDBusMessage.createSignal(
    "/org/gnome/ScreenSaver", "org.gnome.ScreenSaver", "ActiveChanged"
)
signal.setArguments([True])
QDBusConnection.sessionBus().send(signal)
app.exec()
"""


@pytest.mark.skipif(shutil.which("dbus-run-session") is None, reason="needs dbus-run-session")
def test_a_screensaver_activation_on_the_session_bus_reads_as_locked() -> None:
    result = subprocess.run(
        ["dbus-run-session", "--", sys.executable, "-c", CHILD],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "org.gnome.ScreenSaver ActiveChanged" in result.stdout, result.stderr
    assert "LOCKED" in result.stdout, result.stdout + result.stderr
