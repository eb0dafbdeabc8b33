"""The preview between the picker and the session: a card opens it, Start or Enter starts,
Esc goes back to the same card; and one length for a routine on every screen."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from backtimer.app.durations import length_text, planned_length_ms
from backtimer.cli.commands import run_command
from backtimer.cli.parser import build_parser
from backtimer.core.clock import FakeClock
from backtimer.core.figure.figures import load_figures
from backtimer.core.history.overrides import RepsOverrides
from backtimer.core.history.recorder import SessionHistory
from backtimer.core.paths import AppPaths, assets_dir
from backtimer.core.plan.compiler import PlanSettings
from backtimer.core.routine.kinds import Equipment
from backtimer.core.safety import load_safety
from backtimer.core.settings import AudioSettings, Settings
from backtimer.core.store.settings_store import SettingsStore
from backtimer.qt.breaks.break_window import BreakWindow
from backtimer.qt.shell.main_window import MainWindow
from tests.helpers.routines import BACK_ROUTINE, back_routine, completed_sessions, user_library

FIGURES = load_figures(assets_dir() / "poses")
#: Not the defaults, so that a screen using the defaults would show another length.
SETTINGS = Settings(
    get_ready_seconds=7,
    safety_acknowledged=True,
    audio=AudioSettings(speech=False, beeps=False, announce_next=False),
)


@pytest.fixture
def paths(tmp_path: Path) -> AppPaths:
    paths = AppPaths(data=tmp_path / "data", config=tmp_path / "config", cache=tmp_path / "cache")
    paths.ensure()
    return paths


@pytest.fixture
def history(paths: AppPaths) -> SessionHistory:
    """Two completed sessions: the progression says 3 bridges (the routine says 2)."""
    history = SessionHistory(paths.data / "history")
    history.store.add_sessions(completed_sessions(back_routine(), 3, 2))
    return history


def make_window(qtbot: QtBot, history: SessionHistory, paths: AppPaths) -> MainWindow:
    window = MainWindow(
        user_library(BACK_ROUTINE),
        FIGURES,
        load_safety(),
        SETTINGS,
        lambda s: None,
        FakeClock(),
        history=history,
        reps=RepsOverrides.for_data(paths.data),
    )
    qtbot.addWidget(window)
    window.resize(800, 600)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def choose_by_keyboard(qtbot: QtBot, window: MainWindow) -> None:
    card = window.home.cards["back"]
    card.setFocus()
    qtbot.waitUntil(card.hasFocus)
    qtbot.keyClick(card, Qt.Key.Key_Return)


def test_a_click_on_a_card_previews_and_start_starts(
    qtbot: QtBot, history: SessionHistory, paths: AppPaths
) -> None:
    window = make_window(qtbot, history, paths)
    qtbot.mouseClick(window.home.cards["back"], Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget() is window.preview
    assert window._runner is None or not window.runner.busy  # nothing started yet
    assert window.preview.start_button.hasFocus()
    assert window.windowTitle() == "Back — backtimer"
    qtbot.mouseClick(window.preview.start_button, Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget() is window.session
    assert window.runner.busy


def test_enter_starts_from_the_preview(
    qtbot: QtBot, history: SessionHistory, paths: AppPaths
) -> None:
    window = make_window(qtbot, history, paths)
    choose_by_keyboard(qtbot, window)
    assert window.pages.currentWidget() is window.preview
    qtbot.keyClick(window.preview.start_button, Qt.Key.Key_Return)
    assert window.pages.currentWidget() is window.session
    assert window.runner.busy


def test_enter_anywhere_on_the_preview_starts(
    qtbot: QtBot, history: SessionHistory, paths: AppPaths
) -> None:
    window = make_window(qtbot, history, paths)
    choose_by_keyboard(qtbot, window)
    window.preview.scroll_area.setFocus()
    qtbot.waitUntil(window.preview.scroll_area.hasFocus)
    qtbot.keyClick(window.preview.scroll_area, Qt.Key.Key_Enter)
    assert window.pages.currentWidget() is window.session


def test_esc_goes_back_to_the_same_card(
    qtbot: QtBot, history: SessionHistory, paths: AppPaths
) -> None:
    window = make_window(qtbot, history, paths)
    choose_by_keyboard(qtbot, window)
    assert window.pages.currentWidget() is window.preview
    qtbot.keyClick(window.preview.start_button, Qt.Key.Key_Escape)
    assert window.pages.currentWidget() is window.home
    assert window.home.cards["back"].hasFocus()
    assert window._runner is None  # nothing started
    qtbot.mouseClick(window.home.cards["back"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.preview.back_button, Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget() is window.home


def test_the_preview_lists_every_exercise_with_its_reps_and_why(
    qtbot: QtBot, history: SessionHistory, paths: AppPaths
) -> None:
    window = make_window(qtbot, history, paths)
    window.show_preview("back")
    preview = window.preview
    routine = back_routine()
    decisions = window.sessions.prepare(routine, SETTINGS).decisions
    assert [row.exercise.id for row in preview.rows] == ["bridge", "plank", "cat"]
    bridge, plank, cat = preview.rows
    assert bridge.name_label.text() == "1. Bridge"
    assert bridge.numbers_label.text() == "3 reps"  # the history's answer, not the routine's 2
    assert bridge.reason_label.text() == decisions["bridge"].reason
    assert bridge.reason_label.isVisibleTo(preview)
    assert plank.numbers_label.text() == "20 s"
    assert not plank.reason_label.isVisibleTo(preview)  # timed: no reps to decide
    assert cat.numbers_label.text() == f"{decisions['cat'].reps} reps"
    assert bridge.figure.figure is FIGURES["bridge"]
    assert "Bridge" in bridge.accessibleName()
    assert preview.reps_button.isVisibleTo(preview)
    assert preview.stop_label.text() == load_safety().stop_rule.text


def test_the_preview_says_whether_you_have_what_it_needs(
    qtbot: QtBot, history: SessionHistory, paths: AppPaths
) -> None:
    routine_text = BACK_ROUTINE.replace(
        'category = "strength"', 'category = "strength"\nequipment = ["mat"]'
    )
    window = MainWindow(
        user_library(routine_text), {}, load_safety(), SETTINGS, lambda s: None, FakeClock()
    )
    qtbot.addWidget(window)
    window.show_preview("back")
    assert window.preview.equipment_label.text() == "Needs a\u00a0mat"
    assert window.preview.have_label.isHidden()  # the user has said nothing
    window.show_home()
    window.home.filters.have_boxes[next(iter(window.home.filters.have_boxes))].setChecked(False)
    window.show_preview("back")
    assert window.preview.have_label.text() == "You said you do not have a\u00a0mat."


def test_one_length_on_the_card_the_preview_the_plan_and_the_break_window(
    qtbot: QtBot,
    history: SessionHistory,
    paths: AppPaths,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (paths.user_routines / "back.toml").write_text(BACK_ROUTINE, encoding="utf-8")
    SettingsStore.for_paths(paths).save(SETTINGS)
    window = make_window(qtbot, history, paths)
    card = window.home.cards["back"].length_label.text().replace("\u00a0", " ")
    window.show_preview("back")
    preview = window.preview.facts_label.text()

    capsys.readouterr()
    assert run_command(paths, build_parser().parse_args(["plan", "back"])) == 0
    plan_line = capsys.readouterr().out.splitlines()[0]

    breaks = BreakWindow(FIGURES, SETTINGS, lambda s: None, sessions=window.sessions)
    qtbot.addWidget(breaks)
    assert breaks.start(back_routine())
    length = breaks.length_text.replace("\u00a0", " ")

    figure = card.removesuffix(" min")
    routine = back_routine()
    reps = {key: decision.reps for key, decision in window.sessions.decisions(routine).items()}
    assert reps["bridge"] == 3
    users = PlanSettings(get_ready_seconds=7, reps=reps, announce_next=False)
    assert figure == length_text(planned_length_ms(routine, users))
    assert figure != length_text(planned_length_ms(routine, PlanSettings()))  # not the defaults
    assert preview.startswith(f"{figure} min in all")
    assert plan_line == f"Back [back]: {figure} in all"
    assert length == f"{figure} min"
    breaks.close()


def test_what_you_have_is_kept_in_the_settings(qtbot: QtBot) -> None:
    routine_text = BACK_ROUTINE.replace(
        'category = "strength"', 'category = "strength"\nequipment = ["mat", "chair"]'
    )
    settings = replace(SETTINGS, equipment_at_hand=("chair",))
    window = MainWindow(
        user_library(routine_text), {}, load_safety(), settings, lambda s: None, FakeClock()
    )
    qtbot.addWidget(window)
    boxes = window.home.filters.have_boxes
    assert not boxes[Equipment.MAT].isChecked()
    assert boxes[Equipment.CHAIR].isChecked()
    assert window.home.visible_routine_ids() == []
    with qtbot.waitSignal(window.settings_changed) as changed:
        boxes[Equipment.MAT].setChecked(True)
    assert changed.args[0].equipment_at_hand is None  # everything ticked: said nothing
    assert window.home.visible_routine_ids() == ["back"]
    with qtbot.waitSignal(window.settings_changed) as changed:
        boxes[Equipment.CHAIR].setChecked(False)
    assert changed.args[0].equipment_at_hand == ("mat",)
    assert window.settings.equipment_at_hand == changed.args[0].equipment_at_hand


def test_change_reps_from_the_preview_updates_it(
    qtbot: QtBot, history: SessionHistory, paths: AppPaths
) -> None:
    window = make_window(qtbot, history, paths)
    window.show_preview("back")
    preview = window.preview
    length_before = preview.facts_label.text()
    qtbot.mouseClick(preview.reps_button, Qt.MouseButton.LeftButton)
    dialog = window.reps_dialog
    assert dialog is not None
    bridge = dialog.rows["bridge"]
    bridge.auto_box.setChecked(False)
    bridge.spin.setValue(9)
    dialog.accept()
    assert window.pages.currentWidget() is preview
    assert preview.rows[0].numbers_label.text() == "9 reps"
    assert preview.rows[0].reason_label.text() == "Pinned at 9 reps by you"
    assert preview.facts_label.text() != length_before  # six more bridges take longer
    card = window.home.cards["back"].length_label.text().replace("\u00a0", " ")
    assert preview.facts_label.text().startswith(card)
