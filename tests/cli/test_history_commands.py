"""`backtimer history`, `export --csv` and `import --csv`, run as a user runs them."""

from __future__ import annotations

import csv
import errno
import os
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from backtimer.core.history.csv_io import export_sessions
from backtimer.core.history.lock import InstanceLock
from backtimer.core.history.records import (
    BreakEvent,
    BreakEventKind,
    ExerciseRecord,
    SessionOutcome,
    SessionRecord,
)
from backtimer.core.history.store import HistoryStore
from backtimer.core.paths import resolve_paths
from backtimer.main import main
from tests.helpers.mounts import AFTER_MARKER, needs_mounts, run_backtimer_mounted

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
    assert lines[1].endswith("1 of 1 done")


def test_a_bad_date_is_a_clear_usage_error(tmp_path: Path) -> None:
    result = run(tmp_path, "export", "--csv", "-", "--from", "22.11.2026")
    assert result.returncode == 2
    assert "expected a date like 2026-11-22" in result.stderr


# --- a read-only data folder (issue 12, item 7) ---------------------------------------------


def _used_before(data: Path, records: list[SessionRecord]) -> Path:
    """A data folder backtimer has used (its folders made), holding ``records``."""
    seed(data, records)
    assert run(data, "history").returncode == 0  # makes the config and cache folders too
    return data


@needs_mounts
def test_reading_commands_work_in_a_read_only_data_folder(tmp_path: Path) -> None:
    data = _used_before(tmp_path / "data", [record(0), record(1)])
    (resolve_paths(data).data / "backtimer.lock").unlink()  # never run: no lock file yet
    history = run_backtimer_mounted(data, "ro", data, "history")
    assert history.returncode == 0, history.stderr
    assert "Traceback" not in history.stderr
    sessions = [line for line in history.stdout.splitlines() if line.startswith("2026-11-")]
    assert len(sessions) == 2

    exported = run_backtimer_mounted(data, "ro", data, "export", "--csv", "-")
    assert exported.returncode == 0, exported.stderr
    assert [row[0] for row in csv.reader(exported.stdout.splitlines())][1:] == [
        "session-0",
        "session-1",
    ]


@needs_mounts
def test_import_into_a_read_only_data_folder_says_so(tmp_path: Path) -> None:
    data = _used_before(tmp_path / "data", [record(0)])
    source = tmp_path / "import.csv"
    assert run(data, "export", "--csv", str(source)).returncode == 0
    before = sorted(p.name for p in (resolve_paths(data).data / "history").iterdir())
    result = run_backtimer_mounted(data, "ro", data, "import", "--csv", str(source))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert (
        f"backtimer import: the data folder {resolve_paths(data).data} is read-only; "
        "cannot import (Read-only file system)." in result.stderr
    )
    assert sorted(p.name for p in (resolve_paths(data).data / "history").iterdir()) == before


def test_reading_works_when_the_lock_cannot_be_taken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # What a read-only folder does to the lock, for machines where no mount can be made.
    seed(tmp_path, [record(0)])
    monkeypatch.setattr(InstanceLock, "acquire", _permission_denied)
    assert main(["--data-dir", str(tmp_path), "history"]) == 0
    assert "Neck" in capsys.readouterr().out
    assert main(["--data-dir", str(tmp_path), "export", "--csv", "-"]) == 0
    assert "session-0" in capsys.readouterr().out
    source = tmp_path / "in.csv"
    source.write_text("id\r\n")
    assert main(["--data-dir", str(tmp_path), "import", "--csv", str(source)]) == 1
    assert "is read-only; cannot import (Permission denied)." in capsys.readouterr().err


def _permission_denied(self: InstanceLock) -> None:
    raise PermissionError(errno.EACCES, "Permission denied", str(self.path))


# --- export is atomic (item 8) -------------------------------------------------------------


