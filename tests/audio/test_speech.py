"""The speech service and its worker process: real espeak-ng where it is installed, and
fake workers (small scripts) for hangs and a missing engine.

Nothing here sleeps to synchronise: the service waits on its worker's pipe with a
timeout, and the fakes are deterministic (a marker file tells a fake which life it is in).
"""

from __future__ import annotations

import ctypes.util
import json
import logging
import os
import signal
import subprocess
import sys
import textwrap
import threading
import wave
from array import array
from collections.abc import Iterator
from pathlib import Path

import pytest

from backtimer.audio.speech import (
    NO_ENGINE_WARNING,
    SpeechService,
    read_wav,
    wav_problem,
)
from backtimer.audio.speech_worker import ESPEAK_DEFAULTS
from backtimer.core.audio import Pcm, SpeechRenderer

PHRASE = "Breathe in and lift your arms"
LOGGER = "backtimer.audio.speech"

needs_espeak = pytest.mark.skipif(
    ctypes.util.find_library("espeak-ng") is None and ctypes.util.find_library("espeak") is None,
    reason="espeak-ng is not installed",
)


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "cache"


@pytest.fixture
def service(cache_dir: Path) -> Iterator[SpeechService]:
    with SpeechService(cache_dir) as speech:
        yield speech


def write_script(tmp_path: Path, name: str, source: str) -> Path:
    script = tmp_path / name
    script.write_text(textwrap.dedent(source), encoding="utf-8")
    return script


def peak(pcm: Pcm) -> int:
    samples = array("h")
    samples.frombytes(pcm.frames)
    return max((abs(sample) for sample in samples), default=0)


def warnings_from_speech(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.name == LOGGER and record.levelno >= logging.WARNING
    ]


def test_the_service_is_a_speech_renderer(service: SpeechService) -> None:
    renderer: SpeechRenderer = service
    assert renderer is service


# -- real espeak-ng through the real worker ---------------------------------------------


@needs_espeak
def test_a_phrase_is_rendered_cached_and_read_back(service: SpeechService, cache_dir: Path) -> None:
    pcm = service.render(PHRASE)

    assert pcm is not None
    path = service.cached(PHRASE)
    assert path is not None
    assert path.is_file()
    assert path.is_relative_to(cache_dir / "speech")
    assert path.parent.name == path.stem[:2]
    assert wav_problem(path) is None
    with wave.open(str(path), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth()) == (1, 2)
        seconds = wav.getnframes() / wav.getframerate()
    words = len(PHRASE.split())
    assert 0.2 * words <= seconds <= 0.8 * words
    assert pcm.channels == 1
    assert pcm.duration_ms == pytest.approx(seconds * 1000)
    assert peak(pcm) > 3000  # speech, not silence
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp.wav")]


@needs_espeak
def test_a_second_render_is_a_cache_hit(service: SpeechService) -> None:
    first = service.render(PHRASE)
    requests = service.worker_requests

    again = service.render(PHRASE)

    assert again == first
    assert service.worker_requests == requests  # nothing reached the worker


@needs_espeak
def test_the_cache_outlives_the_service_and_its_worker(cache_dir: Path, tmp_path: Path) -> None:
    with SpeechService(cache_dir) as speech:
        first = speech.render(PHRASE)
    # A worker that answers who it is but would fail any render: only the cache can help.
    script = write_script(
        tmp_path,
        "info_only.py",
        """
        import json, sys
        from backtimer.audio.speech_worker import Worker
        worker = Worker()
        for line in sys.stdin:
            request = json.loads(line)
            if request["op"] == "info":
                reply = worker.handle(request)
            else:
                reply = {"ok": False, "error": "this fake renders nothing", "id": request["id"]}
            print(json.dumps(reply), flush=True)
        """,
    )
    with SpeechService(cache_dir, worker_command=[sys.executable, str(script)]) as speech:
        assert speech.render(PHRASE) == first
        assert speech.worker_requests == 1  # "info" only


