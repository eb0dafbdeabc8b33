"""Turn due cues into sound: beeps synthesised in code, phrases from the speech cache.

Playing a cue never waits for the speech engine. A phrase is spoken only when it is
already in the cache (the voice is prepared before a session); one that is not is handed
to a background thread that renders it for next time, and meanwhile the cue gets its
fallback beep, if it has one. A phrase rendered too late for its cue is not played late.
"""

from __future__ import annotations

import logging
import threading
from collections import deque

from backtimer.core.audio import Pcm, SoundPlayer, SpeechRenderer
from backtimer.core.beeps import beep_sound
from backtimer.core.plan.timeline import Beep, Cue, CueRole
from backtimer.core.settings import AudioSettings

log = logging.getLogger(__name__)

#: With no speech, these spoken cues still get a sound so the user can follow by ear.
_FALLBACK_BEEPS = {
    CueRole.COUNTDOWN: Beep.COUNT,
    CueRole.ANNOUNCE: Beep.TICK,
    CueRole.SWITCH_SIDE: Beep.TICK,
    CueRole.SET: Beep.TICK,
}


class CueSounds:
    """Plays each cue as its beep or its spoken phrase, as the settings allow."""

    def __init__(
        self, player: SoundPlayer, speech: SpeechRenderer | None, settings: AudioSettings
    ) -> None:
        self._player = player
        self._speech = speech if settings.speech else None
        self._settings = settings
        self._later = BackgroundRenders(self._speech) if self._speech is not None else None

    def play(self, cue: Cue) -> None:
        """Start the cue's sound now (never waits for the speech engine)."""
        if cue.beep is not None:
            if self._settings.beeps:
                self._player.play(beep_sound(cue.beep, self._settings.volume))
            return
        if cue.text is None:
            return
        spoken = self._cached_speech(cue.text)
        if spoken is not None:
            self._player.play(spoken)
            return
        fallback = _FALLBACK_BEEPS.get(cue.role)
        if fallback is not None and self._settings.beeps:
            self._player.play(beep_sound(fallback, self._settings.volume))

    def _cached_speech(self, text: str) -> Pcm | None:
        """The phrase if it is in the cache; otherwise None, and it is rendered for later."""
        if self._speech is None or self._later is None:
            return None
        if self._speech.cached(text) is None:
            self._later.want(text)
            return None
        return self._speech.render(text)  # in the cache: read back, not rendered

    @property
    def background(self) -> BackgroundRenders | None:
        """The renders of missing phrases (None without speech)."""
        return self._later

    def stop(self) -> None:
        """Silence whatever plays, and forget phrases waiting to be rendered."""
        self._player.stop()
        if self._later is not None:
            self._later.drop()


class BackgroundRenders:
    """Renders phrases one at a time on a thread of its own, each phrase once."""

    def __init__(self, speech: SpeechRenderer) -> None:
        self._speech = speech
        self._lock = threading.Lock()
        self._queue: deque[str] = deque()
        self._asked: set[str] = set()
        self._running = False
        #: Phrases rendered so far (for tests and logs).
        self.rendered: list[str] = []
        #: Set whenever the thread has nothing left to do.
        self.idle = threading.Event()
        self.idle.set()

    def want(self, text: str) -> None:
        """Render ``text`` in the background (once, however often it is asked for)."""
        with self._lock:
            if text in self._asked:
                return
            self._asked.add(text)
            self._queue.append(text)
            self.idle.clear()
            if self._running:
                return
            self._running = True
        threading.Thread(target=self._run, name="speech-for-later", daemon=True).start()

    def drop(self) -> None:
        """Forget the phrases not started yet (the one in flight ends on its own)."""
        with self._lock:
            self._queue.clear()

    def _run(self) -> None:
        while True:
            with self._lock:
                if not self._queue:
                    self._running = False
                    self.idle.set()
                    return
                text = self._queue.popleft()
            try:
                self._speech.render(text)
            except Exception:  # a broken engine must not end the thread silently
                log.exception("could not render %r in the background", text)
            self.rendered.append(text)
