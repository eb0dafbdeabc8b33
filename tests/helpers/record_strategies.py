"""Hypothesis strategies for valid history records: what the record rules accept.

Times between 1970 and 2200 with any whole-minute offset, an end not before the start,
counts and holds in range, and text with any character a file may hold (formula prefixes,
quotes, line breaks, control and bidi characters).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hypothesis import strategies as st

from backtimer.core.history.record_rules import MAX_ACTIVE_SECONDS, MAX_COUNT, MAX_HOLD_SECONDS
from backtimer.core.history.records import (
    ExerciseRecord,
    ExerciseState,
    SessionKind,
    SessionOutcome,
    SessionRecord,
)

#: Text a spreadsheet or a hostile file may hold, formula prefixes and controls included.
TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from("=+-@\t\r\n'\",;\x1b\u202e\u2066\x00"),
        st.characters(exclude_categories=["Cs"]),
    ),
    max_size=20,
)
PREFIXED_TEXT = st.one_of(
    TEXT,
    st.builds(lambda p, t: p + t, st.sampled_from(["=", "+", "-", "@", "'=", "\t"]), TEXT),
)
OFFSETS = st.integers(-23 * 60 - 59, 23 * 60 + 59).map(lambda m: timezone(timedelta(minutes=m)))
#: An aware time whose local year is in 1970–2200 (leaving room for an end after it).
AWARE = st.builds(
    lambda moment, tz: moment.replace(tzinfo=tz),
    st.datetimes(min_value=datetime(1970, 1, 3), max_value=datetime(2200, 12, 20)),
    OFFSETS,
)
COUNTS = st.integers(0, MAX_COUNT)


@st.composite
def exercises(draw: st.DrawFn) -> ExerciseRecord:
    """An exercise the record rules accept; its state given or left to its counts."""
    skipped = draw(st.booleans())
    states = [s for s in ExerciseState if (s is ExerciseState.SKIPPED) is skipped]
    return ExerciseRecord(
        exercise_id=draw(PREFIXED_TEXT.filter(bool)),
        name=draw(PREFIXED_TEXT),
        sets_planned=draw(COUNTS),
        sets_done=draw(COUNTS),
        reps_planned=draw(COUNTS),
        reps_done=draw(COUNTS),
        hold_seconds=draw(st.floats(0, MAX_HOLD_SECONDS)),
        skipped=skipped,
        state=draw(st.one_of(st.none(), st.sampled_from(states))),
    )


EXERCISES = exercises()


@st.composite
def sessions(draw: st.DrawFn, ids: st.SearchStrategy[str] | None = None) -> SessionRecord:
    """A session the record rules accept."""
    started = draw(AWARE)
    ended: datetime | None = None
    if draw(st.booleans()):
        span = draw(st.floats(0, 3 * 24 * 3600))
        ended = (started + timedelta(seconds=span)).astimezone(draw(OFFSETS))
    return SessionRecord(
        id=draw(ids if ids is not None else PREFIXED_TEXT.filter(bool)),
        started=started,
        ended=ended,
        routine_id=draw(PREFIXED_TEXT),
        routine_title=draw(PREFIXED_TEXT),
        outcome=draw(st.sampled_from(SessionOutcome)),
        active_seconds=draw(st.floats(0, MAX_ACTIVE_SECONDS)),
        app_version=draw(PREFIXED_TEXT),
        exercises=tuple(draw(st.lists(EXERCISES, max_size=3))),
        kind=draw(st.one_of(st.none(), st.sampled_from(SessionKind))),
        pain_area=draw(PREFIXED_TEXT),
        pain_note=draw(PREFIXED_TEXT),
    )


def unique_sessions(max_size: int = 4) -> st.SearchStrategy[list[SessionRecord]]:
    """A list of valid sessions with distinct ids."""
    return st.lists(sessions(), max_size=max_size, unique_by=lambda r: r.id)
