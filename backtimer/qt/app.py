"""Start the desktop app: settings, theme, the first-run safety screen and the main window.

This is the only place that creates the long-lived objects (settings store, audio, power
monitor, window) and wires them together; none of them knows about the others.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from backtimer.core.history.lock import AlreadyRunningError
from backtimer.core.history.overrides import RepsOverrides
from backtimer.core.history.recorder import SessionHistory
from backtimer.core.paths import AppPaths, assets_dir, builtin_routines_dir
from backtimer.core.settings import Settings
from backtimer.core.store.settings_store import SettingsStore
from backtimer.qt.content import Content
from backtimer.qt.content_on_demand import ContentOnDemand, WindowOnDemand
from backtimer.qt.theme import apply_theme
from backtimer.qt.unix_signals import SignalQuitter
from backtimer.qt.voice_catalog import VoiceCatalog

if TYPE_CHECKING:
    from backtimer.core.figure.scene import ExerciseFigure
    from backtimer.core.routine.library import Library
    from backtimer.core.safety import Safety
    from backtimer.qt.desk_break_wiring import BreakLauncher, DeskBreakParts
    from backtimer.qt.main_window import MainWindow
    from backtimer.qt.session_audio import SessionAudio

APP_NAME = "backtimer"
log = logging.getLogger(__name__)


def load_safety() -> Safety:
    """The safety content (loads the validation library on first use)."""
    from backtimer.core.safety import load_safety as load

    return load()


def load_library(builtin: Path, user: Path) -> Library:
    """The routine library."""
    from backtimer.core.routine.library import load_library as load

    return load(builtin, user)


def load_figures(folder: Path) -> dict[str, ExerciseFigure]:
    """Every exercise figure."""
    from backtimer.core.figure.figures import load_figures as load

    return load(folder)


def _acknowledge_safety(
    safety: Safety, settings: Settings, store: SettingsStore
) -> Settings | None:
    """First run: the safety screen must be acknowledged; None when the user declines."""
    from backtimer.qt.safety_dialog import SafetyDialog

    dialog = SafetyDialog(safety, require_acknowledgement=True)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    settings = replace(settings, safety_acknowledged=True)
    store.save(settings)
    return settings


@dataclass(frozen=True, slots=True)
class Launch:
    """What this launch asks for (from the command line)."""

    start_routine: str | None = None  #: a routine id to start at once
    tray: bool = False  #: start hidden in the tray
    break_now: bool = False  #: take a desk break at once

    def command(self) -> dict[str, str]:
        """The same request, for a backtimer that is already running."""
        if self.break_now:
            return {"command": "break-now"}
        if self.start_routine is not None:
            return {"command": "run", "routine": self.start_routine}
        return {"command": "tray" if self.tray else "show"}


def run_gui(
    paths: AppPaths,
    argv: list[str],
    start_routine: str | None = None,
    launch: Launch | None = None,
) -> int:
    """Show the app and run the event loop; returns the exit code.

    ``start_routine`` (a routine id) starts that routine at once; ``launch`` says more
    (start in the tray, take a break now). When backtimer already runs with this data
    folder, the request goes to it and this launch returns 0. ``argv`` is handed to Qt (it
    may take its own options such as ``-platform``). The caller checks that a display is
    available before calling this.
    """
    launch = launch or Launch(start_routine=start_routine)
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setDesktopFileName(APP_NAME)
    # The app lives on in the tray with no window open; it quits when the window quits.
    app.setQuitOnLastWindowClosed(False)
    from backtimer.qt.single_instance import claim, server_name

    instance = claim(server_name(paths.data), launch.command(), app)
    if instance is None:
        print("backtimer: handed over to the backtimer that is already running.")
        return 0
    quitter = SignalQuitter(app)
    try:
        store = SettingsStore(paths.config / "settings.json")
        settings = store.load()
        for problem in store.problems:
            print(f"backtimer: {problem}", file=sys.stderr)
        base_font = app.font()
        apply_theme(app, settings.theme, settings.larger_text, base_font)

        if not settings.safety_acknowledged:
            acknowledged = _acknowledge_safety(load_safety(), settings, store)
            if acknowledged is None:
                return 0
            settings = acknowledged

        def make_audio(current: Settings) -> SessionAudio:
            from backtimer.qt.session_audio import open_session_audio

            return open_session_audio(paths, current.audio)

        try:
            # Started in the tray, the history opens when first used (the lock is taken now).
            history = SessionHistory.open_as_writer(paths.data, open_now=not launch.tray)
        except AlreadyRunningError:
            print(
                "backtimer: it is already running (with this data folder); "
                "switch to its window or its tray icon.",
                file=sys.stderr,
            )
            return 1
        for problem in history.problems:
            print(f"backtimer: {problem}", file=sys.stderr)

        # The window shows first; the library, its illustrations and the safety text (and
        # the validation library they need) load right after, so launching feels instant.
        # Started hidden in the tray, the window itself is built only when first wanted.
        reps = RepsOverrides.for_data(paths.data)
        content = Content()
        # The settings in force while there is no window (the window holds them after).
        latest = [settings]
        # The tray, the reminders and the break window: made once the window shows.
        desk: list[DeskBreakParts] = []
        breaks: list[BreakLauncher] = []

        def current_settings() -> Settings:
            made = window.window
            return made.settings if made is not None else latest[0]

        def load_content() -> None:
            library = load_library(builtin_routines_dir(), paths.user_routines)
            for error in library.errors:
                print(f"backtimer: skipped a routine: {error}", file=sys.stderr)
            content.library = library
            content.figures = load_figures(assets_dir() / "poses")
            content.safety = load_safety()
            if window.window is not None:
                window.window.set_content(library, content.figures, content.safety)
            if desk and desk[0].tray is not None:
                desk[0].tray.set_routines(content.routine_titles())
            if breaks:
                breaks[0].content_loaded()
            if not launch.tray and not desk:
                # A window that shows: the tray and reminders come after its content.
                QTimer.singleShot(0, start_background)

        # Owns what runs beside the window (tray, reminders, power signals) for as long as
        # this function runs, as the window did when it was always built.
        owner = QObject()
        # Started hidden in the tray, the content loads only when first wanted.
        on_demand = ContentOnDemand(load_content, owner)

        def save(changed: Settings) -> None:
            latest[0] = changed
            try:
                store.save(changed)
            except OSError as error:
                log.warning("could not save the settings: %s", error)
            apply_theme(app, changed.theme, changed.larger_text, base_font)

        # The speech engine's voices: listed in the background when Settings first opens.
        voice_catalog = VoiceCatalog.for_cache(paths.cache)

        def edit(current: Settings) -> Settings | None:
            on_demand.ensure()  # the break routine is chosen among the library's routines
            from backtimer.desktop.autostart import autostart_for_platform
            from backtimer.qt.login_start import apply_start_at_login
            from backtimer.qt.settings_dialog import SettingsDialog

            idle_message = desk[0].idle_message if desk else None
            parent = window.window
            dialog = SettingsDialog(
                current, voice_catalog.voices, parent, content.routine_titles(), idle_message
            )
            voice_catalog.deliver(dialog.set_voices)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            chosen = dialog.result_settings()
            problem = apply_start_at_login(
                chosen.reminders.start_at_login, autostart_for_platform()
            )
            if problem is not None:
                QMessageBox.warning(parent, "Start at login", problem)
            if desk:
                desk[0].desk.apply_settings(chosen.reminders)
            return chosen

        def show_safety() -> None:
            from backtimer.qt.safety_dialog import SafetyDialog

            SafetyDialog(load_safety(), False, window.window).exec()

        def make_window() -> MainWindow:
            from backtimer.qt.main_window import MainWindow

            made = MainWindow(
                content.library,
                content.figures,
                content.safety,
                latest[0],
                make_audio,
                history=history,
                reps=reps,
            )
            made.settings_changed = save
            made.edit_settings = edit
            made.show_safety = show_safety
            made.on_closed = app.quit
            made.restore_geometry()
            if content.library is not None and content.safety is not None:
                made.set_content(content.library, content.figures, content.safety)
            else:
                on_demand.when_shown(made)
            return made

        window = WindowOnDemand(make_window, app.quit)

        def start_background() -> None:
            """The icon, tray, reminders and power signals: at once when started in the
            tray, otherwise once the window has painted and its content has loaded."""
            if desk:
                return
            from backtimer.qt.app_icon import app_icon

            # After the first paint (it costs the SVG module): every window takes it up.
            app.setWindowIcon(app_icon())
            from backtimer.qt.desk_break_wiring import (
                BreakLauncher,
                connect_desk_breaks,
                start_desk_breaks,
            )

            parts = start_desk_breaks(paths, current_settings(), history, parent=owner)
            desk.append(parts)
            launcher = BreakLauncher(
                content, current_settings, make_audio, history, parts.desk.break_finished
            )
            breaks.append(launcher)
            parts.desk.break_wanted.connect(on_demand.ensure)
            connect_desk_breaks(parts, window, launcher, instance, app)
            if parts.tray is not None:
                parts.tray.set_routines(content.routine_titles())
                parts.tray.routines_wanted.connect(on_demand.ensure)
            from backtimer.qt.power_monitor import PowerMonitor

            def pause_unattended() -> None:
                if window.window is not None:
                    window.window.pause_unattended()

            power = PowerMonitor(owner)
            power.going_to_sleep.connect(pause_unattended)
            power.screen_locked.connect(pause_unattended)
            power.going_to_sleep.connect(lambda: parts.desk.system_sleeping(True))
            power.woke_up.connect(lambda: parts.desk.system_sleeping(False))
            if launch.break_now:
                parts.desk.take_break()
            if launch.tray and parts.tray is None:
                # No tray to start hidden in: the window is the only way back to the app.
                window.get().showMinimized()

        if not launch.tray:
            window.get().show()
        if launch.start_routine is not None:
            window.get().start_routine(launch.start_routine)
        if launch.tray:
            QTimer.singleShot(0, start_background)
        return app.exec()
    finally:
        quitter.close()
