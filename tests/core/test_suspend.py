"""Sleep seen from the clocks."""

from __future__ import annotations

from backtimer.core.suspend import SLEEP_THRESHOLD_S, SleepDetector


def test_no_sleep_while_both_clocks_run_together() -> None:
    detector = SleepDetector(wall_s=1000.0, monotonic_s=50.0)
    assert detector.slept(1001.0, 51.0) == 0.0
    assert detector.slept(1100.0, 150.0) == 0.0


def test_a_suspend_shows_as_wall_time_without_monotonic_time() -> None:
    detector = SleepDetector(wall_s=1000.0, monotonic_s=50.0)
    assert detector.slept(1000.0 + 3600 + 1, 51.0) == 3600.0
    assert detector.slept(4602.0, 52.0) == 0.0  # only reported once


def test_small_jitter_and_clock_changes_backwards_are_not_sleep() -> None:
    detector = SleepDetector(wall_s=1000.0, monotonic_s=50.0)
    assert detector.slept(1000.0 + SLEEP_THRESHOLD_S - 1, 50.0) == 0.0
    assert detector.slept(900.0, 51.0) == 0.0
