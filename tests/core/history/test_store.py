"""History on disk: shards by year, crash recovery, corrupt shards, failed writes, migration."""

from __future__ import annotations

import dataclasses
import errno
import json
import os
import random
import signal
import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from backtimer.core.history.lock import AlreadyRunningError, InstanceLock
from backtimer.core.history.records import (
    BreakEvent,
    BreakEventKind,
    ExerciseRecord,
    ExerciseState,
    SessionKind,
    SessionOutcome,
    SessionRecord,
)
from backtimer.core.history.store import (
    IN_PROGRESS_FILE_NAME,
    SCHEMA_VERSION,
    HistoryStore,
    shard_name,
)
from backtimer.core.store.atomic_storage import StoreWriteError

REPO = Path(__file__).resolve().parents[3]
LOCAL = timezone(timedelta(hours=2))


def make_session(
    started: datetime,
    outcome: SessionOutcome = SessionOutcome.COMPLETED,
    session_id: str | None = None,
) -> SessionRecord:
    return SessionRecord(
        id=session_id or str(uuid.uuid4()),
        started=started,
        ended=started + timedelta(minutes=10),
        routine_id="daily",
        routine_title="Daily back routine",
        outcome=outcome,
        active_seconds=540.0,
        app_version="0.1.0",
        exercises=(
            ExerciseRecord("cat-cow", "Cat–cow", 2, 2, 10, 9, 0.0, False),
            ExerciseRecord("bird-dog", "Bird dog", 3, 1, 8, 8, 5.0, True),
        ),
    )


def test_round_trip(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path)
    record = make_session(datetime(2026, 3, 4, 9, 30, tzinfo=LOCAL))
    earlier = make_session(datetime(2026, 3, 1, 8, 0, tzinfo=LOCAL))
    started = store.start_session(record)
    assert started.outcome is SessionOutcome.IN_PROGRESS
    store.finish_session(record)
    store.finish_session(earlier)  # never started: inserted
    event = BreakEvent("b1", datetime(2026, 3, 4, 11, 0, tzinfo=LOCAL), BreakEventKind.SNOOZED)
    store.add_break_event(event)

    reopened = HistoryStore(tmp_path)
    assert reopened.sessions() == [earlier, record]
    assert reopened.sessions(since=datetime(2026, 3, 2, tzinfo=UTC)) == [record]
    assert reopened.break_events() == [event]
    assert reopened.break_events(since=datetime(2026, 3, 5, tzinfo=UTC)) == []
    assert reopened.recovered == 0
    assert reopened.problems == []
    assert HistoryStore(tmp_path / "missing").sessions() == []


def test_sessions_are_sharded_by_year(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path)
    old = make_session(datetime(2025, 12, 31, 23, 30, tzinfo=LOCAL))
    new = make_session(datetime(2026, 1, 1, 0, 30, tzinfo=LOCAL))
    store.finish_session(old)
    store.finish_session(new)
    store.add_break_event(BreakEvent("b", datetime(2025, 6, 1, tzinfo=UTC), BreakEventKind.TAKEN))

    assert sorted(p.name for p in tmp_path.iterdir()) == [shard_name(2025), shard_name(2026)]
    shard_2025 = json.loads((tmp_path / shard_name(2025)).read_text(encoding="utf-8"))
    shard_2026 = json.loads((tmp_path / shard_name(2026)).read_text(encoding="utf-8"))
    assert [d["id"] for d in shard_2025["sessions"].values()] == [old.id]
    assert [d["id"] for d in shard_2026["sessions"].values()] == [new.id]
    assert len(shard_2025["breaks"]) == 1
    assert "breaks" not in shard_2026
    for shard in (shard_2025, shard_2026):
        assert shard["meta"] == {"1": {"schema_version": SCHEMA_VERSION}}

    reopened = HistoryStore(tmp_path)
    assert reopened.years() == [2025, 2026]
    assert reopened.sessions() == [old, new]
    # Only the shards that can hold sessions since then are read.
    assert reopened.sessions(since=datetime(2026, 1, 1, tzinfo=LOCAL)) == [new]
    assert set(reopened._shards) == {2025, 2026}  # 2025 read: within a day of the boundary
    later = HistoryStore(tmp_path)
    assert later.sessions(since=datetime(2026, 6, 1, tzinfo=UTC)) == []
    assert set(later._shards) == {2026}


