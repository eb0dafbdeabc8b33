"""One backtimer per data folder: a second launch hands its command to the first and exits.

The first instance listens on a local socket (:class:`~PySide6.QtNetwork.QLocalServer`)
whose name is derived from the user and the data folder, so instances with separate data
folders (tests, ``--data-dir``) never meet. A later launch connects, writes its command as
one line of JSON (``{"command": "break-now"}``, ``{"command": "show"}``,
``{"command": "run", "routine": "desk-break"}``) and exits; the first instance emits
:attr:`SingleInstance.command_received` with the dict.

Other users of the machine can neither answer nor send (Linux): the socket lives in the
user's runtime folder (``$XDG_RUNTIME_DIR`` when it is a folder of the user's with mode
0700, else a private ``backtimer-UID`` folder in the temporary folder, made 0700 and
checked: ours, a real folder, not a link). Without such a folder there is no handing over;
each launch runs alone. Both ends check who is at the other end (``SO_PEERCRED``): the
first instance drops connections from other users, and a later launch hands over only to
a socket file and a listener of its own user, else it warns and starts normally. On other
systems the socket is named as before, in the temporary folder.

A socket file left behind by a crashed instance is noticed (nobody answers on it) and
replaced.
"""

from __future__ import annotations

import getpass
import json
import logging
import os
import socket as sockets
import stat
import struct
import sys
import tempfile
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

#: How long a second launch waits to reach the first, in milliseconds.
CONNECT_TIMEOUT_MS = 1000
#: The most a command may be, in bytes (more is dropped).
MAX_COMMAND_BYTES = 64 * 1024
#: The private folder's name in the temporary folder when there is no runtime folder.
PRIVATE_FOLDER = "backtimer-{uid}"


def checks_peers() -> bool:
    """Whether this system tells who is at the other end of a local socket (Linux)."""
    return sys.platform.startswith("linux") and hasattr(sockets, "SO_PEERCRED")


def _private_problem(path: Path) -> str | None:
    """Why ``path`` is not a folder only this user can enter, or None when it is."""
    try:
        info = os.lstat(path)
    except OSError as error:
        return f"cannot check {path}: {error.strerror or error}"
    if stat.S_ISLNK(info.st_mode):
        return f"{path} is a link, expected a folder"
    if not stat.S_ISDIR(info.st_mode):
        return f"{path} is not a folder"
    if info.st_uid != os.geteuid():
        return f"{path} belongs to another user (uid {info.st_uid})"
    if stat.S_IMODE(info.st_mode) & 0o077:
        return f"{path} has mode {stat.S_IMODE(info.st_mode):04o}, expected 0700"
    return None


def _make_private(path: Path) -> str | None:
    """Make ``path`` a folder of this user's with mode 0700; why not, or None when done."""
    try:
        path.mkdir(mode=0o700)
    except FileExistsError:
        pass
    except OSError as error:
        return f"cannot create {path}: {error.strerror or error}"
    try:
        info = os.lstat(path)
        if stat.S_ISDIR(info.st_mode) and info.st_uid == os.geteuid():
            # Ours and a real folder (no one else can swap it in a sticky /tmp): tighten it.
            path.chmod(0o700)
    except OSError as error:
        return f"cannot check {path}: {error.strerror or error}"
    return _private_problem(path)


def runtime_folder(environ: Mapping[str, str] | None = None) -> Path | None:
    """The folder for the socket: only this user can enter it; None when none can be had.

    ``$XDG_RUNTIME_DIR`` when it is set and a folder of this user's with mode 0700, else
    ``backtimer-UID`` in the temporary folder, created with mode 0700 (and refused when it
    is a link, someone else's, or cannot be made 0700).
    """
    environ = os.environ if environ is None else environ
    runtime = environ.get("XDG_RUNTIME_DIR", "")
    if runtime and Path(runtime).is_absolute():
        problem = _private_problem(Path(runtime))
        if problem is None:
            return Path(runtime)
        log.warning("not using XDG_RUNTIME_DIR: %s", problem)
    private = Path(tempfile.gettempdir()) / PRIVATE_FOLDER.format(uid=os.geteuid())
    problem = _make_private(private)
    if problem is None:
        return private
    log.warning("no private folder for the single-instance socket: %s", problem)
    return None


def server_name(data_dir: Path, environ: Mapping[str, str] | None = None) -> str | None:
    """The socket for ``data_dir``: the same for every launch with that folder.

    On Linux, a full path in :func:`runtime_folder` (None when there is no safe folder: no
    single instance then); elsewhere a name Qt places in the temporary folder.
    """
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment or the password database
        user = ""
    key = f"{user}\0{Path(data_dir).expanduser().resolve()}".encode()
    # Two checksums make a 64-bit name: this only keeps folders apart, it guards nothing, and
    # hashlib would load OpenSSL (3 MB of an app idling in the tray) for it.
    name = f"backtimer-{zlib.crc32(key):08x}{zlib.adler32(key):08x}"
    if not checks_peers():
        return name
    folder = runtime_folder(environ)
    return None if folder is None else str(folder / name)


