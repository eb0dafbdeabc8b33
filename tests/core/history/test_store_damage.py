"""History that holds what it should not: invalid records quarantined (never lost), the
rest of the year shown and saved; hostile files set aside; one id once in all the years."""

from __future__ import annotations

import gc
import json
import math
import weakref
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from backtimer.core.history.records import SessionOutcome
from backtimer.core.history.store import IN_PROGRESS_FILE_NAME, HistoryStore, shard_name
from tests.core.history.test_store import LOCAL, make_session


def write_tables(path: Path, tables: dict[str, Any]) -> bytes:
    """A shard as a hand (or an old backtimer) might have written it, NaN included."""
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = json.dumps(tables, allow_nan=True).encode()
    path.write_bytes(raw)
    return raw


def quarantined(folder: Path, name: str) -> list[dict[str, Any]]:
    """Every document set aside from the file ``name``, with its reason."""
    documents = []
    for path in sorted(folder.glob(f"{name}.quarantine-*")):
        content = json.loads(path.read_text(encoding="utf-8"))
        assert content["quarantined_from"] == name
        documents.extend(content["documents"])
    return documents


def test_a_nan_record_is_quarantined_and_the_year_keeps_saving(tmp_path: Path) -> None:
    """Regression: a NaN in one record blocked every later save to its year."""
    good = [make_session(datetime(2026, 3, day, 9, tzinfo=LOCAL)) for day in (1, 2, 3)]
    bad = make_session(datetime(2026, 3, 4, 9, tzinfo=LOCAL)).to_dict()
    bad["active_seconds"] = math.nan
    sessions = {str(n + 1): record.to_dict() for n, record in enumerate(good)}
    sessions["4"] = bad
    write_tables(
        tmp_path / shard_name(2026),
        {"sessions": sessions, "meta": {"1": {"schema_version": 1}}},
    )

    store = HistoryStore(tmp_path)
    assert store.sessions() == good  # the good ones are shown
    (problem,) = store.problems
    assert str(tmp_path / shard_name(2026)) in problem
    assert "session 4" in problem
    assert bad["id"] in problem
    assert "active_seconds: expected a number from 0 to 86400, found nan" in problem

    later = make_session(datetime(2026, 3, 5, 9, tzinfo=LOCAL))
    store.start_session(later)
    store.finish_session(later)  # the year saves again

    reopened = HistoryStore(tmp_path)
    assert reopened.sessions() == [*good, later]
    assert reopened.problems == []
    (kept,) = quarantined(tmp_path, shard_name(2026))  # nothing lost
    assert kept["table"] == "sessions"
    assert kept["document_id"] == "4"
    assert "active_seconds" in kept["reason"]
    assert kept["document"]["id"] == bad["id"]
    assert math.isnan(kept["document"]["active_seconds"])
    assert {k: v for k, v in kept["document"].items() if k != "active_seconds"} == {
        k: v for k, v in bad.items() if k != "active_seconds"
    }


def test_the_first_write_to_a_year_sets_aside_what_no_read_met(tmp_path: Path) -> None:
    early = make_session(datetime(2026, 1, 5, 9, tzinfo=LOCAL)).to_dict()
    early["started"] = "2026-01-05T09:00:00"  # no offset
    event = {"id": "b1", "at": "2026-01-06T10:00:00+00:00", "kind": "shown", "x": math.inf}
    write_tables(tmp_path / shard_name(2026), {"sessions": {"1": early}, "breaks": {"7": event}})
    store = HistoryStore(tmp_path)
    assert store.sessions(since=datetime(2026, 6, 1, tzinfo=UTC)) == []  # not in range
    record = make_session(datetime(2026, 6, 2, 9, tzinfo=LOCAL))
    store.finish_session(record)

    assert HistoryStore(tmp_path).sessions() == [record]
    kept = {k["table"]: k for k in quarantined(tmp_path, shard_name(2026))}
    assert {table: k["document_id"] for table, k in kept.items()} == {
        "sessions": "1",
        "breaks": "7",
    }
    reason = kept["sessions"]["reason"]
    assert "started: expected an ISO 8601 time with its UTC offset" in reason
    assert "cannot be stored as JSON" in kept["breaks"]["reason"]  # valid, but for its Infinity
    assert any("break event 7" in p for p in store.problems)


def test_text_no_file_can_hold_is_quarantined_and_the_year_keeps_saving(tmp_path: Path) -> None:
    """Regression: an unknown field holding "\\ud800" made every save of its year fail."""
    good = make_session(datetime(2026, 3, 1, 9, tzinfo=LOCAL))
    odd = dict(make_session(datetime(2026, 3, 2, 9, tzinfo=LOCAL)).to_dict(), note="\ud800")
    write_tables(
        tmp_path / shard_name(2026),
        {"sessions": {"1": good.to_dict(), "2": odd}, "meta": {"1": {"schema_version": 1}}},
    )
    store = HistoryStore(tmp_path)
    later = make_session(datetime(2026, 3, 3, 9, tzinfo=LOCAL))
    store.finish_session(later)
    assert HistoryStore(tmp_path).sessions() == [good, later]
    (kept,) = quarantined(tmp_path, shard_name(2026))
    assert kept["document"] == odd
    assert "surrogates not allowed" in kept["reason"]


def test_a_reader_skips_invalid_records_and_changes_nothing(tmp_path: Path) -> None:
    good = make_session(datetime(2026, 3, 1, 9, tzinfo=LOCAL))
    bad = make_session(datetime(2026, 3, 2, 9, tzinfo=LOCAL)).to_dict()
    bad["started"] = "0001-01-01T00:00:00+05:00"
    raw = write_tables(tmp_path / shard_name(2026), {"sessions": {"1": good.to_dict(), "2": bad}})
    reader = HistoryStore(tmp_path, recover=False)
    assert reader.sessions() == [good]
    assert reader.sessions() == [good]
    (problem,) = reader.problems  # told once
    assert "session 2" in problem
    assert "skipped" in problem
    assert sorted(p.name for p in tmp_path.iterdir()) == [shard_name(2026)]
    assert (tmp_path / shard_name(2026)).read_bytes() == raw


