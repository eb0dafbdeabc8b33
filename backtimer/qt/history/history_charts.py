"""The history view's charts (QtCharts): active minutes per week, and workouts against the goal.

Both show the last weeks oldest first, each labelled by its Monday, the current week last.
The workouts chart (the workouts that count toward the goal, as
:mod:`backtimer.core.history.definitions` says; desk breaks never do) puts each week's bar
in one of three sets, "3 or more" (met the goal),
"Fewer than 3", or "This week so far" (hatched: the current week, while still short of
the goal), so the colour says which and the legend says what the colour means; the goal
of 3–4 a week is a band behind the bars. Colours and fonts come from the widget's palette
and font (so the theme and the larger-text setting apply, and text keeps 4.5:1); each
chart's accessible description reads out its values. Only the history view imports this
module, so the app's start never loads QtCharts.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Final

from PySide6.QtCharts import (
    QAbstractBarSeries,
    QAreaSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QLineSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QEvent, QMargins, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QWidget

from backtimer.core.history.definitions import (
    GOAL_RULE,
    GOAL_SESSIONS_PER_WEEK,
    GOAL_SESSIONS_PER_WEEK_HIGH,
)
from backtimer.core.history.stats import WeekStats
from backtimer.qt.widgets.fonts import scaled_font
from backtimer.qt.widgets.theme import contrast_ratio, palette_is_dark

Role = QPalette.ColorRole

#: The legend's names of the sessions chart's two sets and its band.
MET_GOAL: Final = f"{GOAL_SESSIONS_PER_WEEK} or more"
BELOW_GOAL: Final = f"Fewer than {GOAL_SESSIONS_PER_WEEK}"
THIS_WEEK: Final = "This week so far"
GOAL_BAND: Final = f"Goal: {GOAL_SESSIONS_PER_WEEK}–{GOAL_SESSIONS_PER_WEEK_HIGH} a week"
MINUTES: Final = "Active minutes"


def week_label(week: WeekStats) -> str:
    """A week on the axis: its Monday, month over day (``"Mar<br>9"``, rich text)."""
    monday = week.week.monday
    return f"{monday:%b}<br>{monday.day}"


def week_name(week: WeekStats, current: bool) -> str:
    """A week in words: ``"week of Mar 9"``, or ``"this week"``."""
    monday = week.week.monday
    return "this week" if current else f"week of {monday:%b} {monday.day}"


def blend(over: QColor, under: QColor, amount: float) -> QColor:
    """``over`` laid on ``under`` at ``amount`` (0 to 1) opacity."""
    return QColor.fromRgbF(
        over.redF() * amount + under.redF() * (1 - amount),
        over.greenF() * amount + under.greenF() * (1 - amount),
        over.blueF() * amount + under.blueF() * (1 - amount),
    )


#: The bars' accent on light and on dark windows (the themes' link blues), 3:1 or more.
ACCENT_ON_LIGHT: Final = "#1a5fb4"
ACCENT_ON_DARK: Final = "#8ab4f8"


def bar_colours(palette: QPalette) -> tuple[QColor, QColor]:
    """The bars' colours: (goal met, below it), both at least 3:1 against the window.

    The accent is the app's own blue whatever the platform's palette (some give pure
    blue links); the grey is the palette's placeholder text, or its text if too faint.
    """
    window = palette.color(Role.Window)
    strong = QColor(ACCENT_ON_DARK if palette_is_dark(palette) else ACCENT_ON_LIGHT)
    weak = QColor(palette.color(Role.PlaceholderText))
    if contrast_ratio(weak, window) < 3:
        weak = QColor(palette.color(Role.WindowText))
    return strong, weak


def series_values(chart: QChart) -> dict[str, list[float]]:
    """Every bar set's values by label (for tests and descriptions)."""
    values: dict[str, list[float]] = {}
    for series in chart.series():
        if isinstance(series, QAbstractBarSeries):
            for bar_set in series.barSets():
                values[bar_set.label()] = [bar_set.at(i) for i in range(bar_set.count())]
    return values


