"""Sound for sessions in the window: the voice prepared in the background, cues played.

Before a session starts, :meth:`SessionAudio.prepare` renders the routine's phrases on a
worker thread (the speech engine runs in its own process; the thread only waits on it),
reporting progress, then compiles the plan with the phrases' real lengths and hands it
back on the GUI thread. During the session :meth:`SessionAudio.play` starts each due cue's
sound; with a warm cache that costs about a millisecond.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from backtimer.audio.cues import CueSounds
from backtimer.cli.eyes_free import build_plan, phrases_to_render
from backtimer.core.audio import SoundPlayer, SpeechRenderer
from backtimer.core.paths import AppPaths
from backtimer.core.plan.compiler import PlanSettings
from backtimer.core.plan.timeline import Cue
from backtimer.core.settings import AudioSettings

if TYPE_CHECKING:
    from backtimer.core.routine.model import Routine


class _Signals(QObject):
    progress = Signal(int, int)
    finished = Signal(object)


class _Prepare(QRunnable):
    """Renders the phrases, then compiles the plan with their real lengths."""

    def __init__(
        self,
        routine: Routine,
        settings: PlanSettings,
        speech: SpeechRenderer | None,
        signals: _Signals,
    ) -> None:
        super().__init__()
        # Python keeps this object alive (SessionAudio holds it); Qt deleting it as well
        # would free it twice.
        self.setAutoDelete(False)
        self._routine = routine
        self._settings = settings
        self._speech = speech
        self._signals = signals

    def run(self) -> None:
        duration = None
        if self._speech is not None:
            self._speech.prerender(
                phrases_to_render(self._routine, self._settings), self._signals.progress.emit
            )
            duration = self._speech.duration_ms
        self._signals.finished.emit(build_plan(self._routine, self._settings, duration))


class SessionAudio(QObject):
    """Speech and beeps for the window's sessions."""

    #: (phrases done, phrases in all) while the voice is being prepared.
    progress = Signal(int, int)
    #: The plan, compiled with the real phrase lengths, ready to run.
    ready = Signal(object)

    def __init__(
        self,
        player: SoundPlayer,
        speech: SpeechRenderer | None,
        settings: AudioSettings,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._speech = speech if settings.speech else None
        self._sounds = CueSounds(player, self._speech, settings)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._signals = _Signals(self)
        self._signals.progress.connect(self.progress)
        self._signals.finished.connect(self.ready)
        self._job: _Prepare | None = None

    def prepare(self, routine: Routine, settings: PlanSettings) -> None:
        """Render ``routine``'s phrases in the background; ``ready`` brings the plan."""
        self._job = _Prepare(routine, settings, self._speech, self._signals)
        self._pool.start(self._job)

    def play(self, cue: Cue) -> None:
        """Start a due cue's sound."""
        self._sounds.play(cue)

    def close(self) -> None:
        """Silence, wait for preparation to end, and stop the speech engine."""
        self._sounds.stop()
        self._pool.waitForDone()
        if self._speech is not None:
            self._speech.close()


def open_session_audio(paths: AppPaths, settings: AudioSettings) -> SessionAudio:
    """The real thing: the speech cache in the cache folder and the system's sound output."""
    from backtimer.audio.player import open_player
    from backtimer.audio.speech import SpeechService

    speech = (
        SpeechService(paths.cache, voice=settings.voice, rate=settings.rate, volume=settings.volume)
        if settings.speech
        else None
    )
    return SessionAudio(open_player(), speech, settings)
