"""Table models of the history view: the sessions (filtered by day), the totals per routine,
and the desk-break reminders per week or day.

What each figure means (done, partly done, desk break…) is
:mod:`backtimer.core.history.definitions`, so the window agrees with ``backtimer history``
and the CSV export.

Both give display text, a raw value under :data:`SORT_ROLE` so columns sort by time and
number rather than by their text, and readable text for screen readers. A session stopped
for pain or interrupted carries a marker in its text (not only a colour), drawn in a red
that keeps 4.5:1 against the table's background in either theme. Titles and exercise names
come from files anyone can write (an import), so they are shown through
:func:`~backtimer.core.display_text.for_display`: a bidi override or a control character in
them cannot reverse or break the row; the records themselves are left as they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, tzinfo
from typing import Final

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

from backtimer.core.display_text import for_display
from backtimer.core.history.definitions import (
    STATE_WORDS,
    BreakCounts,
    ExerciseCounts,
    done_of_planned,
    exercise_state,
)
from backtimer.core.history.records import SessionOutcome, SessionRecord
from backtimer.core.history.stats import RoutineTotals, local_start
from backtimer.core.plan.describe import format_duration
from backtimer.qt.widgets.theme import MIN_CONTRAST, contrast_ratio

#: Where each cell keeps its raw value, for sorting.
SORT_ROLE: Final = Qt.ItemDataRole.UserRole
#: Where a session row keeps its record.
RECORD_ROLE: Final = Qt.ItemDataRole.UserRole + 1

#: Outcomes in words, with a marker for the ones to notice.
OUTCOME_TEXT: Final[dict[SessionOutcome, str]] = {
    SessionOutcome.COMPLETED: "Completed",
    SessionOutcome.STOPPED: "Stopped",
    SessionOutcome.STOPPED_FOR_PAIN: "⚠ Stopped for pain",
    SessionOutcome.INTERRUPTED: "✕ Interrupted",
    SessionOutcome.IN_PROGRESS: "In progress",
}
#: What the markers mean, for tooltips and screen readers.
OUTCOME_HINT: Final[dict[SessionOutcome, str]] = {
    SessionOutcome.STOPPED_FOR_PAIN: "Stopped with “Stop, I feel pain”",
    SessionOutcome.INTERRUPTED: "The app closed or crashed during the session",
    SessionOutcome.IN_PROGRESS: "Running now",
}
#: Reds for warnings, the first readable on the background wins (light, then dark themes).
WARNING_REDS: Final = ("#b3261e", "#8c1d18", "#ff8a80", "#ffb4ab")


def warning_colour(background: QColor) -> QColor:
    """A red with at least 4.5:1 contrast on ``background``."""
    for name in WARNING_REDS:
        colour = QColor(name)
        if contrast_ratio(colour, background) >= MIN_CONTRAST:
            return colour
    return QColor("#000000") if background.lightnessF() > 0.5 else QColor("#ffffff")


def format_day(day: date) -> str:
    """``"Mon 9 Mar 2026"``."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def format_when(moment: datetime) -> str:
    """``"Mon 9 Mar 2026, 18:05"``."""
    return f"{format_day(moment.date())}, {moment:%H:%M}"


def format_minutes(seconds: float) -> str:
    """Active time in words: ``"45 min"``, ``"9 h 20 min"``."""
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def exercises_text(record: SessionRecord) -> str:
    """``"6 of 8 done · 1 skipped"`` (``"—"`` for a session with no exercises recorded)."""
    return done_of_planned(record)


def exercises_detail(record: SessionRecord) -> str:
    """Every exercise of a session on its own line: done, partly done, skipped, not reached."""
    lines = []
    for e in record.exercises:
        state = STATE_WORDS[exercise_state(e)]
        reps = f", {e.reps_done} of {e.reps_planned} reps" if e.reps_planned else ""
        lines.append(f"{for_display(e.name)}: {state}{reps}")
    return "\n".join(lines)


