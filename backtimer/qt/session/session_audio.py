"""Sound for sessions in the window: the voice prepared in the background, cues played.

Before a session starts, :meth:`SessionAudio.prepare` renders the routine's phrases on a
worker thread (the speech engine runs in its own process; the thread only waits on it),
reporting progress, then compiles the plan with the phrases' real lengths and hands it
back on the GUI thread. During the session :meth:`SessionAudio.play` starts each due cue's
sound; with a warm cache that costs about a millisecond, and a phrase missing from the
cache is never rendered on the spot (see :class:`~backtimer.audio.cues.CueSounds`).

:meth:`SessionAudio.close` never waits for the preparation: it cancels it (the job stops
before its next phrase, and a speech engine that can be cancelled kills its worker, so
the phrase in flight ends at once), silences the sound, and lets go of the speech engine
once the job has ended. A cancelled preparation never reports ``ready``.

:attr:`SessionAudio.status` says what is wrong with sound (no device, no speech engine,
speech turned off mid-session; see :mod:`backtimer.audio.status`), looked at again when
the voice is ready, after each cue and after the test sound; ``status_changed`` tells.
:meth:`SessionAudio.test_sound` plays the phrase and the beeps from a thread.
"""

from __future__ import annotations

import contextlib
import threading
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from PySide6.QtCore import QObject, Signal

from backtimer.app.sessions import phrases_to_render, timed_plan
from backtimer.audio.cues import CueSounds
from backtimer.audio.status import SoundStatus, SoundWatch, sound_sample
from backtimer.core.audio import SoundPlayer, SpeechRenderer
from backtimer.core.paths import AppPaths
from backtimer.core.plan.compiler import PlanSettings
from backtimer.core.plan.timeline import Cue
from backtimer.core.settings import AudioSettings

if TYPE_CHECKING:
    from backtimer.core.routine.model import Routine


@runtime_checkable
class CancellableSpeech(Protocol):
    """A speech engine that can stop a render in flight from another thread."""

    def cancel(self) -> None:
        """Stop now: a render in flight returns at once, nothing new is rendered."""
        ...


class _Signals(QObject):
    # The job, so that the GUI thread can tell a cancelled or replaced one.
    progress = Signal(object, int, int)
    finished = Signal(object, object)  # the job, the plan (None when cancelled)
    tested = Signal()  # the test sound has started playing (or failed to)


class _Prepare:
    """Renders the phrases one by one, then compiles the plan with their real lengths."""

    def __init__(
        self,
        routine: Routine,
        settings: PlanSettings,
        speech: SpeechRenderer | None,
        signals: _Signals,
    ) -> None:
        self._routine = routine
        self._settings = settings
        self._speech = speech
        self._signals = signals
        self._cancelled = threading.Event()
        self.thread = threading.Thread(target=self.run, name="voice-preparation", daemon=True)

    @property
    def cancelled(self) -> bool:
        """True once :meth:`cancel` has been called."""
        return self._cancelled.is_set()

    def cancel(self) -> None:
        """Stop before the next phrase; the plan is not handed over."""
        self._cancelled.set()

    def run(self) -> None:
        plan = None
        try:
            duration = None
            if self._speech is not None:
                self._render(self._speech)
                duration = self._speech.duration_ms
            if not self.cancelled:
                plan = timed_plan(self._routine, self._settings, duration)
        finally:
            # RuntimeError: the app (and the receiver) went away meanwhile; nobody waits.
            with contextlib.suppress(RuntimeError):
                self._signals.finished.emit(self, plan)

    def _render(self, speech: SpeechRenderer) -> None:
        phrases = list(dict.fromkeys(phrases_to_render(self._routine, self._settings)))
        self._report(0, len(phrases))
        for done, text in enumerate(phrases, start=1):
            if self.cancelled:
                return
            speech.prerender([text])
            if self.cancelled:
                return
            self._report(done, len(phrases))

    def _report(self, done: int, total: int) -> None:
        with contextlib.suppress(RuntimeError):
            self._signals.progress.emit(self, done, total)


