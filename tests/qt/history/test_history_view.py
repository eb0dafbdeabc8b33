"""The history window, and File → Export history… / Import history… in the main window."""

from __future__ import annotations

import csv
import errno
import io
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from backtimer.core.history.csv_io import SESSION_COLUMNS, export_sessions
from backtimer.core.history.recorder import SessionHistory
from backtimer.core.history.records import SessionOutcome, SessionRecord
from backtimer.core.history.stats import compute_stats, local_day, routine_totals
from backtimer.core.safety import load_safety
from backtimer.core.scheduler import Outcome, Summary
from backtimer.core.settings import Settings
from backtimer.qt.history.history_charts import BELOW_GOAL, GOAL_BAND, MET_GOAL, MINUTES, THIS_WEEK
from backtimer.qt.history.history_models import (
    RECORD_ROLE,
    RoutineTotalsModel,
    SessionTableModel,
    warning_colour,
)
from backtimer.qt.history.history_transfer import (
    PER_BREAK_FILTER,
    PER_EXERCISE_FILTER,
    PER_SESSION_FILTER,
)
from backtimer.qt.history.history_view import EMPTY_TITLE, HistoryView
from backtimer.qt.shell.main_window import SHORTCUTS, MainWindow
from backtimer.qt.widgets.theme import MIN_CONTRAST, contrast_ratio, dark_palette, light_palette
from tests.helpers.history_samples import sample_break_events, sample_history

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 3, 12, 20, 0, tzinfo=BERLIN)  # a Thursday
TODAY = NOW.date()


@pytest.fixture
def records() -> list[SessionRecord]:
    return sample_history(TODAY, BERLIN)


@pytest.fixture
def history(tmp_path: Path, records: list[SessionRecord]) -> SessionHistory:
    history = SessionHistory(tmp_path / "history")
    history.store.add_sessions(records)
    return history


def make_view(qtbot: QtBot, history: SessionHistory | None) -> HistoryView:
    view = HistoryView(history, tz=BERLIN, now=lambda: NOW)
    qtbot.addWidget(view)
    view.refresh()
    view.show()
    qtbot.waitExposed(view)
    return view


def shown_records(view: HistoryView) -> list[SessionRecord]:
    model = view.sessions_filter
    return [
        view.sessions_model.record(model.mapToSource(model.index(row, 0)).row())
        for row in range(model.rowCount())
    ]


# --- the list ------------------------------------------------------------------------------


def test_every_session_is_listed_newest_first(
    qtbot: QtBot, history: SessionHistory, records: list[SessionRecord]
) -> None:
    view = make_view(qtbot, history)
    shown = shown_records(view)
    assert len(shown) == len(records) == 34
    assert shown == sorted(records, key=lambda r: r.started, reverse=True)
    assert view.list_label.text() == "All sessions (34)"
    assert view.pages.currentWidget() is view.content
    model = view.sessions_filter
    first = [model.index(0, column).data() for column in range(model.columnCount())]
    newest = shown[0]
    when = newest.started.astimezone(BERLIN)
    assert first[0] == f"{when:%a} {when.day} {when:%b %Y}, {when:%H:%M}"
    assert first[1] == newest.routine_title
    assert first[2] == "Completed"
    assert first[4].endswith("done") or "skipped" in first[4]


def test_pain_stops_and_interruptions_are_marked(qtbot: QtBot, history: SessionHistory) -> None:
    view = make_view(qtbot, history)
    model = view.sessions_filter
    outcome = SessionTableModel.OUTCOME
    rows = {
        model.index(row, outcome).data(): model.index(row, outcome)
        for row in range(model.rowCount())
    }
    pain, interrupted = rows["⚠ Stopped for pain"], rows["✕ Interrupted"]
    assert pain.data(Qt.ItemDataRole.FontRole).bold()
    assert pain.data(Qt.ItemDataRole.AccessibleTextRole) == "Stopped for pain"
    assert "Stop, I feel pain" in pain.data(Qt.ItemDataRole.ToolTipRole)
    colour = pain.data(Qt.ItemDataRole.ForegroundRole)
    base = QApplication.palette().color(QPalette.ColorRole.Base)
    assert contrast_ratio(colour, base) >= MIN_CONTRAST
    assert interrupted.data(Qt.ItemDataRole.FontRole).bold()
    exercises = model.index(pain.row(), SessionTableModel.EXERCISES)
    assert "not reached" in exercises.data(Qt.ItemDataRole.ToolTipRole)


