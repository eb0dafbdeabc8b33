"""Reps in the terminal: what ``backtimer plan`` will use and why, and ``backtimer reps``.

The reps of a routine come from its history (read only: the writer's lock is not taken,
so this works while the app runs, and unfinished sessions are left for the app) and from
the reps the user pinned (``reps.json`` in the data folder, see
:mod:`backtimer.core.history.overrides`). Pinning changes only that file, atomically,
re-reading it first, so it works while the app runs too.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, TextIO

from backtimer.core.history.overrides import PinError, RepsOverrides, counted_exercises
from backtimer.core.history.progression import Decision
from backtimer.core.history.recorder import HISTORY_FOLDER
from backtimer.core.history.store import HistoryStore
from backtimer.core.paths import AppPaths

if TYPE_CHECKING:
    from backtimer.core.history.records import SessionRecord
    from backtimer.core.routine.library import Library
    from backtimer.core.routine.model import Exercise, Routine

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2


def _warn(problems: list[str], err: TextIO) -> None:
    for problem in problems:
        print(f"backtimer: {problem}", file=err)


def current_reps(
    paths: AppPaths,
    routine: Routine,
    use_history: bool = True,
    err: TextIO | None = None,
    now: datetime | None = None,
) -> dict[str, Decision]:
    """The reps each counted exercise of ``routine`` uses next time, and why.

    From the last year of history and the user's pins; with ``use_history`` False, from
    the routine alone (the start of each range, no pins). Problems go to ``err``.
    """
    from backtimer.app.reps import reps_decisions

    err = sys.stderr if err is None else err
    now = now or datetime.now().astimezone()
    if not use_history:
        return reps_decisions(routine, None, None, now)
    sessions_since = None
    folder = paths.data / HISTORY_FOLDER
    if folder.is_dir():
        store = HistoryStore(folder, recover=False)

        def sessions_since(since: datetime) -> list[SessionRecord]:
            sessions = store.sessions(since=since)
            _warn(store.problems, err)
            return sessions

    overrides = RepsOverrides.for_data(paths.data)

    def pins_of(routine_id: str) -> dict[str, int]:
        pins = overrides.pins(routine_id)
        _warn(overrides.problems, err)
        return pins

    return reps_decisions(routine, sessions_since, pins_of, now)


def describe_range(exercise: Exercise) -> str:
    """``"2–10"``, or ``"4"`` for a fixed count."""
    assert exercise.reps is not None
    low, high = int(exercise.reps.min), int(exercise.reps.max)
    return f"{low}–{high}" if low != high else f"{low}"


def reps_lines(routine: Routine, decisions: dict[str, Decision]) -> list[str]:
    """One line per counted exercise: ``Bridge (2–10): Start of the range (2–10): 2 reps``."""
    return [
        f"  {exercise.name} ({describe_range(exercise)}): {decisions[exercise.id].reason}"
        for exercise in counted_exercises(routine)
        if exercise.id in decisions
    ]


def cmd_reps(
    paths: AppPaths,
    routine_ref: str | None,
    exercise_id: str | None,
    count: int | None,
    auto: bool,
    find_routine: Callable[[str], Routine | None],
    load_library: Callable[[], Library],
) -> int:
    """``backtimer reps [ROUTINE [EXERCISE (N | --auto)]]``."""
    if exercise_id is None and (count is not None or auto):
        print("backtimer reps: name the routine and the exercise", file=sys.stderr)
        return EXIT_USAGE
    if exercise_id is not None and (count is None) == (not auto):
        print(
            "backtimer reps: give either a number of reps or --auto for the exercise",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if routine_ref is None:
        return _list_pins(paths, load_library)
    routine = find_routine(routine_ref)
    if routine is None:
        return EXIT_INVALID
    if exercise_id is None:
        return _show_routine(paths, routine)
    overrides = RepsOverrides.for_data(paths.data)
    try:
        if auto:
            exercise = next((e for e in routine.exercises if e.id == exercise_id), None)
            if exercise is None:
                known = ", ".join(e.id for e in counted_exercises(routine)) or "none"
                raise PinError(
                    f"routine '{routine.id}' has no exercise '{exercise_id}'; "
                    f"its exercises with reps: {known}"
                )
            was_pinned = overrides.unpin(routine.id, exercise_id)
            _warn(overrides.problems, sys.stderr)
            decision = current_reps(paths, routine).get(exercise_id)
            text = (
                f"{exercise.name}: automatic again."
                if was_pinned
                else f"{exercise.name} was not pinned; it follows the history."
            )
            if decision is not None:
                text += f" Next time: {decision.reason}."
            print(text)
            return EXIT_OK
        assert count is not None
        overrides.pin(routine, exercise_id, count)
    except PinError as error:
        print(f"backtimer reps: {error}", file=sys.stderr)
        return EXIT_INVALID
    except OSError as error:
        print(f"backtimer reps: {error}", file=sys.stderr)
        return EXIT_INVALID
    _warn(overrides.problems, sys.stderr)
    name = next(e.name for e in routine.exercises if e.id == exercise_id)
    word = "rep" if count == 1 else "reps"
    print(f"{name} in {routine.title}: pinned at {count} {word}, whatever the history says.")
    return EXIT_OK


def _show_routine(paths: AppPaths, routine: Routine) -> int:
    decisions = current_reps(paths, routine)
    if not decisions:
        print(f"{routine.title} [{routine.id}] has no exercises counted in reps.")
        return EXIT_OK
    print(f"{routine.title} [{routine.id}]: reps next time")
    width = max(len(e.id) for e in counted_exercises(routine))
    for exercise in counted_exercises(routine):
        decision = decisions[exercise.id]
        mark = "pinned" if decision.pinned else "auto"
        print(
            f"  {exercise.id:<{width}}  {decision.reps:>3}  {mark:<6}  "
            f"{exercise.name} ({describe_range(exercise)}): {decision.reason}"
        )
    return EXIT_OK


def _list_pins(paths: AppPaths, load_library: Callable[[], Library]) -> int:
    overrides = RepsOverrides.for_data(paths.data)
    pins = overrides.all_pins()
    _warn(overrides.problems, sys.stderr)
    if not pins:
        print(
            "No pinned reps: every exercise follows the history. "
            "Pin one with: backtimer reps ROUTINE EXERCISE N"
        )
        return EXIT_OK
    library = load_library()
    for routine_id, mine in sorted(pins.items()):
        entry = library.find(routine_id)
        names = {e.id: e.name for e in entry.routine.exercises} if entry else {}
        title = entry.routine.title if entry else "(no such routine now)"
        print(f"{title} [{routine_id}]")
        for exercise_id, count in sorted(mine.items()):
            name = names.get(exercise_id, "(no such exercise now)")
            word = "rep" if count == 1 else "reps"
            print(f"  {exercise_id}: {count} {word}  {name}")
    return EXIT_OK
