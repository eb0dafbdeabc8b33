"""Sound playback: simpleaudio when the machine has an output device, silence otherwise.

:func:`open_player` is the way in: it opens the default output once and hands back a
:class:`SimpleaudioPlayer`, or, on a machine with no sound (no ALSA device, simpleaudio
missing or broken), logs one warning and hands back a :class:`NullPlayer`. Nothing here
raises into the caller: a device that fails mid-session turns into a logged warning and a
missing beep, never a crashed session.

One stream plays at a time: ALSA's default device may be a bare card that cannot mix two
streams. So a sound that starts while another plays is mixed with what is left of that
one (:func:`backtimer.core.mixing.mix`), and the mix replaces the stream from the point
reached: both sounds are heard in full. The point reached is read from an injected
monotonic clock, the time since the stream started.

simpleaudio cannot drop what it has queued: a stopped stream still plays out its buffer
(up to its 100 ms latency) before it closes. Through a mixing server (PipeWire,
PulseAudio, dmix) that tail sounds together with the start of the mix, which plays the
same audio in step with it; on a bare card the mix waits for it, so up to 100 ms of the
first sound may be heard twice. Nothing is ever cut.
"""

from __future__ import annotations

import importlib
import logging
import threading
from typing import Any

from backtimer.core.audio import Pcm, SoundPlayer
from backtimer.core.clock import MonotonicClock, SystemClock
from backtimer.core.mixing import mix, tail

logger = logging.getLogger(__name__)

#: What the user is told, once, when there is no sound.
NO_DEVICE_MESSAGE = "no audio output device: beeps and speech are off"

_BYTES_PER_SAMPLE = 2  # Pcm is always signed 16-bit
_PROBE_RATE = 44_100
_PROBE_FRAMES = 220  # 5 ms of silence


class SimpleaudioPlayer:
    """Plays :class:`Pcm` through simpleaudio without blocking, mixing sounds that overlap."""

    def __init__(self, backend: Any = None, clock: MonotonicClock | None = None) -> None:
        """Use the ``simpleaudio`` module, or ``backend`` standing in for it (for tests).

        ``clock`` tells how far the playing sound has got (the system's monotonic clock
        unless a test passes another). Raises ImportError when simpleaudio cannot be
        loaded; :func:`open_player` turns that into a :class:`NullPlayer`.
        """
        self._backend: Any = (
            backend if backend is not None else importlib.import_module("simpleaudio")
        )
        self._clock: MonotonicClock = clock if clock is not None else SystemClock()
        self._current: Any = None  # the simpleaudio PlayObject of the stream playing
        self._sound: Pcm | None = None  # what that stream plays
        self._started_ms = 0.0  # when it started, on the clock
        self._lock = threading.Lock()
        self._failed = False

    def probe(self) -> None:
        """Open the default output by playing a few milliseconds of silence.

        Raises whatever simpleaudio raises when there is no usable device.
        """
        silence = bytes(_PROBE_FRAMES * _BYTES_PER_SAMPLE)
        with self._lock:
            self._current = self._backend.play_buffer(silence, 1, _BYTES_PER_SAMPLE, _PROBE_RATE)
            self._sound = None

    def play(self, sound: Pcm) -> None:
        """Start ``sound`` now, mixed with the rest of the sound playing, if any; never raises."""
        with self._lock:
            now = self._clock.monotonic_ms()
            rest = self._rest_of_current(now)
            if rest is not None and rest.frames:
                sound = mix(rest, sound)
            self._stop_current()
            try:
                self._current = self._backend.play_buffer(
                    sound.frames, sound.channels, _BYTES_PER_SAMPLE, sound.sample_rate
                )
            except Exception as error:  # a device gone mid-session must not end it
                self._current = None
                self._report(error)
                return
            self._sound, self._started_ms = sound, now

    def _rest_of_current(self, now: float) -> Pcm | None:
        """What the stream playing has still to play, by the clock; None when nothing plays.

        The clock decides, not the stream's own state: a stream may have handed all its
        sound to the device (and report that it is done) long before it has been heard.
        """
        if self._sound is None:
            return None
        return tail(self._sound, now - self._started_ms)

    def stop(self) -> None:
        """Stop whatever is playing; never raises."""
        with self._lock:
            self._stop_current()

    @property
    def failed(self) -> bool:
        """True once playback has failed (the device went away, say)."""
        return self._failed

    def is_playing(self) -> bool:
        """True while the latest sound is still playing."""
        with self._lock:
            current = self._current
        return current is not None and bool(current.is_playing())

    def wait(self) -> None:
        """Block until the latest sound has finished (for scripts and tests, not the GUI)."""
        with self._lock:
            current = self._current
        if current is not None:
            current.wait_done()

    def _stop_current(self) -> None:
        self._sound = None
        if self._current is None:
            return
        try:
            self._current.stop()
        except Exception as error:
            self._report(error)
        self._current = None

    def _report(self, error: Exception) -> None:
        if self._failed:
            logger.debug("audio playback failed again: %s", error)
            return
        self._failed = True
        logger.warning("audio playback failed, some sounds will be missing: %s", error)


class NullPlayer:
    """Plays nothing: the player of a machine without sound."""

    def play(self, sound: Pcm) -> None:
        """Do nothing."""

    def stop(self) -> None:
        """Do nothing."""


def open_player(clock: MonotonicClock | None = None) -> SoundPlayer:
    """The real player if the default output device opens, else a :class:`NullPlayer`.

    Tries the device once. On any failure it logs a single warning and returns the
    null player; it never raises. ``clock`` goes to :class:`SimpleaudioPlayer`.
    """
    try:
        player = SimpleaudioPlayer(clock=clock)
        player.probe()
    except Exception as error:  # ImportError, simpleaudio's errors, anything else
        logger.warning("%s (%s)", NO_DEVICE_MESSAGE, _describe(error))
        return NullPlayer()
    return player


def _describe(error: BaseException) -> str:
    text = " ".join(str(error).split())
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
