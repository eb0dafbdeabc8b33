"""The routine format's vocabularies: kinds, sides, categories and equipment.

Plain enums, kept apart from the validating models so that code which only needs the
words (the home page's filters, the plan compiler) does not load the validation library.
"""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    """How an exercise is counted."""

    TIMED = "timed"  #: done for a duration (shoulder rolls for 30 s)
    REPS = "reps"  #: repetitions paced by the breath (ten crunches)
    HOLD_REPS = "hold_reps"  #: repetitions each held for some seconds (bridge, hold 5 s)


class Sides(StrEnum):
    """Whether and how an exercise is done on each side."""

    NONE = "none"  #: symmetric: done once
    EACH = "each"  #: all reps on one side, then all on the other
    ALTERNATE = "alternate"  #: reps alternate between the sides


class Category(StrEnum):
    """What a routine is for; used to group and filter routines."""

    WARM_UP = "warm-up"
    STRENGTH = "strength"
    STRETCH = "stretch"
    MIXED = "stretch-and-strength"
    NECK = "neck"
    LOWER_BACK = "lower-back"
    POSTURE = "posture"
    DESK_BREAK = "desk-break"
    WORKOUT = "workout"
    KIDS = "kids"
    OTHER = "other"


class Equipment(StrEnum):
    """Things a routine needs, so users can tell which routines they can do."""

    MAT = "mat"
    CHAIR = "chair"
    PULL_UP_BAR = "pull-up bar"
    FITBALL = "fitball"
    WALL = "wall"
    SUPPORT = "support"
