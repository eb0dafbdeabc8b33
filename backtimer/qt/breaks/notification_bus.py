"""A connection to the desktop's notification server on a thread of its own.

A call to the server (org.freedesktop.Notifications) may take up to :data:`CALL_TIMEOUT_S`;
:class:`BusThread` makes the calls in the order they are submitted (after connecting and,
unless they are known, asking for the server's capabilities), reads the server's signals
as they arrive, and reports everything through a ``post`` function that runs it on the
GUI thread. Nothing here uses Qt; :mod:`backtimer.qt.breaks.notifications` builds the notifier on
it.

The messages go through jeepney's blocking connection, which is not thread-safe: only the
bus thread touches it, waiting in ``select`` on its socket and on a wake-up socket that
:meth:`BusThread.submit` and :meth:`BusThread.stop` write to. Nothing polls.
"""

from __future__ import annotations

import contextlib
import queue
import selectors
import socket
import threading
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from jeepney import DBusAddress, HeaderFields, MatchRule, Message, MessageType, new_method_call
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import DBusConnection

SERVICE = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
INTERFACE = "org.freedesktop.Notifications"
#: The server's object.
NOTIFICATIONS = DBusAddress(PATH, bus_name=SERVICE, interface=INTERFACE)
#: How long a call to the server may take before it counts as gone, in seconds.
CALL_TIMEOUT_S = 2.0

#: Builds a call's message from the server's capabilities (known on the bus thread).
MessageBuilder = Callable[[Sequence[str]], Message]


class NotificationError(RuntimeError):
    """The notification server refused a call or did not answer."""


def call_server(connection: DBusConnection, message: Message) -> tuple[Any, ...]:
    """Send ``message``, return the reply's body; NotificationError on an error reply."""
    try:
        reply = connection.send_and_get_reply(message, timeout=CALL_TIMEOUT_S)
    except (OSError, TimeoutError, ValueError) as error:
        raise NotificationError(f"no answer from {SERVICE}: {error}") from error
    if reply.header.message_type is MessageType.error:
        name = reply.header.fields.get(HeaderFields.error_name, "error")
        detail = reply.body[0] if reply.body else ""
        raise NotificationError(f"{SERVICE} answered {name}: {detail}")
    return tuple(reply.body)


def server_capabilities(connection: DBusConnection) -> list[str]:
    """The server's capabilities; NotificationError when it cannot show actions."""
    capabilities = [
        str(name)
        for name in call_server(connection, new_method_call(NOTIFICATIONS, "GetCapabilities"))[0]
    ]
    if "actions" not in capabilities:
        raise NotificationError(f"the notification server has no actions: {capabilities}")
    return capabilities


@dataclass(eq=False)
class BusCall:
    """One call to the server: made on the bus thread, settled on the GUI thread."""

    build: MessageBuilder
    on_reply: Callable[[tuple[Any, ...]], object]
    on_error: Callable[[str], object]
    done: threading.Event = field(default_factory=threading.Event)
    reply: tuple[Any, ...] | None = None
    error: str | None = None
    settled: bool = False


@dataclass(frozen=True, slots=True)
class BusListener:
    """What the bus thread reports, each run on the GUI thread."""

    opened: Callable[[list[str]], object]  #: connected: the server's capabilities
    unusable: Callable[[str], object]  #: no bus, or no server with actions: why
    lost: Callable[[str], object]  #: the bus went away later: why
    settled: Callable[[BusCall], object]  #: a call was answered (or failed)
    signal: Callable[[Message], object]  #: one of the server's signals


