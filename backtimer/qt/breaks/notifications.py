"""The break reminder as a desktop notification (org.freedesktop.Notifications).

The notification carries three actions: "default" (Start break: the key a click on the
notification, or ``dunstctl action``, invokes), "snooze" and "skip". The server's
``ActionInvoked`` and ``NotificationClosed`` signals are read for our notification only.

The messages go through jeepney on a connection of its own, watched by a
:class:`~PySide6.QtCore.QSocketNotifier`, so nothing polls. QtDBus cannot be used for this
from Python: PySide6 turns every Python int into a D-Bus int32 (or int16 through
QDBusArgument), while ``Notify`` and ``CloseNotification`` take a uint32 id and the
urgency hint is a byte; servers refuse the call otherwise.

Only the session bus named by ``DBUS_SESSION_BUS_ADDRESS`` is used; without it (or without
a server that supports actions) :meth:`DBusNotifier.open` returns None and another prompter
is used. Should the server go away later, reminders go to the ``fallback`` prompter.
"""

from __future__ import annotations

import logging
import os
from collections import deque
from typing import TYPE_CHECKING, Any

from jeepney import DBusAddress, HeaderFields, MatchRule, Message, MessageType, new_method_call
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import DBusConnection, open_dbus_connection
from PySide6.QtCore import QObject, QSocketNotifier

from backtimer.qt.breaks.prompts import DEFAULT_SNOOZE_MINUTES, BreakPrompter, snooze_label

if TYPE_CHECKING:
    from PySide6.QtCore import QSocketDescriptor

log = logging.getLogger(__name__)

SERVICE = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
INTERFACE = "org.freedesktop.Notifications"
#: The server's object.
NOTIFICATIONS = DBusAddress(PATH, bus_name=SERVICE, interface=INTERFACE)

#: Action keys. "default" is what a click on the notification invokes.
ACTION_START = "default"
ACTION_SNOOZE = "snooze"
ACTION_SKIP = "skip"

#: NotificationClosed reasons.
CLOSED_EXPIRED = 1
CLOSED_DISMISSED = 2
CLOSED_BY_CALL = 3

#: The hint category (vendor categories start with "x-").
CATEGORY = "x-backtimer.break"
#: How long a call to the server may take before it counts as gone, in seconds.
CALL_TIMEOUT_S = 2.0


class NotificationError(RuntimeError):
    """The notification server refused a call or did not answer."""


def _call(connection: DBusConnection, message: Message) -> tuple[Any, ...]:
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


