"""The settings dialog: shows the settings, returns the edits, keeps what it does not show."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QAbstractButton, QDialog, QDialogButtonBox, QLabel, QWidget
from pytestqt.qtbot import QtBot

from backtimer.core.settings import AudioSettings, Settings, Theme
from backtimer.qt.settings_dialog import (
    DEFAULT_VOICE_TEXT,
    NO_VOICES_TEXT,
    SettingsDialog,
    voice_text,
)

VOICES = [
    {"id": "gmw/en", "name": "English (Great Britain)", "languages": ["en-gb", "en"]},
    {"id": "gmw/de", "name": "German", "languages": ["de"]},
    {"id": "roa/fr", "name": "French", "languages": []},
]

SETTINGS = Settings(
    audio=AudioSettings(
        speech=True, beeps=False, announce_next=False, voice="gmw/de", rate=220, volume=0.6
    ),
    get_ready_seconds=20,
    theme=Theme.DARK,
    larger_text=True,
    safety_acknowledged=True,
    window_geometry="AdnQyw==",
)


def make(qtbot: QtBot, settings: Settings = SETTINGS, voices: object = VOICES) -> SettingsDialog:
    dialog = SettingsDialog(settings, voices)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    return dialog


def test_values_are_shown_from_the_settings(qtbot: QtBot) -> None:
    dialog = make(qtbot)
    assert dialog.speech_check.isChecked()
    assert not dialog.beeps_check.isChecked()
    assert not dialog.announce_check.isChecked()
    assert dialog.voice_combo.currentData() == "gmw/de"
    assert dialog.voice_combo.currentText() == "German (de)"
    assert dialog.voice_combo.itemText(0) == DEFAULT_VOICE_TEXT
    assert dialog.voice_combo.count() == 1 + len(VOICES)
    assert not dialog.rate_default_check.isChecked()
    assert dialog.rate_spin.value() == 220
    assert dialog.rate_spin.isEnabled()
    assert (dialog.rate_spin.minimum(), dialog.rate_spin.maximum()) == (80, 450)
    assert dialog.volume_slider.value() == 60
    assert dialog.volume_value.text() == "60 %"
    assert dialog.get_ready_spin.value() == 20
    assert (dialog.get_ready_spin.minimum(), dialog.get_ready_spin.maximum()) == (0, 60)
    assert dialog.theme_combo.currentText() == "Dark"
    assert dialog.larger_text_check.isChecked()


def test_unchanged_settings_come_back_as_they_were(qtbot: QtBot) -> None:
    odd = Settings(audio=AudioSettings(volume=0.333), get_ready_seconds=12.5)
    assert make(qtbot, odd).result_settings() == odd
    assert make(qtbot).result_settings() == SETTINGS


def test_defaults_are_shown(qtbot: QtBot) -> None:
    dialog = make(qtbot, Settings())
    assert dialog.voice_combo.currentIndex() == 0
    assert dialog.rate_default_check.isChecked()
    assert not dialog.rate_spin.isEnabled()
    assert dialog.theme_combo.currentText() == "System"
    assert dialog.result_settings() == Settings()


def test_edits_come_back_in_result_settings(qtbot: QtBot) -> None:
    dialog = make(qtbot)
    dialog.beeps_check.setChecked(True)
    dialog.announce_check.setChecked(True)
    dialog.voice_combo.setCurrentIndex(dialog.voice_combo.findData("gmw/en"))
    dialog.rate_spin.setValue(300)
    dialog.volume_slider.setValue(85)
    dialog.get_ready_spin.setValue(5)
    dialog.theme_combo.setCurrentIndex(dialog.theme_combo.findText("Light"))
    dialog.larger_text_check.setChecked(False)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    result = dialog.result_settings()
    assert result.audio == AudioSettings(
        speech=True, beeps=True, announce_next=True, voice="gmw/en", rate=300, volume=0.85
    )
    assert result.get_ready_seconds == 5.0
    assert result.theme is Theme.LIGHT
    assert not result.larger_text
    # What the dialog does not show is carried over.
    assert result.safety_acknowledged
    assert result.window_geometry == SETTINGS.window_geometry


def test_default_voice_and_rate(qtbot: QtBot) -> None:
    dialog = make(qtbot)
    dialog.voice_combo.setCurrentIndex(0)
    dialog.rate_default_check.setChecked(True)
    assert not dialog.rate_spin.isEnabled()
    audio = dialog.result_settings().audio
    assert audio.voice is None
    assert audio.rate is None


def test_cancel_leaves_the_settings(qtbot: QtBot) -> None:
    dialog = make(qtbot)
    dialog.speech_check.setChecked(False)
    dialog.theme_combo.setCurrentIndex(dialog.theme_combo.findText("System"))
    dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert SETTINGS.audio.speech
    assert SETTINGS.theme is Theme.DARK


def test_no_voices_disables_the_list_and_says_why(qtbot: QtBot) -> None:
    dialog = make(qtbot, voices=[])
    assert not dialog.voice_combo.isEnabled()
    assert dialog.voice_combo.itemText(0) == DEFAULT_VOICE_TEXT
    assert dialog.voice_combo.currentText() == "gmw/de (not found)"
    assert not dialog.voice_note.isHidden()
    assert dialog.voice_note.text() == NO_VOICES_TEXT
    assert dialog.voice_combo.toolTip() == NO_VOICES_TEXT
    assert dialog.voice_combo.accessibleDescription() == NO_VOICES_TEXT
    # The saved voice is not lost for want of an engine.
    assert dialog.result_settings().audio.voice == "gmw/de"
    # Turning speech off and on again leaves the list disabled.
    dialog.speech_check.setChecked(False)
    dialog.speech_check.setChecked(True)
    assert not dialog.voice_combo.isEnabled()


def test_with_voices_there_is_no_note(qtbot: QtBot) -> None:
    dialog = make(qtbot)
    assert dialog.voice_note.isHidden()
    assert dialog.voice_combo.isEnabled()


def test_a_saved_voice_the_engine_lacks_is_kept(qtbot: QtBot) -> None:
    settings = Settings(audio=AudioSettings(voice="gone/xx"))
    dialog = make(qtbot, settings)
    assert dialog.voice_combo.currentText() == "gone/xx (not found)"
    assert dialog.result_settings().audio.voice == "gone/xx"


def test_speech_off_disables_the_speech_controls(qtbot: QtBot) -> None:
    dialog = make(qtbot)
    dialog.speech_check.setChecked(False)
    for widget in (
        dialog.announce_check,
        dialog.voice_combo,
        dialog.rate_spin,
        dialog.rate_default_check,
        dialog.volume_slider,
    ):
        assert not widget.isEnabled(), widget.accessibleName()
    assert dialog.beeps_check.isEnabled()
    dialog.speech_check.setChecked(True)
    assert dialog.voice_combo.isEnabled()
    assert dialog.rate_spin.isEnabled()


def test_voice_text() -> None:
    assert voice_text(VOICES[0]) == "English (Great Britain) (en-gb, en)"
    assert voice_text(VOICES[2]) == "French"
    assert voice_text({"id": "x"}) == "x"


def controls(dialog: SettingsDialog) -> list[QWidget]:
    return [
        dialog.speech_check,
        dialog.beeps_check,
        dialog.announce_check,
        dialog.voice_combo,
        dialog.rate_spin,
        dialog.rate_default_check,
        dialog.volume_slider,
        dialog.get_ready_spin,
        dialog.theme_combo,
        dialog.larger_text_check,
    ]


def test_every_control_is_named_and_labelled(qtbot: QtBot) -> None:
    dialog = make(qtbot)
    buddies = {label.buddy() for label in dialog.findChildren(QLabel) if label.buddy()}
    for widget in controls(dialog):
        assert widget.accessibleName(), widget
        if isinstance(widget, QAbstractButton):
            assert "&" in widget.text(), widget.accessibleName()  # its own label, with a key
        else:
            assert widget in buddies, widget.accessibleName()
    for label in dialog.findChildren(QLabel):
        if label.buddy() is not None:
            assert "&" in label.text()


@pytest.mark.parametrize("voices", [VOICES, []])
def test_tab_order_runs_top_to_bottom(qtbot: QtBot, voices: object) -> None:
    dialog = make(qtbot, voices=voices)
    expected = controls(dialog)
    seen: list[QWidget] = []
    widget: QWidget | None = expected[0]
    for _ in range(200):
        assert widget is not None
        if widget in expected and widget not in seen:
            seen.append(widget)
        widget = widget.nextInFocusChain()
    assert seen == expected
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    # The buttons come after the last control.
    chain: list[QWidget] = []
    widget = dialog.larger_text_check.nextInFocusChain()
    while widget is not None and widget is not dialog.speech_check and len(chain) < 200:
        chain.append(widget)
        widget = widget.nextInFocusChain()
    assert ok in chain
