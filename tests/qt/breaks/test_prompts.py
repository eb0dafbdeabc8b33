"""The break prompts: the window, the balloon, the notification (on a fake server), the choice."""

from __future__ import annotations

import socket
from collections import deque
from collections.abc import Iterator
from typing import Any

import pytest
from jeepney import (
    DBusAddress,
    HeaderFields,
    MatchRule,
    Message,
    new_error,
    new_method_return,
    new_signal,
)
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSystemTrayIcon
from pytestqt.qtbot import QtBot

from backtimer.qt.breaks import notifications
from backtimer.qt.breaks.notifications import DBusNotifier
from backtimer.qt.breaks.prompts import (
    BalloonPrompter,
    BreakPrompter,
    WindowPrompter,
    choose_prompter,
)
from tests.helpers.fakes import FakePrompter

SERVER = DBusAddress(notifications.PATH, interface=notifications.INTERFACE)


class FakeServer:
    """Stands in for a jeepney connection to a notification server: answers calls, and
    queues the server's signals for the filters as the bus would."""

    def __init__(self, capabilities: tuple[str, ...] = ("actions", "body")) -> None:
        self.capabilities = list(capabilities)
        self.calls: list[tuple[str, tuple[Any, ...], str]] = []
        self.next_id = 41
        self.refuse = False
        self.queues: list[tuple[MatchRule, deque[Message]]] = []
        self.sock, self._peer = socket.socketpair()
        self.closed = False

    def filter(self, rule: MatchRule, *, queue: deque[Message]) -> None:
        self.queues.append((rule, queue))

    def emit(self, member: str, signature: str, body: tuple[Any, ...]) -> None:
        message = new_signal(SERVER, member, signature, body)
        for rule, queue in self.queues:
            if rule.matches(message):
                queue.append(message)

    def send_and_get_reply(self, message: Message, *, timeout: float) -> Message:
        member = message.header.fields[HeaderFields.member]
        signature = message.header.fields.get(HeaderFields.signature, "")
        self.calls.append((member, tuple(message.body), signature))
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
            self.emit("NotificationClosed", "uu", (message.body[0], notifications.CLOSED_BY_CALL))
        return new_method_return(message)

    def recv_messages(self, *, timeout: float) -> None:
        raise TimeoutError

    def close(self) -> None:
        self.closed = True
        self.sock.close()
        self._peer.close()


@pytest.fixture
def server() -> Iterator[FakeServer]:
    fake = FakeServer()
    yield fake
    if not fake.closed:
        fake.close()


def make_notifier(server: FakeServer, fallback: BreakPrompter | None = None) -> DBusNotifier:
    return DBusNotifier(server, server.capabilities, fallback=fallback)  # type: ignore[arg-type]


def answers(prompter: BreakPrompter) -> list[str]:
    got: list[str] = []
    prompter.start_requested.connect(lambda: got.append("start"))
    prompter.snooze_requested.connect(lambda: got.append("snooze"))
    prompter.skip_requested.connect(lambda: got.append("skip"))
    prompter.dismissed.connect(lambda: got.append("dismissed"))
    return got


# -- the notification -----------------------------------------------------------------------


def test_the_notification_carries_the_three_actions(qtbot: QtBot, server: FakeServer) -> None:
    notifier = make_notifier(server)
    assert server.calls[0][0] == "AddMatch"
    notifier.show_reminder("Time for a break", "Two minutes for your back.")
    member, body, signature = server.calls[-1]
    assert member == "Notify"
    assert signature == "susssasa{sv}i"
    app, replaces, _icon, summary, text, actions, hints, _timeout = body
    assert (app, replaces, summary, text) == (
        "backtimer",
        0,
        "Time for a break",
        "Two minutes for your back.",
    )
    assert actions == ["default", "Start break", "snooze", "Snooze 10 min", "skip", "Skip"]
    assert hints["urgency"] == ("y", 1)
    assert hints["desktop-entry"] == ("s", "backtimer")
    assert hints["category"][1].startswith("x-")
    assert notifier.notification_id == 42
    assert notifier.showing


@pytest.mark.parametrize(
    ("key", "answer"), [("default", "start"), ("snooze", "snooze"), ("skip", "skip")]
)
def test_an_action_on_our_notification_answers(
    qtbot: QtBot, server: FakeServer, key: str, answer: str
) -> None:
    notifier = make_notifier(server)
    got = answers(notifier)
    notifier.show_reminder("Time for a break", "")
    server.emit("ActionInvoked", "us", (7, "default"))  # someone else's notification
    server.emit("ActionInvoked", "us", (42, key))
    server.emit("NotificationClosed", "uu", (42, notifications.CLOSED_DISMISSED))
    notifier._on_readable()
    assert got == [answer]
    assert not notifier.showing


def test_closing_it_dismisses_but_withdrawing_is_silent(qtbot: QtBot, server: FakeServer) -> None:
    notifier = make_notifier(server)
    got = answers(notifier)
    notifier.show_reminder("Time for a break", "")
    server.emit("NotificationClosed", "uu", (42, notifications.CLOSED_EXPIRED))
    notifier._on_readable()
    assert got == ["dismissed"]
    notifier.show_reminder("Time for a break", "")
    notifier.withdraw()
    assert server.calls[-1][:2] == ("CloseNotification", (43,))
    notifier._on_readable()
    assert got == ["dismissed"]
    assert notifier.notification_id is None


