"""The lock beside a state file: exclusive, bounded wait, released however the block ends."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from backtimer.core.store.errors import StoreWriteError
from backtimer.core.store.file_lock import FileBusyError, lock_path, locked


@contextmanager
def held_elsewhere(path: Path) -> Iterator[None]:
    """The lock of ``path`` held through another open file (as another process would)."""
    fd = os.open(lock_path(path), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        yield
    finally:
        os.close(fd)


class FakeTime:
    """A monotonic clock that only the fake sleep moves."""

    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_the_lock_file_is_beside_the_state_file(tmp_path: Path) -> None:
    target = tmp_path / "reps.json"
    assert lock_path(target) == tmp_path / "reps.json.lock"
    with locked(target):
        assert lock_path(target).is_file()
    assert not target.exists()  # the lock never creates the state file itself


def test_a_held_lock_is_waited_for_a_bounded_time_then_refused(tmp_path: Path) -> None:
    target = tmp_path / "reps.json"
    fake = FakeTime()
    with (
        held_elsewhere(target),
        pytest.raises(FileBusyError, match=r"reps\.json: another backtimer kept it locked"),
        locked(target, wait_s=2.0, monotonic=fake.monotonic, sleep=fake.sleep),
    ):
        pytest.fail("the block must not run while another holds the lock")
    assert sum(fake.slept) == pytest.approx(2.0)
    assert max(fake.slept) <= 0.05  # short pauses: a released lock is taken soon after
    assert isinstance(FileBusyError(target, "x"), StoreWriteError)


def test_the_lock_is_released_when_the_block_ends_even_by_an_error(tmp_path: Path) -> None:
    target = tmp_path / "settings.json"
    with pytest.raises(RuntimeError), locked(target):
        raise RuntimeError("boom")
    fd = os.open(lock_path(target), os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # free again: no BlockingIOError
    finally:
        os.close(fd)


def test_a_folder_where_no_lock_can_be_made_is_a_write_error(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "data"
    not_a_folder.write_text("a file where the folder should be", encoding="utf-8")
    with (
        pytest.raises(StoreWriteError, match=r"cannot create its lock file reps\.json\.lock"),
        locked(not_a_folder / "reps.json"),
    ):
        pytest.fail("no lock, no change")
