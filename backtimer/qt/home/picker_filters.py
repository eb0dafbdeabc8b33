"""The picker's filters, all combined: a search, a category, a length and what you have.

* **Search** matches the title, the summary and the exercise names, ignoring case; every
  word typed must appear somewhere in those.
* **Category**: "All categories" or one of the categories present in the library.
* **Length**: "Any length" or "Up to 5 min" (10, 20): the routine's planned length
  (:mod:`backtimer.app.durations`) is at most that.
* **I have**: a box for each thing a routine of the library needs (mat, chair, pull-up
  bar…), all ticked at first; a routine shows when everything it needs is ticked
  (:func:`backtimer.app.picker.needs_covered`).

The bar lays itself out in one row of boxes and one of things you have when wide, and
the search above the boxes when narrow (see :meth:`FilterBar.arrange`).
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from backtimer.app.picker import CATEGORY_ORDER, LENGTH_LIMITS_MINUTES, fits_length, needs_covered
from backtimer.core.routine.kinds import Equipment
from backtimer.qt.home.words import CATEGORY_WORDS, EQUIPMENT_WORDS
from backtimer.qt.widgets.fonts import scaled_font

if TYPE_CHECKING:
    from backtimer.core.routine.model import Routine


class FilterBar(QWidget):
    """The search, the category and length boxes, and the "I have" boxes."""

    #: A filter changed (the picker shows the routines that pass again).
    changed = Signal()
    #: The things ticked under "I have" changed (a frozenset of Equipment).
    have_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search_field = QLineEdit()
        self.search_field.setPlaceholderText("Search routines and exercises")
        self.search_field.setAccessibleName("Search routines and exercises")
        self.search_field.textChanged.connect(self.changed)
        self.search_field.textChanged.connect(self._offer_clear_button)
        self.category_box = QComboBox()
        self.category_box.setAccessibleName("Category")
        self.category_box.currentIndexChanged.connect(self.changed)
        self.length_box = QComboBox()
        self.length_box.setAccessibleName("Length")
        self.length_box.addItem("Any length", None)
        for minutes in LENGTH_LIMITS_MINUTES:
            self.length_box.addItem(f"Up to {minutes} min", minutes)
        self.length_box.currentIndexChanged.connect(self.changed)
        self.labels = (QLabel("&Search:"), QLabel("&Category:"), QLabel("&Length:"))
        for label, buddy in zip(
            self.labels, (self.search_field, self.category_box, self.length_box), strict=True
        ):
            label.setBuddy(buddy)
        self.have_label = QLabel("I have:")
        self.have_boxes: dict[Equipment, QCheckBox] = {}
        self.have_widget = QWidget(self)
        self._have_row = QHBoxLayout(self.have_widget)
        self._have_row.setContentsMargins(0, 0, 0, 0)
        self._have_row.addWidget(self.have_label)
        self._have_row.addStretch(1)
        #: Every thing the user has, the ones without a box too (all at first).
        self._have: frozenset[Equipment] = frozenset(Equipment)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._wide: bool | None = None
        self.arrange()  # every filter a child of the bar from the start (for the tab order)

    # -- content --------------------------------------------------------------------------

    def fill(self, routines: Iterable[Routine]) -> None:
        """Offer the categories and the equipment that ``routines`` have."""
        routines = list(routines)
        box = self.category_box
        box.blockSignals(True)
        box.clear()
        box.addItem("All categories", None)
        present = {routine.category for routine in routines}
        for category in CATEGORY_ORDER:
            if category in present:
                box.addItem(CATEGORY_WORDS[category], category.value)
        box.blockSignals(False)
        needed = {item for routine in routines for item in routine.equipment}
        for item, check in list(self.have_boxes.items()):
            self._have_row.removeWidget(check)
            check.deleteLater()
            del self.have_boxes[item]
        for item in Equipment:  # the enum's order: a stable order
            if item in needed:
                check = QCheckBox(EQUIPMENT_WORDS[item][0])
                check.setAccessibleName(f"I have {EQUIPMENT_WORDS[item][1]}")
                check.setChecked(item in self._have)
                check.toggled.connect(lambda on, it=item: self._toggle(it, on))
                self._have_row.insertWidget(self._have_row.count() - 1, check)
                self.have_boxes[item] = check
        self.have_widget.setHidden(not self.have_boxes)
        self._chain_tabs()

    def _toggle(self, item: Equipment, on: bool) -> None:
        self._have = self._have | {item} if on else self._have - {item}
        self.have_changed.emit(self._have)
        self.changed.emit()

    @property
    def have(self) -> frozenset[Equipment]:
        """What the user has (everything until they untick something)."""
        return self._have

    def has_everything(self) -> bool:
        """True while every "I have" box is ticked (the user has said nothing)."""
        return all(check.isChecked() for check in self.have_boxes.values())

    def set_have(self, items: Iterable[Equipment]) -> None:
        """Tick what the user has (from the settings), without a :attr:`have_changed`."""
        self._have = frozenset(items)
        for item, check in self.have_boxes.items():
            check.blockSignals(True)
            check.setChecked(item in self._have)
            check.blockSignals(False)
        self.changed.emit()

    def matches(self, routine: Routine, length_ms: int) -> bool:
        """True when ``routine`` (of planned length ``length_ms``) passes every filter."""
        words = self.search_field.text().casefold().split()
        if words:
            haystack = " ".join(
                [routine.title, routine.summary, *(ex.name for ex in routine.exercises)]
            ).casefold()
            if not all(word in haystack for word in words):
                return False
        category = self.category_box.currentData()
        if category is not None and routine.category.value != category:
            return False
        return fits_length(length_ms, self.length_box.currentData()) and needs_covered(
            routine, self._have
        )

    def clear(self) -> None:
        """Empty the search, reset the boxes and tick everything under "I have"."""
        self.blockSignals(True)
        self.search_field.clear()
        self.category_box.setCurrentIndex(0)
        self.length_box.setCurrentIndex(0)
        for check in self.have_boxes.values():
            check.setChecked(True)
        self.blockSignals(False)
        self.changed.emit()

    def last_widget(self) -> QWidget:
        """The last filter in the tab order (the cards come after it)."""
        checks = list(self.have_boxes.values())
        return checks[-1] if checks else self.length_box

    def _chain_tabs(self) -> None:
        order: list[QWidget] = [self.search_field, self.category_box, self.length_box]
        order += list(self.have_boxes.values())
        for first, second in pairwise(order):
            QWidget.setTabOrder(first, second)

    def _offer_clear_button(self, text: str) -> None:
        """The search's clear button, set up once there is something to clear.

        It shows only while there is text; setting it up loads the style's icon, a few
        milliseconds better spent after the window's first paint.
        """
        if text and not self.search_field.isClearButtonEnabled():
            self.search_field.setClearButtonEnabled(True)

    # -- looks ----------------------------------------------------------------------------

    def apply_fonts(self, spacing: int) -> None:
        """Fonts from the bar's (inherited) font; ``spacing`` between the filters."""
        font = scaled_font(self.font(), 1.15)
        widgets: list[QWidget] = [
            *self.labels,
            self.search_field,
            self.category_box,
            self.length_box,
            self.have_label,
            *self.have_boxes.values(),
        ]
        for widget in widgets:
            widget.setFont(font)
        self._grid.setHorizontalSpacing(round(spacing * 0.5))
        self._grid.setVerticalSpacing(round(spacing * 0.5))
        self._have_row.setSpacing(round(spacing * 0.8))
        self._wide = None
        self.arrange()

    def arrange(self) -> None:
        """One row of boxes when the bar is wide, the search above them when narrow."""
        wide = self.width() >= self.fontMetrics().averageCharWidth() * 150
        if wide == self._wide:
            return
        self._wide = wide
        grid = self._grid
        while grid.count():
            grid.takeAt(0)
        search, category, length = self.labels
        for column in range(8):
            grid.setColumnStretch(column, 0)
        if wide:
            cells = [
                (search, 0, 0, 1),
                (self.search_field, 0, 1, 1),
                (category, 0, 2, 1),
                (self.category_box, 0, 3, 1),
                (length, 0, 4, 1),
                (self.length_box, 0, 5, 1),
            ]
            stretches, have_row = {1: 3, 3: 2, 5: 2}, 1
        else:
            cells = [
                (search, 0, 0, 1),
                (self.search_field, 0, 1, 3),
                (category, 1, 0, 1),
                (self.category_box, 1, 1, 1),
                (length, 1, 2, 1),
                (self.length_box, 1, 3, 1),
            ]
            stretches, have_row = {1: 1, 3: 1}, 2
        for widget, row, column, span in cells:
            grid.addWidget(widget, row, column, 1, span)
        grid.addWidget(self.have_widget, have_row, 0, 1, 6)
        for column, stretch in stretches.items():
            grid.setColumnStretch(column, stretch)
