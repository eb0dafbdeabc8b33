"""Idle time from GNOME's Mutter (``org.gnome.Mutter.IdleMonitor``) over the session bus.

Works on GNOME under Wayland, where the X11 screen saver extension only sees XWayland's
share of the input. :func:`choose_idle_detector` is the app's entry point: it adds this
backend to the non-Qt ones of :mod:`backtimer.desktop.idle`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Final

from PySide6.QtDBus import QDBus, QDBusConnection, QDBusMessage

from backtimer.core.reminders.idle import IdleUnavailableError
from backtimer.desktop.idle import IdleChoice
from backtimer.desktop.idle import choose_idle_detector as choose_among

SERVICE: Final = "org.gnome.Mutter.IdleMonitor"
PATH: Final = "/org/gnome/Mutter/IdleMonitor/Core"
INTERFACE: Final = "org.gnome.Mutter.IdleMonitor"
#: A call that takes longer than this gives no reading (the desktop is stuck).
CALL_TIMEOUT_MS: Final = 1000


class MutterIdleDetector:
    """``GetIdletime`` of Mutter's core idle monitor."""

    name = "GNOME Mutter's idle monitor"

    def __init__(self, bus: QDBusConnection) -> None:
        self._bus = bus

    @classmethod
    def open(cls, environ: Mapping[str, str] | None = None) -> MutterIdleDetector:
        """The detector on the session bus; IdleUnavailableError when Mutter is not there."""
        env = os.environ if environ is None else environ
        # Without an address Qt would autolaunch a session bus: there is nothing to ask.
        if not env.get("DBUS_SESSION_BUS_ADDRESS"):
            raise IdleUnavailableError("no D-Bus session bus")
        bus = QDBusConnection.sessionBus()
        if not bus.isConnected():
            raise IdleUnavailableError("cannot connect to the D-Bus session bus")
        registered = bus.interface().isServiceRegistered(SERVICE)
        if not registered.isValid() or not registered.value():
            raise IdleUnavailableError(f"{SERVICE} is not on the session bus (not GNOME)")
        return cls(bus)

    def idle_seconds(self) -> float | None:
        """Seconds since the last input Mutter saw; None when the call fails."""
        call = QDBusMessage.createMethodCall(SERVICE, PATH, INTERFACE, "GetIdletime")
        reply = self._bus.call(call, QDBus.CallMode.Block, CALL_TIMEOUT_MS)
        if reply.type() != QDBusMessage.MessageType.ReplyMessage or not reply.arguments():
            return None
        value = reply.arguments()[0]
        if isinstance(value, bool) or not isinstance(value, int):
            return None
        return value / 1000


def choose_idle_detector() -> IdleChoice:
    """The first idle backend that works on this desktop (GNOME's included), or none."""
    return choose_among(gnome=MutterIdleDetector.open)