def test_markup_is_escaped_where_the_server_reads_it(qtbot: QtBot) -> None:
    server = FakeServer(("actions", "body", "body-markup"))
    try:
        notifier = make_notifier(server)
        notifier.show_reminder("Break", "Stand up & stretch <now>")
        assert server.calls[-1][1][4] == "Stand up &amp; stretch &lt;now&gt;"
    finally:
        server.close()


def test_a_server_gone_hands_the_reminder_to_the_fallback(qtbot: QtBot, server: FakeServer) -> None:
    fallback = FakePrompter()
    notifier = make_notifier(server, fallback)
    got = answers(notifier)
    server.refuse = True
    notifier.show_reminder("Time for a break", "Now.")
    assert fallback.shown == [("Time for a break", "Now.")]
    fallback.choose("snooze")
    assert got == ["snooze"]
    notifier.show_reminder("Again", "")
    notifier.withdraw()
    assert fallback.withdrawn == 1
    notifier.close()


def test_no_session_bus_means_no_notifier(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    assert DBusNotifier.open() is None
    assert DBusNotifier.open("unix:path=/nonexistent/backtimer-test-bus") is None


def test_a_server_without_actions_is_not_used(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = FakeServer(("body",))
    monkeypatch.setattr(notifications, "open_dbus_connection", lambda bus: server)
    assert DBusNotifier.open("unix:path=/fake") is None
    assert server.closed


# -- the balloon and the window -----------------------------------------------------------


def test_clicking_the_balloon_starts_the_break(qtbot: QtBot) -> None:
    tray = QSystemTrayIcon()
    balloon = BalloonPrompter(tray)
    got = answers(balloon)
    tray.messageClicked.emit()
    assert got == []  # nothing was asked
    balloon.show_reminder("Time for a break", "")
    tray.messageClicked.emit()
    tray.messageClicked.emit()
    assert got == ["start"]
    balloon.show_reminder("Time for a break", "")
    balloon.withdraw()
    tray.messageClicked.emit()
    assert got == ["start"]


def show_window(qtbot: QtBot) -> tuple[WindowPrompter, list[str]]:
    prompter = WindowPrompter(snooze_minutes=15)
    qtbot.addWidget(prompter.window)
    got = answers(prompter)
    prompter.show_reminder("Time for a break", "You have been sitting for an hour.")
    qtbot.waitExposed(prompter.window)
    return prompter, got


def test_the_window_asks_with_three_buttons(qtbot: QtBot) -> None:
    prompter, got = show_window(qtbot)
    window = prompter.window
    assert window.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
    assert window.title_label.text() == "Time for a break"
    assert window.body_label.text() == "You have been sitting for an hour."
    assert window.snooze_button.accessibleName() == "Snooze 15 min"
    for button in (window.start_button, window.snooze_button, window.skip_button):
        assert button.accessibleName()
        assert button.focusPolicy() & Qt.FocusPolicy.TabFocus
        assert "&" in button.text()  # Alt+letter reaches it
    assert window.start_button.isDefault()
    qtbot.mouseClick(window.snooze_button, Qt.MouseButton.LeftButton)
    assert got == ["snooze"]
    assert not window.isVisible()


def test_the_window_is_keyboard_reachable(qtbot: QtBot) -> None:
    prompter, got = show_window(qtbot)
    window = prompter.window
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    assert window.focusWidget() is window.start_button
    qtbot.keyClick(window.start_button, Qt.Key.Key_Tab)
    assert window.focusWidget() is window.snooze_button
    qtbot.keyClick(window.snooze_button, Qt.Key.Key_Tab)
    qtbot.keyClick(window.skip_button, Qt.Key.Key_Space)
    assert got == ["skip"]


def test_esc_closes_the_window_as_a_dismissal(qtbot: QtBot) -> None:
    prompter, got = show_window(qtbot)
    prompter.window.activateWindow()
    qtbot.waitUntil(prompter.window.isActiveWindow)
    qtbot.keyClick(prompter.window, Qt.Key.Key_Escape)
    assert got == ["dismissed"]
    prompter.show_reminder("Time for a break", "")
    prompter.withdraw()
    assert not prompter.window.isVisible()
    assert got == ["dismissed"]


def test_without_bus_or_tray_the_window_asks(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    prompter = choose_prompter(None)
    assert isinstance(prompter, WindowPrompter)
    qtbot.addWidget(prompter.window)


def test_a_notification_server_is_preferred(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, server: FakeServer
) -> None:
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/fake")
    monkeypatch.setattr(notifications, "open_dbus_connection", lambda bus: server)
    prompter = choose_prompter(None, snooze_minutes=5)
    assert isinstance(prompter, DBusNotifier)
    prompter.show_reminder("Break", "")
    assert server.calls[-1][1][5][3] == "Snooze 5 min"
    prompter.close()


def test_the_fake_prompter_answers_once(qtbot: QtBot) -> None:
    fake = FakePrompter()
    got = answers(fake)
    fake.show_reminder("Break", "")
    fake.choose("start")
    fake.choose("skip")
    assert got == ["start"]
    assert fake.shown == [("Break", "")]