def categories(chart: QChart) -> list[str]:
    """The labels along the bottom axis."""
    for axis in chart.axes(Qt.Orientation.Horizontal):
        if isinstance(axis, QBarCategoryAxis):
            return list(axis.categories())
    return []


class WeekChart(QChartView):
    """A bar chart over the last weeks; subclasses say what a week's bar is."""

    #: The chart's title.
    TITLE = ""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._chart = QChart()
        self._chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self._chart.setBackgroundRoundness(0)
        self._chart.setMargins(QMargins(4, 4, 4, 4))
        self._chart.setTitle(self.TITLE)
        self.setChart(self._chart)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # so a screen reader can reach it
        self.setAccessibleName(self.TITLE)
        self._weeks: list[WeekStats] = []
        self.setMinimumHeight(220)

    @property
    def values(self) -> dict[str, list[float]]:
        """The bar sets shown, by label."""
        return series_values(self._chart)

    @property
    def labels(self) -> list[str]:
        """The week labels along the bottom."""
        return categories(self._chart)

    def set_weeks(self, weeks: Sequence[WeekStats]) -> None:
        """Show ``weeks`` (oldest first, the current one last)."""
        self._weeks = list(weeks)
        self._rebuild()

    def _rebuild(self) -> None:
        chart = self._chart
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        x_axis = QBarCategoryAxis()
        x_axis.append([week_label(w) for w in self._weeks])
        y_axis = QValueAxis()
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        self._fill(chart, x_axis, y_axis)
        self._style()
        last = len(self._weeks) - 1
        names = [week_name(w, i == last) for i, w in enumerate(self._weeks)]
        self.setAccessibleDescription(self._describe(names))

    def _fill(self, chart: QChart, x_axis: QBarCategoryAxis, y_axis: QValueAxis) -> None:
        raise NotImplementedError

    def _describe(self, labels: list[str]) -> str:
        raise NotImplementedError

    def _attach(self, series: QLineSeries | QAreaSeries | QAbstractBarSeries) -> None:
        self._chart.addSeries(series)
        for axis in self._chart.axes():
            series.attachAxis(axis)

    def _style(self) -> None:
        """Colours from the palette, fonts from the widget's font."""
        palette = self.palette()
        text = palette.color(Role.WindowText)
        window = palette.color(Role.Window)
        chart = self._chart
        chart.setBackgroundBrush(QBrush(window))
        chart.setBackgroundPen(QPen(Qt.PenStyle.NoPen))
        chart.setTitleBrush(QBrush(text))
        base = self.font()
        chart.setTitleFont(scaled_font(base, 1.15, bold=True))
        legend = chart.legend()
        legend.setLabelColor(text)
        legend.setFont(base)
        legend.setAlignment(Qt.AlignmentFlag.AlignBottom)
        grid = blend(text, window, 0.18)
        for axis in chart.axes():
            axis.setLabelsColor(text)
            axis.setLabelsFont(scaled_font(base, 0.9))
            axis.setGridLineColor(grid)
            axis.setLinePenColor(blend(text, window, 0.45))
            axis.setTitleBrush(QBrush(text))
            axis.setTitleFont(base)
        strong, weak = bar_colours(palette)
        for series in chart.series():
            if isinstance(series, QAbstractBarSeries):
                for bar_set in series.barSets():
                    colour = weak if bar_set.label() == BELOW_GOAL else strong
                    bar_set.setColor(colour)
                    bar_set.setBorderColor(colour)
                    if bar_set.label() == THIS_WEEK:
                        bar_set.setBrush(QBrush(strong, Qt.BrushStyle.BDiagPattern))
                    bar_set.setLabelColor(text)
                    bar_set.setLabelFont(scaled_font(base, 0.9))
            elif isinstance(series, QAreaSeries):
                series.setColor(blend(strong, window, 0.16))
                series.setBorderColor(blend(strong, window, 0.7))
                pen = QPen(blend(strong, window, 0.7))
                pen.setStyle(Qt.PenStyle.DashLine)
                pen.setWidthF(1.5)
                series.setPen(pen)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.PaletteChange):
            self._style()


