"""GUI responsiveness and CPU during a session: a heartbeat probe on the GUI thread.

    .venv/bin/python bench/heartbeat.py [--seconds 30] [--routine stretch-and-strengthen]

Runs the real main window (on Xvfb when DISPLAY is set, otherwise offscreen) through a
routine on the real clock, with a 10 ms heartbeat timer on the GUI thread. Reports the
longest gap between heartbeats beyond their period (a stall), the figure's frame rate
while it moves, and the process's CPU time per second of session.
"""

from __future__ import annotations

import argparse
import itertools
import os
import resource
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--routine", default="stretch-and-strengthen")
    args = parser.parse_args()
    if not os.environ.get("DISPLAY"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"

    from PySide6.QtCore import QEvent, QObject, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from backtimer.core.figure.figures import load_figures
    from backtimer.core.paths import assets_dir, builtin_routines_dir
    from backtimer.core.routine.library import load_library
    from backtimer.core.safety import load_safety
    from backtimer.core.settings import Settings
    from backtimer.qt.shell.main_window import MainWindow

    app = QApplication([])
    window = MainWindow(
        load_library(builtin_routines_dir()),
        load_figures(assets_dir() / "poses"),
        load_safety(),
        Settings(safety_acknowledged=True, get_ready_seconds=2),
        lambda settings: None,
    )
    window.resize(1280, 800)
    window.show()

    beats: list[float] = []
    heart = QTimer()
    heart.setTimerType(Qt.TimerType.PreciseTimer)
    heart.setInterval(10)
    heart.timeout.connect(lambda: beats.append(time.perf_counter()))

    class PaintCounter(QObject):
        frames = 0

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                self.frames += 1
            return False

    counter = PaintCounter()
    window.session.figure.installEventFilter(counter)

    usage_before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    window.start_routine(args.routine)
    heart.start()
    QTimer.singleShot(round(args.seconds * 1000), app.quit)
    app.exec()
    elapsed = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (usage.ru_utime - usage_before.ru_utime) + (usage.ru_stime - usage_before.ru_stime)

    gaps = [(b - a) * 1000 - 10 for a, b in itertools.pairwise(beats)]
    gaps.sort()
    print(f"routine {args.routine}, {elapsed:.1f} s of session, {len(beats)} heartbeats")
    print(
        f"GUI stall beyond the 10 ms period: p50 {gaps[len(gaps) // 2]:.1f} ms, "
        f"p99 {gaps[int(len(gaps) * 0.99)]:.1f} ms, max {gaps[-1]:.1f} ms (target max <= 50)"
    )
    frames = counter.frames
    print(
        f"figure frames: {frames} in {elapsed:.1f} s ({frames / elapsed:.1f} per second on average)"
    )
    print(f"CPU: {cpu:.2f} s for {elapsed:.1f} s ({cpu / elapsed * 100:.1f} % of one core)")
    window.session.figure.removeEventFilter(counter)
    window.close()
    app.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
