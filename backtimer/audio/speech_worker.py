"""The speech worker: a process of its own that renders phrases to WAV files with pyttsx3.

Run as ``python -m backtimer.audio.speech_worker``; :class:`backtimer.audio.speech.SpeechService`
starts it and talks to it. pyttsx3 lives here, away from the app, because it is not
thread-safe, its ``say()`` shells out to ``aplay`` on Linux, and its run loop is known to
hang on some platforms: a hung worker can be killed and started again, a hung app cannot.

The protocol is one JSON object per line each way: a request on stdin, its reply on stdout.
Every reply has ``"ok"``; a failed one has ``"error"`` too, and a request's ``"id"`` is
echoed back when it has one.

``{"op": "info"}``
    ``{"ok": true, "driver": "espeak", "engine_version": "1.51", "pyttsx3_version": "2.99",
    "defaults": {"voice": "gmw/en-us", "rate": 160, "volume": 1.0}}``: what identifies the
    engine's output (``engine_version`` is null where the driver has no version to give).
``{"op": "voices"}``
    ``{"ok": true, "voices": [{"id": ..., "name": ..., "languages": [...]}, ...]}``
``{"op": "render", "text": ..., "path": ..., "voice": id-or-null, "rate": int-or-null,
"volume": float-or-null}``
    Speaks ``text`` into a WAV file at ``path`` (null settings mean the engine's defaults)
    and replies ``{"ok": true}`` once the file is there and holds sound.

When pyttsx3 cannot start, every request gets ``{"ok": false, "error": "no speech engine:
..."}``. The worker ends when stdin closes.

How pyttsx3 2.99's espeak driver behaves (espeak-ng 1.51, found by experiment), and what
the worker does about it:

* One ``save_to_file`` + ``runAndWait`` per phrase works again and again in one process
  (hundreds of phrases in a row, 10-25 ms each). No re-init is needed, nor possible:
  espeak can be initialised once per process.
* The driver runs espeak asynchronously (``AUDIO_OUTPUT_RETRIEVAL``): synthesis happens
  on espeak's own thread, which writes the WAV when it reports the end, while
  ``runAndWait`` returns after one 10 ms turn of its loop. Short phrases happen to be
  done by then, long ones need not be. So the worker waits for the
  ``finished-utterance`` notification, then for espeak to be idle
  (``espeak_Synchronize``).
* Settings are asynchronous too (``espeak_SetParameter`` goes into espeak's queue), and
  every ``runAndWait`` starts by cancelling whatever espeak still has queued. Set the
  rate and go straight to ``runAndWait``, and the new rate is often thrown away: in a
  run of random setting changes one phrase in four came out at the previous rate, some
  for two phrases in a row. So after changing settings the worker lets espeak catch up
  (``espeak_Synchronize``) before the phrase; with that, 1,500 phrases with random
  setting changes all came out right. Settings are sent only when they change. The
  driver's own start-up settings get the same wait.
* Until the engine's first ``runAndWait`` pyttsx3 queues property changes itself and
  applies them inside the next ``runAndWait``, past the point where the worker could wait
  for them; an empty ``runAndWait`` at start-up gets that out of the way.
* pyttsx3 calls ``espeak_GetParameter`` without its second argument, so
  ``getProperty("rate")`` gives the current rate (200) or espeak's default (175)
  depending on a stray register: in one run 34 of 60 fresh workers read 175. The worker
  reads the rate and volume properly, so that the engine identity it reports (part of
  the cache key) is stable.
* With fixed settings espeak is not bit-for-bit repeatable: the same phrase varies by a
  few tens of milliseconds from one rendering to the next.
* A setting the driver rejects is not raised but reported through the engine's ``error``
  notification (and the old setting stays), so the worker checks the voice against the
  engine's list and turns any reported error into a failed reply.
* The driver prints "Audio saved to ..." on stdout, so stdout is moved onto stderr and
  the protocol gets a private copy of the original stdout.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import sys
import threading
import wave
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any, Protocol, TextIO

NO_ENGINE = "no speech engine"
SETTINGS = ("voice", "rate", "volume")
#: What an espeak engine speaks with when no voice or rate is asked for: American English
#: at 160 words a minute, which an offline recogniser understood best among espeak-ng's
#: English voices and rates (bench/voices.py, docs/voices.md). espeak's own defaults
#: (British English at pyttsx3's 200) were the hardest to follow.
ESPEAK_DEFAULTS: dict[str, Any] = {"voice": "gmw/en-us", "rate": 160}
#: How long a phrase may take to synthesise before the worker gives up on it.
FINISH_TIMEOUT_S = 120.0

Reply = dict[str, Any]


def reply_to(request: object, answer: Callable[[dict[str, Any]], Reply]) -> Reply:
    """``answer``'s reply to ``request``, carrying its id; a request that is not a JSON
    object gets an error. Every worker of the protocol answers through this."""
    if not isinstance(request, dict):
        return {"ok": False, "error": "bad request: not a JSON object"}
    reply = answer(request)
    if "id" in request:
        reply["id"] = request["id"]
    return reply


class Worker:
    """Answers protocol requests with one pyttsx3 engine, initialised once."""

    def __init__(self) -> None:
        self._engine: Any = None
        self._init_error: str | None = None
        self._errors: list[str] = []
        self._defaults: dict[str, Any] = {}
        self._settings: tuple[Any, ...] | None = None
        self._finished = threading.Event()
        self._completed = False
        try:
            import pyttsx3

            engine = pyttsx3.init()
            engine.connect("error", self._on_error)
            engine.connect("finished-utterance", self._on_finished)
            # Let espeak apply the defaults the driver has just set (asynchronously), lest
            # runAndWait cancel them. Until its first run the engine only queues property
            # changes; an empty run makes later ones immediate.
            _settle(engine)
            engine.runAndWait()
            _settle(engine)
            _prefer_clear_defaults(engine)
            self._defaults = _current_settings(engine)
        except Exception as error:  # pyttsx3 raises anything when no engine is there
            self._init_error = f"{NO_ENGINE}: {type(error).__name__}: {error}"
        else:
            self._engine = engine

    def _on_error(self, exception: BaseException | None = None, **_: object) -> None:
        self._errors.append(f"{type(exception).__name__}: {exception}")

    def _on_finished(self, completed: bool = True, **_: object) -> None:
        # Called on espeak's thread, after the WAV file has been closed.
        self._completed = bool(completed)
        self._finished.set()

    def handle(self, request: object) -> Reply:
        """The reply to one request."""
        return reply_to(request, self._answer)

    def _answer(self, request: dict[str, Any]) -> Reply:
        if self._engine is None:
            return {"ok": False, "error": self._init_error}
        op = request.get("op")
        try:
            if op == "render":
                return self._render(request)
            if op == "voices":
                return self._voices()
            if op == "info":
                return self._info()
        except Exception as error:
            return {"ok": False, "error": f"{type(error).__name__}: {error}"}
        return {"ok": False, "error": f"bad request: unknown op {op!r}"}

    def _info(self) -> Reply:
        driver = str(getattr(self._engine, "driver_name", "unknown"))
        return {
            "ok": True,
            "driver": driver,
            "engine_version": _engine_version(driver),
            "pyttsx3_version": _package_version("pyttsx3"),
            "defaults": self._defaults,
        }

    def _voices(self) -> Reply:
        voices = [
            {
                "id": str(voice.id),
                "name": str(voice.name or voice.id),
                "languages": [_language(code) for code in (voice.languages or [])],
            }
            for voice in self._engine.getProperty("voices")
        ]
        return {"ok": True, "voices": voices}

    def _render(self, request: dict[str, Any]) -> Reply:
        text, path = request.get("text"), request.get("path")
        if not isinstance(text, str) or not text.strip():
            return {"ok": False, "error": "bad request: no text to speak"}
        if not isinstance(path, str) or not path:
            return {"ok": False, "error": "bad request: no path to write"}
        settings = tuple(
            self._defaults[name] if request.get(name) is None else request[name]
            for name in SETTINGS
        )
        self._errors.clear()
        if settings != self._settings:
            problem = self._settings_problem(request)
            if problem is not None:
                return {"ok": False, "error": f"bad request: {problem}"}
            for name, value in zip(SETTINGS, settings, strict=True):
                self._engine.setProperty(name, value)
            # espeak takes settings asynchronously, and runAndWait cancels whatever espeak
            # has not done yet: wait until they are applied (see the module's docstring).
            _settle(self._engine)
            if self._errors:
                self._settings = None
                return {"ok": False, "error": "; ".join(self._errors)}
            self._settings = settings
        target = Path(path)
        target.unlink(missing_ok=True)
        self._finished.clear()
        self._completed = False
        self._engine.save_to_file(text, path)
        self._engine.runAndWait()
        # runAndWait can return before the WAV is written: the espeak driver synthesises
        # on espeak's own thread and writes the file when it reports the end.
        if not self._finished.wait(FINISH_TIMEOUT_S):
            return {"ok": False, "error": "the engine never finished the phrase"}
        _settle(self._engine)
        if self._errors:
            return {"ok": False, "error": "; ".join(self._errors)}
        if not self._completed:
            return {"ok": False, "error": "the engine cut the phrase short"}
        problem = _wav_problem(target)
        if problem is not None:
            return {"ok": False, "error": problem}
        return {"ok": True}

    def _settings_problem(self, request: dict[str, Any]) -> str | None:
        """What is wrong with a render request's voice, rate or volume, if anything."""
        voice, rate, volume = (request.get(name) for name in SETTINGS)
        if voice is not None and voice != self._defaults["voice"]:
            known = {str(v.id) for v in self._engine.getProperty("voices")}
            if voice not in known:
                return f"unknown voice {voice!r}"
        if rate is not None and (type(rate) is not int or rate <= 0):
            return f"rate must be a positive whole number of words a minute, not {rate!r}"
        if volume is not None and (
            type(volume) not in (int, float) or not 0.0 <= float(volume) <= 1.0
        ):
            return f"volume must be a number from 0 to 1, not {volume!r}"
        return None


