"""Following a routine by ear: the terminal session, on a fake clock and for real."""

from __future__ import annotations

import errno
import io
import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from backtimer.app.options import SessionOptions
from backtimer.audio.cues import CueSounds
from backtimer.audio.player import NullPlayer
from backtimer.audio.status import SoundIssue
from backtimer.cli.eyes_free import EXIT_NOT_SAVED, TerminalSession
from backtimer.core.audio import SoundPlayer
from backtimer.core.beeps import beep_sound
from backtimer.core.clock import FakeClock
from backtimer.core.history.records import SessionOutcome, SessionRecord
from backtimer.core.history.store import HistoryStore
from backtimer.core.paths import resolve_paths
from backtimer.core.plan.compiler import PlanSettings, compile_plan
from backtimer.core.plan.timeline import Beep, Cue, CueRole, Plan
from backtimer.core.routine.loader import parse_routine
from backtimer.core.scheduler import Outcome
from backtimer.core.settings import AudioSettings
from tests.helpers.fakes import FakePlayer

ROUTINE = """\
schema_version = 1
id = "tiny"
title = "Tiny"
summary = "Two short moves."
category = "other"
rest_between_exercises = 0

[[exercises]]
id = "lift"
name = "Lift"
steps = ["Lift."]
kind = "reps"
reps = 2
breathing = { inhale = 1, exhale = 1 }
source = "default"

[[exercises]]
id = "hold"
name = "Hold"
steps = ["Hold."]
kind = "timed"
duration = 2
source = "default"
"""


def tiny_plan() -> Plan:
    return compile_plan(parse_routine(ROUTINE), PlanSettings(get_ready_seconds=0))


class Recorder:
    def __init__(self) -> None:
        self.cues: list[Cue] = []

    def __call__(self, cue: Cue) -> None:
        self.cues.append(cue)


def test_a_session_prints_each_step_plays_each_cue_and_logs_it() -> None:
    plan = tiny_plan()
    clock = FakeClock()
    out, log, played = io.StringIO(), io.StringIO(), Recorder()
    session = TerminalSession(
        plan,
        played,
        out=out,
        clock=clock,
        cue_log=log,
        sleep=lambda seconds: clock.advance(seconds * 1000),
    )
    summary = session.run()
    assert summary.outcome is Outcome.COMPLETED
    assert played.cues == list(plan.cues)
    lines = out.getvalue().splitlines()
    step_lines = [line for line in lines if "(" in line and ":" in line][: len(plan.steps)]
    assert len(step_lines) == len(plan.steps)
    assert "Breathe in" in out.getvalue()
    assert "Well done!" in out.getvalue()
    records = [json.loads(line) for line in log.getvalue().splitlines()]
    assert [r["plan_ms"] for r in records] == [cue.at_ms for cue in plan.cues]
    for record, cue in zip(records, plan.cues, strict=True):
        assert record["scheduled_ms"] == pytest.approx(cue.at_ms)
        assert record["actual_ms"] == pytest.approx(record["scheduled_ms"])
        assert record["kind"] == ("speech" if cue.is_speech else "beep")
        assert record["text"] == (cue.text or cue.beep)


def test_ctrl_c_stops_cleanly_with_a_summary() -> None:
    plan = tiny_plan()
    clock = FakeClock()
    calls = 0

    def sleep(seconds: float) -> None:
        nonlocal calls
        calls += 1
        if calls == 4:
            raise KeyboardInterrupt
        clock.advance(seconds * 1000)

    out = io.StringIO()
    summary = TerminalSession(plan, Recorder(), out=out, clock=clock, sleep=sleep).run()
    assert summary.outcome is Outcome.STOPPED
    assert "Stopped" in out.getvalue()


def test_ctrl_c_before_the_first_step_still_stops_cleanly() -> None:
    class InterruptedIntro(io.StringIO):
        def write(self, text: str) -> int:
            if "Ctrl+C stops" in text:
                raise KeyboardInterrupt
            return super().write(text)

    out = InterruptedIntro()
    session = TerminalSession(tiny_plan(), Recorder(), out=out, clock=FakeClock())
    session.intro = "Tiny: 0:10. Ctrl+C stops."
    summary = session.run()
    assert summary.outcome is Outcome.STOPPED
    assert "Stopped" in out.getvalue()


def test_cue_sounds_fall_back_to_beeps_without_speech() -> None:
    player = FakePlayer()
    sounds = CueSounds(player, None, AudioSettings())
    sounds.play(Cue(0, CueRole.COUNTDOWN, text="Three"))
    sounds.play(Cue(0, CueRole.HALFWAY, text="Halfway."))
    sounds.play(Cue(0, CueRole.BEEP, beep=Beep.GO))
    assert player.sounds == [beep_sound(Beep.COUNT), beep_sound(Beep.GO)]


def test_cue_sounds_respect_beeps_off() -> None:
    player = FakePlayer()
    sounds = CueSounds(player, None, AudioSettings(beeps=False))
    for cue in tiny_plan().cues:
        sounds.play(cue)
    assert player.sounds == []


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "backtimer", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


