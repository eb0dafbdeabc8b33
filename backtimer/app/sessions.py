"""How every front end assembles a session: one factory, the same answers everywhere.

:class:`SessionFactory` takes a routine (or a :class:`~backtimer.app.routine_ref.RoutineRef`
to a library id or a file), the settings and what this launch asked for
(:class:`SessionOptions`: ``--get-ready``, ``--voice``, ``--rate``, ``--volume``,
``--cue-log`` …) and returns a :class:`PreparedSession`: the reps of each exercise with
the reason for it (history plus pins, :func:`~backtimer.app.reps.reps_decisions`), the
plan settings, the sound settings, and the phrases the voice must have ready. A
:class:`SessionRecording` writes the session to the history as under way at its start
and finished at its end, and says whether that could be saved; after a pain stop,
:meth:`SessionRecording.note_pain` adds what hurt to the saved record.

No Qt, no audio library: the window, the break window and the terminal runner each turn
a prepared session into what they show or play.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from backtimer import __version__
from backtimer.app.options import SessionOptions
from backtimer.app.reps import reps_decisions
from backtimer.app.routine_ref import RoutineRef
from backtimer.core.plan.compiler import PlanSettings, compile_plan
from backtimer.core.plan.phrases import estimate_speech_ms
from backtimer.core.plan.timeline import Plan, spoken_texts
from backtimer.core.settings import AudioSettings, Settings

if TYPE_CHECKING:
    from backtimer.core.history.overrides import RepsOverrides
    from backtimer.core.history.progression import Decision
    from backtimer.core.history.recorder import SessionHistory
    from backtimer.core.history.records import SessionKind, SessionRecord
    from backtimer.core.routine.library import Library
    from backtimer.core.routine.model import Routine
    from backtimer.core.scheduler import Summary

log = logging.getLogger(__name__)

#: The local time now (aware); tests pass a fixed one.
Now = Callable[[], datetime]


def local_now() -> datetime:
    """The current local time, with its offset."""
    return datetime.now().astimezone()


def phrases_to_render(routine: Routine, settings: PlanSettings) -> list[str]:
    """Every phrase a session of ``routine`` may say, for the voice to render first."""
    return spoken_texts(compile_plan(routine, settings))


def timed_plan(
    routine: Routine,
    settings: PlanSettings,
    real_duration: Callable[[str], int | None] | None = None,
) -> Plan:
    """The plan, timed with the real length of each phrase where ``real_duration`` knows it
    (estimates elsewhere), so that rests make room for what is said."""
    if real_duration is None:
        return compile_plan(routine, settings)

    def phrase_ms(text: str) -> int:
        known = real_duration(text)
        return known if known is not None else estimate_speech_ms(text)

    return compile_plan(routine, replace(settings, phrase_ms=phrase_ms))


@dataclass(frozen=True, slots=True)
class PreparedSession:
    """Everything a front end needs to run one session of a routine."""

    routine: Routine
    decisions: dict[str, Decision]
    plan_settings: PlanSettings
    audio: AudioSettings
    cue_log: Path | None = None
    problems: tuple[str, ...] = field(default=())
    #: Recorded as a desk break (started by a desk-break reminder, or a desk-break routine).
    desk_break: bool = False

    @property
    def reasons(self) -> dict[str, str]:
        """Why each exercise uses its reps, by exercise id."""
        return {exercise_id: decision.reason for exercise_id, decision in self.decisions.items()}

    def phrases(self) -> list[str]:
        """Every phrase a session may say, for the voice to render first."""
        return phrases_to_render(self.routine, self.plan_settings)

    def plan(self, real_duration: Callable[[str], int | None] | None = None) -> Plan:
        """The plan, timed with the real length of each phrase where ``real_duration`` knows it."""
        return timed_plan(self.routine, self.plan_settings, real_duration)


class SessionRecording:
    """One session's record in the history: under way at its start, finished at its end.

    ``desk_break``: the session is a desk break (never counted toward the weekly goal);
    otherwise a routine in the desk-break category makes it one.
    """

    def __init__(
        self,
        history: SessionHistory | None,
        routine: Routine,
        now: Now,
        desk_break: bool = False,
    ) -> None:
        self._history = history
        self._routine = routine
        self._now = now
        self._desk_break = desk_break
        self._record: SessionRecord | None = None
        #: The record as saved at the end (what :meth:`note_pain` rewrites).
        self._finished: SessionRecord | None = None
        self._pain: tuple[str, str] | None = None
        #: Why the record could not be saved, or None while everything was saved.
        self.problem: str | None = None

    def _kind(self) -> SessionKind:
        from backtimer.core.history.records import SessionKind
        from backtimer.core.routine.kinds import Category

        if self._desk_break or self._routine.category is Category.DESK_BREAK:
            return SessionKind.DESK_BREAK
        return SessionKind.WORKOUT

    def start(self) -> bool:
        """Write the session as under way (a crash shows later); False if not saved."""
        from backtimer.core.history.session_log import begin_record

        routine = self._routine
        record = begin_record(routine.id, routine.title, self._now(), __version__, self._kind())
        self._record = record
        return self._save(lambda store: store.start_session(record))

    def finish(self, summary: Summary) -> bool:
        """Write the finished session; False (and :attr:`problem`) if it was not saved."""
        from backtimer.core.history.session_log import end_record

        begun, self._record = self._record, None
        if begun is None:
            return self._history is None
        finished = end_record(begun, summary, self._now())
        if self._pain is not None:
            finished = replace(finished, pain_area=self._pain[0], pain_note=self._pain[1])
        self._finished = finished
        return self._save(lambda store: store.finish_session(finished))

    def note_pain(self, area: str, note: str) -> None:
        """Keep what hurt (``area``, e.g. "lower back") and the user's ``note`` with the session.

        Meant for the summary page's ``pain_reported(area, note)`` after a pain stop: the
        main window connects it to the recording of the session that just ended. The
        saved record is rewritten (atomically, replacing it by its id); called while the
        session still runs, the note is saved with its end. Both texts are trimmed and cut
        to what a record holds. A failed write sets :attr:`problem`; nothing is raised.
        """
        from backtimer.core.history.record_rules import MAX_PAIN_AREA_LENGTH, MAX_PAIN_NOTE_LENGTH

        self._pain = (
            _bounded(area, MAX_PAIN_AREA_LENGTH),
            _bounded(note, MAX_PAIN_NOTE_LENGTH),
        )
        finished = self._finished
        if finished is None:
            return  # saved with the session's end
        noted = replace(finished, pain_area=self._pain[0], pain_note=self._pain[1])
        self._finished = noted
        self._save(lambda store: store.finish_session(noted))

    def _save(self, write: Callable[..., object]) -> bool:
        if self._history is None:
            return True
        if self._history.save(write):
            return True
        problems = self._history.problems
        self.problem = problems[-1] if problems else "the history could not be written"
        return False


def _bounded(text: str, limit: int) -> str:
    """``text`` trimmed, without unpaired surrogates, and at most ``limit`` characters."""
    clean = text.encode("utf-8", "replace").decode("utf-8").strip()
    return clean[:limit].rstrip()


class SessionFactory:
    """Prepares sessions for every front end from the library, the history and the pins."""

    def __init__(
        self,
        library: Callable[[], Library | None],
        history: SessionHistory | None = None,
        pins: RepsOverrides | None = None,
        now: Now = local_now,
    ) -> None:
        self._library = library
        self.history = history
        self._pins = pins
        self._now = now

    def routine(self, ref: RoutineRef) -> Routine:
        """The routine ``ref`` names (RoutineFileError or RoutineNotFoundError if none)."""
        return ref.resolve(self._library())

    def decisions(self, routine: Routine, *, with_pins: bool = True) -> dict[str, Decision]:
        """The reps each counted exercise of ``routine`` uses now, and why; without the
        pins (``with_pins=False``), what the history alone gives (the reps dialog)."""
        history = self.history
        sessions_since = None
        if history is not None:

            def sessions_since(since: datetime) -> list[SessionRecord]:
                return history.store.sessions(since=since)

        pins_of = self._pins.pins if self._pins is not None and with_pins else None
        return reps_decisions(routine, sessions_since, pins_of, self._now())

    def prepare(
        self, routine: Routine, settings: Settings, options: SessionOptions | None = None
    ) -> PreparedSession:
        """A session of ``routine`` as ``settings`` and ``options`` ask for."""
        options = options or SessionOptions()
        chosen = options.settings(settings)
        decisions = self.decisions(routine)
        plan_settings = PlanSettings(
            get_ready_seconds=chosen.get_ready_seconds,
            announce_next=chosen.audio.announce_next,
            reps={exercise_id: decision.reps for exercise_id, decision in decisions.items()},
        )
        problems = tuple(self._pins.problems) if self._pins is not None else ()
        return PreparedSession(
            routine,
            decisions,
            plan_settings,
            chosen.audio,
            options.cue_log,
            problems,
            desk_break=options.desk_break,
        )

    def recording(self, routine: Routine, *, desk_break: bool = False) -> SessionRecording:
        """The history record of one session of ``routine`` (``desk_break``: a desk break,
        whatever the routine)."""
        return SessionRecording(self.history, routine, self._now, desk_break)