def _prefer_clear_defaults(engine: Any) -> None:
    """Make :data:`ESPEAK_DEFAULTS` the espeak engine's defaults, where it has that voice."""
    if getattr(engine, "driver_name", None) != "espeak":
        return
    if ESPEAK_DEFAULTS["voice"] not in {str(v.id) for v in engine.getProperty("voices")}:
        return
    for name, value in ESPEAK_DEFAULTS.items():
        engine.setProperty(name, value)
    _settle(engine)


def _current_settings(engine: Any) -> dict[str, Any]:
    """The engine's voice, rate and volume as they are now."""
    settings = {name: engine.getProperty(name) for name in SETTINGS}
    if getattr(engine, "driver_name", None) == "espeak":
        # pyttsx3 calls espeak_GetParameter(parameter, current) without ``current``, so
        # whatever is in that register picks the value: the current rate (200, set by the
        # driver) or espeak's default (175). Ask properly.
        from pyttsx3.drivers import _espeak

        get = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_int, ctypes.c_int)(
            ("espeak_GetParameter", _espeak.dll)
        )
        settings["rate"] = get(_espeak.RATE, 1)
        settings["volume"] = get(_espeak.VOLUME, 1) / 100.0
    return settings


def _settle(engine: Any) -> None:
    """Wait until espeak has done everything it was asked (other drivers are synchronous)."""
    if getattr(engine, "driver_name", None) != "espeak":
        return
    with contextlib.suppress(Exception):
        from pyttsx3.drivers import _espeak

        _espeak.Synchronize()


