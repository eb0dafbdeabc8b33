"""What runs beside the main window: the tray icon, desk-break reminders and the break window.

:func:`start_desk_breaks` builds them once the window shows (so they don't slow the launch;
started in the tray, the window waits until it is first wanted) and connects them: the
policy (:class:`~backtimer.qt.breaks.desk_breaks.DeskBreaks`), the tray icon (when the desktop has
a tray), the best way to prompt, the idle detector, logind's sleep signals and the
history, where break events are recorded. :class:`BreakLauncher` opens the
compact break window with the break routine from the settings.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox

from backtimer.core.clock import SystemClock
from backtimer.core.history.records import BreakEvent
from backtimer.core.paths import AppPaths
from backtimer.core.reminders.policy import ReminderPolicy, SavedSchedule
from backtimer.core.reminders.store import ReminderStore
from backtimer.core.reminders.wall_clock import SystemWallClock
from backtimer.core.settings import Settings
from backtimer.desktop.timezone import local_timezone
from backtimer.qt.breaks.desk_breaks import DeskBreaks
from backtimer.qt.breaks.idle_gnome import choose_idle_detector
from backtimer.qt.breaks.prompt_choice import choose_prompter
from backtimer.qt.breaks.tray_icon import TrayIcon, tray_available
from backtimer.qt.shell.content import Content

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from backtimer.app.sessions import SessionFactory
    from backtimer.core.history.recorder import SessionHistory
    from backtimer.qt.breaks.break_window import BreakWindow
    from backtimer.qt.session.session_runner import AudioFactory
    from backtimer.qt.shell.content_on_demand import WindowOnDemand
    from backtimer.qt.shell.main_window import MainWindow
    from backtimer.qt.shell.single_instance import SingleInstance

log = logging.getLogger(__name__)


class BreakLauncher(QObject):
    """Opens the break window and runs the break routine; reports when it is over."""

    def __init__(
        self,
        content: Content,
        settings: Callable[[], Settings],
        audio_factory: AudioFactory,
        history: SessionHistory | None,
        on_finished: Callable[[], object],
        parent: QObject | None = None,
        sessions: SessionFactory | None = None,
    ) -> None:
        super().__init__(parent)
        #: Prepares the break's sessions: reps from the history and the user's pins.
        self._sessions = sessions
        self._content = content
        self._settings = settings
        self._audio_factory = audio_factory
        self._history = history
        self._on_finished = on_finished
        self._pending = False
        #: The break window, created on the first break.
        self.window: BreakWindow | None = None

    def open(self) -> None:
        """Run the break routine in the break window (as soon as the library is loaded)."""
        library = self._content.library
        if library is None:
            self._pending = True
            return
        settings = self._settings()
        routine_id = settings.reminders.break_routine
        entry = library.find(routine_id) or library.find("desk-break")
        if entry is None:
            log.warning("no break routine %r in the library", routine_id)
            self._on_finished()
            return
        self._window(settings).start(entry.routine)

    def content_loaded(self) -> None:
        """The library is there: open a break asked for before it was."""
        if self._pending:
            self._pending = False
            self.open()

    def _window(self, settings: Settings) -> BreakWindow:
        from backtimer.qt.breaks.break_window import BreakWindow

        if self.window is None:
            self.window = BreakWindow(
                self._content.figures,
                settings,
                self._audio_factory,
                history=self._history,
                safety=self._content.safety,
                sessions=self._sessions,
            )
            self.window.finished.connect(lambda _outcome: self._on_finished())
        else:
            self.window.set_figures(self._content.figures)
            if self._content.safety is not None:
                self.window.set_safety(self._content.safety)
            self.window.set_settings(settings)
        return self.window


def record_break_events(history: SessionHistory | None) -> Callable[[BreakEvent], object]:
    """A writer of break events into ``history`` (nothing without one)."""
    if history is None:
        return lambda event: None
    return lambda event: history.save(lambda store: store.add_break_event(event))


def policy_from_saved(
    make: Callable[[SavedSchedule | None], ReminderPolicy], store: ReminderStore
) -> ReminderPolicy:
    """The policy ``make`` builds from the schedule ``store`` loads.

    A schedule the policy cannot work with (a time it cannot compute with, whatever got
    past the store's checks) must not keep the tray and the window from starting: it is
    set aside like an unreadable file (kept, reported in ``store.problems``) and a fresh
    interval starts.
    """
    saved = store.load()
    if saved is None:
        return make(None)
    try:
        policy = make(saved)
        # What the first poll and the tray compute with the saved times, tried at once.
        policy.view()
        policy.next_deadline()
    except (ArithmeticError, ValueError, TypeError) as error:
        store.set_aside(f"the policy cannot use the saved schedule ({error})")
        return make(None)
    return policy


@dataclass(slots=True)
class DeskBreakParts:
    """What :func:`start_desk_breaks` built."""

    desk: DeskBreaks
    tray: TrayIcon | None
    #: Why natural breaks are off (no idle detection here), or None when they work.
    idle_message: str | None


def start_desk_breaks(
    paths: AppPaths,
    settings: Settings,
    history: SessionHistory | None,
    with_tray: bool = True,
    parent: QObject | None = None,
) -> DeskBreakParts:
    """The tray icon (if the desktop has a tray), the prompt and the reminder policy, running."""
    tray: TrayIcon | None = None
    if with_tray and tray_available():
        tray = TrayIcon(parent)
        tray.show()
    store = ReminderStore.for_paths(paths)
    idle = choose_idle_detector()
    clock = SystemClock()
    tz = local_timezone()
    wall = SystemWallClock()

    def make(saved: SavedSchedule | None) -> ReminderPolicy:
        return ReminderPolicy(
            settings.reminders,
            tz,
            wall,
            clock,
            saved=saved,
            idle_detection=idle.detector is not None,
        )

    policy = policy_from_saved(make, store)
    for problem in store.problems:
        log.warning("%s", problem)
    prompter = choose_prompter(tray, settings.reminders.snooze_minutes, parent)
    desk = DeskBreaks(
        policy,
        store,
        prompter,
        clock,
        tray=tray,
        idle=idle.detector,
        record=record_break_events(history),
        parent=parent,
    )
    desk.start()
    message = None if idle.detector is not None else idle.message
    return DeskBreakParts(desk, tray, message)


def present(window: WindowOnDemand) -> MainWindow:
    """The main window, built if needed, shown in front with the keyboard."""
    shown = window.get()
    if shown.isMinimized():
        shown.showNormal()
    shown.show()
    shown.raise_()
    shown.activateWindow()
    return shown


def close_keeps_running(parts: DeskBreakParts, shown: MainWindow) -> Callable[[], bool]:
    """What closing ``shown`` does while reminders are on: hide in the tray (or minimise
    where there is none) and say so once, ever; True when the app keeps running."""
    tray = parts.tray

    def tell_once(tell: Callable[[], object]) -> None:
        if not shown.settings.told_close_keeps_running:
            shown.apply_settings(replace(shown.settings, told_close_keeps_running=True))
            tell()

    def keep_running() -> bool:
        if not parts.desk.enabled:
            return False
        if tray is not None and tray.is_visible():
            shown.hide()
            tell_once(
                lambda: tray.tray.showMessage(
                    "backtimer keeps running",
                    "Desk-break reminders go on from here. Quit from this icon's menu.",
                )
            )
            return True
        shown.showMinimized()
        tell_once(
            lambda: QMessageBox.information(
                shown,
                "backtimer keeps running",
                "This desktop has no system tray, so backtimer stays open, minimised, to "
                "remind you to take breaks. To leave, use File → Quit.",
            )
        )
        return True

    return keep_running


def connect_desk_breaks(
    parts: DeskBreakParts,
    window: WindowOnDemand,
    breaks: BreakLauncher,
    instance: SingleInstance | None,
    app: QApplication,
) -> None:
    """Wire the tray's menu, later launches' commands and the window's close to the app.

    The window is built only when one of them first wants it (``backtimer --tray``).
    """

    def run_routine(routine: str) -> None:
        """A routine id from the tray, or an id or file from another launch."""
        present(window).start_routine(routine)

    parts.desk.break_wanted.connect(breaks.open)
    tray = parts.tray
    if tray is not None:
        tray.open_requested.connect(lambda: present(window))
        tray.routine_requested.connect(run_routine)
        tray.settings_requested.connect(lambda: present(window).open_settings())
        tray.quit_requested.connect(window.quit)

    def wire_close(shown: MainWindow) -> None:
        shown.set_close_policy(close_keeps_running(parts, shown))

    window.when_created(wire_close)

    def on_command(command: dict[str, object]) -> None:
        name = command.get("command")
        if name == "break-now":
            parts.desk.take_break()
        elif name == "run" and isinstance(command.get("routine"), str):
            run_routine(str(command["routine"]))
        elif name == "show" or (name == "tray" and tray is None):
            present(window)

    if instance is not None:
        instance.command_received.connect(on_command)
    app.aboutToQuit.connect(parts.desk.prompter.close)