def peer_uid(descriptor: int) -> int | None:
    """The user id of the process at the other end of a connected local socket, or None."""
    if not checks_peers() or descriptor < 0:
        return None
    size = struct.calcsize("3i")
    try:
        with sockets.socket(fileno=os.dup(descriptor)) as connection:
            raw = connection.getsockopt(sockets.SOL_SOCKET, sockets.SO_PEERCRED, size)
    except OSError:
        return None
    _pid, uid, _gid = struct.unpack("3i", raw)
    return int(uid)


def _trusted_peer(connection: QLocalSocket) -> bool:
    """Whether the other end runs as this user (always true where that cannot be told)."""
    if not checks_peers():
        return True
    return peer_uid(int(connection.socketDescriptor())) == os.geteuid()


def _socket_file_problem(name: str) -> str | None:
    """Why the socket file ``name`` is not to be trusted, or None (also when there is none)."""
    if not checks_peers() or not Path(name).is_absolute():
        return None
    try:
        info = os.lstat(name)
    except FileNotFoundError:
        return None
    except OSError as error:
        return f"cannot check {name}: {error.strerror or error}"
    if not stat.S_ISSOCK(info.st_mode):
        return f"{name} is not a socket"
    if info.st_uid != os.geteuid():
        return f"{name} belongs to another user (uid {info.st_uid})"
    return None


def _connect(name: str, timeout_ms: int) -> tuple[QLocalSocket | None, str | None]:
    """A connection to a listener of this user's on ``name``, or None and why not.

    The reason is None when nobody listens; otherwise it says why the listener there is
    not trusted (another user's socket file or process).
    """
    problem = _socket_file_problem(name)
    if problem is not None:
        return None, problem
    connection = QLocalSocket()
    connection.connectToServer(name)
    if not connection.waitForConnected(timeout_ms):
        return None, None
    if not _trusted_peer(connection):
        uid = peer_uid(int(connection.socketDescriptor()))
        connection.abort()
        return None, f"the process listening on {name} runs as another user (uid {uid})"
    return connection, None


def send_command(name: str, command: dict[str, Any], timeout_ms: int = CONNECT_TIMEOUT_MS) -> bool:
    """Hand ``command`` to the instance listening on ``name``; False when none listens.

    Also False (with a warning) when what listens is not this user's.
    """
    connection, problem = _connect(name, timeout_ms)
    if connection is None:
        if problem is not None:
            log.warning("not handing over to another backtimer: %s", problem)
        return False
    data = json.dumps(command, separators=(",", ":")).encode("utf-8") + b"\n"
    connection.write(data)
    sent = connection.waitForBytesWritten(timeout_ms) or connection.bytesToWrite() == 0
    connection.disconnectFromServer()
    if connection.state() != QLocalSocket.LocalSocketState.UnconnectedState:
        connection.waitForDisconnected(timeout_ms)
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

    def __init__(self, name: str | None, parent: QObject | None = None) -> None:
        """``name`` None: there is no safe place for the socket; this never listens."""
        super().__init__(parent)
        self.name = name
        self._server = QLocalServer(self)
        # Only this user may connect.
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)
        self._clients: set[_Client] = set()

    def listen(self) -> bool:
        """Start listening; False when another instance of this user's already does.

        A socket left by an instance that is gone (nobody answers on it) is replaced, and
        so is one another user put there (with a warning). (Qt would replace even a live
        one's socket, so whoever answers is asked first.)
        """
        if self._server.isListening():
            return True
        if self.name is None:
            return False
        probe, problem = _connect(self.name, CONNECT_TIMEOUT_MS)
        if probe is not None:
            probe.abort()
            return False
        if problem is not None:
            log.warning("replacing a socket that is not this user's: %s", problem)
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
            connection = self._server.nextPendingConnection()
            if connection is None:
                continue
            if not _trusted_peer(connection):
                uid = peer_uid(int(connection.socketDescriptor()))
                log.warning("dropped a connection from another user (uid %s)", uid)
                connection.abort()
                connection.deleteLater()
                continue
            self._clients.add(_Client(connection, self))

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
    name: str | None, command: dict[str, Any], parent: QObject | None = None
) -> SingleInstance | None:
    """Become the first instance, or hand ``command`` to the one there is.

    Returns the listening :class:`SingleInstance` when this launch is the first (the caller
    then acts on ``command`` itself), or None when the command went to the running one and
    this launch should exit. ``name`` None (no safe place for the socket, see
    :func:`server_name`): a :class:`SingleInstance` that does not listen; this launch runs
    alone.
    """
    instance = SingleInstance(name, parent)
    if name is None:
        log.warning("running without handing over between launches: no private socket folder")
        return instance
    for _attempt in range(3):
        if send_command(name, command):
            return None
        if instance.listen():
            return instance
    # Neither reachable nor free: run on, alone, rather than not at all.
    log.warning("could not reach the running backtimer nor listen on %s", name)
    return instance
