"""Idle backends: Windows tick arithmetic, the choice among backends, X11 for real on Xvfb."""

from __future__ import annotations

import shutil
import subprocess
import time

import pytest

from backtimer.core.reminders.idle import IdleDetector, IdleUnavailableError
from backtimer.desktop.idle import (
    NO_IDLE_MESSAGE,
    WindowsIdleDetector,
    X11IdleDetector,
    choose_idle_detector,
)
from tests.e2e.harness import VirtualDisplay, wait_until


class Ticks:
    def __init__(self, now: int, last: int | None) -> None:
        self.now, self.last = now, last

    def last_input_tick(self) -> int | None:
        return self.last

    def tick_count(self) -> int:
        return self.now


def test_windows_idle_is_ticks_since_the_last_input() -> None:
    assert WindowsIdleDetector(Ticks(now=90_000, last=30_000)).idle_seconds() == 60.0
    assert WindowsIdleDetector(Ticks(now=5, last=5)).idle_seconds() == 0.0


def test_windows_ticks_wrap_after_49_days() -> None:
    # The last input just before the 32-bit counter wrapped, now just after.
    detector = WindowsIdleDetector(Ticks(now=1_000, last=0xFFFFFFFF - 1_999))
    assert detector.idle_seconds() == 3.0


def test_windows_failure_gives_no_reading() -> None:
    assert WindowsIdleDetector(Ticks(now=1, last=None)).idle_seconds() is None


def test_the_real_windows_counters_exist_only_on_windows() -> None:
    with pytest.raises(IdleUnavailableError, match="only on Windows"):
        WindowsIdleDetector()


class Fixed:
    def __init__(self, name: str, reading: float | None) -> None:
        self.name, self.reading = name, reading

    def idle_seconds(self) -> float | None:
        return self.reading


def works(name: str) -> IdleDetector:
    return Fixed(name, 1.5)


def unavailable(reason: str) -> IdleDetector:
    raise IdleUnavailableError(reason)


def test_x11_first_on_an_x11_session() -> None:
    choice = choose_idle_detector(
        platform="linux",
        environ={"DISPLAY": ":0", "XDG_SESSION_TYPE": "x11"},
        x11=lambda: works("x11"),
        gnome=lambda: works("gnome"),
    )
    assert choice.detector is not None
    assert choice.detector.name == "x11"
    assert choice.message == "natural breaks on: idle time from x11"


def test_gnome_when_x11_fails() -> None:
    choice = choose_idle_detector(
        platform="linux",
        environ={},
        x11=lambda: unavailable("no X display"),
        gnome=lambda: works("gnome"),
    )
    assert choice.detector is not None
    assert choice.detector.name == "gnome"
    assert choice.tried == ("X11: no X display",)


def test_wayland_skips_x11() -> None:
    called: list[str] = []

    def x11() -> IdleDetector:
        called.append("x11")
        return works("x11")

    choice = choose_idle_detector(
        platform="linux",
        environ={"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"},
        x11=x11,
        gnome=lambda: unavailable("org.gnome.Mutter.IdleMonitor is not on the session bus"),
    )
    assert called == []
    assert choice.detector is None
    assert choice.message.startswith(NO_IDLE_MESSAGE)
    assert "Wayland" in choice.message
    assert "org.gnome.Mutter.IdleMonitor" in choice.message


def test_a_backend_without_a_reading_is_passed_over() -> None:
    choice = choose_idle_detector(
        platform="linux", environ={}, x11=lambda: Fixed("x11", None), gnome=None
    )
    assert choice.detector is None
    assert choice.tried == ("X11: gave no reading",)
    assert choice.message == f"{NO_IDLE_MESSAGE} (X11: gave no reading)"


def test_windows_and_macos() -> None:
    windows = choose_idle_detector(platform="win32", environ={}, windows=lambda: works("win"))
    assert windows.detector is not None
    assert windows.detector.name == "win"
    mac = choose_idle_detector(platform="darwin", environ={})
    assert mac.detector is None
    assert "macOS" in mac.message


def test_x11_without_a_display_says_so() -> None:
    with pytest.raises(IdleUnavailableError, match="DISPLAY"):
        X11IdleDetector("")
    with pytest.raises(IdleUnavailableError, match="cannot open the X display"):
        X11IdleDetector(":9999")
    choice = choose_idle_detector(platform="linux", environ={})
    assert choice.detector is None
    assert "X11: no X display" in choice.message


@pytest.mark.e2e
@pytest.mark.skipif(shutil.which("Xvfb") is None, reason="needs Xvfb (scripts/setup --test)")
def test_x11_idle_time_grows_and_input_resets_it() -> None:
    with VirtualDisplay(size="320x240x24") as display:
        detector = X11IdleDetector(display.display)
        try:
            first = detector.idle_seconds()
            assert first is not None
            wait_until(
                lambda: (detector.idle_seconds() or 0) >= first + 0.5, 10, "idle time to grow"
            )
            moved_at = time.monotonic()
            subprocess.run(
                ["xdotool", "mousemove", "17", "42"], env=display.env(), check=True, timeout=10
            )
            after = detector.idle_seconds()
            since_move = time.monotonic() - moved_at
            assert after is not None
            # Reset by the move: idle no longer than the time since the move began, however
            # slow the machine. Without the reset it would be at least 0.5 s longer.
            assert after <= since_move + 0.05, (after, since_move)
            wait_until(
                lambda: (detector.idle_seconds() or 0) >= after + 0.2, 10, "idle time to run on"
            )
            choice = choose_idle_detector(
                platform="linux", environ={"DISPLAY": display.display}, gnome=None
            )
            assert choice.detector is not None
            assert choice.message == (
                "natural breaks on: idle time from the X11 screen saver extension"
            )
            assert isinstance(choice.detector, X11IdleDetector)
            choice.detector.close()
        finally:
            detector.close()
        assert detector.idle_seconds() is None  # closed
