"""A stand-in for a jeepney connection to a notification server, for the notifier's tests.

It answers calls as a server would (on the notifier's bus thread) and queues the server's
signals for the connection's filters, waking the thread through its socket as the bus
would. A test can hold the answer to a call back (:attr:`FakeServer.hold`) to play a slow
or hung server.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections import deque
from typing import Any

from jeepney import (
    DBusAddress,
    HeaderFields,
    MatchRule,
    Message,
    new_error,
    new_method_return,
    new_signal,
)

from backtimer.qt.breaks import notifications

SERVER = DBusAddress(notifications.PATH, interface=notifications.INTERFACE)
#: How long a held call waits for its release before answering anyway (so that code that
#: waits for the answer on the GUI thread fails instead of hanging the run).
HELD_S = 5.0


class FakeServer:
    """Answers calls and queues the server's signals for the filters, as the bus would."""

    def __init__(self, capabilities: tuple[str, ...] = ("actions", "body")) -> None:
        self.capabilities = list(capabilities)
        self.calls: list[tuple[str, tuple[Any, ...], str]] = []
        self.next_id = 41
        self.refuse = False
        self.queues: list[tuple[MatchRule, deque[Message]]] = []
        self.sock, self._peer = socket.socketpair()
        self.sock.setblocking(False)
        self.closed = False
        #: Members whose answer waits for :attr:`release` (a slow server).
        self.hold: set[str] = set()
        self.release = threading.Event()
        #: Set when a held call has begun waiting.
        self.holding = threading.Event()
        #: Calls answered so far, by member.
        self.answered: list[str] = []
        self.threads: set[int] = set()

    def filter(self, rule: MatchRule, *, queue: deque[Message]) -> None:
        self.queues.append((rule, queue))

    def emit(self, member: str, signature: str, body: tuple[Any, ...], wake: bool = True) -> None:
        """The server sends a signal (and the bus socket becomes readable)."""
        message = new_signal(SERVER, member, signature, body)
        for rule, queue in self.queues:
            if rule.matches(message):
                queue.append(message)
        if wake and not self.closed:
            self._peer.send(b"\0")

    def send_and_get_reply(self, message: Message, *, timeout: float) -> Message:
        self.threads.add(threading.get_ident())
        member = message.header.fields[HeaderFields.member]
        signature = message.header.fields.get(HeaderFields.signature, "")
        self.calls.append((member, tuple(message.body), signature))
        if member in self.hold:
            self.holding.set()
            self.release.wait(HELD_S)
        try:
            return self._reply(message, member)
        finally:
            self.answered.append(member)

    def _reply(self, message: Message, member: str) -> Message:
        if self.refuse:
            return new_error(message, "org.freedesktop.DBus.Error.ServiceUnknown", "s", ("gone",))
        if member == "GetCapabilities":
            return new_method_return(message, "as", (self.capabilities,))
        if member == "Notify":
            replaces = message.body[1]
            if not replaces:
                self.next_id += 1
            return new_method_return(message, "u", (replaces or self.next_id,))
        if member == "CloseNotification":
            self.emit(
                "NotificationClosed",
                "uu",
                (message.body[0], notifications.CLOSED_BY_CALL),
                wake=False,
            )
        return new_method_return(message)

    def recv_messages(self, *, timeout: float) -> None:
        with contextlib.suppress(BlockingIOError):
            self.sock.recv(4096)
        raise TimeoutError

    def close(self) -> None:
        self.closed = True
        self.sock.close()
        self._peer.close()

    def members(self) -> list[str]:
        """The members called, in order."""
        return [member for member, _body, _signature in self.calls]
