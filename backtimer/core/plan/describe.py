"""Plans and sessions in words, for the window and the terminal alike."""

from __future__ import annotations

import math

from backtimer.core.plan.timeline import Plan, Step, StepKind
from backtimer.core.scheduler import Outcome

#: What to do during each kind of step, in words.
STEP_WORDS: dict[StepKind, str] = {
    StepKind.GET_READY: "Get ready",
    StepKind.ANNOUNCE: "Get ready for the next exercise",
    StepKind.INHALE: "Breathe in and move",
    StepKind.HOLD: "Hold",
    StepKind.EXHALE: "Breathe out and return",
    StepKind.WORK: "Go",
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


def describe_next(plan: Plan, step: Step) -> str:
    """What comes after ``step``: its kind in words, the exercise if it changes, its length."""
    if step.index + 1 >= len(plan.steps):
        return "Next up: the end"
    following = plan.steps[step.index + 1]
    text = f"Next up: {STEP_WORDS[following.kind]}"
    exercise = plan.exercise_of(following)
    if exercise is not None and following.exercise_index != step.exercise_index:
        text += f" · {exercise.name}"
    return f"{text} ({format_duration(following.duration_ms)})"
