"""Notice that the machine slept, from the clocks alone.

On Linux the monotonic clock stops while the machine is suspended and the wall clock does
not, so the gap between them grows by the time spent asleep. :class:`SleepDetector` is the
fallback for systems where no sleep signal arrives (no logind over D-Bus).
"""

from __future__ import annotations

from typing import Final

#: A jump this large between wall and monotonic time means the machine slept.
SLEEP_THRESHOLD_S: Final = 5.0


class SleepDetector:
    """Reports when the wall clock ran ahead of the monotonic clock since the last check."""

    def __init__(self, wall_s: float, monotonic_s: float) -> None:
        self._gap = wall_s - monotonic_s

    def slept(self, wall_s: float, monotonic_s: float) -> float:
        """Seconds slept since the last check (0.0 if none); a clock set back is ignored."""
        gap = wall_s - monotonic_s
        grown, self._gap = gap - self._gap, gap
        return grown if grown >= SLEEP_THRESHOLD_S else 0.0
