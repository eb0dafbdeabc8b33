"""Start a routine on a session page: its plan, its voice, and its place in the history.

Shared by the main window and the break window. :meth:`SessionRunner.start` compiles the
routine's plan with the reps the history suggests, prepares the voice when there is sound
(showing progress on the page), records the session as under way, and runs it; when it
ends the record is finished and :attr:`SessionRunner.finished` brings the summary.

New settings (:meth:`SessionRunner.set_settings`) take effect for the next session. When
the sound changed, the voice is made anew: at once between sessions, when the next
session starts if one runs now (it keeps the voice it started with), and a preparation
under way starts over with the new voice.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from backtimer import __version__
from backtimer.core.history.session_log import begin_record, end_record
from backtimer.core.plan.compiler import PlanSettings, compile_plan
from backtimer.core.plan.timeline import Plan
from backtimer.core.scheduler import Summary
from backtimer.core.settings import Settings
from backtimer.qt.session.session_audio import SessionAudio
from backtimer.qt.session.session_page import SessionPage

if TYPE_CHECKING:
    from backtimer.core.history.progression import Decision
    from backtimer.core.history.recorder import SessionHistory
    from backtimer.core.history.records import SessionRecord
    from backtimer.core.routine.model import Routine

#: Makes the sound for sessions from the settings; None means silent.
AudioFactory = Callable[[Settings], SessionAudio | None]


class SessionRunner(QObject):
    """Runs routines on one :class:`~backtimer.qt.session.session_page.SessionPage`."""

    #: The session's summary, once its record is written.
    finished = Signal(object)

    def __init__(
        self,
        page: SessionPage,
        settings: Settings,
        audio_factory: AudioFactory,
        history: SessionHistory | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.page = page
        self._settings = settings
        self._audio_factory = audio_factory
        #: Where sessions are recorded; None records nothing (tests).
        self.history = history
        self._record: SessionRecord | None = None
        #: Made when the first session starts, so launching stays quick.
        self._audio: SessionAudio | None = None
        self._audio_made = False
        #: The sound settings changed while a session ran: a new voice for the next one.
        self._audio_stale = False
        self._pending: Routine | None = None
        self._pending_decisions: Mapping[str, Decision] | None = None
        page.finished.connect(self._on_finished)

    @property
    def busy(self) -> bool:
        """True while a session runs or its voice is being prepared."""
        return self.page.in_session or self._pending is not None

    @property
    def settings(self) -> Settings:
        """The settings sessions start with."""
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
            routine, decisions = self._pending, self._pending_decisions
            self.close()
            self.start(routine, decisions)
        else:
            self.close()

    def progression(self, routine: Routine) -> dict[str, Decision]:
        """The reps the history suggests for ``routine`` (none without a history)."""
        return self.history.progression(routine) if self.history is not None else {}

    def start(self, routine: Routine, decisions: Mapping[str, Decision] | None = None) -> bool:
        """Start ``routine`` with the reps of ``decisions`` (the history's by default).

        False, and nothing happens, while another session is busy.
        """
        if self.busy:
            return False
        if self._audio_stale:
            self.close()
        if decisions is None:
            decisions = self.progression(routine)
        settings = PlanSettings(
            get_ready_seconds=self._settings.get_ready_seconds,
            announce_next=self._settings.audio.announce_next,
            reps={exercise_id: decision.reps for exercise_id, decision in decisions.items()},
        )
        self.page.set_reasons(
            {exercise_id: decision.reason for exercise_id, decision in decisions.items()}
        )
        if not self._audio_made:
            self._audio_made = True
            self._audio = self._audio_factory(self._settings)
            if self._audio is not None:
                self._audio.progress.connect(self._on_voice_progress)
                self._audio.ready.connect(self._on_voice_ready)
        if self._audio is None:
            self._run(routine, compile_plan(routine, settings), None)
            return True
        self._pending, self._pending_decisions = routine, decisions
        self.page.exercise_label.setText(routine.title)
        self.page.action_label.setText("Preparing the voice…")
        self._audio.prepare(routine, settings)
        return True

    def close(self) -> None:
        """Stop the voice (a new one is made for the next session)."""
        if self._audio is not None:
            self._audio.close()
        self._audio, self._audio_made, self._audio_stale = None, False, False
        self._pending, self._pending_decisions = None, None

    def _on_voice_progress(self, done: int, total: int) -> None:
        if self._pending is not None:
            self.page.action_label.setText(f"Preparing the voice… {done} of {total}")

    def _on_voice_ready(self, plan: Plan) -> None:
        routine, self._pending, self._pending_decisions = self._pending, None, None
        if routine is not None:
            self._run(routine, plan, self._audio)

    def _run(self, routine: Routine, plan: Plan, audio: SessionAudio | None) -> None:
        """Start the session, recording it as under way first (a crash shows later)."""
        if self.history is not None:
            record = begin_record(
                routine.id, routine.title, datetime.now().astimezone(), __version__
            )
            self._record = record
            self.history.save(lambda store: store.start_session(record))
        self.page.run(routine, plan, audio)

    def _on_finished(self, summary: Summary) -> None:
        record, self._record = self._record, None
        if self.history is not None and record is not None:
            finished = end_record(record, summary, datetime.now().astimezone())
            self.history.save(lambda store: store.finish_session(finished))
        self.finished.emit(summary)
