"""The plan: a routine compiled into a timeline of steps with absolute offsets.

A :class:`Plan` is plain, immutable data. Every offset is in milliseconds from the start of
the session; each step starts where the previous one ends, so the total duration is
exactly the sum of the steps.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class StepKind(StrEnum):
    """What the user does during a step."""

    GET_READY = "get_ready"  #: before the first exercise
    ANNOUNCE = "announce"  #: the next exercise is named when there is no rest before it
    INHALE = "inhale"  #: move on the inhale
    HOLD = "hold"  #: keep still
    EXHALE = "exhale"  #: return on the exhale
    WORK = "work"  #: a timed exercise
    REST = "rest"  #: between exercises
    SWITCH_SIDE = "switch_side"  #: change to the other side
    SET_REST = "set_rest"  #: between sets of one exercise
    DONE = "done"  #: the end of the session


class Side(StrEnum):
    """The side a step works."""

    RIGHT = "right"
    LEFT = "left"


class Beep(StrEnum):
    """The distinct sounds of the cue set."""

    TICK = "tick"  #: get-ready tick
    GO = "go"  #: start of work
    COUNT = "count"  #: the 3-2-1 ticks before a step ends
    HOLD_END = "hold_end"  #: end of a hold
    REST = "rest"  #: start of a rest
    DONE = "done"  #: session complete


class CueRole(StrEnum):
    """Why a cue is there; decides which cue wins when two spoken cues would overlap."""

    DONE = "done"
    SWITCH_SIDE = "switch_side"
    SET = "set"
    ANNOUNCE = "announce"
    COUNTDOWN = "countdown"
    HOLD = "hold"
    BREATH = "breath"
    REP = "rep"
    REST = "rest"
    HALFWAY = "halfway"
    BEEP = "beep"


#: Higher wins a conflict between spoken cues. Structure first, then what to do next,
#: then timing, then encouragement.
ROLE_PRIORITY: dict[CueRole, int] = {
    CueRole.DONE: 90,
    CueRole.SWITCH_SIDE: 80,
    CueRole.SET: 70,
    CueRole.ANNOUNCE: 60,
    CueRole.COUNTDOWN: 50,
    CueRole.HOLD: 40,
    CueRole.BREATH: 30,
    CueRole.REST: 25,
    CueRole.REP: 20,
    CueRole.HALFWAY: 10,
    CueRole.BEEP: 0,
}


@dataclass(frozen=True, slots=True)
class Cue:
    """A sound at an absolute offset: spoken ``text`` or a ``beep``."""

    at_ms: int
    role: CueRole
    text: str | None = None
    beep: Beep | None = None
    duration_ms: int = 0

    @property
    def is_speech(self) -> bool:
        """True for spoken cues."""
        return self.text is not None

    @property
    def end_ms(self) -> int:
        """When the cue's sound ends."""
        return self.at_ms + self.duration_ms


@dataclass(frozen=True, slots=True)
class Step:
    """One step of the timeline."""

    index: int
    kind: StepKind
    start_ms: int
    duration_ms: int
    exercise_index: int | None
    set_number: int = 0
    set_count: int = 0
    rep_number: int = 0
    rep_count: int = 0
    side: Side | None = None
    cues: tuple[Cue, ...] = ()

    @property
    def end_ms(self) -> int:
        """Where the step ends and the next begins."""
        return self.start_ms + self.duration_ms


@dataclass(frozen=True, slots=True)
class PlannedExercise:
    """An exercise as planned, with the numbers used and where it lies in the timeline."""

    index: int
    id: str
    name: str
    kind: str
    reps: int
    hold_seconds: float
    duration_seconds: float
    sets: int
    sides: str
    entry_step: int  #: its lead-in: get-ready, rest or announcement
    first_step: int  #: its first working step
    last_step: int  #: its last step before the next lead-in

    @property
    def step_range(self) -> range:
        """Indices of all steps that belong to it, lead-in included."""
        return range(self.entry_step, self.last_step + 1)


@dataclass(frozen=True, slots=True)
class Plan:
    """A compiled routine."""

    routine_id: str
    title: str
    steps: tuple[Step, ...]
    exercises: tuple[PlannedExercise, ...]
    dropped_cues: tuple[Cue, ...] = ()
    #: Phrases the compiler weighed for a cue but did not choose. Timed with the real length
    #: of each phrase it may choose them instead, so they are rendered too.
    alternative_texts: tuple[str, ...] = ()

    @property
    def total_ms(self) -> int:
        """The plan's length: the end of its last step."""
        return self.steps[-1].end_ms if self.steps else 0

    @property
    def cues(self) -> tuple[Cue, ...]:
        """Every cue, in time order."""
        return tuple(cue for step in self.steps for cue in step.cues)

    def step_at(self, position_ms: float) -> Step:
        """The step in progress at ``position_ms`` (the last step at or after the end)."""
        low, high = 0, len(self.steps) - 1
        while low < high:
            middle = (low + high + 1) // 2
            if self.steps[middle].start_ms <= position_ms:
                low = middle
            else:
                high = middle - 1
        return self.steps[low]

    def exercise_of(self, step: Step) -> PlannedExercise | None:
        """The exercise a step belongs to (lead-ins belong to the exercise they lead to)."""
        return None if step.exercise_index is None else self.exercises[step.exercise_index]


def spoken_texts(plan: Plan) -> list[str]:
    """Every phrase the plan may say (dropped ones and alternatives too), each once, in order
    of first use.

    Rendering these before a session starts means no phrase is synthesised late.
    """
    seen: dict[str, None] = {}
    for cue in (*plan.cues, *plan.dropped_cues):
        if cue.text is not None:
            seen.setdefault(cue.text, None)
    for text in plan.alternative_texts:
        seen.setdefault(text, None)
    return list(seen)
