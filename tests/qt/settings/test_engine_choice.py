"""Settings: the speech engine, espeak-ng or the natural Piper voice when it is installed."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItemModel
from pytestqt.qtbot import QtBot

from backtimer.audio import piper_worker
from backtimer.core.settings import AudioSettings, Settings
from backtimer.qt.settings.settings_dialog import PIPER_MISSING_TEXT, SettingsDialog


def _dialog(qtbot: QtBot, settings: Settings) -> SettingsDialog:
    dialog = SettingsDialog(settings, [])
    qtbot.addWidget(dialog)
    return dialog


def _piper_enabled(dialog: SettingsDialog) -> bool:
    model = dialog.engine_combo.model()
    assert isinstance(model, QStandardItemModel)
    item = model.item(1)
    assert item is not None
    return item.isEnabled()


def test_the_engine_is_kept_through_the_dialog(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(piper_worker, "piper_installed", lambda: True)
    chosen = Settings(audio=AudioSettings(engine="piper", rate=150))
    dialog = _dialog(qtbot, chosen)
    assert dialog.engine_combo.currentData() == "piper"
    assert _piper_enabled(dialog)
    # Saving other changes keeps the engine (it used to fall back to espeak-ng).
    dialog.beeps_check.setChecked(not chosen.audio.beeps)
    assert dialog.result_settings().audio.engine == "piper"
    dialog.engine_combo.setCurrentIndex(dialog.engine_combo.findData("espeak"))
    assert dialog.result_settings().audio == dataclasses.replace(
        chosen.audio, engine="espeak", beeps=not chosen.audio.beeps
    )


def test_piper_not_installed_cannot_be_chosen_and_says_how(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(piper_worker, "piper_installed", lambda: False)
    dialog = _dialog(qtbot, Settings())
    assert dialog.engine_combo.currentData() == "espeak"
    assert not _piper_enabled(dialog)
    tip = dialog.engine_combo.model().index(1, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert tip == PIPER_MISSING_TEXT
