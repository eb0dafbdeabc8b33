"""`backtimer history`, `export --csv` and `import --csv`, run as a user runs them."""

from __future__ import annotations

import csv
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from backtimer.core.history.records import ExerciseRecord, SessionOutcome, SessionRecord
from backtimer.core.history.store import HistoryStore
from backtimer.core.paths import resolve_paths

START = datetime(2026, 11, 20, 8, 30, tzinfo=UTC)


def record(
    number: int, title: str = "Neck", outcome: SessionOutcome = SessionOutcome.COMPLETED
) -> SessionRecord:
    return SessionRecord(
        id=f"session-{number}",
        started=START + timedelta(days=number),
        ended=START + timedelta(days=number, minutes=7),
        routine_id="neck",
        routine_title=title,
        outcome=outcome,
        active_seconds=420.0,
        app_version="0.1.0",
        exercises=(ExerciseRecord("head-turns", "Head turns", 1, 1, 5, 5, 0.0, False),),
    )


def run(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "backtimer", "--data-dir", str(data), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def seed(data: Path, records: list[SessionRecord]) -> Path:
    folder = resolve_paths(data).data / "history"
    HistoryStore(folder).add_sessions(records)
    return folder


def test_export_then_import_restores_the_same_history(tmp_path: Path) -> None:
    original = [
        record(0, title='=HYPERLINK("x")'),
        record(1, outcome=SessionOutcome.STOPPED_FOR_PAIN),
    ]
    seed(tmp_path / "a", original)
    exported = tmp_path / "history.csv"
    result = run(tmp_path / "a", "export", "--csv", str(exported))
    assert result.returncode == 0, result.stderr
    with exported.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    assert rows[0][:3] == ["id", "started", "ended"]
    assert rows[1][4].startswith("'=")  # the formula cell is neutralised

    result = run(tmp_path / "b", "import", "--csv", str(exported))
    assert result.returncode == 0, result.stderr
    assert "Imported 2 sessions" in result.stdout
    restored = HistoryStore(resolve_paths(tmp_path / "b").data / "history").sessions()
    assert restored == original

    again = run(tmp_path / "b", "import", "--csv", str(exported))
    assert "Imported 0 sessions; 2 were already there" in again.stdout
    assert len(HistoryStore(resolve_paths(tmp_path / "b").data / "history").sessions()) == 2


def test_bad_rows_are_reported_with_their_line_and_the_good_ones_kept(tmp_path: Path) -> None:
    seed(tmp_path / "a", [record(0), record(1)])
    exported = tmp_path / "history.csv"
    run(tmp_path / "a", "export", "--csv", str(exported))
    lines = exported.read_bytes().decode("utf-8").split("\r\n")
    lines[2] = lines[2].replace(",completed,", ",finished,")
    exported.write_bytes("\r\n".join(lines).encode("utf-8"))
    result = run(tmp_path / "b", "import", "--csv", str(exported))
    assert result.returncode == 1
    assert f"{exported}:line 3: outcome:" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(HistoryStore(resolve_paths(tmp_path / "b").data / "history").sessions()) == 1


def test_export_to_stdout_by_exercise_with_dates(tmp_path: Path) -> None:
    seed(tmp_path, [record(0), record(1), record(2)])
    result = run(
        tmp_path,
        "export",
        "--csv",
        "-",
        "--by-exercise",
        "--from",
        "2026-11-21",
        "--to",
        "2026-11-21",
    )
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(result.stdout.splitlines()))
    assert [row[0] for row in rows[1:]] == ["session-1"]
    assert rows[1][5] == "Head turns"


def test_history_prints_a_table(tmp_path: Path) -> None:
    seed(tmp_path, [record(0), record(1, outcome=SessionOutcome.STOPPED_FOR_PAIN)])
    result = run(tmp_path, "history")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert "stopped for pain" in lines[2]
    assert "1/1" in lines[1]


def test_a_bad_date_is_a_clear_usage_error(tmp_path: Path) -> None:
    result = run(tmp_path, "export", "--csv", "-", "--from", "22.11.2026")
    assert result.returncode == 2
    assert "expected a date like 2026-11-22" in result.stderr
