"""One instance per data folder: a second launch's command reaches the first."""

from __future__ import annotations

import json
import os
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QDir
from PySide6.QtNetwork import QLocalSocket
from pytestqt.qtbot import QtBot

from backtimer.qt.shell import single_instance
from backtimer.qt.shell.single_instance import SingleInstance, claim, send_command, server_name
from tests.helpers.other_user import OTHER_UID, impostor_listening, needs_root

linux_only = pytest.mark.skipif(
    not single_instance.checks_peers(), reason="peer credentials are checked on Linux"
)


def short_private_folder() -> Path:
    """A 0700 folder with a short path (a socket's path must fit in 108 bytes)."""
    return Path(tempfile.mkdtemp(prefix="bt-"))


@pytest.fixture(autouse=True)
def runtime_dir(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A runtime folder of the test's own, as a desktop session has."""
    folder = short_private_folder()
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(folder))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def name(tmp_path: Path) -> str:
    found = server_name(tmp_path / "data")
    assert found is not None
    return found


@pytest.fixture
def first(name: str) -> Iterator[SingleInstance]:
    instance = SingleInstance(name)
    assert instance.listen()
    yield instance
    instance.close()


def test_the_name_follows_the_data_folder(tmp_path: Path) -> None:
    assert server_name(tmp_path / "a") == server_name(tmp_path / "a" / ".." / "a")
    assert server_name(tmp_path / "a") != server_name(tmp_path / "b")
    name = server_name(tmp_path / "a")
    assert name is not None
    assert len(Path(name).name) < 40  # short enough for any socket path


@pytest.mark.parametrize(
    "command",
    [{"command": "break-now"}, {"command": "show"}, {"command": "run", "routine": "neck"}],
)
def test_a_second_launch_hands_over_its_command(
    qtbot: QtBot, name: str, first: SingleInstance, command: dict[str, str]
) -> None:
    with qtbot.waitSignal(first.command_received, timeout=5000) as received:
        assert send_command(name, command)
    assert received.args == [command]


def test_claim_is_first_once(qtbot: QtBot, name: str) -> None:
    instance = claim(name, {"command": "show"})
    assert instance is not None
    assert instance.listening
    try:
        with qtbot.waitSignal(instance.command_received, timeout=5000) as received:
            assert claim(name, {"command": "break-now"}) is None
        assert received.args == [{"command": "break-now"}]
    finally:
        instance.close()


def test_separate_data_folders_do_not_meet(qtbot: QtBot, tmp_path: Path) -> None:
    one = SingleInstance(server_name(tmp_path / "one"))
    two = SingleInstance(server_name(tmp_path / "two"))
    try:
        assert one.listen()
        assert two.listen()
    finally:
        one.close()
        two.close()


def test_nobody_listening_means_not_delivered(name: str) -> None:
    assert not send_command(name, {"command": "show"}, timeout_ms=200)


@pytest.mark.skipif(sys.platform == "win32", reason="local sockets are files on Unix only")
def test_a_stale_socket_is_replaced(qtbot: QtBot, name: str) -> None:
    # What a crashed instance leaves: the socket file, with nobody behind it.
    path = str(Path(QDir.tempPath()) / name)
    stale = socket.socket(socket.AF_UNIX)
    stale.bind(path)
    stale.close()
    assert Path(path).exists()
    assert not send_command(name, {"command": "show"}, timeout_ms=200)
    instance = SingleInstance(name)
    try:
        assert instance.listen()
        with qtbot.waitSignal(instance.command_received, timeout=5000):
            assert send_command(name, {"command": "show"})
    finally:
        instance.close()


def test_a_second_instance_does_not_take_over(name: str, first: SingleInstance) -> None:
    second = SingleInstance(name)
    assert not second.listen()
    assert first.listening


def test_garbage_is_ignored(qtbot: QtBot, name: str, first: SingleInstance) -> None:
    client = QLocalSocket()
    client.connectToServer(name)
    assert client.waitForConnected(2000)
    with qtbot.waitSignal(first.command_received, timeout=5000) as received:
        client.write(b'not json\n[1, 2]\n{"no": "command"}\n{"command": 3}\n')
        client.write(b'{"command": "show"}')  # the last line may lack its newline
        client.flush()
        client.disconnectFromServer()
    assert received.args == [{"command": "show"}]


# -- other users of the machine (issue 12, item 9) ----------------------------------------


def socket_path(name: str) -> Path:
    """Where the socket file of ``name`` is (a bare name is in Qt's temporary folder)."""
    return Path(QDir.tempPath()) / name


