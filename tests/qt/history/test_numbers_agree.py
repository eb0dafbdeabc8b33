"""The same history reads the same in the History window, ``backtimer history`` and the CSV.

The issue this guards: one stopped warm-up read "2 of 10 done" in the window, "9/10" in the
terminal and ``exercises_done=10`` in the CSV; desk breaks met the weekly goal.
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from pytestqt.qtbot import QtBot

from backtimer.cli.history_commands import cmd_export, history_table
from backtimer.core.history.recorder import HISTORY_FOLDER, SessionHistory
from backtimer.core.history.records import (
    BreakEvent,
    BreakEventKind,
    SessionKind,
    SessionOutcome,
    SessionRecord,
)
from backtimer.core.history.store import HistoryStore
from backtimer.core.paths import AppPaths, resolve_paths
from backtimer.core.scheduler import StopReason
from backtimer.qt.history.history_models import SessionTableModel
from backtimer.qt.history.history_view import HistoryView
from tests.helpers.history_samples import stopped_warm_up

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 3, 12, 20, 0, tzinfo=BERLIN)  # a Thursday
MONDAY = datetime(2026, 3, 9, 8, 0, tzinfo=BERLIN)


def desk_break(hour: int, active: float = 150.0) -> SessionRecord:
    started = MONDAY + timedelta(hours=hour)
    return SessionRecord(
        id=f"break-{hour}",
        started=started,
        ended=started + timedelta(seconds=active),
        routine_id="desk-break",
        routine_title="Desk break",
        outcome=SessionOutcome.COMPLETED,
        active_seconds=active,
        app_version="test",
    )


def stored(tmp_path: Path, records: list[SessionRecord]) -> AppPaths:
    paths = resolve_paths(tmp_path / "data")
    store = HistoryStore(paths.data / HISTORY_FOLDER)
    for record in records:
        store.finish_session(record)
    store.add_break_event(
        BreakEvent("b1", MONDAY + timedelta(hours=2), BreakEventKind.SNOOZED),
    )
    return paths


def window_row(qtbot: QtBot, paths: AppPaths, record_id: str) -> dict[int, str]:
    view = HistoryView(SessionHistory(paths.data / HISTORY_FOLDER), tz=BERLIN, now=lambda: NOW)
    qtbot.addWidget(view)
    view.refresh()
    model = view.sessions_model
    (row,) = [r for r in range(model.rowCount()) if model.record(r).id == record_id]
    return {c: model.index(row, c).data() for c in range(model.columnCount())}


def csv_row(paths: AppPaths, tmp_path: Path, record_id: str) -> dict[str, str]:
    target = tmp_path / "history.csv"
    assert cmd_export(paths, str(target), False, None, None) == 0
    text = target.read_text("utf-8")
    (row,) = [r for r in csv.DictReader(io.StringIO(text, newline="")) if r["id"] == record_id]
    return row


def test_a_stopped_warm_up_reads_the_same_everywhere(qtbot: QtBot, tmp_path: Path) -> None:
    warm_up = stopped_warm_up(MONDAY, StopReason.USER)
    paths = stored(tmp_path, [warm_up])

    in_window = window_row(qtbot, paths, warm_up.id)[SessionTableModel.EXERCISES]
    (in_terminal,) = [
        line for line in history_table(paths, BERLIN).splitlines() if line.startswith("2026-03-09")
    ]
    in_csv = csv_row(paths, tmp_path, warm_up.id)

    assert in_window == "2 of 10 done · 1 partly"
    assert in_terminal.endswith(in_window)
    assert (in_csv["exercises_done"], in_csv["exercises_planned"]) == ("2", "10")
    assert in_csv["exercises_partly_done"] == "1"
    assert in_csv["exercises_not_reached"] == "7"
    assert in_csv["exercises_skipped"] == "0"


def test_desk_breaks_and_an_eight_second_stop_meet_the_goal_nowhere(
    qtbot: QtBot, tmp_path: Path
) -> None:
    stopped = replace(
        desk_break(9, active=8.0),
        id="eight-seconds",
        routine_id="back-strengthening",
        routine_title="Back-strengthening complex",
        outcome=SessionOutcome.STOPPED,
        kind=SessionKind.WORKOUT,
    )
    paths = stored(tmp_path, [*(desk_break(h) for h in range(1, 6)), stopped])

    view = HistoryView(SessionHistory(paths.data / HISTORY_FOLDER), tz=BERLIN, now=lambda: NOW)
    qtbot.addWidget(view)
    view.refresh()
    assert view.week_figure.value_label.text() == "0 of 3–4"
    assert "goal met" not in view.week_figure.caption_label.text()
    assert "5 desk breaks" in view.week_figure.caption_label.text()
    assert "Desk breaks do not count" in view.week_figure.toolTip()

    (week_line,) = [
        line for line in history_table(paths, BERLIN).splitlines() if line.startswith("2026-W11")
    ]
    assert week_line.split()[1:4] == ["0", "of", "3–4"]
    assert "(met)" not in week_line
    assert " 5 " in week_line  # the desk breaks, apart
    assert "1 snoozed" in week_line

    assert csv_row(paths, tmp_path, "break-1")["kind"] == "desk_break"
    assert csv_row(paths, tmp_path, "eight-seconds")["kind"] == "workout"
