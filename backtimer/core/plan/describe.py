"""Plans and sessions in words, for the window and the terminal alike.

Every word here is for people: no step kind's internal name ever shows ("Go", "work").
What to do now follows the exercise's own words when it has them (its cues: "Breathe in,
lift your hips"), and plain words otherwise ("Breathe in", "Hold", "Keep going").
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from backtimer.core.plan.timeline import Plan, Step, StepKind
from backtimer.core.scheduler import Outcome

if TYPE_CHECKING:
    from backtimer.core.routine.model import Cues

#: What to do during each kind of step, in words (when the exercise says nothing itself).
STEP_WORDS: dict[StepKind, str] = {
    StepKind.GET_READY: "Get ready",
    StepKind.ANNOUNCE: "Get ready for the next exercise",
    StepKind.INHALE: "Breathe in",
    StepKind.HOLD: "Hold",
    StepKind.EXHALE: "Breathe out",
    StepKind.WORK: "Keep going",
    StepKind.REST: "Rest",
    StepKind.SWITCH_SIDE: "Switch sides",
    StepKind.SET_REST: "Rest before the next set",
    StepKind.DONE: "Done",
}

#: How a session ended, in words: a headline and a line under it.
OUTCOME_WORDS: dict[Outcome, tuple[str, str]] = {
    Outcome.COMPLETED: ("Well done!", "Session complete"),
    Outcome.STOPPED: ("Stopped", "Session stopped"),
    Outcome.STOPPED_FOR_PAIN: (
        "Stopped for pain",
        "Rest now. If the pain stays or is sharp, see a doctor",
    ),
    Outcome.INTERRUPTED: ("Interrupted", "Session interrupted"),
}

#: Steps that lead in to an exercise rather than work it.
_LEAD_INS = frozenset({StepKind.GET_READY, StepKind.ANNOUNCE, StepKind.REST})


def format_duration(ms: float) -> str:
    """``75_000`` → ``"1:15"``; partial seconds count as a whole second."""
    seconds = max(0, math.ceil(ms / 1000 - 1e-9))
    return f"{seconds // 60}:{seconds % 60:02d}"


def format_length(ms: float) -> str:
    """A step's length as people say it: ``"30 s"``, ``"2 min"``, ``"1 min 15 s"``."""
    seconds = max(0, math.ceil(ms / 1000 - 1e-9))
    minutes, rest = divmod(seconds, 60)
    if not minutes:
        return f"{rest} s"
    return f"{minutes} min" if not rest else f"{minutes} min {rest} s"


def describe_step(plan: Plan, step: Step) -> str:
    """Exercise name, set, rep and side of ``step``, joined by dots."""
    parts: list[str] = []
    exercise = plan.exercise_of(step)
    if exercise is not None:
        parts.append(f"Coming: {exercise.name}" if step.kind in _LEAD_INS else exercise.name)
    if step.set_count > 1 and step.set_number:
        parts.append(f"Set {step.set_number}/{step.set_count}")
    if step.rep_count and step.rep_number:
        parts.append(f"Rep {step.rep_number}/{step.rep_count}")
    if step.side is not None:
        parts.append(f"{step.side.value.capitalize()} side")
    return " · ".join(parts)


def _own_words(text: str | None) -> str | None:
    """A cue as a line on screen: without its closing full stop."""
    return text.strip().removesuffix(".") if text and text.strip() else None


def action_words(step: Step, cues: Cues | None = None) -> str:
    """What to do now, in the exercise's own words (``cues``) when it has them.

    ``"Breathe in, lift your hips"`` rather than "Breathe in"; a belly breath says
    "Breathe out through your nose, belly in", never a movement it does not have.
    """
    own: str | None = None
    if cues is not None:
        own = {
            StepKind.INHALE: cues.inhale,
            StepKind.HOLD: cues.hold,
            StepKind.EXHALE: cues.exhale,
            StepKind.WORK: cues.start,
            StepKind.SWITCH_SIDE: cues.switch_side,
        }.get(step.kind)
    words = _own_words(own) or STEP_WORDS[step.kind]
    if step.kind is StepKind.SWITCH_SIDE and step.side is not None and own is None:
        words = f"Switch to the {step.side.value} side"
    return words


def _what_it_asks(plan: Plan, step: Step) -> str:
    """An exercise's size, from its first working step: ``"30 s"`` or ``"10 reps"``."""
    exercise = plan.exercise_of(step)
    if exercise is None:
        return format_length(step.duration_ms)
    if exercise.kind == "timed":
        return format_length(exercise.duration_seconds * 1000)
    reps = f"{exercise.reps} rep" + ("" if exercise.reps == 1 else "s")
    return f"{reps} each side" if exercise.sides == "each" else reps


def describe_next(plan: Plan, step: Step) -> str:
    """What comes after ``step``, in words: ``"Next: Cat stretch · 30 s"``.

    A new exercise is named with its length or reps; a rest says how long, and what it
    leads to; within an exercise the next breath, hold, rep, side or set.
    """
    if step.index + 1 >= len(plan.steps):
        return "Next: the end"
    following = plan.steps[step.index + 1]
    exercise = plan.exercise_of(following)
    length = format_length(following.duration_ms)
    if following.kind is StepKind.DONE or exercise is None:
        return "Next: the end"
    if following.kind is StepKind.REST:
        return f"Next: Rest {length}, then {exercise.name}"
    if following.kind is StepKind.ANNOUNCE:
        return f"Next: {exercise.name}"
    if step.kind in _LEAD_INS or following.exercise_index != step.exercise_index:
        return f"Next: {exercise.name} · {_what_it_asks(plan, following)}"
    if following.kind is StepKind.SET_REST:
        return f"Next: Rest {length}, then set {following.set_number} of {following.set_count}"
    if following.kind is StepKind.SWITCH_SIDE and following.side is not None:
        return f"Next: Switch to the {following.side.value} side"
    if following.kind is StepKind.INHALE and following.rep_number != step.rep_number:
        rep = "Breath" if exercise.kind == "timed" else "Rep"
        return f"Next: {rep} {following.rep_number} of {following.rep_count}"
    return f"Next: {STEP_WORDS[following.kind]} · {length}"
