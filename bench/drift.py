"""Measure how closely SchedulerDriver keeps to the plan on the real clock under UI load.

Runs a routine of at least ``--seconds`` of plan time through :class:`SchedulerDriver` on
the system monotonic clock inside a QApplication, while a 16 ms timer on the main thread
busy-loops for a random 2-8 ms per tick (standing in for painting). For every event it
records the lateness: the monotonic time the signal arrived minus its planned time
(anchor + plan offset). It prints the end-of-routine drift and the lateness percentiles.

Then, for contrast, it counts the ticks of a default (coarse) repeating 1 s QTimer, and of
a naive countdown that re-arms a 1 s single-shot timer on every tick (default and precise
timer type), under the same load, and shows how far "seconds counted" drift from the
monotonic clock.

Usage::

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/drift.py [--seconds 60]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from backtimer.core.clock import SystemClock
from backtimer.core.plan.compiler import PlanSettings, compile_plan
from backtimer.core.plan.timeline import Plan
from backtimer.core.routine.loader import parse_routine
from backtimer.core.scheduler import (
    CountdownSecond,
    CueDue,
    Event,
    Finished,
    State,
    StateChanged,
    StepStarted,
)
from backtimer.qt.session.scheduler_driver import SchedulerDriver

HEADER = """
schema_version = 1
id = "drift-bench"
title = "Drift bench"
summary = "Paced reps, held reps (each side, in sets) and timed work, for the drift benchmark."
category = "other"
rest_between_exercises = 5
"""

#: Exercise templates, cycled until the plan is long enough; {n} keeps ids unique.
TEMPLATES = (
    """
[[exercises]]
id = "reps-{n}"
name = "Paced reps {n}"
kind = "reps"
reps = 4
breathing = {{ inhale = 2, exhale = 3 }}
steps = ["Breathe and move."]
source = "default"
""",
    """
[[exercises]]
id = "sides-{n}"
name = "Held reps each side {n}"
kind = "hold_reps"
reps = 1
hold = 5
sides = "each"
steps = ["Lift and hold."]
source = "default"
""",
    """
[[exercises]]
id = "sets-{n}"
name = "Held reps in sets {n}"
kind = "hold_reps"
reps = 1
hold = 5
sets = 2
rest_between_sets = 5
steps = ["Lift and hold."]
source = "default"
""",
    """