def test_in_progress_session_becomes_interrupted_on_reopen(tmp_path: Path) -> None:
    finished = make_session(datetime(2025, 5, 1, 9, tzinfo=LOCAL))
    crashed = make_session(datetime(2026, 5, 1, 9, tzinfo=LOCAL))
    store = HistoryStore(tmp_path)
    store.start_session(finished)
    store.finish_session(finished)
    store.start_session(crashed)  # and then the app dies
    del store

    reopened = HistoryStore(tmp_path)
    assert reopened.recovered == 1
    outcomes = {r.id: r.outcome for r in reopened.sessions()}
    assert outcomes == {
        finished.id: SessionOutcome.COMPLETED,
        crashed.id: SessionOutcome.INTERRUPTED,
    }
    assert "in_progress" not in (tmp_path / IN_PROGRESS_FILE_NAME).read_text(encoding="utf-8")
    # Written to disk: the next opening finds nothing to recover.
    again = HistoryStore(tmp_path)
    assert again.recovered == 0
    assert again.recover_interrupted() == 0
    assert {r.id: r.outcome for r in again.sessions()} == outcomes


def test_finished_session_left_in_the_progress_file_is_not_downgraded(tmp_path: Path) -> None:
    record = make_session(datetime(2026, 5, 1, 9, tzinfo=LOCAL))
    store = HistoryStore(tmp_path)
    store.finish_session(record)
    store.start_session(record)  # as if killed after storing it, before tidying up
    reopened = HistoryStore(tmp_path)
    assert reopened.recovered == 0
    assert reopened.sessions() == [record]


