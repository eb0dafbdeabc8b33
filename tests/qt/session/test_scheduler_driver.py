"""The Qt adapter around the core scheduler: one precise timer, events out as signals.

Most tests run on a FakeClock and call ``poll_now()`` as the timer would; one runs a short
routine on the real event loop and the system clock to check the timer really drives it.
"""

from __future__ import annotations

import math

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from backtimer.core.clock import FakeClock
from backtimer.core.plan.compiler import PlanSettings, compile_plan
from backtimer.core.plan.timeline import Plan
from backtimer.core.routine.loader import parse_routine
from backtimer.core.scheduler import (
    CountdownSecond,
    CueDue,
    Event,
    Finished,
    Outcome,
    State,
    StateChanged,
    StepStarted,
    StopReason,
)
from backtimer.qt.session.scheduler_driver import SchedulerDriver

#: Two exercises: two paced reps, then 3 s of work; a short rest between them.
ROUTINE = """
schema_version = 1
id = "two-moves"
title = "Two moves"
summary = "Paced reps, then a little work."
category = "other"
rest_between_exercises = 5

[[exercises]]
id = "breathe"
name = "Breathe"
kind = "reps"
reps = 2
breathing = { inhale = 2, exhale = 2 }
steps = ["Breathe."]
source = "default"

[[exercises]]
id = "march"
name = "March"
kind = "timed"
duration = 3
steps = ["March."]
source = "default"
"""

#: The shortest plan the compiler makes: get-ready (4 s, it holds the 3-2-1 count-in),
#: two 0.5 s breaths each way, and the closing step.
TINY = """
schema_version = 1
id = "tiny"
title = "Tiny"
summary = "A tiny routine for timing tests."
category = "other"
rest_between_exercises = 0

[[exercises]]
id = "breathe"
name = "Breathe"
kind = "reps"
reps = 2
breathing = { inhale = 0.5, exhale = 0.5 }
steps = ["Breathe."]
source = "default"
"""

SETTINGS = PlanSettings(get_ready_seconds=0, phrase_ms=lambda text: 0)


def make_plan(text: str = ROUTINE) -> Plan:
    return compile_plan(parse_routine(text), SETTINGS)


class Recorder:
    """Every signal of a driver, as (signal name, event), in emission order."""

    def __init__(self, driver: SchedulerDriver) -> None:
        self.seen: list[tuple[str, Event]] = []
        for name in (
            "step_started",
            "countdown",
            "cue_due",
            "state_changed",
            "finished",
            "any_event",
        ):
            getattr(driver, name).connect(lambda e, name=name: self.seen.append((name, e)))

    def events(self) -> list[Event]:
        return [event for name, event in self.seen if name == "any_event"]

    def clear(self) -> None:
        self.seen.clear()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def driver(qtbot: QtBot, clock: FakeClock) -> SchedulerDriver:
    return SchedulerDriver(make_plan(), clock)


def expected_interval(driver: SchedulerDriver, clock: FakeClock) -> int:
    deadline = driver.scheduler.next_deadline()
    assert deadline is not None
    return max(0, math.ceil(deadline - clock.monotonic_ms()))


def run_to_end(driver: SchedulerDriver, clock: FakeClock, step_ms: float = 50) -> None:
    while driver.scheduler.state not in (State.FINISHED, State.STOPPED):
        clock.advance(step_ms)
        driver.poll_now()


def test_timer_is_precise_single_shot_and_idle_before_start(driver: SchedulerDriver) -> None:
    assert driver.timer.isSingleShot()
    assert driver.timer.timerType() is Qt.TimerType.PreciseTimer
    assert not driver.timer.isActive()


def test_start_emits_state_and_first_step_and_arms_timer(
    driver: SchedulerDriver, clock: FakeClock
) -> None:
    recorder = Recorder(driver)
    driver.start()
    names = [name for name, _ in recorder.seen if name != "any_event"]
    assert names[:2] == ["state_changed", "step_started"]
    first = recorder.events()[0]
    assert first == StateChanged(State.IDLE, State.GET_READY)
    started = recorder.events()[1]
    assert isinstance(started, StepStarted)
    assert started.step.index == 0
    assert driver.timer.isActive()
    assert driver.timer.interval() == expected_interval(driver, clock)


def test_each_event_goes_to_its_own_signal_then_to_event(
    driver: SchedulerDriver, clock: FakeClock
) -> None:
    recorder = Recorder(driver)
    driver.start()
    run_to_end(driver, clock)
    kinds = {
        StepStarted: "step_started",
        CountdownSecond: "countdown",
        CueDue: "cue_due",
        StateChanged: "state_changed",
        Finished: "finished",
    }
    pairs = recorder.seen
    assert len(pairs) % 2 == 0
    for (name, event), (generic, same) in zip(pairs[::2], pairs[1::2], strict=True):
        assert name == kinds[type(event)]
        assert generic == "any_event"
        assert same is event
    assert {name for name, _ in pairs} == {*kinds.values(), "any_event"}


