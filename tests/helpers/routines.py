"""Small routines for tests, and what tests build around them: a user library, a history.

:data:`BACK_ROUTINE` is the routine the reps tests share: two exercises counted in reps
(bridge 2–10, cat 3–6) around a timed one (plank), so a progression, a pin and "no reps to
pin" all have something to act on.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

from backtimer.core.history.records import SessionOutcome, SessionRecord
from backtimer.core.history.session_log import begin_record
from backtimer.core.routine.library import Library, LibraryEntry, Origin
from backtimer.core.routine.loader import parse_routine
from backtimer.core.routine.model import Routine

BACK_ROUTINE = """\
schema_version = 1
id = "back"
title = "Back"
summary = "Three moves."
category = "strength"

[[exercises]]
id = "bridge"
name = "Bridge"
steps = ["Lie on your back.", "Lift the pelvis."]
kind = "reps"
reps = { min = 2, max = 10 }
source = "default"

[[exercises]]
id = "plank"
name = "Plank"
steps = ["Hold the line."]
kind = "timed"
duration = 20
source = "default"

[[exercises]]
id = "cat"
name = "Cat"
steps = ["Round the back."]
kind = "reps"
reps = { min = 3, max = 6 }
source = "default"
"""


def back_routine() -> Routine:
    """:data:`BACK_ROUTINE`, parsed."""
    return parse_routine(BACK_ROUTINE)


def user_library(text: str) -> Library:
    """A library of the one user routine ``text`` (TOML), as if read from ``<id>.toml``."""
    routine = parse_routine(text)
    return Library([LibraryEntry(routine, Path(f"{routine.id}.toml"), Origin.USER)])


def completed_sessions(routine: Routine, *days_ago: int) -> list[SessionRecord]:
    """A completed session of ``routine`` for each of ``days_ago`` (days before now)."""
    now = datetime.now().astimezone()
    return [
        replace(
            begin_record(routine.id, routine.title, now - timedelta(days=days), "test"),
            outcome=SessionOutcome.COMPLETED,
            ended=now - timedelta(days=days),
        )
        for days in days_ago
    ]
