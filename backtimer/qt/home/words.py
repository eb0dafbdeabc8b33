"""The picker's words: categories, equipment, lengths and "last done", for cards and preview."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Final

from backtimer.core.routine.kinds import Category, Equipment

#: Categories in words.
CATEGORY_WORDS: Final[dict[Category, str]] = {
    Category.WARM_UP: "Warm-up",
    Category.STRENGTH: "Strength",
    Category.STRETCH: "Stretch",
    Category.MIXED: "Stretch and strength",
    Category.NECK: "Neck",
    Category.LOWER_BACK: "Lower back",
    Category.POSTURE: "Posture",
    Category.DESK_BREAK: "Desk break",
    Category.WORKOUT: "Workout",
    Category.KIDS: "Kids",
    Category.OTHER: "Other",
}

#: Equipment in words: the word alone, and with its article.
EQUIPMENT_WORDS: Final[dict[Equipment, tuple[str, str]]] = {
    Equipment.MAT: ("mat", "a mat"),
    Equipment.CHAIR: ("chair", "a chair"),
    Equipment.PULL_UP_BAR: ("pull-up bar", "a pull-up bar"),
    Equipment.FITBALL: ("fitball", "a fitball"),
    Equipment.WALL: ("wall", "a wall"),
    Equipment.SUPPORT: ("support", "a support"),
}

NBSP: Final = "\u00a0"


def plural(count: int, word: str, space: str = " ") -> str:
    """``"1 exercise"``, ``"6 exercises"``."""
    return f"{count}{space}{word}" if count == 1 else f"{count}{space}{word}s"


def describe_plan_length(length_ms: int) -> str:
    """``"2:36 min"``: the planned length (:mod:`backtimer.app.durations`) on a card."""
    from backtimer.app.durations import length_text

    return f"{length_text(length_ms)}{NBSP}min"


def equipment_list(equipment: Sequence[Equipment], joiner: str = "and") -> str:
    """``"a mat"``, ``"a chair and a mat"``, ``"a chair, a mat or a wall"``."""
    items = [EQUIPMENT_WORDS[item][1].replace(" ", NBSP) for item in equipment]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {joiner} {items[-1]}"


def describe_equipment(equipment: Sequence[Equipment]) -> str:
    """``"No equipment"`` or ``"Needs a mat and a chair"``."""
    if not equipment:
        return "No equipment"
    return f"Needs {equipment_list(equipment)}"


def describe_last_done(when: datetime | None, today: date) -> str:
    """``"never"``, ``"today"``, ``"yesterday"``, ``"3 days ago"``, ``"2 weeks ago"``…

    An aware ``when`` is first turned into local time; a naive one is taken as local.
    """
    if when is None:
        return "never"
    day = (when.astimezone() if when.tzinfo is not None else when).date()
    days = (today - day).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 14:
        return f"{days} days ago"
    if days < 60:
        return f"{days // 7} weeks ago"
    if days < 365:
        return f"{days // 30} months ago"
    years = days // 365
    return "a year ago" if years == 1 else f"{years} years ago"