def test_timer_rearms_at_every_deadline_and_stops_at_the_end(
    driver: SchedulerDriver, clock: FakeClock
) -> None:
    recorder = Recorder(driver)
    driver.start()
    while driver.scheduler.state is not State.FINISHED:
        assert driver.timer.isActive()
        clock.advance(driver.timer.interval())
        driver.poll_now()
        if driver.scheduler.next_deadline() is not None:
            assert driver.timer.interval() == expected_interval(driver, clock)
    assert not driver.timer.isActive()
    finished = [e for e in recorder.events() if isinstance(e, Finished)]
    assert len(finished) == 1
    assert finished[0].summary.outcome is Outcome.COMPLETED
    steps = [e.step.index for e in recorder.events() if isinstance(e, StepStarted)]
    assert steps == list(range(len(driver.scheduler.plan.steps)))
    late = [e.late_ms for e in recorder.events() if isinstance(e, StepStarted)]
    assert max(late) == 0


def test_early_wake_up_emits_nothing_and_rearms(driver: SchedulerDriver, clock: FakeClock) -> None:
    driver.start()
    recorder = Recorder(driver)
    interval = driver.timer.interval()
    assert interval > 1
    clock.advance(interval - 0.4)
    driver.poll_now()
    assert recorder.seen == []
    assert driver.timer.isActive()
    assert driver.timer.interval() == 1


def test_pause_stops_the_timer_and_resume_rearms(driver: SchedulerDriver, clock: FakeClock) -> None:
    recorder = Recorder(driver)
    driver.start()
    clock.advance(300)
    driver.toggle_pause()
    assert driver.scheduler.state is State.PAUSED
    assert not driver.timer.isActive()
    clock.advance(60_000)
    driver.poll_now()
    assert driver.scheduler.position_ms() == pytest.approx(300)
    recorder.clear()
    driver.toggle_pause()
    assert recorder.events() == [StateChanged(State.PAUSED, State.GET_READY)]
    assert driver.timer.isActive()
    assert driver.timer.interval() == expected_interval(driver, clock)


def test_skip_and_back_move_between_exercises(driver: SchedulerDriver, clock: FakeClock) -> None:
    plan = driver.scheduler.plan
    driver.start()
    recorder = Recorder(driver)
    driver.skip()
    started = [e for e in recorder.events() if isinstance(e, StepStarted)]
    assert started[-1].step.index == plan.exercises[1].entry_step
    assert driver.timer.interval() == expected_interval(driver, clock)
    driver.back()
    current = driver.scheduler.current_step
    assert current is not None
    assert current.index == plan.exercises[0].entry_step


@pytest.mark.parametrize(
    ("reason", "outcome"),
    [(StopReason.USER, Outcome.STOPPED), (StopReason.PAIN, Outcome.STOPPED_FOR_PAIN)],
)
def test_stop_finishes_with_the_reason_and_stops_the_timer(
    driver: SchedulerDriver, clock: FakeClock, reason: StopReason, outcome: Outcome
) -> None:
    finished: list[Finished] = []
    driver.finished.connect(finished.append)
    driver.start()
    clock.advance(1500)
    driver.stop(reason)
    assert [f.summary.outcome for f in finished] == [outcome]
    assert driver.scheduler.state is State.STOPPED
    assert not driver.timer.isActive()
    driver.stop(reason)
    assert len(finished) == 1


def test_a_command_from_a_slot_waits_for_the_current_batch(
    driver: SchedulerDriver, clock: FakeClock
) -> None:
    recorder = Recorder(driver)
    plan = driver.scheduler.plan
    first_work = plan.steps[plan.exercises[0].first_step]

    def pause_on_first_work(event: StepStarted) -> None:
        if event.step.index == first_work.index:
            driver.pause()

    driver.step_started.connect(pause_on_first_work)
    driver.start()
    clock.set(clock.monotonic_ms() + first_work.start_ms)
    driver.poll_now()
    events = recorder.events()
    paused_at = events.index(StateChanged(State.RUNNING, State.PAUSED))
    entered = next(
        i
        for i, e in enumerate(events)
        if isinstance(e, StepStarted) and e.step.index == first_work.index
    )
    assert entered < paused_at
    assert all(not isinstance(e, StepStarted) for e in events[paused_at:])
    assert driver.scheduler.state is State.PAUSED
    assert not driver.timer.isActive()


@pytest.mark.slow
def test_real_event_loop_runs_the_session_and_sleeps_between_deadlines(qtbot: QtBot) -> None:
    """The real timer on the system clock delivers every step, never early, and sleeps until
    the next deadline instead of spinning. How late it wakes depends on the machine's load:
    bench/cues.py and bench/drift.py measure that, not this test."""
    plan = make_plan(TINY)
    driver = SchedulerDriver(plan)
    events: list[Event] = []
    driver.any_event.connect(events.append)
    delivered_at_wake: list[int] = []  # events delivered by each wake-up of the timer
    seen = 0

    def woke() -> None:  # connected after the driver's own slot: runs once it has polled
        nonlocal seen
        delivered_at_wake.append(len(events) - seen)
        seen = len(events)

    driver.timer.timeout.connect(woke)
    with qtbot.waitSignal(driver.finished, timeout=plan.total_ms + 30_000) as blocker:
        driver.start()
        seen = len(events)
    assert blocker.args is not None
    assert blocker.args[0].summary.outcome is Outcome.COMPLETED
    started = [e for e in events if isinstance(e, StepStarted)]
    assert [e.step.index for e in started] == list(range(len(plan.steps)))
    assert all(e.late_ms >= 0 for e in started)
    empty = delivered_at_wake.count(0)
    # An early wake-up (clock rounding) re-arms for the rest; a spinning timer would wake
    # thousands of times with nothing to deliver.
    assert empty <= len(delivered_at_wake) - empty, delivered_at_wake
    assert not driver.timer.isActive()
