"""CSV export and import of session history."""

from __future__ import annotations

import csv
import dataclasses
import errno
import io
import json
import os
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings

from backtimer.core.history.csv_io import (
    BREAK_COLUMNS,
    EXERCISE_COLUMNS,
    SESSION_COLUMNS,
    ImportFileError,
    count_lines,
    export_breaks,
    export_breaks_file,
    export_file,
    export_sessions,
    import_sessions,
    neutralise,
    read_sessions_file,
    restore,
)
from backtimer.core.history.records import (
    BreakEvent,
    BreakEventKind,
    ExerciseRecord,
    ExerciseState,
    SessionKind,
    SessionOutcome,
    SessionRecord,
)
from backtimer.core.history.store import HistoryStore
from backtimer.core.store.user_files import IMPORT_LIMIT
from tests.helpers.record_strategies import PREFIXED_TEXT, unique_sessions

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
    assert first["state"] == "done"
    second = dict(zip(header, body[1], strict=True))
    assert (second["skipped"], second["state"]) == ("true", "skipped")


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


def test_negative_numbers_are_not_prefixed_on_export() -> None:
    # Export writes whatever it is given; such a record is refused on import (below).
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
    assert import_sessions(export([record])).errors == [
        "line 2: active_seconds: expected a number from 0 to 86400, found -1.5"
    ]


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
        "line 4: started: expected an ISO 8601 time with its UTC offset, in 1970–2200, "
        "found 'yesterday'"
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
        "line 2: started: expected an ISO 8601 time with its UTC offset, in 1970–2200, "
        "found '2026-03-01T08:30:00 (no offset)'"
    ]


def test_bad_exercises_json_is_an_error() -> None:
    text = export([session(exercises=(BRIDGE,))]).replace('""sets_done"":2', '""sets_done"":""2""')
    result = import_sessions(text)
    assert result.records == []
    assert result.errors == [
        "line 2: exercises_json: exercises[0].sets_done: expected a whole number from 0 to "
        "10000, found '2'"
    ]