class SessionAudio(QObject):
    """Speech and beeps for the window's sessions."""

    #: (phrases done, phrases in all) while the voice is being prepared.
    progress = Signal(int, int)
    #: The plan, compiled with the real phrase lengths, ready to run.
    ready = Signal(object)
    #: The :class:`~backtimer.audio.status.SoundStatus`, whenever it changes.
    status_changed = Signal(object)

    def __init__(
        self,
        player: SoundPlayer,
        speech: SpeechRenderer | None,
        settings: AudioSettings,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._speech = speech if settings.speech else None
        self._player = player
        self._settings = settings
        self._sounds = CueSounds(player, self._speech, settings)
        self._watch = SoundWatch(player, self._speech)
        self._watch.check()
        self._testing = False
        self._signals = _Signals(self)
        self._signals.progress.connect(self._on_progress)
        self._signals.finished.connect(self._on_finished)
        self._signals.tested.connect(self._on_tested)
        self._job: _Prepare | None = None
        self._closed = False
        self._speech_closed = False

    @property
    def preparing(self) -> bool:
        """True while a preparation's job runs (a cancelled one too, until it ends)."""
        return self._job is not None

    def prepare(self, routine: Routine, settings: PlanSettings) -> None:
        """Render ``routine``'s phrases in the background; ``ready`` brings the plan.

        A preparation still under way is cancelled: only the latest one reports.
        """
        if self._closed:
            return
        if self._job is not None:
            self._job.cancel()
        job = self._job = _Prepare(routine, settings, self._speech, self._signals)
        # Keep the job (and so this object) alive until the GUI thread hears it ended.
        _RUNNING.add(self)
        job.thread.start()

    def play(self, cue: Cue) -> None:
        """Start a due cue's sound (never waits for the speech engine)."""
        self._sounds.play(cue)
        self.check_sound()

    @property
    def status(self) -> SoundStatus:
        """What is wrong with sound, as last looked at."""
        return self._watch.status

    def check_sound(self) -> None:
        """Look at the player and the speech engine again; tell a change (cheap, no waiting)."""
        before = self._watch.status
        self._watch.check()
        if self._watch.status != before:
            self.status_changed.emit(self._watch.status)

    @property
    def testing(self) -> bool:
        """True while the test sound is being made."""
        return self._testing

    def test_sound(self) -> None:
        """Speak the test phrase with this voice, then each beep; made on a thread.

        Does nothing while a test sound is being made or once closed.
        """
        if self._testing or self._closed:
            return
        self._testing = True
        _RUNNING.add(self)
        threading.Thread(target=self._play_test, name="test-sound", daemon=True).start()

    def _play_test(self) -> None:
        try:
            if not self._closed:
                self._player.play(sound_sample(self._speech, self._settings.volume))
        finally:
            with contextlib.suppress(RuntimeError):
                self._signals.tested.emit()

    def _on_tested(self) -> None:
        self._testing = False
        if self._job is None:
            _RUNNING.discard(self)
        self.check_sound()

    def close(self) -> None:
        """Silence, cancel the preparation without waiting for it, stop the speech engine.

        A render in flight ends at once with a speech engine that can be cancelled
        (:class:`CancellableSpeech`); the engine is closed as soon as the job has ended.
        """
        self._closed = True
        if self._job is not None:
            self._job.cancel()
        self._sounds.stop()
        if isinstance(self._speech, CancellableSpeech):
            self._speech.cancel()
        if self._job is None:
            self._close_speech()

    def _on_progress(self, job: _Prepare, done: int, total: int) -> None:
        if job is self._job and not job.cancelled:
            self.progress.emit(done, total)

    def _on_finished(self, job: _Prepare, plan: object) -> None:
        if job is not self._job:
            return  # replaced by a newer preparation, which reports instead
        self._job = None
        if not self._testing:
            _RUNNING.discard(self)
        if self._closed:
            self._close_speech()
        elif plan is not None and not job.cancelled:
            self.check_sound()
            self.ready.emit(plan)

    def _close_speech(self) -> None:
        if self._speech is not None and not self._speech_closed:
            self._speech_closed = True
            self._speech.close()


#: Audio whose preparation still runs: kept alive so that the job's report has a receiver.
_RUNNING: set[SessionAudio] = set()


def open_session_audio(paths: AppPaths, settings: AudioSettings) -> SessionAudio:
    """The real thing: the speech cache in the cache folder and the system's sound output."""
    from backtimer.audio.player import open_player
    from backtimer.audio.speech import speech_for

    speech = speech_for(paths.cache, settings)
    return SessionAudio(open_player(), speech, settings)
