"""The routine picker's rules, without Qt: the order of the routines and the filters.

* **Order** (:func:`picker_order`): by category in :data:`CATEGORY_ORDER` — the warm-up
  first, as the safety advice says to warm up before back exercises, then the short desk
  break, then the rest from the gentlest to the most demanding, the children's routines
  last — and by title within a category. The order is fixed (it does not follow the last
  use), so a card stays where the user found it last time; each card says when its
  routine was last done.
* **What the user has** (:func:`needs_covered`): a routine shows when everything it needs
  is among the things the user has (a routine that needs nothing always shows).
* **Length** (:func:`fits_length`): a routine shows when its planned length (see
  :func:`backtimer.app.durations.planned_length_ms`) is at most the limit chosen.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING, Final

from backtimer.core.routine.kinds import Category, Equipment

if TYPE_CHECKING:
    from backtimer.core.routine.model import Exercise, Routine

#: Categories in the picker's order: the warm-up first, the children's routines last.
CATEGORY_ORDER: Final[tuple[Category, ...]] = (
    Category.WARM_UP,
    Category.DESK_BREAK,
    Category.POSTURE,
    Category.STRETCH,
    Category.NECK,
    Category.LOWER_BACK,
    Category.STRENGTH,
    Category.MIXED,
    Category.WORKOUT,
    Category.KIDS,
    Category.OTHER,
)

#: The length filter's limits, in minutes ("up to 5 min" …); None is "any length".
LENGTH_LIMITS_MINUTES: Final[tuple[int, ...]] = (5, 10, 20)


def picker_order(routines: Iterable[Routine]) -> list[Routine]:
    """``routines`` in the picker's order: by :data:`CATEGORY_ORDER`, then title, then id."""
    return sorted(
        routines,
        key=lambda r: (CATEGORY_ORDER.index(r.category), r.title.casefold(), r.id),
    )


def needs_covered(routine: Routine, have: Collection[Equipment]) -> bool:
    """True when everything ``routine`` needs is in ``have``."""
    return all(item in have for item in routine.equipment)


def missing_equipment(routine: Routine, have: Collection[Equipment]) -> list[Equipment]:
    """What ``routine`` needs that is not in ``have``, in the routine's order."""
    return [item for item in routine.equipment if item not in have]


def fits_length(length_ms: int, limit_minutes: int | None) -> bool:
    """True when ``length_ms`` is at most ``limit_minutes`` (None: any length fits)."""
    return limit_minutes is None or length_ms <= limit_minutes * 60_000


def describe_numbers(exercise: Exercise, reps: int | None) -> str:
    """An exercise's numbers for the preview: ``"5 reps · hold 5 s · 2 sets · each side"``.

    ``reps`` is the count the session uses (the reps decision), None for the routine's own.
    """
    from backtimer.core.routine.kinds import Sides

    parts: list[str] = []
    if exercise.duration is not None:
        parts.append(f"{exercise.duration_seconds:g} s")
    if exercise.reps is not None:
        count = exercise.rep_count if reps is None else reps
        parts.append("1 rep" if count == 1 else f"{count} reps")
    if exercise.hold is not None:
        parts.append(f"hold {exercise.hold_seconds:g} s")
    if exercise.sets > 1:
        parts.append(f"{exercise.sets} sets")
    if exercise.sides is Sides.EACH:
        parts.append("each side")
    elif exercise.sides is Sides.ALTERNATE:
        parts.append("sides alternate")
    return " · ".join(parts)
