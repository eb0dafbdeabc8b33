"""The history window: how you are doing, week by week, and every session you did.

At the top, four figures: the current streak of weeks that met the goal (3–4 workouts a
week), this week's workouts toward it, the workouts in all (desk breaks counted apart) and
the active time in all. What counts is :mod:`backtimer.core.history.definitions` (a
workout completed or of at least 10 active minutes; never a desk break), said in the
figures' and the chart's tooltips. Then two charts of the last 12 weeks
(:mod:`backtimer.qt.history.history_charts`): active minutes, and workouts against the goal.
At the bottom a calendar with the days that have sessions marked (choosing a day narrows the
list to it; "Show all days" widens it again) beside three tabs: the sessions (newest first,
sortable by any column; models in :mod:`backtimer.qt.history.history_models`) with the
chosen session's details under them (its exercises and, after a pain stop, what hurt), the
totals per routine, and the desk-break reminders taken, snoozed and skipped and the natural
breaks, per week and per day.

With no history yet, a friendly message stands in for all of it. :meth:`HistoryView.refresh`
reads the history again (the main window calls it when a session ends or an import adds
some). Esc or Ctrl+W closes the window.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QEvent, QSize, Qt, Signal
from PySide6.QtGui import (
    QHideEvent,
    QKeySequence,
    QPalette,
    QResizeEvent,
    QShortcut,
    QTextCharFormat,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QCalendarWidget,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from backtimer.core.history.definitions import GOAL_RULE, GOAL_SESSIONS_PER_WEEK, GOAL_WORDS
from backtimer.core.history.stats import HistoryStats, compute_stats
from backtimer.qt.history.history_charts import MinutesChart, SessionsChart, blend
from backtimer.qt.history.history_models import (
    RECORD_ROLE,
    BreakCountsModel,
    DayFilter,
    RoutineTotalsModel,
    SessionTableModel,
    format_day,
    format_minutes,
    session_details,
)
from backtimer.qt.widgets.fonts import scaled_font
from backtimer.qt.widgets.theme import MIN_CONTRAST, contrast_ratio
from backtimer.qt.widgets.window_size import fit_to_screen

if TYPE_CHECKING:
    from backtimer.core.history.recorder import SessionHistory
    from backtimer.core.history.records import BreakEvent, SessionRecord

Role = QPalette.ColorRole

#: The size the window first opens at, within the screen's free area.
PREFERRED_SIZE = QSize(1200, 800)
#: The least width, in average characters, at which the two charts sit side by side
#: with every week's label whole.
CHARTS_SIDE_BY_SIDE = 150
#: The least size at which the figures, charts and tables still fit.
MINIMUM_SIZE = QSize(720, 520)

#: How many rows the tables measure to size their columns.
RESIZE_PRECISION = 40

#: The empty state's words.
EMPTY_TITLE = "No sessions yet"
EMPTY_TEXT = (
    "Once you have done a routine, this is where you will see your weeks, your streak "
    f"and your totals. The goal is {GOAL_WORDS} workouts a week.\n\n"
    "Have an export from before? File → Import history… brings it back."
)
#: The desk-break tab's explanation.
BREAKS_HINT = (
    "What you did when a desk break was due: taken, snoozed or skipped. A natural break "
    "is a time you were away from the computer long enough that no reminder was needed."
)
#: The details line when no session is chosen.
NO_DETAILS = "Choose a session to see its details."


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


class Figure(QWidget):
    """A big value over a caption: "4 weeks" over "in a row with 3 or more sessions"."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.value_label = QLabel()
        self.caption_label = QLabel()
        self.caption_label.setWordWrap(True)
        for label in (self.value_label, self.caption_label):
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.value_label)
        layout.addWidget(self.caption_label)

    def set_value(self, value: str, caption: str) -> None:
        self.value_label.setText(value)
        self.caption_label.setText(caption)
        self.setAccessibleName(f"{self.name}: {value} {caption}")
        self.value_label.setAccessibleName(f"{self.name}: {value}")
        self.caption_label.setAccessibleName(caption)


