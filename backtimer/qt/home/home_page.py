"""The home page: pick a routine from a grid of cards, narrowed by a search and filters.

Each routine is a card (:class:`~backtimer.qt.home.routine_card.RoutineCard`: a focusable
button, Enter, Space or a click chooses it) with its title, planned length, category,
equipment, number of exercises and when it was last done. The cards come in the picker's
order (:func:`backtimer.app.picker.picker_order`: the warm-up first) and flow into as many
columns as the width allows; the arrow keys move between them as they are laid out, Tab
goes through them in reading order. The filters are in
:mod:`backtimer.qt.home.picker_filters`.

Each card's length is the routine's planned length (:mod:`backtimer.app.durations`), from
the function the window gives (:meth:`HomePage.set_length_source`: the user's reps and
settings); until then, from the routine alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Final

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from backtimer.qt.home.picker_filters import FilterBar
from backtimer.qt.home.routine_card import RoutineCard
from backtimer.qt.home.words import describe_last_done, plural
from backtimer.qt.widgets.fonts import scaled_font

if TYPE_CHECKING:
    from backtimer.core.figure.scene import ExerciseFigure
    from backtimer.core.routine.kinds import Equipment
    from backtimer.core.routine.library import Library, LibraryEntry
    from backtimer.core.routine.model import Routine

#: Card width, in multiples of the font's average character width.
_CARD_WIDTH_CHARS: Final = 44


def default_length(routine: Routine) -> int:
    """The planned length of ``routine`` from the routine alone (default settings, no reps
    from the history): what a card shows until the window gives the user's."""
    from backtimer.app.durations import planned_length_ms
    from backtimer.core.plan.compiler import PlanSettings

    return planned_length_ms(routine, PlanSettings())