def test_columns_sort_by_their_values(qtbot: QtBot, history: SessionHistory) -> None:
    view = make_view(qtbot, history)
    view.sessions_table.sortByColumn(SessionTableModel.ACTIVE, Qt.SortOrder.AscendingOrder)
    seconds = [r.active_seconds for r in shown_records(view)]
    assert seconds == sorted(seconds)  # by the value: 9:59 before 10:02
    # A click on a header sorts by that column.
    header = view.sessions_table.horizontalHeader()
    column = SessionTableModel.ROUTINE
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert header.sortIndicatorSection() == column
    titles = [r.routine_title.casefold() for r in shown_records(view)]
    assert titles in (sorted(titles), sorted(titles, reverse=True))


# --- the calendar --------------------------------------------------------------------------


def test_days_with_sessions_are_marked_and_choosing_one_filters(
    qtbot: QtBot, history: SessionHistory, records: list[SessionRecord]
) -> None:
    view = make_view(qtbot, history)
    days = sorted({local_day(r, BERLIN) for r in records})
    assert view.marked_days() == days
    marked = view.marked_format
    assert contrast_ratio(marked.foreground().color(), marked.background().color()) >= 4.5

    day = days[-3]
    view.calendar.setSelectedDate(QDate(day.year, day.month, day.day))
    expected = [r for r in records if local_day(r, BERLIN) == day]
    assert sorted(r.id for r in shown_records(view)) == sorted(r.id for r in expected)
    assert view.list_label.text().startswith("Sessions on ")
    assert view.show_all_button.isEnabled()

    qtbot.mouseClick(view.show_all_button, Qt.MouseButton.LeftButton)
    assert len(shown_records(view)) == len(records)
    assert view.list_label.text() == "All sessions (34)"
    assert not view.show_all_button.isEnabled()


def expected_label(day: date, records: list[SessionRecord]) -> str:
    count = sum(1 for r in records if local_day(r, BERLIN) == day)
    words = f"{day:%a} {day.day} {day:%b %Y}"
    return f"Sessions on {words} ({count})" if count else f"No sessions on {words}"


def test_the_calendar_filters_by_keyboard(
    qtbot: QtBot, history: SessionHistory, records: list[SessionRecord]
) -> None:
    view = make_view(qtbot, history)
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    view.calendar.setSelectedDate(QDate(2026, 3, 11))
    view.calendar.setFocus()

    def grid() -> QWidget:
        focused = QApplication.focusWidget()
        assert focused is not None
        assert view.calendar.isAncestorOf(focused)
        return focused

    qtbot.waitUntil(lambda: grid() is not None)
    day = date(2026, 3, 11)
    for key, step in [(Qt.Key.Key_Left, -1), (Qt.Key.Key_Left, -1), (Qt.Key.Key_Up, -7)]:
        qtbot.keyClick(grid(), key)
        day += timedelta(days=step)
        assert view.sessions_filter.day == day
        assert view.list_label.text() == expected_label(day, records)
    # Tab leads on to "Show all days", which lists every session again.
    qtbot.keyClick(grid(), Qt.Key.Key_Tab)
    qtbot.waitUntil(view.show_all_button.hasFocus)
    qtbot.keyClick(view.show_all_button, Qt.Key.Key_Space)
    assert view.list_label.text() == "All sessions (34)"