class MinutesChart(WeekChart):
    """Active minutes per week."""

    TITLE = "Active minutes per week"

    def _fill(self, chart: QChart, x_axis: QBarCategoryAxis, y_axis: QValueAxis) -> None:
        minutes = QBarSet(MINUTES)
        minutes.append([float(round(w.minutes)) for w in self._weeks])
        series = QBarSeries()
        series.append(minutes)
        series.setBarWidth(0.6)
        series.setLabelsVisible(True)
        series.setLabelsFormat("@value")
        series.setLabelsPosition(QAbstractBarSeries.LabelsPosition.LabelsOutsideEnd)
        self._attach(series)
        top, step = nice_scale(max([round(w.minutes) for w in self._weeks] + [0]) * 1.15)
        y_axis.setRange(0, top)
        y_axis.setTickCount(round(top / step) + 1)
        y_axis.setLabelFormat("%d")
        chart.legend().setVisible(False)

    def _describe(self, labels: list[str]) -> str:
        parts = [
            f"{label}: {round(w.minutes)} min" for label, w in zip(labels, self._weeks, strict=True)
        ]
        return "; ".join(parts)


class SessionsChart(WeekChart):
    """Workouts per week that count toward the goal, against the goal of 3–4 (a band)."""

    TITLE = "Workouts per week"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setToolTip(GOAL_RULE)

    def _fill(self, chart: QChart, x_axis: QBarCategoryAxis, y_axis: QValueAxis) -> None:
        count = len(self._weeks)
        # The band owns its edges (parented to it), so they live exactly as long as it.
        band = QAreaSeries()
        low, high = QLineSeries(band), QLineSeries(band)
        for x in (-0.5, count - 0.5):
            low.append(x, GOAL_SESSIONS_PER_WEEK)
            high.append(x, GOAL_SESSIONS_PER_WEEK_HIGH)
        band.setUpperSeries(high)
        band.setLowerSeries(low)
        band.setName(GOAL_BAND)
        self._attach(band)
        sets = {name: QBarSet(name) for name in (MET_GOAL, BELOW_GOAL, THIS_WEEK)}
        for index, week in enumerate(self._weeks):
            if week.met_goal:
                which = MET_GOAL
            elif index == count - 1:
                which = THIS_WEEK
            else:
                which = BELOW_GOAL
            for name, bar_set in sets.items():
                bar_set.append(float(week.sessions) if name == which else 0.0)
        if not any(sets[THIS_WEEK].at(i) for i in range(count)):
            del sets[THIS_WEEK]  # the set and its legend entry only while it means something
        series = QStackedBarSeries()
        series.append(list(sets.values()))
        series.setBarWidth(0.6)
        self._attach(series)
        top = max([w.sessions for w in self._weeks] + [GOAL_SESSIONS_PER_WEEK_HIGH]) + 1
        y_axis.setRange(0, top)
        y_axis.setTickCount(top + 1 if top <= 10 else 6)
        y_axis.setLabelFormat("%d")
        chart.legend().setVisible(True)

    def _describe(self, labels: list[str]) -> str:
        parts = []
        for label, week in zip(labels, self._weeks, strict=True):
            word = "workout" if week.sessions == 1 else "workouts"
            mark = ", goal met" if week.met_goal else ""
            parts.append(f"{label}: {week.sessions} {word}{mark}")
        return f"{GOAL_BAND}. {GOAL_RULE} " + "; ".join(parts)


#: Steps between an axis's ticks, in minutes.
NICE_STEPS: Final = (5, 10, 15, 30, 60, 120, 240, 480, 960)


def nice_scale(value: float, most_ticks: int = 6) -> tuple[int, int]:
    """A round top for an axis reaching ``value`` (at least 30), and its tick step.

    The step is the smallest of :data:`NICE_STEPS` that needs at most ``most_ticks``
    intervals: ``nice_scale(63)`` is ``(75, 15)``.
    """
    value = max(value, 30.0)
    for step in NICE_STEPS:
        if math.ceil(value / step) <= most_ticks:
            return math.ceil(value / step) * step, step
    step = NICE_STEPS[-1]
    return math.ceil(value / step) * step, step