class _CardGrid(QWidget):
    """The scroll area's content: the visible cards in a grid whose columns follow the width."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setAlignment(Qt.AlignmentFlag.AlignTop)


class HomePage(QWidget):
    """The routine picker; emits :attr:`routine_chosen` with the id of the chosen routine."""

    #: A routine was chosen (its id).
    routine_chosen = Signal(str)
    #: The user asked to see or adjust a routine's reps (its id).
    reps_requested = Signal(str)
    #: The things ticked under "I have" changed (a frozenset of Equipment).
    have_changed = Signal(object)

    def __init__(
        self,
        library: Library | None,
        last_done: Mapping[str, datetime] | None = None,
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        #: None until the app has loaded the library (see set_library).
        self._loading = library is None
        self._entries: tuple[LibraryEntry, ...] = tuple(library.entries) if library else ()
        self._error_count = len(library.errors) if library else 0
        self._last_done: dict[str, datetime] = dict(last_done or {})
        self._today = today
        self._columns = 0
        self._visible: list[RoutineCard] = []
        self.cards: dict[str, RoutineCard] = {}
        self._reps_available = True
        self._length_of: Callable[[Routine], int] = default_length
        self._figures: Mapping[str, ExerciseFigure] = {}
        self._build()
        self._populate()

    def set_library(self, library: Library) -> None:
        """Show these routines instead (the app loads the library after the window shows)."""
        for card in self.cards.values():
            card.hide()
            card.deleteLater()
        self.cards.clear()
        self._visible = []
        self._entries = tuple(library.entries)
        self._error_count = len(library.errors)
        self._loading = False
        self._populate()

    def _populate(self) -> None:
        from backtimer.app.picker import picker_order

        for routine in picker_order(entry.routine for entry in self._entries):
            card = RoutineCard(routine, self._length_of(routine), self._grid)
            card.clicked.connect(lambda _checked=False, rid=routine.id: self._choose(rid))
            card.focused.connect(lambda c=card: self._scroll.ensureWidgetVisible(c, 0, 8))
            card.installEventFilter(self)
            card.reps_wanted.connect(lambda rid=routine.id: self.reps_requested.emit(rid))
            self._show_reps_button(card)
            self._show_figure(card)
            self.cards[routine.id] = card
        errors = self._error_count
        self.problems_label.setText(
            f"{plural(errors, 'problem')} in routine files kept some routines out; see the log."
        )
        self.problems_label.setVisible(errors > 0)
        self.filters.fill(entry.routine for entry in self._entries)
        self._apply_fonts()
        self._refresh_last_done()
        self.apply_filters()

    # -- layout ---------------------------------------------------------------------------

    def _build(self) -> None:
        self.heading = QLabel("Choose a routine")
        self.heading.setAccessibleName("Choose a routine")
        self._build_filters()
        self.result_label = QLabel()
        self.result_label.setAccessibleName("Number of routines shown")
        self._build_empty_state()
        self._build_grid()
        self.problems_label = QLabel()
        self.problems_label.setAccessibleName("Routine files that could not be loaded")
        self.problems_label.setWordWrap(True)

        layout = self._page_layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.filters)
        layout.addWidget(self.result_label)
        layout.addWidget(self._scroll, 1)
        layout.addWidget(self._empty, 1)
        layout.addWidget(self.problems_label)

    def _build_filters(self) -> None:
        self.filters = FilterBar()
        self.search_field = self.filters.search_field
        self.category_box = self.filters.category_box
        self.length_box = self.filters.length_box
        self.filters.changed.connect(self.apply_filters)
        self.filters.have_changed.connect(self.have_changed)
        self.search_field.installEventFilter(self)

    def _build_empty_state(self) -> None:
        self.empty_label = QLabel("No routines match these filters.")
        self.empty_label.setAccessibleName("No routines match these filters")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.clear_button = QPushButton("Clear filters")
        self.clear_button.setAccessibleName("Clear filters")
        self.clear_button.setAutoDefault(True)
        self.clear_button.clicked.connect(self.clear_filters)
        self._empty = QWidget()
        empty_layout = QVBoxLayout(self._empty)
        empty_layout.addStretch(1)
        empty_layout.addWidget(self.empty_label)
        empty_layout.addWidget(self.clear_button, 0, Qt.AlignmentFlag.AlignHCenter)
        empty_layout.addStretch(2)

    def _build_grid(self) -> None:
        self._grid = _CardGrid()
        # A viewport made here, so that asking for it finds this object instead of making
        # PySide look the C++ one's type up among every widget class (slow, before a paint).
        self._viewport = QWidget()
        self._scroll = QScrollArea()
        self._scroll.setViewport(self._viewport)
        self._scroll.setAccessibleName("Routines")
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._scroll.setWidget(self._grid)
        self._viewport.installEventFilter(self)

    def _apply_fonts(self) -> None:
        base = self.font()
        self.heading.setFont(scaled_font(base, 2.0, bold=True))
        self.empty_label.setFont(scaled_font(base, 1.4))
        self.clear_button.setFont(scaled_font(base, 1.15))
        self.result_label.setFont(scaled_font(base, 1.1))
        for card in self.cards.values():
            card.apply_fonts()
        spacing = self.fontMetrics().height()
        self._grid.grid.setSpacing(spacing)
        self._page_layout.setContentsMargins(spacing, spacing, spacing, spacing)
        self._page_layout.setSpacing(round(spacing * 0.6))
        self.filters.apply_fonts(spacing)
        self._columns = 0  # the card width changed with the font: lay out again
        self._relayout()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and hasattr(self, "cards"):
            self._apply_fonts()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        self._refresh_last_done()  # "today" becomes "yesterday" overnight

    # -- reps -----------------------------------------------------------------------------

    def set_reps_available(self, available: bool) -> None:
        """Offer the cards' reps (only where there is somewhere to keep pins)."""
        self._reps_available = available
        for card in self.cards.values():
            self._show_reps_button(card)

    def _show_reps_button(self, card: RoutineCard) -> None:
        counts = any(e.reps is not None for e in card.routine.exercises)
        card.set_reps_available(self._reps_available and counts)

    # -- last done ------------------------------------------------------------------------

    def set_last_done(self, mapping: Mapping[str, datetime]) -> None:
        """When each routine (by id) was last done; routines not in it show "never"."""
        self._last_done = dict(mapping)
        self._refresh_last_done()

    def _refresh_last_done(self) -> None:
        today = self._today()
        for routine_id, card in self.cards.items():
            card.set_last_done(describe_last_done(self._last_done.get(routine_id), today))

    # -- filters --------------------------------------------------------------------------

    def set_length_source(self, length_of: Callable[[Routine], int]) -> None:
        """Where the cards' lengths come from: the planned length with the user's reps and
        settings (:func:`backtimer.app.durations.session_length_ms`)."""
        self._length_of = length_of
        self.refresh_lengths()

    def refresh_lengths(self) -> None:
        """Ask for each card's length again (the reps or the settings changed)."""
        for card in self.cards.values():
            card.set_length(self._length_of(card.routine))
        self.apply_filters()

    def set_figures(self, figures: Mapping[str, ExerciseFigure]) -> None:
        """The exercise illustrations, by id: each card shows its first exercise's."""
        self._figures = figures
        for card in self.cards.values():
            self._show_figure(card)

    def _show_figure(self, card: RoutineCard) -> None:
        if self._figures:
            card.set_figure(self._figures.get(card.routine.exercises[0].illustration_id))

    def set_have(self, items: Iterable[Equipment]) -> None:
        """Tick what the user has under "I have" (from the settings)."""
        self.filters.set_have(items)

    def _matches(self, routine: Routine) -> bool:
        card = self.cards.get(routine.id)
        length = card.total_ms if card is not None else self._length_of(routine)
        return self.filters.matches(routine, length)

    def apply_filters(self) -> None:
        """Show the cards that pass every filter, in the picker's order."""
        self._visible = [card for card in self.cards.values() if self._matches(card.routine)]
        total = len(self.cards)
        shown = len(self._visible)
        if total == 0:
            message = "Loading routines…" if self._loading else "No routines found."
            self.empty_label.setText(message)
            self.empty_label.setAccessibleName(message.rstrip(".…"))
            self.clear_button.hide()
        else:
            self.empty_label.setText("No routines match these filters.")
            self.empty_label.setAccessibleName("No routines match these filters")
            self.clear_button.show()
        self._empty.setVisible(shown == 0)
        self._scroll.setVisible(shown > 0)
        if shown == total:
            self.result_label.setText(f"{plural(total, 'routine')}")
        else:
            self.result_label.setText(f"Showing {shown} of {plural(total, 'routine')}")
        self._columns = 0
        self._relayout()

    def clear_filters(self) -> None:
        """Empty the search and reset every filter."""
        self.filters.clear()
        self.search_field.setFocus()

    def visible_routine_ids(self) -> list[str]:
        """Ids of the routines shown, in the order they are laid out."""
        return [card.routine.id for card in self._visible]

    # -- grid -----------------------------------------------------------------------------

    def _card_width(self) -> int:
        return self.fontMetrics().averageCharWidth() * _CARD_WIDTH_CHARS

    def _fitting_columns(self) -> int:
        width = self._viewport.width()
        spacing = self._grid.grid.spacing()
        return max(1, (width + spacing) // (self._card_width() + spacing))

    @property
    def columns(self) -> int:
        """How many columns of cards the current width holds."""
        return self._columns

    def _relayout(self) -> None:
        columns = self._fitting_columns()
        if columns == self._columns:
            return
        self._columns = columns
        grid = self._grid.grid
        while grid.count():
            grid.takeAt(0)
        for card in self.cards.values():
            card.hide()
        for index, card in enumerate(self._visible):
            grid.addWidget(card, index // columns, index % columns)
            card.show()
        for column in range(grid.columnCount()):
            grid.setColumnStretch(column, 1 if column < columns else 0)
        rows = -(-len(self._visible) // columns)
        for row in range(grid.rowCount()):
            grid.setRowStretch(row, 0)
        grid.setRowStretch(rows, 1)  # the cards keep their height; the space goes below
        previous: QWidget = self.filters.last_widget()
        for card in self._visible:
            QWidget.setTabOrder(previous, card)
            previous = card
        if not self._visible:
            QWidget.setTabOrder(self.filters.last_widget(), self.clear_button)

    def _move_focus(self, card: RoutineCard, key: int) -> bool:
        """Arrow keys between cards, as they are laid out; True when the key was used."""
        if card not in self._visible:
            return False
        index = self._visible.index(card)
        step = {
            Qt.Key.Key_Left: -1,
            Qt.Key.Key_Right: 1,
            Qt.Key.Key_Up: -self._columns,
            Qt.Key.Key_Down: self._columns,
        }.get(Qt.Key(key))
        if step is None:
            return False
        target = index + step
        if 0 <= target < len(self._visible):
            self._visible[target].setFocus(Qt.FocusReason.TabFocusReason)
        elif key == Qt.Key.Key_Up:
            self.search_field.setFocus(Qt.FocusReason.BacktabFocusReason)
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.Resize and watched is getattr(self, "_viewport", None):
            self._relayout()
        elif event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if isinstance(watched, RoutineCard):
                return self._move_focus(watched, event.key())
            if watched is self.search_field and event.key() == Qt.Key.Key_Down and self._visible:
                self._visible[0].setFocus(Qt.FocusReason.TabFocusReason)
                return True
        return super().eventFilter(watched, event)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self.filters.arrange()
        self._relayout()

    def _choose(self, routine_id: str) -> None:
        self.routine_chosen.emit(routine_id)

    def focus_card(self, routine_id: str) -> None:
        """Put the keyboard focus on a routine's card (back from its preview)."""
        card = self.cards.get(routine_id)
        if card is not None and card in self._visible:
            card.setFocus(Qt.FocusReason.OtherFocusReason)
            self._scroll.ensureWidgetVisible(card, 0, 8)
        else:
            self.focus_first()

    def focus_first(self) -> None:
        """Put the keyboard focus on the first card shown (or the search field)."""
        if self._visible:
            self._visible[0].setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.search_field.setFocus(Qt.FocusReason.OtherFocusReason)
