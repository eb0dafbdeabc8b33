"""Ask the user to take a break: Start break, Snooze or Skip, whatever the desktop offers.

Every way of asking is a :class:`BreakPrompter`: :meth:`~BreakPrompter.show_reminder` asks,
:meth:`~BreakPrompter.withdraw` takes the question back, and the answer comes as one of the
signals ``start_requested``, ``snooze_requested``, ``skip_requested`` or ``dismissed`` (closed
without an answer). The ways, best first
(:func:`~backtimer.qt.breaks.prompt_choice.choose_prompter` picks):

* :class:`~backtimer.qt.breaks.notifications.DBusNotifier`: a desktop notification with the
  three actions (org.freedesktop.Notifications);
* :class:`BalloonPrompter`: the tray icon's balloon; clicking it starts the break;
* :class:`WindowPrompter`: a small always-on-top window with the three buttons.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, ClassVar

from PySide6.QtCore import QObject, Qt, Signal, SignalInstance
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSystemTrayIcon,
    QVBoxLayout,
    QWidget,
)

from backtimer.qt.widgets.fonts import scaled_font

if TYPE_CHECKING:
    pass

log = logging.getLogger(__name__)

#: The snooze offered unless told otherwise, in minutes.
DEFAULT_SNOOZE_MINUTES = 10


def snooze_label(minutes: int) -> str:
    """The snooze button's text."""
    return f"Snooze {minutes} min"