def test_a_day_without_sessions_says_so(qtbot: QtBot, history: SessionHistory) -> None:
    view = make_view(qtbot, history)
    view.show_day(date(2026, 1, 1))
    assert view.list_label.text() == "No sessions on Thu 1 Jan 2026"
    assert view.sessions_filter.rowCount() == 0


# --- the figures and charts ----------------------------------------------------------------


def test_figures_and_charts_show_the_stats(
    qtbot: QtBot, history: SessionHistory, records: list[SessionRecord]
) -> None:
    view = make_view(qtbot, history)
    stats = compute_stats(records, TODAY, BERLIN)
    assert stats.streak == 3
    assert view.streak_figure.value_label.text() == "3 weeks"
    assert view.week_figure.value_label.text() == "2 of 3–4"
    assert view.sessions_figure.value_label.text() == "27"
    assert "Streak: 3 weeks" in view.streak_figure.accessibleName()

    minutes = view.minutes_chart.values
    assert minutes == {MINUTES: [float(round(w.minutes)) for w in stats.recent]}
    assert len(view.minutes_chart.labels) == 12
    assert view.minutes_chart.labels[-1] == "Mar<br>9"

    sessions = view.sessions_chart.values
    assert set(sessions) == {MET_GOAL, BELOW_GOAL, THIS_WEEK}
    per_week = [sum(values) for values in zip(*sessions.values(), strict=True)]
    assert per_week == [float(w.sessions) for w in stats.recent]
    assert sessions[MET_GOAL] == [float(w.sessions) if w.met_goal else 0.0 for w in stats.recent]
    assert sessions[THIS_WEEK][-1] == 2.0  # this week so far, short of the goal
    names = [s.name() for s in view.sessions_chart.chart().series()]
    assert GOAL_BAND in names
    description = view.sessions_chart.accessibleDescription()
    assert "this week: 2 workouts" in description
    assert "goal met" in description


def test_refresh_shows_a_new_session(
    qtbot: QtBot, history: SessionHistory, records: list[SessionRecord]
) -> None:
    view = make_view(qtbot, history)
    last = records[-1]
    new = SessionRecord(
        id="new",
        started=NOW - timedelta(hours=1),
        ended=NOW,
        routine_id="neck",
        routine_title="Neck",
        outcome=SessionOutcome.COMPLETED,
        active_seconds=600,
        app_version=last.app_version,
    )
    history.store.add_sessions([new])
    view.refresh()
    assert shown_records(view)[0].id == "new"
    assert view.week_figure.value_label.text() == "3 of 3–4"
    assert view.streak_figure.value_label.text() == "4 weeks"
    assert THIS_WEEK not in view.sessions_chart.values  # this week met the goal


def test_empty_history_says_so(qtbot: QtBot, tmp_path: Path) -> None:
    view = make_view(qtbot, SessionHistory(tmp_path / "history"))
    assert view.pages.currentWidget() is view.empty
    assert view.empty_title.text() == EMPTY_TITLE
    assert "3–4" in view.empty_text.text()
    assert view.empty_title.isVisible()
    assert not view.calendar.isVisible()
    without_history = make_view(qtbot, None)  # kept: Qt deletes a view Python lets go of
    shown = without_history.pages.currentWidget()
    assert shown is not None
    assert shown.accessibleName() == "No history yet"


def test_controls_are_named_and_follow_larger_text(qtbot: QtBot, history: SessionHistory) -> None:
    view = make_view(qtbot, history)
    for widget in (
        view.calendar,
        view.show_all_button,
        view.sessions_table,
        view.totals_table,
        view.minutes_chart,
        view.sessions_chart,
        view.tabs,
    ):
        assert widget.accessibleName()
    before = view.streak_figure.value_label.font().pointSizeF()
    font = QFont(view.font())
    font.setPointSizeF(font.pointSizeF() * 1.25)
    view.setFont(font)
    assert view.streak_figure.value_label.font().pointSizeF() == pytest.approx(before * 1.25)
    assert view.minutes_chart.chart().titleFont().pointSizeF() > before / 2


