"""Settings opens at once: the voices are listed in the background, once, then kept.

The slow listing here blocks on an event (a speech engine starting); its wait has a bound
only so that code which lists on the GUI thread fails instead of hanging. Nothing sleeps.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from backtimer.core.settings import AudioSettings, Settings
from backtimer.qt.settings.settings_dialog import (
    DEFAULT_VOICE_TEXT,
    LOADING_VOICES_TEXT,
    NO_VOICES_TEXT,
    SettingsDialog,
)
from backtimer.qt.settings.voice_catalog import Voice, VoiceCatalog

STUCK_S = 5.0
VOICES: list[Voice] = [
    {"id": "gmw/en", "name": "English", "languages": ["en"]},
    {"id": "gmw/de", "name": "German", "languages": ["de"]},
]
SETTINGS = Settings(audio=AudioSettings(voice="gmw/de"), safety_acknowledged=True)


class SlowLister:
    """Lists the voices once ``release`` is set, recording the thread it ran on."""

    def __init__(self, voices: Sequence[Voice] = VOICES) -> None:
        self.voices = list(voices)
        self.release = threading.Event()
        self.started = threading.Event()
        self.threads: list[int] = []

    def __call__(self) -> list[Voice]:
        self.threads.append(threading.get_ident())
        self.started.set()
        self.release.wait(STUCK_S)
        return self.voices


def texts(dialog: SettingsDialog) -> list[str]:
    combo = dialog.voice_combo
    return [combo.itemText(index) for index in range(combo.count())]


def test_the_voices_are_listed_off_the_gui_thread_once(qtbot: QtBot) -> None:
    lister = SlowLister()
    catalog = VoiceCatalog(lister)
    got: list[list[Voice]] = []
    try:
        catalog.deliver(got.append)  # returns while the listing is still under way
        assert lister.started.wait(STUCK_S)
        assert catalog.loading
        assert catalog.voices is None
        assert got == []
        assert lister.threads != [threading.get_ident()]
    finally:
        lister.release.set()
    qtbot.waitUntil(lambda: got == [VOICES])
    assert catalog.voices == VOICES
    catalog.deliver(got.append)  # known now: at once, and not listed again
    assert got == [VOICES, VOICES]
    catalog.load()
    assert len(lister.threads) == 1


def test_the_dialog_opens_at_once_with_the_saved_voice_then_fills_in(qtbot: QtBot) -> None:
    lister = SlowLister()
    catalog = VoiceCatalog(lister)
    try:
        dialog = SettingsDialog(SETTINGS, catalog.voices, None, [("desk-break", "Desk break")])
        qtbot.addWidget(dialog)
        catalog.deliver(dialog.set_voices)
        assert lister.started.wait(STUCK_S)
        assert dialog.voices_loading
        assert texts(dialog) == [DEFAULT_VOICE_TEXT, "gmw/de", LOADING_VOICES_TEXT]
        assert dialog.voice_combo.currentData() == "gmw/de"
        assert dialog.voice_combo.isEnabled()
        assert not dialog.voice_note.isVisibleTo(dialog)
        assert dialog.result_settings().audio.voice == "gmw/de"  # nothing lost meanwhile
    finally:
        lister.release.set()
    qtbot.waitUntil(lambda: not dialog.voices_loading)
    assert texts(dialog) == [DEFAULT_VOICE_TEXT, "English (en)", "German (de)"]
    assert dialog.voice_combo.currentData() == "gmw/de"
    assert dialog.result_settings().audio.voice == "gmw/de"


def test_a_choice_made_while_loading_is_kept(qtbot: QtBot) -> None:
    dialog = SettingsDialog(SETTINGS, None)
    qtbot.addWidget(dialog)
    model = dialog.voice_combo.model()
    loading = model.index(dialog.voice_combo.findText(LOADING_VOICES_TEXT), 0)
    assert not model.flags(loading) & Qt.ItemFlag.ItemIsEnabled  # it cannot be chosen
    dialog.voice_combo.setCurrentIndex(0)  # the system default
    dialog.set_voices(VOICES)
    assert dialog.voice_combo.currentData() is None
    assert dialog.result_settings().audio.voice is None


def test_no_engine_found_late_says_why(qtbot: QtBot) -> None:
    dialog = SettingsDialog(SETTINGS, None)
    qtbot.addWidget(dialog)
    dialog.set_voices([])
    assert not dialog.voice_combo.isEnabled()
    assert dialog.voice_note.isVisibleTo(dialog)
    assert dialog.voice_note.text() == NO_VOICES_TEXT
    assert dialog.voice_combo.currentData() == "gmw/de"  # kept, marked as not found
    assert "not found" in dialog.voice_combo.currentText()


def test_a_dialog_closed_before_the_voices_come_is_left_alone(qtbot: QtBot) -> None:
    lister = SlowLister()
    catalog = VoiceCatalog(lister)
    dialog = SettingsDialog(SETTINGS, catalog.voices)
    catalog.deliver(dialog.set_voices)
    assert lister.started.wait(STUCK_S)
    dialog.deleteLater()
    qtbot.waitUntil(lambda: not _alive(dialog))
    with qtbot.waitSignal(catalog.loaded, timeout=int(STUCK_S * 1000)):
        lister.release.set()
    assert catalog.voices == VOICES


def _alive(dialog: SettingsDialog) -> bool:
    from shiboken6 import isValid

    return bool(isValid(dialog))


def test_the_real_catalog_lists_through_the_speech_service(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    threads: list[int] = []

    class FakeService:
        def __init__(self, cache_dir: Path) -> None:
            assert cache_dir == tmp_path

        def __enter__(self) -> FakeService:
            return self

        def __exit__(self, *_exc: object) -> None:
            pass

        def voices(self) -> list[Voice]:
            threads.append(threading.get_ident())
            return VOICES

    import backtimer.audio.speech

    monkeypatch.setattr(backtimer.audio.speech, "SpeechService", FakeService)
    catalog = VoiceCatalog.for_cache(tmp_path)
    with qtbot.waitSignal(catalog.loaded, timeout=int(STUCK_S * 1000)) as loaded:
        catalog.load()
    assert loaded.args == [VOICES]
    assert len(threads) == 1
    assert threads[0] != threading.get_ident()
