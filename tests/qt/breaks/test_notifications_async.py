"""The notification service never holds up the GUI thread: calls go through a thread of
their own and their answers come back as queued signals.

The slow server here holds a call back until the test releases it (bounded, so that code
that waits on the GUI thread fails instead of hanging the run). Nothing sleeps.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from backtimer.qt.breaks import notifications
from backtimer.qt.breaks.notifications import DBusNotifier
from backtimer.qt.breaks.prompt_choice import choose_prompter
from backtimer.qt.breaks.prompts import BreakPrompter
from tests.helpers.fake_notification_server import HELD_S, FakeServer
from tests.helpers.fakes import FakePrompter


@pytest.fixture
def server() -> Iterator[FakeServer]:
    fake = FakeServer()
    yield fake
    fake.release.set()
    if not fake.closed:
        fake.close()


@pytest.fixture
def made() -> Iterator[list[DBusNotifier]]:
    notifiers: list[DBusNotifier] = []
    yield notifiers
    for notifier in notifiers:
        notifier.close()


def answers(prompter: BreakPrompter) -> list[str]:
    got: list[str] = []
    prompter.start_requested.connect(lambda: got.append("start"))
    prompter.snooze_requested.connect(lambda: got.append("snooze"))
    prompter.skip_requested.connect(lambda: got.append("skip"))
    prompter.dismissed.connect(lambda: got.append("dismissed"))
    return got


def notifier_on(server: FakeServer, made: list[DBusNotifier], **kwargs: object) -> DBusNotifier:
    notifier = DBusNotifier(server, server.capabilities, **kwargs)  # type: ignore[arg-type]
    made.append(notifier)
    return notifier


def test_show_reminder_returns_before_the_server_answers(
    qtbot: QtBot, server: FakeServer, made: list[DBusNotifier]
) -> None:
    server.hold = {"Notify"}
    notifier = notifier_on(server, made)
    got = answers(notifier)

    notifier.show_reminder("Time for a break", "Two minutes for your back.")

    assert server.holding.wait(HELD_S)  # the call is made, on another thread
    assert "Notify" not in server.answered  # and show_reminder did not wait for it
    assert threading.get_ident() not in server.threads
    assert notifier.showing
    assert not notifier.idle
    server.release.set()
    qtbot.waitUntil(lambda: notifier.idle)
    assert notifier.notification_id == 42  # recorded once the answer came
    server.emit("ActionInvoked", "us", (42, "snooze"))
    qtbot.waitUntil(lambda: got == ["snooze"])  # and the actions work
    qtbot.waitUntil(lambda: notifier.idle)
    assert server.members()[-1] == "CloseNotification"


def test_withdrawn_before_the_answer_it_is_closed_once_the_id_comes(
    qtbot: QtBot, server: FakeServer, made: list[DBusNotifier]
) -> None:
    server.hold = {"Notify"}
    notifier = notifier_on(server, made)
    got = answers(notifier)
    notifier.show_reminder("Time for a break", "")
    assert server.holding.wait(HELD_S)
    notifier.withdraw()
    server.release.set()
    qtbot.waitUntil(lambda: notifier.idle)
    assert server.calls[-1][:2] == ("CloseNotification", (42,))
    assert notifier.notification_id is None
    assert got == []


def test_a_reminder_while_one_is_in_flight_replaces_it(
    qtbot: QtBot, server: FakeServer, made: list[DBusNotifier]
) -> None:
    server.hold = {"Notify"}
    notifier = notifier_on(server, made)
    notifier.show_reminder("First", "")
    assert server.holding.wait(HELD_S)
    notifier.show_reminder("Second", "")
    server.release.set()
    qtbot.waitUntil(lambda: notifier.idle)
    notifies = [body for member, body, _sig in server.calls if member == "Notify"]
    assert [(body[1], body[3]) for body in notifies] == [(0, "First"), (42, "Second")]
    assert notifier.notification_id == 42  # one notification, replaced


def test_the_id_read_while_in_flight_waits_for_the_answer(
    qtbot: QtBot, server: FakeServer, made: list[DBusNotifier]
) -> None:
    server.hold = {"Notify"}
    notifier = notifier_on(server, made)
    notifier.show_reminder("Time for a break", "")
    assert server.holding.wait(HELD_S)
    releaser = threading.Thread(target=server.release.set)
    releaser.start()
    assert notifier.notification_id == 42  # for scripts that read it right after showing
    releaser.join()


def test_the_app_asks_the_server_off_the_gui_thread(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, server: FakeServer
) -> None:
    server.hold = {"GetCapabilities"}
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/fake")
    monkeypatch.setattr(notifications, "open_dbus_connection", lambda bus: server)

    prompter = choose_prompter(None)

    try:
        assert isinstance(prompter, DBusNotifier)
        assert server.holding.wait(HELD_S)
        assert server.answered == []  # chosen without waiting for the capabilities
        prompter.show_reminder("Time for a break", "")  # while they are asked for
        server.release.set()
        qtbot.waitUntil(lambda: prompter.idle)
        assert server.members() == ["GetCapabilities", "AddMatch", "Notify"]
        assert prompter.notification_id == 42
        assert prompter.capabilities == server.capabilities
    finally:
        prompter.close()


@pytest.mark.parametrize("problem", ["no-bus", "no-actions"])
def test_without_a_server_the_reminder_goes_to_the_fallback(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, problem: str
) -> None:
    server = FakeServer(("body",))

    def connect(bus: str) -> FakeServer:
        if problem == "no-bus":
            raise OSError("no bus here")
        return server

    monkeypatch.setattr(notifications, "open_dbus_connection", connect)
    fallback = FakePrompter()
    notifier = DBusNotifier.open_in_background("unix:path=/fake", fallback=fallback)
    assert notifier is not None
    try:
        got = answers(notifier)
        notifier.show_reminder("Time for a break", "Now.")
        qtbot.waitUntil(lambda: fallback.shown == [("Time for a break", "Now.")])
        fallback.choose("start")
        assert got == ["start"]
        assert server.members() == ([] if problem == "no-bus" else ["GetCapabilities"])
        assert server.closed == (problem == "no-actions")
    finally:
        notifier.close()
        if not server.closed:
            server.close()


def test_closing_takes_the_notification_back_before_it_returns(
    qtbot: QtBot, server: FakeServer
) -> None:
    notifier = DBusNotifier(server, server.capabilities)
    notifier.show_reminder("Time for a break", "")
    qtbot.waitUntil(lambda: notifier.idle)
    notifier.close()  # the app quits: the notification must not outlive it
    assert server.calls[-1][:2] == ("CloseNotification", (42,))
    assert server.closed
