"""The home page: pick a routine from a grid of cards, narrowed by a search and two filters.

Each routine is a card (a focusable button: Enter, Space or a click chooses it) with its
title, planned length, category, equipment, number of exercises and when it was last done.
The cards flow into as many columns as the width allows; the arrow keys move between them
as they are laid out, Tab goes through them in reading order.

Filters, all combined:

* **Search** matches the title, the summary and the exercise names, ignoring case; every
  word typed must appear somewhere in those.
* **Category**: "All categories" or one of the categories present in the library.
* **Equipment**: "Any equipment"; "No equipment needed" (routines that list none); or an
  item such as "Uses a mat", which shows the routines whose equipment *includes* that
  item (they may need other things too: the card says what).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Final

from PySide6.QtCore import QEvent, QObject, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QEnterEvent,
    QFocusEvent,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from backtimer.core.routine.kinds import Category, Equipment
from backtimer.qt.widgets.fonts import scaled_font

if TYPE_CHECKING:
    from backtimer.core.routine.library import Library, LibraryEntry
    from backtimer.core.routine.model import Routine


#: Categories in words.
CATEGORY_WORDS: Final[dict[Category, str]] = {
    Category.WARM_UP: "Warm-up",
    Category.STRENGTH: "Strength",
    Category.STRETCH: "Stretch",
    Category.MIXED: "Stretch and strength",
    Category.NECK: "Neck",
    Category.LOWER_BACK: "Lower back",
    Category.POSTURE: "Posture",
    Category.DESK_BREAK: "Desk break",
    Category.WORKOUT: "Workout",
    Category.KIDS: "Kids",
    Category.OTHER: "Other",
}

#: Equipment in words, with the article the filter's "Uses a …" needs.
EQUIPMENT_WORDS: Final[dict[Equipment, tuple[str, str]]] = {
    Equipment.MAT: ("mat", "a mat"),
    Equipment.CHAIR: ("chair", "a chair"),
    Equipment.PULL_UP_BAR: ("pull-up bar", "a pull-up bar"),
    Equipment.FITBALL: ("fitball", "a fitball"),
    Equipment.WALL: ("wall", "a wall"),
    Equipment.SUPPORT: ("support", "a support"),
}

#: Routines shorter than this show their exact length ("2:36 min"), longer ones "about 13 min".
EXACT_DURATION_BELOW_MS: Final = 5 * 60_000

#: Filter values of the equipment box besides an :class:`Equipment` item.
ANY_EQUIPMENT: Final = "any"
NO_EQUIPMENT: Final = "none"

_NBSP: Final = "\u00a0"

#: Card width, in multiples of the font's average character width.
_CARD_WIDTH_CHARS: Final = 44


def describe_plan_length(total_ms: int) -> str:
    """``"2:36 min"`` for a short routine, ``"about 13 min"`` for a longer one."""
    from backtimer.core.plan.describe import format_duration

    if total_ms < EXACT_DURATION_BELOW_MS:
        return f"{format_duration(total_ms)} min"
    return f"about {round(total_ms / 60_000)} min"


def describe_equipment(equipment: list[Equipment]) -> str:
    """``"No equipment"`` or ``"Needs a mat and a chair"``."""
    if not equipment:
        return "No equipment"
    items = [EQUIPMENT_WORDS[item][1].replace(" ", _NBSP) for item in equipment]
    if len(items) == 1:
        return f"Needs {items[0]}"
    return f"Needs {', '.join(items[:-1])} and {items[-1]}"


def describe_last_done(when: datetime | None, today: date) -> str:
    """``"never"``, ``"today"``, ``"yesterday"``, ``"3 days ago"``, ``"2 weeks ago"``…

    An aware ``when`` is first turned into local time; a naive one is taken as local.
    """
    if when is None:
        return "never"
    day = (when.astimezone() if when.tzinfo is not None else when).date()
    days = (today - day).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 14:
        return f"{days} days ago"
    if days < 60:
        return f"{days // 7} weeks ago"
    if days < 365:
        return f"{days // 30} months ago"
    years = days // 365
    return "a year ago" if years == 1 else f"{years} years ago"


def _plural(count: int, word: str, space: str = " ") -> str:
    return f"{count}{space}{word}" if count == 1 else f"{count}{space}{word}s"


class RoutineCard(QAbstractButton):
    """One routine as a card: a button that Enter, Space or a click activates."""

    #: The card took the keyboard focus (the page scrolls it into view).
    focused = Signal()
    #: The user asked for the routine's reps (the "Reps…" button, or R on the card).
    reps_wanted = Signal()

    def __init__(self, routine: Routine, total_ms: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.routine = routine
        self.total_ms = total_ms
        self._last_done = "never"
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setToolTip(routine.summary)
        self.setAccessibleDescription(routine.summary)

        self.title_label = QLabel(routine.title)
        self.length_label = QLabel(describe_plan_length(total_ms))
        count = _plural(len(routine.exercises), "exercise", _NBSP)
        self.facts_label = QLabel(f"{CATEGORY_WORDS[routine.category]} · {count}")
        self.equipment_label = QLabel(describe_equipment(routine.equipment))
        self.last_done_label = QLabel()
        #: Opens the reps of the routine's exercises (shown when the routine counts reps).
        self.reps_button = QPushButton("Reps…")
        self.reps_button.setAccessibleName(f"Reps of {routine.title}")
        self.reps_button.setToolTip("See the reps each exercise uses next time, and pin them")
        # Tab and the arrows go from card to card; on a card, R opens its reps.
        self.reps_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.reps_button.clicked.connect(self.reps_wanted)
        layout = self._layout = QVBoxLayout(self)
        layout.setSpacing(4)
        for label in self._labels:
            label.setWordWrap(True)
            label.setForegroundRole(QPalette.ColorRole.Text)
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            if label is not self.last_done_label:
                layout.addWidget(label)
        bottom = QHBoxLayout()
        bottom.addWidget(self.last_done_label, 1)
        bottom.addWidget(self.reps_button, 0, Qt.AlignmentFlag.AlignBottom)
        layout.addLayout(bottom)
        layout.insertSpacing(1, 2)
        layout.addStretch(1)
        self.apply_fonts()
        self.set_last_done("never")

    @property
    def _labels(self) -> tuple[QLabel, ...]:
        return (
            self.title_label,
            self.length_label,
            self.facts_label,
            self.equipment_label,
            self.last_done_label,
        )

    def set_reps_available(self, available: bool) -> None:
        """Show the "Reps…" button (and let R open the reps) or not."""
        self.reps_button.setHidden(not available)
        hint = " Press R for the reps of its exercises." if available else ""
        self.setAccessibleDescription(self.routine.summary + hint)

    @property
    def last_done_text(self) -> str:
        """``"never"``, ``"today"``, ``"3 days ago"``…"""
        return self._last_done

    def set_last_done(self, text: str) -> None:
        """Show when the routine was last done, in words."""
        self._last_done = text
        self.last_done_label.setText(f"Last done: {text}")
        routine = self.routine
        self.setAccessibleName(
            f"{routine.title}. {self.length_label.text()}. {self.facts_label.text()}. "
            f"{self.equipment_label.text()}. Last done {text}."
        )

    def apply_fonts(self) -> None:
        """Derive the labels' fonts from the card's (inherited) font."""
        base = self.font()
        self.title_label.setFont(scaled_font(base, 1.8, bold=True))
        self.length_label.setFont(scaled_font(base, 1.6))
        for label in (self.facts_label, self.equipment_label, self.last_done_label):
            label.setFont(scaled_font(base, 1.25))
        self.reps_button.setFont(scaled_font(base, 1.1))
        margin = self.fontMetrics().height()
        self._layout.setContentsMargins(margin, round(margin * 0.8), margin, round(margin * 0.8))

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return self._layout.sizeHint()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return self._layout.minimumSize()

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt override)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt override)
        return self._layout.totalHeightForWidth(width)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.isAutoRepeat():
            self.click()
            return
        if (
            event.key() == Qt.Key.Key_R
            and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            and not self.reps_button.isHidden()
        ):
            self.reps_wanted.emit()
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt override)
        super().focusInEvent(event)
        self.focused.emit()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        palette = self.palette()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        radius = self.fontMetrics().height() * 0.5
        if self.isDown() or self.underMouse():
            fill = palette.color(QPalette.ColorRole.AlternateBase)
        else:
            fill = palette.color(QPalette.ColorRole.Base)
        if self.hasFocus():
            pen = QPen(palette.color(QPalette.ColorRole.Highlight), 3)
        else:
            pen = QPen(palette.color(QPalette.ColorRole.Mid), 1)
        inset = pen.widthF() / 2 + 0.5
        painter.setPen(pen)
        painter.setBrush(fill)
        painter.drawRoundedRect(
            QRectF(self.rect()).adjusted(inset, inset, -inset, -inset), radius, radius
        )

    def enterEvent(self, event: QEnterEvent) -> None:  # noqa: N802 (Qt override)
        super().enterEvent(event)
        self.update()

    def leaveEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        super().leaveEvent(event)
        self.update()


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
        self._build()
        self._populate()

    def set_library(self, library: Library) -> None:
        """Show these routines instead (the app loads the library after the window shows)."""
        for card in self.cards.values():
            card.hide()
            card.deleteLater()
        self.cards.clear()
        self._visible = []
        for box in (self.category_box, self.equipment_box):
            box.blockSignals(True)
            box.clear()
            box.blockSignals(False)
        self._entries = tuple(library.entries)
        self._error_count = len(library.errors)
        self._loading = False
        self._populate()

    def _populate(self) -> None:
        for entry in self._entries:
            # The plan modules load with the library, after the window shows.
            from backtimer.core.plan.compiler import compile_plan

            routine = entry.routine
            card = RoutineCard(routine, compile_plan(routine).total_ms, self._grid)
            card.clicked.connect(lambda _checked=False, rid=routine.id: self._choose(rid))
            card.focused.connect(lambda c=card: self._scroll.ensureWidgetVisible(c, 0, 8))
            card.installEventFilter(self)
            card.reps_wanted.connect(lambda rid=routine.id: self.reps_requested.emit(rid))
            self._show_reps_button(card)
            self.cards[routine.id] = card
        errors = self._error_count
        self.problems_label.setText(
            f"{_plural(errors, 'problem')} in routine files kept some routines out; see the log."
        )
        self.problems_label.setVisible(errors > 0)
        self._fill_filters()
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
        layout.addLayout(self._filters)
        layout.addWidget(self.result_label)
        layout.addWidget(self._scroll, 1)
        layout.addWidget(self._empty, 1)
        layout.addWidget(self.problems_label)

    def _build_filters(self) -> None:
        self.search_field = QLineEdit()
        self.search_field.setPlaceholderText("Search routines and exercises")
        self.search_field.setAccessibleName("Search routines and exercises")
        self.search_field.textChanged.connect(self.apply_filters)
        self.search_field.textChanged.connect(self._offer_clear_button)
        self.search_field.installEventFilter(self)

        self.category_box = QComboBox()
        self.category_box.setAccessibleName("Category")
        self.category_box.currentIndexChanged.connect(self.apply_filters)
        category_label = QLabel("&Category:")
        category_label.setBuddy(self.category_box)

        self.equipment_box = QComboBox()
        self.equipment_box.setAccessibleName("Equipment")
        self.equipment_box.currentIndexChanged.connect(self.apply_filters)
        equipment_label = QLabel("E&quipment:")
        equipment_label.setBuddy(self.equipment_box)

        search_label = QLabel("&Search:")
        search_label.setBuddy(self.search_field)

        self._filter_widgets = (
            search_label,
            self.search_field,
            category_label,
            self.category_box,
            equipment_label,
            self.equipment_box,
        )
        # One row when wide; the search above the two boxes when narrow (see _arrange_filters).
        self._filters = QGridLayout()
        self._filter_labels = (search_label, category_label, equipment_label)
        self._filters_wide: bool | None = None

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

    def _offer_clear_button(self, text: str) -> None:
        """The search's clear button, set up once there is something to clear.

        It shows only while there is text; setting it up loads the style's icon, a few
        milliseconds better spent after the window's first paint.
        """
        if text and not self.search_field.isClearButtonEnabled():
            self.search_field.setClearButtonEnabled(True)

    def _fill_filters(self) -> None:
        routines = [entry.routine for entry in self._entries]
        self.category_box.blockSignals(True)
        self.category_box.addItem("All categories", None)
        present_categories = {routine.category for routine in routines}
        for category in Category:  # the enum's order: a stable, meaningful order
            if category in present_categories:
                self.category_box.addItem(CATEGORY_WORDS[category], category.value)
        self.category_box.blockSignals(False)

        self.equipment_box.blockSignals(True)
        self.equipment_box.addItem("Any equipment", ANY_EQUIPMENT)
        self.equipment_box.addItem("No equipment needed", NO_EQUIPMENT)
        present_items = {item for routine in routines for item in routine.equipment}
        for item in Equipment:
            if item in present_items:
                self.equipment_box.addItem(f"Uses {EQUIPMENT_WORDS[item][1]}", item.value)
        self.equipment_box.blockSignals(False)

    def _apply_fonts(self) -> None:
        base = self.font()
        self.heading.setFont(scaled_font(base, 2.0, bold=True))
        self.empty_label.setFont(scaled_font(base, 1.4))
        for widget in self._filter_widgets:
            widget.setFont(scaled_font(base, 1.15))
        self.clear_button.setFont(scaled_font(base, 1.15))
        self.result_label.setFont(scaled_font(base, 1.1))
        for card in self.cards.values():
            card.apply_fonts()
        spacing = self.fontMetrics().height()
        self._grid.grid.setSpacing(spacing)
        self._page_layout.setContentsMargins(spacing, spacing, spacing, spacing)
        self._page_layout.setSpacing(round(spacing * 0.6))
        self._filters.setHorizontalSpacing(round(spacing * 0.5))
        self._filters.setVerticalSpacing(round(spacing * 0.5))
        self._filters_wide = None
        self._arrange_filters()
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

    def _matches(self, routine: Routine) -> bool:
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
        equipment = self.equipment_box.currentData()
        if equipment == NO_EQUIPMENT:
            return not routine.equipment
        if equipment not in (None, ANY_EQUIPMENT):
            return any(item.value == equipment for item in routine.equipment)
        return True

    def apply_filters(self) -> None:
        """Show the cards that pass every filter, in library order."""
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
            self.result_label.setText(f"{_plural(total, 'routine')}")
        else:
            self.result_label.setText(f"Showing {shown} of {_plural(total, 'routine')}")
        self._columns = 0
        self._relayout()

    def clear_filters(self) -> None:
        """Empty the search and reset both filters."""
        self.search_field.clear()
        self.category_box.setCurrentIndex(0)
        self.equipment_box.setCurrentIndex(0)
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
        QWidget.setTabOrder(self.search_field, self.category_box)
        QWidget.setTabOrder(self.category_box, self.equipment_box)
        previous: QWidget = self.equipment_box
        for card in self._visible:
            QWidget.setTabOrder(previous, card)
            previous = card
        if not self._visible:
            QWidget.setTabOrder(self.equipment_box, self.clear_button)

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
        self._arrange_filters()
        self._relayout()

    def _arrange_filters(self) -> None:
        """The filters in one row when the page is wide, in two when it is narrow."""
        wide = self.width() >= self.fontMetrics().averageCharWidth() * 150
        if wide == self._filters_wide:
            return
        self._filters_wide = wide
        grid = self._filters
        while grid.count():
            grid.takeAt(0)
        search_label, category_label, equipment_label = self._filter_labels
        for column in range(8):
            grid.setColumnStretch(column, 0)
        if wide:
            cells = [
                (search_label, 0, 0, 1),
                (self.search_field, 0, 1, 1),
                (category_label, 0, 2, 1),
                (self.category_box, 0, 3, 1),
                (equipment_label, 0, 4, 1),
                (self.equipment_box, 0, 5, 1),
            ]
            stretches = {1: 3, 3: 2, 5: 2}
        else:
            cells = [
                (search_label, 0, 0, 1),
                (self.search_field, 0, 1, 3),
                (category_label, 1, 0, 1),
                (self.category_box, 1, 1, 1),
                (equipment_label, 1, 2, 1),
                (self.equipment_box, 1, 3, 1),
            ]
            stretches = {1: 1, 3: 1}
        for widget, row, column, span in cells:
            grid.addWidget(widget, row, column, 1, span)
        for column, stretch in stretches.items():
            grid.setColumnStretch(column, stretch)

    def _choose(self, routine_id: str) -> None:
        self.routine_chosen.emit(routine_id)

    def focus_first(self) -> None:
        """Put the keyboard focus on the first card shown (or the search field)."""
        if self._visible:
            self._visible[0].setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.search_field.setFocus(Qt.FocusReason.OtherFocusReason)
