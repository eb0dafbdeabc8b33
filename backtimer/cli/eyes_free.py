"""Follow a routine by ear in the terminal: ``backtimer run ROUTINE --no-window``.

The same plan and scheduler as the window, driven by a plain loop that sleeps until the
scheduler's next deadline. Each step prints a line; on a terminal a progress bar keeps the
bottom line. Ctrl+C stops the session cleanly. ``--cue-log FILE`` writes one JSON line
per cue with its scheduled and actual time, for checking that cues are on time. When there
is no sound device or no speech engine, or speech turns off mid-session, a line on stderr
says so and what to do.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TextIO

from backtimer.app.options import SessionOptions
from backtimer.app.sessions import PreparedSession, SessionFactory
from backtimer.core.clock import MonotonicClock, SystemClock
from backtimer.core.history.overrides import RepsOverrides
from backtimer.core.paths import AppPaths
from backtimer.core.plan.describe import OUTCOME_WORDS, STEP_WORDS, describe_step, format_duration
from backtimer.core.plan.timeline import Cue, Plan
from backtimer.core.scheduler import (
    CountdownSecond,
    CueDue,
    Event,
    Finished,
    Outcome,
    Scheduler,
    StepStarted,
    StopReason,
    Summary,
)
from backtimer.core.settings import Settings

if TYPE_CHECKING:
    from backtimer.audio.speech import SpeechService
    from backtimer.audio.status import SoundWatch
    from backtimer.core.history.recorder import SessionHistory
    from backtimer.core.routine.model import Routine


#: Plays a cue now (the audio layer), or does nothing in tests.
CuePlayer = Callable[[Cue], None]

BAR_WIDTH = 30
#: The exit code of a session that was completed but could not be saved to the history.
EXIT_NOT_SAVED = 1


@dataclass
class TerminalSession:
    """Runs one plan to its end, printing as it goes."""

    plan: Plan
    play: CuePlayer
    out: TextIO = sys.stdout
    clock: MonotonicClock = field(default_factory=SystemClock)
    cue_log: TextIO | None = None
    progress_bar: bool = False
    #: Waits this many seconds; tests pass one that moves a fake clock instead.
    sleep: Callable[[float], None] = time.sleep
    #: Printed when the session starts, once Ctrl+C is handled by the session.
    intro: str = ""
    summary: Summary | None = None
    #: The session's scheduler, for callers that need its clock mapping (set by run()).
    scheduler: Scheduler = field(init=False)
    _start_ms: float = field(init=False, default=0.0)

    def run(self) -> Summary:
        """Run the session; Ctrl+C stops it. Returns what was done."""
        scheduler = Scheduler(self.plan, self.clock)
        self._start_ms = self.clock.monotonic_ms()
        self.scheduler = scheduler
        try:
            if self.intro:
                self.out.write(self.intro + "\n")
            self._handle(scheduler.start())
            while self.summary is None:
                deadline = scheduler.next_deadline()
                if deadline is None:
                    break
                wait_ms = deadline - self.clock.monotonic_ms()
                if wait_ms > 0:
                    self.sleep(wait_ms / 1000)
                self._handle(scheduler.poll())
        except KeyboardInterrupt:
            self._handle(scheduler.stop(StopReason.USER))
            if self.summary is None:  # Ctrl+C before the first step began
                self._handle([Finished(scheduler.summary(Outcome.STOPPED))])
        assert self.summary is not None
        return self.summary

    # -- output -------------------------------------------------------------------------

    def _elapsed(self) -> str:
        seconds = int((self.clock.monotonic_ms() - self._start_ms) // 1000)
        return f"{seconds // 60}:{seconds % 60:02d}"

    def _clear_bar(self) -> None:
        if self.progress_bar:
            self.out.write("\r\x1b[2K")

    def _draw_bar(self) -> None:
        if not self.progress_bar:
            return
        position = self.scheduler.position_ms()
        done = position / self.plan.total_ms if self.plan.total_ms else 1.0
        filled = round(done * BAR_WIDTH)
        left = format_duration(self.plan.total_ms - position)
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        self.out.write(f"\r[{bar}] {done * 100:3.0f}%  {left} left")
        self.out.flush()

    def _handle(self, events: list[Event]) -> None:
        for event in events:
            if isinstance(event, CueDue):
                started = self.clock.monotonic_ms()
                self.play(event.cue)
                self._log_cue(event.cue, started)
            elif isinstance(event, StepStarted):
                self._clear_bar()
                step = event.step
                detail = describe_step(self.plan, step)
                line = f"{self._elapsed():>6}  {STEP_WORDS[step.kind]}"
                line += f" ({format_duration(step.duration_ms)})"
                self.out.write(f"{line}  {detail}\n" if detail else f"{line}\n")
                self._draw_bar()
            elif isinstance(event, CountdownSecond):
                self._draw_bar()
            elif isinstance(event, Finished):
                self._clear_bar()
                self.summary = event.summary
                self._print_summary(event.summary)
        self.out.flush()

    def _log_cue(self, cue: Cue, started_ms: float) -> None:
        """One JSON line: when the cue was due and when its sound started, from the start."""
        if self.cue_log is None:
            return
        record = {
            "scheduled_ms": round(self.scheduler.clock_time_of(cue.at_ms) - self._start_ms, 3),
            "actual_ms": round(started_ms - self._start_ms, 3),
            "kind": "speech" if cue.is_speech else "beep",
            "text": cue.text if cue.is_speech else cue.beep,
            "plan_ms": cue.at_ms,
        }
        self.cue_log.write(json.dumps(record) + "\n")
        self.cue_log.flush()

    def _print_summary(self, summary: Summary) -> None:
        headline, line = OUTCOME_WORDS[summary.outcome]
        self.out.write(f"\n{headline} {line}.\n")
        self.out.write(f"Active time {format_duration(summary.active_ms)}.\n")
        for result in summary.exercises:
            reps = f", {result.reps_done}/{result.reps_planned} reps" if result.reps_planned else ""
            self.out.write(f"  {result.status.value:<12} {result.name}{reps}\n")


def _prepare_voice(speech: SpeechService, texts: list[str], interactive: bool) -> None:
    """Render the phrases not in the cache yet, showing progress on a terminal."""
    missing = [text for text in texts if speech.cached(text) is None]
    if not missing:
        return
    print(f"Preparing the voice: {len(missing)} phrases…", flush=True)

    def progress(done: int, total: int) -> None:
        if interactive:
            print(f"\r  {done}/{total}", end="", flush=True)

    speech.prerender(texts, progress)
    if interactive:
        print()


def _tell_sound(watch: SoundWatch) -> None:
    """Say on stderr, once each, what is newly wrong with sound and what to do."""
    for issue in watch.check():
        print(f"backtimer: {issue.value}", file=sys.stderr, flush=True)


def _open_history(paths: AppPaths) -> SessionHistory | None:
    """The history, or None (with a message) when another backtimer is writing it."""
    from backtimer.core.history.lock import AlreadyRunningError
    from backtimer.core.history.recorder import SessionHistory

    try:
        history = SessionHistory.open_as_writer(paths.data)
    except AlreadyRunningError:
        print("backtimer is already running: this session is not recorded.", file=sys.stderr)
        return None
    _report(history.problems)
    return history


def _report(problems: Iterable[str]) -> None:
    for problem in problems:
        print(f"backtimer: {problem}", file=sys.stderr)


def stored_settings(paths: AppPaths) -> Settings:
    """The user's settings, the base that the command line's options change."""
    from backtimer.core.store.settings_store import SettingsStore

    store = SettingsStore.for_paths(paths)
    settings = store.load()
    _report(store.problems)
    return settings


def _prepare(
    paths: AppPaths, routine: Routine, options: SessionOptions, history: SessionHistory | None
) -> tuple[SessionFactory, PreparedSession]:
    """The session as the settings, the options, the history and the pins make it."""
    factory = SessionFactory(lambda: None, history, RepsOverrides.for_data(paths.data))
    prepared = factory.prepare(routine, stored_settings(paths), options)
    _report(prepared.problems)
    # The reps are part of what is said ("5 times"): say where each count comes from.
    for exercise in routine.exercises:
        decision = prepared.decisions.get(exercise.id)
        if decision is not None:
            print(f"{exercise.name}: {decision.reason}")
    return factory, prepared


def run_in_terminal(
    paths: AppPaths,
    routine: Routine,
    options: SessionOptions,
    *,
    clock: MonotonicClock | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """``backtimer run ROUTINE --no-window``: prepare the voice, then follow the routine.

    Returns 0 when the routine was completed and recorded, 130 when it was stopped with
    Ctrl+C, :data:`EXIT_NOT_SAVED` when it was completed but could not be saved to the
    history (said on stderr). ``clock`` and ``sleep`` drive the session (tests pass fakes).
    """
    from backtimer.audio.speech import speech_for

    history = _open_history(paths)
    factory, prepared = _prepare(paths, routine, options, history)
    audio = prepared.audio
    speech = speech_for(paths.cache, audio)
    try:
        real_duration = None
        if speech is not None:
            _prepare_voice(speech, prepared.phrases(), sys.stdout.isatty())
            real_duration = speech.duration_ms
        recording = factory.recording(routine)
        if not recording.start():
            print(
                f"backtimer: the start of the session was not saved: {recording.problem}",
                file=sys.stderr,
            )
        summary = _follow(prepared, prepared.plan(real_duration), speech, clock, sleep)
        saved = recording.finish(summary)
    finally:
        if speech is not None:
            speech.close()
    if not saved:
        print(
            f"backtimer: the session could not be saved to the history: {recording.problem}",
            file=sys.stderr,
        )
    if summary.outcome is not Outcome.COMPLETED:
        return 130
    return 0 if saved else EXIT_NOT_SAVED


def _follow(
    prepared: PreparedSession,
    plan: Plan,
    speech: SpeechService | None,
    clock: MonotonicClock | None,
    sleep: Callable[[float], None],
) -> Summary:
    """Run the session with its sound, a line per step and the cue log; its summary."""
    from backtimer.audio.cues import CueSounds
    from backtimer.audio.player import open_player
    from backtimer.audio.status import SoundWatch

    player = open_player()
    sounds = CueSounds(player, speech, prepared.audio)
    watch = SoundWatch(player, speech if prepared.audio.speech else None)
    _tell_sound(watch)

    def play(cue: Cue) -> None:
        sounds.play(cue)
        _tell_sound(watch)

    log_path = prepared.cue_log
    log_file = log_path.open("w", encoding="utf-8") if log_path is not None else None
    try:
        session = TerminalSession(
            plan,
            play,
            out=sys.stdout,
            cue_log=log_file,
            progress_bar=sys.stdout.isatty(),
            intro=f"{plan.title}: {format_duration(plan.total_ms)}. Ctrl+C stops.",
            sleep=sleep,
            clock=clock if clock is not None else SystemClock(),
        )
        return session.run()
    finally:
        sounds.stop()
        if log_file is not None:
            log_file.close()