@needs_espeak
def test_another_rate_is_another_cache_entry(service: SpeechService, cache_dir: Path) -> None:
    service.render(PHRASE)
    default_path = service.cached(PHRASE)
    assert default_path is not None

    with SpeechService(cache_dir, rate=100) as slow:
        assert slow.cached(PHRASE) is None
        pcm = slow.render(PHRASE)
        slow_path = slow.cached(PHRASE)

    assert pcm is not None
    assert slow_path is not None
    assert slow_path != default_path
    default_ms = service.duration_ms(PHRASE)
    assert default_ms is not None
    assert pcm.duration_ms > 1.3 * default_ms  # 100 words a minute against 160


@needs_espeak
def test_the_default_voice_is_clear_american_english_and_keys_the_cache(
    service: SpeechService, cache_dir: Path, tmp_path: Path
) -> None:
    # A worker with espeak's own defaults, as before the change: British English at 200.
    script = write_script(
        tmp_path,
        "old_defaults.py",
        """
        import sys
        from backtimer.audio import speech_worker
        speech_worker.ESPEAK_DEFAULTS = {"voice": "gmw/en", "rate": 200}
        speech_worker.main()
        """,
    )
    with SpeechService(cache_dir, worker_command=[sys.executable, str(script)]) as old:
        old_pcm = old.render(PHRASE)
    new_pcm = service.render(PHRASE)

    assert old_pcm is not None
    assert new_pcm is not None
    # Not the old rendering from the cache: the engine's defaults are part of the key.
    assert new_pcm.duration_ms > 1.15 * old_pcm.duration_ms  # 160 words a minute against 200
    assert len(list((cache_dir / "speech").rglob("*.wav"))) == 2


@needs_espeak
def test_duration_is_unknown_until_rendered_then_real(service: SpeechService) -> None:
    assert service.duration_ms(PHRASE) is None
    assert service.cached(PHRASE) is None

    pcm = service.render(PHRASE)

    assert pcm is not None
    assert service.duration_ms(PHRASE) == round(pcm.duration_ms)


@needs_espeak
def test_voices_are_listed(service: SpeechService) -> None:
    voices = service.voices()

    assert voices
    assert all(voice["id"] for voice in voices)
    assert all(isinstance(voice["languages"], list) for voice in voices)


@needs_espeak
def test_another_voice_and_volume_are_used(service: SpeechService, cache_dir: Path) -> None:
    loud = service.render(PHRASE)
    voice = next(v["id"] for v in service.voices() if v["id"].endswith("en-us"))
    with SpeechService(cache_dir, voice=voice, volume=0.3) as quiet:
        soft = quiet.render(PHRASE)
    assert loud is not None
    assert soft is not None
    assert peak(soft) < 0.6 * peak(loud)


@needs_espeak
def test_prerender_renders_each_phrase_once_and_reports_progress(
    service: SpeechService,
) -> None:
    service.render("Hold it")
    reports: list[tuple[int, int]] = []
    phrases = ["Hold it", "Relax", "Lift your arms", "Relax"]

    service.prerender(phrases, lambda done, total: reports.append((done, total)))

    assert reports == [(0, 3), (1, 3), (2, 3), (3, 3)]
    assert all(service.cached(text) is not None for text in phrases)
    requests = service.worker_requests
    service.prerender(phrases)
    assert service.worker_requests == requests


@needs_espeak
def test_threads_can_share_the_service(service: SpeechService) -> None:
    phrases = [f"Exercise number {n}" for n in range(6)]
    results: dict[str, Pcm | None] = {}

    def speak(text: str) -> None:
        results[text] = service.render(text)

    threads = [threading.Thread(target=speak, args=(text,)) for text in phrases]
    for thread in threads:
        thread.start()
    background = threading.Thread(target=service.prerender, args=(reversed(phrases),))
    background.start()
    for thread in [*threads, background]:
        thread.join()

    assert all(results[text] is not None for text in phrases)
    assert service.worker_starts == 1