def test_missing_header_column() -> None:
    text = "id,started\r\na,2026-03-01T08:30:00+02:00\r\n"
    result = import_sessions(text)
    assert result.records == []
    assert result.errors == [
        "line 1: header: expected columns ended, routine_id, routine_title, outcome, "
        "active_seconds, app_version, found 'id', 'started'"
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


@settings(deadline=None)  # examples from the profile: 30 quick, 200 in CI
@given(unique_sessions())
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


# --- every field checked by the record rules (issue 12, item 4) ---------------------------


def _row_with(**cells: str) -> str:
    """A per-session export of one good session, with some cells of its row replaced."""
    [header, row] = rows(export([session(exercises=(BRIDGE,))]))
    values = dict(zip(header, row, strict=True)) | cells
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows([header, list(values.values())])
    return out.getvalue()


BRIDGE_DICT = {
    "exercise_id": "bridge",
    "name": "Bridge",
    "sets_planned": 2,
    "sets_done": 2,
    "reps_planned": 10,
    "reps_done": 10,
    "hold_seconds": 5.0,
    "skipped": False,
}


@pytest.mark.parametrize(
    ("cells", "error"),
    [
        (
            {"active_seconds": "1e306"},
            "active_seconds: expected a number from 0 to 86400, found 1e+306",
        ),
        ({"active_seconds": "nan"}, "active_seconds: expected a number, found 'nan'"),
        ({"active_seconds": "1_000"}, "active_seconds: expected a number, found '1_000'"),
        ({"active_seconds": "-3"}, "active_seconds: expected a number from 0 to 86400, found -3.0"),
        (
            {"started": "0001-01-01T00:00:00+05:00", "ended": ""},
            "started: expected an ISO 8601 time with its UTC offset, in 1970–2200, "
            "found '0001-01-01T00:00:00+05:00'",
        ),
        (
            {"started": "9999-12-31T23:59:59+00:00", "ended": ""},
            "started: expected an ISO 8601 time with its UTC offset, in 1970–2200, "
            "found '9999-12-31T23:59:59+00:00'",
        ),
        (
            {"ended": "2026-03-01T08:40:00"},
            "ended: expected an ISO 8601 time with its UTC offset, in 1970–2200, "
            "found '2026-03-01T08:40:00 (no offset)'",
        ),
        (
            {"ended": "2026-03-01T08:00:00+02:00"},
            "ended: expected a time not before started (2026-03-01 08:30:00+02:00), "
            "found '2026-03-01T08:00:00+02:00'",
        ),
        (
            {"exercises_json": json.dumps([{**BRIDGE_DICT, "reps_done": -1}])},
            "exercises_json: exercises[0].reps_done: expected a whole number from 0 to 10000, "
            "found -1",
        ),
        (
            {
                "exercises_json": json.dumps(
                    [BRIDGE_DICT, BRIDGE_DICT, {**BRIDGE_DICT, "sets_done": 1.5}]
                )
            },
            "exercises_json: exercises[2].sets_done: expected a whole number from 0 to 10000, "
            "found 1.5",
        ),
        (
            {"exercises_json": '[{"hold_seconds": NaN}]'},
            "exercises_json: expected a JSON list of exercises, found '[{\"hold_seconds\": NaN}]' "
            "(expected JSON numbers, found NaN, which is not a number backtimer writes)",
        ),
        ({"id": ""}, "id: expected text of at most 200 characters, not empty, found nothing"),
        ({"routine_title": "x" * 1001}, "routine_title: expected text of at most 1000 characters"),
    ],
)
def test_a_value_the_app_cannot_take_is_reported_with_its_column(
    cells: dict[str, str], error: str
) -> None:
    text = _row_with(**cells) + export([session("good")]).split("\r\n", 1)[1]
    result = import_sessions(text)
    assert [r.id for r in result.records] == ["good"]
    assert len(result.errors) == 1
    assert result.errors[0].startswith(f"line 2: {error}")


def test_a_huge_active_time_never_reaches_the_store(tmp_path: Path) -> None:
    result = import_sessions(_row_with(active_seconds="1e306"))
    assert result.records == []
    store = HistoryStore(tmp_path)
    store.add_sessions(result.records)
    assert store.sessions() == []


# --- rows that cannot stop the import (item 5) ---------------------------------------------


def test_deeply_nested_exercises_json_is_one_bad_row() -> None:
    text = _row_with(exercises_json="[" * 100_000) + export([session("good")]).split("\r\n", 1)[1]
    result = import_sessions(text)
    assert [r.id for r in result.records] == ["good"]
    [error] = result.errors
    assert error.startswith("line 2: exercises_json: expected a JSON list of exercises, found")
    assert error.endswith("(expected JSON, found values nested too deeply)")


def test_a_huge_cell_does_not_stop_the_rows_after_it() -> None:
    good = [session(f"good-{n}", exercises=(BRIDGE,)) for n in range(3)]
    text = export(good)
    header, *lines = text.rstrip("\r\n").split("\r\n")
    bad = lines[0].replace("good-0", "bad", 1).replace(",completed,", ",finished,")
    huge_title = "=" + "x" * 200 * 1024  # over csv's 128 KiB cell limit, over two lines
    huge = export([session("huge", title=huge_title[:100_000] + "\n" + huge_title)])
    huge_line = huge.split("\r\n", 1)[1].rstrip("\r\n")
    text = "\r\n".join([header, lines[0], bad, lines[1], huge_line, lines[2]]) + "\r\n"
    result = import_sessions(text)
    assert [r.id for r in result.records] == ["good-0", "good-1", "good-2"]
    assert result.records == good
    assert len(result.errors) == 2
    assert result.errors[0].startswith("line 3: outcome: expected one of ")
    assert result.errors[1].startswith(
        "line 5: routine_title: expected text of at most 1000 characters, found '=xxx"
    )
    # the huge cell holds a line break: the good row after it is on line 7
    assert count_lines(text.split("good-2")[0]) + 1 == 7


def test_line_numbers_after_a_huge_multiline_cell() -> None:
    cell = "line\n" * 50_000  # 50,000 lines inside one quoted cell
    text = _row_with(routine_title=cell) + "not,a,row\r\n"
    errors = import_sessions(text).errors
    assert errors[0].startswith("line 2: routine_title: expected text of at most 1000")
    assert (
        errors[1]
        == f"line {2 + 50_000 + 1}: routine_id: expected {len(SESSION_COLUMNS)} columns, found 3"
    )


def test_a_quote_that_never_closes_is_reported() -> None:
    text = export([session("a")]) + 'b,"2026-03-01T08:30:00+02:00\r\nc,d\r\n'
    result = import_sessions(text)
    assert [r.id for r in result.records] == ["a"]
    assert result.errors == [
        'line 3: row: expected a closing quote (") for a cell, found the end of the file '
        "(everything after the quote is in that cell)"
    ]


def test_a_header_naming_a_column_twice_is_refused() -> None:
    text = export([session()]).replace("exercises_done", "reps_done", 1)
    result = import_sessions(text)
    assert result.records == []
    assert result.errors == ["line 1: header: expected each column once, found reps_done twice"]


# --- the same session twice in one file (item 6) ------------------------------------------


def test_the_same_session_twice_with_the_same_data_is_read_once() -> None:
    text = export([session("a"), session("a"), session("b")])
    result = import_sessions(text)
    assert result.errors == []
    assert [r.id for r in result.records] == ["a", "b"]


def test_the_same_session_id_with_other_data_is_reported() -> None:
    text = export([session("a"), session("b"), session("a", title="Another title")])
    result = import_sessions(text)
    assert [r.routine_title for r in result.records] == ["Morning back", "Morning back"]
    assert result.errors == [
        "line 4: id: expected a unique session id, found 'a' again (first on line 2) "
        "with other data"
    ]


# --- reading the file (item 5) -------------------------------------------------------------


def test_read_sessions_file_reads_an_export(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(export([session("a", exercises=(BRIDGE,))]).encode("utf-8"))
    assert read_sessions_file(path).records == [session("a", exercises=(BRIDGE,))]


def test_a_fifo_is_refused_without_waiting(tmp_path: Path) -> None:
    fifo = tmp_path / "export.csv"
    os.mkfifo(fifo)
    with pytest.raises(ImportFileError) as caught:
        read_sessions_file(fifo)  # no writer: a blocking open would hang here
    assert caught.value.reason == "expected a regular file, found a named pipe (FIFO)"


def test_dev_zero_is_refused() -> None:
    with pytest.raises(ImportFileError) as caught:
        read_sessions_file(Path("/dev/zero"))
    assert caught.value.reason == "expected a regular file, found a character device"


def test_a_file_over_the_limit_stops_at_it(tmp_path: Path) -> None:
    path = tmp_path / "endless.csv"
    with path.open("wb") as out:
        out.truncate(IMPORT_LIMIT + 1)  # sparse: no disk used
    with pytest.raises(ImportFileError) as caught:
        read_sessions_file(path)
    assert caught.value.reason == "too large to import: expected at most 64.0 MiB, found 64.0 MiB"
    small = tmp_path / "small.csv"
    small.write_text(export([session()]) * 3)
    with pytest.raises(ImportFileError, match="too large to import: expected at most 100 bytes"):
        read_sessions_file(small, limit=100)


def test_a_file_that_is_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes(export([session(), session("b", title="Rücken")]).encode("latin-1"))
    with pytest.raises(ImportFileError) as caught:
        read_sessions_file(path)
    assert caught.value.reason == (
        "expected UTF-8 text, found the byte 0xfc on line 3 (save the file as UTF-8)"
    )


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError) as caught:
        read_sessions_file(tmp_path / "nothing.csv")
    assert caught.value.reason == "No such file or directory"


# --- export to a file (item 8) -------------------------------------------------------------


def test_export_file_replaces_atomically(tmp_path: Path) -> None:
    target = tmp_path / "history.csv"
    target.write_text("old")
    assert export_file([session("a"), session("b")], target) == 2
    assert import_sessions(target.read_text(encoding="utf-8")).records == [
        session("a"),
        session("b"),
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["history.csv"]


def test_a_failed_export_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "history.csv"
    target.write_bytes(b"the earlier export\r\n")

    def full(*_args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError, match="No space left on device") as caught:
        export_file([session("a")], target)
    assert caught.value.errno == errno.ENOSPC
    assert target.read_bytes() == b"the earlier export\r\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["history.csv"]


def test_export_through_a_link_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real.csv"
    real.write_text("old")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    export_file([session("a")], link)
    assert link.is_symlink()
    assert import_sessions(real.read_text()).records == [session("a")]


def test_export_to_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(IsADirectoryError, match="expected a file name, found a folder"):
        export_file([session()], tmp_path)


def test_export_to_a_device_writes_into_it() -> None:
    assert export_file([session()], Path("/dev/null")) == 1
    assert Path("/dev/null").is_char_device()  # not replaced by a file


def test_an_unpaired_surrogate_escape_is_a_bad_row_not_a_failed_save(tmp_path: Path) -> None:
    # JSON may spell "\ud800"; such text cannot be written as UTF-8, so saving it failed.
    name = json.dumps([{**BRIDGE_DICT, "name": "\ud800"}])
    result = import_sessions(_row_with(exercises_json=name))
    assert result.records == []
    assert result.errors == [
        "line 2: exercises_json: exercises[0].name: expected text without unpaired "
        "surrogates, found '\\ud800'"
    ]
    HistoryStore(tmp_path).add_sessions(result.records)  # nothing to write, nothing raised


def test_export_into_a_missing_folder_makes_no_folder(tmp_path: Path) -> None:
    target = tmp_path / "typo" / "history.csv"
    with pytest.raises(FileNotFoundError, match=f"found no folder {tmp_path / 'typo'}"):
        export_file([session()], target)
    assert not (tmp_path / "typo").exists()


# --- kinds, states and pain notes (schema 2) -----------------------------------------------


def test_summary_columns_count_as_the_definitions_do() -> None:
    timed = ExerciseRecord("march", "March", 1, 0, 0, 0, 0.0, False)  # not reached
    under_way = ExerciseRecord(
        "cat", "Cat", 1, 0, 5, 0, 0.0, False, state=ExerciseState.PARTLY_DONE
    )
    [header, row] = rows(export([session(exercises=(BRIDGE, PLANK, under_way, timed))]))
    cells = dict(zip(header, row, strict=True))
    assert cells["exercises_done"] == "1"
    assert cells["exercises_partly_done"] == "1"
    assert cells["exercises_skipped"] == "1"
    assert cells["exercises_not_reached"] == "1"
    assert cells["exercises_planned"] == "4"
    assert cells["kind"] == "workout"


def test_pain_note_round_trip_through_the_store_and_csv(tmp_path: Path) -> None:
    record = dataclasses.replace(
        session(outcome=SessionOutcome.STOPPED_FOR_PAIN, exercises=(BRIDGE,)),
        pain_area="lower back",
        pain_note='=sharp, "stabbing"\nwhen bending',
    )
    store = HistoryStore(tmp_path / "a")
    store.finish_session(record)
    stored = HistoryStore(tmp_path / "a").sessions()
    assert stored == [record]
    text = export(stored)
    [header, row] = rows(text)
    cells = dict(zip(header, row, strict=True))
    assert cells["pain_area"] == "lower back"
    assert cells["pain_note"].startswith("'=")  # neutralised for a spreadsheet
    result = import_sessions(text)
    assert result.errors == []
    assert result.records == [record]
    fresh = HistoryStore(tmp_path / "b")
    assert fresh.add_sessions(result.records) == 1
    assert HistoryStore(tmp_path / "b").sessions() == [record]


def test_an_export_from_before_kinds_still_imports() -> None:
    text = (
        "id,started,ended,routine_id,routine_title,outcome,active_seconds,app_version,"
        "exercises_done,exercises_skipped,reps_done,reps_planned,exercises_json\r\n"
        "a,2026-03-01T08:30:00+02:00,,desk-break,Desk break,completed,150,0.9,1,0,2,2,"
        '"[{""exercise_id"":""breath"",""name"":""Breathe"",""sets_planned"":1,""sets_done"":1,'
        '""reps_planned"":2,""reps_done"":2,""hold_seconds"":0,""skipped"":false}]"\r\n'
        "b,2026-03-02T08:30:00+02:00,,neck,Neck,stopped,60,0.9,0,0,0,0,\r\n"
    )
    result = import_sessions(text)
    assert result.errors == []
    desk_break, neck = result.records
    assert desk_break.kind is SessionKind.DESK_BREAK
    assert desk_break.exercises[0].state is ExerciseState.DONE
    assert neck.kind is SessionKind.WORKOUT
    assert (neck.pain_area, neck.pain_note) == ("", "")


@pytest.mark.parametrize(
    ("column", "cell", "expected"),
    [
        ("kind", "lunch", "kind: expected one of workout, desk_break"),
        ("pain_area", "x" * 101, "pain_area: expected text of at most 100 characters"),
    ],
)
def test_a_bad_kind_or_pain_cell_is_reported(column: str, cell: str, expected: str) -> None:
    [header, row] = rows(export([session()]))
    row[header.index(column)] = cell
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows([header, row])
    result = import_sessions(out.getvalue())
    assert result.records == []
    assert result.errors[0].startswith(f"line 2: {expected}")


def test_break_events_export() -> None:
    events = [
        BreakEvent("b1", datetime(2026, 3, 1, 10, tzinfo=PLUS_TWO), BreakEventKind.TAKEN),
        BreakEvent("=b2", datetime(2026, 3, 2, 11, tzinfo=PLUS_TWO), BreakEventKind.SNOOZED),
    ]
    out = io.StringIO(newline="")
    assert export_breaks(events, out, start=date(2026, 3, 2)) == 1
    assert rows(out.getvalue()) == [
        list(BREAK_COLUMNS),
        ["'=b2", "2026-03-02T11:00:00+02:00", "snoozed"],
    ]


def test_break_events_export_file(tmp_path: Path) -> None:
    event = BreakEvent("b", datetime(2026, 3, 1, 10, tzinfo=PLUS_TWO), BreakEventKind.SKIPPED)
    target = tmp_path / "breaks.csv"
    assert export_breaks_file([event], target) == 1
    assert target.read_text("utf-8").splitlines()[1] == "b,2026-03-01T10:00:00+02:00,skipped"
