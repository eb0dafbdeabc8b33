"""Drive the core scheduler from the Qt event loop.

The core :class:`~backtimer.core.scheduler.Scheduler` never waits; it says when it next has
something to report. :class:`SchedulerDriver` keeps one precise single-shot timer armed for
that moment and turns the core's plain events into Qt signals. All timing decisions stay in
the core: a late or early wake-up costs at most one event's lateness, never drift.
"""

from __future__ import annotations

import math
from collections import deque

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from backtimer.core.clock import MonotonicClock, SystemClock
from backtimer.core.plan.timeline import Plan
from backtimer.core.scheduler import (
    CountdownSecond,
    CueDue,
    Event,
    Finished,
    Scheduler,
    StateChanged,
    StepStarted,
    StopReason,
)


class SchedulerDriver(QObject):
    """A thin adapter: commands go to the core, due events come out as signals.

    Every event is emitted on its own signal (``step_started``, ``countdown``, ``cue_due``,
    ``state_changed``, ``finished``) and then on ``any_event``. Commands issued from a slot
    while events are being emitted are queued, so listeners always see events in order.
    """

    step_started = Signal(object)  #: StepStarted
    countdown = Signal(object)  #: CountdownSecond
    cue_due = Signal(object)  #: CueDue
    state_changed = Signal(object)  #: StateChanged
    finished = Signal(object)  #: Finished
    any_event = Signal(object)  #: every event, after its own signal

    def __init__(
        self, plan: Plan, clock: MonotonicClock | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._clock: MonotonicClock = clock if clock is not None else SystemClock()
        self._scheduler = Scheduler(plan, self._clock)
        self._pending: deque[Event] = deque()
        self._dispatching = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self.poll_now)

    @property
    def scheduler(self) -> Scheduler:
        """The core scheduler (for queries; send commands through the driver)."""
        return self._scheduler

    @property
    def clock(self) -> MonotonicClock:
        """The clock the scheduler runs on."""
        return self._clock

    @property
    def timer(self) -> QTimer:
        """The one timer, armed for the core's next deadline (exposed for tests)."""
        return self._timer

    # -- commands -------------------------------------------------------------------------

    def start(self) -> None:
        """Begin the session."""
        self._run(self._scheduler.start())

    def pause(self) -> None:
        """Pause the session."""
        self._run(self._scheduler.pause())

    def resume(self) -> None:
        """Resume a paused session."""
        self._run(self._scheduler.resume())

    def toggle_pause(self) -> None:
        """Pause a running session, resume a paused one."""
        self._run(
            self._scheduler.pause() if self._scheduler.is_active else self._scheduler.resume()
        )

    def skip(self) -> None:
        """Go on to the next exercise."""
        self._run(self._scheduler.skip())

    def back(self) -> None:
        """Restart this exercise, or go to the previous one."""
        self._run(self._scheduler.back())

    def stop(self, reason: StopReason = StopReason.USER) -> None:
        """End the session early."""
        self._run(self._scheduler.stop(reason))

    def poll_now(self) -> None:
        """Deliver whatever is due now; the timer calls this, tests on a fake clock may too."""
        self._run(self._scheduler.poll())

    # -- internals ------------------------------------------------------------------------

    def _run(self, events: list[Event]) -> None:
        self._pending.extend(events)
        if not self._dispatching:
            self._dispatching = True
            try:
                while self._pending:
                    self._emit(self._pending.popleft())
            finally:
                self._dispatching = False
        self._rearm()

    def _emit(self, event: Event) -> None:
        if isinstance(event, StepStarted):
            self.step_started.emit(event)
        elif isinstance(event, CountdownSecond):
            self.countdown.emit(event)
        elif isinstance(event, CueDue):
            self.cue_due.emit(event)
        elif isinstance(event, StateChanged):
            self.state_changed.emit(event)
        elif isinstance(event, Finished):
            self.finished.emit(event)
        self.any_event.emit(event)

    def _rearm(self) -> None:
        """Arm the timer for the next deadline (an early wake-up just re-arms)."""
        deadline = self._scheduler.next_deadline()
        if deadline is None:
            self._timer.stop()
            return
        self._timer.start(max(0, math.ceil(deadline - self._clock.monotonic_ms())))
