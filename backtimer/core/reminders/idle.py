"""How long the user has not touched the computer: the interface the desktop backends fill.

The backends live outside the core (:mod:`backtimer.desktop.idle` for X11 and Windows,
:mod:`backtimer.qt.breaks.idle_gnome` for GNOME's Mutter over D-Bus); the policy only takes the
seconds they report.
"""

from __future__ import annotations

from typing import Protocol


class IdleDetector(Protocol):
    """A source of the desktop's idle time."""

    #: A short name for messages, such as "X11 screen saver extension".
    name: str

    def idle_seconds(self) -> float | None:
        """Seconds since the last keyboard or pointer input; None when it cannot tell now."""
        ...


class IdleUnavailableError(Exception):
    """An idle backend does not work here; the message says why."""
