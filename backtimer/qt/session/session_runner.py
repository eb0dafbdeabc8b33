"""Start a routine on a session page: its plan, its voice, and its place in the history.

Shared by the main window and the break window. :meth:`SessionRunner.start` has the
application layer's :class:`~backtimer.app.sessions.SessionFactory` prepare the session
(the reps from the history and the pins with their reasons, the settings under the
launch's options), prepares the voice when there is sound (showing progress on the page),
records the session as under way, and runs it; when it ends the record is finished and
:attr:`SessionRunner.finished` brings the summary (:attr:`SessionRunner.save_failed` says
when the history could not take it).

New settings (:meth:`SessionRunner.set_settings`) take effect for the next session. When
the sound changed, the voice is made anew: at once between sessions, when the next
session starts if one runs now (it keeps the voice it started with), and a preparation
under way starts over with the new voice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from backtimer.app.options import SessionOptions
from backtimer.app.sessions import PreparedSession, SessionFactory, SessionRecording
from backtimer.core.plan.timeline import Plan
from backtimer.core.scheduler import Summary
from backtimer.core.settings import Settings
from backtimer.qt.session.session_audio import SessionAudio
from backtimer.qt.session.session_page import SessionPage

if TYPE_CHECKING:
    from backtimer.core.history.recorder import SessionHistory
    from backtimer.core.routine.model import Routine

#: Makes the sound for sessions from the settings; None means silent.
AudioFactory = Callable[[Settings], SessionAudio | None]


class SessionRunner(QObject):
    """Runs routines on one :class:`~backtimer.qt.session.session_page.SessionPage`."""

    #: The session's summary, once its record is written.
    finished = Signal(object)
    #: Why the session's record could not be saved to the history (a message for the user).
    save_failed = Signal(str)
    #: What hurt was saved with the last session's record.
    pain_noted = Signal()

    def __init__(
        self,
        page: SessionPage,
        settings: Settings,
        audio_factory: AudioFactory,
        history: SessionHistory | None = None,
        parent: QObject | None = None,
        *,
        sessions: SessionFactory | None = None,
        options: SessionOptions | None = None,
    ) -> None:
        super().__init__(parent)
        self.page = page
        self._settings = settings
        self._audio_factory = audio_factory
        #: Prepares and records sessions; without one, from ``history`` alone (no pins).
        self.sessions = sessions if sessions is not None else SessionFactory(lambda: None, history)
        #: What the launch asked for on top of the settings (``run --voice …``).
        self.options = options or SessionOptions()
        self._recording: SessionRecording | None = None
        #: The record of the session that ended last: where a pain note goes
        #: (``runner.last_recording.note_pain(area, note)`` after a pain stop).
        self.last_recording: SessionRecording | None = None
        #: Made when the first session starts, so launching stays quick.
        self._audio: SessionAudio | None = None
        self._audio_made = False
        #: The sound settings changed while a session ran: a new voice for the next one.
        self._audio_stale = False
        self._pending: PreparedSession | None = None
        page.finished.connect(self._on_finished)

    @property
    def busy(self) -> bool:
        """True while a session runs or its voice is being prepared."""
        return self.page.in_session or self._pending is not None

    @property
    def history(self) -> SessionHistory | None:
        """Where sessions are recorded; None records nothing (tests)."""
        return self.sessions.history

    @property
    def settings(self) -> Settings:
        """The settings sessions start with (before the launch's options)."""
        return self._settings

    def set_settings(self, settings: Settings) -> None:
        """Use ``settings`` from the next session on (a new voice if the sound changed).

        A session running keeps its voice; a voice being prepared is prepared again.
        """
        old, self._settings = self._settings, settings
        if settings.audio == old.audio:
            return
        if self.page.in_session:
            self._audio_stale = True
        elif self._pending is not None:
            routine = self._pending.routine
            self.close()
            self.start(routine)
        else:
            self.close()

    def start(self, routine: Routine) -> bool:
        """Start ``routine`` with the reps its history and the pins give.

        False, and nothing happens, while another session is busy.
        """
        if self.busy:
            return False
        if self._audio_stale:
            self.close()
        prepared = self.sessions.prepare(routine, self._settings, self.options)
        self.page.set_reasons(prepared.reasons)
        audio = self._sound(prepared)
        if audio is None:
            self._run(prepared, prepared.plan(), None)
            return True
        self._pending = prepared
        self.page.exercise_label.setText(routine.title)
        self.page.action_label.setText("Preparing the voice…")
        audio.prepare(routine, prepared.plan_settings)
        return True

    def _sound(self, prepared: PreparedSession) -> SessionAudio | None:
        """The voice and beeps for sessions (made at the first, so launching stays quick)."""
        if not self._audio_made:
            self._audio_made = True
            self._audio = self._audio_factory(replace(self._settings, audio=prepared.audio))
            if self._audio is not None:
                self._audio.progress.connect(self._on_voice_progress)
                self._audio.ready.connect(self._on_voice_ready)
        return self._audio

    def close(self) -> None:
        """Stop the voice (a new one is made for the next session)."""
        if self._audio is not None:
            self._audio.close()
        self._audio, self._audio_made, self._audio_stale = None, False, False
        self._pending = None

    def _on_voice_progress(self, done: int, total: int) -> None:
        if self._pending is not None:
            self.page.action_label.setText(f"Preparing the voice… {done} of {total}")

    def _on_voice_ready(self, plan: Plan) -> None:
        prepared, self._pending = self._pending, None
        if prepared is not None:
            self._run(prepared, plan, self._audio)

    def _run(self, prepared: PreparedSession, plan: Plan, audio: SessionAudio | None) -> None:
        """Start the session, recording it as under way first (a crash shows later)."""
        recording = self.sessions.recording(prepared.routine, desk_break=prepared.desk_break)
        self._recording = recording
        if not recording.start():
            self.save_failed.emit(f"The start of this session was not saved: {recording.problem}")
        self.page.run(prepared.routine, plan, audio)

    def _on_finished(self, summary: Summary) -> None:
        recording, self._recording = self._recording, None
        self.last_recording = recording
        if recording is not None and not recording.finish(summary):
            self.save_failed.emit(f"This session could not be saved: {recording.problem}")
        self.finished.emit(summary)

    def note_pain(self, area: str, note: str) -> None:
        """Keep what hurt with the session that just ended (the summary's pain form)."""
        recording = self.last_recording
        if recording is None:
            return
        recording.note_pain(area, note)
        if recording.problem is not None:
            self.save_failed.emit(f"What hurt could not be saved: {recording.problem}")
        else:
            self.pain_noted.emit()