def test_routine_totals(
    qtbot: QtBot, history: SessionHistory, records: list[SessionRecord]
) -> None:
    view = make_view(qtbot, history)
    model = view.totals_table.model()
    rows = [[model.index(r, c).data() for c in range(4)] for r in range(model.rowCount())]
    most = routine_totals(records, BERLIN)[0]
    assert rows[0][:2] == [most.title, str(most.sessions)]
    assert [int(row[1]) for row in rows] == sorted((int(row[1]) for row in rows), reverse=True)
    assert sum(int(row[1]) for row in rows) == 34  # every session, desk breaks too
    assert all(row[3] != "—" for row in rows)


@pytest.mark.parametrize("palette", [light_palette, dark_palette])
def test_warning_red_is_readable_in_both_themes(palette) -> None:  # type: ignore[no-untyped-def]
    base = palette().color(QPalette.ColorRole.Base)
    assert contrast_ratio(warning_colour(base), base) >= MIN_CONTRAST


def test_escape_closes_the_window(qtbot: QtBot, history: SessionHistory) -> None:
    view = make_view(qtbot, history)
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    qtbot.keyClick(view.sessions_table, Qt.Key.Key_Escape)
    assert not view.isVisible()


# --- in the main window --------------------------------------------------------------------


def make_window(qtbot: QtBot, history: SessionHistory) -> MainWindow:
    window = MainWindow(
        None, {}, load_safety(), Settings(safety_acknowledged=True), lambda s: None, history=history
    )
    qtbot.addWidget(window)
    return window


def message(window: MainWindow) -> QMessageBox:
    [box] = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    return box


def test_ctrl_h_opens_the_history(qtbot: QtBot, history: SessionHistory) -> None:
    assert ("Ctrl+H", "History") in SHORTCUTS
    window = make_window(qtbot, history)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    view = window.history_view
    assert view.isVisible()
    assert view.sessions_filter.rowCount() == 34
    menus = [a.text() for a in window.menuBar().actions()]
    assert "&View" in menus


def test_an_open_history_shows_a_session_as_soon_as_it_ends(
    qtbot: QtBot, history: SessionHistory, records: list[SessionRecord]
) -> None:
    window = make_window(qtbot, history)
    window.show_history()
    view = window.history_view
    assert view.sessions_filter.rowCount() == len(records)
    # What the session runner does at a session's end: save the record, then say finished.
    ended = datetime.now().astimezone()
    record = SessionRecord(
        "just-now", ended - timedelta(minutes=9), ended, "neck", "Neck",
        SessionOutcome.COMPLETED, 500, "0.1.0",
    )  # fmt: skip
    history.store.add_sessions([record])
    window.runner.finished.emit(Summary("neck", "Neck", Outcome.COMPLETED, 500_000, ()))
    assert view.sessions_filter.rowCount() == len(records) + 1
    view.close()
    history.store.add_sessions([replace(record, id="later")])
    window.runner.finished.emit(Summary("neck", "Neck", Outcome.COMPLETED, 500_000, ()))
    assert view.sessions_filter.rowCount() == len(records) + 1  # closed: not read again
    window.show_history()
    assert view.sessions_filter.rowCount() == len(records) + 2


