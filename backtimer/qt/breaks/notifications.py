"""The break reminder as a desktop notification (org.freedesktop.Notifications).

The notification carries three actions: "default" (Start break: the key a click on the
notification, or ``dunstctl action``, invokes), "snooze" and "skip". The server's
``ActionInvoked`` and ``NotificationClosed`` signals are read for our notification only.

The messages go through jeepney on a connection of its own, owned by a thread of its own
(:class:`~backtimer.qt.breaks.notification_bus.BusThread`): a call to the server may take up to
:data:`~backtimer.qt.breaks.notification_bus.CALL_TIMEOUT_S`, and the GUI thread never waits for
one. The thread makes the calls in order (Notify, CloseNotification, and when the app
starts, connecting and GetCapabilities), reads the server's signals as they arrive, and
hands every answer back to the GUI thread through a queued Qt signal. A reminder shown
while the server has not yet answered the last one replaces it once the answer (its id)
comes; one withdrawn meanwhile is closed then.

QtDBus cannot be used for this from Python: PySide6 turns every Python int into a D-Bus
int32 (or int16 through QDBusArgument), while ``Notify`` and ``CloseNotification`` take a
uint32 id and the urgency hint is a byte; servers refuse the call otherwise.

Only the session bus named by ``DBUS_SESSION_BUS_ADDRESS`` is used. The app asks with
:meth:`DBusNotifier.open_in_background`: without a bus address it returns None and another
prompter is used; when the bus or a server with actions turns out to be missing, or goes
away later, reminders go to the ``fallback`` prompter. :meth:`DBusNotifier.open` does the
same checks at once, waiting for the answers (for scripts and tests).
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable, Sequence
from typing import Any

from jeepney import HeaderFields, Message, new_method_call
from jeepney.io.blocking import DBusConnection, open_dbus_connection
from PySide6.QtCore import QObject, Qt, Signal

from backtimer.qt.breaks.notification_bus import (
    CALL_TIMEOUT_S,
    INTERFACE,
    NOTIFICATIONS,
    PATH,
    SERVICE,
    BusCall,
    BusListener,
    BusThread,
    MessageBuilder,
    NotificationError,
    server_capabilities,
)
from backtimer.qt.breaks.prompts import DEFAULT_SNOOZE_MINUTES, BreakPrompter, snooze_label

__all__ = [
    "ACTION_SKIP",
    "ACTION_SNOOZE",
    "ACTION_START",
    "CALL_TIMEOUT_S",
    "CATEGORY",
    "CLOSED_BY_CALL",
    "CLOSED_DISMISSED",
    "CLOSED_EXPIRED",
    "INTERFACE",
    "NOTIFICATIONS",
    "PATH",
    "SERVICE",
    "DBusNotifier",
    "NotificationError",
]

log = logging.getLogger(__name__)

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
#: The longest :attr:`DBusNotifier.notification_id` waits for an answer: connecting,
#: the capabilities, the match rule and the call itself.
ANSWER_WAIT_S = 4 * CALL_TIMEOUT_S


class _Relay(QObject):
    """Carries work from the bus thread to the GUI thread (a queued connection)."""

    deliver = Signal(object)


class DBusNotifier(BreakPrompter):
    """A desktop notification with Start break, Snooze and Skip.

    Give it an open ``connection`` whose server's ``capabilities`` are known, or a way to
    ``connect`` (then the connection and the capabilities are asked for on the bus
    thread). Either way no call waits on the GUI thread.
    """

    kind = "notification"

    def __init__(
        self,
        connection: DBusConnection | None,
        capabilities: Sequence[str] | None,
        snooze_minutes: int = DEFAULT_SNOOZE_MINUTES,
        fallback: BreakPrompter | None = None,
        parent: QObject | None = None,
        app_name: str = "backtimer",
        desktop_entry: str = "backtimer",
        icon: str = "",
        connect: Callable[[], DBusConnection] | None = None,
    ) -> None:
        super().__init__(snooze_minutes, parent)
        #: The server's capabilities (empty until the bus thread has asked for them).
        self.capabilities = list(capabilities or ())
        self._app_name = app_name
        self._desktop_entry = desktop_entry
        self._icon = icon
        self._fallback = fallback
        self._using_fallback = False
        if fallback is not None:
            fallback.setParent(self)
            fallback.start_requested.connect(self._relay_start)
            fallback.snooze_requested.connect(self._relay_snooze)
            fallback.skip_requested.connect(self._relay_skip)
            fallback.dismissed.connect(self._relay_dismissed)
        #: The id of our notification while it shows, once the server has said it.
        self._shown_id: int | None = None
        #: The Notify call in flight, a reminder to show once it is answered, and whether
        #: the reminder was withdrawn meanwhile.
        self._in_flight: BusCall | None = None
        self._queued: tuple[str, str] | None = None
        self._withdrawn_in_flight = False
        self._reminder = ("", "")
        self._unsettled: set[BusCall] = set()
        self._relay = _Relay(self)
        # Queued even from this thread: an answer is acted on after the call is recorded.
        self._relay.deliver.connect(self._run_delivered, Qt.ConnectionType.QueuedConnection)
        if connection is not None:
            opened = connection

            def connect_now() -> DBusConnection:
                return opened

            connect = connect_now
        if connect is None:
            raise ValueError("DBusNotifier needs a connection or a way to connect")
        self._bus: BusThread | None = BusThread(connect, capabilities, self._post, self._listener())

    @classmethod
    def open_in_background(
        cls,
        address: str | None = None,
        snooze_minutes: int = DEFAULT_SNOOZE_MINUTES,
        fallback: BreakPrompter | None = None,
        parent: QObject | None = None,
    ) -> DBusNotifier | None:
        """A notifier on the session bus (or ``address``), None without a bus address.

        The connection and the server's capabilities are asked for on the bus thread;
        should there be no server with actions, reminders go to ``fallback``.
        """
        address = address or os.environ.get("DBUS_SESSION_BUS_ADDRESS")
        if not address:
            return None
        bus = address

        def connect() -> DBusConnection:
            return open_dbus_connection(bus=bus)

        return cls(None, None, snooze_minutes, fallback, parent, connect=connect)

    @classmethod
    def open(
        cls,
        address: str | None = None,
        snooze_minutes: int = DEFAULT_SNOOZE_MINUTES,
        fallback: BreakPrompter | None = None,
        parent: QObject | None = None,
    ) -> DBusNotifier | None:
        """A notifier on the session bus (or ``address``); None when there is no bus or no
        notification server with actions. This waits for the server's answer (up to
        :data:`CALL_TIMEOUT_S`): the app uses :meth:`open_in_background`."""
        address = address or os.environ.get("DBUS_SESSION_BUS_ADDRESS")
        if not address:
            return None
        try:
            connection = open_dbus_connection(bus=address)
        except (OSError, ValueError, RuntimeError) as error:
            log.debug("no session bus at %s: %s", address, error)
            return None
        try:
            capabilities = server_capabilities(connection)
        except NotificationError as error:
            log.debug("no notification server: %s", error)
            connection.close()
            return None
        return cls(connection, capabilities, snooze_minutes, fallback, parent)

    # -- the prompter -----------------------------------------------------------------

    @property
    def notification_id(self) -> int | None:
        """The id of our notification while it shows.

        While the server has not yet answered the reminder, this waits for its answer (up
        to :data:`ANSWER_WAIT_S`); the app itself never asks, it is told.
        """
        for _ in range(2):  # the reminder in flight, and one queued behind it
            call = self._in_flight
            if call is None or not call.done.wait(ANSWER_WAIT_S):
                break
            self._settle(call)
        return self._shown_id

    @property
    def idle(self) -> bool:
        """True when every call made has been answered and its answer acted on."""
        return not self._unsettled

    def show_reminder(self, title: str, body: str) -> None:
        """Show the notification (replacing ours if it still shows); returns at once."""
        super().show_reminder(title, body)
        self._reminder = (title, body)
        if self._bus is None:
            self._show_fallback()
        elif self._in_flight is not None:
            self._queued, self._withdrawn_in_flight = (title, body), False
        else:
            self._send_notify(title, body)

    def withdraw(self) -> None:
        """Close our notification."""
        super().withdraw()
        if self._using_fallback and self._fallback is not None:
            self._fallback.withdraw()
        if self._in_flight is not None:
            self._withdrawn_in_flight, self._queued = True, None
        shown, self._shown_id = self._shown_id, None
        if shown is not None:
            self._close_notification(shown)

    def close(self) -> None:
        """Close the notification and the connection.

        Called as the app quits: waits (up to :data:`CALL_TIMEOUT_S`) for the server to
        take the notification back, so that it does not outlive the app.
        """
        self.withdraw()
        bus, self._bus = self._bus, None
        if bus is not None:
            bus.stop()
            bus.join(CALL_TIMEOUT_S)

    def _show_fallback(self) -> None:
        if self._fallback is not None:
            self._using_fallback = True
            self._fallback.snooze_minutes = self.snooze_minutes
            self._fallback.show_reminder(*self._reminder)

    def _send_notify(self, title: str, body: str) -> None:
        replaces = self._shown_id or 0
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
        app_name, icon = self._app_name, self._icon

        def build(capabilities: Sequence[str]) -> Message:
            text = body
            if "body-markup" in capabilities:
                from html import escape  # here: its entity table is not worth keeping in the tray

                text = escape(body, quote=False)
            arguments = (app_name, replaces, icon, title, text, actions, hints, 0)
            # A timeout of 0: it stays until answered, where the server allows.
            return new_method_call(NOTIFICATIONS, "Notify", "susssasa{sv}i", arguments)

        def failed(why: str) -> None:
            self._notify_failed(call, why)

        call = self._submit(build, lambda reply: self._notified(call, reply), failed)
        self._in_flight = call

    def _notified(self, call: BusCall, reply: tuple[Any, ...]) -> None:
        if call is not self._in_flight:
            return
        self._in_flight = None
        (notification_id,) = reply
        if self._withdrawn_in_flight:
            self._withdrawn_in_flight = False
            self._close_notification(int(notification_id))
            return
        self._shown_id = int(notification_id)
        self._using_fallback = False
        queued, self._queued = self._queued, None
        if queued is not None:
            self._send_notify(*queued)

    def _notify_failed(self, call: BusCall, why: str) -> None:
        if call is not self._in_flight:
            return
        log.warning("could not show the break notification: %s", why)
        self._broken()
        if self.showing:
            self._show_fallback()

    def _close_notification(self, notification_id: int) -> None:
        def build(_capabilities: Sequence[str]) -> Message:
            return new_method_call(NOTIFICATIONS, "CloseNotification", "u", (notification_id,))

        def failed(why: str) -> None:
            log.debug("could not close the notification: %s", why)

        self._submit(build, lambda reply: None, failed)

    def _submit(
        self,
        build: MessageBuilder,
        on_reply: Callable[[tuple[Any, ...]], object],
        on_error: Callable[[str], object],
    ) -> BusCall:
        call = BusCall(build, on_reply, on_error)
        if self._bus is None:
            call.error = "no connection to the notification server"
            call.done.set()
            call.settled = True
            return call
        self._unsettled.add(call)
        self._bus.submit(call)
        return call

    # -- what the bus thread tells (on the GUI thread) ------------------------------------

    def _post(self, work: Callable[[], object]) -> None:
        """From the bus thread: run ``work`` on the GUI thread (nothing once deleted)."""
        with contextlib.suppress(RuntimeError):
            self._relay.deliver.emit(work)

    def _run_delivered(self, work: Callable[[], object]) -> None:
        work()

    def _settle(self, call: BusCall) -> None:
        if call.settled:
            return
        call.settled = True
        self._unsettled.discard(call)
        if call.error is not None:
            call.on_error(call.error)
        else:
            call.on_reply(call.reply or ())

    def _listener(self) -> BusListener:
        return BusListener(
            opened=self._bus_opened,
            unusable=self._bus_unusable,
            lost=self._bus_lost,
            settled=self._settle,
            signal=self.handle_signal,
        )

    def _bus_opened(self, capabilities: Sequence[str]) -> None:
        self.capabilities = list(capabilities)

    def _bus_unusable(self, why: str) -> None:
        log.debug("no notification server: %s", why)
        self._gone()

    def _bus_lost(self, why: str) -> None:
        log.warning("lost the session bus: %s", why)
        self._gone()

    def _gone(self) -> None:
        """The bus or the server is gone: a reminder showing moves to the fallback."""
        waiting = self._in_flight is not None or self._shown_id is not None
        self._broken()
        if self.showing and waiting and not self._using_fallback:
            self._show_fallback()

    def _broken(self) -> None:
        """Use the fallback from now on."""
        bus, self._bus = self._bus, None
        if bus is not None:
            bus.stop()
        self._shown_id, self._in_flight, self._queued = None, None, None
        self._withdrawn_in_flight = False

    # -- the server's signals -----------------------------------------------------------

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
        if notification_id != self._shown_id:
            return
        self._shown_id = None
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
        if notification_id != self._shown_id:
            return
        self._shown_id = None
        if reason != CLOSED_BY_CALL:
            self._answer(self.dismissed)

    # -- the fallback's answers ---------------------------------------------------------

    def _relay_start(self) -> None:
        self._answer(self.start_requested)

    def _relay_snooze(self) -> None:
        self._answer(self.snooze_requested)

    def _relay_skip(self) -> None:
        self._answer(self.skip_requested)

    def _relay_dismissed(self) -> None:
        self._answer(self.dismissed)