def pain_text(record: SessionRecord) -> str:
    """``"Pain: lower back — sharp when bending"``, or empty without a pain note."""
    said = " — ".join(part for part in (record.pain_area, record.pain_note) if part)
    return f"Pain: {for_display(' '.join(said.split()))}" if said else ""


def session_details(record: SessionRecord) -> str:
    """The details of one session, for the line under the list: what, how it ended, pain."""
    kind = "desk break" if record.is_desk_break else "workout"
    head = f"{for_display(record.routine_title)} ({kind}): {OUTCOME_TEXT[record.outcome]}"
    parts = [head, exercises_text(record)]
    pain = pain_text(record)
    if pain:
        parts.append(pain)
    return " · ".join(parts)


class _FlatTableModel(QAbstractTableModel):
    """A table without children: a header per column, and as many rows as :meth:`_row_total`."""

    HEADERS: tuple[str, ...] = ()

    def _row_total(self) -> int:
        raise NotImplementedError

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:  # noqa: N802
        return 0 if parent is not None and parent.isValid() else self._row_total()

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:  # noqa: N802
        return 0 if parent is not None and parent.isValid() else len(self.HEADERS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None


class SessionTableModel(_FlatTableModel):
    """One row per session: when, routine, outcome, active time and exercises."""

    HEADERS = ("Date", "Routine", "Outcome", "Active time", "Exercises")
    DATE, ROUTINE, OUTCOME, ACTIVE, EXERCISES = range(5)

    def __init__(self, tz: tzinfo | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tz = tz
        self._records: list[SessionRecord] = []
        self._local: list[datetime] = []

    def set_records(self, records: Sequence[SessionRecord]) -> None:
        """Show ``records``."""
        self.beginResetModel()
        self._records = list(records)
        self._local = [local_start(r, self._tz) for r in self._records]
        self.endResetModel()

    def record(self, row: int) -> SessionRecord:
        """The record of ``row``."""
        return self._records[row]

    def local_day(self, row: int) -> date:
        """The local day ``row`` started on."""
        return self._local[row].date()

    def _row_total(self) -> int:
        return len(self._records)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if not index.isValid():
            return None
        record, when, column = self._records[index.row()], self._local[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(record, when, column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            text = self._text(record, when, column)
            if column == self.OUTCOME:
                return OUTCOME_TEXT[record.outcome].lstrip("⚠✕ ")
            return text
        if role == SORT_ROLE:
            return self._sort_value(record, when, column)
        if role == RECORD_ROLE:
            return record
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.OUTCOME:
                hint = OUTCOME_HINT.get(record.outcome)
                pain = pain_text(record)
                return "\n".join(t for t in (hint, pain) if t) or None
            if column == self.EXERCISES and record.exercises:
                return exercises_detail(record)
            return None
        if role in (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.FontRole):
            return self._emphasis(record, column, role)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.ACTIVE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _text(self, record: SessionRecord, when: datetime, column: int) -> str:
        if column == self.DATE:
            return format_when(when)
        if column == self.ROUTINE:
            title = for_display(record.routine_title)
            if record.is_desk_break and title.casefold() != "desk break":
                return f"{title} (desk break)"
            return title
        if column == self.OUTCOME:
            return OUTCOME_TEXT[record.outcome]
        if column == self.ACTIVE:
            return format_duration(record.active_seconds * 1000)
        return exercises_text(record)

    def _sort_value(self, record: SessionRecord, when: datetime, column: int) -> object:
        if column == self.DATE:
            return when.timestamp()
        if column == self.ROUTINE:
            return for_display(record.routine_title).casefold()
        if column == self.OUTCOME:
            return list(SessionOutcome).index(record.outcome)
        if column == self.ACTIVE:
            return record.active_seconds
        return ExerciseCounts.of(record).done

    def _emphasis(self, record: SessionRecord, column: int, role: int) -> object:
        marked = record.outcome in (SessionOutcome.STOPPED_FOR_PAIN, SessionOutcome.INTERRUPTED)
        if column != self.OUTCOME or not marked:
            return None
        if role == Qt.ItemDataRole.FontRole:
            font = QFont(QApplication.font())
            font.setBold(True)
            return font
        if record.outcome is SessionOutcome.STOPPED_FOR_PAIN:
            return warning_colour(QApplication.palette().color(QPalette.ColorRole.Base))
        return None


class DayFilter(QSortFilterProxyModel):
    """The sessions of one local day, or all of them; sorted by the raw values."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._day: date | None = None
        self.setSortRole(SORT_ROLE)

    @property
    def day(self) -> date | None:
        """The day shown, None for all."""
        return self._day

    def set_day(self, day: date | None) -> None:
        """Show only the sessions of ``day`` (None: every session)."""
        if hasattr(self, "endFilterChange"):  # Qt 6.10+; invalidateRowsFilter is deprecated
            self.beginFilterChange()
            self._day = day
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:  # pragma: no cover - older Qt
            self._day = day
            self.invalidateRowsFilter()

    def filterAcceptsRow(  # noqa: N802
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        if self._day is None:
            return True
        model = self.sourceModel()
        assert isinstance(model, SessionTableModel)
        return model.local_day(source_row) == self._day


class RoutineTotalsModel(_FlatTableModel):
    """One row per routine: sessions, active time and when it was last done."""

    HEADERS = ("Routine", "Sessions", "Active time", "Last done")
    ROUTINE, SESSIONS, ACTIVE, LAST = range(4)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._totals: list[RoutineTotals] = []

    def set_totals(self, totals: Sequence[RoutineTotals]) -> None:
        """Show ``totals``."""
        self.beginResetModel()
        self._totals = list(totals)
        self.endResetModel()

    def _row_total(self) -> int:
        return len(self._totals)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if not index.isValid():
            return None
        totals, column = self._totals[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if column == self.ROUTINE:
                return for_display(totals.title)
            if column == self.SESSIONS:
                return str(totals.sessions)
            if column == self.ACTIVE:
                return format_minutes(totals.active_seconds)
            return format_day(totals.last_done.date()) if totals.last_done else "—"
        if role == SORT_ROLE:
            if column == self.ROUTINE:
                return for_display(totals.title).casefold()
            if column == self.SESSIONS:
                return totals.sessions
            if column == self.ACTIVE:
                return totals.active_seconds
            return totals.last_done.timestamp() if totals.last_done else 0.0
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.SESSIONS, self.ACTIVE):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class BreakCountsModel(_FlatTableModel):
    """Desk-break reminders, one row per week or day: taken, snoozed, skipped, natural."""

    HEADERS = ("When", "Taken", "Snoozed", "Skipped", "Natural breaks")
    WHEN, TAKEN, SNOOZED, SKIPPED, NATURAL = range(5)

    def __init__(self, when: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.HEADERS = (when, *BreakCountsModel.HEADERS[1:])
        self._rows: list[tuple[str, float, BreakCounts]] = []

    def set_rows(self, rows: Sequence[tuple[str, float, BreakCounts]]) -> None:
        """Show ``rows``: the week or day in words, its sort value, and its counts."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def _row_total(self) -> int:
        return len(self._rows)

    def _value(self, row: int, column: int) -> int:
        counts = self._rows[row][2]
        return (counts.taken, counts.snoozed, counts.skipped, counts.natural)[column - 1]

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        when, order, counts = self._rows[row]
        if role == Qt.ItemDataRole.DisplayRole:
            return when if column == self.WHEN else str(self._value(row, column))
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if column == self.WHEN:
                return f"{when}: {counts.summary()}"
            return f"{self.HEADERS[column]}: {self._value(row, column)}"
        if role == SORT_ROLE:
            return order if column == self.WHEN else self._value(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column != self.WHEN:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
