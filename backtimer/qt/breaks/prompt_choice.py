"""Which way to ask for a break on this desktop: a notification, the tray balloon, a window.

Apart from :mod:`~backtimer.qt.breaks.prompts` (the ways that need nothing but Qt) and
:mod:`~backtimer.qt.breaks.notifications` (desktop notifications, built on those), so
that neither has to import the other.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QSystemTrayIcon

from backtimer.qt.breaks.notifications import DBusNotifier
from backtimer.qt.breaks.prompts import (
    DEFAULT_SNOOZE_MINUTES,
    BalloonPrompter,
    BreakPrompter,
    WindowPrompter,
)

if TYPE_CHECKING:
    from backtimer.qt.breaks.tray_icon import TrayIcon

log = logging.getLogger(__name__)


def choose_prompter(
    tray: TrayIcon | None,
    snooze_minutes: int = DEFAULT_SNOOZE_MINUTES,
    parent: QObject | None = None,
) -> BreakPrompter:
    """The best way to ask on this desktop.

    A notification service with actions comes first (with the tray balloon or the window
    behind it, should the service turn out to be missing or go away later); then the tray
    balloon, when ``tray`` is shown and supports messages; then the prompt window. Nothing
    here waits for the notification service: it is asked on a thread of its own.
    """
    tray_ok = tray is not None and tray.is_visible() and QSystemTrayIcon.supportsMessages()
    fallback: BreakPrompter
    if tray is not None and tray_ok:
        fallback = BalloonPrompter(tray.tray, snooze_minutes, parent)
    else:
        fallback = WindowPrompter(snooze_minutes, parent)
    notifier = DBusNotifier.open_in_background(
        snooze_minutes=snooze_minutes, fallback=fallback, parent=parent
    )
    chosen: BreakPrompter = notifier if notifier is not None else fallback
    log.debug("break reminders ask with: %s", chosen.kind)
    return chosen