@needs_espeak
def test_a_killed_worker_is_replaced(service: SpeechService) -> None:
    assert service.render("Hold it") is not None
    pid = service.worker_pid
    assert pid is not None

    os.kill(pid, signal.SIGKILL)
    pcm = service.render(PHRASE)

    assert pcm is not None
    assert peak(pcm) > 3000
    assert service.worker_pid not in (None, pid)
    assert service.worker_starts == 2


@needs_espeak
def test_a_hung_worker_is_killed_and_replaced(
    tmp_path: Path, cache_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # First life: answers "info" as the real worker would, then hangs on the first render.
    # Every later life is the real worker.
    marker = tmp_path / "hung-once"
    script = write_script(
        tmp_path,
        "hang_once.py",
        """
        import json, sys, threading
        from pathlib import Path
        marker = Path(sys.argv[1])
        from backtimer.audio.speech_worker import Worker, main
        if marker.exists():
            raise SystemExit(main())
        marker.touch()
        worker = Worker()
        for line in sys.stdin:
            request = json.loads(line)
            if request["op"] == "render":
                threading.Event().wait()  # a stuck engine
            print(json.dumps(worker.handle(request)), flush=True)
        """,
    )
    command = [sys.executable, str(script), str(marker)]
    with SpeechService(cache_dir, timeout_s=1.0, worker_command=command) as speech:
        assert speech.cached(PHRASE) is None  # starts the first life
        first_pid = speech.worker_pid
        assert first_pid is not None

        pcm = speech.render(PHRASE)

        assert pcm is not None
        assert peak(pcm) > 3000
        assert speech.worker_starts == 2
        assert speech.worker_pid != first_pid
    with pytest.raises(ProcessLookupError):
        os.kill(first_pid, 0)  # the hung worker was killed (and reaped)
    # One wait of the timeout, then the new worker answered: not a wait per retry.
    timed_out = [m for m in warnings_from_speech(caplog) if "did not answer within" in m]
    assert len(timed_out) == 1, timed_out
    assert "did not answer within 1 s" in timed_out[0]


# -- no speech engine -----------------------------------------------------------------


@pytest.fixture(params=["exits", "says-no-engine", "missing-command"])
def engineless_command(request: pytest.FixtureRequest, tmp_path: Path) -> list[str]:
    if request.param == "exits":
        return [sys.executable, "-c", "pass"]
    if request.param == "missing-command":
        return [str(tmp_path / "no-such-program")]
    # The real worker, with pyttsx3 unable to load: importing it fails.
    blocker = tmp_path / "blocker"
    blocker.mkdir()
    (blocker / "pyttsx3.py").write_text("raise RuntimeError('no espeak here')\n")
    script = write_script(
        tmp_path,
        "no_engine.py",
        f"""
        import sys
        sys.path.insert(0, {str(blocker)!r})
        from backtimer.audio.speech_worker import main
        raise SystemExit(main())
        """,
    )
    return [sys.executable, str(script)]


def test_without_an_engine_speech_is_off_with_one_warning(
    engineless_command: list[str], cache_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger=LOGGER)
    with SpeechService(cache_dir, timeout_s=5.0, worker_command=engineless_command) as speech:
        assert speech.render(PHRASE) is None
        assert speech.render("Hold it") is None
        assert speech.cached(PHRASE) is None
        assert speech.duration_ms(PHRASE) is None
        assert speech.voices() == []
        speech.prerender([PHRASE, "Relax"])
        assert speech.render(PHRASE) is None
        starts = speech.worker_starts
        assert starts <= 2

        assert speech.off_reason is not None
        assert speech.worker_starts == starts  # no new attempts once off
    warnings = warnings_from_speech(caplog)
    assert len(warnings) == 1
    assert warnings[0].startswith(NO_ENGINE_WARNING)


# -- the worker on its own --------------------------------------------------------------


@needs_espeak
def test_the_worker_protocol(tmp_path: Path) -> None:
    requests = [
        {"op": "info", "id": 1},
        {"op": "render", "text": "Hello", "path": str(tmp_path / "a.wav"), "rate": 150, "id": 2},
        {"op": "render", "text": "Again", "path": str(tmp_path / "b.wav"), "rate": 150},
        {"op": "render", "text": "  ", "path": str(tmp_path / "c.wav")},
        {"op": "render", "text": "Hi", "path": str(tmp_path / "d.wav"), "voice": "no/such"},
        {"op": "voices"},
        {"op": "dance"},
        {"op": "render", "text": "Hello", "path": str(tmp_path / "e.wav"), "rate": 300},
        {"op": "render", "text": "Hello", "path": str(tmp_path / "f.wav"), "rate": 150},
    ]
    lines = "".join(json.dumps(request) + "\n" for request in requests) + "not json\n"
    result = subprocess.run(
        [sys.executable, "-m", "backtimer.audio.speech_worker"],
        input=lines,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    replies = [json.loads(line) for line in result.stdout.splitlines()]

    info, hello, again, blank, bad_voice, voices, dance, faster, slower, not_json = replies
    assert info["ok"]
    assert info["id"] == 1
    assert info["driver"] == "espeak"
    assert info["engine_version"]
    assert info["pyttsx3_version"]
    assert info["defaults"] == {**ESPEAK_DEFAULTS, "volume": 1.0}
    assert hello == {"ok": True, "id": 2}
    assert again == {"ok": True}
    assert wav_problem(tmp_path / "a.wav") is None
    assert wav_problem(tmp_path / "b.wav") is None
    assert not blank["ok"]
    assert "no text" in blank["error"]
    assert not bad_voice["ok"]
    assert "unknown voice" in bad_voice["error"]
    assert voices["ok"]
    assert {"id", "name", "languages"} <= set(voices["voices"][0])
    assert not dance["ok"]
    assert faster["ok"]
    assert slower["ok"]
    assert not not_json["ok"]

    def seconds(name: str) -> float:
        with wave.open(str(tmp_path / name), "rb") as wav:
            return wav.getnframes() / wav.getframerate()

    # Each phrase at the rate it asked for, whatever came before.
    assert seconds("e.wav") < 0.75 * seconds("a.wav")
    assert seconds("f.wav") == pytest.approx(seconds("a.wav"), abs=0.08)
    assert "Audio saved" in result.stderr  # engine chatter stays off the protocol


def test_a_worker_without_an_engine_says_so(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.mkdir()
    (blocker / "pyttsx3.py").write_text("raise RuntimeError('no espeak here')\n")
    environment = {**os.environ, "PYTHONPATH": str(blocker)}
    result = subprocess.run(
        [sys.executable, "-m", "backtimer.audio.speech_worker"],
        input='{"op": "info"}\n{"op": "render", "text": "Hi", "path": "x.wav"}\n',
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        env=environment,
        cwd=tmp_path,
    )
    replies = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(replies) == 2
    for reply in replies:
        assert reply["ok"] is False
        assert reply["error"].startswith("no speech engine: RuntimeError: no espeak here")


# -- WAV reading ------------------------------------------------------------------------


def test_wav_files_are_read_as_mono_16_bit(tmp_path: Path) -> None:
    path = tmp_path / "stereo8.wav"
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(2)
        wav.setsampwidth(1)
        wav.setframerate(8000)
        wav.writeframes(bytes([128, 128, 255, 255, 0, 0, 192, 64]))

    pcm = read_wav(path)

    samples = array("h")
    samples.frombytes(pcm.frames)
    if sys.byteorder == "big":
        samples.byteswap()
    assert (pcm.sample_rate, pcm.channels) == (8000, 1)
    assert samples.tolist() == [0, 127 * 256, -128 * 256, 0]


def test_a_broken_wav_is_reported(tmp_path: Path) -> None:
    assert wav_problem(tmp_path / "missing.wav") is not None
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    assert wav_problem(empty) is not None
    junk = tmp_path / "junk.wav"
    junk.write_bytes(b"RIFF and then nothing sensible")
    assert wav_problem(junk) is not None
