"""What mixing costs a cue: the time ``play()`` takes when a beep starts during a phrase.

    .venv/bin/python bench/mixing.py [--repeat 200]

A sound that starts while another plays is mixed with the rest of it before playback
starts (backtimer.core.mixing), so the mixing adds to the cue's lateness. For each beep,
and for phrases at the sample rates speech engines write (espeak-ng 22.05 kHz, others
16 kHz or 48 kHz), this plays a 3 s phrase, moves a fake clock 500 ms on and times
``play(beep)`` on a backend that does nothing. Prints p50 / p95 / max per case.
"""

from __future__ import annotations

import argparse
import array
import math
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from backtimer.audio.player import SimpleaudioPlayer  # noqa: E402
from backtimer.core.audio import Pcm  # noqa: E402
from backtimer.core.beeps import beep_sound  # noqa: E402
from backtimer.core.clock import FakeClock  # noqa: E402
from backtimer.core.plan.timeline import Beep  # noqa: E402


class _Silent:
    """Stands in for simpleaudio: plays nothing, costs nothing."""

    def play_buffer(self, frames: bytes, channels: int, width: int, rate: int) -> _Silent:
        return self

    def stop(self) -> None:
        pass


def phrase(rate: int, seconds: float = 3.0) -> Pcm:
    """A steady tone standing in for a spoken phrase."""
    count = round(seconds * rate)
    data = array.array("h", (round(8000 * math.sin(0.05 * i)) for i in range(count)))
    return Pcm(data.tobytes(), rate)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def time_play(spoken: Pcm, beep: Pcm, repeat: int) -> list[float]:
    """Milliseconds each ``play(beep)`` took, 500 ms into ``spoken``."""
    took = []
    for _ in range(repeat):
        clock = FakeClock()
        player = SimpleaudioPlayer(_Silent(), clock=clock)
        player.play(spoken)
        clock.advance(500)
        started = time.perf_counter()
        player.play(beep)
        took.append((time.perf_counter() - started) * 1000)
    return took


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200, help="plays per case (default 200)")
    args = parser.parse_args()
    print("play(beep) 500 ms into a 3 s phrase, mixing included:")
    for rate in (22_050, 16_000, 48_000):
        spoken = phrase(rate)
        for beep in Beep:
            took = time_play(spoken, beep_sound(beep), args.repeat)
            print(
                f"  phrase {rate:>6} Hz  {beep.value:<8}  p50 {percentile(took, 0.5):5.2f} ms  "
                f"p95 {percentile(took, 0.95):5.2f} ms  max {max(took):5.2f} ms"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
