"""The safety dialog: everything from safety.toml, and no way past it without the tick."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QDialog, QDialogButtonBox
from pytestqt.qtbot import QtBot

from backtimer.core.safety import Safety, load_safety
from backtimer.qt.settings.safety_dialog import (
    ACKNOWLEDGEMENT,
    STOP_RULE_BACKGROUND,
    STOP_RULE_TEXT,
    SafetyDialog,
)


@pytest.fixture(scope="module")
def safety() -> Safety:
    return load_safety()


def make_dialog(qtbot: QtBot, safety: Safety, require: bool) -> SafetyDialog:
    dialog = SafetyDialog(safety, require_acknowledgement=require)
    qtbot.addWidget(dialog)
    return dialog


def test_it_says_everything_in_the_safety_file(qtbot: QtBot, safety: Safety) -> None:
    dialog = make_dialog(qtbot, safety, require=True)
    assert dialog.windowTitle() == "Before you start"
    assert dialog.heading.text() == "Before you start"
    assert dialog.disclaimer_label.text() == safety.disclaimer
    assert dialog.stop_rule_box.title_label.text() == safety.stop_rule.title
    assert dialog.stop_rule_box.text_label.text() == safety.stop_rule.text
    assert dialog.contraindications_heading.text() == "Do not exercise with:"
    for item in safety.contraindications:
        assert item.text.replace("'", "&#x27;") in dialog.contraindications_label.text()
        assert item.text in dialog.contraindications_label.accessibleDescription()
    for item in safety.principles:
        assert item.text.replace("'", "&#x27;") in dialog.principles_label.text()
    assert dialog.scroll_area.widgetResizable()


def test_continue_waits_for_the_tick(qtbot: QtBot, safety: Safety) -> None:
    dialog = make_dialog(qtbot, safety, require=True)
    box, button = dialog.acknowledge_box, dialog.continue_button
    assert box is not None
    assert button is not None
    assert box.text() == ACKNOWLEDGEMENT
    assert not box.isChecked()
    assert not button.isEnabled()
    assert dialog.close_button is None
    dialog.accept()  # Enter, or anything else that tries to accept: refused
    assert dialog.result() != QDialog.DialogCode.Accepted
    box.setChecked(True)
    assert button.isEnabled()
    box.setChecked(False)
    assert not button.isEnabled()


def test_ticking_and_continuing_accepts(qtbot: QtBot, safety: Safety) -> None:
    dialog = make_dialog(qtbot, safety, require=True)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.acknowledge_box is not None
    assert dialog.continue_button is not None
    box = dialog.acknowledge_box
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    assert dialog.acknowledged
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.continue_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_keyboard_only_acknowledgement(qtbot: QtBot, safety: Safety) -> None:
    dialog = make_dialog(qtbot, safety, require=True)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitExposed(dialog)
    box = dialog.acknowledge_box
    assert box is not None
    qtbot.waitUntil(box.hasFocus)
    qtbot.keyClick(box, Qt.Key.Key_Space)
    assert box.isChecked()
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(box, Qt.Key.Key_Return)  # Continue is now the default button


def test_closing_rejects(qtbot: QtBot, safety: Safety) -> None:
    dialog = make_dialog(qtbot, safety, require=True)
    dialog.show()
    qtbot.waitExposed(dialog)
    with qtbot.waitSignal(dialog.rejected):
        dialog.close()
    assert dialog.result() == QDialog.DialogCode.Rejected


def test_escape_rejects_exec(qtbot: QtBot, safety: Safety) -> None:
    dialog = make_dialog(qtbot, safety, require=True)
    QTimer.singleShot(0, lambda: qtbot.keyClick(dialog, Qt.Key.Key_Escape))
    assert dialog.exec() == QDialog.DialogCode.Rejected


def test_quit_rejects(qtbot: QtBot, safety: Safety) -> None:
    dialog = make_dialog(qtbot, safety, require=True)
    assert dialog.quit_button is not None
    with qtbot.waitSignal(dialog.rejected):
        dialog.quit_button.click()


def test_without_requirement_only_close(qtbot: QtBot, safety: Safety) -> None:
    dialog = make_dialog(qtbot, safety, require=False)
    assert dialog.acknowledge_box is None
    assert dialog.continue_button is None
    assert dialog.quit_button is None
    assert dialog.close_button is not None
    assert dialog.buttons.buttons() == [dialog.close_button]
    assert dialog.buttons.standardButton(dialog.close_button) == (
        QDialogButtonBox.StandardButton.Close
    )
    assert dialog.stop_rule_box.text_label.text() == safety.stop_rule.text
    with qtbot.waitSignal(dialog.finished):
        dialog.close_button.click()


def test_accessible_names(qtbot: QtBot, safety: Safety) -> None:
    dialog = make_dialog(qtbot, safety, require=True)
    for widget in (
        dialog.acknowledge_box,
        dialog.continue_button,
        dialog.quit_button,
        dialog.scroll_area,
        dialog.stop_rule_box,
        dialog.contraindications_label,
        dialog.principles_label,
    ):
        assert widget is not None
        assert widget.accessibleName()


def _luminance(color: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(color.redF())
        + 0.7152 * channel(color.greenF())
        + 0.0722 * channel(color.blueF())
    )


def test_the_stop_rule_colours_are_readable() -> None:
    dark, light = sorted((_luminance(STOP_RULE_TEXT), _luminance(STOP_RULE_BACKGROUND)))
    assert (light + 0.05) / (dark + 0.05) >= 4.5
