"""One backtimer per data folder: a second launch hands its command to the first and exits.

The first instance listens on a local socket (:class:`~PySide6.QtNetwork.QLocalServer`)
whose name is derived from the user and the data folder, so instances with separate data
folders (tests, ``--data-dir``) never meet. A later launch connects, writes its command as
one line of JSON (``{"command": "break-now"}``, ``{"command": "show"}``,
``{"command": "run", "routine": "desk-break"}``) and exits; the first instance emits
:attr:`SingleInstance.command_received` with the dict.

A socket file left behind by a crashed instance is noticed (nobody answers on it) and
replaced.
"""

from __future__ import annotations

import getpass
import json
import logging
import zlib
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

#: How long a second launch waits to reach the first, in milliseconds.
CONNECT_TIMEOUT_MS = 1000
#: The most a command may be, in bytes (more is dropped).
MAX_COMMAND_BYTES = 64 * 1024


def server_name(data_dir: Path) -> str:
    """The socket name for ``data_dir``: the same for every launch with that folder."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment or the password database
        user = ""
    key = f"{user}\0{Path(data_dir).expanduser().resolve()}".encode()
    # Two checksums make a 64-bit name: this only keeps folders apart, it guards nothing, and
    # hashlib would load OpenSSL (3 MB of an app idling in the tray) for it.
    return f"backtimer-{zlib.crc32(key):08x}{zlib.adler32(key):08x}"


def send_command(name: str, command: dict[str, Any], timeout_ms: int = CONNECT_TIMEOUT_MS) -> bool:
    """Hand ``command`` to the instance listening on ``name``; False when none listens."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(timeout_ms):
        return False
    data = json.dumps(command, separators=(",", ":")).encode("utf-8") + b"\n"
    socket.write(data)
    sent = socket.waitForBytesWritten(timeout_ms) or socket.bytesToWrite() == 0
    socket.disconnectFromServer()
    if socket.state() != QLocalSocket.LocalSocketState.UnconnectedState:
        socket.waitForDisconnected(timeout_ms)
    return sent


class _Client:
    """One connection to the server: reads lines of JSON until it closes.

    A plain object the server keeps in a set (no QObject of its own, no reparenting, no
    deferred deletion of a reader whose socket may still be reporting).
    """

    def __init__(self, socket: QLocalSocket, owner: SingleInstance) -> None:
        self._socket = socket
        self._owner = owner
        self._buffer = b""
        self._finished = False
        socket.readyRead.connect(self._read)
        socket.disconnected.connect(self._done)

    def _read(self) -> None:
        self._buffer += bytes(self._socket.readAll().data())
        while b"\n" in self._buffer:
            line, self._buffer = self._buffer.split(b"\n", 1)
            self._owner.deliver(line)
        if len(self._buffer) > MAX_COMMAND_BYTES:
            log.warning("dropped an overlong command from another launch")
            self._socket.abort()

    def _done(self) -> None:
        if self._finished:
            return
        self._finished = True
        self._read()
        if self._buffer.strip():
            self._owner.deliver(self._buffer)  # the last line without its newline
        self._buffer = b""
        self._owner.forget(self)

    def drop(self) -> None:
        """Stop reading and let the socket go."""
        self._finished = True
        self._socket.readyRead.disconnect(self._read)
        self._socket.disconnected.disconnect(self._done)
        self._socket.abort()
        self._socket.deleteLater()


class SingleInstance(QObject):
    """The first instance's end: listens, and emits each command another launch sends."""

    #: A command from another launch: a dict with at least "command" (a str).
    command_received = Signal(dict)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._server = QLocalServer(self)
        # Only this user may connect.
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)
        self._clients: set[_Client] = set()

    def listen(self) -> bool:
        """Start listening; False when another instance already does.

        A socket left by an instance that is gone (nobody answers on it) is replaced. (Qt
        would replace even a live one's socket, so whoever answers is asked first.)
        """
        if self._server.isListening():
            return True
        probe = QLocalSocket()
        probe.connectToServer(self.name)
        if probe.waitForConnected(CONNECT_TIMEOUT_MS):
            probe.abort()
            return False
        QLocalServer.removeServer(self.name)
        if self._server.listen(self.name):
            return True
        log.warning("cannot listen for other launches: %s", self._server.errorString())
        return False

    @property
    def listening(self) -> bool:
        """True while this is the first instance."""
        return self._server.isListening()

    def close(self) -> None:
        """Stop listening (the socket goes away) and drop the connections still open."""
        for client in list(self._clients):
            client.drop()
        self._clients.clear()
        self._server.close()

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            if socket is not None:
                self._clients.add(_Client(socket, self))

    def forget(self, client: _Client) -> None:
        """A connection is over: its socket goes once it has finished reporting."""
        self._clients.discard(client)
        client.drop()

    def deliver(self, line: bytes) -> None:
        """Decode one line and emit it; anything but a JSON object with a "command" is
        logged and dropped."""
        try:
            command = json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            log.warning("ignored a command from another launch that is not JSON: %s", error)
            return
        if not isinstance(command, dict) or not isinstance(command.get("command"), str):
            log.warning('ignored a command from another launch without a "command": %r', command)
            return
        self.command_received.emit(command)


def claim(
    name: str, command: dict[str, Any], parent: QObject | None = None
) -> SingleInstance | None:
    """Become the first instance, or hand ``command`` to the one there is.

    Returns the listening :class:`SingleInstance` when this launch is the first (the caller
    then acts on ``command`` itself), or None when the command went to the running one and
    this launch should exit.
    """
    instance = SingleInstance(name, parent)
    for _attempt in range(3):
        if send_command(name, command):
            return None
        if instance.listen():
            return instance
    # Neither reachable nor free: run on, alone, rather than not at all.
    log.warning("could not reach the running backtimer nor listen on %s", name)
    return instance
