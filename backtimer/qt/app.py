"""Start the desktop app: settings, theme, the first-run safety screen and the main window.

This is the only place that creates the long-lived objects (settings store, audio, power
monitor, window) and wires them together; none of them knows about the others.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog

from backtimer.core.history.lock import AlreadyRunningError
from backtimer.core.history.recorder import SessionHistory
from backtimer.core.paths import AppPaths, assets_dir, builtin_routines_dir
from backtimer.core.settings import Settings
from backtimer.core.store.settings_store import SettingsStore
from backtimer.qt.main_window import MainWindow
from backtimer.qt.power_monitor import PowerMonitor
from backtimer.qt.theme import apply_theme
from backtimer.qt.unix_signals import SignalQuitter

if TYPE_CHECKING:
    from backtimer.core.figure.scene import ExerciseFigure
    from backtimer.core.routine.library import Library
    from backtimer.core.safety import Safety
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


def run_gui(paths: AppPaths, argv: list[str], start_routine: str | None = None) -> int:
    """Show the app and run the event loop; returns the exit code.

    ``start_routine`` (a routine id) starts that routine at once. ``argv`` is handed to
    Qt (it may take its own options such as ``-platform``). The caller checks that a
    display is available before calling this.
    """
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setDesktopFileName(APP_NAME)
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
            history = SessionHistory.open_as_writer(paths.data)
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
        window = MainWindow(None, {}, None, settings, make_audio, history=history)

        def load_content() -> None:
            library = load_library(builtin_routines_dir(), paths.user_routines)
            for error in library.errors:
                print(f"backtimer: skipped a routine: {error}", file=sys.stderr)
            window.set_content(library, load_figures(assets_dir() / "poses"), load_safety())

        def save(changed: Settings) -> None:
            try:
                store.save(changed)
            except OSError as error:
                log.warning("could not save the settings: %s", error)
            apply_theme(app, changed.theme, changed.larger_text, base_font)

        def edit(current: Settings) -> Settings | None:
            from backtimer.audio.speech import SpeechService
            from backtimer.qt.settings_dialog import SettingsDialog

            with SpeechService(paths.cache) as speech:
                voices = speech.voices()
            dialog = SettingsDialog(current, voices, window)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            return dialog.result_settings()

        window.settings_changed = save
        window.edit_settings = edit

        def show_safety() -> None:
            from backtimer.qt.safety_dialog import SafetyDialog

            SafetyDialog(load_safety(), False, window).exec()

        window.show_safety = show_safety

        def watch_power() -> None:
            power = PowerMonitor(window)
            power.going_to_sleep.connect(window.pause_unattended)
            power.screen_locked.connect(window.pause_unattended)

        window.restore_geometry()
        window.show()
        if start_routine is not None:
            window.start_routine(start_routine)
        QTimer.singleShot(0, load_content)
        QTimer.singleShot(0, watch_power)
        return app.exec()
    finally:
        quitter.close()