def test_main_window_does_not_load_qtcharts_at_start() -> None:
    code = (
        "import sys\n"
        "import backtimer.qt.shell.main_window\n"
        "print(sorted(m for m in sys.modules if 'QtCharts' in m or 'history_view' in m))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("file_type", "by_exercise"), [(PER_SESSION_FILTER, False), (PER_EXERCISE_FILTER, True)]
)
def test_export_writes_the_chosen_file(
    qtbot: QtBot,
    history: SessionHistory,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    file_type: str,
    by_exercise: bool,
) -> None:
    asked: list[str] = []
    target = tmp_path / "out" / "mine"  # no suffix: .csv is added
    target.parent.mkdir()  # the dialog only offers folders that exist

    def choose(parent: object, caption: str, start: str, filters: str, selected: str = ""):  # type: ignore[no-untyped-def]
        asked.append(start)
        assert PER_SESSION_FILTER in filters
        assert PER_EXERCISE_FILTER in filters
        return str(target), file_type

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(choose))
    window = make_window(qtbot, history)
    window.export_history()
    today = datetime.now().astimezone().date()
    assert Path(asked[0]).name == f"backtimer-history-{today.isoformat()}.csv"
    written = target.with_name("mine.csv")
    with written.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    assert ("exercise_id" in rows[0]) is by_exercise
    if not by_exercise:
        assert rows[0] == list(SESSION_COLUMNS)
        assert len(rows) == 35
    assert not list(written.parent.glob(".*.tmp"))
    box = message(window)
    assert str(written) in box.text()
    assert box.text().startswith("Exported ")
    assert box.icon() is QMessageBox.Icon.Information


def test_a_failed_export_says_so_and_names_the_file(
    qtbot: QtBot, history: SessionHistory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    target = blocker / "history.csv"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *args: (str(target), ""))
    )
    window = make_window(qtbot, history)
    window.export_history()
    box = message(window)
    assert box.text().startswith(f"Could not export the history to {target}")
    assert box.icon() is QMessageBox.Icon.Warning


def test_a_cancelled_export_does_nothing(
    qtbot: QtBot, history: SessionHistory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *args: ("", "")))
    window = make_window(qtbot, history)
    window.export_history()
    assert not window.findChildren(QMessageBox)


def test_import_adds_the_sessions_and_reports_bad_lines(
    qtbot: QtBot,
    tmp_path: Path,
    records: list[SessionRecord],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source = tmp_path / "export.csv"
    with source.open("w", encoding="utf-8", newline="") as out:
        export_sessions(records, out)
    with source.open("a", encoding="utf-8", newline="") as out:
        out.write("broken,row\r\n")
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *args: (str(source), ""))
    )
    history = SessionHistory(tmp_path / "fresh")
    window = make_window(qtbot, history)
    window.show_history()
    assert window.history_view.pages.currentWidget() is window.history_view.empty

    window.import_history()
    assert len(history.store.sessions()) == 34
    box = message(window)
    assert box.text().startswith(f"Imported 34 sessions from {source}.")
    assert "1 bad line was skipped" in box.text()
    assert "export.csv: line 36:" in box.detailedText()
    assert window.history_view.sessions_filter.rowCount() == 34  # refreshed
    box.close()
    qtbot.waitUntil(lambda: not [b for b in window.findChildren(QMessageBox) if b.isVisible()])

    window.import_history()  # the same file again adds nothing
    assert len(history.store.sessions()) == 34
    assert "Imported 0 sessions" in message(window).text()
    assert "34 were already there" in message(window).text()


def test_an_unreadable_import_says_so(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "binary.csv"
    source.write_bytes(b"\xff\xfe\x00bad")
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *args: (str(source), ""))
    )
    window = make_window(qtbot, SessionHistory(tmp_path / "h"))
    window.import_history()
    box = message(window)
    assert box.text() == (
        f"Could not read {source}: expected UTF-8 text, found the byte 0xff on line 1 "
        "(save the file as UTF-8)."
    )
    assert box.icon() is QMessageBox.Icon.Warning


@pytest.mark.parametrize("palette", [light_palette, dark_palette])
def test_marked_days_and_chart_text_are_readable_in_both_themes(
    qtbot: QtBot,
    history: SessionHistory,
    palette: Callable[[], QPalette],
) -> None:
    view = make_view(qtbot, history)
    view.setPalette(palette())  # a palette change marks the days anew
    marked = view.marked_format
    ratio = contrast_ratio(marked.foreground().color(), marked.background().color())
    assert ratio >= MIN_CONTRAST
    window = palette().color(QPalette.ColorRole.Window)
    chart = view.sessions_chart.chart()
    assert contrast_ratio(chart.titleBrush().color(), window) >= MIN_CONTRAST
    for axis in chart.axes():
        assert contrast_ratio(axis.labelsColor(), window) >= MIN_CONTRAST
    assert contrast_ratio(chart.legend().labelColor(), window) >= MIN_CONTRAST


