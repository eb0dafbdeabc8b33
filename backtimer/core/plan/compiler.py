"""Compile a routine into a :class:`~backtimer.core.plan.timeline.Plan`.

The rules, in the order they apply:

* A session opens with a get-ready step that names the first exercise; each later
  exercise is led in by a rest (the routine's ``rest_between_exercises``) during which the
  next exercise is announced. A rest too short for its announcement is lengthened so the
  phrase, a short silence and the 3-2-1 count-in all fit; with no rest at all an
  *announce* step, just long enough for the phrase, takes its place.
* Where a lead-in has a count-in (get-ready, rests), the announcement is followed by the
  exercise's first step ("Next: Bridge. 5 times. Lie on your back, knees bent.") when both
  fit before the count-in as the lead-in stands; otherwise the announcement is said alone
  (and the lead-in is lengthened for it if needed). With ``announce_next`` off the first
  step is not read.
* Reps start on the inhale (the movement), may hold, and end on the exhale (the return).
  The exercise's ``inhale``, ``hold`` and ``exhale`` cues replace "Breathe in.", "Hold."
  and "Breathe out.". The first rep says its side (if any) and the inhale cue, and its
  inhale lasts as long as that takes. Later reps count *with* the breath, as one phrase:
  "Two. Lift your hips." Sets of 8 or more say "Three to go." instead of the number when
  three reps are left (this one and two more), and the last rep of a set of 2 or more says
  "Last one."; alternating sides say the side instead of the number. The longest of
  "<head> <inhale cue>", "<head> Breathe in." and "<head>" that fits in the inhale is said;
  the last rep's inhale is lengthened if even "Last one." does not fit. A later rep's cue
  waits for any speech before it that runs over into its inhale. Every phrase weighed is kept in
  ``Plan.alternative_texts`` so it is rendered before the session.
* A timed exercise with a breathing pattern is paced as breath cycles, counted like reps;
  its ``start`` cue is said with the first inhale and, for 20 s or more of 4 cycles or
  more, its ``halfway`` cue (or "Halfway.") in place of the number of the middle cycle
  (the one starting at or just before half the time); without one it is a single *work*
  step that opens with its ``start`` cue (after the side, if any) in place of "Go." when
  that fits before the 3-2-1.
* A hold opens with the exercise's ``hold`` cue, or, when it has none, its ``start`` cue
  (what to keep doing as the hold starts), when that fits before the 3-2-1; otherwise
  the first hold is named with its length ("Hold for 20 seconds.") and later ones "Hold.".
* Holds and timed work of 5 s or more end with a spoken "3, 2, 1"; those of 20 s or more
  get the exercise's ``halfway`` cue, or "Halfway.". Side switches and set changes are
  announced in their own steps.
* Spoken cues never overlap: each keeps a short silence around it. When two would
  overlap, the one whose role has the higher :data:`ROLE_PRIORITY` stays and the other is
  dropped (kept in ``Plan.dropped_cues`` for inspection); on a tie, the earlier one stays.
  Beeps are not spoken and are never dropped.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

from backtimer.core.plan import phrases
from backtimer.core.plan.phrases import PhraseTimer, estimate_speech_ms
from backtimer.core.plan.timeline import (
    ROLE_PRIORITY,
    Beep,
    Cue,
    CueRole,
    Plan,
    PlannedExercise,
    Side,
    Step,
    StepKind,
)
from backtimer.core.routine.kinds import Kind, Sides

if TYPE_CHECKING:
    from backtimer.core.routine.model import Exercise, Routine

#: Silence kept around every spoken cue.
CUE_GAP_MS: Final = 150
#: Length of a beep; speech that starts with a beep waits for it.
BEEP_MS: Final = 200
#: The 3-2-1 count-in at the end of get-ready and rests.
COUNT_IN_MS: Final = 3000
#: Silence between an announcement and the count-in.
ANNOUNCE_TAIL_MS: Final = 500
#: When an announcement starts in a rest, unless the rest is too short for that.
ANNOUNCE_DELAY_MS: Final = 1000
#: Shortest side-switch step: time to turn over or change legs.
SWITCH_SIDE_MIN_MS: Final = 3000
#: Pace of a rep when the exercise breathes naturally.
NATURAL_INHALE_MS: Final = 2000
NATURAL_EXHALE_MS: Final = 2000
#: Holds and work at least this long end with a spoken 3-2-1.
COUNTDOWN_MIN_MS: Final = 5000
#: Holds and work at least this long get a "halfway".
HALFWAY_MIN_MS: Final = 20000


@dataclass(frozen=True, slots=True)
class PlanSettings:
    """What shapes a plan besides the routine itself."""

    get_ready_seconds: float = 10.0
    #: Reps to use per exercise id (from progression); others start at their range's low end.
    reps: Mapping[str, int] = field(default_factory=dict)
    #: Length of a spoken phrase; the real one when the speech is rendered.
    phrase_ms: PhraseTimer = estimate_speech_ms
    #: Say what comes next and its numbers; when False only the exercise's name is said.
    announce_next: bool = True


@dataclass(slots=True)
class _Draft:
    """A step being built: offsets of its cues are relative to its start."""

    kind: StepKind
    duration_ms: int
    exercise_index: int | None
    set_number: int = 0
    set_count: int = 0
    rep_number: int = 0
    rep_count: int = 0
    side: Side | None = None
    cues: list[Cue] = field(default_factory=list)


def _ms(seconds: float) -> int:
    return round(seconds * 1000)


def _round_up(value_ms: int, unit_ms: int = 100) -> int:
    return int(math.ceil(value_ms / unit_ms) * unit_ms)


class _Compiler:
    def __init__(self, routine: Routine, settings: PlanSettings) -> None:
        self.routine = routine
        self.settings = settings
        self.drafts: list[_Draft] = []
        self.exercise_marks: list[tuple[int, int, int]] = []
        #: The length of the drafts so far, and where the speech among them ends.
        self.length_ms = 0
        self.speech_end_ms = 0
        #: Every phrase weighed for a cue, chosen or not (see ``Plan.alternative_texts``).
        self.weighed: dict[str, None] = {}

    def choose(self, candidates: list[str], fits: Callable[[str], bool]) -> str | None:
        """The first of ``candidates`` that fits; all of them are noted as weighed."""
        self.weighed.update(dict.fromkeys(candidates))
        return next((text for text in candidates if fits(text)), None)

    # -- cues ---------------------------------------------------------------------------

    def speech(self, at_ms: int, role: CueRole, text: str) -> Cue:
        return Cue(at_ms, role, text=text, duration_ms=self.settings.phrase_ms(text))

    @staticmethod
    def beep(at_ms: int, beep: Beep) -> Cue:
        return Cue(at_ms, CueRole.BEEP, beep=beep, duration_ms=BEEP_MS)

    def count_in(self, duration_ms: int) -> list[Cue]:
        """Three ticks in the last three seconds of a lead-in."""
        if duration_ms < COUNT_IN_MS + 1000:
            return []
        return [self.beep(duration_ms - k * 1000, Beep.COUNT) for k in (3, 2, 1)]

    def countdown(self, duration_ms: int, exercise: Exercise) -> list[Cue]:
        """Spoken "3, 2, 1" and a halfway mark (the exercise's own, if any) for long holds
        and work."""
        cues: list[Cue] = []
        if duration_ms >= HALFWAY_MIN_MS:
            text = exercise.cues.halfway or phrases.HALFWAY
            cues.append(self.speech(duration_ms // 2, CueRole.HALFWAY, text))
        if duration_ms >= COUNTDOWN_MIN_MS:
            for k in (3, 2, 1):
                cues.append(
                    self.speech(duration_ms - k * 1000, CueRole.COUNTDOWN, phrases.number_word(k))
                )
        return cues

    # -- steps --------------------------------------------------------------------------

    def add(self, draft: _Draft) -> None:
        self.drafts.append(draft)
        ends = [c.end_ms for c in draft.cues if c.is_speech]
        self.speech_end_ms = max([self.speech_end_ms, *(self.length_ms + end for end in ends)])
        self.length_ms += draft.duration_ms

    def lead_in(self, index: int, exercise: Exercise, reps: int) -> None:
        """Get-ready before the first exercise; a rest or announcement before the others."""
        text = phrases.announce(
            exercise, reps, first=index == 0, detailed=self.settings.announce_next
        )
        rest = _ms(self.routine.rest_between_exercises)
        if index == 0 or rest > 0:
            text = self.with_first_step(text, exercise, index)
        spoken = self.settings.phrase_ms(text)
        tail = spoken + ANNOUNCE_TAIL_MS + COUNT_IN_MS
        if index == 0:
            duration = max(_ms(self.settings.get_ready_seconds), _round_up(tail, 1000))
            cues = [self.speech(0, CueRole.ANNOUNCE, text), *self.count_in(duration)]
            self.add(_Draft(StepKind.GET_READY, duration, index, cues=cues))
            return
        if rest == 0:
            # No rest wanted: just long enough to say what comes next, no count-in.
            duration = _round_up(CUE_GAP_MS + spoken + ANNOUNCE_TAIL_MS)
            cues = [self.speech(CUE_GAP_MS, CueRole.ANNOUNCE, text)]
            self.add(_Draft(StepKind.ANNOUNCE, duration, index, cues=cues))
            return
        duration = max(rest, _round_up(BEEP_MS + CUE_GAP_MS + tail))
        start = min(ANNOUNCE_DELAY_MS, duration - tail)
        cues = [
            self.beep(0, Beep.REST),
            self.speech(start, CueRole.ANNOUNCE, text),
            *self.count_in(duration),
        ]
        self.add(_Draft(StepKind.REST, duration, index, cues=cues))

    def with_first_step(self, text: str, exercise: Exercise, index: int) -> str:
        """The announcement followed by the exercise's first step, when both fit before the
        count-in without lengthening the lead-in; the announcement alone otherwise."""
        if not self.settings.announce_next:
            return text
        longer = f"{text} {exercise.steps[0]}"
        if index == 0:
            room = _ms(self.settings.get_ready_seconds)
        else:
            room = _ms(self.routine.rest_between_exercises) - ANNOUNCE_DELAY_MS
        room -= ANNOUNCE_TAIL_MS + COUNT_IN_MS
        return self.choose([longer], lambda longer: self.settings.phrase_ms(longer) <= room) or text

    def announced_step(
        self,
        kind: StepKind,
        minimum_ms: int,
        role: CueRole,
        text: str,
        exercise: Exercise,
        position: tuple[int, int, Side | None],
    ) -> None:
        """A set rest or side switch that says ``text`` and is long enough to say it.

        ``position`` is the exercise index, set number and side that come next.
        """
        index, set_number, side = position
        cue = self.speech(BEEP_MS, role, text)
        needed = BEEP_MS + cue.duration_ms + ANNOUNCE_TAIL_MS
        if kind is StepKind.SET_REST:
            needed += COUNT_IN_MS  # the 3-2-1 ticks come after the words, not over them
        duration = max(minimum_ms, _round_up(needed))
        cues = [self.beep(0, Beep.REST), cue]
        if kind is StepKind.SET_REST:
            cues += self.count_in(duration)
        self.add(
            _Draft(
                kind,
                duration,
                index,
                set_number=set_number,
                set_count=exercise.sets,
                side=side,
                cues=cues,
            )
        )

    def breath_timing(self, exercise: Exercise) -> tuple[int, int, int]:
        """Inhale, hold and exhale lengths of one rep."""
        breath = exercise.breathing
        inhale = _ms(breath.inhale) if breath else NATURAL_INHALE_MS
        exhale = _ms(breath.exhale) if breath else NATURAL_EXHALE_MS
        if exercise.kind is Kind.HOLD_REPS:
            hold = _ms(exercise.hold_seconds)
        else:
            hold = _ms(breath.hold) if breath else 0
        return inhale, hold, exhale

    def reps_run(
        self,
        index: int,
        exercise: Exercise,
        set_number: int,
        reps: int,
        sides: list[Side | None],
        halfway_rep: int = 0,
    ) -> None:
        """``reps`` reps, each paced inhale → hold → exhale, over the given sides in turn.

        Rep ``halfway_rep`` (if any) opens with the halfway cue rather than its number.
        """
        inhale_ms, hold_ms, exhale_ms = self.breath_timing(exercise)
        count = len(sides)
        for rep, side in enumerate(sides, start=1):

            def step(kind: StepKind, duration: int, cues: list[Cue]) -> _Draft:
                return _Draft(
                    kind,
                    duration,
                    index,
                    set_number=set_number,
                    set_count=exercise.sets,
                    rep_number=rep,  # noqa: B023 - used before the loop moves on
                    rep_count=count,
                    side=side,  # noqa: B023
                    cues=cues,
                )

            if rep == 1:
                cue = self.speech(BEEP_MS, CueRole.BREATH, self.first_breath(exercise, side))
                inhale_cues = [self.beep(0, Beep.GO), cue]
                # The first inhale of a run lasts at least as long as its instruction.
                this_inhale_ms = max(inhale_ms, _round_up(cue.end_ms + CUE_GAP_MS))
            else:
                alternate = exercise.sides is Sides.ALTERNATE and side is not None
                head = phrases.rep_head(rep, count, side.value if alternate and side else None)
                heads = [head]
                if rep == halfway_rep and rep < count:
                    heads.insert(0, exercise.cues.halfway or phrases.HALFWAY)
                cue = self.rep_cue(exercise, heads, inhale_ms)
                inhale_cues = [cue]
                this_inhale_ms = inhale_ms
                if head.startswith(phrases.LAST_ONE):
                    # The last rep is always announced: its inhale makes room for that.
                    this_inhale_ms = max(inhale_ms, _round_up(cue.end_ms + CUE_GAP_MS))
            self.add(step(StepKind.INHALE, this_inhale_ms, inhale_cues))
            if hold_ms > 0:
                hold_text = self.hold_text(exercise, hold_ms, rep)
                hold_cues = [self.speech(0, CueRole.HOLD, hold_text)]
                hold_cues += self.countdown(hold_ms, exercise)
                self.add(step(StepKind.HOLD, hold_ms, hold_cues))
            exhale_cues = []
            offset = 0
            if hold_ms >= COUNTDOWN_MIN_MS:
                exhale_cues.append(self.beep(0, Beep.HOLD_END))
                offset = BEEP_MS
            exhale_text = exercise.cues.exhale or phrases.BREATHE_OUT
            exhale_cues.append(self.speech(offset, CueRole.BREATH, exhale_text))
            self.add(step(StepKind.EXHALE, exhale_ms, exhale_cues))

    @staticmethod
    def first_breath(exercise: Exercise, side: Side | None) -> str:
        """The first rep's instruction: the side, timed work's start cue, the inhale."""
        parts = [phrases.side_start(side.value)] if side is not None else []
        if exercise.kind is Kind.TIMED and exercise.cues.start:
            parts.append(exercise.cues.start)
        parts.append(exercise.cues.inhale or phrases.BREATHE_IN)
        return " ".join(parts)

    def speech_overrun_ms(self) -> int:
        """How far the speech so far (and its silence) runs past the end of the drafts."""
        return max(0, self.speech_end_ms + CUE_GAP_MS - self.length_ms)

    def rep_cue(self, exercise: Exercise, heads: list[str], inhale_ms: int) -> Cue:
        """A later rep's cue: a head with the breath, as much of it as the inhale has room for.

        Tried in turn for each of ``heads``: with the exercise's inhale cue, with "Breathe
        in.", alone. It starts once the speech before it has ended, if that leaves it room.
        """
        start = self.speech_overrun_ms()
        candidates: list[str] = []
        for head in heads:
            candidates.append(phrases.with_breath(head, exercise.cues.inhale or phrases.BREATHE_IN))
            if exercise.cues.inhale:
                candidates.append(phrases.with_breath(head, phrases.BREATHE_IN))
            candidates.append(head)
        head = heads[-1]
        room = inhale_ms - start - CUE_GAP_MS
        chosen = self.choose(candidates, lambda text: self.settings.phrase_ms(text) <= room)
        if chosen is not None:
            return self.speech(start, CueRole.REP, chosen)
        # No room: the last rep's inhale is lengthened for it; other heads may be dropped.
        return self.speech(start if head.startswith(phrases.LAST_ONE) else 0, CueRole.REP, head)

    @staticmethod
    def room_before_countdown(duration_ms: int) -> int:
        """Room for a phrase said as a hold or timed work begins, before its 3-2-1."""
        if duration_ms >= COUNTDOWN_MIN_MS:
            return duration_ms - 3000 - CUE_GAP_MS
        return duration_ms - CUE_GAP_MS

    def hold_text(self, exercise: Exercise, hold_ms: int, rep: int) -> str:
        """The exercise's hold cue (or its start cue) when it fits before the 3-2-1.

        Otherwise the first hold is named with its length when that fits, later ones "Hold.".
        """
        room = self.room_before_countdown(hold_ms)
        own = exercise.cues.hold or exercise.cues.start
        candidates = [own] if own else []
        if rep == 1:
            candidates.append(phrases.hold(hold_ms / 1000))
        chosen = self.choose(candidates, lambda text: self.settings.phrase_ms(text) <= room)
        return chosen or phrases.HOLD

    def timed_run(self, index: int, exercise: Exercise, set_number: int, side: Side | None) -> None:
        """A timed exercise: one work step, or breath cycles when it has a breathing pattern."""
        duration = _ms(exercise.duration_seconds)
        if exercise.breathing is not None:
            inhale_ms, hold_ms, exhale_ms = self.breath_timing(exercise)
            cycles = max(1, round(duration / (inhale_ms + hold_ms + exhale_ms)))
            halfway = cycles // 2 + 1 if duration >= HALFWAY_MIN_MS and cycles >= 4 else 0
            self.reps_run(index, exercise, set_number, cycles, [side] * cycles, halfway)
            return
        text = phrases.side_start(side.value) if side is not None else phrases.GO
        start = exercise.cues.start
        if start:
            own = f"{text} {start}" if side is not None else start
            room = self.room_before_countdown(duration) - BEEP_MS
            text = self.choose([own], lambda own: self.settings.phrase_ms(own) <= room) or text
        cues = [self.beep(0, Beep.GO), self.speech(BEEP_MS, CueRole.BREATH, text)]
        cues += self.countdown(duration, exercise)
        self.add(
            _Draft(
                StepKind.WORK,
                duration,
                index,
                set_number=set_number,
                set_count=exercise.sets,
                side=side,
                cues=cues,
            )
        )

    def exercise(self, index: int, exercise: Exercise, reps: int) -> None:
        entry = len(self.drafts)
        self.lead_in(index, exercise, reps)
        first = len(self.drafts)
        both: list[Side | None] = [Side.RIGHT, Side.LEFT]
        for set_number in range(1, exercise.sets + 1):
            if set_number > 1:
                self.announced_step(
                    StepKind.SET_REST,
                    _ms(exercise.rest_between_sets),
                    CueRole.SET,
                    phrases.next_set(set_number, exercise.sets),
                    exercise,
                    (index, set_number, None),
                )
            if exercise.sides is Sides.EACH:
                for turn, side in enumerate((Side.RIGHT, Side.LEFT)):
                    if turn:
                        self.announced_step(
                            StepKind.SWITCH_SIDE,
                            SWITCH_SIDE_MIN_MS,
                            CueRole.SWITCH_SIDE,
                            exercise.cues.switch_side or phrases.switch_side(side.value),
                            exercise,
                            (index, set_number, side),
                        )
                    self.run(index, exercise, set_number, reps, side)
            elif exercise.sides is Sides.ALTERNATE and exercise.kind is not Kind.TIMED:
                self.reps_run(index, exercise, set_number, reps * 2, both * reps)
            else:
                self.run(index, exercise, set_number, reps, None)
        self.exercise_marks.append((entry, first, len(self.drafts) - 1))

    def run(
        self, index: int, exercise: Exercise, set_number: int, reps: int, side: Side | None
    ) -> None:
        if exercise.kind is Kind.TIMED:
            self.timed_run(index, exercise, set_number, side)
        else:
            self.reps_run(index, exercise, set_number, reps, [side] * reps)

    def done(self) -> None:
        cue = self.speech(BEEP_MS + CUE_GAP_MS, CueRole.DONE, phrases.DONE)
        duration = _round_up(cue.end_ms + ANNOUNCE_TAIL_MS)
        self.add(_Draft(StepKind.DONE, duration, None, cues=[self.beep(0, Beep.DONE), cue]))

    # -- assembly -----------------------------------------------------------------------

    def reps_for(self, exercise: Exercise) -> int:
        chosen = self.settings.reps.get(exercise.id)
        if chosen is None:
            return exercise.rep_count
        if exercise.reps is None:
            return 0
        return max(1, int(chosen))

    def compile(self) -> Plan:
        reps_used = [self.reps_for(ex) for ex in self.routine.exercises]
        for index, exercise in enumerate(self.routine.exercises):
            self.exercise(index, exercise, reps_used[index])
        self.done()
        absolute, dropped = _settle_cues(self.drafts)
        steps: list[Step] = []
        start = 0
        for position, draft in enumerate(self.drafts):
            steps.append(
                Step(
                    index=position,
                    kind=draft.kind,
                    start_ms=start,
                    duration_ms=draft.duration_ms,
                    exercise_index=draft.exercise_index,
                    set_number=draft.set_number,
                    set_count=draft.set_count,
                    rep_number=draft.rep_number,
                    rep_count=draft.rep_count,
                    side=draft.side,
                    cues=tuple(absolute[position]),
                )
            )
            start += draft.duration_ms
        exercises = tuple(
            PlannedExercise(
                index=index,
                id=exercise.id,
                name=exercise.name,
                kind=exercise.kind.value,
                reps=reps_used[index],
                hold_seconds=exercise.hold_seconds,
                duration_seconds=exercise.duration_seconds,
                sets=exercise.sets,
                sides=exercise.sides.value,
                entry_step=entry,
                first_step=first,
                last_step=last,
            )
            for index, (exercise, (entry, first, last)) in enumerate(
                zip(self.routine.exercises, self.exercise_marks, strict=True)
            )
        )
        said = {cue.text for cue in (*self.drafts_cues(), *dropped)}
        alternatives = tuple(text for text in self.weighed if text not in said)
        return Plan(
            self.routine.id,
            self.routine.title,
            tuple(steps),
            exercises,
            tuple(dropped),
            alternatives,
        )

    def drafts_cues(self) -> list[Cue]:
        """Every cue of the drafts, before any is dropped."""
        return [cue for draft in self.drafts for cue in draft.cues]


def _settle_cues(drafts: list[_Draft]) -> tuple[list[list[Cue]], list[Cue]]:
    """Make cue offsets absolute and drop spoken cues that would overlap a stronger one."""
    absolute: list[list[Cue]] = []
    start = 0
    for draft in drafts:
        absolute.append(
            [
                Cue(start + c.at_ms, c.role, c.text, c.beep, c.duration_ms)
                for c in sorted(draft.cues, key=lambda c: c.at_ms)
            ]
        )
        start += draft.duration_ms
    spoken = [cue for cues in absolute for cue in cues if cue.is_speech]
    spoken.sort(key=lambda c: (-ROLE_PRIORITY[c.role], c.at_ms))
    # Kept cues never overlap, so sorted by start only the neighbours of a new cue can clash.
    starts: list[int] = []
    kept: list[Cue] = []
    dropped: list[Cue] = []
    for cue in spoken:
        index = bisect.bisect_left(starts, cue.at_ms)
        before = kept[index - 1] if index > 0 else None
        after = kept[index] if index < len(kept) else None
        clash = (before is not None and before.end_ms + CUE_GAP_MS > cue.at_ms) or (
            after is not None and after.at_ms < cue.end_ms + CUE_GAP_MS
        )
        if clash:
            dropped.append(cue)
        else:
            starts.insert(index, cue.at_ms)
            kept.insert(index, cue)
    dropped_ids = {id(cue) for cue in dropped}
    settled = [[cue for cue in cues if id(cue) not in dropped_ids] for cues in absolute]
    dropped.sort(key=lambda c: c.at_ms)
    return settled, dropped


def compile_plan(routine: Routine, settings: PlanSettings | None = None) -> Plan:
    """The timeline of ``routine`` under ``settings``."""
    return _Compiler(routine, settings or PlanSettings()).compile()