[[exercises]]
id = "work-{n}"
name = "Timed work {n}"
kind = "timed"
duration = 20
steps = ["Move."]
source = "default"
""",
)

SETTINGS = PlanSettings(get_ready_seconds=5)


def build_plan(seconds: float) -> Plan:
    """A plan of at least ``seconds``: the templates in turn, as many as it takes."""
    count = 1
    while True:
        body = "".join(TEMPLATES[i % len(TEMPLATES)].format(n=i + 1) for i in range(count))
        plan = compile_plan(parse_routine(HEADER + body), SETTINGS)
        if plan.total_ms >= seconds * 1000:
            return plan
        count += 1


def now_ms() -> float:
    """The same clock SystemClock reads."""
    return time.monotonic_ns() / 1_000_000


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, round(fraction * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


def start_ui_load(rng: random.Random) -> QTimer:
    """A 16 ms timer whose handler keeps the main thread busy for 2-8 ms, like painting."""

    def paint() -> None:
        until = time.perf_counter() + rng.uniform(0.002, 0.008)
        while time.perf_counter() < until:
            pass

    timer = QTimer()
    timer.setInterval(16)
    timer.timeout.connect(paint)
    timer.start()
    return timer


def planned_offset(event: Event, plan: Plan, previous: float) -> float:
    """Plan offset of ``event``; a state change rides with the step start before it."""
    if isinstance(event, StepStarted):
        return event.step.start_ms
    if isinstance(event, CountdownSecond):
        return event.step.end_ms - event.seconds_left * 1000
    if isinstance(event, CueDue):
        return event.cue.at_ms
    if isinstance(event, Finished) or (
        isinstance(event, StateChanged) and event.new is State.FINISHED
    ):
        return plan.total_ms
    return previous


def run_scheduler(app: QApplication, plan: Plan) -> None:
    clock = SystemClock()
    driver = SchedulerDriver(plan, clock)
    records: list[tuple[float, Event]] = []
    driver.any_event.connect(lambda event: records.append((now_ms(), event)))
    driver.finished.connect(lambda _: app.quit())
    anchor = clock.monotonic_ms()
    driver.start()
    app.exec()

    lateness: list[float] = []
    offset = 0.0
    for arrived, event in records:
        offset = planned_offset(event, plan, offset)
        lateness.append(arrived - (anchor + offset))
    finish = next(t for t, e in records if isinstance(e, Finished))
    kinds: dict[str, int] = {}
    for _, event in records:
        kinds[type(event).__name__] = kinds.get(type(event).__name__, 0) + 1
    core_late = [e.late_ms for _, e in records if isinstance(e, StepStarted | CueDue)]

    print(f"plan: {plan.total_ms / 1000:.1f} s, {len(plan.steps)} steps, {len(plan.cues)} cues")
    print(f"end-of-routine drift: {finish - (anchor + plan.total_ms):+.2f} ms")
    print(
        f"lateness over {len(lateness)} events: p50 {percentile(lateness, 0.50):.2f} ms, "
        f"p95 {percentile(lateness, 0.95):.2f} ms, max {max(lateness):.2f} ms, "
        f"min {min(lateness):.2f} ms"
    )
    print("  events: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    print(
        f"  core late_ms (step starts and cues): p50 {percentile(core_late, 0.5):.2f} ms, "
        f"max {max(core_late):.2f} ms; stale speech cues dropped: {driver.scheduler.stale_cues}"
    )


def run_contrast(app: QApplication, seconds: int) -> None:
    repeating = QTimer()  # default: CoarseTimer, repeating
    repeating.setInterval(1000)
    naive = QTimer()  # the naive countdown: a single-shot 1 s timer re-armed on each tick
    naive.setSingleShot(True)
    naive.setInterval(1000)
    naive_precise = QTimer()  # the same with a precise timer: no coarse snapping
    naive_precise.setSingleShot(True)
    naive_precise.setInterval(1000)
    naive_precise.setTimerType(Qt.TimerType.PreciseTimer)
    ticks: dict[str, list[float]] = {"repeating": [], "naive": [], "naive_precise": []}

    def counter(name: str, timer: QTimer, rearm: bool) -> Callable[[], None]:
        def tick() -> None:
            ticks[name].append(now_ms())
            if len(ticks[name]) < seconds:
                if rearm:
                    timer.start()
            else:
                timer.stop()
                if all(len(t) >= seconds for t in ticks.values()):
                    app.quit()

        return tick

    repeating.timeout.connect(counter("repeating", repeating, rearm=False))
    naive.timeout.connect(counter("naive", naive, rearm=True))
    naive_precise.timeout.connect(counter("naive_precise", naive_precise, rearm=True))
    start = now_ms()
    repeating.start()
    naive.start()
    naive_precise.start()
    app.exec()

    print(f"contrast: counting 1 s QTimer ticks for {seconds} s, same UI load as above")
    for name, label in (
        ("repeating", "default (coarse) repeating 1 s QTimer"),
        ("naive", "naive countdown (default 1 s single-shot re-armed per tick)"),
        ("naive_precise", "naive countdown (precise 1 s single-shot re-armed per tick)"),
    ):
        times = ticks[name]
        errors = [t - (start + 1000 * (i + 1)) for i, t in enumerate(times)]
        print(
            f"  {label}: after {len(times)} ticks the monotonic clock says "
            f"{(times[-1] - start) / 1000:.3f} s, drift {errors[-1]:+.1f} ms; "
            f"per-tick error min {min(errors):+.1f} / max {max(errors):+.1f} ms"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60, help="least plan time (s)")
    parser.add_argument("--contrast-seconds", type=int, default=20, help="ticks to count")
    parser.add_argument("--seed", type=int, default=1, help="seed of the simulated UI load")
    parser.add_argument("--no-ui-load", action="store_true", help="run without the UI load")
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # read when QApplication starts
    app = QApplication([])
    load = start_ui_load(random.Random(args.seed))
    if args.no_ui_load:
        load.stop()
    print(f"simulated UI load: {'none' if args.no_ui_load else '16 ms timer, 2-8 ms busy'}")
    plan = build_plan(args.seconds)
    run_scheduler(app, plan)
    if args.contrast_seconds > 0:
        run_contrast(app, args.contrast_seconds)
    load.stop()
    # Tear Qt down while Python is still whole; left to interpreter exit, the garbage
    # collector can meet half-destroyed wrappers.
    app.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
