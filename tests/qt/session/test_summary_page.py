"""The summary page: the outcome, the counts, the stop rule after pain, and the two ways on."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from backtimer.core.plan.describe import OUTCOME_WORDS
from backtimer.core.safety import Safety, load_safety
from backtimer.core.scheduler import ExerciseResult, ExerciseStatus, Outcome, Summary
from backtimer.qt.session.pain_form import pain_words
from backtimer.qt.session.summary_page import SummaryPage, describe_result


@pytest.fixture(scope="module")
def safety() -> Safety:
    return load_safety()


def result(
    exercise_id: str,
    status: ExerciseStatus,
    reps_done: int,
    reps_planned: int = 10,
    sets: tuple[int, int] = (1, 1),
) -> ExerciseResult:
    return ExerciseResult(
        id=exercise_id,
        name=exercise_id.replace("-", " ").capitalize(),
        status=status,
        sets_planned=sets[1],
        sets_done=sets[0],
        reps_planned=reps_planned,
        reps_done=reps_done,
        hold_seconds=0,
    )


def summary(outcome: Outcome) -> Summary:
    return Summary(
        routine_id="back",
        title="Back routine",
        outcome=outcome,
        active_ms=272_000,
        exercises=(
            result("bridge", ExerciseStatus.DONE, 10, sets=(2, 2)),
            result("cat", ExerciseStatus.DONE, 10),
            result("plank", ExerciseStatus.PARTIAL, 4),
            result("superman", ExerciseStatus.SKIPPED, 0),
            result("boat", ExerciseStatus.NOT_REACHED, 0),
            result("march", ExerciseStatus.NOT_REACHED, 0, reps_planned=0),
        ),
    )


def make_page(qtbot: QtBot) -> SummaryPage:
    page = SummaryPage()
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    qtbot.waitExposed(page)
    return page


def test_pain_shows_the_stop_rule(qtbot: QtBot, safety: Safety) -> None:
    page = make_page(qtbot)
    page.show_summary(summary(Outcome.STOPPED_FOR_PAIN), safety)
    assert page.headline_label.text() == OUTCOME_WORDS[Outcome.STOPPED_FOR_PAIN][0]
    assert page.line_label.text() == OUTCOME_WORDS[Outcome.STOPPED_FOR_PAIN][1]
    box = page.stop_rule_box
    assert box is not None
    qtbot.waitUntil(box.isVisible)
    assert box.title_label.text() == safety.stop_rule.title
    assert box.text_label.text() == safety.stop_rule.text
    assert safety.stop_rule.text in box.accessibleName()


@pytest.mark.parametrize("outcome", [Outcome.COMPLETED, Outcome.STOPPED, Outcome.INTERRUPTED])
def test_other_outcomes_have_no_stop_rule(qtbot: QtBot, safety: Safety, outcome: Outcome) -> None:
    page = make_page(qtbot)
    page.show_summary(summary(Outcome.STOPPED_FOR_PAIN), safety)
    old_box = page.stop_rule_box
    assert old_box is not None
    qtbot.waitUntil(old_box.isVisible)
    page.show_summary(summary(outcome), safety)  # the page is reused
    assert page.stop_rule_box is None
    assert not old_box.isVisible()  # gone at once, not when the event loop gets to it
    assert page.headline_label.text() == OUTCOME_WORDS[outcome][0]


def test_counts_and_names(qtbot: QtBot, safety: Safety) -> None:
    page = make_page(qtbot)
    page.show_summary(summary(Outcome.STOPPED), safety)
    assert page.title_label.text() == "Back routine"
    assert page.time_figure.value_label.text() == "4:32"
    assert page.exercises_figure.value_label.text() == "2 of 6"
    assert page.reps_figure.value_label.text() == "24 of 50"
    assert page.group_texts(ExerciseStatus.DONE) == [
        "Bridge · 10 of 10 reps · 2 of 2 sets",
        "Cat · 10 of 10 reps",
    ]
    assert page.group_texts(ExerciseStatus.PARTIAL) == ["Plank · 4 of 10 reps"]
    assert page.group_texts(ExerciseStatus.SKIPPED) == ["Superman · 0 of 10 reps"]
    assert page.group_texts(ExerciseStatus.NOT_REACHED) == ["Boat · 0 of 10 reps", "March"]


def test_a_second_summary_replaces_the_first(qtbot: QtBot, safety: Safety) -> None:
    page = make_page(qtbot)
    page.show_summary(summary(Outcome.STOPPED), safety)
    done = Summary(
        "x", "Short", Outcome.COMPLETED, 60_000, (result("cat", ExerciseStatus.DONE, 10),)
    )
    page.show_summary(done, safety)
    assert page.group_texts(ExerciseStatus.DONE) == ["Cat · 10 of 10 reps"]
    assert page.group_texts(ExerciseStatus.NOT_REACHED) == []
    shown = [label.text() for label in page.findChildren(QLabel) if label.isVisible()]
    assert "Boat · 0 of 10 reps" not in shown
    assert page.exercises_figure.value_label.text() == "1 of 1"


def test_describe_result_without_reps() -> None:
    assert describe_result(result("walk", ExerciseStatus.DONE, 0, reps_planned=0)) == "Walk"


def test_buttons_emit(qtbot: QtBot, safety: Safety) -> None:
    page = make_page(qtbot)
    page.show_summary(summary(Outcome.COMPLETED), safety)
    with qtbot.waitSignal(page.home_requested):
        qtbot.mouseClick(page.back_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(page.again_requested):
        qtbot.mouseClick(page.again_button, Qt.MouseButton.LeftButton)


def test_keyboard_back_is_the_default(qtbot: QtBot, safety: Safety) -> None:
    page = make_page(qtbot)
    page.activateWindow()
    page.show_summary(summary(Outcome.STOPPED), safety)
    qtbot.waitUntil(page.back_button.hasFocus)
    assert page.back_button.isDefault()
    with qtbot.waitSignal(page.home_requested):
        qtbot.keyClick(page.back_button, Qt.Key.Key_Return)
    qtbot.keyClick(page.back_button, Qt.Key.Key_Tab)
    assert page.again_button.hasFocus()
    with qtbot.waitSignal(page.again_requested):
        qtbot.keyClick(page.again_button, Qt.Key.Key_Space)
    with qtbot.waitSignal(page.home_requested):  # Enter where no button has the focus
        qtbot.keyClick(page, Qt.Key.Key_Enter)


def test_controls_have_accessible_names(qtbot: QtBot, safety: Safety) -> None:
    page = make_page(qtbot)
    page.show_summary(summary(Outcome.STOPPED_FOR_PAIN), safety)
    assert page.back_button.accessibleName() == "Back to routines"
    assert page.again_button.accessibleName()
    assert page.time_figure.value_label.accessibleName() == "Active time: 4:32"


# -- after a stop for pain ------------------------------------------------------------------


def test_after_pain_going_again_is_not_offered_and_back_is_the_default(
    qtbot: QtBot, safety: Safety
) -> None:
    page = make_page(qtbot)
    page.activateWindow()
    page.show_summary(summary(Outcome.STOPPED_FOR_PAIN), safety)
    qtbot.waitUntil(page.back_button.hasFocus)
    assert page.back_button.isDefault()
    assert not page.again_button.isVisible()
    with qtbot.waitSignal(page.home_requested):
        qtbot.keyClick(page.back_button, Qt.Key.Key_Return)
    page.show_summary(summary(Outcome.COMPLETED), safety)
    assert page.again_button.isVisible()  # offered again after a session without pain


@pytest.mark.parametrize("outcome", [Outcome.COMPLETED, Outcome.STOPPED, Outcome.INTERRUPTED])
def test_the_pain_form_shows_only_after_pain(
    qtbot: QtBot, safety: Safety, outcome: Outcome
) -> None:
    page = make_page(qtbot)
    page.show_summary(summary(Outcome.STOPPED_FOR_PAIN), safety)
    qtbot.waitUntil(page.pain_form.isVisible)
    page.show_summary(summary(outcome), safety)
    assert not page.pain_form.isVisible()


def test_the_pain_form_saves_where_what_kind_and_the_note(qtbot: QtBot, safety: Safety) -> None:
    page = make_page(qtbot)
    page.show_summary(summary(Outcome.STOPPED_FOR_PAIN), safety)
    form = page.pain_form
    assert [b.text() for b in form.area_buttons] == [
        "Neck",
        "Shoulders",
        "Upper back",
        "Lower back",
        "Hips or legs",
        "Elsewhere",
    ]
    assert [b.text() for b in form.kind_buttons] == ["Sharp", "Dull ache", "Tingling or numbness"]
    assert not form.save_button.isEnabled()  # nothing to save yet: all of it is optional
    qtbot.mouseClick(form.area_buttons[3], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(form.area_buttons[4], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(form.kind_buttons[0], Qt.MouseButton.LeftButton)
    qtbot.keyClicks(form.note_edit, "Bending down to the left")
    with qtbot.waitSignal(page.pain_reported) as reported:
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert reported.args == ["lower back, hips or legs — sharp", "Bending down to the left"]
    assert form.saved_label.text() == "Saved"
    with qtbot.assertNotEmitted(page.pain_reported):
        qtbot.mouseClick(page.back_button, Qt.MouseButton.LeftButton)  # saved once only


def test_enter_in_the_note_saves_it_and_stays(qtbot: QtBot, safety: Safety) -> None:
    page = make_page(qtbot)
    page.show_summary(summary(Outcome.STOPPED_FOR_PAIN), safety)
    qtbot.keyClicks(page.pain_form.note_edit, "Sharp twinge")
    with (
        qtbot.assertNotEmitted(page.home_requested),
        qtbot.waitSignal(page.pain_reported) as reported,
    ):
        qtbot.keyClick(page.pain_form.note_edit, Qt.Key.Key_Return)
    assert reported.args == ["", "Sharp twinge"]


def test_going_home_keeps_what_the_form_holds(qtbot: QtBot, safety: Safety) -> None:
    page = make_page(qtbot)
    page.show_summary(summary(Outcome.STOPPED_FOR_PAIN), safety)
    qtbot.mouseClick(page.pain_form.area_buttons[0], Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(page.pain_reported) as reported, qtbot.waitSignal(page.home_requested):
        qtbot.mouseClick(page.back_button, Qt.MouseButton.LeftButton)
    assert reported.args == ["neck", ""]


def test_a_new_summary_starts_the_form_empty(qtbot: QtBot, safety: Safety) -> None:
    page = make_page(qtbot)
    page.show_summary(summary(Outcome.STOPPED_FOR_PAIN), safety)
    qtbot.mouseClick(page.pain_form.kind_buttons[1], Qt.MouseButton.LeftButton)
    page.show_summary(summary(Outcome.STOPPED_FOR_PAIN), safety)
    assert page.pain_form.words() == ""
    assert not page.pain_form.unsaved


def test_pain_words() -> None:
    assert pain_words([], []) == ""
    assert pain_words(["Neck"], []) == "neck"
    assert pain_words([], ["Dull ache"]) == "dull ache"
    assert pain_words(["Neck", "Lower back"], ["Sharp"]) == "neck, lower back — sharp"