class HistoryView(QWidget):
    """The history window; reads ``history`` on :meth:`refresh`."""

    #: The window was closed or hidden: where it was is worth keeping.
    closed = Signal()

    def __init__(
        self,
        history: SessionHistory | None,
        parent: QWidget | None = None,
        tz: tzinfo | None = None,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window)
        self.setWindowTitle("History — backtimer")
        self.setAccessibleName("History")
        self._history = history
        self._tz = tz
        self._now = now or (lambda: datetime.now().astimezone())
        self.stats = HistoryStats(today=self._today())
        self._build()
        self._apply_fonts()
        fit_to_screen(self, PREFERRED_SIZE, MINIMUM_SIZE)
        for keys in (QKeySequence(Qt.Key.Key_Escape), QKeySequence(QKeySequence.StandardKey.Close)):
            QShortcut(keys, self, self.close)

    # -- layout ---------------------------------------------------------------------------

    def _build(self) -> None:
        self.content = QWidget()
        content = QVBoxLayout(self.content)
        content.addLayout(self._build_figures())
        content.addLayout(self._build_charts(), 5)
        bottom = QHBoxLayout()
        bottom.addLayout(self._build_calendar(), 0)
        bottom.addWidget(self._build_tables(), 1)
        content.addLayout(bottom, 6)
        self._content_layout = content
        self._build_empty_state()

        self.pages = QStackedWidget()
        self.pages.addWidget(self.empty)
        self.pages.addWidget(self.content)
        # On a small screen (or with larger text) the page scrolls rather than squeezing
        # the calendar and the tables until their bottoms are cut off.
        self.page_scroll = QScrollArea()
        self.page_scroll.setWidgetResizable(True)
        self.page_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.page_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.page_scroll.setWidget(self.pages)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.page_scroll)

        QWidget.setTabOrder(self.calendar, self.show_all_button)
        QWidget.setTabOrder(self.show_all_button, self.tabs)
        QWidget.setTabOrder(self.tabs, self.sessions_table)
        QWidget.setTabOrder(self.sessions_table, self.totals_table)
        QWidget.setTabOrder(self.totals_table, self.minutes_chart)
        QWidget.setTabOrder(self.minutes_chart, self.sessions_chart)

    def _build_figures(self) -> QHBoxLayout:
        """The four big numbers: streak, this week, sessions, active time."""
        self.streak_figure = Figure("Streak")
        self.week_figure = Figure("This week")
        self.sessions_figure = Figure("Sessions")
        self.time_figure = Figure("Active time")
        figures = QHBoxLayout()
        for figure in self.figures:
            figures.addWidget(figure, 1)
        return figures

    def _build_charts(self) -> QHBoxLayout:
        """Active minutes and sessions per week, against the goal."""
        self.minutes_chart = MinutesChart()
        self.sessions_chart = SessionsChart()
        charts = QHBoxLayout()
        charts.addWidget(self.minutes_chart, 1)
        charts.addWidget(self.sessions_chart, 1)
        self._charts_layout = charts
        return charts

    def _build_calendar(self) -> QVBoxLayout:
        """The calendar with the days that have sessions, and its hint."""
        self.calendar = QCalendarWidget()
        self.calendar.setAccessibleName("Calendar: days with sessions are marked")
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.setGridVisible(False)
        self.calendar.selectionChanged.connect(self._on_day_chosen)
        self.calendar.clicked.connect(self._on_day_clicked)
        self.show_all_button = QPushButton("Show all days")
        self.show_all_button.setAccessibleName("Show the sessions of all days")
        self.show_all_button.clicked.connect(self.show_all_days)
        self.calendar_hint = QLabel(
            "Days with sessions are marked. Choose a day to list only its sessions."
        )
        self.calendar_hint.setWordWrap(True)
        left = QVBoxLayout()
        left.addWidget(self.calendar)
        left.addWidget(self.calendar_hint)
        left.addWidget(self.show_all_button)
        left.addStretch(1)
        return left

    def _build_tables(self) -> QTabWidget:
        """The sessions (of the chosen day) and the totals per routine, in two tabs."""
        self.sessions_model = SessionTableModel(self._tz)
        self.sessions_filter = DayFilter()
        self.sessions_filter.setSourceModel(self.sessions_model)
        self.list_label = QLabel()
        self.sessions_table = self._table(self.sessions_filter, "Sessions")
        self.list_label.setBuddy(self.sessions_table)
        sessions_page = QWidget()
        middle = QVBoxLayout(sessions_page)
        middle.setContentsMargins(0, 0, 0, 0)
        middle.addWidget(self.list_label)
        middle.addWidget(self.sessions_table, 1)
        self.details_label = QLabel(NO_DETAILS)
        self.details_label.setWordWrap(True)
        self.details_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details_label.setAccessibleName("Session details")
        middle.addWidget(self.details_label)
        self.sessions_table.selectionModel().currentRowChanged.connect(self._show_details)

        self.totals_model = RoutineTotalsModel()
        self.totals_sorter = DayFilter()  # no day set: only sorts
        self.totals_sorter.setSourceModel(self.totals_model)
        self.totals_table = self._table(self.totals_sorter, "Totals per routine")
        self.totals_table.sortByColumn(RoutineTotalsModel.SESSIONS, Qt.SortOrder.DescendingOrder)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Sessions, routines and desk breaks")
        self.tabs.addTab(sessions_page, "&Sessions")
        self.tabs.addTab(self.totals_table, "Per &routine")
        self.tabs.setTabToolTip(1, "Sessions, active time and last done, per routine")
        self.tabs.addTab(self._build_breaks(), "Desk &breaks")
        self.tabs.setTabToolTip(2, "Desk-break reminders taken, snoozed and skipped")
        return self.tabs

    def _build_breaks(self) -> QWidget:
        """The desk-break reminders per week and per day, side by side."""
        self.breaks_hint = QLabel(BREAKS_HINT)
        self.breaks_hint.setWordWrap(True)
        self.breaks_week_model = BreakCountsModel("Week of")
        self.breaks_day_model = BreakCountsModel("Day")
        tables = QHBoxLayout()
        made = []
        for model, name in (
            (self.breaks_week_model, "Desk-break reminders per week"),
            (self.breaks_day_model, "Desk-break reminders per day"),
        ):
            sorter = DayFilter()  # no day set: only sorts
            sorter.setSourceModel(model)
            table = self._table(sorter, name)
            table.sortByColumn(BreakCountsModel.WHEN, Qt.SortOrder.DescendingOrder)
            title = QLabel(name)
            title.setBuddy(table)
            column = QVBoxLayout()
            column.addWidget(title)
            column.addWidget(table, 1)
            tables.addLayout(column, 1)
            made.append(table)
        self.breaks_week_table, self.breaks_day_table = made
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.breaks_hint)
        layout.addLayout(tables, 1)
        return page

    def _build_empty_state(self) -> None:
        self.empty_title = QLabel(EMPTY_TITLE)
        self.empty_text = QLabel(EMPTY_TEXT)
        self.empty_text.setWordWrap(True)
        for label in (self.empty_title, self.empty_text):
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            label.setAccessibleName(label.text())
        self.empty = QWidget()
        self.empty.setAccessibleName("No history yet")
        empty = QVBoxLayout(self.empty)
        empty.addStretch(2)
        empty.addWidget(self.empty_title)
        # Centred by stretches, not by an alignment: an aligned item loses its
        # height-for-width, and the wrapped text would be cut short.
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.empty_text, 100)
        row.addStretch(1)
        empty.addLayout(row)
        empty.addStretch(3)
        self._empty_layout = empty

    def _table(self, model: DayFilter, name: str) -> QTableView:
        table = QTableView()
        table.setModel(model)
        # The table owns its models, so they go after it (never before, under its feet).
        model.setParent(table)
        model.sourceModel().setParent(model)
        table.setAccessibleName(name)
        table.setSortingEnabled(True)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move inside
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.verticalHeader().setVisible(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Sized from the first rows only: measuring a thousand sessions would take a second.
        header.setResizeContentsPrecision(RESIZE_PRECISION)
        header.setStretchLastSection(True)
        return table

    @property
    def figures(self) -> tuple[Figure, ...]:
        return (self.streak_figure, self.week_figure, self.sessions_figure, self.time_figure)

    def _apply_fonts(self) -> None:
        base = self.font()
        line = self.fontMetrics().height()
        for figure in self.figures:
            figure.value_label.setFont(scaled_font(base, 2.0, bold=True))
            figure.caption_label.setFont(base)
        self.list_label.setFont(scaled_font(base, 1.1, bold=True))
        self.empty_title.setFont(scaled_font(base, 2.2, bold=True))
        self.empty_text.setFont(scaled_font(base, 1.25))
        self.empty_text.setMaximumWidth(line * 36)
        self._content_layout.setContentsMargins(line, line, line, line)
        self._content_layout.setSpacing(line)
        self.show_all_button.setMinimumHeight(round(line * 2))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        super().changeEvent(event)
        if not hasattr(self, "calendar"):
            return
        if event.type() == QEvent.Type.FontChange:
            self._apply_fonts()
        if event.type() == QEvent.Type.PaletteChange:
            self._mark_days()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        """Charts side by side when there is room for their labels, else one above the other."""
        super().resizeEvent(event)
        side_by_side = (
            event.size().width() >= self.fontMetrics().averageCharWidth() * CHARTS_SIDE_BY_SIDE
        )
        self._charts_layout.setDirection(
            QBoxLayout.Direction.LeftToRight if side_by_side else QBoxLayout.Direction.TopToBottom
        )
        for chart in (self.minutes_chart, self.sessions_chart):
            chart.setMinimumHeight(0 if side_by_side else self.fontMetrics().height() * 16)

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 (Qt override)
        """Closed or hidden: say so, so that where the window was is kept."""
        super().hideEvent(event)
        self.closed.emit()

    # -- content --------------------------------------------------------------------------

    def _today(self) -> date:
        return self._now().astimezone(self._tz).date()

    def _records(self) -> list[SessionRecord]:
        return self._history.store.sessions() if self._history is not None else []

    def _break_events(self) -> list[BreakEvent]:
        return self._history.store.break_events() if self._history is not None else []

    def refresh(self) -> None:
        """Read the history again and show it."""
        records = self._records()
        events = self._break_events()
        self.stats = stats = compute_stats(records, self._today(), self._tz, break_events=events)
        self.pages.setCurrentWidget(self.content if records or events else self.empty)
        self._show_figures(stats)

        self.minutes_chart.set_weeks(stats.recent)
        self.sessions_chart.set_weeks(stats.recent)

        self.sessions_model.set_records(records)
        self.sessions_table.sortByColumn(SessionTableModel.DATE, Qt.SortOrder.DescendingOrder)
        self.totals_model.set_totals(stats.routines)
        self._show_breaks(stats)
        self._show_details()

        today = QDate(stats.today.year, stats.today.month, stats.today.day)
        blocked = self.calendar.blockSignals(True)  # moving the range is not a choice
        self.calendar.setMaximumDate(today)
        self.calendar.blockSignals(blocked)
        self._mark_days()
        self._update_list_label()

    def _show_figures(self, stats: HistoryStats) -> None:
        self.streak_figure.set_value(
            _plural(stats.streak, "week"),
            f"in a row with {GOAL_SESSIONS_PER_WEEK} or more workouts",
        )
        week = stats.this_week
        caption = "workouts toward the goal this week" + (" — goal met" if week.met_goal else "")
        if week.desk_breaks:
            caption += f" (and {_plural(week.desk_breaks, 'desk break')})"
        self.week_figure.set_value(f"{week.sessions} of {GOAL_WORDS}", caption)
        caption = "workouts toward the goal in all"
        if stats.total_desk_breaks:
            caption += f" (and {_plural(stats.total_desk_breaks, 'desk break')})"
        self.sessions_figure.set_value(str(stats.total_sessions), caption)
        self.time_figure.set_value(format_minutes(stats.total_active_seconds), "of exercise in all")
        for figure in (self.streak_figure, self.week_figure, self.sessions_figure):
            figure.setToolTip(GOAL_RULE)

    def _show_breaks(self, stats: HistoryStats) -> None:
        weeks = stats.breaks_weekly.items()
        days = stats.breaks_daily.items()
        self.breaks_week_model.set_rows(
            [(format_day(week.monday), week.monday.toordinal(), counts) for week, counts in weeks]
        )
        self.breaks_day_model.set_rows(
            [(format_day(day), day.toordinal(), counts) for day, counts in days]
        )

    def _show_details(self, *_args: object) -> None:
        """The chosen session's details under the list (its exercises, what hurt)."""
        current = self.sessions_table.currentIndex()
        record = current.data(RECORD_ROLE) if current.isValid() else None
        text = session_details(record) if record is not None else NO_DETAILS
        self.details_label.setText(text)
        self.details_label.setAccessibleDescription(text)

    def refresh_if_shown(self, *_args: object) -> None:
        """Refresh when on screen (showing it refreshes anyway); takes any signal's args."""
        if self.isVisible():
            self.refresh()

    def _mark_days(self) -> None:
        """Days with sessions: bold, on a tint of the accent that keeps text readable."""
        palette = self.calendar.palette()
        text = palette.color(Role.Text)
        base = palette.color(Role.Base)
        accent = palette.color(Role.Highlight)
        tint = blend(accent, base, 0.3)
        for amount in (0.25, 0.2, 0.15, 0.1):
            if contrast_ratio(text, tint) >= MIN_CONTRAST:
                break
            tint = blend(accent, base, amount)
        self.calendar.setDateTextFormat(QDate(), QTextCharFormat())  # clears every day
        plain = QTextCharFormat()
        plain.setForeground(text)  # the default weekend red is below 4.5:1
        for weekend in (Qt.DayOfWeek.Saturday, Qt.DayOfWeek.Sunday):
            self.calendar.setWeekdayTextFormat(weekend, plain)
        marked = QTextCharFormat()
        marked.setBackground(tint)
        marked.setForeground(text)
        marked.setFontWeight(700)
        self.marked_format = marked
        for day, records in self.stats.days.items():
            fmt = QTextCharFormat(marked)
            fmt.setToolTip(_plural(len(records), "session"))
            self.calendar.setDateTextFormat(QDate(day.year, day.month, day.day), fmt)

    def marked_days(self) -> list[date]:
        """The days the calendar shows as having sessions."""
        return sorted(
            date(d.year(), d.month(), d.day())
            for d, fmt in self.calendar.dateTextFormat().items()
            if fmt.fontWeight() == 700
        )

    # -- the day filter -------------------------------------------------------------------

    def _on_day_clicked(self, _day: QDate) -> None:
        self._on_day_chosen()  # a click on the day already chosen filters too

    def _on_day_chosen(self) -> None:
        chosen = self.calendar.selectedDate()
        self.show_day(date(chosen.year(), chosen.month(), chosen.day()))

    def show_day(self, day: date) -> None:
        """List only the sessions of ``day``."""
        self.tabs.setCurrentIndex(0)
        self.sessions_filter.set_day(day)
        self._update_list_label()

    def show_all_days(self) -> None:
        """List every session."""
        self.sessions_filter.set_day(None)
        self._update_list_label()

    def _update_list_label(self) -> None:
        day = self.sessions_filter.day
        shown = self.sessions_filter.rowCount()
        if day is None:
            text = f"All sessions ({shown})"
        elif shown:
            text = f"Sessions on {format_day(day)} ({shown})"
        else:
            text = f"No sessions on {format_day(day)}"
        self.list_label.setText(text)
        self.list_label.setAccessibleName(text)
        self.show_all_button.setEnabled(day is not None)
