"""A whole session by ear, for real: ``backtimer run --no-window`` with espeak-ng speaking
and simpleaudio playing into a captured ALSA device; what was heard must match the cues."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from backtimer.core.plan.timeline import Beep
from tests.helpers.alsa_capture import (
    CAPTURE_ASOUNDRC,
    alsa_env,
    captured_files,
    identify,
    loud_runs,
    read_capture,
)

REPO = Path(__file__).resolve().parents[2]

ROUTINE = """\
schema_version = 1
id = "by-ear"
title = "By ear"
summary = "One short move."
category = "other"

[[exercises]]
id = "knees-to-chest"
name = "Knees to chest"
steps = ["Pull your knees in."]
kind = "hold_reps"
reps = 1
hold = 5
breathing = { inhale = 2, exhale = 2 }
source = "default"
"""


@pytest.mark.e2e
@pytest.mark.slow
def test_the_captured_audio_holds_the_cues_in_order(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    capture = tmp_path / "capture" / "out.wav"
    capture.parent.mkdir()
    (home / ".asoundrc").write_text(CAPTURE_ASOUNDRC.format(path=capture))
    routine = tmp_path / "by-ear.toml"
    routine.write_text(ROUTINE)
    log = tmp_path / "cues.jsonl"

    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "backtimer",
            "--data-dir",
            str(tmp_path / "data"),
            "run",
            str(routine),
            "--no-window",
            "--get-ready",
            "0",
            "--cue-log",
            str(log),
        ],
        env=alsa_env(home),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "no audio output device" not in result.stderr

    cues = [json.loads(line) for line in log.read_text().splitlines()]
    expected = [Beep(c["text"]) if c["kind"] == "beep" else "speech" for c in cues]
    heard: list[Beep | str] = []
    for path in captured_files(capture):
        signal, rate = read_capture(path)
        if not loud_runs(signal, rate):
            continue  # the player's silent probe when it opens the device
        whole = [s for run in loud_runs(signal, rate, gap_ms=400) for s in run]
        beep = identify(whole, rate)
        heard.append(beep if beep is not None else "speech")
    assert heard == expected
    assert "speech" in expected
    assert Beep.DONE in expected
