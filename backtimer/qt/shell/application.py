"""The desktop app as one object: its start-up stages, what it owns, and one shutdown path.

:class:`Application` starts in explicit stages — claim the single instance (or hand the
launch to the backtimer already running), load the settings and theme, have the safety
screen read on the first run, take the history's writer lock, show the window (or stay in
the tray), then, once the window has painted, load the content and start the tray,
reminders and power signals. Each feature owns its own state
(:class:`~backtimer.qt.settings.settings_keeper.SettingsKeeper`,
:class:`~backtimer.qt.shell.content_loader.ContentLoader`,
:class:`~backtimer.qt.breaks.desk_side.DeskSide`, the window); this object only creates
them and connects them. :meth:`Application.shutdown` is the one way out.

Every slow or outside part comes through :class:`Services`, so tests build the real
wiring in-process with fakes.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication

from backtimer.core.history.lock import AlreadyRunningError
from backtimer.core.history.overrides import RepsOverrides
from backtimer.core.history.recorder import SessionHistory
from backtimer.core.paths import AppPaths, assets_dir, builtin_routines_dir
from backtimer.core.store.settings_store import SettingsStore
from backtimer.qt.breaks.desk_side import DeskSide
from backtimer.qt.settings.settings_keeper import SettingsKeeper
from backtimer.qt.shell.content_loader import ContentLoader, load_safety
from backtimer.qt.shell.content_on_demand import WindowOnDemand
from backtimer.qt.shell.launch import Launch
from backtimer.qt.shell.unix_signals import SignalQuitter

if TYPE_CHECKING:
    from backtimer.core.safety import Safety
    from backtimer.core.settings import Settings
    from backtimer.qt.session.session_audio import SessionAudio
    from backtimer.qt.settings.sound_tester import SoundTester
    from backtimer.qt.settings.voice_catalog import VoiceCatalog
    from backtimer.qt.shell.main_window import MainWindow
    from backtimer.qt.shell.single_instance import SingleInstance

APP_NAME = "backtimer"
log = logging.getLogger(__name__)


def _claim_instance(paths: AppPaths, command: dict[str, str], parent: QObject) -> object:
    from backtimer.qt.shell.single_instance import claim, server_name

    return claim(server_name(paths.data), command, parent)


def _ask_safety(safety: Safety) -> bool:
    from PySide6.QtWidgets import QDialog

    from backtimer.qt.settings.safety_dialog import SafetyDialog

    return SafetyDialog(safety, require_acknowledgement=True).exec() == QDialog.DialogCode.Accepted


def _open_audio(paths: AppPaths, settings: Settings) -> SessionAudio | None:
    from backtimer.qt.session.session_audio import open_session_audio

    return open_session_audio(paths, settings.audio)


def _voice_catalog(paths: AppPaths, parent: QObject) -> VoiceCatalog:
    from backtimer.qt.settings.voice_catalog import VoiceCatalog

    return VoiceCatalog.for_cache(paths.cache, parent)


def _sound_tester(paths: AppPaths, parent: QObject) -> SoundTester:
    from backtimer.qt.settings.sound_tester import SoundTester

    return SoundTester.for_cache(paths.cache, parent)


@dataclass(slots=True)
class Services:
    """The parts of the app that reach outside it; tests replace them with fakes."""

    #: Become the first instance (a SingleInstance) or hand the command over (None).
    claim_instance: Callable[[AppPaths, dict[str, str], QObject], object] = _claim_instance
    #: Show the safety screen to be acknowledged; True once it is.
    ask_safety: Callable[[Safety], bool] = _ask_safety
    #: The sound for sessions with these settings (None: silent).
    open_audio: Callable[[AppPaths, Settings], SessionAudio | None] = _open_audio
    #: The speech engine's voices, listed in the background for the settings dialog.
    voice_catalog: Callable[[AppPaths, QObject], VoiceCatalog] = _voice_catalog
    #: Plays the settings dialog's "Test sound" in the background.
    sound_tester: Callable[[AppPaths, QObject], SoundTester] = _sound_tester
    #: Whether to start the tray, reminders and power signals at all (off in some tests).
    desk_breaks: bool = True


class Application(QObject):
    """backtimer's window, tray and reminders, from the first stage to the one shutdown."""

    def __init__(
        self,
        app: QApplication,
        paths: AppPaths,
        launch: Launch | None = None,
        services: Services | None = None,
    ) -> None:
        super().__init__()
        self.app = app
        self.paths = paths
        self.launch = launch or Launch()
        self.services = services or Services()
        self.instance: SingleInstance | None = None
        self.settings: SettingsKeeper | None = None
        self.history: SessionHistory | None = None
        self.content: ContentLoader | None = None
        self.desk: DeskSide | None = None
        self.pins: RepsOverrides | None = None
        self.window = WindowOnDemand(self._make_window, self.app.quit)
        self._quitter: SignalQuitter | None = None
        self._voices: VoiceCatalog | None = None
        self._tester: SoundTester | None = None
        self._closed = False

    # -- stages ---------------------------------------------------------------------------

    def run(self) -> int:
        """Start, run the event loop, shut down; the exit code (1 when a session could not
        be saved to the history, which the window has said)."""
        try:
            code = self.start()
            if code is not None:
                return code
            code = self.app.exec()
            return code if code != 0 else self.exit_code()
        finally:
            self.shutdown()

    def exit_code(self) -> int:
        """0, or 1 when a session of this run could not be saved to the history."""
        made = self.window.window
        return 1 if made is not None and made.save_problems else 0

    def start(self) -> int | None:
        """Every stage up to a running app; an exit code when this launch should end."""
        self._configure_qt()
        if not self._claim_instance():
            print("backtimer: handed over to the backtimer that is already running.")
            return 0
        self._quitter = SignalQuitter(self.app)
        self._load_settings()
        if not self._acknowledge_safety():
            return 0
        if not self._open_history():
            return 1
        self._build_features()
        self._show()
        return None

    def _configure_qt(self) -> None:
        self.app.setApplicationName(APP_NAME)
        self.app.setOrganizationName(APP_NAME)
        self.app.setDesktopFileName(APP_NAME)
        # The app lives on in the tray with no window open; it quits when told to.
        self.app.setQuitOnLastWindowClosed(False)

    def _claim_instance(self) -> bool:
        claimed = self.services.claim_instance(self.paths, self.launch.command(), self.app)
        if claimed is None:
            return False
        from backtimer.qt.shell.single_instance import SingleInstance

        self.instance = claimed if isinstance(claimed, SingleInstance) else None
        return True

    def _load_settings(self) -> None:
        self.settings = SettingsKeeper(SettingsStore(self.paths.config / "settings.json"), self.app)
        self._report(self.settings.problems)

    def _acknowledge_safety(self) -> bool:
        assert self.settings is not None
        if self.settings.current.safety_acknowledged:
            return True
        if not self.services.ask_safety(load_safety()):
            return False
        self.settings.acknowledge_safety()
        return True

    def _open_history(self) -> bool:
        try:
            # Started in the tray, the history opens when first used (the lock is taken now).
            self.history = SessionHistory.open_as_writer(
                self.paths.data, open_now=not self.launch.tray
            )
        except AlreadyRunningError:
            print(
                "backtimer: it is already running (with this data folder); "
                "switch to its window or its tray icon.",
                file=sys.stderr,
            )
            return False
        self._report(self.history.problems)
        return True

    def _build_features(self) -> None:
        self.content = ContentLoader(
            builtin_routines_dir(), self.paths.user_routines, assets_dir() / "poses", self
        )
        self.content.loaded.connect(self._content_loaded)
        self.pins = RepsOverrides.for_data(self.paths.data)
        self.desk = DeskSide(
            self.paths,
            self.current_settings,
            self.history,
            self.content,
            self._audio_for,
            parent=self,
            pins=self.pins,
        )

    def _show(self) -> None:
        launch = self.launch
        if not launch.tray:
            self.window.get().show()
        if launch.routine is not None:
            self.window.get().start_routine(launch.routine)
        if launch.tray:
            QTimer.singleShot(0, self._start_background)

    def _content_loaded(self) -> None:
        """The content is there: the window shows it, and the tray and reminders follow."""
        assert self.content is not None
        self._report(self.content.problems)
        made = self.window.window
        content = self.content.content
        if made is not None and content.library is not None and content.safety is not None:
            made.set_content(content.library, content.figures, content.safety)
        if not self.launch.tray:
            # A window that shows: the tray and reminders come after its content.
            QTimer.singleShot(0, self._start_background)

    def _start_background(self) -> None:
        """The icon, tray, reminders and power signals (once)."""
        if self.desk is None or self.desk.started or not self.services.desk_breaks:
            return
        from backtimer.qt.widgets.app_icon import app_icon

        # After the first paint (it costs the SVG module): every window takes it up.
        self.app.setWindowIcon(app_icon())
        self.desk.start(self.window, self.instance, self.app, self._pause_sessions)
        if self.launch.break_now:
            self.desk.take_break()
        if self.launch.tray and not self.desk.has_tray():
            # No tray to start hidden in: the window is the only way back to the app.
            self.window.get().showMinimized()

    # -- what the features ask of the app -----------------------------------------------

    def current_settings(self) -> Settings:
        """The settings in force (the window's while it exists)."""
        made = self.window.window
        if made is not None:
            return made.settings
        assert self.settings is not None
        return self.settings.current

    def _audio_for(self, settings: Settings) -> SessionAudio | None:
        return self.services.open_audio(self.paths, settings)

    def _pause_sessions(self) -> None:
        if self.window.window is not None:
            self.window.window.pause_unattended()

    def _save_settings(self, changed: Settings) -> None:
        assert self.settings is not None
        self.settings.save(changed)

    def _edit_settings(self) -> None:
        assert self.content is not None
        assert self.desk is not None
        self.content.ensure()  # the break routine is chosen among the library's routines
        from backtimer.qt.settings.edit_settings import edit_settings

        if self._voices is None:
            self._voices = self.services.voice_catalog(self.paths, self)
        if self._tester is None:
            self._tester = self.services.sound_tester(self.paths, self)
        made = self.window.get()
        chosen = edit_settings(
            made.settings,
            self._voices,
            self.window.window,
            self.content.content.routine_titles(),
            self.desk.idle_message,
            self._tester,
        )
        if chosen is not None:
            self.desk.apply_settings(chosen)
            made.apply_settings(chosen)

    def _show_safety(self) -> None:
        from backtimer.qt.settings.safety_dialog import SafetyDialog

        SafetyDialog(load_safety(), False, self.window.window).exec()

    def _make_window(self) -> MainWindow:
        from backtimer.qt.shell.main_window import MainWindow

        assert self.settings is not None
        assert self.content is not None
        content = self.content.content
        made = MainWindow(
            content.library,
            content.figures,
            content.safety,
            self.settings.current,
            self._audio_for,
            history=self.history,
            reps=self.pins,
            options=self.launch.options,
        )
        made.settings_changed.connect(self._save_settings)
        made.settings_requested.connect(self._edit_settings)
        made.safety_requested.connect(self._show_safety)
        made.closed.connect(self.app.quit)
        made.restore_geometry()
        if content.library is not None and content.safety is not None:
            made.set_content(content.library, content.figures, content.safety)
        else:
            self.content.on_demand.when_shown(made)
        return made

    # -- shutdown -----------------------------------------------------------------------

    def shutdown(self) -> None:
        """The one way out: withdraw prompts, stop listening, give up the writer's lock."""
        if self._closed:
            return
        self._closed = True
        if self.desk is not None:
            self.desk.close()
        if self.instance is not None:
            self.instance.close()
        if self._quitter is not None:
            self._quitter.close()
        if self.history is not None and self.history.lock is not None:
            self.history.lock.release()

    @staticmethod
    def _report(problems: list[str]) -> None:
        for problem in problems:
            print(f"backtimer: {problem}", file=sys.stderr)


def run_gui(paths: AppPaths, argv: list[str], launch: Launch | None = None) -> int:
    """Show the app and run the event loop; returns the exit code.

    ``argv`` is handed to Qt (it may take its own options such as ``-platform``). The
    caller checks that a display is available before calling this.
    """
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv)
    return Application(app, paths, launch).run()
