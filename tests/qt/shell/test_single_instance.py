"""One instance per data folder: a second launch's command reaches the first."""

from __future__ import annotations

import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDir
from PySide6.QtNetwork import QLocalSocket
from pytestqt.qtbot import QtBot

from backtimer.qt.shell.single_instance import SingleInstance, claim, send_command, server_name


@pytest.fixture
def name(tmp_path: Path) -> str:
    return server_name(tmp_path / "data")


@pytest.fixture
def first(name: str) -> Iterator[SingleInstance]:
    instance = SingleInstance(name)
    assert instance.listen()
    yield instance
    instance.close()


def test_the_name_follows_the_data_folder(tmp_path: Path) -> None:
    assert server_name(tmp_path / "a") == server_name(tmp_path / "a" / ".." / "a")
    assert server_name(tmp_path / "a") != server_name(tmp_path / "b")
    assert len(server_name(tmp_path / "a")) < 40  # short enough for any socket path


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