# --- hostile imports (issue 12) -------------------------------------------------------------


def _with_rows(records: list[SessionRecord], *rows: dict[str, str]) -> str:
    """A per-session export of ``records`` followed by rows of the given cells."""
    out = io.StringIO(newline="")
    export_sessions(records, out)
    [header, first, *_rest] = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    writer = csv.writer(out, lineterminator="\r\n")
    for cells in rows:
        writer.writerow(list((dict(zip(header, first, strict=True)) | cells).values()))
    return out.getvalue()


def test_values_that_broke_the_window_are_refused_and_it_opens(
    qtbot: QtBot, tmp_path: Path, records: list[SessionRecord], monkeypatch: pytest.MonkeyPatch
) -> None:
    # 1e306 s of activity segfaulted the window; years 0001 and 9999 kept it from opening.
    source = tmp_path / "hostile.csv"
    source.write_text(
        _with_rows(
            records,
            {"id": "huge", "active_seconds": "1e306"},
            {"id": "early", "started": "0001-01-01T00:00:00+05:00", "ended": ""},
            {"id": "late", "started": "9999-12-31T23:59:59+00:00", "ended": ""},
            {"id": "negative", "exercises_json": '[{"sets_planned": -1}]'},
        ),
        encoding="utf-8",
    )
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *args: (str(source), ""))
    )
    history = SessionHistory(tmp_path / "fresh")
    window = make_window(qtbot, history)
    window.import_history()
    box = message(window)
    assert box.text().startswith(f"Imported 34 sessions from {source}.")
    assert "4 bad lines were skipped" in box.text()
    details = box.detailedText().splitlines()
    assert details[0] == (
        "hostile.csv: line 36: active_seconds: expected a number from 0 to 86400, found 1e+306"
    )
    assert details[1].startswith("hostile.csv: line 37: started: expected an ISO 8601 time")
    assert details[2].startswith("hostile.csv: line 38: started: expected an ISO 8601 time")
    assert details[3].startswith("hostile.csv: line 39: exercises_json: exercises[0]")
    assert {r.id for r in history.store.sessions()} == {r.id for r in records}
    window.show_history()
    view = window.history_view
    qtbot.waitExposed(view)
    assert view.sessions_filter.rowCount() == 34
    assert view.sessions_figure.value_label.text() == "27"


def test_titles_are_shown_without_controls_and_kept_as_they_are(
    qtbot: QtBot, tmp_path: Path, records: list[SessionRecord]
) -> None:
    hostile = replace(records[-1], routine_title="\u202eevil\x1b[31m\nname")
    named = replace(
        records[-2],
        exercises=(replace(records[-2].exercises[0], name="\u2066Bridge\u202e\x07"),),
    )
    history = SessionHistory(tmp_path / "h")
    history.store.add_sessions([*records[:-2], named, hostile])
    view = make_view(qtbot, history)
    model = view.sessions_model
    row = next(r for r in range(model.rowCount()) if model.record(r).id == hostile.id)
    shown = model.index(row, SessionTableModel.ROUTINE).data()
    assert shown == "evil name"
    assert model.index(row, 0).data(RECORD_ROLE).routine_title == hostile.routine_title
    row = next(r for r in range(model.rowCount()) if model.record(r).id == named.id)
    tip = model.index(row, SessionTableModel.EXERCISES).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.splitlines()[0].startswith("Bridge\ufffd: ")
    totals = view.totals_model
    titles = [totals.index(r, RoutineTotalsModel.ROUTINE).data() for r in range(totals.rowCount())]
    assert "evil name" in titles
    assert not any(c in "".join(titles) for c in "\u202e\u2066\x1b\x07\n")


