"""The main window: routines, a session, its summary; menus, shortcuts and settings.

Pages live in a stack: :class:`~backtimer.qt.home.home_page.HomePage` (pick a routine),
:class:`~backtimer.qt.home.preview_page.PreviewPage` (what the chosen routine holds; Start),
:class:`~backtimer.qt.session.session_page.SessionPage` (follow it) and
:class:`~backtimer.qt.session.summary_page.SummaryPage` (what was done). The window only wires
them together; each page owns its own display. Only the home page is built before the
window first shows: the session and summary pages, the session runner and the keyboard
help are made (and their modules imported) when first needed, so launching stays quick.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QMainWindow, QMenu, QStackedWidget, QWidget

from backtimer.core.settings import Settings
from backtimer.qt.home.home_page import HomePage
from backtimer.qt.widgets.window_size import fit_to_screen, geometry_text, restore_geometry

if TYPE_CHECKING:
    from backtimer.app.options import SessionOptions
    from backtimer.app.routine_ref import RoutineRef
    from backtimer.app.sessions import SessionFactory
    from backtimer.core.clock import MonotonicClock
    from backtimer.core.figure.scene import ExerciseFigure
    from backtimer.core.history.overrides import RepsOverrides
    from backtimer.core.history.recorder import SessionHistory
    from backtimer.core.routine.library import Library
    from backtimer.core.routine.model import Routine
    from backtimer.core.safety import Safety
    from backtimer.core.scheduler import Summary
    from backtimer.qt.home.preview_page import PreviewPage
    from backtimer.qt.home.reps_dialog import RepsDialog
    from backtimer.qt.session.help_overlay import HelpOverlay
    from backtimer.qt.session.session_audio import SessionAudio
    from backtimer.qt.session.session_page import SessionPage
    from backtimer.qt.session.session_runner import SessionRunner
    from backtimer.qt.session.summary_page import SummaryPage


#: Keyboard shortcuts: (keys as shown, action), listed in the help overlay.
SHORTCUTS: tuple[tuple[str, str], ...] = (
    ("Space", "Start, pause or resume"),
    ("Right", "Skip to the next exercise"),
    ("Left", "Back to this or the previous exercise"),
    ("Esc", "Stop the session (asks first; Esc again ends it)"),
    ("P", "Stop, I feel pain (Ctrl+Shift+P works too)"),
    ("R", "The reps of the routine in focus"),
    ("F1", "Show these shortcuts"),
    ("Ctrl+,", "Settings"),
    ("Ctrl+H", "History"),
    ("Ctrl+Q", "Quit"),
)

#: The size the window first opens at, within the screen's free area.
PREFERRED_SIZE = QSize(1100, 760)
#: The least size at which every page fits (less on a smaller screen: see fit_to_screen).
MINIMUM_SIZE = QSize(760, 520)


class MainWindow(QMainWindow):
    """Home, session and summary pages with the menus that drive them."""

    #: The settings changed (the user's choice, or where the window is): the app keeps them.
    settings_changed = Signal(object)
    #: File → Settings…: the app shows the dialog and calls :meth:`apply_settings`.
    settings_requested = Signal()
    #: Help → Safety…: the app shows the safety information.
    safety_requested = Signal()
    #: The window has really closed (File → Quit, or nothing keeps the app running).
    closed = Signal()

    def __init__(
        self,
        library: Library | None,
        figures: dict[str, ExerciseFigure],
        safety: Safety | None,
        settings: Settings,
        audio_factory: Callable[[Settings], SessionAudio | None],
        clock: MonotonicClock | None = None,
        parent: QWidget | None = None,
        history: SessionHistory | None = None,
        reps: RepsOverrides | None = None,
        *,
        sessions: SessionFactory | None = None,
        options: SessionOptions | None = None,
    ) -> None:
        super().__init__(parent)
        #: Prepares and records sessions (made from the history and pins when not given).
        self._sessions = sessions
        #: What the launch asked of its sessions (``run --voice …``).
        self._options = options
        self.setWindowTitle("backtimer")
        #: Where sessions are recorded; None records nothing (tests).
        self._history = history
        #: The reps the user pinned; None offers no reps dialog (tests).
        self._reps = reps
        self.reps_dialog: RepsDialog | None = None
        self._library = library
        self._safety = safety
        self._settings = settings
        #: A routine to start once the library has loaded (``backtimer run ROUTINE``).
        self._start_when_loaded: RoutineRef | str | None = None
        #: The routine of the last session, for "Do it again".
        self._last_routine: RoutineRef | None = None
        #: Asked when the window is closed (not quit): True keeps the app running, as when
        #: desk-break reminders live on in the tray (see :meth:`set_close_policy`).
        self._keep_running: Callable[[], bool] = lambda: False
        self._quitting = False
        #: Sessions whose record the history could not take, one message each.
        self.save_problems: list[str] = []

        self._figures = figures
        self._clock = clock
        self._audio_factory = audio_factory
        # Made on first use (see the properties below).
        self._session: SessionPage | None = None
        self._runner: SessionRunner | None = None
        self._summary: SummaryPage | None = None
        self._help_overlay: HelpOverlay | None = None
        self._preview: PreviewPage | None = None

        self.home = HomePage(library)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.home)
        self.setCentralWidget(self.pages)

        self.home.routine_chosen.connect(self.show_preview)
        self.home.reps_requested.connect(self.show_reps)
        self.home.set_reps_available(reps is not None)
        if settings.equipment_at_hand is not None:
            from backtimer.core.routine.kinds import Equipment

            self.home.set_have(Equipment(name) for name in settings.equipment_at_hand)
        self.home.have_changed.connect(self._remember_have)
        if library is not None:
            self.home.set_length_source(self.planned_length)
            self.home.set_figures(figures)
        self._build_menus()
        fit_to_screen(self, PREFERRED_SIZE, MINIMUM_SIZE)

    # -- menus --------------------------------------------------------------------------

    def _action(
        self, menu_name: str, text: str, slot: Callable[[], object], keys: QKeySequence | None
    ) -> QAction:
        menu = self._menus.get(menu_name)
        if menu is None:
            menu = self._menus[menu_name] = self.menuBar().addMenu(menu_name)
        action = QAction(text, self)
        if keys is not None:
            action.setShortcut(keys)
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        self._menus: dict[str, QMenu] = {}
        settings_keys = QKeySequence("Ctrl+,")
        quit_keys = QKeySequence(QKeySequence.StandardKey.Quit)
        self._action("&File", "&Settings…", self.open_settings, settings_keys)
        self._action("&File", "&Export history…", self.export_history, None)
        self._action("&File", "&Import history…", self.import_history, None)
        self._action("&File", "&Quit", self.quit, quit_keys)
        session = [
            ("&Start / Pause", self.start_or_toggle, QKeySequence(Qt.Key.Key_Space)),
            ("S&kip exercise", self.skip, QKeySequence(Qt.Key.Key_Right)),
            ("&Back", self.back, QKeySequence(Qt.Key.Key_Left)),
            ("S&top…", self.escape, QKeySequence(Qt.Key.Key_Escape)),
            ("Stop, I feel &pain", self.stop_for_pain, QKeySequence(Qt.Key.Key_P)),
        ]
        for text, slot, keys in session:
            action = self._action("&Session", text, slot, keys)
        # One key for someone in pain; the old chord still works.
        action.setShortcuts([QKeySequence(Qt.Key.Key_P), QKeySequence("Ctrl+Shift+P")])
        self._action("&View", "&History", self.show_history, QKeySequence("Ctrl+H"))
        self._action("&Help", "&Keyboard shortcuts", self.toggle_help, QKeySequence("F1"))
        self._action("&Help", "&Safety…", self.show_safety, None)

    # -- pages (the session and summary pages are made on first use) --------------------

    @property
    def session(self) -> SessionPage:
        """The session view (made, with the runner that drives it, on first use)."""
        if self._session is None:
            from backtimer.qt.session.session_page import SessionPage

            page = self._session = SessionPage(self._figures, self._clock)
            self.pages.addWidget(page)
            page.state_text.connect(self._on_state_text)
        return self._session

    @property
    def runner(self) -> SessionRunner:
        """Starts sessions on the session page: plan, voice, history records."""
        if self._runner is None:
            from backtimer.qt.session.session_runner import SessionRunner

            runner = SessionRunner(
                self.session,
                self._settings,
                self._audio_factory,
                self._history,
                self,
                sessions=self.sessions,
                options=self._options,
            )
            runner.save_failed.connect(self._on_save_failed)
            runner.finished.connect(self._on_finished)
            # The runner has saved the session when it says finished.
            runner.finished.connect(self._refresh_history_view)
            runner.pain_noted.connect(self._refresh_history_view)
            self._runner = runner
        return self._runner

    @property
    def summary(self) -> SummaryPage:
        """The summary shown when a session ends (made on first use)."""
        if self._summary is None:
            from backtimer.qt.session.summary_page import SummaryPage

            page = self._summary = SummaryPage()
            self.pages.addWidget(page)
            page.home_requested.connect(self.show_home)
            page.again_requested.connect(self._again)
            page.pain_reported.connect(self.runner.note_pain)
        return self._summary

    @property
    def help_overlay(self) -> HelpOverlay:
        """The keyboard shortcuts over the window (made on first use)."""
        if self._help_overlay is None:
            from backtimer.qt.session.help_overlay import HelpOverlay

            self._help_overlay = HelpOverlay(SHORTCUTS, self)
        return self._help_overlay

    def _in_session_view(self) -> bool:
        return self._session is not None and self.pages.currentWidget() is self._session

    def hold_session(self) -> None:
        """Pause a running session before anything covers it (an overlay, a dialog, a
        window); the user resumes with Space, nothing resumes by itself."""
        if self._session is not None:
            self._session.pause()

    def show_safety(self) -> None:
        """Help → Safety…: the app shows the safety information (the session waits)."""
        self.hold_session()
        self.safety_requested.emit()

    def show_home(self) -> None:
        """Back to the routine picker."""
        self.pages.setCurrentWidget(self.home)
        self.setWindowTitle("backtimer")
        self.home.focus_first()

    def set_content(
        self, library: Library, figures: dict[str, ExerciseFigure], safety: Safety
    ) -> None:
        """The library, its illustrations and the safety text, once loaded."""
        self._library, self._safety = library, safety
        self._figures = figures
        if self._session is not None:
            self._session.set_figures(figures)
        self.home.set_length_source(self.planned_length)
        self.home.set_figures(figures)
        self.home.set_library(library)
        if self._history is not None:
            self.home.set_last_done(self._history.last_done())
        if self._start_when_loaded is not None:
            routine, self._start_when_loaded = self._start_when_loaded, None
            self.start_routine(routine)

    @property
    def sessions(self) -> SessionFactory:
        """Prepares sessions: reps from the history and the pins, settings, the record."""
        if self._sessions is None:
            from backtimer.app.sessions import SessionFactory

            self._sessions = SessionFactory(lambda: self._library, self._history, self._reps)
        return self._sessions

    def start_routine(self, routine: RoutineRef | str) -> None:
        """Prepare the routine's voice, then start it: a library id, a file, or a reference.

        A routine that cannot be found or read is said in a message, never ignored.
        """
        if self._library is None:
            self._start_when_loaded = routine
            return
        if self._runner is not None and self._runner.busy:
            return
        from backtimer.app.routine_ref import RoutineNotFoundError, RoutineRef
        from backtimer.core.routine.loader import RoutineFileError

        ref = RoutineRef.parse(routine) if isinstance(routine, str) else routine
        try:
            chosen = self.sessions.routine(ref)
        except RoutineFileError as error:
            problems = "\n".join(str(problem) for problem in error.errors)
            self._say_cannot_start(ref, problems)
            return
        except RoutineNotFoundError as error:
            self._say_cannot_start(ref, str(error))
            return
        self._last_routine = ref
        self.pages.setCurrentWidget(self.session)
        self.runner.start(chosen)

    # -- the preview between the picker and the session -------------------------------------

    def planned_length(self, routine: Routine) -> int:
        """The routine's one planned length, with this user's reps and settings."""
        from backtimer.app.durations import session_length_ms

        return session_length_ms(self.sessions.prepare(routine, self._settings, self._options))

    @property
    def preview(self) -> PreviewPage:
        """The preview of a chosen routine (made on first use)."""
        if self._preview is None:
            from backtimer.qt.home.preview_page import PreviewPage

            page = self._preview = PreviewPage()
            self.pages.addWidget(page)
            page.start_requested.connect(self.start_routine)
            page.back_requested.connect(self._back_to_picker)
            page.reps_requested.connect(self.show_reps)
        return self._preview

    def show_preview(self, routine_id: str) -> None:
        """A chosen card: what the routine holds, with the reps this session would use."""
        entry = self._library.find(routine_id) if self._library is not None else None
        if entry is None:
            return
        from backtimer.app.durations import session_length_ms

        prepared = self.sessions.prepare(entry.routine, self._settings, self._options)
        filters = self.home.filters
        self.preview.show_routine(
            entry.routine,
            prepared.decisions,
            session_length_ms(prepared),
            self._figures,
            have=None if filters.has_everything() else filters.have,
            reps_available=self._reps is not None,
            stop_rule=self._safety.stop_rule.text if self._safety is not None else None,
        )
        self.pages.setCurrentWidget(self.preview)
        self.setWindowTitle(f"{entry.routine.title} — backtimer")
        self.preview.focus_start()

    def _remember_have(self) -> None:
        """Keep what the user has (ticked under "I have") in the settings."""
        from backtimer.core.routine.kinds import Equipment

        filters = self.home.filters
        at_hand: tuple[str, ...] | None = None
        if not filters.has_everything():
            at_hand = tuple(item.value for item in Equipment if item in filters.have)
        self.apply_settings(replace(self._settings, equipment_at_hand=at_hand))

    def _back_to_picker(self, routine_id: str) -> None:
        self.show_home()
        self.home.focus_card(routine_id)

    def _in_preview(self) -> bool:
        return self._preview is not None and self.pages.currentWidget() is self._preview

    def _say_cannot_start(self, ref: RoutineRef, problems: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        self.hold_session()
        QMessageBox.warning(
            self, "Cannot start the routine", f"{ref} cannot be started:\n{problems}"
        )

    def _on_save_failed(self, message: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        self.save_problems.append(message)
        self.hold_session()
        QMessageBox.warning(self, "History not saved", message)

    def _on_finished(self, summary: Summary) -> None:
        if self._history is not None:
            self.home.set_last_done(self._history.last_done())
        self.home.refresh_lengths()  # the reps may have grown
        assert self._safety is not None  # loaded before any session can start
        self.summary.show_summary(summary, self._safety)
        self.pages.setCurrentWidget(self.summary)
        self.summary.focus_default()

    def show_reps(self, routine_id: str) -> None:
        """The reps of a routine's exercises and why, to pin them (the dialog loads now)."""
        entry = self._library.find(routine_id) if self._library is not None else None
        if entry is None or self._reps is None:
            return
        from backtimer.qt.home.reps_dialog import open_reps_dialog

        self.hold_session()
        automatic = self.sessions.decisions(entry.routine, with_pins=False)
        if self.reps_dialog is not None:
            self.reps_dialog.deleteLater()
        self.reps_dialog = open_reps_dialog(self, entry.routine, automatic, self._reps)
        self.reps_dialog.accepted.connect(self._after_reps)  # after the pins are saved

    def _after_reps(self) -> None:
        self.home.refresh_lengths()
        routine = self._preview.routine if self._preview is not None else None
        if routine is not None and self._in_preview():
            self.show_preview(routine.id)

    def _again(self) -> None:
        if self._last_routine is not None:
            self.start_routine(self._last_routine)

    def _on_state_text(self, text: str) -> None:
        driver = self._session.driver if self._session is not None else None
        plan = driver.scheduler.plan if driver is not None else None
        title = plan.title if plan else "backtimer"
        self.setWindowTitle(f"{title} · {text} — backtimer")

    # -- history (its window and QtCharts load on first use, not at start) ----------------

    def show_history(self) -> None:
        """Open the history window (View → History), up to date."""
        self.hold_session()
        view = getattr(self, "history_view", None)
        if view is None:
            from backtimer.qt.history.history_view import HistoryView

            view = self.history_view = HistoryView(self._history, self)
            restore_geometry(view, self._settings.history_geometry)
            view.closed.connect(self._remember_history_geometry)
        view.refresh()
        view.show()
        view.raise_()
        view.activateWindow()

    def _remember_history_geometry(self) -> None:
        view = getattr(self, "history_view", None)
        if view is not None:
            self._settings = replace(self._settings, history_geometry=geometry_text(view))
            self.settings_changed.emit(self._settings)

    def export_history(self) -> None:
        """File → Export history…: CSV, one row per session or per exercise."""
        from backtimer.qt.history.history_transfer import ask_export, tell

        if self._history is not None:
            self.hold_session()
            report = ask_export(self, self._history, datetime.now().astimezone().date())
            if report is not None:
                tell(self, "Export history", report)

    def import_history(self) -> None:
        """File → Import history…: add the sessions of an export; report what was added."""
        from backtimer.qt.history.history_transfer import ask_import, tell

        self.hold_session()
        if self._history is not None and (report := ask_import(self, self._history)):
            self.home.set_last_done(self._history.last_done())
            if getattr(self, "history_view", None) is not None:
                self.history_view.refresh_if_shown()
            tell(self, "Import history", report)

    def _refresh_history_view(self, *_args: object) -> None:
        view = getattr(self, "history_view", None)
        if view is not None:
            view.refresh_if_shown()

    # -- keys ---------------------------------------------------------------------------

    def start_or_toggle(self) -> None:
        """Space: pause or resume a session; on the home page, open the focused card.

        Over the keyboard help it only closes the help: the session stays paused."""
        if self._help_overlay is not None and self._help_overlay.isVisible():
            self._help_overlay.dismiss()
            return
        if self._session is not None and self._in_session_view():
            self._session.toggle_pause()
            return
        focused = QApplication.focusWidget()
        if focused is not None and hasattr(focused, "click"):
            focused.click()

    def escape(self) -> None:
        """Esc: close the help, go back from a preview, or ask before stopping the session."""
        if self._help_overlay is not None and self._help_overlay.isVisible():
            self._help_overlay.dismiss()
        elif self._in_preview():
            self.preview.go_back()
        elif self._session is not None and self._in_session_view():
            self._session.request_stop()

    def skip(self) -> None:
        """Right: on to the next exercise (nothing without a session)."""
        if self._session is not None:
            self._session.skip()

    def back(self) -> None:
        """Left: back to the start of this exercise or to the previous one."""
        if self._session is not None:
            self._session.back()

    def stop_for_pain(self) -> None:
        """P (or Ctrl+Shift+P): end the session for pain at once (nothing without one)."""
        if self._session is not None:
            self._session.stop_for_pain()

    def toggle_help(self) -> None:
        """Show or hide the keyboard shortcuts (a session pauses under them)."""
        if not self.help_overlay.isVisible():
            self.hold_session()
        self.help_overlay.toggle()

    def pause_unattended(self) -> None:
        """The machine sleeps or the screen locks: pause, never run on unattended."""
        if self._session is not None:
            self._session.pause()

    # -- settings and geometry ------------------------------------------------------------

    @property
    def settings(self) -> Settings:
        """The settings in force."""
        return self._settings

    def open_settings(self) -> None:
        """Ask for the settings dialog (a session pauses); the app applies the choice."""
        self.hold_session()
        self.settings_requested.emit()

    def set_close_policy(self, keep_running: Callable[[], bool]) -> None:
        """Asked when the window is closed (not quit): True keeps the app running."""
        self._keep_running = keep_running

    def apply_settings(self, settings: Settings) -> None:
        """Use new settings: the voice for the next session, and tell the app to save."""
        self._settings = settings
        if self._runner is not None:  # a new voice for the next session if it changed
            self._runner.set_settings(settings)
        self.home.refresh_lengths()  # the get-ready time is part of each length
        self.settings_changed.emit(settings)

    def restore_geometry(self) -> None:
        """Put the window where it was last time (fitted to today's screen)."""
        restore_geometry(self, self._settings.window_geometry)

    def geometry_text(self) -> str:
        """The window's geometry, for the settings."""
        return geometry_text(self)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        """Stop a running session and remember where the window was."""
        if self._session is not None:
            self._session.stop()
        if self._runner is not None:
            self._runner.close()
        self._settings = replace(self._settings, window_geometry=self.geometry_text())
        self.settings_changed.emit(self._settings)
        if not self._quitting and self._keep_running():
            event.ignore()
            return
        super().closeEvent(event)
        self.closed.emit()

    def quit(self) -> None:
        """File → Quit: close for good, even when reminders would keep the app running."""
        self._quitting = True
        if not self.close():
            self._quitting = False
