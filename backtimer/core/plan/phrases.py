"""What backtimer says, and how long saying it takes.

The plan compiler needs each phrase's length to keep announcements inside rests and to
keep spoken cues from overlapping. When the real length is known (rendered speech), it is
passed in; otherwise :func:`estimate_speech_ms` gives a cautious estimate from the words.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Final

from backtimer.core.routine.kinds import Kind, Sides

if TYPE_CHECKING:
    from backtimer.core.routine.model import Exercise

#: Measures a phrase: text in, milliseconds of speech out.
PhraseTimer = Callable[[str], int]

#: espeak-ng's default rate, in words per minute.
DEFAULT_WORDS_PER_MINUTE: Final = 175
_LEAD_IN_MS: Final = 300
_PAUSE_MS: Final = {",": 150, ".": 300, ";": 250, ":": 250, "!": 300, "?": 300}

_NUMBER_WORDS: Final = (
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
)


def estimate_speech_ms(text: str, words_per_minute: int = DEFAULT_WORDS_PER_MINUTE) -> int:
    """A cautious length of ``text`` spoken at ``words_per_minute``, rounded up to 10 ms."""
    words = len(text.split())
    if words == 0:
        return 0
    syllable_weight = sum(max(1.0, len(word) / 5) for word in text.split())
    spoken = syllable_weight * 60_000 / words_per_minute
    pauses = sum(_PAUSE_MS.get(char, 0) for char in text.rstrip(".!?"))
    return int(math.ceil((_LEAD_IN_MS + spoken + pauses) / 10) * 10)


def number_word(value: int) -> str:
    """``3`` → ``"Three"``; larger numbers stay digits (the voice reads them)."""
    return _NUMBER_WORDS[value].capitalize() if 0 <= value < len(_NUMBER_WORDS) else str(value)


def _seconds(value: float) -> str:
    whole = round(value)
    return "1 second" if whole == 1 else f"{value:g} seconds"


def describe_exercise(exercise: Exercise, reps: int) -> str:
    """``"Knees to chest. 5 times, hold 5 seconds."``."""
    parts: list[str] = []
    if exercise.kind is Kind.TIMED:
        parts.append(_seconds(exercise.duration_seconds))
    else:
        parts.append("1 time" if reps == 1 else f"{reps} times")
        if exercise.kind is Kind.HOLD_REPS:
            parts.append(f"hold {_seconds(exercise.hold_seconds)}")
    if exercise.sides is Sides.EACH:
        parts.append("each side")
    elif exercise.sides is Sides.ALTERNATE and exercise.kind is not Kind.TIMED:
        parts.append("alternating sides")
    if exercise.sets > 1:
        parts.append(f"{exercise.sets} sets")
    return f"{exercise.name}. {', '.join(parts).capitalize()}."


def announce(exercise: Exercise, reps: int, first: bool, detailed: bool = True) -> str:
    """The announcement of the exercise that comes next.

    ``detailed`` adds what comes next and its numbers ("Next: Bridge. 5 times, hold 3
    seconds."); without it only the name is said.
    """
    if exercise.cues.announce:
        return exercise.cues.announce
    if not detailed:
        return f"{exercise.name}."
    lead = "First" if first else "Next"
    return f"{lead}: {describe_exercise(exercise, reps)}"


GET_READY: Final = "Get ready."
REST: Final = "Rest."
HALFWAY: Final = "Halfway."
HOLD: Final = "Hold."
DONE: Final = "Well done. Session complete."
BREATHE_IN: Final = "Breathe in."
BREATHE_OUT: Final = "Breathe out."
GO: Final = "Go."
LAST_ONE: Final = "Last one."
THREE_TO_GO: Final = "Three to go."
#: Sets at least this long hear :data:`THREE_TO_GO` when three reps are left.
THREE_TO_GO_MIN_REPS: Final = 8


def rep_head(rep: int, count: int, side: str | None = None) -> str:
    """What a rep after the first opens with: its number, or where the set stands.

    ``"Two."``; ``"Three to go."`` when three reps are left of a set of
    :data:`THREE_TO_GO_MIN_REPS` or more; ``"Last one."`` on the last rep of a set of 2 or
    more. Alternating sides (``side`` given) say the side instead of the number.
    """
    if count >= 2 and rep == count:
        return LAST_ONE if side is None else f"{LAST_ONE} {side_start(side)}"
    if side is not None:
        return side_start(side)
    if count >= THREE_TO_GO_MIN_REPS and rep == count - 2:
        return THREE_TO_GO
    return f"{number_word(rep)}."


def with_breath(head: str, breath: str) -> str:
    """``"Two."`` and ``"Breathe in."`` said as one phrase: ``"Two. Breathe in."``."""
    return f"{head} {breath}"


def hold(seconds: float) -> str:
    """``"Hold for 20 seconds."`` or, for short holds, ``"Hold."``."""
    return f"Hold for {_seconds(seconds)}." if seconds >= 5 else "Hold."


def switch_side(side: str) -> str:
    """``"Switch sides. Now the left side."``."""
    return f"Switch sides. Now the {side} side."


def side_start(side: str) -> str:
    """``"Right side."``."""
    return f"{side.capitalize()} side."


def next_set(number: int, count: int) -> str:
    """``"Rest. Set 2 of 2 next."``."""
    return f"Rest. Set {number} of {count} next."