def test_a_fifo_is_not_waited_for(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fifo = tmp_path / "export.csv"
    os.mkfifo(fifo)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *args: (str(fifo), "")))
    window = make_window(qtbot, SessionHistory(tmp_path / "h"))
    window.import_history()  # a blocking open would hang here, no writer ever comes
    assert message(window).text() == (
        f"Could not read {fifo}: expected a regular file, found a named pipe (FIFO)."
    )


def test_an_import_that_fails_half_way_says_what_was_added(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = sample_history(date(2027, 1, 14), BERLIN)  # December 2026 and January 2027
    assert {r.started.year for r in records} == {2026, 2027}
    source = tmp_path / "export.csv"
    source.write_text(_with_rows(records), encoding="utf-8")
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *args: (str(source), ""))
    )
    real_replace = os.replace

    def full_for_2027(source_path: str, target: str) -> None:
        if str(target).endswith("history-2027.json"):
            raise OSError(errno.ENOSPC, "No space left on device")
        real_replace(source_path, target)

    monkeypatch.setattr(os, "replace", full_for_2027)
    history = SessionHistory(tmp_path / "h")
    window = make_window(qtbot, history)
    window.import_history()
    in_2026 = sum(1 for r in records if r.started.year == 2026)
    box = message(window)
    assert box.text() == (
        f"Could not finish importing {source}: No space left on device. {in_2026} sessions "
        "were added before that; import the file again to add the rest."
    )
    assert box.icon() is QMessageBox.Icon.Warning
    assert len(history.store.sessions()) == in_2026


def test_a_failed_export_keeps_the_earlier_file(
    qtbot: QtBot, history: SessionHistory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "history.csv"
    target.write_bytes(b"last week's export\r\n")
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *args: (str(target), ""))
    )

    def full(*_args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    window = make_window(qtbot, history)
    window.export_history()
    assert message(window).text() == (
        f"Could not export the history to {target}: No space left on device."
    )
    assert target.read_bytes() == b"last week's export\r\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_the_history_window_opens_within_the_screen_and_is_remembered(
    qtbot: QtBot, history: SessionHistory
) -> None:
    window = make_window(qtbot, history)
    saved: list[Settings] = []
    window.settings_changed.connect(saved.append)
    window.show_history()
    view = window.history_view
    screen = view.screen().availableGeometry()
    assert view.width() <= screen.width()
    assert view.height() <= screen.height()
    view.setGeometry(30, 40, 700, 500)
    view.close()
    assert saved
    assert saved[-1].history_geometry
    # The next window (the next run) opens it where it was.
    again = MainWindow(None, {}, load_safety(), saved[-1], lambda s: None, history=history)
    qtbot.addWidget(again)
    again.show_history()
    assert again.history_view.size() == view.size()


def test_the_charts_stack_when_their_week_labels_would_not_fit(
    qtbot: QtBot, history: SessionHistory
) -> None:
    view = make_view(qtbot, history)
    view.resize(800, 560)
    qtbot.waitUntil(lambda: view.width() == 800)
    narrow = view.minutes_chart.geometry()
    assert view.sessions_chart.geometry().top() > narrow.bottom()  # one above the other
    view.resize(1366, 704)
    qtbot.waitUntil(lambda: view.width() == 1366)
    QApplication.processEvents()
    wide = view.minutes_chart.geometry()
    assert view.sessions_chart.geometry().left() > wide.right()  # side by side


# --- desk breaks, the goal's rule, session details ------------------------------------------