def _wav_problem(path: Path) -> str | None:
    """Why ``path`` is not a WAV file with sound in it, or None when it is one."""
    if not path.is_file() or path.stat().st_size == 0:
        return f"the engine wrote no file at {path}"
    try:
        with wave.open(str(path), "rb") as wav:
            if wav.getnframes() == 0:
                return f"the engine wrote a WAV file with no sound at {path}"
    except (wave.Error, EOFError) as error:
        return f"the engine wrote a broken WAV file at {path}: {error}"
    return None


def _engine_version(driver: str) -> str | None:
    if driver != "espeak":
        return None
    with contextlib.suppress(Exception):
        from pyttsx3.drivers import _espeak

        version = _espeak.Info(None)
        if isinstance(version, bytes):
            return version.decode("utf-8", errors="replace")
    return None


def _package_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def _language(code: object) -> str:
    if isinstance(code, bytes):
        return code.decode("utf-8", errors="replace").lstrip("\x00").strip()
    return str(code)


class Handler(Protocol):
    """What answers protocol requests: :class:`Worker`, or the Piper worker."""

    def handle(self, request: object) -> Reply: ...


def serve(requests: TextIO, replies: TextIO, worker: Handler | None = None) -> None:
    """Answer every request line from ``requests`` until it ends."""
    worker = Worker() if worker is None else worker
    for line in requests:
        if not line.strip():
            continue
        try:
            request = json.loads(line)
        except json.JSONDecodeError as error:
            reply: Reply = {"ok": False, "error": f"bad request: {error}"}
        else:
            reply = worker.handle(request)
        replies.write(json.dumps(reply) + "\n")
        replies.flush()


def protocol_streams() -> tuple[TextIO, TextIO]:
    """The worker's request and reply streams, with stdout moved onto stderr.

    Whatever the engine prints, from Python or from C, then lands on stderr, and only
    protocol replies reach the original stdout.
    """
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    sys.stdout.flush()
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    sys.stdout = sys.stderr
    requests = open(sys.stdin.fileno(), encoding="utf-8", closefd=False)  # noqa: SIM115
    return requests, replies


def main() -> int:
    """Serve the protocol on stdin and stdout."""
    requests, replies = protocol_streams()
    with contextlib.suppress(KeyboardInterrupt, BrokenPipeError):
        serve(requests, replies)
    with contextlib.suppress(BrokenPipeError):
        replies.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