@pytest.fixture
def impostor(request: pytest.FixtureRequest, name: str) -> Iterator[subprocess.Popen[str]]:
    give_file, become = request.param
    with impostor_listening(socket_path(name), give_file, become) as process:
        yield process


def test_the_socket_is_in_a_folder_only_the_user_can_enter(name: str, runtime_dir: Path) -> None:
    assert Path(name).parent == runtime_dir
    info = os.lstat(Path(name).parent)
    assert stat.S_ISDIR(info.st_mode)
    assert info.st_uid == os.geteuid()
    assert stat.S_IMODE(info.st_mode) == 0o700


@linux_only
def test_the_socket_is_the_users_own_and_private(qtbot: QtBot, first: SingleInstance) -> None:
    assert first.name is not None
    info = os.lstat(first.name)
    assert stat.S_ISSOCK(info.st_mode)
    assert info.st_uid == os.geteuid()
    assert stat.S_IMODE(info.st_mode) & 0o077 == 0


@linux_only
@pytest.mark.parametrize("mode", [0o755, 0o711, 0o770])
def test_a_runtime_folder_others_may_enter_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, runtime_dir: Path, mode: int
) -> None:
    runtime_dir.chmod(mode)
    temporary = short_private_folder()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    try:
        name = server_name(tmp_path / "data")
        assert name is not None
        folder = Path(name).parent
        assert folder == temporary / f"backtimer-{os.geteuid()}"
        info = os.lstat(folder)
        assert (info.st_uid, stat.S_IMODE(info.st_mode)) == (os.geteuid(), 0o700)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


@linux_only
@needs_root
def test_a_runtime_folder_of_another_user_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, runtime_dir: Path
) -> None:
    os.chown(runtime_dir, OTHER_UID, OTHER_UID)
    temporary = short_private_folder()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    try:
        name = server_name(tmp_path / "data")
        assert name is not None
        assert Path(name).parent == temporary / f"backtimer-{os.geteuid()}"
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