def test_desk_break_reminders_per_week_and_day(
    qtbot: QtBot, history: SessionHistory, records: list[SessionRecord]
) -> None:
    for event in sample_break_events(TODAY, BERLIN):
        history.store.add_break_event(event)
    view = make_view(qtbot, history)
    view.tabs.setCurrentIndex(2)
    assert view.tabs.tabText(2) == "Desk &breaks"

    weeks = view.breaks_week_table.model()
    shown = [[weeks.index(r, c).data() for c in range(5)] for r in range(weeks.rowCount())]
    # Newest first: this week's three working days, then last Monday alone.
    assert shown == [
        ["Mon 9 Mar 2026", "6", "3", "3", "3"],
        ["Mon 2 Mar 2026", "2", "1", "1", "1"],
    ]
    days = view.breaks_day_table.model()
    first_day = [days.index(0, c).data() for c in range(5)]
    assert first_day == ["Wed 11 Mar 2026", "2", "1", "1", "1"]
    assert days.rowCount() == 4
    spoken = days.index(0, 0).data(Qt.ItemDataRole.AccessibleTextRole)
    assert spoken == "Wed 11 Mar 2026: 2 taken · 1 snoozed · 1 skipped · 1 natural break"
    headers = [weeks.headerData(c, Qt.Orientation.Horizontal) for c in range(5)]
    assert headers == ["Week of", "Taken", "Snoozed", "Skipped", "Natural breaks"]


def test_only_reminders_still_show_the_window(qtbot: QtBot, tmp_path: Path) -> None:
    history = SessionHistory(tmp_path / "history")
    for event in sample_break_events(TODAY, BERLIN):
        history.store.add_break_event(event)
    view = make_view(qtbot, history)
    assert view.pages.currentWidget() is view.content
    assert view.breaks_week_table.model().rowCount() == 2


def test_desk_breaks_are_counted_apart_from_the_goal(qtbot: QtBot, history: SessionHistory) -> None:
    view = make_view(qtbot, history)
    assert view.week_figure.value_label.text() == "2 of 3–4"
    caption = view.week_figure.caption_label.text()
    assert caption == "workouts toward the goal this week (and 6 desk breaks)"
    assert "at least 10 minutes" in view.week_figure.toolTip()
    assert "Desk breaks do not count" in view.sessions_chart.toolTip()
    model = view.sessions_model
    kinds = {model.record(r).is_desk_break for r in range(model.rowCount())}
    assert kinds == {True, False}


def test_the_chosen_session_shows_its_details_and_what_hurt(
    qtbot: QtBot, history: SessionHistory, records: list[SessionRecord]
) -> None:
    pain = next(r for r in records if r.outcome is SessionOutcome.STOPPED_FOR_PAIN)
    history.store.finish_session(
        replace(pain, pain_area="lower back", pain_note="Sharp\nwhen bending")
    )
    view = make_view(qtbot, history)
    assert view.details_label.text() == "Choose a session to see its details."
    model = view.sessions_filter
    (row,) = [
        r for r in range(model.rowCount()) if model.index(r, 0).data(RECORD_ROLE).id == pain.id
    ]
    view.sessions_table.setCurrentIndex(model.index(row, 0))
    details = view.details_label.text()
    assert details.startswith(f"{pain.routine_title} (workout): ⚠ Stopped for pain")
    assert details.endswith("Pain: lower back — Sharp when bending")
    tip = model.index(row, SessionTableModel.OUTCOME).data(Qt.ItemDataRole.ToolTipRole)
    assert "Pain: lower back — Sharp when bending" in tip


def test_export_writes_the_desk_break_reminders(
    qtbot: QtBot, history: SessionHistory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for event in sample_break_events(TODAY, BERLIN):
        history.store.add_break_event(event)
    target = tmp_path / "breaks.csv"

    def choose(parent: object, caption: str, start: str, filters: str, selected: str = ""):  # type: ignore[no-untyped-def]
        assert PER_BREAK_FILTER in filters
        return str(target), PER_BREAK_FILTER

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(choose))
    window = make_window(qtbot, history)
    window.export_history()
    with target.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    assert rows[0] == ["id", "at", "kind"]
    assert len(rows) == 1 + 4 * 5
    assert {row[2] for row in rows[1:]} == {"taken", "snoozed", "skipped", "natural_break"}
    assert message(window).text() == f"Exported 20 desk-break reminders to {target}."
