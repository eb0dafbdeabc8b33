"""Follow a routine by ear in the terminal: ``backtimer run ROUTINE --no-window``.

The same plan and scheduler as the window, driven by a plain loop that sleeps until the
scheduler's next deadline. Each step prints a line; on a terminal a progress bar keeps the
bottom line. Ctrl+C stops the session cleanly. ``--cue-log FILE`` writes one JSON line
per cue with its scheduled and actual time, for checking that cues are on time.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from backtimer import __version__
from backtimer.core.clock import MonotonicClock, SystemClock
from backtimer.core.history.overrides import RepsOverrides
from backtimer.core.history.progression import with_pins
from backtimer.core.history.session_log import begin_record, end_record
from backtimer.core.paths import AppPaths
from backtimer.core.plan.compiler import PlanSettings, compile_plan
from backtimer.core.plan.describe import OUTCOME_WORDS, STEP_WORDS, describe_step, format_duration
from backtimer.core.plan.phrases import estimate_speech_ms
from backtimer.core.plan.timeline import Cue, Plan, spoken_texts
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
from backtimer.core.settings import AudioSettings

if TYPE_CHECKING:
    from backtimer.audio.speech import SpeechService
    from backtimer.core.history.recorder import SessionHistory
    from backtimer.core.history.store import HistoryStore
    from backtimer.core.routine.model import Routine


#: Plays a cue now (the audio layer), or does nothing in tests.
CuePlayer = Callable[[Cue], None]

BAR_WIDTH = 30
#: The exit code of a session that was completed but could not be saved to the history.
EXIT_NOT_SAVED = 1


def build_plan(
    routine: Routine,
    settings: PlanSettings,
    real_duration: Callable[[str], int | None] | None,
) -> Plan:
    """Compile with real phrase lengths where known, estimates elsewhere."""
    if real_duration is None:
        return compile_plan(routine, settings)

    def phrase_ms(text: str) -> int:
        known = real_duration(text)
        return known if known is not None else estimate_speech_ms(text)

    return compile_plan(
        routine,
        PlanSettings(
            get_ready_seconds=settings.get_ready_seconds,
            reps=settings.reps,
            announce_next=settings.announce_next,
            phrase_ms=phrase_ms,
        ),
    )


def phrases_to_render(routine: Routine, settings: PlanSettings) -> list[str]:
    """Every phrase a session of ``routine`` may say."""
    return spoken_texts(compile_plan(routine, settings))


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


def _open_history(paths: AppPaths) -> SessionHistory | None:
    """The history, or None (with a message) when another backtimer is writing it."""
    from backtimer.core.history.lock import AlreadyRunningError
    from backtimer.core.history.recorder import SessionHistory

    try:
        history = SessionHistory.open_as_writer(paths.data)
    except AlreadyRunningError:
        print("backtimer is already running: this session is not recorded.", file=sys.stderr)
        return None
    for problem in history.problems:
        print(f"backtimer: {problem}", file=sys.stderr)
    return history


def _pins(paths: AppPaths, routine_id: str) -> dict[str, int]:
    """The reps the user pinned for the routine's exercises (problems go to stderr)."""
    overrides = RepsOverrides.for_data(paths.data)
    pins = overrides.pins(routine_id)
    for problem in overrides.problems:
        print(f"backtimer: {problem}", file=sys.stderr)
    return pins


def _save(history: SessionHistory, write: Callable[[HistoryStore], object]) -> str | None:
    """Run one write to the history; why it failed (for the user), or None once saved."""
    try:
        write(history.store)
    except (OSError, ValueError) as error:  # a failed write, or a record it cannot take
        return str(error) or type(error).__name__
    return None


def run_in_terminal(
    paths: AppPaths,
    routine: Routine,
    plan_settings: PlanSettings,
    audio: AudioSettings,
    cue_log_path: Path | None,
    *,
    clock: MonotonicClock | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """``backtimer run ROUTINE --no-window``: prepare the voice, then follow the routine.

    Returns 0 when the routine was completed and recorded, 130 when it was stopped with
    Ctrl+C, :data:`EXIT_NOT_SAVED` when it was completed but could not be saved to the
    history (said on stderr). ``clock`` and ``sleep`` drive the session (tests pass fakes).
    """
    from backtimer.audio.cues import CueSounds
    from backtimer.audio.player import open_player
    from backtimer.audio.speech import SpeechService

    interactive = sys.stdout.isatty()
    speech = (
        SpeechService(paths.cache, voice=audio.voice, rate=audio.rate, volume=audio.volume)
        if audio.speech
        else None
    )
    unsaved: str | None = None
    try:
        # Progression first: the reps are part of what is said ("5 times").
        history = _open_history(paths)
        plan_settings = _with_reps(paths, routine, plan_settings, history)
        real_duration = None
        if speech is not None:
            _prepare_voice(speech, phrases_to_render(routine, plan_settings), interactive)
            real_duration = speech.duration_ms
        plan = build_plan(routine, plan_settings, real_duration)
        begun = begin_record(routine.id, routine.title, datetime.now().astimezone(), __version__)
        if history is not None:
            problem = _save(history, lambda store: store.start_session(begun))
            if problem is not None:
                print(
                    f"backtimer: the start of the session was not saved: {problem}", file=sys.stderr
                )
        sounds = CueSounds(open_player(), speech, audio)
        log_file = cue_log_path.open("w", encoding="utf-8") if cue_log_path else None
        try:
            session = TerminalSession(
                plan,
                sounds.play,
                out=sys.stdout,
                cue_log=log_file,
                progress_bar=interactive,
                intro=f"{plan.title}: {format_duration(plan.total_ms)}. Ctrl+C stops.",
                sleep=sleep,
                clock=clock if clock is not None else SystemClock(),
            )
            summary = session.run()
            if history is not None:
                ended = end_record(begun, summary, datetime.now().astimezone())
                unsaved = _save(history, lambda store: store.finish_session(ended))
        finally:
            sounds.stop()
            if log_file is not None:
                log_file.close()
    finally:
        if speech is not None:
            speech.close()
    if unsaved is not None:
        print(
            f"backtimer: the session could not be saved to the history: {unsaved}", file=sys.stderr
        )
    if summary.outcome is not Outcome.COMPLETED:
        return 130
    return EXIT_NOT_SAVED if unsaved is not None else 0


def _with_reps(
    paths: AppPaths, routine: Routine, settings: PlanSettings, history: SessionHistory | None
) -> PlanSettings:
    """``settings`` with the reps the history and the pins give (each said with its reason)."""
    decisions = history.progression(routine) if history is not None else {}
    decisions = with_pins(routine, decisions, _pins(paths, routine.id))
    if not decisions:
        return settings
    for exercise in routine.exercises:
        if exercise.id in decisions:
            print(f"{exercise.name}: {decisions[exercise.id].reason}")
    return replace(settings, reps={key: d.reps for key, d in decisions.items()})


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
