"""The real app on a machine with no sound device says so in the window (issue 14, item 4).

The app runs under Xvfb with ALSA's own configuration only (no test ``.asoundrc``), so the
default device does not open. Reading a widget's text from outside the process is not
possible with the tools here (xdotool reads window titles only), so this test checks the
line the banner logs when it is shown, on the app's stderr, with the session running;
the banner's text and visibility are checked in process by
``tests/qt/session/test_sound_banner.py``.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from backtimer.audio.status import SoundIssue
from tests.e2e.harness import AppProcess, VirtualDisplay, wait_until
from tests.e2e.test_app import returning_user

pytestmark = pytest.mark.e2e

__all__ = ["returning_user"]  # the fixture, used here too

#: ALSA's system configuration: only the system's devices, whatever a test set up.
ALSA_SYSTEM_CONFIG = Path("/usr/share/alsa/alsa.conf")


def _has_sound_card() -> bool:
    listed = subprocess.run(["aplay", "-l"], capture_output=True, text=True, check=False)
    return "card " in listed.stdout


def test_no_sound_device_shows_the_banner(display: VirtualDisplay, returning_user: Path) -> None:
    if (Path.home() / ".asoundrc").exists() or _has_sound_card():
        pytest.skip("this machine has a sound device or an .asoundrc")
    app = AppProcess(
        display,
        returning_user,
        "run",
        "quick",
        "--no-speech",
        "--get-ready",
        "10",
        env={"ALSA_CONFIG_PATH": str(ALSA_SYSTEM_CONFIG)},
    )
    try:
        app.find_window("Quick")
        app.wait_for_title("Quick · Get ready")
        expected = f"sound: {SoundIssue.NO_DEVICE.value}"
        wait_until(lambda: expected in app.log.read_text(), 20.0, "the banner's line")
        assert app.log.read_text().count(expected) == 1
        assert "Traceback" not in app.log.read_text()
    finally:
        app.close()
