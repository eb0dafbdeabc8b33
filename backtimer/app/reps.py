"""The one answer to "how many reps this time, and why": the history plus the user's pins."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from backtimer.core.history.progression import Decision
    from backtimer.core.history.records import SessionRecord
    from backtimer.core.routine.model import Routine

#: How far back progression looks (sessions older than that no longer move the reps).
PROGRESSION_WINDOW: Final = timedelta(days=366)

#: The sessions started at or after a time (aware), by start time.
SessionsSince = Callable[[datetime], Sequence["SessionRecord"]]
#: The reps the user pinned for a routine's exercises, by exercise id.
PinsOf = Callable[[str], Mapping[str, int]]


def reps_decisions(
    routine: Routine,
    sessions_since: SessionsSince | None,
    pins_of: PinsOf | None,
    now: datetime,
) -> dict[str, Decision]:
    """The reps each counted exercise of ``routine`` uses now, and why.

    ``sessions_since`` reads the history (None: no history, every range starts at its
    low end); ``pins_of`` reads the user's pins (None: none). Pins win over the history.
    """
    from backtimer.core.history.progression import routine_progression

    sessions = sessions_since(now - PROGRESSION_WINDOW) if sessions_since is not None else []
    pins = pins_of(routine.id) if pins_of is not None else {}
    return routine_progression(routine, sessions, pins)