def test_an_invalid_running_session_is_quarantined_the_others_recovered(tmp_path: Path) -> None:
    crashed = make_session(datetime(2026, 5, 1, 9, tzinfo=LOCAL))
    naive = make_session(datetime(2026, 5, 1, 10, tzinfo=LOCAL)).to_dict()
    naive["started"] = "2026-05-01T10:00:00"
    running = dict(crashed.to_dict(), outcome="in_progress")
    write_tables(tmp_path / IN_PROGRESS_FILE_NAME, {"sessions": {"1": running, "2": naive}})

    store = HistoryStore(tmp_path)
    assert store.recovered == 1
    assert [(r.id, r.outcome) for r in store.sessions()] == [
        (crashed.id, SessionOutcome.INTERRUPTED)
    ]
    (kept,) = quarantined(tmp_path, IN_PROGRESS_FILE_NAME)
    assert kept["document"] == naive
    assert any(IN_PROGRESS_FILE_NAME in p and "session 2" in p for p in store.problems)
    assert HistoryStore(tmp_path).problems == []


@pytest.mark.parametrize(
    "content",
    [
        b"[" * 100_000,
        b'{"sessions": {"1": {"active_seconds": ' + b"9" * 5000 + b"}}}",
        b"\xff\xfe{}",
        b'{"sessions": []}',
        b'{"sessions": {"01": {}}}',
    ],
    ids=["deep", "digits", "not-utf8", "shape", "doc-id"],
)
@pytest.mark.parametrize("name", [IN_PROGRESS_FILE_NAME, shard_name(2026)])
def test_an_unreadable_file_is_set_aside_and_the_history_still_works(
    tmp_path: Path, name: str, content: bytes
) -> None:
    """Regression: 100,000 '[' in the in-progress file gave a RecursionError traceback."""
    (tmp_path / name).write_bytes(content)
    store = HistoryStore(tmp_path)
    assert store.sessions() == []
    (aside,) = tmp_path.glob(f"{name}.unreadable-*")
    assert aside.read_bytes() == content
    assert any(str(tmp_path / name) in problem for problem in store.problems)
    record = make_session(datetime(2026, 5, 1, 9, tzinfo=LOCAL))
    store.start_session(record)
    store.finish_session(record)
    assert HistoryStore(tmp_path).sessions() == [record]


def test_a_number_too_large_for_a_float_is_one_bad_record_not_a_bad_year(tmp_path: Path) -> None:
    good = make_session(datetime(2026, 3, 1, 9, tzinfo=LOCAL))
    bad = json.dumps(make_session(datetime(2026, 3, 2, 9, tzinfo=LOCAL)).to_dict())
    bad = bad.replace('"active_seconds": 540.0', '"active_seconds": 1e400')
    shard = f'{{"sessions": {{"1": {json.dumps(good.to_dict())}, "2": {bad}}}}}'
    (tmp_path / shard_name(2026)).write_text(shard, encoding="utf-8")
    store = HistoryStore(tmp_path)
    assert store.sessions() == [good]
    (kept,) = quarantined(tmp_path, shard_name(2026))
    assert kept["document"]["active_seconds"] == math.inf
    assert "active_seconds: expected a number from 0 to 86400, found inf" in kept["reason"]


def test_a_year_larger_than_a_small_state_file_is_read(tmp_path: Path) -> None:
    """Regression: shards were held to the 1 MiB of the small state files and moved aside."""
    day = datetime(2026, 1, 1, 9, tzinfo=LOCAL)
    records = [make_session(day + timedelta(hours=n)) for n in range(3000)]
    HistoryStore(tmp_path).add_sessions(records)
    assert (tmp_path / shard_name(2026)).stat().st_size > 1024 * 1024
    reopened = HistoryStore(tmp_path)
    assert len(reopened.sessions()) == 3000
    assert reopened.problems == []


def test_one_session_id_is_stored_once_across_new_year(tmp_path: Path) -> None:
    """Regression: the same instant written with another offset went into two years."""
    december = make_session(
        datetime(2026, 12, 31, 23, 30, tzinfo=timezone(timedelta(hours=-2))), session_id="s-1"
    )
    january = make_session(
        datetime(2027, 1, 1, 1, 30, tzinfo=timezone(timedelta(hours=0))), session_id="s-1"
    )
    assert december.started == january.started  # the same instant
    assert december.started.year != january.started.year

    store = HistoryStore(tmp_path)
    assert store.add_sessions([december]) == 1
    assert store.add_sessions([january]) == 0
    assert HistoryStore(tmp_path).add_sessions([january]) == 0  # the index, from disk
    assert [r.id for r in HistoryStore(tmp_path).sessions()] == ["s-1"]
    assert sorted(p.name for p in tmp_path.glob("history-*.json")) == [shard_name(2026)]
    other = make_session(datetime(2027, 1, 2, tzinfo=UTC), session_id="s-2")
    assert store.add_sessions([january, other]) == 1


def test_a_closed_store_is_freed_at_once(tmp_path: Path) -> None:
    """No reference cycle keeps a year of history in memory after the store is dropped."""
    store = HistoryStore(tmp_path)
    store.finish_session(make_session(datetime(2026, 3, 1, 9, tzinfo=LOCAL)))
    store.sessions()
    alive = weakref.ref(store)
    gc.disable()
    try:
        del store
        assert alive() is None
    finally:
        gc.enable()
