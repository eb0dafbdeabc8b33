"""Cue timing: how late each cue's sound starts, over a whole routine, on the real path.

    .venv/bin/python bench/cues.py [--routine desk-break] [--capture-audio]

1. Cold cache: renders every phrase of the routine with espeak-ng into an empty cache and
   prints the time it took (what a user waits for the first time they open a routine).
2. Warm cache: follows the whole routine in real time, as ``backtimer run --no-window``
   does, and for every cue measures the lateness from its scheduled time to the moment
   playback has started (``play()`` has returned). Prints p50 / p95 / max per kind.

This machine has no sound card; ``--capture-audio`` points ALSA's default device at its
``file`` plugin (writing to a temp folder) so simpleaudio opens a real ALSA stream for
every sound, as on a desktop. Without it the null player stands in.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

CAPTURE_ASOUNDRC = """\
pcm.!default {{
    type file
    slave.pcm {{ type null }}
    file "{path}"
    format "wav"
}}
"""


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def describe(values: list[float]) -> str:
    return (
        f"p50 {percentile(values, 0.5):6.2f} ms  p95 {percentile(values, 0.95):6.2f} ms  "
        f"max {max(values):6.2f} ms  (n={len(values)})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--routine", default="desk-break", help="routine id (default: desk-break)")
    parser.add_argument("--capture-audio", action="store_true", help="play into ALSA's file plugin")
    parser.add_argument(
        "--engine",
        choices=("espeak", "piper"),
        default="espeak",
        help="the speech engine (piper needs the neural extra in this Python)",
    )
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="backtimer-cues-"))
    if args.capture_audio:
        home = scratch / "home"
        home.mkdir()
        (home / ".asoundrc").write_text(CAPTURE_ASOUNDRC.format(path=scratch / "out.wav"))
        os.environ["HOME"] = str(home)
        os.environ.pop("ALSA_CONFIG_PATH", None)

    from backtimer.app.sessions import phrases_to_render, timed_plan
    from backtimer.audio.cues import CueSounds
    from backtimer.audio.player import open_player
    from backtimer.audio.speech import SpeechService, worker_command_for
    from backtimer.cli.eyes_free import TerminalSession
    from backtimer.core.clock import SystemClock
    from backtimer.core.paths import builtin_routines_dir
    from backtimer.core.plan.compiler import PlanSettings
    from backtimer.core.plan.timeline import Cue
    from backtimer.core.routine.library import load_library
    from backtimer.core.settings import AudioSettings

    entry = load_library(builtin_routines_dir()).find(args.routine)
    if entry is None:
        print(f"no routine {args.routine!r}", file=sys.stderr)
        return 1
    settings = PlanSettings()
    texts = phrases_to_render(entry.routine, settings)

    command = worker_command_for(args.engine)
    print(f"engine: {args.engine} ({' '.join(command[1:])})")
    with SpeechService(scratch / "cache", worker_command=command) as speech:
        started = time.perf_counter()
        speech.prerender(texts)
        cold_s = time.perf_counter() - started
        print(f"routine: {entry.routine.title}; {len(texts)} distinct phrases")
        print(
            f"cold cache: pre-rendered in {cold_s * 1000:.0f} ms "
            f"({cold_s * 1000 / max(1, len(texts)):.1f} ms per phrase)"
        )
        started = time.perf_counter()
        speech.prerender(texts)
        print(f"warm cache: checked in {(time.perf_counter() - started) * 1000:.1f} ms")

        plan = timed_plan(entry.routine, settings, speech.duration_ms)
        player = open_player()
        print(
            f"player: {type(player).__name__}; plan {plan.total_ms / 1000:.1f} s, "
            f"{len(plan.cues)} cues (running in real time)"
        )
        sounds = CueSounds(player, speech, AudioSettings())
        clock = SystemClock()
        lateness: dict[str, list[float]] = {"speech": [], "beep": []}
        session: TerminalSession

        def play(cue: Cue) -> None:
            sounds.play(cue)
            started_playing = clock.monotonic_ms()
            due = session.scheduler.clock_time_of(cue.at_ms)
            lateness["speech" if cue.is_speech else "beep"].append(started_playing - due)

        session = TerminalSession(plan, play, out=io.StringIO(), clock=clock)
        session.run()
        sounds.stop()

    everything = lateness["speech"] + lateness["beep"]
    print("lateness, scheduled time to playback started:")
    print(f"  all     {describe(everything)}")
    for kind, values in lateness.items():
        if values:
            print(f"  {kind:<7} {describe(values)}")
    print(f"target p95 <= 15 ms: {'met' if percentile(everything, 0.95) <= 15 else 'MISSED'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
