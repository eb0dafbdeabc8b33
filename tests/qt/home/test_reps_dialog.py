"""The reps dialog: what each exercise uses and why, pinning, and saving the pins."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from backtimer.core.history.overrides import RepsOverrides
from backtimer.core.history.progression import Decision
from backtimer.core.routine.model import Routine
from backtimer.qt.home.reps_dialog import RepsDialog, open_reps_dialog
from tests.helpers.routines import back_routine

AUTOMATIC = {
    "bridge": Decision(3, "2 completed sessions since the last step: up to 3 reps"),
    "cat": Decision(4, "2 completed sessions since the last step: up to 4 reps"),
}


@pytest.fixture
def routine() -> Routine:
    return back_routine()


def make(qtbot: QtBot, routine: Routine, pins: dict[str, int] | None = None) -> RepsDialog:
    dialog = RepsDialog(routine, AUTOMATIC, pins or {})
    qtbot.addWidget(dialog)
    return dialog


def test_lists_the_counted_exercises_with_their_reps_and_why(
    qtbot: QtBot, routine: Routine
) -> None:
    dialog = make(qtbot, routine, {"cat": 5})
    assert list(dialog.rows) == ["bridge", "cat"]  # the timed plank has no reps
    bridge, cat = dialog.rows["bridge"], dialog.rows["cat"]
    assert bridge.auto_box.isChecked()
    assert not bridge.spin.isEnabled()
    assert bridge.spin.value() == 3
    assert (bridge.spin.minimum(), bridge.spin.maximum()) == (1, 10)
    assert bridge.range_label.text() == "Range 2–10:"
    assert bridge.reason_label.text() == AUTOMATIC["bridge"].reason
    assert not cat.auto_box.isChecked()
    assert cat.spin.isEnabled()
    assert cat.spin.value() == 5
    assert cat.reason_label.text() == "Pinned at 5 reps by you"
    assert dialog.changes() == {"bridge": None, "cat": 5}
    assert dialog.windowTitle() == "Reps — Back"


def test_unticking_automatic_pins_and_the_reason_follows(qtbot: QtBot, routine: Routine) -> None:
    dialog = make(qtbot, routine, {"cat": 5})
    bridge = dialog.rows["bridge"]
    bridge.auto_box.setChecked(False)
    assert bridge.spin.isEnabled()
    bridge.spin.setValue(7)
    assert bridge.reason_label.text() == "Pinned at 7 reps by you"
    assert dialog.changes() == {"bridge": 7, "cat": 5}
    bridge.auto_box.setChecked(True)
    assert bridge.spin.value() == 3
    assert bridge.reason_label.text() == AUTOMATIC["bridge"].reason
    dialog.set_all_automatic()
    assert dialog.changes() == {"bridge": None, "cat": None}


def test_keyboard_only(qtbot: QtBot, routine: Routine) -> None:
    dialog = make(qtbot, routine)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    bridge = dialog.rows["bridge"]
    assert bridge.auto_box.hasFocus()
    qtbot.keyClick(bridge.auto_box, Qt.Key.Key_Space)  # untick
    qtbot.keyClick(bridge.auto_box, Qt.Key.Key_Tab)
    assert bridge.spin.hasFocus()
    qtbot.keyClick(bridge.spin, Qt.Key.Key_Up)
    qtbot.keyClick(bridge.spin, Qt.Key.Key_Up)
    qtbot.keyClick(bridge.spin, Qt.Key.Key_Tab)
    assert dialog.rows["cat"].auto_box.hasFocus()
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.rows["cat"].auto_box, Qt.Key.Key_Return)
    assert dialog.changes() == {"bridge": 5, "cat": None}


def test_every_control_has_an_accessible_name(qtbot: QtBot, routine: Routine) -> None:
    dialog = make(qtbot, routine)
    for row in dialog.rows.values():
        name = row.exercise.name
        assert row.auto_box.accessibleName() == f"Automatic reps for {name}"
        assert row.spin.accessibleName() == f"Reps for {name}"
        assert row.reason_label.accessibleName().startswith(f"{name}: ")
    assert dialog.all_automatic_button.accessibleName() == "All automatic"


def test_larger_text_makes_the_dialog_text_larger(qtbot: QtBot, routine: Routine) -> None:
    dialog = make(qtbot, routine)
    before = dialog.rows["bridge"].reason_label.font().pointSizeF()
    font = QFont(dialog.font())
    font.setPointSizeF(font.pointSizeF() * 1.25)
    dialog.setFont(font)
    assert dialog.rows["bridge"].reason_label.font().pointSizeF() > before * 1.2


def test_ok_saves_the_pins_and_cancel_does_not(
    qtbot: QtBot, routine: Routine, tmp_path: Path
) -> None:
    store = RepsOverrides(tmp_path / "reps.json")
    store.pin(routine, "cat", 5)
    parent = QWidget()
    qtbot.addWidget(parent)
    dialog = open_reps_dialog(parent, routine, AUTOMATIC, store)
    assert dialog.rows["cat"].spin.value() == 5
    dialog.rows["bridge"].auto_box.setChecked(False)
    dialog.rows["bridge"].spin.setValue(8)
    dialog.reject()
    assert store.pins("back") == {"cat": 5}

    dialog = open_reps_dialog(parent, routine, AUTOMATIC, store)
    dialog.rows["bridge"].auto_box.setChecked(False)
    dialog.rows["bridge"].spin.setValue(8)
    dialog.rows["cat"].auto_box.setChecked(True)
    dialog.accept()
    assert store.pins("back") == {"bridge": 8}
    assert dialog.save_error is None


def test_a_failed_save_is_told(
    qtbot: QtBot, routine: Routine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = RepsOverrides(tmp_path / "reps.json")
    parent = QWidget()
    qtbot.addWidget(parent)
    dialog = open_reps_dialog(parent, routine, AUTOMATIC, store)
    dialog.rows["bridge"].auto_box.setChecked(False)

    def no_space(*args: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("os.replace", no_space)
    dialog.accept()
    monkeypatch.undo()
    box = dialog.save_error
    assert box is not None
    assert "could not be saved" in box.text()
    assert "No space left on device" in box.text()
    box.close()
    assert store.pins("back") == {}
    QApplication.processEvents()


@pytest.mark.parametrize("larger", [False, True])
def test_the_spin_boxes_never_go_under_the_scroll_bar(
    qtbot: QtBot, routine: Routine, larger: bool
) -> None:
    dialog = make(qtbot, routine)
    if larger:
        font = QFont(dialog.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        dialog.setFont(font)
    dialog.show()
    qtbot.waitExposed(dialog)
    # As narrow and as short as it goes: the list scrolls, and the scroll bar takes room.
    dialog.resize(dialog.minimumSize().width(), 200)
    scroll = dialog._scroll
    qtbot.waitUntil(lambda: scroll.verticalScrollBar().isVisible())
    viewport = scroll.viewport().rect()
    for row in dialog.rows.values():
        right = row.spin.mapTo(scroll.viewport(), row.spin.rect().topRight()).x()
        assert right <= viewport.right(), row.exercise.name
