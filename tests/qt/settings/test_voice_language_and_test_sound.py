"""The voice list offers the content's language first; "Test sound" plays off the GUI thread."""

from __future__ import annotations

import threading

from pytestqt.qtbot import QtBot

from backtimer.audio.status import SoundIssue, SoundStatus
from backtimer.core.settings import AudioSettings, Settings
from backtimer.qt.settings.settings_dialog import (
    DEFAULT_VOICE_TEXT,
    TEST_FAILED_TEXT,
    TESTED_TEXT,
    TESTING_TEXT,
    SettingsDialog,
    speaks,
)
from backtimer.qt.settings.sound_tester import SoundTester

VOICES = [
    {"id": "gmw/en-US", "name": "English (America)", "languages": ["en-us"]},
    {"id": "gmw/en", "name": "English (Great Britain)", "languages": ["en-gb", "en"]},
    {"id": "gmw/de", "name": "German", "languages": ["de"]},
    {"id": "roa/fr", "name": "French", "languages": ["fr-fr"]},
    {"id": "enm", "name": "Old one", "languages": ["enm"]},  # not English: a prefix only
    {"id": "odd", "name": "No languages", "languages": []},
]


def ids(dialog: SettingsDialog) -> list[object]:
    combo = dialog.voice_combo
    return [combo.itemData(index) for index in range(combo.count())]


def make(
    qtbot: QtBot, voice: str | None = None, tester: SoundTester | None = None
) -> SettingsDialog:
    dialog = SettingsDialog(
        Settings(audio=AudioSettings(voice=voice, rate=200, volume=0.4)),
        VOICES,
        sound_tester=tester,
    )
    qtbot.addWidget(dialog)
    return dialog


def test_speaks_matches_the_language_and_its_variants() -> None:
    assert speaks({"languages": ["en-gb-x-rp"]})
    assert speaks({"languages": ["\x05en"]})  # as espeak's list may give it
    assert speaks({"languages": ["EN_us"]})
    assert not speaks({"languages": ["enm"]})
    assert not speaks({"languages": ["de"]})
    assert not speaks({})


def test_only_english_voices_are_listed_until_all_languages_are_asked_for(qtbot: QtBot) -> None:
    dialog = make(qtbot)
    assert ids(dialog) == [None, "gmw/en-US", "gmw/en"]
    assert dialog.voice_combo.itemText(0) == DEFAULT_VOICE_TEXT
    dialog.voice_combo.setCurrentIndex(2)
    dialog.all_languages_check.setChecked(True)
    assert len(ids(dialog)) == 1 + len(VOICES)
    assert dialog.voice_combo.currentData() == "gmw/en"  # the choice is kept
    dialog.all_languages_check.setChecked(False)
    assert ids(dialog) == [None, "gmw/en-US", "gmw/en"]
    assert dialog.voice_combo.currentData() == "gmw/en"


def test_a_chosen_voice_of_another_language_stays_listed_and_chosen(qtbot: QtBot) -> None:
    dialog = make(qtbot, voice="roa/fr")
    assert ids(dialog) == [None, "gmw/en-US", "gmw/en", "roa/fr"]
    assert dialog.voice_combo.currentData() == "roa/fr"
    assert dialog.result_settings().audio.voice == "roa/fr"


def test_voices_arriving_later_are_filtered_too(qtbot: QtBot) -> None:
    dialog = SettingsDialog(Settings(), None)
    qtbot.addWidget(dialog)
    dialog.set_voices(VOICES)
    assert ids(dialog) == [None, "gmw/en-US", "gmw/en"]


def test_with_no_voice_of_the_language_all_are_listed(qtbot: QtBot) -> None:
    dialog = SettingsDialog(Settings(), [VOICES[2], VOICES[3]])
    qtbot.addWidget(dialog)
    assert ids(dialog) == [None, "roa/fr", "gmw/de"]


def test_no_test_button_without_a_tester(qtbot: QtBot) -> None:
    dialog = make(qtbot)
    dialog.show()
    assert not dialog.test_button.isVisible()


def test_test_sound_plays_the_chosen_voice_off_the_gui_thread(qtbot: QtBot) -> None:
    asked: list[tuple[AudioSettings, bool]] = []
    release = threading.Event()

    def play(settings: AudioSettings) -> SoundStatus:
        asked.append((settings, threading.current_thread() is threading.main_thread()))
        assert release.wait(5.0)  # a slow engine: the dialog must not wait for it
        return SoundStatus()

    tester = SoundTester(play)
    dialog = make(qtbot, tester=tester)
    dialog.show()
    assert dialog.test_button.isVisible()
    dialog.voice_combo.setCurrentIndex(dialog.voice_combo.findData("gmw/en-US"))
    dialog.test_button.click()
    qtbot.waitUntil(lambda: len(asked) == 1)
    assert not dialog.test_button.isEnabled()
    assert dialog.test_note.text() == TESTING_TEXT
    dialog.test_button.click()  # ignored while one plays
    with qtbot.waitSignal(tester.finished):
        release.set()
    [(settings, on_gui_thread)] = asked
    assert not on_gui_thread
    assert (settings.voice, settings.rate, settings.volume) == ("gmw/en-US", 200, 0.4)
    assert dialog.test_button.isEnabled()
    assert dialog.test_note.text() == TESTED_TEXT


def test_test_sound_says_what_is_wrong(qtbot: QtBot) -> None:
    tester = SoundTester(lambda settings: SoundStatus((SoundIssue.NO_DEVICE,)))
    dialog = make(qtbot, tester=tester)
    with qtbot.waitSignal(tester.finished):
        dialog.test_button.click()
    assert dialog.test_note.text() == SoundIssue.NO_DEVICE.value


def test_a_test_that_fails_says_so(qtbot: QtBot) -> None:
    def broken(settings: AudioSettings) -> SoundStatus:
        raise OSError("gone")

    tester = SoundTester(broken)
    dialog = make(qtbot, tester=tester)
    with qtbot.waitSignal(tester.finished):
        dialog.test_button.click()
    assert dialog.test_note.text() == TEST_FAILED_TEXT
