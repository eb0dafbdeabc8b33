"""Properties of the scheduler under generated routines and generated command sequences.

A session is started, then driven by a list of actions (move the clock, go to the next
deadline, pause, resume, skip, back, stop); after each action the invariants are checked.
Then the session is driven to its end. The clock moves in whole milliseconds; fractional
clock times near a power of two are covered by a test in ``test_scheduler.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import given, settings
from hypothesis import strategies as st

from backtimer.core.clock import FakeClock
from backtimer.core.plan.compiler import PlanSettings, compile_plan
from backtimer.core.plan.timeline import Plan, StepKind
from backtimer.core.routine.model import Routine
from backtimer.core.scheduler import (
    CueDue,
    Event,
    ExerciseStatus,
    Finished,
    Outcome,
    Scheduler,
    State,
    StateChanged,
    StepStarted,
    StopReason,
    Summary,
)
from tests.core.plan.test_compiler_properties import plan_settings, routines

Action = tuple[str, int]

#: Command names, repeated to weight them: mostly the clock moving, some of every command,
#: and rarely a stop (which ends the session).
_WEIGHTED = (
    ["deadline"] * 5
    + ["advance"] * 4
    + ["pause", "resume", "skip", "back"] * 2
    + ["long-advance", "start", "stop"]
)


@st.composite
def action(draw: st.DrawFn) -> Action:
    name = draw(st.sampled_from(_WEIGHTED))
    if name == "advance":
        return name, draw(st.integers(0, 5_000))
    if name == "long-advance":
        return "advance", draw(st.integers(5_000, 200_000))
    if name == "deadline":
        return name, draw(st.integers(1, 40))
    if name == "stop":
        return name, draw(st.integers(0, 1))
    return name, 0


actions = st.lists(action(), min_size=10, max_size=40)

_LIVE = (State.GET_READY, State.RUNNING, State.PAUSED)


@dataclass
class Driver:
    """Runs one session and checks the invariants as it goes."""

    plan: Plan
    clock: FakeClock = field(default_factory=FakeClock)
    scheduler: Scheduler = field(init=False)
    last_step: int | None = None
    summaries: list[Summary] = field(default_factory=list)
    paused_remaining: float | None = None
    jumped: bool = False

    def __post_init__(self) -> None:
        self.scheduler = Scheduler(self.plan, self.clock)
        self.landings = {e.entry_step for e in self.plan.exercises} | {len(self.plan.steps) - 1}

    # -- checks ----------------------------------------------------------------------------

    def natural(self, events: list[Event]) -> None:
        """Events of the clock moving on: steps start one after the other, in order."""
        for event in events:
            if isinstance(event, StepStarted):
                expected = 0 if self.last_step is None else self.last_step + 1
                assert event.step.index == expected, (event.step.index, self.last_step)
                self.last_step = event.step.index
                assert event.late_ms >= 0
            elif isinstance(event, CueDue):
                assert event.late_ms >= 0
            elif isinstance(event, Finished):
                self.summaries.append(event.summary)
        assert len(self.summaries) <= 1

    def check_paused(self) -> None:
        scheduler = self.scheduler
        if scheduler.state is State.PAUSED:
            assert self.paused_remaining is not None
            assert scheduler.next_deadline() is None
            assert scheduler.poll() == []
            assert scheduler.remaining_ms() == self.paused_remaining

    # -- actions ---------------------------------------------------------------------------

    def do(self, name: str, amount: int) -> None:
        scheduler = self.scheduler
        before = scheduler.position_ms()
        state = scheduler.state
        if name == "advance":
            self.clock.advance(amount)
            events = scheduler.poll()
            if state is State.PAUSED:
                assert events == []
            self.natural(events)
        elif name == "deadline":
            for _ in range(amount):
                deadline = scheduler.next_deadline()
                if deadline is None:
                    assert not scheduler.is_active
                    break
                assert deadline >= self.clock.monotonic_ms()
                self.clock.set(deadline)
                events = scheduler.poll()
                assert events, "nothing to report at the deadline"
                self.natural(events)
        elif name == "start":
            events = scheduler.start()
            if state is State.IDLE:
                assert events[0] == StateChanged(State.IDLE, State.GET_READY)
            else:
                assert events == []
            self.natural(events)
        elif name == "pause":
            remaining = scheduler.remaining_ms()
            events = scheduler.pause()
            self.natural(events)
            if scheduler.state is State.PAUSED and state is not State.PAUSED:
                assert events[-1] == StateChanged(state, State.PAUSED)
                assert scheduler.remaining_ms() == remaining
                self.paused_remaining = remaining
            elif state is not State.PAUSED and scheduler.state is not State.FINISHED:
                assert events == []
        elif name == "resume":
            events = scheduler.resume()
            if state is State.PAUSED:
                assert isinstance(events[0], StateChanged)
                assert events[0].old is State.PAUSED
                assert scheduler.remaining_ms() == self.paused_remaining
                self.paused_remaining = None
            else:
                assert events == []
            self.natural(events)
        elif name in ("skip", "back"):
            self.natural(scheduler.poll())
            before = scheduler.position_ms()
            events = getattr(scheduler, name)()
            started = [e for e in events if isinstance(e, StepStarted)]
            assert len(started) <= 1
            if started:
                (jump,) = started
                assert jump.step.index in self.landings
                assert jump.late_ms == 0
                self.last_step = jump.step.index
                self.jumped = True
                assert scheduler.current_step == jump.step
                assert scheduler.position_ms() == jump.step.start_ms
            if scheduler.state in _LIVE and scheduler.current_step is not None:
                assert scheduler.current_step.index in self.landings
            assert not [e for e in events if isinstance(e, Finished)]
            if state in (State.GET_READY, State.RUNNING):
                assert scheduler.is_active
                current = scheduler.current_step
                assert current is not None
                getting_ready = current.kind is StepKind.GET_READY
                assert scheduler.state is (State.GET_READY if getting_ready else State.RUNNING)
            else:
                assert scheduler.state is state
            if scheduler.state is State.PAUSED:
                assert events == started
                self.paused_remaining = scheduler.remaining_ms()
        elif name == "stop":
            reason = StopReason.PAIN if amount else StopReason.USER
            events = scheduler.stop(reason)
            self.natural(events)
            if state in _LIVE and scheduler.state is State.STOPPED:
                change = events[-2]
                assert isinstance(change, StateChanged)
                assert (change.old, change.new) == (state, State.STOPPED)
                outcome = Outcome.STOPPED_FOR_PAIN if amount else Outcome.STOPPED
                assert self.summaries[-1].outcome is outcome
            elif scheduler.state is not State.FINISHED:
                assert events == []
        else:
            raise AssertionError(name)
        if name != "back" and scheduler.state is not State.IDLE:
            assert scheduler.position_ms() >= before, (name, before, scheduler.position_ms())
        assert 0 <= scheduler.position_ms() <= self.plan.total_ms
        self.check_paused()

    def finish(self) -> Summary:
        """Drive the session to its end: every deadline in turn, until it is over."""
        scheduler = self.scheduler
        if scheduler.state is State.IDLE:
            self.natural(scheduler.start())
        if scheduler.state is State.PAUSED:
            self.natural(scheduler.resume())
        limit = 3 * (len(self.plan.steps) + len(self.plan.cues) + self.plan.total_ms // 1000) + 10
        for _ in range(limit):
            deadline = scheduler.next_deadline()
            if deadline is None:
                break
            self.clock.set(deadline)
            events = scheduler.poll()
            assert events, "nothing to report at the deadline"
            self.natural(events)
        else:
            raise AssertionError("the session did not end")
        assert scheduler.state in (State.FINISHED, State.STOPPED)
        assert len(self.summaries) == 1
        return self.summaries[0]


def compile_routine(routine: Routine, plan_settings_: PlanSettings) -> Plan:
    return compile_plan(routine, plan_settings_)


#: As many examples as the Hypothesis profile gives (tests/conftest.py: few locally, more in CI).
SESSIONS = settings(deadline=None)


@SESSIONS
@given(routines(max_exercises=4), plan_settings(), actions)
def test_sessions_keep_their_invariants_and_always_end(
    routine: Routine, plan_settings_: PlanSettings, script: list[Action]
) -> None:
    plan = compile_routine(routine, plan_settings_)
    driver = Driver(plan)
    driver.do("start", 0)
    for name, amount in script:
        driver.do(name, amount)
    summary = driver.finish()
    assert [r.id for r in summary.exercises] == [e.id for e in plan.exercises]
    assert len({r.id for r in summary.exercises}) == len(plan.exercises)
    if driver.scheduler.state is State.FINISHED:
        assert summary.outcome is Outcome.COMPLETED
        assert driver.last_step == len(plan.steps) - 1
    if not driver.jumped and summary.outcome is Outcome.COMPLETED:
        for result in summary.exercises:
            assert result.status is ExerciseStatus.DONE
            assert result.reps_done == result.reps_planned
            assert result.sets_done == result.sets_planned


@SESSIONS
@given(routines(max_exercises=4), plan_settings(), st.data())
def test_a_pause_of_any_length_keeps_the_remaining_work(
    routine: Routine, plan_settings_: PlanSettings, data: st.DataObject
) -> None:
    plan = compile_routine(routine, plan_settings_)
    clock = FakeClock()
    scheduler = Scheduler(plan, clock)
    scheduler.start()
    clock.advance(data.draw(st.integers(0, plan.total_ms - 1), label="run"))
    scheduler.poll()
    remaining = scheduler.remaining_ms()
    position = scheduler.position_ms()
    step = scheduler.current_step
    scheduler.pause()
    assert scheduler.state is State.PAUSED
    clock.advance(data.draw(st.integers(0, 10**9), label="pause"))
    assert scheduler.poll() == []
    assert scheduler.remaining_ms() == remaining
    scheduler.resume()
    assert scheduler.remaining_ms() == remaining
    assert scheduler.position_ms() == position
    assert scheduler.current_step == step
    assert scheduler.active_ms() == position


@SESSIONS
@given(routines(max_exercises=4), plan_settings(), st.data())
def test_skips_walk_the_exercises_in_order(
    routine: Routine, plan_settings_: PlanSettings, data: st.DataObject
) -> None:
    plan = compile_routine(routine, plan_settings_)
    clock = FakeClock()
    scheduler = Scheduler(plan, clock)
    scheduler.start()
    landed = []
    while scheduler.state is not State.FINISHED:
        step = scheduler.current_step
        assert step is not None
        if step.kind is StepKind.DONE:
            clock.advance(plan.total_ms)
            events = scheduler.poll()
            assert isinstance(events[-1], Finished)
            break
        offset = data.draw(st.integers(0, step.duration_ms - 1), label="into the step")
        clock.advance(offset)
        scheduler.poll()
        events = scheduler.skip()
        started = [e.step for e in events if isinstance(e, StepStarted)]
        landed.append(started[0].index)
    expected = [e.entry_step for e in plan.exercises[1:]] + [len(plan.steps) - 1]
    assert landed == expected
    finished = events[-1]
    assert isinstance(finished, Finished)
    summary = finished.summary
    assert summary.outcome is Outcome.COMPLETED
    assert all(r.status is ExerciseStatus.SKIPPED for r in summary.exercises)
