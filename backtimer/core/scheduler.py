"""The session scheduler: a state machine that walks a plan on a monotonic clock.

States: ``idle → get_ready → running ⇄ paused → finished | stopped``. Commands (start,
pause, resume, skip, back, stop) and :meth:`Scheduler.poll` return plain events; nothing
here waits or sleeps. The owner asks :meth:`Scheduler.next_deadline` when to poll again
and arms one timer for it.

No drift: the position in the plan is always computed from the clock against one anchor
(``position = anchor_plan + now - anchor_clock``), never by adding up ticks. Pausing,
skipping and going back only move the anchor, so a late wake-up delays one event, not the
rest of the session.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

from backtimer.core.clock import MonotonicClock
from backtimer.core.plan.timeline import Cue, Plan, PlannedExercise, Step, StepKind

#: Within this long after an exercise's first working step, "back" goes to the previous one.
BACK_GRACE_MS: Final = 3000
#: Spoken cues later than this are dropped: a stale instruction misleads more than silence.
STALE_SPEECH_MS: Final = 1000

_WORK_KINDS: Final = frozenset({StepKind.INHALE, StepKind.HOLD, StepKind.EXHALE, StepKind.WORK})


class State(StrEnum):
    """Where the session is."""

    IDLE = "idle"
    GET_READY = "get_ready"
    RUNNING = "running"
    PAUSED = "paused"
    FINISHED = "finished"
    STOPPED = "stopped"


class StopReason(StrEnum):
    """Why the user stopped."""

    USER = "user"
    PAIN = "pain"


class Outcome(StrEnum):
    """How a session ended."""

    COMPLETED = "completed"
    STOPPED = "stopped"
    STOPPED_FOR_PAIN = "stopped_for_pain"
    INTERRUPTED = "interrupted"


class ExerciseStatus(StrEnum):
    """What became of one exercise."""

    DONE = "done"
    PARTIAL = "partial"
    SKIPPED = "skipped"
    NOT_REACHED = "not_reached"


@dataclass(frozen=True, slots=True)
class ExerciseResult:
    """One exercise of a finished session: planned against done."""

    id: str
    name: str
    status: ExerciseStatus
    sets_planned: int
    sets_done: int
    reps_planned: int
    reps_done: int
    hold_seconds: float


@dataclass(frozen=True, slots=True)
class Summary:
    """What a session did."""

    routine_id: str
    title: str
    outcome: Outcome
    active_ms: int
    exercises: tuple[ExerciseResult, ...]

    @property
    def done(self) -> tuple[str, ...]:
        """Ids of the exercises done in full."""
        return tuple(e.id for e in self.exercises if e.status is ExerciseStatus.DONE)

    @property
    def skipped(self) -> tuple[str, ...]:
        """Ids of the exercises the user skipped."""
        return tuple(e.id for e in self.exercises if e.status is ExerciseStatus.SKIPPED)


@dataclass(frozen=True, slots=True)
class StepStarted:
    """A step began; ``late_ms`` is how long after its planned time it was noticed."""

    step: Step
    late_ms: float


@dataclass(frozen=True, slots=True)
class CountdownSecond:
    """A whole second of the current step went by; ``seconds_left`` remain.

    None comes at the start of a step: its whole seconds (``ceil(duration_ms / 1000)``)
    are the first number to show, carried by :class:`StepStarted`.
    """

    step: Step
    seconds_left: int


@dataclass(frozen=True, slots=True)
class CueDue:
    """A cue is due now."""

    cue: Cue
    late_ms: float


@dataclass(frozen=True, slots=True)
class StateChanged:
    """The session moved from ``old`` to ``new``."""

    old: State
    new: State


@dataclass(frozen=True, slots=True)
class Finished:
    """The session ended, completed or stopped."""

    summary: Summary


Event = StepStarted | CountdownSecond | CueDue | StateChanged | Finished


@dataclass(frozen=True, slots=True, order=True)
class _Item:
    """Something that happens at a plan offset; ``rank`` orders items at the same time."""

    at_ms: int
    rank: int
    serial: int
    step: Step = field(compare=False)
    cue: Cue | None = field(default=None, compare=False)
    seconds_left: int = field(default=0, compare=False)


def _timeline_items(plan: Plan) -> list[_Item]:
    items: list[_Item] = []
    for step in plan.steps:
        items.append(_Item(step.start_ms, 0, len(items), step))
        whole_seconds = math.ceil(step.duration_ms / 1000)
        for left in range(whole_seconds - 1, 0, -1):
            items.append(_Item(step.end_ms - left * 1000, 1, len(items), step, seconds_left=left))
        for cue in step.cues:
            items.append(_Item(cue.at_ms, 2, len(items), step, cue=cue))
    items.sort()
    return items


class Scheduler:
    """Walks a :class:`Plan` in real time; see the module docstring."""

    def __init__(self, plan: Plan, clock: MonotonicClock) -> None:
        if not plan.steps:
            raise ValueError("a plan needs at least one step")
        self.plan = plan
        self._clock = clock
        self._items = _timeline_items(plan)
        self._item_times = [item.at_ms for item in self._items]
        self._cursor = 0
        self._state = State.IDLE
        self._anchor_plan = 0.0
        self._anchor_clock = 0.0
        self._paused_position = 0.0
        self._active_ms = 0.0
        self._current: Step | None = None
        self._completed: set[int] = set()
        self._skipped: set[int] = set()
        self.stale_cues = 0

    # -- queries ------------------------------------------------------------------------

    @property
    def state(self) -> State:
        """The current state."""
        return self._state

    @property
    def current_step(self) -> Step | None:
        """The step in progress, if the session has started."""
        return self._current

    @property
    def is_active(self) -> bool:
        """True while the clock moves the session on."""
        return self._state in (State.GET_READY, State.RUNNING)

    def position_ms(self) -> float:
        """Where the session is in the plan, in plan milliseconds."""
        if self._state is State.IDLE:
            return 0.0
        if self._state is State.PAUSED or not self.is_active:
            return self._paused_position
        elapsed = self._clock.monotonic_ms() - self._anchor_clock
        return min(self._anchor_plan + elapsed, float(self.plan.total_ms))

    def remaining_ms(self) -> float:
        """Plan time left."""
        return self.plan.total_ms - self.position_ms()

    def active_ms(self) -> float:
        """Time spent running (pauses excluded)."""
        running = self._clock.monotonic_ms() - self._anchor_clock if self.is_active else 0.0
        return self._active_ms + running

    def next_deadline(self) -> float | None:
        """Clock time at which :meth:`poll` has something to report; None when idle."""
        if not self.is_active:
            return None
        if self._cursor >= len(self._items):
            return self._to_clock(self.plan.total_ms)
        return self._to_clock(self._items[self._cursor].at_ms)

    def clock_time_of(self, plan_ms: float) -> float:
        """The clock time at which the running session reaches ``plan_ms``."""
        return self._to_clock(plan_ms)

    def _to_clock(self, plan_ms: float) -> float:
        clock_ms = self._anchor_clock + (plan_ms - self._anchor_plan)
        # Float rounding can leave position_ms() a hair short of plan_ms at that clock time;
        # a deadline must be a time at which poll() reports the item.
        while self._anchor_plan + (clock_ms - self._anchor_clock) < plan_ms:
            clock_ms = math.nextafter(clock_ms, math.inf)
        return clock_ms

    # -- commands -----------------------------------------------------------------------

    def start(self) -> list[Event]:
        """Begin the session."""
        if self._state is not State.IDLE:
            return []
        self._set_anchor(0.0)
        events: list[Event] = [self._move_to(self._state_for(self.plan.steps[0]))]
        return events + self.poll()

    def pause(self) -> list[Event]:
        """Pause; the remaining work stays as it was."""
        if not self.is_active:
            return []
        events = self.poll()
        if not self.is_active:
            return events
        self._freeze()
        return [*events, self._move_to(State.PAUSED)]

    def resume(self) -> list[Event]:
        """Carry on from where the session was paused."""
        if self._state is not State.PAUSED:
            return []
        self._set_anchor(self._paused_position)
        step = self._current or self.plan.steps[0]
        return [self._move_to(self._state_for(step)), *self.poll()]

    def skip(self) -> list[Event]:
        """Leave the current exercise for the next one (or the end)."""
        events = self._flush()
        exercise = self._current_exercise()
        if exercise is None:
            return events
        if not self._exercise_done(exercise):
            self._skipped.add(exercise.index)
        following = exercise.index + 1
        if following < len(self.plan.exercises):
            target = self.plan.steps[self.plan.exercises[following].entry_step].start_ms
        else:
            target = self.plan.steps[-1].start_ms
        return events + self._jump(target)

    def back(self) -> list[Event]:
        """Restart this exercise, or go to the previous one within its first seconds."""
        events = self._flush()
        exercise = self._current_exercise()
        if exercise is None:
            if not self.plan.exercises or self._state not in (State.RUNNING, State.PAUSED):
                return events
            exercise = self.plan.exercises[-1]
            index = exercise.index
        else:
            work_start = self.plan.steps[exercise.first_step].start_ms
            early = self.position_ms() < work_start + BACK_GRACE_MS
            index = exercise.index - 1 if early and exercise.index > 0 else exercise.index
        self._skipped.discard(index)
        target = self.plan.steps[self.plan.exercises[index].entry_step].start_ms
        return events + self._jump(target)

    def stop(self, reason: StopReason = StopReason.USER) -> list[Event]:
        """End the session early."""
        events = self._flush()
        if self._state in (State.IDLE, State.FINISHED, State.STOPPED):
            return events
        if self.is_active:
            self._freeze()
        outcome = Outcome.STOPPED_FOR_PAIN if reason is StopReason.PAIN else Outcome.STOPPED
        return [*events, self._move_to(State.STOPPED), Finished(self.summary(outcome))]

    def poll(self) -> list[Event]:
        """Every event due by now, in order."""
        if not self.is_active:
            return []
        position = self.position_ms()
        end = bisect.bisect_right(self._item_times, position, lo=self._cursor)
        due = self._items[self._cursor : end]
        self._cursor = end
        events: list[Event] = []
        # Of the countdown seconds in this batch only the newest matters, and only if no
        # later step started in the same batch.
        last_tick = max((n for n, item in enumerate(due) if item.rank in (0, 1)), default=-1)
        for number, item in enumerate(due):
            late = position - item.at_ms
            if item.rank == 0:
                self._enter(item.step, naturally=True)
                events.append(StepStarted(item.step, late))
                new_state = self._state_for(item.step)
                if new_state is not self._state:
                    events.append(self._move_to(new_state))
            elif item.cue is not None:
                if item.cue.is_speech and late > STALE_SPEECH_MS:
                    self.stale_cues += 1
                    continue
                events.append(CueDue(item.cue, late))
            elif number == last_tick:
                events.append(CountdownSecond(item.step, item.seconds_left))
        if position >= self.plan.total_ms and self._cursor >= len(self._items):
            if self._current is not None:
                self._completed.add(self._current.index)
            self._freeze()
            events.append(self._move_to(State.FINISHED))
            events.append(Finished(self.summary(Outcome.COMPLETED)))
        return events

    # -- internals ----------------------------------------------------------------------

    def _flush(self) -> list[Event]:
        """Deliver what is due before a command changes the position."""
        return self.poll()

    def _set_anchor(self, plan_ms: float) -> None:
        self._anchor_plan = plan_ms
        self._anchor_clock = self._clock.monotonic_ms()

    def _freeze(self) -> None:
        """Stop the clock from moving the session; keep the position."""
        now = self._clock.monotonic_ms()
        self._paused_position = self.position_ms()
        self._active_ms += now - self._anchor_clock

    def _move_to(self, new: State) -> StateChanged:
        old, self._state = self._state, new
        return StateChanged(old, new)

    @staticmethod
    def _state_for(step: Step) -> State:
        return State.GET_READY if step.kind is StepKind.GET_READY else State.RUNNING

    def _enter(self, step: Step, naturally: bool) -> None:
        previous = self._current
        if naturally and previous is not None and previous.index == step.index - 1:
            self._completed.add(previous.index)
        self._current = step

    def _current_exercise(self) -> PlannedExercise | None:
        if self._state not in (State.GET_READY, State.RUNNING, State.PAUSED):
            return None
        return None if self._current is None else self.plan.exercise_of(self._current)

    def _jump(self, target_ms: int) -> list[Event]:
        """Move the session to the step starting at ``target_ms``."""
        self._cursor = bisect.bisect_left(self._item_times, target_ms)
        self._current = None
        if self._state is State.PAUSED:
            self._paused_position = float(target_ms)
            step = self._items[self._cursor].step
            self._cursor += 1
            self._enter(step, naturally=False)
            return [StepStarted(step, 0.0)]
        self._active_ms += self._clock.monotonic_ms() - self._anchor_clock
        self._set_anchor(float(target_ms))
        return self.poll()

    def _work_steps(self, exercise: PlannedExercise) -> list[Step]:
        steps = self.plan.steps[exercise.first_step : exercise.last_step + 1]
        return [step for step in steps if step.kind in _WORK_KINDS]

    def _exercise_done(self, exercise: PlannedExercise) -> bool:
        return all(step.index in self._completed for step in self._work_steps(exercise))

    def _under_way(self, exercise: PlannedExercise) -> bool:
        """True when the current step is one of ``exercise``'s, from its first working step
        on (its lead-in is not yet doing it)."""
        current = self._current
        return current is not None and exercise.first_step <= current.index <= exercise.last_step

    def summary(self, outcome: Outcome) -> Summary:
        """What has been done so far, as if the session ended now with ``outcome``.

        An exercise is done when all its working steps were; skipped when the user skipped
        it before that; partly done when some working step was done or it was under way
        (the session stopped in it); otherwise not reached.
        """
        results = []
        for exercise in self.plan.exercises:
            work = self._work_steps(exercise)
            done = [step for step in work if step.index in self._completed]
            exhales = [step for step in work if step.kind is StepKind.EXHALE]
            sets_done = sum(
                1
                for number in range(1, exercise.sets + 1)
                if all(s.index in self._completed for s in work if s.set_number == number)
            )
            if len(done) == len(work):
                status = ExerciseStatus.DONE
            elif exercise.index in self._skipped:
                status = ExerciseStatus.SKIPPED
            elif done or self._under_way(exercise):
                status = ExerciseStatus.PARTIAL
            else:
                status = ExerciseStatus.NOT_REACHED
            results.append(
                ExerciseResult(
                    id=exercise.id,
                    name=exercise.name,
                    status=status,
                    sets_planned=exercise.sets,
                    sets_done=sets_done,
                    reps_planned=len(exhales),
                    reps_done=sum(1 for s in exhales if s.index in self._completed),
                    hold_seconds=exercise.hold_seconds,
                )
            )
        return Summary(
            routine_id=self.plan.routine_id,
            title=self.plan.title,
            outcome=outcome,
            active_ms=round(self.active_ms()),
            exercises=tuple(results),
        )
