"""Closing while the voice is being prepared: the preparation is cancelled, not waited for.

The renderers here block on events (a stuck or slow speech engine); each wait has a bound
only so that code which does not cancel fails instead of hanging the run. Nothing sleeps.
"""

from __future__ import annotations

import logging
import os
import sys
import textwrap
import threading
from collections.abc import Iterable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from backtimer.audio.speech import SpeechService
from backtimer.core.audio import Pcm, Progress
from backtimer.core.plan.compiler import PlanSettings, compile_plan
from backtimer.core.routine.loader import parse_routine
from backtimer.core.routine.model import Routine
from backtimer.core.settings import AudioSettings
from backtimer.qt.session.session_audio import CancellableSpeech, SessionAudio
from tests.helpers.fakes import FakePlayer

#: How long a fake's render waits for its release before giving up (and failing the test).
STUCK_S = 5.0

ROUTINE = """
schema_version = 1
id = "talky"
title = "Talky"
summary = "Many phrases."
category = "stretch"

[[exercises]]
id = "bridge"
name = "Bridge"
steps = ["Lie on your back."]
kind = "hold_reps"
reps = 3
hold = 5
breathing = { inhale = 2, exhale = 2 }
source = "default"

[[exercises]]
id = "bird-dog"
name = "Bird-dog"
steps = ["On all fours."]
kind = "reps"
reps = 2
sides = "each"
source = "default"
"""


def routine() -> Routine:
    return parse_routine(ROUTINE)


class StuckSpeech:
    """A speech engine whose every render waits for ``release`` (a slow, cold engine)."""

    def __init__(self) -> None:
        self.in_flight = threading.Event()
        self.release = threading.Event()
        self.renders = 0
        #: Renders begun once the test started closing.
        self.renders_while_closing = 0
        self.closing = False
        self.gave_up = False
        self.closed = False

    def render(self, text: str) -> Pcm | None:
        if self.closing:
            self.renders_while_closing += 1
        self.renders += 1
        self.in_flight.set()
        if not self.release.wait(STUCK_S):
            self.gave_up = True
            self.release.set()
        return None

    def cached(self, text: str) -> None:
        return None

    def prerender(self, texts: Iterable[str], progress: Progress | None = None) -> None:
        for text in texts:
            self.render(text)

    def duration_ms(self, text: str) -> int | None:
        return None

    def close(self) -> None:
        self.closed = True


class CancellableStuckSpeech(StuckSpeech):
    """The same, but cancel() ends the render in flight, as SpeechService's does."""

    def __init__(self) -> None:
        super().__init__()
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True
        self.release.set()


def start(qtbot: QtBot, speech: StuckSpeech) -> tuple[SessionAudio, list[object]]:
    audio = SessionAudio(FakePlayer(), speech, AudioSettings())
    ready: list[object] = []
    audio.ready.connect(ready.append)
    audio.prepare(routine(), PlanSettings())
    assert speech.in_flight.wait(STUCK_S)
    return audio, ready


def test_closing_cancels_the_preparation_and_the_render_in_flight(qtbot: QtBot) -> None:
    speech = CancellableStuckSpeech()
    assert isinstance(speech, CancellableSpeech)
    audio, ready = start(qtbot, speech)

    speech.closing = True
    audio.close()

    assert speech.cancelled
    qtbot.waitUntil(lambda: not audio.preparing)
    assert not speech.gave_up  # the render in flight ended because it was cancelled
    assert speech.renders_while_closing == 0  # no phrase after the one in flight
    assert speech.renders == 1
    assert speech.closed  # let go of once the job ended
    assert ready == []  # a cancelled preparation never reports


def test_close_does_not_wait_for_a_render_that_cannot_be_cancelled(qtbot: QtBot) -> None:
    speech = StuckSpeech()
    audio, ready = start(qtbot, speech)

    speech.closing = True
    audio.close()  # returns while the render is still stuck
    assert not speech.release.is_set()
    assert audio.preparing
    assert not speech.closed  # not under the job's feet

    speech.release.set()
    qtbot.waitUntil(lambda: not audio.preparing)
    assert speech.renders_while_closing == 0
    assert speech.closed
    assert ready == []


def test_a_new_preparation_replaces_one_under_way(qtbot: QtBot) -> None:
    speech = CancellableStuckSpeech()
    audio, ready = start(qtbot, speech)
    first_renders = speech.renders
    speech.release.set()  # from now on every render is quick
    with qtbot.waitSignal(audio.ready, timeout=5000):
        audio.prepare(routine(), PlanSettings(get_ready_seconds=3))
    qtbot.waitUntil(lambda: not audio.preparing)
    assert len(ready) == 1  # only the latest preparation reports
    newer = compile_plan(routine(), PlanSettings(get_ready_seconds=3))
    assert newer != compile_plan(routine(), PlanSettings())
    assert ready == [newer]
    assert speech.renders > first_renders
    audio.close()
    assert speech.closed


# -- the real speech service, with a worker that hangs on its first render ----------------

HANGING_WORKER = """
import json, sys, threading
for line in sys.stdin:
    request = json.loads(line)
    if request["op"] == "info":
        reply = {"ok": True, "driver": "fake", "engine_version": "1", "defaults": {}}
    elif request["op"] == "render":
        threading.Event().wait()  # a stuck engine
    else:
        reply = {"ok": False, "error": "unknown"}
    print(json.dumps({**reply, "id": request.get("id")}), flush=True)
"""


@pytest.fixture
def hanging_service(tmp_path: Path) -> SpeechService:
    script = tmp_path / "hanging_worker.py"
    script.write_text(textwrap.dedent(HANGING_WORKER), encoding="utf-8")
    # A long timeout: only cancel() can end the render in time for the test.
    return SpeechService(
        tmp_path / "cache", timeout_s=120, worker_command=[sys.executable, str(script)]
    )


def test_cancel_ends_a_render_in_flight_without_the_lock(
    hanging_service: SpeechService, caplog: pytest.LogCaptureFixture
) -> None:
    speech = hanging_service
    results: list[Pcm | None] = []
    rendering = threading.Thread(target=lambda: results.append(speech.render("Hold it")))
    rendering.start()
    try:
        # The render holds the service's lock while it waits for the worker.
        while speech.worker_requests < 2:  # "info", then "render"
            rendering.join(0.01)
        pid = speech.worker_pid
        assert pid is not None
        speech.cancel()  # returns without the lock the render holds
        rendering.join(STUCK_S * 4)
        assert not rendering.is_alive()
        assert results == [None]
        assert speech.closed
        speech.prerender(["Relax", "Breathe"])  # nothing more is rendered
        assert speech.worker_requests == 2
    finally:
        speech.close()
        rendering.join()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # killed and reaped
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert warnings == []  # a cancelled render is not a failure


def test_closing_the_audio_stops_a_real_preparation(
    qtbot: QtBot, hanging_service: SpeechService, caplog: pytest.LogCaptureFixture
) -> None:
    speech = hanging_service
    audio = SessionAudio(FakePlayer(), speech, AudioSettings())
    ready: list[object] = []
    audio.ready.connect(ready.append)
    audio.prepare(routine(), PlanSettings())
    qtbot.waitUntil(lambda: speech.worker_requests >= 2)  # a render is in flight
    pid = speech.worker_pid
    assert pid is not None

    audio.close()

    qtbot.waitUntil(lambda: not audio.preparing, timeout=int(STUCK_S * 4000))
    assert speech.worker_requests == 2  # no phrase after the one in flight
    assert speech.worker_pid is None
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    assert ready == []
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert warnings == []