@pytest.mark.e2e
@pytest.mark.slow
def test_run_no_window_follows_a_routine_with_real_speech(tmp_path: Path) -> None:
    routine = tmp_path / "tiny.toml"
    routine.write_text(ROUTINE)
    log = tmp_path / "cues.jsonl"
    process = run_cli(
        "--data-dir",
        str(tmp_path / "data"),
        "run",
        str(routine),
        "--no-window",
        "--get-ready",
        "0",
        "--cue-log",
        str(log),
    )
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert "Traceback" not in err
    assert "Preparing the voice" in out
    assert "Well done!" in out
    records = [json.loads(line) for line in log.read_text().splitlines()]
    assert {r["kind"] for r in records} == {"speech", "beep"}
    assert all(r["actual_ms"] >= r["scheduled_ms"] for r in records)  # never early
    cached = list((tmp_path / "data" / "cache").rglob("*.wav"))
    assert cached


@pytest.mark.e2e
def test_ctrl_c_in_the_terminal_stops_the_session(tmp_path: Path) -> None:
    routine = tmp_path / "tiny.toml"
    routine.write_text(ROUTINE)
    process = run_cli(
        "--data-dir",
        str(tmp_path / "data"),
        "run",
        str(routine),
        "--no-window",
        "--no-speech",
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None
    for line in process.stdout:
        if "Ctrl+C stops" in line:
            break
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "Traceback" not in err
    assert "Stopped" in out


# -- a session the history cannot take (issue 12, item 12) ---------------------------------


@pytest.fixture
def terminal_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Callable[..., tuple[int, str, str]]:
    """Runs ``backtimer run tiny --no-window`` in this process on a fake clock, without
    sound; returns the exit code, stdout and stderr. ``interrupt=True`` presses Ctrl+C at
    the first wait."""
    from backtimer.audio import player
    from backtimer.cli import eyes_free

    monkeypatch.setattr(player, "open_player", FakePlayer)
    paths = resolve_paths(tmp_path / "data-dir")
    paths.ensure()

    def run(
        interrupt: bool = False, open_player: Callable[[], SoundPlayer] = FakePlayer
    ) -> tuple[int, str, str]:
        clock = FakeClock()
        monkeypatch.setattr(player, "open_player", open_player)

        def sleep(seconds: float) -> None:
            if interrupt:
                raise KeyboardInterrupt
            clock.advance(seconds * 1000)

        out, err = io.StringIO(), io.StringIO()
        monkeypatch.setattr(sys, "stdout", out)
        monkeypatch.setattr(sys, "stderr", err)
        code = eyes_free.run_in_terminal(
            paths,
            parse_routine(ROUTINE),
            SessionOptions(get_ready_seconds=0, speech=False, beeps=False),
            clock=clock,
            sleep=sleep,
        )
        monkeypatch.undo()
        return code, out.getvalue(), err.getvalue()

    return run


def refuse_writes(monkeypatch: pytest.MonkeyPatch, name_starts: str) -> None:
    """A full disk for the history files whose names start with ``name_starts`` (the
    atomic write's last step fails, as when the temporary file could not be filled)."""
    real = os.replace

    def replace(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
        if Path(target).name.startswith(name_starts):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(source, target)

    monkeypatch.setattr(os, "replace", replace)


def stored(tmp_path: Path) -> list[SessionRecord]:
    return HistoryStore(
        resolve_paths(tmp_path / "data-dir").data / "history", recover=False
    ).sessions()


def test_a_saved_session_exits_zero(
    tmp_path: Path, terminal_run: Callable[..., tuple[int, str, str]]
) -> None:
    code, out, err = terminal_run()
    assert (code, err) == (0, "")
    assert "Well done!" in out
    [record] = stored(tmp_path)
    assert record.outcome is SessionOutcome.COMPLETED


def test_no_sound_device_is_said_once_with_what_to_do(
    terminal_run: Callable[..., tuple[int, str, str]],
) -> None:
    code, _out, err = terminal_run(open_player=NullPlayer)
    assert code == 0
    assert err.splitlines() == [f"backtimer: {SoundIssue.NO_DEVICE.value}"]
    assert "Connect speakers or headphones and restart the session." in err


def test_a_session_the_history_cannot_take_is_said_and_exits_non_zero(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    terminal_run: Callable[..., tuple[int, str, str]],
) -> None:
    refuse_writes(monkeypatch, f"history-{datetime.now().astimezone().year}")
    code, out, err = terminal_run()
    assert "Well done!" in out
    assert code == EXIT_NOT_SAVED != 0
    assert "backtimer: the session could not be saved to the history: could not save " in err
    assert "No space left on device" in err
    assert "Traceback" not in err
    [record] = stored(tmp_path)  # what the start saved is kept
    assert record.outcome is SessionOutcome.IN_PROGRESS


def test_a_stopped_session_that_cannot_be_saved_says_so_too(
    monkeypatch: pytest.MonkeyPatch, terminal_run: Callable[..., tuple[int, str, str]]
) -> None:
    refuse_writes(monkeypatch, "history-")
    code, out, err = terminal_run(interrupt=True)
    assert code == 130
    assert "Stopped" in out
    assert "the session could not be saved to the history" in err


def test_a_start_not_saved_is_said_and_the_end_still_saved(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    terminal_run: Callable[..., tuple[int, str, str]],
) -> None:
    refuse_writes(monkeypatch, "history-in-progress")
    code, _out, err = terminal_run()
    assert code == 0
    assert "backtimer: the start of the session was not saved: could not save " in err
    assert "could not be saved to the history" not in err
    [record] = stored(tmp_path)
    assert record.outcome is SessionOutcome.COMPLETED
