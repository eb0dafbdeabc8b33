"""The optional Piper engine: chosen by a setting, espeak-ng when it is not installed.

Piper itself (the ``neural`` extra) is not in the test venv; where it is missing, these
tests check the fallback and the worker's "no engine" answer. docs/voices.md records a
run of the worker with Piper installed.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys

import pytest

from backtimer.audio import piper_worker
from backtimer.audio.piper_worker import PiperWorker, piper_installed
from backtimer.audio.speech import default_worker_command, worker_command_for
from backtimer.core.settings import AudioSettings, Settings, settings_from_dict, settings_to_dict


def test_espeak_is_the_default_engine_and_the_setting_round_trips() -> None:
    assert Settings().audio.engine == "espeak"
    chosen = Settings(audio=AudioSettings(engine="piper"))
    loaded, problems = settings_from_dict(settings_to_dict(chosen))
    assert problems == []
    assert loaded.audio.engine == "piper"


def test_an_unknown_engine_falls_back_to_the_default_with_a_problem() -> None:
    data = settings_to_dict(Settings())
    data["audio"]["engine"] = "festival"
    loaded, problems = settings_from_dict(data)
    assert loaded.audio.engine == "espeak"
    assert any("engine" in problem for problem in problems)


def test_espeak_engine_uses_the_espeak_worker() -> None:
    assert worker_command_for("espeak") == default_worker_command()


def test_piper_falls_back_to_espeak_when_not_installed(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(piper_worker, "piper_installed", lambda: False)
    with caplog.at_level(logging.WARNING, logger="backtimer.audio.speech"):
        assert worker_command_for("piper") == default_worker_command()
    assert "pip install backtimer[neural]" in caplog.text


def test_piper_uses_its_own_worker_when_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(piper_worker, "piper_installed", lambda: True)
    assert worker_command_for("piper") == [sys.executable, "-m", "backtimer.audio.piper_worker"]


@pytest.mark.skipif(piper_installed(), reason="Piper is installed here")
def test_the_piper_worker_without_piper_says_there_is_no_engine() -> None:
    assert PiperWorker().handle({"op": "info", "id": 7})["error"].startswith("no speech engine")
    result = subprocess.run(
        [sys.executable, "-m", "backtimer.audio.piper_worker"],
        input='{"op": "info"}\n',
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    reply = json.loads(result.stdout)
    assert not reply["ok"]
    assert reply["error"].startswith("no speech engine")
