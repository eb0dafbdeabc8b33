"""The speech engine's voices, listed once in the background and kept for the app's lifetime.

Listing the voices starts a speech worker process (see :mod:`backtimer.audio.speech`),
which takes a noticeable moment; the settings dialog must not wait for it. The app makes
one :class:`VoiceCatalog`; the dialog opens at once and :meth:`VoiceCatalog.deliver`
hands it the voices when they are there (at once from the second time on).
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal

log = logging.getLogger(__name__)

#: A voice as the engine lists it: "id", "name" and "languages".
Voice = Mapping[str, object]
#: Lists the voices (slowly: it may start the speech engine); called off the GUI thread.
VoiceLister = Callable[[], Sequence[Voice]]


def list_engine_voices(cache_dir: Path) -> list[Voice]:
    """The voices of the real speech engine (a worker process started and stopped)."""
    from backtimer.audio.speech import SpeechService

    with SpeechService(cache_dir) as speech:
        return list(speech.voices())


class VoiceCatalog(QObject):
    """The voices, listed on a thread of their own when first wanted, then kept."""

    #: The voices, once listed (a list; empty when there is no speech engine).
    loaded = Signal(object)
    _listed = Signal(object)  # from the listing thread to this one

    def __init__(self, list_voices: VoiceLister, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._list_voices = list_voices
        self._voices: list[Voice] | None = None
        self._loading = False
        self._listed.connect(self._on_listed)

    @classmethod
    def for_cache(cls, cache_dir: Path, parent: QObject | None = None) -> VoiceCatalog:
        """The catalog of the real speech engine."""
        return cls(lambda: list_engine_voices(cache_dir), parent)

    @property
    def voices(self) -> list[Voice] | None:
        """The voices, or None while they have not been listed yet."""
        return None if self._voices is None else list(self._voices)

    @property
    def loading(self) -> bool:
        """True while the voices are being listed."""
        return self._loading

    def load(self) -> None:
        """List the voices in the background, unless they are listed or being listed."""
        if self._voices is not None or self._loading:
            return
        self._loading = True
        threading.Thread(target=self._list, name="voice-list", daemon=True).start()

    def deliver(self, receiver: Callable[[list[Voice]], object]) -> None:
        """Call ``receiver`` with the voices: now if they are known, else once listed.

        A receiver that is a method of a widget closed meanwhile is not called.
        """
        if self._voices is not None:
            receiver(list(self._voices))
            return
        self.loaded.connect(receiver, Qt.ConnectionType.SingleShotConnection)
        self.load()

    def _list(self) -> None:
        voices: list[Voice] = []
        try:
            voices = list(self._list_voices())
        except Exception:  # the list stays empty: the dialog says there is no engine
            log.exception("could not list the speech engine's voices")
        with contextlib.suppress(RuntimeError):  # the app went away meanwhile
            self._listed.emit(voices)

    def _on_listed(self, voices: list[Voice]) -> None:
        self._voices, self._loading = voices, False
        self.loaded.emit(list(voices))
