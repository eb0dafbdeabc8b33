"""History at scale: opening and recording with 50,000 sessions on disk.

    .venv/bin/python bench/history_scale.py [--sessions 50000] [--years 10]

Builds a history of ``--sessions`` sessions (8 exercises each) spread evenly over the last
``--years`` years (one shard per year) in a temporary folder, then measures:

* startup: opening the store (reading the small in-progress file) plus reading the last
  30 days (the current year's shard), as the app does at startup — median of 7
  (target ≤ 150 ms);
* recording one session: ``start_session`` then ``finish_session`` (atomic, fsynced
  writes: the in-progress file, the current year's shard, the in-progress file again)
  — median of 21 (target ≤ 50 ms);
* for contrast, reading every session of every year (not done at startup).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from backtimer.core.history.records import (  # noqa: E402
    ExerciseRecord,
    SessionOutcome,
    SessionRecord,
)
from backtimer.core.history.store import HistoryStore  # noqa: E402

LOAD_TARGET_MS = 150.0
RECORD_TARGET_MS = 50.0
EXERCISES = tuple(
    ExerciseRecord(
        exercise_id=f"exercise-{n}",
        name=f"Exercise number {n}",
        sets_planned=3,
        sets_done=3,
        reps_planned=10,
        reps_done=10,
        hold_seconds=5.0,
        skipped=False,
    )
    for n in range(8)
)


def session(started: datetime) -> SessionRecord:
    return SessionRecord(
        id=str(uuid.uuid4()),
        started=started,
        ended=started + timedelta(minutes=12),
        routine_id="daily-back",
        routine_title="Daily back routine",
        outcome=SessionOutcome.COMPLETED,
        active_seconds=690.0,
        app_version="0.1.0",
        exercises=EXERCISES,
    )


def build(folder: Path, count: int, years: int, now: datetime) -> None:
    start = now - timedelta(days=365 * years)
    step = (now - start) / count
    HistoryStore(folder).add_sessions(session(start + step * n) for n in range(count))


def ms(seconds: float) -> float:
    return seconds * 1000.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=50_000)
    parser.add_argument("--years", type=int, default=10)
    args = parser.parse_args()
    now = datetime.now(UTC).replace(microsecond=0) - timedelta(days=1)

    with tempfile.TemporaryDirectory(prefix="backtimer-history-") as tmp:
        folder = Path(tmp)
        began = time.perf_counter()
        build(folder, args.sessions, args.years, now)
        built = time.perf_counter() - began
        shards = sorted(folder.glob("history-*.json"))
        current = folder / f"history-{now.year}.json"
        total_mb = sum(p.stat().st_size for p in shards) / 1e6
        print(
            f"built {args.sessions} sessions over {args.years} years in {built:.1f} s: "
            f"{len(shards)} shards, {total_mb:.1f} MB, "
            f"current year {current.stat().st_size / 1e6:.1f} MB"
        )

        loads = []
        for _ in range(7):
            began = time.perf_counter()
            store = HistoryStore(folder)
            recent = store.sessions(since=now - timedelta(days=30))
            loads.append(time.perf_counter() - began)
        print(f"  (last 30 days: {len(recent)} sessions)")

        began = time.perf_counter()
        everything = HistoryStore(folder).sessions()
        full = time.perf_counter() - began

        store = HistoryStore(folder)
        store.sessions(since=now - timedelta(days=30))  # the app has this loaded already
        records = []
        finishes = []
        for n in range(21):
            record = session(now + timedelta(minutes=n))
            began = time.perf_counter()
            store.start_session(record)
            middle = time.perf_counter()
            store.finish_session(record)
            ended = time.perf_counter()
            records.append(ended - began)
            finishes.append(ended - middle)
        began = time.perf_counter()
        HistoryStore(folder)
        open_only = time.perf_counter() - began

    load_ms = ms(statistics.median(loads))
    record_ms = ms(statistics.median(records))
    print(
        f"startup (open + last 30 days), median of 7: {load_ms:7.1f} ms  "
        f"(target ≤ {LOAD_TARGET_MS:.0f} ms: {'ok' if load_ms <= LOAD_TARGET_MS else 'OVER'})"
    )
    print(
        f"record one session, median of 21:          {record_ms:7.1f} ms  "
        f"(target ≤ {RECORD_TARGET_MS:.0f} ms: {'ok' if record_ms <= RECORD_TARGET_MS else 'OVER'})"
    )
    print(
        f"  (record min {ms(min(records)):.1f} ms, max {ms(max(records)):.1f} ms; "
        f"finish_session alone, median {ms(statistics.median(finishes)):.1f} ms)"
    )
    print(f"opening alone (no shard read): {ms(open_only):.1f} ms")
    print(f"for contrast, reading all {len(everything)} sessions: {ms(full):.0f} ms")


if __name__ == "__main__":
    main()
