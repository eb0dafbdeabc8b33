"""Idle time backends (X11 screen saver extension, Windows) and the choice among them.

:func:`choose_idle_detector` tries the backends that fit the desktop in order and keeps
the first that gives a reading. Where none does, natural breaks are off and
:attr:`IdleChoice.message` says so, for the settings dialog.

- X11: the MIT-SCREEN-SAVER extension's idle time through ctypes on libX11 and libXss
  (Debian: ``libxss1``). Not used in a Wayland session: there XWayland sees only the input
  that goes to X clients.
- Windows: ``GetLastInputInfo`` against ``GetTickCount`` (both 32-bit millisecond ticks,
  which wrap after 49.7 days; the difference is taken modulo 2**32).
- GNOME (Wayland or X11): Mutter's IdleMonitor over D-Bus, passed in as ``gnome`` by the
  Qt layer (:mod:`backtimer.qt.breaks.idle_gnome`).
"""

from __future__ import annotations

import ctypes
import logging
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final, Protocol

from backtimer.core.reminders.idle import IdleDetector, IdleUnavailableError

log = logging.getLogger(__name__)

#: A backend's constructor: a working detector, or IdleUnavailableError saying why not.
IdleFactory = Callable[[], IdleDetector]

NO_IDLE_MESSAGE: Final = "natural breaks are off: no idle detection on this desktop"


# -- X11 ---------------------------------------------------------------------------------


class _XScreenSaverInfo(ctypes.Structure):
    _fields_ = (
        ("window", ctypes.c_ulong),
        ("state", ctypes.c_int),
        ("kind", ctypes.c_int),
        ("til_or_since", ctypes.c_ulong),
        ("idle", ctypes.c_ulong),
        ("event_mask", ctypes.c_ulong),
    )


def _load(name: str, package: str) -> ctypes.CDLL:
    # The usual file name first: find_library runs ldconfig (and needs ctypes.util and
    # subprocess, some 2 MB that a process idling in the tray would keep).
    usual = {"X11": "libX11.so.6", "Xss": "libXss.so.1"}.get(name, f"lib{name}.so")
    try:
        return ctypes.CDLL(usual)
    except OSError:
        pass
    from ctypes.util import find_library

    found = find_library(name)
    if found:
        try:
            return ctypes.CDLL(found)
        except OSError:
            pass
    raise IdleUnavailableError(f"lib{name} is not installed (Debian package {package})")


class X11IdleDetector:
    """Idle time from the X server's screen saver extension, on a connection of its own."""

    name = "the X11 screen saver extension"

    def __init__(self, display: str | None = None) -> None:
        """Connect to ``display`` (None: $DISPLAY); IdleUnavailableError when impossible."""
        if display is None:
            display = os.environ.get("DISPLAY", "")
        if not display:
            raise IdleUnavailableError("no X display ($DISPLAY is not set)")
        self._x11 = _load("X11", "libx11-6")
        self._xss = _load("Xss", "libxss1")
        self._x11.XOpenDisplay.restype = ctypes.c_void_p
        self._x11.XOpenDisplay.argtypes = (ctypes.c_char_p,)
        self._x11.XDefaultRootWindow.restype = ctypes.c_ulong
        self._x11.XDefaultRootWindow.argtypes = (ctypes.c_void_p,)
        self._x11.XCloseDisplay.argtypes = (ctypes.c_void_p,)
        self._xss.XScreenSaverQueryExtension.argtypes = (
            ctypes.c_void_p,
            ctypes.POINTER(ctypes.c_int),
            ctypes.POINTER(ctypes.c_int),
        )
        self._xss.XScreenSaverQueryInfo.argtypes = (
            ctypes.c_void_p,
            ctypes.c_ulong,
            ctypes.POINTER(_XScreenSaverInfo),
        )
        self._display: int | None = self._x11.XOpenDisplay(display.encode())
        if not self._display:
            self._display = None
            raise IdleUnavailableError(f"cannot open the X display {display}")
        event_base, error_base = ctypes.c_int(), ctypes.c_int()
        if not self._xss.XScreenSaverQueryExtension(
            self._display, ctypes.byref(event_base), ctypes.byref(error_base)
        ):
            self.close()
            raise IdleUnavailableError(f"the X server on {display} has no MIT-SCREEN-SAVER")
        self._root = self._x11.XDefaultRootWindow(self._display)
        self._info = _XScreenSaverInfo()

    def idle_seconds(self) -> float | None:
        """Seconds since the last input the X server saw."""
        if self._display is None:
            return None
        if not self._xss.XScreenSaverQueryInfo(self._display, self._root, ctypes.byref(self._info)):
            return None
        return float(self._info.idle) / 1000

    def close(self) -> None:
        """Close the connection to the X server."""
        if self._display is not None:
            self._x11.XCloseDisplay(self._display)
            self._display = None