def test_recovery_that_cannot_write_is_reported_and_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    crashed = make_session(datetime(2026, 5, 1, 9, tzinfo=LOCAL))
    HistoryStore(tmp_path).start_session(crashed)

    def no_space(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", no_space)
    failing = HistoryStore(tmp_path)
    assert failing.recovered == 0
    assert len(failing.problems) == 1
    monkeypatch.undo()
    reopened = HistoryStore(tmp_path)
    assert reopened.recovered == 1
    assert [r.outcome for r in reopened.sessions()] == [SessionOutcome.INTERRUPTED]


def test_add_sessions_skips_ids_already_present(tmp_path: Path) -> None:
    a = make_session(datetime(2025, 1, 1, 9, tzinfo=LOCAL))
    b = make_session(datetime(2026, 1, 2, 9, tzinfo=LOCAL))
    c = make_session(datetime(2026, 1, 3, 9, tzinfo=LOCAL))
    store = HistoryStore(tmp_path)
    assert store.add_sessions([a, b]) == 2
    assert store.add_sessions([b, c, c, a]) == 1
    assert store.add_sessions([]) == 0
    assert HistoryStore(tmp_path).add_sessions([a, b, c]) == 0
    assert HistoryStore(tmp_path).sessions() == [a, b, c]


def test_corrupt_shard_is_moved_aside_and_the_others_still_load(tmp_path: Path) -> None:
    kept = make_session(datetime(2026, 2, 1, 9, tzinfo=LOCAL))
    store = HistoryStore(tmp_path)
    store.finish_session(make_session(datetime(2025, 2, 1, 9, tzinfo=LOCAL)))
    store.finish_session(kept)
    broken = tmp_path / shard_name(2025)
    garbage = b'{"sessions": {"1": {"id": "half'
    broken.write_bytes(garbage)

    reopened = HistoryStore(tmp_path)
    assert reopened.sessions() == [kept]
    [problem] = reopened.problems
    aside = [p for p in tmp_path.iterdir() if p.name.startswith(f"{shard_name(2025)}.unreadable-")]
    assert len(aside) == 1
    assert aside[0].read_bytes() == garbage  # kept, never deleted
    assert str(broken) in problem
    assert str(aside[0]) in problem
    assert not broken.exists()

    # That year starts afresh; the moved file stays.
    fresh = make_session(datetime(2025, 3, 1, 9, tzinfo=LOCAL))
    reopened.finish_session(fresh)
    assert HistoryStore(tmp_path).sessions() == [fresh, kept]
    assert aside[0].read_bytes() == garbage


def test_failed_write_raises_and_keeps_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    done = make_session(datetime(2026, 4, 1, 9, tzinfo=LOCAL))
    running = make_session(datetime(2026, 4, 2, 9, tzinfo=LOCAL), SessionOutcome.STOPPED)
    store = HistoryStore(tmp_path)
    store.finish_session(done)
    store.start_session(running)
    files = sorted(tmp_path.iterdir())
    before = {path: path.read_bytes() for path in files}

    def no_space(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", no_space)
    with pytest.raises(StoreWriteError) as raised:
        store.finish_session(running)
    assert raised.value.errno == errno.ENOSPC
    with pytest.raises(StoreWriteError):
        store.finish_session(dataclasses.replace(done, active_seconds=1.0))  # an update
    with pytest.raises(StoreWriteError):
        store.start_session(make_session(datetime(2026, 4, 3, tzinfo=LOCAL)))
    with pytest.raises(StoreWriteError):
        store.add_sessions([make_session(datetime(2026, 4, 4, tzinfo=LOCAL))])
    assert sorted(tmp_path.iterdir()) == files  # no temporary file left
    assert {path: path.read_bytes() for path in files} == before
    monkeypatch.undo()

    # The store did not keep what failed: it shows, then writes, what is on disk.
    assert [(r.id, r.outcome) for r in store.sessions()] == [
        (done.id, SessionOutcome.COMPLETED),
        (running.id, SessionOutcome.IN_PROGRESS),
    ]
    store.finish_session(running)
    reopened = HistoryStore(tmp_path)
    assert reopened.sessions() == [done, running]
    assert reopened.recovered == 0


V0_SHARD = {
    "sessions": {
        "1": {
            "id": "v0-pain",
            "started": "2024-05-06T07:08:09+02:00",
            "ended": "2024-05-06T07:10:00+02:00",
            "routine_id": "daily",
            "routine_title": "Daily back routine",
            "outcome": "pain",
            "active_seconds": 100.0,
            "app_version": "0.0.9",
            "exercises": [],
        },
        "2": {
            "id": "v0-done",
            "started": "2024-05-07T07:08:09+02:00",
            "ended": None,
            "routine_id": "daily",
            "routine_title": "Daily back routine",
            "outcome": "completed",
            "active_seconds": 600.0,
            "app_version": "0.0.9",
        },
    },
    "breaks": {"1": {"id": "b", "at": "2024-05-06T10:00:00+02:00", "kind": "taken"}},
}


def test_v0_shard_is_migrated_on_read(tmp_path: Path) -> None:
    path = tmp_path / shard_name(2024)
    path.write_text(json.dumps(V0_SHARD, indent=2), encoding="utf-8")

    store = HistoryStore(tmp_path)
    sessions = store.sessions()
    assert [(r.id, r.outcome) for r in sessions] == [
        ("v0-pain", SessionOutcome.STOPPED_FOR_PAIN),
        ("v0-done", SessionOutcome.COMPLETED),
    ]
    assert [e.kind for e in store.break_events()] == [BreakEventKind.TAKEN]
    assert store.problems == []
    migrated = json.loads(path.read_text(encoding="utf-8"))
    assert migrated["meta"] == {"1": {"schema_version": SCHEMA_VERSION}}
    assert migrated["sessions"]["1"]["outcome"] == "stopped_for_pain"
    assert HistoryStore(tmp_path).sessions() == sessions


def test_shard_from_a_newer_version_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / shard_name(2024)
    newer = dict(V0_SHARD, meta={"1": {"schema_version": SCHEMA_VERSION + 1}})
    path.write_text(json.dumps(newer), encoding="utf-8")
    before = path.read_bytes()

    store = HistoryStore(tmp_path)
    assert store.sessions() == []
    assert len(store.problems) == 1
    assert "newer" in store.problems[0]
    with pytest.raises(StoreWriteError):
        store.finish_session(make_session(datetime(2024, 6, 1, tzinfo=LOCAL)))
    assert path.read_bytes() == before


LOCK_HOLDER = """
import sys
from pathlib import Path
from backtimer.core.history.lock import InstanceLock
lock = InstanceLock(Path(sys.argv[1]))
lock.acquire()
print("locked", flush=True)
sys.stdin.readline()
"""


def test_instance_lock_is_exclusive_between_processes(tmp_path: Path) -> None:
    path = tmp_path / "data" / "backtimer.lock"
    child = subprocess.Popen(
        [sys.executable, "-c", LOCK_HOLDER, str(path)],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline() == "locked\n"
        with pytest.raises(AlreadyRunningError):
            InstanceLock(path).acquire()
    finally:
        child.communicate("done\n", timeout=30)
    with InstanceLock(path) as lock:
        assert lock.held
        with pytest.raises(AlreadyRunningError):
            InstanceLock(path).acquire()  # a second holder in this process is refused too
    assert not lock.held
    with InstanceLock(path):
        pass


RECORDER = """
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from backtimer.core.history.lock import InstanceLock
from backtimer.core.history.records import (
    BreakEvent, BreakEventKind, ExerciseRecord, SessionOutcome, SessionRecord,
)
from backtimer.core.history.store import HistoryStore

folder, prefix = Path(sys.argv[1]), sys.argv[2]
InstanceLock(folder / "backtimer.lock").acquire()
store = HistoryStore(folder)
print("open", store.recovered, flush=True)
base = datetime(2025, 12, 31, 23, 40, tzinfo=timezone(timedelta(hours=1)))
exercise = ExerciseRecord("cat-cow", "Cat-cow", 2, 2, 10, 10, 0.0, False)
n = 0
while True:
    started = base + timedelta(minutes=7 * n)  # crosses into 2026: two shards
    record = SessionRecord(
        f"{prefix}-{n}", started, None, "daily", "Daily", SessionOutcome.IN_PROGRESS,
        0.0, "0.1.0", (exercise,) * 8,
    )
    store.start_session(record)
    store.add_break_event(BreakEvent(f"{prefix}-b{n}", started, BreakEventKind.SHOWN))
    store.finish_session(SessionRecord(
        record.id, started, started + timedelta(minutes=5), "daily", "Daily",
        SessionOutcome.COMPLETED, 300.0, "0.1.0", (exercise,) * 8,
    ))
    print("written", record.id, flush=True)
    n += 1
"""


@pytest.mark.slow
def test_sigkill_while_recording_loses_at_most_the_session_in_flight(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    rng = random.Random(20260)
    reported: set[str] = set()
    for iteration in range(20):
        child = subprocess.Popen(
            [sys.executable, "-c", RECORDER, str(folder), f"i{iteration}"],
            cwd=REPO,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        assert child.stdout.readline().startswith("open ")
        for _ in range(rng.randint(1, 6)):
            line = child.stdout.readline()
            assert line.startswith("written "), line
            reported.add(line.split()[1])
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        child.stdout.close()
        assert child.returncode == -signal.SIGKILL

    for shard in folder.glob("history-*.json"):
        json.loads(shard.read_text(encoding="utf-8"))  # every file is whole JSON
    with InstanceLock(folder / "backtimer.lock"):  # the killed holders left no lock
        store = HistoryStore(folder)
        store.remove_stale_temporaries()
    assert not list(folder.glob(".*.tmp"))
    assert store.problems == []
    assert not list(folder.glob("*.unreadable-*"))
    sessions = {r.id: r for r in store.sessions()}
    assert reported <= set(sessions)
    for session_id in reported:
        assert sessions[session_id].outcome is SessionOutcome.COMPLETED
    # Beyond those: per run at most the one in flight (its start or its finish written).
    extra = set(sessions) - reported
    assert len({session_id.split("-")[0] for session_id in extra}) == len(extra)
    assert all(
        sessions[i].outcome in {SessionOutcome.INTERRUPTED, SessionOutcome.COMPLETED} for i in extra
    )
    assert {p.name for p in folder.glob("history-*.json")} == {
        shard_name(2025),
        shard_name(2026),
        IN_PROGRESS_FILE_NAME,
    }
    assert store.recover_interrupted() == 0


def test_v1_shard_gets_kinds_states_and_pain_notes(tmp_path: Path) -> None:
    exercise = {
        "exercise_id": "march",
        "name": "March",
        "sets_planned": 1,
        "sets_done": 0,
        "reps_planned": 0,
        "reps_done": 0,
        "hold_seconds": 0.0,
        "skipped": False,
    }
    base = {
        "started": "2025-05-07T07:08:09+02:00",
        "ended": None,
        "routine_title": "Desk break",
        "outcome": "completed",
        "active_seconds": 150.0,
        "app_version": "0.1.0",
    }
    v1 = {
        "sessions": {
            "1": {**base, "id": "break", "routine_id": "desk-break", "exercises": [exercise]},
            "2": {**base, "id": "neck", "routine_id": "neck", "exercises": []},
        },
        "meta": {"1": {"schema_version": 1}},
    }
    path = tmp_path / shard_name(2025)
    path.write_text(json.dumps(v1), encoding="utf-8")

    store = HistoryStore(tmp_path)
    desk_break, neck = store.sessions()
    assert store.problems == []
    assert desk_break.kind is SessionKind.DESK_BREAK
    assert neck.kind is SessionKind.WORKOUT
    assert desk_break.exercises[0].state is ExerciseState.NOT_REACHED  # not "0 of 0 done"
    migrated = json.loads(path.read_text(encoding="utf-8"))
    assert migrated["meta"] == {"1": {"schema_version": SCHEMA_VERSION}}
    document = migrated["sessions"]["1"]
    assert (document["kind"], document["pain_area"], document["pain_note"]) == (
        "desk_break",
        "",
        "",
    )
    assert document["exercises"][0]["state"] == "not_reached"
    assert HistoryStore(tmp_path).sessions() == [desk_break, neck]