class BusThread:
    """A jeepney connection on a thread of its own: calls in order, the server's signals.

    Everything it learns goes to the ``listener``, through ``post`` (which runs it on the
    GUI thread): ``opened(capabilities)`` or ``unusable(why)`` first, then each call as it
    is ``settled`` and each signal of the server, and ``lost(why)`` should the bus go away.
    """

    def __init__(
        self,
        connect: Callable[[], DBusConnection],
        capabilities: Sequence[str] | None,
        post: Callable[[Callable[[], object]], None],
        listener: BusListener,
    ) -> None:
        self._connect = connect
        self._capabilities = None if capabilities is None else list(capabilities)
        self._post = post
        self._listener = listener
        self._requests: queue.SimpleQueue[BusCall | None] = queue.SimpleQueue()
        self._signals: deque[Message] = deque()
        self._lock = threading.Lock()
        self._stopped = False
        self._wake_in, self._wake_out = socket.socketpair()
        self._wake_in.setblocking(False)
        self._wake_out.setblocking(False)
        self._thread = threading.Thread(target=self._run, name="notifications-bus", daemon=True)
        self._thread.start()

    def submit(self, call: BusCall) -> None:
        """Make ``call`` after those before it (it fails at once once the thread is gone)."""
        with self._lock:
            if not self._stopped:
                self._requests.put(call)
                self._wake()
                return
        self._finish(call, error="the connection to the notification server is closed")

    def stop(self) -> None:
        """End the thread once the calls already submitted are made."""
        with self._lock:
            if not self._stopped:
                self._requests.put(None)
                self._wake()

    def join(self, timeout_s: float) -> bool:
        """Wait up to ``timeout_s`` for the thread to end; True when it has."""
        self._thread.join(timeout_s)
        return not self._thread.is_alive()

    def _wake(self) -> None:
        with contextlib.suppress(OSError):  # full: the thread is awake already
            self._wake_out.send(b"\0")

    # -- on the bus thread ------------------------------------------------------------

    def _run(self) -> None:
        connection: DBusConnection | None = None
        try:
            connection = self._connect()
            capabilities = self._capabilities or server_capabilities(connection)
            rule = MatchRule(type="signal", interface=INTERFACE, path=PATH)
            connection.filter(rule, queue=self._signals)
            call_server(connection, message_bus.AddMatch(rule))
        except (NotificationError, OSError, ValueError, RuntimeError) as error:
            self._post(partial(self._listener.unusable, str(error)))
        else:
            self._post(partial(self._listener.opened, capabilities))
            try:
                self._serve(connection, capabilities)
            except (OSError, ValueError) as error:
                self._post(partial(self._listener.lost, str(error)))
        finally:
            self._close(connection)

    def _serve(self, connection: DBusConnection, capabilities: Sequence[str]) -> None:
        with selectors.DefaultSelector() as selector:
            selector.register(connection.sock, selectors.EVENT_READ)
            selector.register(self._wake_in, selectors.EVENT_READ)
            while True:
                selector.select()
                with contextlib.suppress(BlockingIOError):
                    self._wake_in.recv(4096)
                while True:
                    try:
                        call = self._requests.get_nowait()
                    except queue.Empty:
                        break
                    if call is None:
                        return
                    self._make(connection, call, capabilities)
                try:
                    while True:
                        connection.recv_messages(timeout=0)
                except TimeoutError:
                    pass  # all read
                except (OSError, ValueError) as error:
                    self._post(partial(self._listener.lost, str(error)))
                    return
                finally:
                    self._forward_signals()

    def _make(self, connection: DBusConnection, call: BusCall, capabilities: Sequence[str]) -> None:
        try:
            reply = call_server(connection, call.build(capabilities))
        except NotificationError as error:
            self._finish(call, error=str(error))
        else:
            self._finish(call, reply=reply)
        self._forward_signals()  # those that came while waiting for the reply

    def _finish(
        self, call: BusCall, *, reply: tuple[Any, ...] | None = None, error: str | None = None
    ) -> None:
        call.reply, call.error = reply, error
        call.done.set()
        self._post(partial(self._listener.settled, call))

    def _forward_signals(self) -> None:
        while self._signals:
            message = self._signals.popleft()
            self._post(partial(self._listener.signal, message))

    def _close(self, connection: DBusConnection | None) -> None:
        with self._lock:
            self._stopped = True
        if connection is not None:
            with contextlib.suppress(OSError):
                connection.close()
        while True:  # calls submitted meanwhile fail: the GUI thread falls back
            try:
                call = self._requests.get_nowait()
            except queue.Empty:
                break
            if call is not None:
                self._finish(call, error="the connection to the notification server is closed")
        self._wake_in.close()
        self._wake_out.close()
