"""CSV export and import of session history."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backtimer.core.history.csv_io import (
    EXERCISE_COLUMNS,
    SESSION_COLUMNS,
    export_sessions,
    import_sessions,
    neutralise,
    restore,
)
from backtimer.core.history.records import ExerciseRecord, SessionOutcome, SessionRecord

PLUS_TWO = timezone(timedelta(hours=2))


def session(
    sid: str = "s1",
    started: datetime | None = None,
    title: str = "Morning back",
    outcome: SessionOutcome = SessionOutcome.COMPLETED,
    exercises: tuple[ExerciseRecord, ...] = (),
) -> SessionRecord:
    start = started or datetime(2026, 3, 1, 8, 30, tzinfo=PLUS_TWO)
    return SessionRecord(
        id=sid,
        started=start,
        ended=start + timedelta(minutes=10),
        routine_id="morning-back",
        routine_title=title,
        outcome=outcome,
        active_seconds=540.5,
        app_version="0.1.0",
        exercises=exercises,
    )


BRIDGE = ExerciseRecord("bridge", "Bridge", 2, 2, 10, 20, 5.0, False)
PLANK = ExerciseRecord("plank", "Plank", 1, 0, 3, 0, 30.0, True)


def export(records: list[SessionRecord], **options: object) -> str:
    out = io.StringIO(newline="")
    export_sessions(records, out, **options)  # type: ignore[arg-type]
    return out.getvalue()


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


# --- export -------------------------------------------------------------------------------


def test_header_per_session() -> None:
    text = export([])
    assert text == ",".join(SESSION_COLUMNS) + "\r\n"


def test_header_by_exercise() -> None:
    assert rows(export([], by_exercise=True)) == [list(EXERCISE_COLUMNS)]


def test_session_row_values() -> None:
    [header, row] = rows(export([session(exercises=(BRIDGE, PLANK))]))
    cells = dict(zip(header, row, strict=True))
    assert cells["started"] == "2026-03-01T08:30:00+02:00"
    assert cells["ended"] == "2026-03-01T08:40:00+02:00"
    assert cells["outcome"] == "completed"
    assert cells["active_seconds"] == "540.5"
    assert cells["exercises_done"] == "1"
    assert cells["exercises_skipped"] == "1"
    assert cells["reps_done"] == "20"
    assert cells["reps_planned"] == "13"


def test_by_exercise_rows() -> None:
    records = [session(exercises=(BRIDGE, PLANK)), session("s2")]
    [header, *body] = rows(export(records, by_exercise=True))
    assert len(body) == 2  # the session without exercises has no rows
    first = dict(zip(header, body[0], strict=True))
    assert first["session_id"] == "s1"
    assert first["exercise_id"] == "bridge"
    assert first["hold_seconds"] == "5.0"
    assert first["skipped"] == "false"
    assert dict(zip(header, body[1], strict=True))["skipped"] == "true"


def test_rfc4180_quoting_and_crlf() -> None:
    title = 'Back, "neck"\nand hips'
    text = export([session(title=title)])
    assert '"Back, ""neck""\nand hips"' in text
    assert text.endswith("\r\n")
    assert text.count("\r\n") == 2  # the newline inside the quoted cell stays a bare LF
    assert import_sessions(text).records[0].routine_title == title


def test_unicode_written_to_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "history.csv"
    record = session(title="Спина — утро 🧘")
    with path.open("w", encoding="utf-8", newline="") as out:
        export_sessions([record], out)
    assert "Спина — утро 🧘".encode() in path.read_bytes()
    with path.open(encoding="utf-8", newline="") as stream:
        assert import_sessions(stream).records == [record]


@pytest.mark.parametrize(
    ("title", "cell"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+1", "'+1"),
        ("-x", "'-x"),
        ("@a", "'@a"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'=x", "''=x"),  # already apostrophed: one more, so import gives it back
        ("'plain", "'plain"),
        ("plain", "plain"),
        ("", ""),
        ("a=b", "a=b"),
    ],
)
def test_formula_cells_neutralised_and_restored(title: str, cell: str) -> None:
    assert neutralise(title) == cell
    assert restore(cell) == title
    text = export([session(title=title, exercises=(BRIDGE,))])
    assert dict(zip(*rows(text), strict=True))["routine_title"] == cell
    assert import_sessions(text).records[0].routine_title == title


def test_all_text_cells_neutralised() -> None:
    ex = ExerciseRecord("=ex", "@name", 1, 1, 1, 1, 1.0, False)
    record = SessionRecord(
        "-id", session().started, None, "+r", "=t", SessionOutcome.COMPLETED, 1.0, "@v", (ex,)
    )
    for form in (False, True):
        for row in rows(export([record], by_exercise=form))[1:]:
            for value in row:
                assert value[:1] not in set("=+-@\t\r"), value
    assert import_sessions(export([record])).records == [record]


def test_negative_numbers_are_not_prefixed() -> None:
    record = SessionRecord(
        "s",
        session().started,
        None,
        "r",
        "t",
        SessionOutcome.STOPPED,
        -1.5,
        "v",
        (ExerciseRecord("e", "n", -1, 0, 0, 0, -2.5, False),),
    )
    [header, row] = rows(export([record]))
    assert dict(zip(header, row, strict=True))["active_seconds"] == "-1.5"
    [header, row] = rows(export([record], by_exercise=True))
    cells = dict(zip(header, row, strict=True))
    assert (cells["sets_planned"], cells["hold_seconds"]) == ("-1", "-2.5")
    assert import_sessions(export([record])).records == [record]


def test_date_filter_inclusive_on_local_date() -> None:
    # 23:30 at +02:00 on 1 March is 21:30 UTC on 1 March; 00:30 at +02:00 on 2 March is
    # 22:30 UTC on 1 March, but the user saw 2 March.
    early = session("a", datetime(2026, 3, 1, 23, 30, tzinfo=PLUS_TWO))
    late = session("b", datetime(2026, 3, 2, 0, 30, tzinfo=PLUS_TWO))
    later = session("c", datetime(2026, 3, 5, 12, 0, tzinfo=UTC))

    def ids(**options: object) -> list[str]:
        return [row[0] for row in rows(export([early, late, later], **options))[1:]]

    assert ids() == ["a", "b", "c"]
    assert ids(start=date(2026, 3, 2)) == ["b", "c"]
    assert ids(end=date(2026, 3, 1)) == ["a"]
    assert ids(start=date(2026, 3, 2), end=date(2026, 3, 2)) == ["b"]
    assert ids(start=date(2026, 3, 5), end=date(2026, 3, 5)) == ["c"]
    assert ids(start=date(2026, 3, 6)) == []


def test_export_returns_row_count() -> None:
    out = io.StringIO()
    assert export_sessions([session(exercises=(BRIDGE, PLANK))], out, by_exercise=True) == 2


# --- import -------------------------------------------------------------------------------


def test_round_trip_exact() -> None:
    records = [
        session("a", exercises=(BRIDGE, PLANK)),
        session("b", outcome=SessionOutcome.STOPPED_FOR_PAIN),
        SessionRecord(
            "c",
            datetime(2026, 1, 1, tzinfo=UTC),
            None,
            "r",
            "",
            SessionOutcome.IN_PROGRESS,
            0.0,
            "",
            (),
        ),
    ]
    result = import_sessions(export(records))
    assert result.errors == []
    assert result.records == records


def test_bad_rows_reported_good_rows_kept() -> None:
    good = export([session("a"), session("b"), session("c"), session("d")])
    lines = good.split("\r\n")
    lines[2] = lines[2].replace(",completed,", ",finished,")  # line 3: bad outcome
    lines[3] = lines[3].replace("2026-03-01T08:30:00+02:00", "yesterday")  # line 4: bad date
    lines[4] = ",".join(lines[4].split(",")[:5])  # line 5: columns missing
    result = import_sessions("\r\n".join(lines))
    assert [r.id for r in result.records] == ["a"]
    assert len(result.errors) == 3
    assert result.errors[0].startswith("line 3: outcome: expected one of completed, ")
    assert result.errors[0].endswith("found 'finished'")
    assert result.errors[1] == (
        "line 4: started: expected an ISO 8601 time with offset, found 'yesterday'"
    )
    assert result.errors[2] == f"line 5: outcome: expected {len(SESSION_COLUMNS)} columns, found 5"


def test_line_numbers_count_multiline_cells() -> None:
    text = export([session("a", title="two\nlines"), session("b")])
    text = text.replace("540.5", "lots", 2)
    errors = import_sessions(text).errors
    assert errors == [
        "line 2: active_seconds: expected a number, found 'lots'",
        "line 4: active_seconds: expected a number, found 'lots'",
    ]


def test_time_without_offset_is_an_error() -> None:
    text = export([session()]).replace("08:30:00+02:00", "08:30:00")
    assert import_sessions(text).errors == [
        "line 2: started: expected an ISO 8601 time with offset, found '2026-03-01T08:30:00'"
    ]


def test_bad_exercises_json_is_an_error() -> None:
    text = export([session(exercises=(BRIDGE,))]).replace('""sets_done"":2', '""sets_done"":""2""')
    result = import_sessions(text)
    assert result.records == []
    assert result.errors[0].startswith("line 2: exercises_json: expected a JSON list of exercises")


def test_missing_header_column() -> None:
    text = "id,started\r\na,2026-03-01T08:30:00+02:00\r\n"
    result = import_sessions(text)
    assert result.records == []
    assert result.errors == [
        "line 1: header: expected columns ended, routine_id, routine_title, outcome, "
        "active_seconds, app_version, found id, started"
    ]


def test_empty_input() -> None:
    assert import_sessions("").errors == [
        "line 1: header: expected the column names, found nothing"
    ]


def test_without_optional_columns_and_reordered() -> None:
    text = (
        "outcome,id,started,ended,routine_id,routine_title,active_seconds,app_version\r\n"
        "stopped,x,2026-03-01T08:30:00+02:00,,r,'=T,12,1.0\r\n"
        "\r\n"
    )
    result = import_sessions(text)
    assert result.errors == []
    assert result.records == [
        SessionRecord(
            "x",
            datetime(2026, 3, 1, 8, 30, tzinfo=PLUS_TWO),
            None,
            "r",
            "=T",
            SessionOutcome.STOPPED,
            12.0,
            "1.0",
        )
    ]


def test_bom_in_header_is_ignored() -> None:
    record = session()
    assert import_sessions("\ufeff" + export([record])).records == [record]


def test_by_exercise_form_is_refused_with_a_message() -> None:
    result = import_sessions(export([session(exercises=(BRIDGE,))], by_exercise=True))
    assert result.records == []
    assert result.errors[0].startswith("line 1: header: expected a per-session export")


# --- properties ---------------------------------------------------------------------------

FORMULA_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from("=+-@\t\r\n'\",;"),
        st.characters(exclude_categories=["Cs"], exclude_characters="\x00"),
    ),
    max_size=20,
)
PREFIXED_TEXT = st.one_of(
    FORMULA_TEXT,
    st.builds(lambda p, t: p + t, st.sampled_from(["=", "+", "-", "@", "'=", "\t"]), FORMULA_TEXT),
)
FINITE = st.floats(allow_nan=False, allow_infinity=False)
AWARE = st.builds(
    lambda moment, minutes: moment.replace(tzinfo=timezone(timedelta(minutes=minutes))),
    st.datetimes(min_value=datetime(1970, 1, 2), max_value=datetime(9999, 12, 30)),
    st.integers(-23 * 60 - 59, 23 * 60 + 59),
)
EXERCISES = st.builds(
    ExerciseRecord,
    exercise_id=PREFIXED_TEXT,
    name=PREFIXED_TEXT,
    sets_planned=st.integers(-5, 100),
    sets_done=st.integers(0, 100),
    reps_planned=st.integers(0, 1000),
    reps_done=st.integers(-1, 1000),
    hold_seconds=FINITE,
    skipped=st.booleans(),
)
SESSIONS = st.builds(
    SessionRecord,
    id=PREFIXED_TEXT.filter(bool),
    started=AWARE,
    ended=st.none() | AWARE,
    routine_id=PREFIXED_TEXT,
    routine_title=PREFIXED_TEXT,
    outcome=st.sampled_from(SessionOutcome),
    active_seconds=FINITE,
    app_version=PREFIXED_TEXT,
    exercises=st.lists(EXERCISES, max_size=3).map(tuple),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(SESSIONS, max_size=4))
def test_round_trip_property(records: list[SessionRecord]) -> None:
    text = export(records)
    result = import_sessions(text)
    assert result.errors == []
    assert result.records == records
    # and through UTF-8 bytes, as written to a file
    stream = io.TextIOWrapper(io.BytesIO(text.encode("utf-8")), encoding="utf-8", newline="")
    assert import_sessions(stream).records == records


@given(PREFIXED_TEXT)
def test_neutralise_is_safe_and_reversible(text: str) -> None:
    cell = neutralise(text)
    assert cell[:1] not in set("=+-@\t\r")
    assert restore(cell) == text