@pytest.fixture
def no_runtime_dir(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """No XDG_RUNTIME_DIR; the temporary folder is one of the test's own."""
    monkeypatch.delenv("XDG_RUNTIME_DIR")
    temporary = short_private_folder()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    yield temporary / f"backtimer-{os.geteuid()}"
    shutil.rmtree(temporary, ignore_errors=True)


@linux_only
def test_without_a_runtime_folder_a_private_one_is_made(
    tmp_path: Path, no_runtime_dir: Path
) -> None:
    name = server_name(tmp_path / "data")
    assert name is not None
    assert Path(name).parent == no_runtime_dir
    info = os.lstat(no_runtime_dir)
    assert (stat.S_ISDIR(info.st_mode), info.st_uid) == (True, os.geteuid())
    assert stat.S_IMODE(info.st_mode) == 0o700


@linux_only
def test_a_private_folder_of_ours_left_open_is_closed(tmp_path: Path, no_runtime_dir: Path) -> None:
    no_runtime_dir.mkdir()
    no_runtime_dir.chmod(0o777)
    name = server_name(tmp_path / "data")
    assert name is not None
    assert Path(name).parent == no_runtime_dir
    assert stat.S_IMODE(os.lstat(no_runtime_dir).st_mode) == 0o700


@linux_only
def test_a_link_in_place_of_the_private_folder_means_no_single_instance(
    qtbot: QtBot, tmp_path: Path, no_runtime_dir: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    no_runtime_dir.symlink_to(elsewhere)
    assert server_name(tmp_path / "data") is None
    # The app then runs alone: claim gives an instance that never listens.
    instance = claim(None, {"command": "show"})
    assert instance is not None
    assert not instance.listen()
    assert not instance.listening
    assert list(elsewhere.iterdir()) == []


@linux_only
@needs_root
def test_a_private_folder_of_another_user_means_no_single_instance(
    tmp_path: Path, no_runtime_dir: Path
) -> None:
    no_runtime_dir.mkdir(mode=0o700)
    os.chown(no_runtime_dir, OTHER_UID, OTHER_UID)
    assert server_name(tmp_path / "data") is None


@linux_only
@needs_root
@pytest.mark.parametrize(
    "impostor",
    [(True, False), (False, True), (True, True)],
    ids=["socket-file-of-another-user", "process-of-another-user", "both"],
    indirect=True,
)
def test_a_listener_of_another_user_gets_nothing_and_this_launch_starts(
    qtbot: QtBot, name: str, impostor: subprocess.Popen[str]
) -> None:
    assert impostor.poll() is None
    assert not send_command(name, {"command": "break-now"})
    instance = claim(name, {"command": "break-now"})
    assert instance is not None  # not handed over: this launch is the first
    try:
        assert instance.listening
        info = os.lstat(name)
        assert (stat.S_ISSOCK(info.st_mode), info.st_uid) == (True, os.geteuid())
        with qtbot.waitSignal(instance.command_received, timeout=5000) as received:
            assert send_command(name, {"command": "show"})
        assert received.args == [{"command": "show"}]
    finally:
        instance.close()


@linux_only
def test_a_listener_that_is_not_ours_by_its_credentials_is_not_trusted(
    qtbot: QtBot, name: str, first: SingleInstance, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What SO_PEERCRED says of the listener decides, whatever the socket file looks like.
    monkeypatch.setattr(single_instance, "peer_uid", lambda descriptor: os.geteuid() + 1)
    assert not send_command(name, {"command": "show"})


#: Connects to argv[1] as the other user and sends a command; prints "closed" when the
#: server hangs up, "open" if it is still connected after 10 s.
OTHER_CLIENT = """
import os, socket, sys
os.setgid(65534)
os.setuid(65534)
client = socket.socket(socket.AF_UNIX)
client.connect(sys.argv[1])
client.settimeout(10)
try:
    client.sendall(b'{"command": "show"}\\n')
    print("closed" if client.recv(1) == b"" else "data", flush=True)
except (BrokenPipeError, ConnectionResetError):
    print("closed", flush=True)
except TimeoutError:
    print("open", flush=True)
"""


@linux_only
@needs_root
def test_a_connection_from_another_user_is_dropped(qtbot: QtBot) -> None:
    # Only a slip of the permissions lets another user reach the socket; let it slip.
    shared = Path(tempfile.mkdtemp(prefix="bt-"))
    try:
        shared.chmod(0o777)
        instance = SingleInstance(str(shared / "backtimer-shared"))
        assert instance.listen()
        try:
            (shared / "backtimer-shared").chmod(0o777)
            received: list[dict[str, str]] = []
            instance.command_received.connect(received.append)
            client = subprocess.Popen(
                [sys.executable, "-c", OTHER_CLIENT, str(shared / "backtimer-shared")],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            try:
                qtbot.waitUntil(lambda: client.poll() is not None, timeout=15000)
            finally:
                said, complaint = client.communicate()
            assert said.strip() == "closed", complaint
            assert received == []
        finally:
            instance.close()
    finally:
        shutil.rmtree(shared, ignore_errors=True)


def test_a_connection_whose_credentials_are_not_ours_is_dropped(
    qtbot: QtBot, name: str, first: SingleInstance, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(single_instance, "checks_peers", lambda: True)
    monkeypatch.setattr(single_instance, "peer_uid", lambda descriptor: OTHER_UID)
    received: list[dict[str, str]] = []
    first.command_received.connect(received.append)
    client = QLocalSocket()
    client.connectToServer(name)
    assert client.waitForConnected(2000)
    with qtbot.waitSignal(client.disconnected, timeout=5000):
        client.write(b'{"command": "show"}\n')
        client.flush()
    assert received == []


@linux_only
def test_a_stale_socket_in_the_runtime_folder_is_removed(qtbot: QtBot, name: str) -> None:
    stale = socket.socket(socket.AF_UNIX)
    stale.bind(name)
    stale.close()
    before = os.lstat(name).st_ino
    instance = claim(name, {"command": "show"})
    assert instance is not None
    try:
        assert instance.listening
        assert os.lstat(name).st_ino != before  # a socket of its own, not the stale one
        with qtbot.waitSignal(instance.command_received, timeout=5000):
            assert send_command(name, {"command": "show"})
    finally:
        instance.close()
    assert not Path(name).exists()  # closing takes the socket away


@settings(deadline=None)  # examples from the profile: 30 quick, 200 in CI
@given(
    line=st.binary(max_size=512)
    | st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
        max_leaves=8,
    ).map(lambda value: json.dumps(value).encode())
)
def test_any_line_from_another_launch_is_a_command_or_dropped(line: bytes) -> None:
    instance = SingleInstance(None)
    received: list[object] = []
    instance.command_received.connect(received.append)
    instance.deliver(line)
    assert all(isinstance(c, dict) and isinstance(c.get("command"), str) for c in received)