# -- Windows -----------------------------------------------------------------------------


class InputTicks(Protocol):
    """Windows' tick counters, behind an interface so the arithmetic is testable."""

    def last_input_tick(self) -> int | None:
        """``GetLastInputInfo().dwTime``, or None when the call fails."""
        ...

    def tick_count(self) -> int:
        """``GetTickCount()``."""
        ...


class _LastInputInfo(ctypes.Structure):
    _fields_ = (("cbSize", ctypes.c_uint), ("dwTime", ctypes.c_uint32))


class User32Ticks:
    """The real counters, from user32.dll and kernel32.dll (Windows only)."""

    def __init__(self) -> None:
        windll: Any = getattr(ctypes, "windll", None)
        if windll is None:
            raise IdleUnavailableError("GetLastInputInfo exists only on Windows")
        self._user32 = windll.user32
        self._kernel32 = windll.kernel32
        self._kernel32.GetTickCount.restype = ctypes.c_uint32
        self._info = _LastInputInfo()
        self._info.cbSize = ctypes.sizeof(_LastInputInfo)

    def last_input_tick(self) -> int | None:
        """When the last input came, in ticks."""
        if not self._user32.GetLastInputInfo(ctypes.byref(self._info)):
            return None
        return int(self._info.dwTime)

    def tick_count(self) -> int:
        """Now, in ticks."""
        return int(self._kernel32.GetTickCount())


class WindowsIdleDetector:
    """Idle time from ``GetLastInputInfo``."""

    name = "Windows (GetLastInputInfo)"

    def __init__(self, ticks: InputTicks | None = None) -> None:
        self._ticks = ticks if ticks is not None else User32Ticks()

    def idle_seconds(self) -> float | None:
        """Seconds since the last input in this session."""
        last = self._ticks.last_input_tick()
        if last is None:
            return None
        return ((self._ticks.tick_count() - last) & 0xFFFFFFFF) / 1000


# -- the choice --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IdleChoice:
    """The backend in use (None: natural breaks are off) and a sentence about it."""

    detector: IdleDetector | None
    message: str
    #: Every backend tried that did not work, with why.
    tried: tuple[str, ...] = ()


def is_wayland(environ: Mapping[str, str]) -> bool:
    """Whether the session is a Wayland one."""
    return environ.get("XDG_SESSION_TYPE") == "wayland" or bool(environ.get("WAYLAND_DISPLAY"))


def choose_idle_detector(
    *,
    gnome: IdleFactory | None = None,
    platform: str | None = None,
    environ: Mapping[str, str] | None = None,
    x11: IdleFactory | None = None,
    windows: IdleFactory = WindowsIdleDetector,
) -> IdleChoice:
    """The first idle backend that works here, or none with the reason.

    ``gnome`` is the Qt layer's Mutter backend; the other factories are replaceable
    for tests.
    """
    platform = platform or sys.platform
    env = os.environ if environ is None else environ
    if x11 is None:

        def x11() -> IdleDetector:
            return X11IdleDetector(env.get("DISPLAY", ""))

    candidates: list[tuple[str, IdleFactory]] = []
    skipped: list[str] = []
    if platform == "win32":
        candidates.append(("Windows", windows))
    elif platform == "darwin":
        skipped.append("macOS: not supported yet")
    else:
        if is_wayland(env):
            skipped.append("X11: not used in a Wayland session (it sees only X clients' input)")
        else:
            candidates.append(("X11", x11))
        if gnome is not None:
            candidates.append(("GNOME", gnome))
    tried: list[str] = list(skipped)
    for label, factory in candidates:
        try:
            detector = factory()
            reading = detector.idle_seconds()
        except IdleUnavailableError as error:
            tried.append(f"{label}: {error}")
            continue
        if reading is None:
            tried.append(f"{label}: gave no reading")
            continue
        log.info("idle time from %s", detector.name)
        return IdleChoice(
            detector, f"natural breaks on: idle time from {detector.name}", tuple(tried)
        )
    message = NO_IDLE_MESSAGE + (f" ({'; '.join(tried)})" if tried else "")
    log.info("%s", message)
    return IdleChoice(None, message, tuple(tried))
