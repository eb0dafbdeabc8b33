"""Everything that runs beside the window: tray, desk-break reminders, breaks, power signals.

:class:`DeskSide` starts them once (right away for ``--tray``, otherwise once the window
has painted and its content has loaded), keeps them for the app's lifetime and closes
them on the app's one shutdown path.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from backtimer.core.history.overrides import RepsOverrides
    from backtimer.core.history.recorder import SessionHistory
    from backtimer.core.paths import AppPaths
    from backtimer.core.settings import Settings
    from backtimer.qt.breaks.desk_break_wiring import BreakLauncher, DeskBreakParts
    from backtimer.qt.session.session_runner import AudioFactory
    from backtimer.qt.shell.content_loader import ContentLoader
    from backtimer.qt.shell.content_on_demand import WindowOnDemand
    from backtimer.qt.shell.single_instance import SingleInstance


class DeskSide(QObject):
    """The tray icon, the reminders, the break window and the power signals, once started."""

    def __init__(
        self,
        paths: AppPaths,
        settings: Callable[[], Settings],
        history: SessionHistory | None,
        content: ContentLoader,
        audio_factory: AudioFactory,
        parent: QObject | None = None,
        pins: RepsOverrides | None = None,
    ) -> None:
        super().__init__(parent)
        self._paths = paths
        self._settings = settings
        self._history = history
        self._content = content
        self._audio_factory = audio_factory
        self._pins = pins
        self.parts: DeskBreakParts | None = None
        self.breaks: BreakLauncher | None = None
        content.loaded.connect(self._content_loaded)

    @property
    def started(self) -> bool:
        """True once the tray and reminders run."""
        return self.parts is not None

    @property
    def idle_message(self) -> str | None:
        """Why natural breaks are off here, or None when idle time is known."""
        return self.parts.idle_message if self.parts is not None else None

    def start(
        self,
        window: WindowOnDemand,
        instance: SingleInstance | None,
        app: QApplication,
        pause_sessions: Callable[[], object],
    ) -> None:
        """Start the tray, reminders and power signals, wired to ``window`` (once)."""
        if self.parts is not None:
            return
        from backtimer.app.sessions import SessionFactory
        from backtimer.qt.breaks.desk_break_wiring import (
            BreakLauncher,
            connect_desk_breaks,
            start_desk_breaks,
        )

        parts = start_desk_breaks(self._paths, self._settings(), self._history, parent=self)
        self.parts = parts
        self.breaks = BreakLauncher(
            self._content.content,
            self._settings,
            self._audio_factory,
            self._history,
            parts.desk.break_finished,
            # The break routine's reps: from the history and the user's pins, as anywhere.
            sessions=SessionFactory(
                lambda: self._content.content.library, self._history, self._pins
            ),
        )
        parts.desk.break_wanted.connect(self._content.ensure)
        connect_desk_breaks(parts, window, self.breaks, instance, app)
        if parts.tray is not None:
            parts.tray.set_routines(self._content.content.routine_titles())
            parts.tray.routines_wanted.connect(self._content.ensure)
        self._watch_power(pause_sessions)

    def _watch_power(self, pause_sessions: Callable[[], object]) -> None:
        from backtimer.qt.shell.power_monitor import PowerMonitor

        assert self.parts is not None
        desk = self.parts.desk
        power = PowerMonitor(self)
        power.going_to_sleep.connect(pause_sessions)
        power.screen_locked.connect(pause_sessions)
        power.going_to_sleep.connect(lambda: desk.system_sleeping(True))
        power.woke_up.connect(lambda: desk.system_sleeping(False))

    def _content_loaded(self) -> None:
        if self.parts is not None and self.parts.tray is not None:
            self.parts.tray.set_routines(self._content.content.routine_titles())
        if self.breaks is not None:
            self.breaks.content_loaded()

    def take_break(self) -> None:
        """Start a desk break now (``--break-now``)."""
        if self.parts is not None:
            self.parts.desk.take_break()

    def apply_settings(self, settings: Settings) -> None:
        """New reminder settings from the settings dialog."""
        if self.parts is not None:
            self.parts.desk.apply_settings(settings.reminders)

    def has_tray(self) -> bool:
        """True when the desktop shows our tray icon."""
        return self.parts is not None and self.parts.tray is not None

    def close(self) -> None:
        """Withdraw a prompt still showing (the one shutdown path calls this)."""
        if self.parts is not None:
            self.parts.desk.prompter.close()
