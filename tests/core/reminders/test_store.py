"""The schedule on disk: round trip, a restart keeps it, unreadable files set aside."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import stat
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from backtimer.core.paths import resolve_paths
from backtimer.core.reminders.policy import Phase, ReminderPolicy, SavedSchedule
from backtimer.core.reminders.store import (
    ReminderStore,
    ScheduleFormatError,
    default_reminders_path,
    schedule_from_dict,
    schedule_to_dict,
)
from backtimer.core.settings import ReminderSettings
from tests.core.reminders.desk import BERLIN, Desk, local


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "reminders.json"


def restarted(desk: Desk, path: Path) -> Desk:
    """The app quits (saving) and starts again on the same clocks, loading the file."""
    assert ReminderStore(path).save(desk.policy.saved_schedule()) in (True, False)
    saved = ReminderStore(path).load()
    return Desk(desk.now, saved=saved, wall=desk.wall, mono=desk.mono)


def test_round_trip_of_every_field() -> None:
    schedule = SavedSchedule(
        due=datetime(2026, 6, 1, 8, tzinfo=UTC),
        since=datetime(2026, 6, 1, 7, 55, tzinfo=UTC),
        stretch_start=datetime(2026, 6, 1, 7, tzinfo=UTC),
        snoozed=True,
        paused=True,
        paused_until=local("2026-06-02 09:00"),
    )
    data = schedule_to_dict(schedule)
    assert data["paused_until"] == "2026-06-02T07:00:00+00:00"  # stored in UTC
    assert json.loads(json.dumps(data)) == data
    assert schedule_from_dict(data) == schedule


def test_the_file_is_written_atomically_and_only_when_it_changed(path: Path) -> None:
    store = ReminderStore(path)
    schedule = SavedSchedule(due=datetime(2026, 6, 1, 8, tzinfo=UTC))
    assert store.save(schedule) is True
    assert store.save(schedule) is False
    assert ReminderStore(path).load() == schedule
    # No temporary left; the lock file the write was made under stays (it is never deleted).
    assert sorted(p.name for p in path.parent.iterdir()) == [
        "reminders.json",
        "reminders.json.lock",
    ]
    loaded = ReminderStore(path)
    loaded.load()
    assert loaded.save(schedule) is False  # what it read is what it would write


def test_default_path_is_in_the_data_folder(isolated_data_dir: Path) -> None:
    paths = resolve_paths()
    assert default_reminders_path(paths) == paths.data / "reminders.json"
    assert ReminderStore.for_paths(paths).path == paths.data / "reminders.json"


def test_a_missing_file_is_a_fresh_start(path: Path) -> None:
    store = ReminderStore(path)
    assert store.load() is None
    assert store.problems == []


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b'{"version": 1, "due": ', "not valid JSON"),
        (b"\xff\xfe", "not UTF-8"),
        (b"[1, 2]", "expected a JSON object"),
        (b'{"version": 7}', '"version": expected 1'),
        (b'{"version": 1, "due": "tomorrow"}', '"due": expected a date and time'),
        (b'{"version": 1, "due": "2026-06-01T08:00:00"}', "without an offset"),
        # Times a history record could not hold either: the policy never sees them.
        (b'{"version": 1, "due": "0001-01-01T00:00:00+05:00"}', '"due": expected a date'),
        (b'{"version": 1, "since": "9999-12-31T23:59:59-05:00"}', "in 1970–2200"),
        (b'{"version": 1, "paused_until": "1969-12-31T23:00:00+00:00"}', "in 1970–2200"),
        # What the JSON parser itself cannot take.
        (b"[" * 100_000, "nested too deeply"),
        (b'{"version": 1, "due": ' + b"9" * 5000 + b"}", "expected JSON numbers"),
        (b'{"version": NaN}', "NaN"),
        (b'{"version": 1, "due": Infinity}', "Infinity"),
        (b'{"version": 1e400}', "too large"),
        (b'{"version": 1, "paused": "yes"}', '"paused": expected true or false'),
    ],
)
def test_an_unreadable_file_is_moved_aside_and_reminders_start_afresh(
    path: Path, content: bytes, reason: str, caplog: pytest.LogCaptureFixture
) -> None:
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    store = ReminderStore(path)
    with caplog.at_level(logging.WARNING):
        assert store.load() is None
    (kept,) = path.parent.glob("reminders.json.unreadable-*")
    assert kept.read_bytes() == content
    assert not path.exists()
    (problem,) = store.problems
    assert str(path) in problem
    assert reason in problem
    assert kept.name in problem
    assert "start afresh" in problem
    assert problem in caplog.text


def test_a_schedule_from_year_1_is_a_fresh_start_not_an_overflow(path: Path) -> None:
    """Regression: these dates gave OverflowError at start, so no tray and no window."""
    day_one = "0001-01-01T00:00:00+05:00"
    content = {"version": 1, "due": day_one, "since": day_one, "stretch_start": day_one}
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(content), encoding="utf-8")
    store = ReminderStore(path)
    assert store.load() is None
    (problem,) = store.problems
    assert "0001-01-01T00:00:00+05:00" in problem
    assert "reminders start afresh" in problem
    assert len(list(path.parent.glob("reminders.json.unreadable-*"))) == 1
    # A fresh start: the next save writes a new file.
    assert store.save(SavedSchedule(due=datetime(2026, 6, 1, 8, tzinfo=UTC))) is True
    assert ReminderStore(path).load() is not None


def test_a_fifo_is_set_aside_not_waited_on(path: Path) -> None:
    path.parent.mkdir(parents=True)
    os.mkfifo(path)
    store = ReminderStore(path)
    assert store.load() is None
    assert "named pipe" in store.problems[0]
    (kept,) = path.parent.glob("reminders.json.unreadable-*")
    assert stat.S_ISFIFO(kept.lstat().st_mode)


def test_set_aside_keeps_the_file_and_the_next_save_writes(path: Path) -> None:
    store = ReminderStore(path)
    schedule = SavedSchedule(due=datetime(2026, 6, 1, 8, tzinfo=UTC))
    store.save(schedule)
    store.set_aside("the policy cannot use it")
    (kept,) = path.parent.glob("reminders.json.unreadable-*")
    assert json.loads(kept.read_text(encoding="utf-8"))["due"] == "2026-06-01T08:00:00+00:00"
    assert "the policy cannot use it" in store.problems[-1]
    assert store.save(schedule) is True  # written again, though it is the same schedule
    assert path.exists()


def test_saving_happens_under_the_files_lock(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from backtimer.core.reminders import store as store_module
    from backtimer.core.store.atomic_storage import write_atomically as real_write

    held: list[bool] = []

    @contextlib.contextmanager
    def spy_locked(target: Path) -> Iterator[None]:
        assert target == path
        held.append(True)
        yield
        held.append(False)

    def write(target: Path, text: str) -> None:
        assert held == [True], "written outside the lock"
        real_write(target, text)

    monkeypatch.setattr(store_module, "locked", spy_locked)
    monkeypatch.setattr(store_module, "write_atomically", write)
    assert ReminderStore(path).save(SavedSchedule(due=datetime(2026, 6, 1, 8, tzinfo=UTC)))
    assert held == [True, False]


def test_schedule_from_dict_names_the_field() -> None:
    with pytest.raises(ScheduleFormatError, match='"since"'):
        schedule_from_dict({"version": 1, "since": 3})


def test_a_restart_keeps_the_schedule(path: Path) -> None:
    desk = Desk(local("2026-06-01 09:00"))
    desk.run_until(local("2026-06-01 09:40"))
    desk.act("break_taken")  # next due 10:40
    desk.run_until(local("2026-06-01 09:50"))
    again = restarted(desk, path)
    assert again.policy.view().due_at == local("2026-06-01 10:40")
    again.run_until(local("2026-06-01 10:41"))
    assert [f"{at:%H:%M}" for at in again.reminders()] == ["10:40"]


def test_a_restart_after_the_due_time_gives_one_reminder_at_once(path: Path) -> None:
    desk = Desk(local("2026-06-01 09:00"))
    desk.run_until(local("2026-06-01 09:30"))
    ReminderStore(path).save(desk.policy.saved_schedule())
    desk.wall.advance(timedelta(minutes=45))  # the app was not running
    again = Desk(desk.now, saved=ReminderStore(path).load(), wall=desk.wall, mono=desk.mono)
    assert [f"{at:%H:%M}" for at in again.reminders()] == ["10:15"]


def test_a_schedule_from_yesterday_restarts_with_working_time(path: Path) -> None:
    desk = Desk(local("2026-06-01 17:30"))  # due 18:30, after working hours
    ReminderStore(path).save(desk.policy.saved_schedule())
    desk.wall.set(local("2026-06-02 09:10"))
    again = Desk(desk.now, saved=ReminderStore(path).load(), wall=desk.wall, mono=desk.mono)
    assert again.reminders() == []
    assert again.policy.view().due_at == local("2026-06-02 10:10")


@pytest.mark.parametrize(
    ("pause", "args"),
    [("pause_until_resumed", ()), ("pause_for", (timedelta(hours=2),))],
)
def test_a_pause_survives_a_restart(path: Path, pause: str, args: tuple[object, ...]) -> None:
    desk = Desk(local("2026-06-01 09:30"))
    desk.act(pause, *args)
    desk.run_until(local("2026-06-01 10:30"))
    again = restarted(desk, path)
    assert again.policy.phase is Phase.PAUSED
    # The two-hour pause ends at 11:30, and the interval restarts then.
    expected = [] if pause == "pause_until_resumed" else ["12:30"]
    again.run_until(local("2026-06-01 12:31"))
    assert [f"{at:%H:%M}" for at in again.reminders()] == expected


def test_an_expired_pause_restarts_the_interval(path: Path) -> None:
    desk = Desk(local("2026-06-01 09:30"))
    desk.act("pause_for", timedelta(minutes=30))
    ReminderStore(path).save(desk.policy.saved_schedule())
    desk.wall.set(local("2026-06-01 11:00"))
    again = Desk(desk.now, saved=ReminderStore(path).load(), wall=desk.wall, mono=desk.mono)
    assert again.policy.phase is Phase.COUNTING
    assert again.policy.view().due_at == local("2026-06-01 12:00")


def test_a_saved_snooze_stays_a_snooze_when_the_interval_changes(path: Path) -> None:
    desk = Desk(local("2026-06-01 09:00"))
    desk.run_until(local("2026-06-01 10:00"))
    desk.act("snooze", 10)
    ReminderStore(path).save(desk.policy.saved_schedule())
    policy = ReminderPolicy(
        ReminderSettings(interval_minutes=30),
        BERLIN,
        desk.wall,
        desk.mono,
        saved=ReminderStore(path).load(),
    )
    policy.poll()
    policy.reconfigure(ReminderSettings(interval_minutes=45))
    assert policy.view().due_at == local("2026-06-01 10:10")
