"""Quit cleanly on SIGINT and SIGTERM while the Qt event loop runs.

Python runs signal handlers only when the interpreter gets control, which a sleeping Qt
event loop never gives it. The C-level handler writes the signal number to a socket
(``signal.set_wakeup_fd``); a QSocketNotifier wakes the loop on it, and the loop quits.
No timer polls for signals, so an idle app stays asleep.
"""

from __future__ import annotations

import signal
import socket

from PySide6.QtCore import QCoreApplication, QObject, QSocketNotifier

HANDLED = (signal.SIGINT, signal.SIGTERM)


class SignalQuitter(QObject):
    """Quits ``app`` (exit code 128 + signal) when a handled signal arrives."""

    def __init__(self, app: QCoreApplication) -> None:
        super().__init__(app)
        self._app = app
        self._reader, self._writer = socket.socketpair()
        self._reader.setblocking(False)
        self._writer.setblocking(False)
        signal.set_wakeup_fd(self._writer.fileno(), warn_on_full_buffer=False)
        for number in HANDLED:
            signal.signal(number, lambda *_: None)  # the wake-up fd does the work
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._on_wakeup)

    def _on_wakeup(self) -> None:
        try:
            data = self._reader.recv(64)
        except BlockingIOError:
            return
        numbers = [number for number in data if number in HANDLED]
        if numbers:
            self._app.exit(128 + numbers[0])

    def close(self) -> None:
        """Restore the default handlers and release the sockets."""
        signal.set_wakeup_fd(-1)
        for number in HANDLED:
            signal.signal(number, signal.SIG_DFL)
        self._notifier.setEnabled(False)
        self._reader.close()
        self._writer.close()