def test_a_failed_export_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(tmp_path / "data", [record(0), record(1)])
    target = tmp_path / "out" / "history.csv"
    target.parent.mkdir()
    target.write_bytes(b"the export of last week\r\n")

    def no_space(*_args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", no_space)
    code = main(["--data-dir", str(tmp_path / "data"), "export", "--csv", str(target)])
    assert code == 1
    assert capsys.readouterr().err == (
        f"backtimer export: could not write {target}: No space left on device; "
        "any file there before is unchanged.\n"
    )
    assert target.read_bytes() == b"the export of last week\r\n"
    assert [p.name for p in target.parent.iterdir()] == ["history.csv"]


@needs_mounts
def test_an_export_on_a_full_disk_keeps_the_old_file(tmp_path: Path) -> None:
    data = tmp_path / "data"
    seed(data, [record(n, title="T" * 900) for n in range(200)])  # about 300 KB of CSV
    out = tmp_path / "out"
    out.mkdir()
    (out / "history.csv").write_bytes(b"the export of last week\r\n")
    target = out / "history.csv"
    after = 'ls -A "$folder"; cat "$folder/history.csv"'
    result = run_backtimer_mounted(out, "64k", data, "export", "--csv", str(target), after=after)
    assert result.returncode == 1
    assert result.stderr == (
        f"backtimer export: could not write {target}: No space left on device; "
        "any file there before is unchanged.\n"
    )
    # what the tmpfs held when backtimer had finished: the old file alone, as it was
    assert result.stdout.split(AFTER_MARKER)[1] == "history.csv\nthe export of last week\n"


def test_export_to_a_full_standard_output_says_so(tmp_path: Path) -> None:
    seed(tmp_path, [record(0)])
    for args in (("export", "--csv", "-"), ("history",)):
        with Path("/dev/full").open("w") as full:
            result = subprocess.run(
                [sys.executable, "-m", "backtimer", "--data-dir", str(tmp_path), *args],
                stdout=full,
                stderr=subprocess.PIPE,
                text=True,
                timeout=60,
                check=False,
            )
        assert result.returncode == 1, args
        assert result.stderr == (
            "backtimer: could not write to standard output: No space left on device\n"
        )


def test_export_into_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    seed(tmp_path, [record(n, title="T" * 900) for n in range(300)])  # more than a pipe holds
    command = [sys.executable, "-m", "backtimer", "--data-dir", str(tmp_path)]
    with subprocess.Popen(
        [*command, "export", "--csv", "-"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as process:
        assert process.stdout is not None
        assert process.stderr is not None
        assert process.stdout.readline().startswith(b"id,started,")
        process.stdout.close()  # as `| head -1` does
        error = process.stderr.read().decode()
        assert process.wait(timeout=60) == 0
    assert error == ""


# --- titles are shown, not obeyed (item 12) ----------------------------------------------


def test_history_prints_titles_without_escapes_or_bidi_controls(tmp_path: Path) -> None:
    hostile = "\x1b]0;owned\x07\x1b[2J\x1b[31mNeck\u202e kcab\x1b[0m\r\nrm -rf"
    seed(tmp_path, [record(0, title=hostile)])
    result = run(tmp_path, "history")
    assert result.returncode == 0
    line = result.stdout.splitlines()[1]
    assert not any(char in line for char in "\x1b\x07\r\u202e")
    assert "Neck kcab  rm -rf" in line
    exported = run(tmp_path, "export", "--csv", "-").stdout  # the data itself is unchanged
    assert hostile.replace("\r\n", "\n") in exported.replace("\r\n", "\n")


# --- a partial import on a full disk (item 12) ------------------------------------------


def test_an_import_that_fails_half_way_says_what_was_added(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    records = [record(n) for n in range(40, 45)]  # 2026-12-30 … 2027-01-03: two years
    source = tmp_path / "in.csv"
    with source.open("w", encoding="utf-8", newline="") as out:
        export_sessions(records, out)
    real_replace = os.replace

    def full_for_2027(source_path: str, target: object) -> None:
        if str(target).endswith("history-2027.json"):
            raise OSError(errno.ENOSPC, "No space left on device")
        real_replace(source_path, target)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", full_for_2027)
    code = main(["--data-dir", str(tmp_path / "d"), "import", "--csv", str(source)])
    assert code == 1
    error = capsys.readouterr().err
    history = resolve_paths(tmp_path / "d").data / "history"
    assert error == (
        f"backtimer import: could not save {history / 'history-2027.json'}: No space left "
        "on device. 2 new sessions were added before that; import the file again to add "
        "the rest.\n"
    )
    monkeypatch.setattr(os, "replace", real_replace)
    assert [r.id for r in HistoryStore(history).sessions()] == ["session-40", "session-41"]
    assert main(["--data-dir", str(tmp_path / "d"), "import", "--csv", str(source)]) == 0
    assert "Imported 3 sessions; 2 were already there" in capsys.readouterr().out


@needs_mounts
def test_an_import_onto_a_full_disk_says_what_was_added(tmp_path: Path) -> None:
    data = _used_before(tmp_path / "data", [])
    small = replace(record(0), id="small", started=START - timedelta(days=365))
    small = replace(small, ended=small.started + timedelta(minutes=7))
    # 2026: about 250 KB, more than the 64 KiB file system holds
    big = [replace(record(0), id=f"big-{n}", routine_title="T" * 1000) for n in range(200)]
    source = tmp_path / "in.csv"
    with source.open("w", encoding="utf-8", newline="") as out:
        export_sessions([small, *big], out)
    result = run_backtimer_mounted(data, "64k", data, "import", "--csv", str(source))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.endswith(
        "history-2026.json: No space left on device. 1 new session was added before that; "
        "import the file again to add the rest.\n"
    )


def test_export_breaks_writes_the_reminders(tmp_path: Path) -> None:
    folder = seed(tmp_path, [record(0)])
    store = HistoryStore(folder)
    store.add_break_event(BreakEvent("b1", START, BreakEventKind.TAKEN))
    store.add_break_event(BreakEvent("b2", START + timedelta(days=2), BreakEventKind.SKIPPED))
    result = run(tmp_path, "export", "--csv", "-", "--breaks", "--to", "2026-11-21")
    assert result.returncode == 0, result.stderr
    assert list(csv.reader(result.stdout.splitlines())) == [
        ["id", "at", "kind"],
        ["b1", START.isoformat(), "taken"],
    ]
    both = run(tmp_path, "export", "--csv", "-", "--breaks", "--by-exercise")
    assert both.returncode == 2
    assert "not allowed with argument" in both.stderr


def test_history_lists_pain_notes_and_weeks(tmp_path: Path) -> None:
    pain = replace(
        record(1, outcome=SessionOutcome.STOPPED_FOR_PAIN),
        pain_area="neck",
        pain_note="stiff\nwhen turning",
    )
    folder = seed(tmp_path, [record(0), pain])
    HistoryStore(folder).add_break_event(BreakEvent("b", START, BreakEventKind.SNOOZED))
    result = run(tmp_path, "history")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "stopped for pain" in lines[2]
    assert lines[3].split() == ["pain:", "neck", "—", "stiff", "when", "turning"]
    (week,) = [line for line in lines if line.startswith("2026-W47")]
    assert week.split()[1:4] == ["1", "of", "3–4"]  # a 7-minute pain stop does not count
    assert week.endswith("0 taken · 1 snoozed · 0 skipped · 0 natural breaks")
    assert lines[-1].startswith("A workout counts toward the goal")
