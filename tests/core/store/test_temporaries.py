"""Temporaries of killed writes: removed when stale, never a write in flight, never data."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from backtimer.core.store.atomic_storage import write_atomically
from backtimer.core.store.temporaries import STALE_AFTER_S, remove_stale_temporaries

NOW = 2_000_000_000.0


def make(path: Path, age_s: float) -> Path:
    path.write_text("partial", encoding="utf-8")
    os.utime(path, (NOW - age_s, NOW - age_s))
    return path


def test_only_stale_temporaries_of_the_named_files_go(tmp_path: Path) -> None:
    old = make(tmp_path / ".reps.json.abc123.tmp", STALE_AFTER_S + 1)
    in_flight = make(tmp_path / ".reps.json.def456.tmp", 1)
    other_file = make(tmp_path / ".notes.txt.abc123.tmp", 3600)
    data = make(tmp_path / "reps.json", 3600)
    kept_aside = make(tmp_path / "reps.json.unreadable-20260101T000000Z", 3600)

    removed = remove_stale_temporaries(tmp_path, ["reps.json", "reminders.json"], now=NOW)

    assert removed == [old]
    assert not old.exists()
    for path in (in_flight, other_file, data, kept_aside):
        assert path.exists(), path


def test_patterns_and_age_zero_for_files_only_the_lock_holder_writes(tmp_path: Path) -> None:
    shard = make(tmp_path / ".history-2026.json.x1.tmp", 0)
    journal = make(tmp_path / ".history-in-progress.json.x2.tmp", 0)
    removed = remove_stale_temporaries(tmp_path, ["history-*.json"], min_age_s=0, now=NOW)
    assert sorted(removed) == sorted([shard, journal])


def test_what_write_atomically_leaves_matches(tmp_path: Path) -> None:
    target = tmp_path / "reminders.json"
    write_atomically(target, "{}\n")
    # A temporary named exactly as write_atomically names them (as a kill would leave it).
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=tmp_path)
    os.close(fd)
    os.utime(name, (NOW - 3600, NOW - 3600))
    assert remove_stale_temporaries(tmp_path, [target.name], now=NOW) == [Path(name)]
    assert target.read_text(encoding="utf-8") == "{}\n"


def test_links_and_folders_are_left_and_a_missing_folder_is_fine(tmp_path: Path) -> None:
    victim = make(tmp_path / "precious", 3600)
    link = tmp_path / ".reps.json.lnk.tmp"
    link.symlink_to(victim)
    (tmp_path / ".reps.json.dir.tmp").mkdir()
    assert remove_stale_temporaries(tmp_path, ["reps.json"], now=NOW + 3600) == []
    assert victim.exists()
    assert link.is_symlink()
    assert remove_stale_temporaries(tmp_path / "missing", ["reps.json"]) == []
