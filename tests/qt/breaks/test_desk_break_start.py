"""The desk breaks start whatever the saved schedule holds: a bad one is set aside."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, time
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from backtimer.core.clock import FakeClock
from backtimer.core.paths import resolve_paths
from backtimer.core.reminders.policy import Phase, ReminderPolicy, SavedSchedule
from backtimer.core.reminders.store import ReminderStore
from backtimer.core.reminders.wall_clock import FakeWallClock
from backtimer.core.settings import ReminderSettings, Settings
from backtimer.desktop.idle import IdleChoice
from backtimer.qt.breaks import desk_break_wiring
from backtimer.qt.breaks.desk_break_wiring import policy_from_saved, start_desk_breaks
from tests.core.reminders.desk import BERLIN, local
from tests.helpers.fakes import FakePrompter

#: Every day, all day: a fresh interval starts whatever the time the test runs.
ALWAYS = ReminderSettings(working_days=(0, 1, 2, 3, 4, 5, 6), work_start=time(0), work_end=time(0))
DAY_ONE = "0001-01-01T00:00:00+05:00"


def test_a_schedule_from_year_1_starts_a_fresh_interval(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Regression: this file gave OverflowError in the start, so no tray and no window."""
    paths = resolve_paths(tmp_path / "home")
    paths.ensure()
    saved = paths.data / "reminders.json"
    content = json.dumps({"version": 1, "due": DAY_ONE, "since": DAY_ONE, "stretch_start": DAY_ONE})
    saved.write_text(content, encoding="utf-8")
    prompter = FakePrompter()
    monkeypatch.setattr(desk_break_wiring, "choose_prompter", lambda *args, **kwargs: prompter)
    monkeypatch.setattr(
        desk_break_wiring, "choose_idle_detector", lambda: IdleChoice(None, "none in tests")
    )

    with caplog.at_level(logging.WARNING):
        parts = start_desk_breaks(paths, Settings(reminders=ALWAYS), history=None, with_tray=False)

    try:
        assert parts.desk.policy.phase is Phase.COUNTING
        assert parts.desk.next_wake_ms() is not None  # the timer runs
        due = parts.desk.policy.view().due_at
        assert due is not None
        assert due > datetime.now(UTC)
        assert prompter.shown == []  # nothing "fell due" in year 1
        (kept,) = paths.data.glob("reminders.json.unreadable-*")
        assert kept.read_text(encoding="utf-8") == content  # kept as it was
        assert DAY_ONE in caplog.text
        assert "reminders start afresh" in caplog.text
        # The fresh schedule was saved over the damaged one.
        assert ReminderStore(saved).load() is not None
    finally:
        parts.desk.deleteLater()


class StoreWithSchedule(ReminderStore):
    """A store whose load hands over a schedule the file checks would have refused."""

    def __init__(self, path: Path, schedule: SavedSchedule) -> None:
        super().__init__(path)
        self._schedule = schedule

    def load(self) -> SavedSchedule | None:
        self.problems = []
        return self._schedule


def test_a_schedule_the_policy_cannot_compute_with_is_set_aside(tmp_path: Path) -> None:
    path = tmp_path / "reminders.json"
    path.write_text("{}", encoding="utf-8")
    store = StoreWithSchedule(path, SavedSchedule(due=datetime(1, 1, 1, tzinfo=UTC)))
    wall = FakeWallClock(local("2026-03-02 10:00"))
    made: list[SavedSchedule | None] = []

    def make(saved: SavedSchedule | None) -> ReminderPolicy:
        made.append(saved)
        return ReminderPolicy(ALWAYS, BERLIN, wall, FakeClock(), saved=saved)

    policy = policy_from_saved(make, store)

    assert made[-1] is None  # built afresh after the saved one failed
    assert policy.saved_schedule().due is None
    (problem,) = store.problems
    assert "the policy cannot use the saved schedule" in problem
    assert len(list(tmp_path.glob("reminders.json.unreadable-*"))) == 1
