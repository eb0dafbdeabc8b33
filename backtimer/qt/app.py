"""Start the desktop app: the Qt application, the routine library and the session window."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication

from backtimer.core.paths import AppPaths, builtin_routines_dir
from backtimer.core.routine.library import load_library
from backtimer.core.settings import AudioSettings
from backtimer.qt.session_audio import open_session_audio
from backtimer.qt.session_window import SessionWindow
from backtimer.qt.unix_signals import SignalQuitter

APP_NAME = "backtimer"


def run_gui(paths: AppPaths, argv: list[str], start_routine: str | None = None) -> int:
    """Show the session window and run the event loop; returns the exit code.

    ``start_routine`` (a routine id) starts that routine at once. ``argv`` is handed to
    Qt (it may take its own options such as ``-platform``). The caller checks that a
    display is available before calling this.
    """
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    library = load_library(builtin_routines_dir(), paths.user_routines)
    for error in library.errors:
        print(f"backtimer: {error}", file=sys.stderr)
    audio = open_session_audio(paths, AudioSettings())
    window = SessionWindow(library, audio=audio)
    window.show()
    if start_routine is not None:
        window.start_routine(start_routine)
    quitter = SignalQuitter(app)
    try:
        return app.exec()
    finally:
        quitter.close()
        audio.close()