class BreakPrompter(QObject):
    """The interface every way of asking implements (this base asks nothing)."""

    #: The user chose Start break.
    start_requested = Signal()
    #: The user chose Snooze.
    snooze_requested = Signal()
    #: The user chose Skip.
    skip_requested = Signal()
    #: The reminder went away without an answer (closed, expired).
    dismissed = Signal()

    #: A short name for logs and settings: "notification", "balloon", "window".
    kind: ClassVar[str] = "none"

    def __init__(
        self, snooze_minutes: int = DEFAULT_SNOOZE_MINUTES, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.snooze_minutes = snooze_minutes
        self._showing = False

    @property
    def showing(self) -> bool:
        """True from :meth:`show_reminder` until an answer, a dismissal or :meth:`withdraw`."""
        return self._showing

    def show_reminder(self, title: str, body: str) -> None:
        """Ask; a reminder already showing is replaced."""
        self._showing = True

    def withdraw(self) -> None:
        """Take the reminder back (the break was taken another way); no signal follows."""
        self._showing = False

    def close(self) -> None:
        """Withdraw and let go of what the prompter holds."""
        self.withdraw()

    def _answer(self, signal: SignalInstance) -> None:
        """Report an answer once: later ones for the same reminder are ignored."""
        if self._showing:
            self._showing = False
            signal.emit()


class BalloonPrompter(BreakPrompter):
    """The tray icon's balloon message; clicking it starts the break.

    A balloon has no buttons: snoozing or skipping is left to the tray menu, and a balloon
    cannot be taken back, so after :meth:`withdraw` a click on it is ignored.
    """

    kind = "balloon"

    def __init__(
        self,
        tray: QSystemTrayIcon,
        snooze_minutes: int = DEFAULT_SNOOZE_MINUTES,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(snooze_minutes, parent)
        self._tray = tray
        tray.messageClicked.connect(self._on_clicked)

    def show_reminder(self, title: str, body: str) -> None:
        """Show the balloon (it stays until clicked or closed, where the tray allows)."""
        super().show_reminder(title, body)
        text = f"{body}\nClick here to start the break." if body else "Click to start the break."
        self._tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, 0)

    def _on_clicked(self) -> None:
        self._answer(self.start_requested)


class PromptWindow(QWidget):
    """A small always-on-top window: the reminder and Start break, Snooze, Skip.

    It shows without taking the keyboard focus from what the user is typing into; once it
    is activated (a click, or the window manager's switcher) Tab moves between the buttons,
    Enter starts the break, Esc closes it, and Alt with the underlined letter picks one.
    It uses the application's palette and font, so it follows the app's theme.
    """

    start_clicked = Signal()
    snooze_clicked = Signal()
    skip_clicked = Signal()
    #: Closed from the title bar or with Esc.
    closed = Signal()

    def __init__(self, snooze_minutes: int = DEFAULT_SNOOZE_MINUTES) -> None:
        super().__init__(
            None,
            Qt.WindowType.Window
            | Qt.WindowType.WindowStaysOnTopHint
            | Qt.WindowType.WindowCloseButtonHint,
        )
        self.setWindowTitle("Time for a break — backtimer")
        self.setAccessibleName("Break reminder")
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self._closing_quietly = False

        self.title_label = QLabel()
        self.title_label.setAccessibleName("Reminder")
        self.title_label.setFont(scaled_font(self.font(), 1.3, bold=True))
        self.title_label.setWordWrap(True)
        self.body_label = QLabel()
        self.body_label.setAccessibleName("Details")
        self.body_label.setWordWrap(True)

        self.start_button = QPushButton("&Start break")
        self.start_button.setAccessibleName("Start break")
        self.start_button.setDefault(True)
        self.snooze_button = QPushButton()
        self.skip_button = QPushButton("S&kip")
        self.skip_button.setAccessibleName("Skip this break")
        self.set_snooze_minutes(snooze_minutes)
        self.start_button.clicked.connect(self.start_clicked)
        self.snooze_button.clicked.connect(self.snooze_clicked)
        self.skip_button.clicked.connect(self.skip_clicked)
        for button in (self.start_button, self.snooze_button, self.skip_button):
            button.setMinimumHeight(34)
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self).activated.connect(self.close)

        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.snooze_button)
        buttons.addWidget(self.skip_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 16)
        layout.setSpacing(10)
        layout.addWidget(self.title_label)
        layout.addWidget(self.body_label)
        layout.addLayout(buttons)
        self.setMinimumWidth(380)

    def set_snooze_minutes(self, minutes: int) -> None:
        """The length the Snooze button offers."""
        text = snooze_label(minutes)
        self.snooze_button.setText(text.replace("Snooze", "S&nooze", 1))
        self.snooze_button.setAccessibleName(text)

    def show_reminder(self, title: str, body: str) -> None:
        """Show ``title`` and ``body`` in the bottom right corner of the screen."""
        self.title_label.setText(title)
        self.body_label.setText(body)
        self.body_label.setVisible(bool(body))
        self.adjustSize()
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is not None:
            area = screen.availableGeometry()
            self.move(area.right() - self.width() - 24, area.bottom() - self.height() - 48)
        self.start_button.setFocus()
        self.show()
        self.raise_()

    def hide_quietly(self) -> None:
        """Hide without reporting ``closed``."""
        self._closing_quietly = True
        try:
            self.close()
        finally:
            self._closing_quietly = False

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        """Report a close by the user."""
        super().closeEvent(event)
        if not self._closing_quietly:
            self.closed.emit()


class WindowPrompter(BreakPrompter):
    """Asks with a :class:`PromptWindow` (no notification service, no tray)."""

    kind = "window"

    def __init__(
        self, snooze_minutes: int = DEFAULT_SNOOZE_MINUTES, parent: QObject | None = None
    ) -> None:
        super().__init__(snooze_minutes, parent)
        self.window = PromptWindow(snooze_minutes)
        self.destroyed.connect(self.window.deleteLater)
        self.window.start_clicked.connect(lambda: self._choose(self.start_requested))
        self.window.snooze_clicked.connect(lambda: self._choose(self.snooze_requested))
        self.window.skip_clicked.connect(lambda: self._choose(self.skip_requested))
        self.window.closed.connect(lambda: self._answer(self.dismissed))

    def _choose(self, signal: SignalInstance) -> None:
        self.window.hide_quietly()
        self._answer(signal)

    def show_reminder(self, title: str, body: str) -> None:
        """Show the window."""
        super().show_reminder(title, body)
        self.window.set_snooze_minutes(self.snooze_minutes)
        self.window.show_reminder(title, body)

    def withdraw(self) -> None:
        """Hide the window."""
        super().withdraw()
        self.window.hide_quietly()