class DBusNotifier(BreakPrompter):
    """A desktop notification with Start break, Snooze and Skip."""

    kind = "notification"

    def __init__(
        self,
        connection: DBusConnection,
        capabilities: list[str],
        snooze_minutes: int = DEFAULT_SNOOZE_MINUTES,
        fallback: BreakPrompter | None = None,
        parent: QObject | None = None,
        app_name: str = "backtimer",
        desktop_entry: str = "backtimer",
        icon: str = "",
    ) -> None:
        super().__init__(snooze_minutes, parent)
        self._connection: DBusConnection | None = connection
        self.capabilities = list(capabilities)
        self._app_name = app_name
        self._desktop_entry = desktop_entry
        self._icon = icon
        #: The id of our notification while it shows.
        self.notification_id: int | None = None
        self._fallback = fallback
        self._using_fallback = False
        if fallback is not None:
            fallback.setParent(self)
            fallback.start_requested.connect(self._relay_start)
            fallback.snooze_requested.connect(self._relay_snooze)
            fallback.skip_requested.connect(self._relay_skip)
            fallback.dismissed.connect(self._relay_dismissed)
        self._signals: deque[Message] = deque()
        rule = MatchRule(type="signal", interface=INTERFACE, path=PATH)
        connection.filter(rule, queue=self._signals)
        _call(connection, message_bus.AddMatch(rule))
        self._notifier = QSocketNotifier(connection.sock.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._on_readable)

    @classmethod
    def open(
        cls,
        address: str | None = None,
        snooze_minutes: int = DEFAULT_SNOOZE_MINUTES,
        fallback: BreakPrompter | None = None,
        parent: QObject | None = None,
    ) -> DBusNotifier | None:
        """A notifier on the session bus (or ``address``); None when there is no bus or no
        notification server with actions."""
        address = address or os.environ.get("DBUS_SESSION_BUS_ADDRESS")
        if not address:
            return None
        try:
            connection = open_dbus_connection(bus=address)
        except (OSError, ValueError, RuntimeError) as error:
            log.debug("no session bus at %s: %s", address, error)
            return None
        try:
            capabilities = list(
                _call(connection, new_method_call(NOTIFICATIONS, "GetCapabilities"))[0]
            )
            if "actions" not in capabilities:
                log.debug("the notification server has no actions: %s", capabilities)
                connection.close()
                return None
            return cls(connection, capabilities, snooze_minutes, fallback, parent)
        except NotificationError as error:
            log.debug("no notification server: %s", error)
            connection.close()
            return None

    # -- the prompter -----------------------------------------------------------------

    def show_reminder(self, title: str, body: str) -> None:
        """Show the notification (replacing ours if it still shows)."""
        super().show_reminder(title, body)
        if self._connection is not None:
            try:
                self._notify(title, body)
                self._using_fallback = False
                return
            except NotificationError as error:
                log.warning("could not show the break notification: %s", error)
                self._broken()
        if self._fallback is not None:
            self._using_fallback = True
            self._fallback.snooze_minutes = self.snooze_minutes
            self._fallback.show_reminder(title, body)

    def withdraw(self) -> None:
        """Close our notification."""
        super().withdraw()
        if self._using_fallback and self._fallback is not None:
            self._fallback.withdraw()
        shown, self.notification_id = self.notification_id, None
        if shown is not None:
            self._close_notification(shown)

    def _close_notification(self, notification_id: int) -> None:
        if self._connection is None:
            return
        try:
            _call(
                self._connection,
                new_method_call(NOTIFICATIONS, "CloseNotification", "u", (notification_id,)),
            )
        except NotificationError as error:
            log.debug("could not close the notification: %s", error)

    def close(self) -> None:
        """Close the notification and the connection."""
        self.withdraw()
        if self._connection is not None:
            self._notifier.setEnabled(False)
            self._connection.close()
            self._connection = None

    def _notify(self, title: str, body: str) -> None:
        assert self._connection is not None
        if "body-markup" in self.capabilities:
            from html import escape  # here: its entity table is not worth keeping in the tray

            body = escape(body, quote=False)
        actions = [
            ACTION_START,
            "Start break",
            ACTION_SNOOZE,
            snooze_label(self.snooze_minutes),
            ACTION_SKIP,
            "Skip",
        ]
        hints = {
            "urgency": ("y", 1),
            "category": ("s", CATEGORY),
            "desktop-entry": ("s", self._desktop_entry),
        }
        message = new_method_call(
            NOTIFICATIONS,
            "Notify",
            "susssasa{sv}i",
            (
                self._app_name,
                self.notification_id or 0,
                self._icon,
                title,
                body,
                actions,
                hints,
                0,  # stays until answered, where the server allows
            ),
        )
        (self.notification_id,) = _call(self._connection, message)
        self._handle_queued()

    # -- the server's signals -----------------------------------------------------------

    def _on_readable(self, _socket: QSocketDescriptor | None = None) -> None:
        connection = self._connection
        if connection is None:
            return
        try:
            while True:
                connection.recv_messages(timeout=0)
        except TimeoutError:
            pass  # all read
        except (OSError, ValueError) as error:
            log.warning("lost the session bus: %s", error)
            self._broken()
        self._handle_queued()

    def _handle_queued(self) -> None:
        while self._signals:
            self.handle_signal(self._signals.popleft())

    def handle_signal(self, message: Message) -> None:
        """Act on one of the server's signals (public for tests)."""
        member = message.header.fields.get(HeaderFields.member)
        if member == "ActionInvoked":
            notification_id, key = message.body
            self._on_action(int(notification_id), str(key))
        elif member == "NotificationClosed":
            notification_id, reason = message.body
            self._on_closed(int(notification_id), int(reason))

    def _on_action(self, notification_id: int, key: str) -> None:
        if notification_id != self.notification_id:
            return
        self.notification_id = None
        # Servers mostly close a notification once an action is chosen; some (dunst 1.9)
        # leave it up, answered.
        self._close_notification(notification_id)
        signal = {
            ACTION_START: self.start_requested,
            ACTION_SNOOZE: self.snooze_requested,
            ACTION_SKIP: self.skip_requested,
        }.get(key)
        if signal is not None:
            self._answer(signal)

    def _on_closed(self, notification_id: int, reason: int) -> None:
        if notification_id != self.notification_id:
            return
        self.notification_id = None
        if reason != CLOSED_BY_CALL:
            self._answer(self.dismissed)

    def _broken(self) -> None:
        """The bus or the server is gone: use the fallback from now on."""
        if self._connection is not None:
            self._notifier.setEnabled(False)
            self._connection.close()
            self._connection = None
        self.notification_id = None

    # -- the fallback's answers ---------------------------------------------------------

    def _relay_start(self) -> None:
        self._answer(self.start_requested)

    def _relay_snooze(self) -> None:
        self._answer(self.snooze_requested)

    def _relay_skip(self) -> None:
        self._answer(self.skip_requested)

    def _relay_dismissed(self) -> None:
        self._answer(self.dismissed)
