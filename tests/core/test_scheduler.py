"""Unit tests for the session scheduler, on a FakeClock.

The plan used throughout has three exercises: two reps of cat-cow (inhale, exhale), one
bridge held 5 s (inhale, hold, exhale) and 6 s of marching (one work step), with 10 s rests
between them. Positions are taken from the plan, never hard-coded.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import pytest

from backtimer.core.clock import FakeClock
from backtimer.core.plan.compiler import PlanSettings, compile_plan
from backtimer.core.plan.timeline import Plan, Step, StepKind
from backtimer.core.routine.loader import parse_routine
from backtimer.core.scheduler import (
    BACK_GRACE_MS,
    STALE_SPEECH_MS,
    CountdownSecond,
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

ROUTINE = """
schema_version = 1
id = "three-moves"
title = "Three moves"
summary = "Cat-cow, a bridge and marching."
category = "other"
rest_between_exercises = 10

[[exercises]]
id = "cat-cow"
name = "Cat-cow"
kind = "reps"
reps = 2
steps = ["Arch, then round your back."]
source = "default"

[[exercises]]
id = "bridge"
name = "Bridge"
kind = "hold_reps"
reps = 1
hold = 5
steps = ["Lift your hips."]
source = "default"

[[exercises]]
id = "march"
name = "March"
kind = "timed"
duration = 6
steps = ["March on the spot."]
source = "default"
"""

CLOCK_START = 1_000_000.0


def make_plan() -> Plan:
    """The plan of :data:`ROUTINE`, with every phrase 0.6 s long."""
    return compile_plan(parse_routine(ROUTINE), PlanSettings(phrase_ms=lambda text: 600))


PLAN = make_plan()


class Session:
    """A scheduler on a fake clock, with ways to move the clock and collect events."""

    def __init__(self, plan: Plan = PLAN) -> None:
        self.plan = plan
        self.clock = FakeClock(CLOCK_START)
        self.scheduler = Scheduler(plan, self.clock)

    def start(self) -> list[Event]:
        return self.scheduler.start()

    def advance(self, delta_ms: float) -> list[Event]:
        """Move the clock on by ``delta_ms`` and poll."""
        self.clock.advance(delta_ms)
        return self.scheduler.poll()

    def to(self, plan_ms: float) -> list[Event]:
        """Move the clock on until the session is at ``plan_ms`` and poll."""
        position = self.scheduler.position_ms()
        assert plan_ms >= position
        return self.advance(plan_ms - position)

    def next(self) -> list[Event]:
        """Move the clock to the next deadline and poll."""
        deadline = self.scheduler.next_deadline()
        assert deadline is not None
        self.clock.set(deadline)
        return self.scheduler.poll()

    def run(self, limit: int = 10_000) -> list[Event]:
        """Poll at every deadline until the session ends."""
        events: list[Event] = []
        for _ in range(limit):
            if self.scheduler.next_deadline() is None:
                return events
            batch = self.next()
            assert batch, "a deadline with nothing due"
            events += batch
        raise AssertionError("the session did not end")

    def started(self) -> Session:
        self.start()
        return self


def state_of(scheduler: Scheduler) -> State:
    """The scheduler's state, read through a call: after ``assert scheduler.state is X``
    mypy would take the state for X still, across the calls that change it."""
    return scheduler.state


def step_starts(events: Iterable[Event]) -> list[int]:
    return [e.step.index for e in events if isinstance(e, StepStarted)]


def state_changes(events: Iterable[Event]) -> list[tuple[State, State]]:
    return [(e.old, e.new) for e in events if isinstance(e, StateChanged)]


def finished(events: Iterable[Event]) -> Summary:
    (summary,) = [e.summary for e in events if isinstance(e, Finished)]
    return summary


def first_work(index: int) -> Step:
    """The first working step of exercise ``index``."""
    return PLAN.steps[PLAN.exercises[index].first_step]


def entry(index: int) -> Step:
    """The lead-in step of exercise ``index``."""
    return PLAN.steps[PLAN.exercises[index].entry_step]


def event_time(event: Event) -> int:
    """The plan offset an event belongs to."""
    if isinstance(event, StepStarted):
        return event.step.start_ms
    if isinstance(event, CueDue):
        return event.cue.at_ms
    if isinstance(event, CountdownSecond):
        return event.step.end_ms - event.seconds_left * 1000
    raise TypeError(event)


def test_the_test_plan_has_the_expected_shape() -> None:
    kinds = [s.kind for s in PLAN.steps]
    assert kinds == [
        StepKind.GET_READY,
        *[StepKind.INHALE, StepKind.EXHALE] * 2,
        StepKind.REST,
        StepKind.INHALE,
        StepKind.HOLD,
        StepKind.EXHALE,
        StepKind.REST,
        StepKind.WORK,
        StepKind.DONE,
    ]


def test_a_plan_without_steps_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one step"):
        Scheduler(Plan("empty", "Empty", (), ()), FakeClock())


# --- start and the normal run ---------------------------------------------------------------


def test_start_enters_get_ready_and_starts_step_0() -> None:
    session = Session()
    assert session.scheduler.state is State.IDLE
    assert session.scheduler.next_deadline() is None
    assert session.scheduler.current_step is None
    events = session.start()
    assert events[:2] == [
        StateChanged(State.IDLE, State.GET_READY),
        StepStarted(PLAN.steps[0], 0.0),
    ]
    assert [e.cue for e in events[2:] if isinstance(e, CueDue)] == [
        c for c in PLAN.steps[0].cues if c.at_ms == 0
    ]
    assert state_of(session.scheduler) is State.GET_READY
    assert session.scheduler.is_active
    assert session.scheduler.current_step == PLAN.steps[0]
    assert session.scheduler.position_ms() == 0
    assert session.scheduler.remaining_ms() == PLAN.total_ms


def test_each_deadline_delivers_its_events_in_order() -> None:
    session = Session().started()
    previous = 0
    seen_cues = [c for c in PLAN.steps[0].cues if c.at_ms == 0]
    starts = [0]
    while (deadline := session.scheduler.next_deadline()) is not None:
        batch = session.next()
        assert batch
        times = [event_time(e) for e in batch if not isinstance(e, StateChanged | Finished)]
        if times:
            assert session.clock.monotonic_ms() == deadline == CLOCK_START + times[0]
            assert times == sorted(times)
            assert times[0] >= previous
            previous = times[-1]
        for event in batch:
            if isinstance(event, StepStarted | CueDue):
                assert event.late_ms == 0
        seen_cues += [e.cue for e in batch if isinstance(e, CueDue)]
        starts += step_starts(batch)
    assert starts == list(range(len(PLAN.steps)))
    assert seen_cues == list(PLAN.cues)
    assert session.scheduler.state is State.FINISHED


def test_get_ready_turns_into_running_when_the_first_exercise_starts() -> None:
    session = Session().started()
    assert not state_changes(session.to(first_work(0).start_ms - 1))
    assert session.scheduler.state is State.GET_READY
    events = session.next()
    assert events[:2] == [
        StepStarted(first_work(0), 0.0),
        StateChanged(State.GET_READY, State.RUNNING),
    ]
    assert state_of(session.scheduler) is State.RUNNING


def test_completing_the_routine_finishes_with_every_exercise_done() -> None:
    session = Session().started()
    events = session.run()
    assert state_changes(events) == [
        (State.GET_READY, State.RUNNING),
        (State.RUNNING, State.FINISHED),
    ]
    assert isinstance(events[-1], Finished)
    summary = finished(events)
    assert summary.outcome is Outcome.COMPLETED
    assert summary.routine_id == "three-moves"
    assert summary.title == "Three moves"
    assert summary.done == ("cat-cow", "bridge", "march")
    assert summary.skipped == ()
    assert summary.active_ms == PLAN.total_ms
    for result in summary.exercises:
        assert result.status is ExerciseStatus.DONE
        assert result.reps_done == result.reps_planned
        assert result.sets_done == result.sets_planned == 1
    assert [r.reps_planned for r in summary.exercises] == [2, 1, 0]
    assert summary.exercises[1].hold_seconds == 5
    scheduler = session.scheduler
    assert scheduler.state is State.FINISHED
    assert scheduler.next_deadline() is None
    assert scheduler.remaining_ms() == 0
    assert scheduler.poll() == []


def test_countdown_seconds_count_down_to_1_within_each_step() -> None:
    session = Session().started()
    seconds: dict[int, list[int]] = {}
    while session.scheduler.next_deadline() is not None:
        for event in session.next():
            if isinstance(event, CountdownSecond):
                seconds.setdefault(event.step.index, []).append(event.seconds_left)
                position = session.scheduler.position_ms()
                assert event.step.end_ms - position == event.seconds_left * 1000
                assert session.scheduler.current_step == event.step
    for step in PLAN.steps:
        expected = list(range(math.ceil(step.duration_ms / 1000) - 1, 0, -1))
        assert seconds.get(step.index, []) == expected
    (hold,) = [s for s in PLAN.steps if s.kind is StepKind.HOLD]
    assert seconds[hold.index] == [4, 3, 2, 1]


# --- pause and resume -----------------------------------------------------------------------


def test_pause_stops_events_until_resume() -> None:
    session = Session().started()
    session.to(first_work(0).start_ms + 500)
    events = session.scheduler.pause()
    assert events == [StateChanged(State.RUNNING, State.PAUSED)]
    assert session.scheduler.state is State.PAUSED
    assert not session.scheduler.is_active
    assert session.scheduler.next_deadline() is None
    assert session.advance(600_000) == []
    assert session.scheduler.current_step == first_work(0)


def test_resume_continues_with_the_same_remaining_time() -> None:
    session = Session().started()
    session.to(first_work(0).start_ms + 1234.5)
    before = session.scheduler.remaining_ms()
    deadline_before = session.scheduler.next_deadline()
    assert deadline_before is not None
    session.scheduler.pause()
    session.clock.advance(42_000)
    assert session.scheduler.remaining_ms() == before
    events = session.scheduler.resume()
    assert events == [StateChanged(State.PAUSED, State.RUNNING)]
    assert session.scheduler.remaining_ms() == before
    assert session.scheduler.next_deadline() == deadline_before + 42_000
    rest = session.run()
    assert finished(rest).outcome is Outcome.COMPLETED
    assert step_starts(rest) == list(range(first_work(0).index + 1, len(PLAN.steps)))


def test_pause_during_get_ready_resumes_into_get_ready() -> None:
    session = Session().started()
    session.to(2000)
    assert session.scheduler.pause()[-1] == StateChanged(State.GET_READY, State.PAUSED)
    assert session.scheduler.resume() == [StateChanged(State.PAUSED, State.GET_READY)]


def test_active_ms_excludes_paused_time() -> None:
    session = Session().started()
    session.advance(5000)
    session.scheduler.pause()
    session.advance(60_000)
    assert session.scheduler.active_ms() == 5000
    session.scheduler.resume()
    session.advance(3000)
    assert session.scheduler.active_ms() == 8000
    session.scheduler.pause()
    session.advance(10_000)
    session.scheduler.resume()
    session.advance(1000)
    events = session.scheduler.stop()
    assert finished(events).active_ms == 9000
    session.advance(10_000)
    assert session.scheduler.active_ms() == 9000


def test_active_ms_counts_time_across_skips() -> None:
    session = Session().started()
    session.advance(4000)
    session.scheduler.skip()
    session.advance(1000)
    assert session.scheduler.active_ms() == 5000


# --- lateness -------------------------------------------------------------------------------


def test_a_late_poll_does_not_delay_later_events() -> None:
    session = Session().started()
    deadline = session.scheduler.next_deadline()
    assert deadline is not None
    session.clock.set(deadline + 137)
    late = session.scheduler.poll()
    assert late
    assert all(e.late_ms == 137 for e in late if isinstance(e, StepStarted | CueDue))
    while (deadline := session.scheduler.next_deadline()) is not None:
        batch = session.next()
        for event in batch:
            if isinstance(event, StepStarted | CueDue):
                assert event.late_ms == 0
                assert deadline == CLOCK_START + event_time(event)
    assert session.scheduler.state is State.FINISHED


def test_a_huge_late_poll_drops_stale_speech_but_starts_every_step() -> None:
    session = Session().started()
    target = entry(1).end_ms + 500
    events = session.advance(target)
    assert step_starts(events) == list(range(1, entry(1).index + 2))
    assert state_changes(events) == [(State.GET_READY, State.RUNNING)]
    assert session.scheduler.stale_cues > 0
    cues = [e for e in events if isinstance(e, CueDue)]
    assert all(e.late_ms <= STALE_SPEECH_MS for e in cues if e.cue.is_speech)
    assert any(e.late_ms > STALE_SPEECH_MS for e in cues if not e.cue.is_speech)
    for event in events:
        if isinstance(event, StepStarted):
            assert event.late_ms == target - event.step.start_ms
    spoken_due = [c for c in PLAN.cues if c.is_speech and 0 < c.at_ms <= target]
    assert session.scheduler.stale_cues + sum(1 for e in cues if e.cue.is_speech) == len(spoken_due)
    # Only the latest whole second is reported.
    assert len([e for e in events if isinstance(e, CountdownSecond)]) <= 1
    assert finished(session.run()).outcome is Outcome.COMPLETED


def test_a_poll_after_the_end_finishes_the_session() -> None:
    session = Session().started()
    events = session.advance(PLAN.total_ms * 3)
    assert step_starts(events) == list(range(1, len(PLAN.steps)))
    summary = finished(events)
    assert summary.outcome is Outcome.COMPLETED
    assert session.scheduler.position_ms() == PLAN.total_ms
    assert all(r.status is ExerciseStatus.DONE for r in summary.exercises)


# --- skip and back --------------------------------------------------------------------------


def test_skip_goes_to_the_next_exercise_and_marks_this_one_skipped() -> None:
    session = Session().started()
    session.to(first_work(0).start_ms + 500)
    events = session.scheduler.skip()
    assert step_starts(events) == [entry(1).index]
    assert events[0] == StepStarted(entry(1), 0.0)
    assert session.scheduler.current_step == entry(1)
    assert session.scheduler.position_ms() == entry(1).start_ms
    assert session.scheduler.state is State.RUNNING
    rest = session.run()
    assert step_starts(rest) == list(range(entry(1).index + 1, len(PLAN.steps)))
    summary = finished(rest)
    assert summary.outcome is Outcome.COMPLETED
    assert [r.status for r in summary.exercises] == [
        ExerciseStatus.SKIPPED,
        ExerciseStatus.DONE,
        ExerciseStatus.DONE,
    ]
    assert summary.skipped == ("cat-cow",)
    assert summary.exercises[0].reps_done == 0


def test_skip_during_get_ready_skips_the_first_exercise() -> None:
    session = Session().started()
    session.to(1000)
    events = session.scheduler.skip()
    assert events[:2] == [StepStarted(entry(1), 0.0), StateChanged(State.GET_READY, State.RUNNING)]
    assert finished(session.run()).skipped == ("cat-cow",)


def test_skip_on_the_last_exercise_lands_on_done() -> None:
    session = Session().started()
    session.to(first_work(2).start_ms + 1000)
    events = session.scheduler.skip()
    done = PLAN.steps[-1]
    assert done.kind is StepKind.DONE
    assert events[0] == StepStarted(done, 0.0)
    assert session.scheduler.current_step == done
    summary = finished(session.run())
    assert summary.outcome is Outcome.COMPLETED
    assert summary.skipped == ("march",)
    assert summary.done == ("cat-cow", "bridge")


def test_skip_on_done_does_nothing() -> None:
    session = Session().started()
    session.to(PLAN.steps[-1].start_ms + 100)
    assert session.scheduler.skip() == []
    assert session.scheduler.current_step == PLAN.steps[-1]


def test_skip_after_an_exercise_is_done_does_not_mark_it_skipped() -> None:
    session = Session().started()
    # In the rest before the bridge, the bridge is current: skipping skips the bridge.
    session.to(entry(1).start_ms + 100)
    session.scheduler.skip()
    summary = finished(session.run())
    assert summary.skipped == ("bridge",)
    assert summary.done == ("cat-cow", "march")


@pytest.mark.parametrize("offset", [0, 1000, BACK_GRACE_MS - 1])
def test_back_early_in_an_exercise_goes_to_the_previous_one(offset: int) -> None:
    session = Session().started()
    session.to(first_work(1).start_ms + offset)
    events = session.scheduler.back()
    assert events[0] == StepStarted(entry(0), 0.0)
    assert session.scheduler.current_step == entry(0)
    assert session.scheduler.position_ms() == 0
    # Going back to the get-ready step makes the session get ready again.
    assert state_changes(events) == [(State.RUNNING, State.GET_READY)]
    assert session.scheduler.state is State.GET_READY


@pytest.mark.parametrize("offset", [BACK_GRACE_MS, BACK_GRACE_MS + 1, 6000])
def test_back_later_in_an_exercise_restarts_it(offset: int) -> None:
    session = Session().started()
    session.to(first_work(1).start_ms + offset)
    events = session.scheduler.back()
    assert events[0] == StepStarted(entry(1), 0.0)
    assert session.scheduler.current_step == entry(1)
    assert session.scheduler.position_ms() == entry(1).start_ms
    assert session.scheduler.state is State.RUNNING
    rest = session.run()
    assert step_starts(rest) == list(range(entry(1).index + 1, len(PLAN.steps)))
    assert finished(rest).done == ("cat-cow", "bridge", "march")


def test_back_in_the_first_exercise_restarts_it() -> None:
    session = Session().started()
    session.to(first_work(0).start_ms + 500)
    events = session.scheduler.back()
    assert events[0] == StepStarted(entry(0), 0.0)
    assert session.scheduler.position_ms() == 0


def test_back_on_done_restarts_the_last_exercise() -> None:
    session = Session().started()
    session.to(PLAN.steps[-1].start_ms + 100)
    events = session.scheduler.back()
    assert events[0] == StepStarted(entry(2), 0.0)


def test_back_after_a_skip_clears_the_skip() -> None:
    session = Session().started()
    session.to(first_work(0).start_ms + 500)
    session.scheduler.skip()
    session.advance(1000)
    events = session.scheduler.back()
    assert events[0] == StepStarted(entry(0), 0.0)
    summary = finished(session.run())
    assert summary.skipped == ()
    assert summary.done == ("cat-cow", "bridge", "march")


def test_skip_while_paused_stays_paused_and_reports_the_new_step() -> None:
    session = Session().started()
    session.to(first_work(0).start_ms + 500)
    session.scheduler.pause()
    events = session.scheduler.skip()
    assert events == [StepStarted(entry(1), 0.0)]
    assert session.scheduler.state is State.PAUSED
    assert session.scheduler.current_step == entry(1)
    assert session.scheduler.position_ms() == entry(1).start_ms
    assert session.scheduler.next_deadline() is None
    assert session.advance(30_000) == []
    resumed = session.scheduler.resume()
    assert resumed[0] == StateChanged(State.PAUSED, State.RUNNING)
    assert [e.cue for e in resumed if isinstance(e, CueDue)] == [
        c for c in entry(1).cues if c.at_ms == entry(1).start_ms
    ]
    assert session.scheduler.remaining_ms() == PLAN.total_ms - entry(1).start_ms
    rest = session.run()
    assert step_starts(rest) == list(range(entry(1).index + 1, len(PLAN.steps)))
    assert finished(rest).skipped == ("cat-cow",)


def test_back_while_paused_stays_paused_and_reports_the_new_step() -> None:
    session = Session().started()
    session.to(first_work(1).start_ms + 4000)
    session.scheduler.pause()
    events = session.scheduler.back()
    assert events == [StepStarted(entry(1), 0.0)]
    assert session.scheduler.state is State.PAUSED
    assert session.scheduler.position_ms() == entry(1).start_ms
    assert session.scheduler.resume() == [
        StateChanged(State.PAUSED, State.RUNNING),
        *[CueDue(c, 0.0) for c in entry(1).cues if c.at_ms == entry(1).start_ms],
    ]


# --- stop -----------------------------------------------------------------------------------


def test_stop_for_pain_ends_the_session() -> None:
    session = Session().started()
    session.to(first_work(1).start_ms + 2500)
    events = session.scheduler.stop(StopReason.PAIN)
    assert events[-2] == StateChanged(State.RUNNING, State.STOPPED)
    summary = finished(events)
    assert summary.outcome is Outcome.STOPPED_FOR_PAIN
    assert [r.status for r in summary.exercises] == [
        ExerciseStatus.DONE,
        ExerciseStatus.PARTIAL,
        ExerciseStatus.NOT_REACHED,
    ]
    assert summary.exercises[1].reps_done == 0
    assert session.scheduler.state is State.STOPPED
    assert session.scheduler.next_deadline() is None
    assert session.advance(60_000) == []


@pytest.mark.parametrize("reason", [StopReason.USER, StopReason.PAIN])
def test_the_exercise_under_way_at_a_stop_is_partly_done(reason: StopReason) -> None:
    session = Session().started()
    session.to(first_work(1).start_ms + 100)  # its first step begun, none finished
    summary = finished(session.scheduler.stop(reason))
    assert [r.status for r in summary.exercises] == [
        ExerciseStatus.DONE,
        ExerciseStatus.PARTIAL,
        ExerciseStatus.NOT_REACHED,
    ]
    assert (summary.exercises[1].sets_done, summary.exercises[1].reps_done) == (0, 0)


def test_an_exercise_only_announced_at_a_stop_is_not_reached() -> None:
    session = Session().started()
    session.to(entry(1).start_ms + 100)  # its lead-in: nothing of it begun
    summary = finished(session.scheduler.stop())
    assert summary.exercises[1].status is ExerciseStatus.NOT_REACHED


def test_stop_by_the_user_while_paused() -> None:
    session = Session().started()
    session.to(first_work(0).start_ms + 100)
    session.scheduler.pause()
    events = session.scheduler.stop()
    assert events[0] == StateChanged(State.PAUSED, State.STOPPED)
    assert finished(events).outcome is Outcome.STOPPED


def test_stop_delivers_what_was_due_first() -> None:
    session = Session().started()
    session.clock.advance(first_work(0).start_ms + 10)
    events = session.scheduler.stop()
    assert step_starts(events) == [first_work(0).index]
    assert isinstance(events[-1], Finished)


# --- commands in the wrong state --------------------------------------------------------------


def _idle() -> Session:
    return Session()


def _running() -> Session:
    session = Session().started()
    session.to(first_work(0).start_ms + 100)
    return session


def _paused() -> Session:
    session = _running()
    session.scheduler.pause()
    return session


def _finished() -> Session:
    session = Session().started()
    session.run()
    return session


def _stopped() -> Session:
    session = _running()
    session.scheduler.stop()
    return session


@pytest.mark.parametrize(
    ("setup", "command"),
    [
        (_idle, "pause"),
        (_idle, "resume"),
        (_idle, "skip"),
        (_idle, "back"),
        (_idle, "stop"),
        (_idle, "poll"),
        (_running, "start"),
        (_running, "resume"),
        (_paused, "start"),
        (_paused, "pause"),
        (_paused, "poll"),
        *[
            (setup, command)
            for setup in (_finished, _stopped)
            for command in ("start", "pause", "resume", "skip", "back", "stop", "poll")
        ],
    ],
)
def test_commands_in_the_wrong_state_do_nothing(setup: type[Session], command: str) -> None:
    session = setup()
    state = session.scheduler.state
    position = session.scheduler.position_ms()
    step = session.scheduler.current_step
    assert getattr(session.scheduler, command)() == []
    assert session.scheduler.state is state
    assert session.scheduler.position_ms() == position
    assert session.scheduler.current_step == step


# --- deadlines and float rounding -------------------------------------------------------------


def test_polling_at_the_deadline_reports_something_across_a_power_of_two_clock() -> None:
    clock = FakeClock(8_387_108.0)  # 2**23 - 1500 ms
    scheduler = Scheduler(PLAN, clock)
    scheduler.start()
    clock.advance(824.3)
    scheduler.pause()
    clock.advance(3249.5)
    scheduler.resume()
    deadline = scheduler.next_deadline()
    assert deadline is not None
    clock.set(deadline)
    assert scheduler.poll() != []
    assert scheduler.next_deadline() != deadline
