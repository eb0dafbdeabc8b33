"""Tell the session when the machine goes to sleep or the screen locks.

Sleep comes from logind's ``PrepareForSleep`` on the system bus; the lock from the
freedesktop (KDE, Xfce, …) and GNOME screensaver ``ActiveChanged`` signals and logind's
session ``Lock`` on the session and system buses. Where none of these services exist, the
signals simply never come, and the session still notices a sleep afterwards from the
clocks (:class:`~backtimer.core.suspend.SleepDetector`).
"""

from __future__ import annotations

import logging
import os

from PySide6.QtCore import SLOT, QObject, Signal, Slot
from PySide6.QtDBus import QDBusConnection

log = logging.getLogger(__name__)

#: (object path, interface) of the screensavers' ActiveChanged(bool) signals.
_SCREENSAVERS = (
    ("/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver"),
    ("/ScreenSaver", "org.freedesktop.ScreenSaver"),
    ("/org/gnome/ScreenSaver", "org.gnome.ScreenSaver"),
)


def _listen(
    bus: QDBusConnection,
    service: str,
    path: str,
    interface: str,
    name: str,
    receiver: QObject,
    slot: str,
) -> bool:
    """Connect a D-Bus signal to a slot; False when the bus refuses."""
    # PySide6 takes the slot as SLOT()'s str; its type stubs say bytes.
    return bool(bus.connect(service, path, interface, name, receiver, slot))  # type: ignore[call-overload]


class PowerMonitor(QObject):
    """Emits ``going_to_sleep`` and ``screen_locked`` (both mean "nobody is watching"), and
    ``woke_up`` when logind says the machine is back."""

    going_to_sleep = Signal()
    woke_up = Signal()
    screen_locked = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.listening: list[str] = []
        system = QDBusConnection.systemBus()
        if system.isConnected() and _listen(
            system,
            "org.freedesktop.login1",
            "/org/freedesktop/login1",
            "org.freedesktop.login1.Manager",
            "PrepareForSleep",
            self,
            SLOT("_on_prepare_for_sleep(bool)"),
        ):
            self.listening.append("logind PrepareForSleep")
        if system.isConnected() and _listen(
            system,
            "org.freedesktop.login1",
            "",
            "org.freedesktop.login1.Session",
            "Lock",
            self,
            SLOT("_on_lock()"),
        ):
            self.listening.append("logind Lock")
        # Without an address Qt would try to start a session bus itself (dbus-launch
        # --autolaunch), which is slow and leaves a daemon behind: there is nothing to hear.
        session = (
            QDBusConnection.sessionBus() if os.environ.get("DBUS_SESSION_BUS_ADDRESS") else None
        )
        if session is not None and session.isConnected():
            for path, interface in _SCREENSAVERS:
                # An empty service name takes the signal from whichever service sends it.
                slot = SLOT("_on_screensaver(bool)")
                if _listen(session, "", path, interface, "ActiveChanged", self, slot):
                    self.listening.append(f"{interface} ActiveChanged")
        log.debug("power monitor listens to: %s", ", ".join(self.listening) or "nothing")

    @Slot(bool)
    def _on_prepare_for_sleep(self, starting: bool) -> None:
        if starting:
            self.going_to_sleep.emit()
        else:
            self.woke_up.emit()

    @Slot()
    def _on_lock(self) -> None:
        self.screen_locked.emit()

    @Slot(bool)
    def _on_screensaver(self, active: bool) -> None:
        if active:
            self.screen_locked.emit()
