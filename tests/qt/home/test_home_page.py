"""The home page: every routine as a card, the filters narrow them, the keyboard chooses."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from backtimer.app.picker import picker_order
from backtimer.core.paths import builtin_routines_dir
from backtimer.core.routine.library import Library, load_library
from backtimer.core.routine.model import Category, Equipment
from backtimer.qt.home.home_page import HomePage, default_length
from backtimer.qt.home.words import describe_equipment, describe_last_done, describe_plan_length

TODAY = date(2025, 3, 12)


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library(builtin_routines_dir())


def make_page(qtbot: QtBot, library: Library, **kwargs: object) -> HomePage:
    page = HomePage(library, today=lambda: TODAY, **kwargs)  # type: ignore[arg-type]
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    qtbot.waitExposed(page)
    return page


def ordered_ids(library: Library) -> list[str]:
    return [routine.id for routine in picker_order(e.routine for e in library.entries)]


def plain(text: str) -> str:
    return text.replace("\u00a0", " ")


def select(box: object, value: object) -> None:
    index = box.findData(value)  # type: ignore[attr-defined]
    assert index >= 0, value
    box.setCurrentIndex(index)  # type: ignore[attr-defined]


def test_every_builtin_routine_has_a_card(qtbot: QtBot, library: Library) -> None:
    page = make_page(qtbot, library)
    assert len(library.entries) == 10
    assert page.visible_routine_ids() == ordered_ids(library)
    assert page.visible_routine_ids()[0] == "warm-up"
    for entry in library.entries:
        card = page.cards[entry.routine.id]
        assert card.isVisible()
        assert card.title_label.text() == entry.routine.title
        assert entry.routine.title in card.accessibleName()
        total = default_length(entry.routine)
        assert card.length_label.text() == describe_plan_length(total)
    assert page.empty_label.isHidden() or not page.empty_label.isVisible()


def test_card_words(qtbot: QtBot, library: Library) -> None:
    page = make_page(qtbot, library)
    desk = page.cards["desk-break"]
    assert plain(desk.length_label.text()) == "2:36 min"
    assert desk.equipment_label.text() == "No equipment"
    assert "6\u00a0exercises" in desk.facts_label.text()
    assert "Desk break" in desk.facts_label.text()
    neck = page.cards["neck"]
    assert plain(neck.length_label.text()) == "7:29 min"  # 448.8 s: a partial second counts
    assert neck.equipment_label.text().replace("\u00a0", " ") == "Needs a chair and a mat"


def test_plan_length_and_equipment_in_words() -> None:
    assert plain(describe_plan_length(155_000)) == "2:35 min"
    assert plain(describe_plan_length(155_001)) == "2:36 min"
    assert plain(describe_plan_length(12 * 60_000 + 20_000)) == "12:20 min"
    assert describe_equipment([]) == "No equipment"
    assert describe_equipment([Equipment.MAT]).replace("\u00a0", " ") == "Needs a mat"


def test_columns_follow_the_width(qtbot: QtBot, library: Library) -> None:
    page = make_page(qtbot, library)
    wide = page.columns
    page.resize(600, 800)
    qtbot.waitUntil(lambda: page.columns < wide)
    assert page.columns >= 1
    page.resize(1600, 800)
    qtbot.waitUntil(lambda: page.columns > wide)


def test_search_matches_title_summary_and_exercise_names(qtbot: QtBot, library: Library) -> None:
    page = make_page(qtbot, library)
    page.search_field.setText("NECK")  # the title, any case
    assert "neck" in page.visible_routine_ids()
    page.search_field.setText("every hour")  # the desk break's summary
    assert page.visible_routine_ids() == ["desk-break"]
    entry = library.find("lower-back")
    assert entry is not None
    exercise = entry.routine.exercises[0].name
    page.search_field.setText(exercise.upper())  # an exercise name
    assert "lower-back" in page.visible_routine_ids()
    page.search_field.setText("bridge hip")  # every word, anywhere
    assert "lower-back" in page.visible_routine_ids()
    for routine_id in page.visible_routine_ids():
        found = library.find(routine_id)
        assert found is not None
        names = " ".join(ex.name for ex in found.routine.exercises)
        text = f"{found.routine.title} {found.routine.summary} {names}".casefold()
        assert "bridge" in text
        assert "hip" in text
    page.search_field.clear()
    assert page.visible_routine_ids() == ordered_ids(library)


def test_category_filter(qtbot: QtBot, library: Library) -> None:
    page = make_page(qtbot, library)
    assert page.category_box.itemText(0) == "All categories"
    present = {entry.routine.category.value for entry in library.entries}
    offered = {page.category_box.itemData(i) for i in range(1, page.category_box.count())}
    assert offered == present
    names = [page.category_box.itemText(i) for i in range(page.category_box.count())]
    assert names == [
        "All categories",
        "Warm-up",
        "Desk break",
        "Posture",
        "Stretch",
        "Strength",
        "Workout",
        "Kids",
    ]
    select(page.category_box, Category.STRETCH.value)
    assert page.visible_routine_ids() == ["neck", "spine-stretch"]
    assert not page.cards["warm-up"].isVisible()
    assert page.result_label.text() == "Showing 2 of 10 routines"


def test_the_have_filter_shows_what_the_user_can_do(qtbot: QtBot, library: Library) -> None:
    page = make_page(qtbot, library)
    boxes = page.filters.have_boxes
    assert list(boxes) == [Equipment.MAT, Equipment.CHAIR, Equipment.PULL_UP_BAR, Equipment.SUPPORT]
    assert all(box.isChecked() for box in boxes.values())
    assert boxes[Equipment.MAT].accessibleName() == "I have a mat"
    with qtbot.waitSignal(page.have_changed) as changed:
        boxes[Equipment.PULL_UP_BAR].setChecked(False)
    assert Equipment.PULL_UP_BAR not in changed.args[0]
    shown = page.visible_routine_ids()
    assert "lower-back" not in shown
    assert "spine-stretch" not in shown
    assert "back-strengthening" in shown  # a mat is enough
    boxes[Equipment.MAT].setChecked(False)
    assert page.visible_routine_ids() == ["warm-up", "desk-break"]  # they need nothing
    page.set_have({Equipment.MAT, Equipment.CHAIR})
    assert boxes[Equipment.MAT].isChecked()
    assert not boxes[Equipment.PULL_UP_BAR].isChecked()
    assert "neck" in page.visible_routine_ids()  # a chair and a mat
    assert "stretch-and-strengthen" not in page.visible_routine_ids()  # needs a support


def test_the_length_filter(qtbot: QtBot, library: Library) -> None:
    page = make_page(qtbot, library)
    names = [page.length_box.itemText(i) for i in range(page.length_box.count())]
    assert names == ["Any length", "Up to 5 min", "Up to 10 min", "Up to 20 min"]
    select(page.length_box, 5)
    assert page.visible_routine_ids() == ["desk-break", "kids-posture"]
    select(page.length_box, 10)
    for routine_id in page.visible_routine_ids():
        assert page.cards[routine_id].total_ms <= 10 * 60_000
    assert "warm-up" in page.visible_routine_ids()
    assert "posture" not in page.visible_routine_ids()
    page.set_length_source(lambda routine: 60_000)  # the user's lengths, once known
    select(page.length_box, 5)
    assert len(page.visible_routine_ids()) == 10
    assert plain(page.cards["posture"].length_label.text()) == "1:00 min"


def test_filters_combine_and_an_empty_result_says_so(qtbot: QtBot, library: Library) -> None:
    page = make_page(qtbot, library)
    page.filters.have_boxes[Equipment.PULL_UP_BAR].setChecked(False)
    select(page.category_box, Category.STRETCH.value)
    assert page.visible_routine_ids() == ["neck"]
    assert not page.empty_label.isVisible()
    page.search_field.setText("no routine has this text")
    assert page.visible_routine_ids() == []
    assert page.empty_label.isVisible()
    assert page.empty_label.text() == "No routines match these filters."
    assert not any(card.isVisible() for card in page.cards.values())
    qtbot.mouseClick(page.clear_button, Qt.MouseButton.LeftButton)
    assert page.visible_routine_ids() == ordered_ids(library)
    assert page.filters.have_boxes[Equipment.PULL_UP_BAR].isChecked()
    assert not page.empty_label.isVisible()


def test_an_empty_library_says_so(qtbot: QtBot) -> None:
    page = make_page(qtbot, Library())
    assert page.visible_routine_ids() == []
    assert page.empty_label.isVisible()
    assert page.empty_label.text() == "No routines found."


def test_enter_on_a_focused_card_chooses_it(qtbot: QtBot, library: Library) -> None:
    page = make_page(qtbot, library)
    page.activateWindow()
    card = page.cards["neck"]
    card.setFocus()
    qtbot.waitUntil(card.hasFocus)
    with qtbot.waitSignal(page.routine_chosen) as chosen:
        qtbot.keyClick(card, Qt.Key.Key_Return)
    assert chosen.args == ["neck"]
    with qtbot.waitSignal(page.routine_chosen) as chosen:
        qtbot.keyClick(card, Qt.Key.Key_Space)
    assert chosen.args == ["neck"]
    other = page.cards["posture"]
    with qtbot.waitSignal(page.routine_chosen) as chosen:
        qtbot.mouseClick(other, Qt.MouseButton.LeftButton)
    assert chosen.args == ["posture"]


def test_arrow_keys_move_between_cards_as_laid_out(qtbot: QtBot, library: Library) -> None:
    page = make_page(qtbot, library)
    page.activateWindow()
    ids = page.visible_routine_ids()
    columns = page.columns
    assert columns > 1
    first = page.cards[ids[0]]
    first.setFocus()
    qtbot.waitUntil(first.hasFocus)
    qtbot.keyClick(first, Qt.Key.Key_Right)
    assert page.cards[ids[1]].hasFocus()
    qtbot.keyClick(page.cards[ids[1]], Qt.Key.Key_Down)
    assert page.cards[ids[1 + columns]].hasFocus()
    qtbot.keyClick(page.cards[ids[1 + columns]], Qt.Key.Key_Left)
    assert page.cards[ids[columns]].hasFocus()
    qtbot.keyClick(page.cards[ids[columns]], Qt.Key.Key_Up)
    assert first.hasFocus()
    qtbot.keyClick(first, Qt.Key.Key_Up)  # from the top row up to the search
    assert page.search_field.hasFocus()
    qtbot.keyClick(page.search_field, Qt.Key.Key_Down)
    assert first.hasFocus()
    qtbot.keyClick(first, Qt.Key.Key_Tab)
    assert page.cards[ids[1]].hasFocus()


def test_last_done_in_words(qtbot: QtBot, library: Library) -> None:
    page = make_page(qtbot, library)
    assert all(card.last_done_text == "never" for card in page.cards.values())
    noon = datetime(TODAY.year, TODAY.month, TODAY.day, 12)
    page.set_last_done(
        {
            "neck": noon,
            "warm-up": noon - timedelta(days=1),
            "desk-break": noon - timedelta(days=3),
        }
    )
    assert page.cards["neck"].last_done_text == "today"
    assert page.cards["warm-up"].last_done_text == "yesterday"
    assert page.cards["desk-break"].last_done_text == "3 days ago"
    assert page.cards["posture"].last_done_text == "never"
    assert page.cards["desk-break"].last_done_label.text() == "Last done: 3 days ago"
    assert "Last done 3 days ago" in page.cards["desk-break"].accessibleName()


def test_last_done_given_to_the_constructor(qtbot: QtBot, library: Library) -> None:
    noon = datetime(TODAY.year, TODAY.month, TODAY.day, 12)
    page = make_page(qtbot, library, last_done={"neck": noon - timedelta(days=2)})
    assert page.cards["neck"].last_done_text == "2 days ago"


@pytest.mark.parametrize(
    ("days", "words"),
    [
        (-1, "today"),
        (0, "today"),
        (1, "yesterday"),
        (13, "13 days ago"),
        (14, "2 weeks ago"),
        (59, "8 weeks ago"),
        (60, "2 months ago"),
        (365, "a year ago"),
        (800, "2 years ago"),
    ],
)
def test_describe_last_done(days: int, words: str) -> None:
    when = datetime(TODAY.year, TODAY.month, TODAY.day, 9) - timedelta(days=days)
    assert describe_last_done(when, TODAY) == words


def test_describe_last_done_of_an_aware_time() -> None:
    now = datetime.now(UTC)
    assert describe_last_done(now, now.astimezone().date()) == "today"
    assert describe_last_done(None, TODAY) == "never"


def test_controls_have_accessible_names(qtbot: QtBot, library: Library) -> None:
    page = make_page(qtbot, library)
    for widget in (
        page.search_field,
        page.category_box,
        page.length_box,
        *page.filters.have_boxes.values(),
        page.clear_button,
        *page.cards.values(),
    ):
        assert widget.accessibleName()


def test_text_follows_the_page_font(qtbot: QtBot, library: Library) -> None:
    page = make_page(qtbot, library)
    card = page.cards["neck"]
    before = card.title_label.font().pointSizeF()
    base = QFont(QApplication.font())
    base.setPointSizeF(base.pointSizeF() * 1.5)
    page.setFont(base)
    qtbot.waitUntil(lambda: card.title_label.font().pointSizeF() > before * 1.4)
    assert card.title_label.font().pointSizeF() > card.facts_label.font().pointSizeF()


def test_a_card_offers_its_reps_by_button_and_by_r(qtbot: QtBot, library: Library) -> None:
    page = make_page(qtbot, library)
    back = page.cards["back-strengthening"]
    assert back.reps_button.isVisible()
    assert back.reps_button.accessibleName() == f"Reps of {back.routine.title}"
    assert "Press R for the reps" in back.accessibleDescription()
    assert page.cards["warm-up"].reps_button.isHidden()  # timed exercises only
    with qtbot.waitSignal(page.reps_requested) as clicked:
        qtbot.mouseClick(back.reps_button, Qt.MouseButton.LeftButton)
    assert clicked.args == ["back-strengthening"]
    page.activateWindow()
    back.setFocus()
    qtbot.waitUntil(back.hasFocus)
    with qtbot.waitSignal(page.reps_requested) as pressed:
        qtbot.keyClick(back, Qt.Key.Key_R)
    assert pressed.args == ["back-strengthening"]
    # The button takes no Tab stop: Tab still goes from card to card.
    qtbot.keyClick(back, Qt.Key.Key_Tab)
    ids = page.visible_routine_ids()
    assert page.cards[ids[ids.index("back-strengthening") + 1]].hasFocus()


def test_reps_can_be_withheld(qtbot: QtBot, library: Library) -> None:
    page = make_page(qtbot, library)
    page.set_reps_available(False)
    back = page.cards["back-strengthening"]
    assert back.reps_button.isHidden()
    assert "Press R" not in back.accessibleDescription()
    back.setFocus()
    with qtbot.assertNotEmitted(page.reps_requested):
        qtbot.keyClick(back, Qt.Key.Key_R)
    page.set_library(library)  # new cards keep the choice
    assert page.cards["back-strengthening"].reps_button.isHidden()


def test_a_card_shows_its_first_exercises_figure_once_the_figures_are_there(
    qtbot: QtBot, library: Library
) -> None:
    from backtimer.core.figure.figures import load_figures
    from backtimer.core.paths import assets_dir

    figures = load_figures(assets_dir() / "poses")
    page = make_page(qtbot, library)
    neck = page.cards["neck"]
    assert neck.figure is None  # nothing to draw before the illustrations load
    page.set_figures(figures)
    assert neck.figure is not None
    first = neck.routine.exercises[0]
    assert neck.figure.figure is figures[first.illustration_id]
    assert neck.figure.isVisible()
    assert neck.figure.height() < neck.height()
    page.set_library(library)  # new cards keep the figures
    assert page.cards["neck"].figure is not None
