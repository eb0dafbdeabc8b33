"""The break prompts: the window, the balloon, the notification (on a fake server), the choice."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSystemTrayIcon
from pytestqt.qtbot import QtBot

from backtimer.qt.breaks import notifications
from backtimer.qt.breaks.notifications import DBusNotifier
from backtimer.qt.breaks.prompt_choice import choose_prompter
from backtimer.qt.breaks.prompts import BalloonPrompter, BreakPrompter, WindowPrompter
from tests.helpers.fake_notification_server import FakeServer
from tests.helpers.fakes import FakePrompter


@pytest.fixture
def server() -> Iterator[FakeServer]:
    fake = FakeServer()
    yield fake
    if not fake.closed:
        fake.close()


@pytest.fixture
def made() -> Iterator[list[DBusNotifier]]:
    """Notifiers made by a test, closed after it (their bus threads end)."""
    notifiers: list[DBusNotifier] = []
    yield notifiers
    for notifier in notifiers:
        notifier.close()


def make_notifier(
    server: FakeServer, made: list[DBusNotifier], fallback: BreakPrompter | None = None
) -> DBusNotifier:
    notifier = DBusNotifier(server, server.capabilities, fallback=fallback)
    made.append(notifier)
    return notifier


def settle(qtbot: QtBot, notifier: DBusNotifier) -> None:
    """Wait until every call the notifier made is answered and acted on."""
    qtbot.waitUntil(lambda: notifier.idle)


def answers(prompter: BreakPrompter) -> list[str]:
    got: list[str] = []
    prompter.start_requested.connect(lambda: got.append("start"))
    prompter.snooze_requested.connect(lambda: got.append("snooze"))
    prompter.skip_requested.connect(lambda: got.append("skip"))
    prompter.dismissed.connect(lambda: got.append("dismissed"))
    return got


# -- the notification -----------------------------------------------------------------------


def test_the_notification_carries_the_three_actions(
    qtbot: QtBot, server: FakeServer, made: list[DBusNotifier]
) -> None:
    notifier = make_notifier(server, made)
    notifier.show_reminder("Time for a break", "Two minutes for your back.")
    settle(qtbot, notifier)
    assert server.members() == ["AddMatch", "Notify"]
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
    qtbot: QtBot, server: FakeServer, made: list[DBusNotifier], key: str, answer: str
) -> None:
    notifier = make_notifier(server, made)
    got = answers(notifier)
    notifier.show_reminder("Time for a break", "")
    settle(qtbot, notifier)
    server.emit("ActionInvoked", "us", (7, "default"))  # someone else's notification
    server.emit("ActionInvoked", "us", (42, key))
    server.emit("NotificationClosed", "uu", (42, notifications.CLOSED_DISMISSED))
    qtbot.waitUntil(lambda: got == [answer])
    settle(qtbot, notifier)
    assert server.calls[-1][:2] == ("CloseNotification", (42,))
    assert got == [answer]
    assert not notifier.showing


def test_closing_it_dismisses_but_withdrawing_is_silent(
    qtbot: QtBot, server: FakeServer, made: list[DBusNotifier]
) -> None:
    notifier = make_notifier(server, made)
    got = answers(notifier)
    notifier.show_reminder("Time for a break", "")
    settle(qtbot, notifier)
    server.emit("NotificationClosed", "uu", (42, notifications.CLOSED_EXPIRED))
    qtbot.waitUntil(lambda: got == ["dismissed"])
    notifier.show_reminder("Time for a break", "")
    settle(qtbot, notifier)
    notifier.withdraw()
    settle(qtbot, notifier)
    assert server.calls[-1][:2] == ("CloseNotification", (43,))
    assert got == ["dismissed"]
    assert notifier.notification_id is None


def test_markup_is_escaped_where_the_server_reads_it(
    qtbot: QtBot, made: list[DBusNotifier]
) -> None:
    server = FakeServer(("actions", "body", "body-markup"))
    try:
        notifier = make_notifier(server, made)
        notifier.show_reminder("Break", "Stand up & stretch <now>")
        settle(qtbot, notifier)
        assert server.calls[-1][1][4] == "Stand up &amp; stretch &lt;now&gt;"
    finally:
        notifier.close()
        server.close()


def test_a_server_gone_hands_the_reminder_to_the_fallback(
    qtbot: QtBot, server: FakeServer, made: list[DBusNotifier]
) -> None:
    fallback = FakePrompter()
    notifier = make_notifier(server, made, fallback)
    got = answers(notifier)
    server.refuse = True
    notifier.show_reminder("Time for a break", "Now.")
    qtbot.waitUntil(lambda: fallback.shown == [("Time for a break", "Now.")])
    fallback.choose("snooze")
    assert got == ["snooze"]
    notifier.show_reminder("Again", "")
    assert fallback.shown[-1] == ("Again", "")  # at once, now that the server is gone
    notifier.withdraw()
    assert fallback.withdrawn == 1


def test_no_session_bus_means_no_notifier(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    assert DBusNotifier.open() is None
    assert DBusNotifier.open_in_background() is None
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
    settle(qtbot, prompter)
    assert server.members() == ["GetCapabilities", "AddMatch", "Notify"]
    assert server.calls[-1][1][5][3] == "Snooze 5 min"
    assert prompter.capabilities == server.capabilities
    prompter.close()


def test_the_fake_prompter_answers_once(qtbot: QtBot) -> None:
    fake = FakePrompter()
    got = answers(fake)
    fake.show_reminder("Break", "")
    fake.choose("start")
    fake.choose("skip")
    assert got == ["start"]
    assert fake.shown == [("Break", "")]
