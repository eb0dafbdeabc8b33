"""The settings dialog's "Test sound": the voice and the beeps, played off the GUI thread.

:class:`SoundTester` runs a slow ``play`` (open the device, render the test phrase in the
speech worker process, play, wait for the end) on a thread of its own and brings back,
on the GUI thread, the :class:`~backtimer.audio.status.SoundStatus` it found. One test
plays at a time.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from backtimer.audio.status import SoundStatus
from backtimer.core.settings import AudioSettings

log = logging.getLogger(__name__)

#: Plays the test sound with these settings and says what was wrong (slow; not on the GUI
#: thread).
PlaySample = Callable[[AudioSettings], SoundStatus]


class SoundTester(QObject):
    """Plays the test sound in the background, one at a time."""

    #: The :class:`SoundStatus` found, or None when the test itself failed.
    finished = Signal(object)
    _done = Signal(object)  # from the test's thread to this one

    def __init__(self, play: PlaySample, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._play = play
        self._busy = False
        self._done.connect(self._on_done)

    @classmethod
    def for_cache(cls, cache_dir: Path, parent: QObject | None = None) -> SoundTester:
        """The tester of the real device and speech engine (phrases cached in ``cache_dir``)."""
        from backtimer.audio.status import play_sound_sample

        return cls(lambda settings: play_sound_sample(cache_dir, settings), parent)

    @property
    def busy(self) -> bool:
        """True while a test sound is being made or played."""
        return self._busy

    def start(self, settings: AudioSettings) -> bool:
        """Play the test sound with ``settings``; False (and nothing) while one plays."""
        if self._busy:
            return False
        self._busy = True
        threading.Thread(target=self._run, args=(settings,), name="test-sound", daemon=True).start()
        return True

    def _run(self, settings: AudioSettings) -> None:
        status: SoundStatus | None = None
        try:
            status = self._play(settings)
        except Exception:  # the dialog says the test failed; the details go to the log
            log.exception("the test sound failed")
        with contextlib.suppress(RuntimeError):  # the app went away meanwhile
            self._done.emit(status)

    def _on_done(self, status: SoundStatus | None) -> None:
        self._busy = False
        self.finished.emit(status)
