"""The settings dialog: shows the settings, returns the edits, keeps what it does not show."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Sequence
from datetime import time

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import Qt, QTime
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QWidget,
)
from pytestqt.qtbot import QtBot

from backtimer.core.settings import (
    IDLE_THRESHOLD_RANGE,
    REMINDER_INTERVAL_RANGE,
    SNOOZE_CHOICES,
    AudioSettings,
    ReminderSettings,
    Settings,
    Theme,
)
from backtimer.qt.settings.settings_dialog import (
    ALL_DAY_TEXT,
    DEFAULT_VOICE_TEXT,
    NO_VOICES_TEXT,
    PAST_MIDNIGHT_TEXT,
    RoutineChoice,
    SettingsDialog,
    idle_note_text,
    voice_text,
    working_hours_note,
)
from backtimer.qt.widgets.fonts import scaled_font
from backtimer.qt.widgets.theme import LARGER_TEXT_SCALE

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
    reminders=ReminderSettings(
        enabled=True,
        interval_minutes=45,
        working_days=(0, 2, 5),
        work_start=time(8, 30),
        work_end=time(17, 15),
        idle_threshold_minutes=7,
        snooze_minutes=10,
        start_at_login=True,
        break_routine="neck-release",
    ),
)

ROUTINES: list[RoutineChoice] = [
    ("desk-break", "Desk break"),
    ("neck-release", "Neck release"),
    ("morning", "Morning mobility"),
]
IDLE_MESSAGE = "natural breaks are off: no idle detection on this desktop (X11: no display)"


def make(
    qtbot: QtBot,
    settings: Settings = SETTINGS,
    voices: object = VOICES,
    routines: Sequence[RoutineChoice] = ROUTINES,
    idle_message: str | None = None,
) -> SettingsDialog:
    dialog = SettingsDialog(
        settings,
        voices,  # type: ignore[arg-type]
        routines=routines,
        idle_message=idle_message,
    )
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
    # English voices, and the chosen (German) one; French only with "Show all languages".
    assert dialog.voice_combo.count() == 1 + 2
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


def break_settings(dialog: SettingsDialog) -> list[QWidget]:
    """The controls of a desk break, which follow the reminders' switch."""
    return [
        dialog.interval_spin,
        *dialog.day_buttons,
        dialog.start_edit,
        dialog.end_edit,
        dialog.idle_spin,
        dialog.snooze_combo,
        dialog.routine_combo,
    ]


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
        dialog.reminders_check,
        *break_settings(dialog),
        dialog.login_check,
        dialog.theme_combo,
        dialog.larger_text_check,
    ]


def test_every_control_is_named_and_labelled(qtbot: QtBot) -> None:
    dialog = make(qtbot)
    buddies = {label.buddy() for label in dialog.findChildren(QLabel) if label.buddy()}
    for widget in controls(dialog):
        assert widget.accessibleName(), widget
        if widget in dialog.day_buttons:
            continue  # the row's label names them together; see the working-days test
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


# -- Tabs ---------------------------------------------------------------------------------


def test_the_settings_are_on_three_tabs(qtbot: QtBot) -> None:
    dialog = make(qtbot)
    tabs = dialog.tabs
    assert [tabs.tabText(i).replace("&", "") for i in range(tabs.count())] == [
        "Session",
        "Desk breaks",
        "Appearance",
    ]
    assert tabs.currentWidget() is dialog.session_page
    assert dialog.session_page.isAncestorOf(dialog.speech_check)
    assert dialog.breaks_page.isAncestorOf(dialog.routine_combo)
    assert dialog.appearance_page.isAncestorOf(dialog.theme_combo)


def show_active(qtbot: QtBot, dialog: SettingsDialog) -> None:
    """Show ``dialog`` as the active window, so keys and focus reach it."""
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()


def test_show_desk_breaks_opens_that_tab(qtbot: QtBot) -> None:
    dialog = make(qtbot)
    show_active(qtbot, dialog)
    dialog.show_desk_breaks()
    assert dialog.tabs.currentWidget() is dialog.breaks_page
    qtbot.waitUntil(lambda: dialog.focusWidget() is dialog.reminders_check)


def mnemonic(text: str) -> str | None:
    match = re.search(r"&([^&])", text)
    return match.group(1).lower() if match else None


@pytest.mark.parametrize("page", range(3))
def test_the_keys_of_a_page_and_the_tabs_are_all_different(qtbot: QtBot, page: int) -> None:
    dialog = make(qtbot)
    tabs = dialog.tabs
    keys = [mnemonic(tabs.tabText(i)) for i in range(tabs.count())]
    keys += [mnemonic(button.text()) for button in dialog.buttons.buttons()]
    on_page = tabs.widget(page)
    assert on_page is not None
    keys += [
        mnemonic(widget.text())
        for widget in on_page.findChildren(QLabel) + on_page.findChildren(QAbstractButton)
    ]
    found = [key for key in keys if key is not None]
    assert len(found) == len(set(found)), sorted(found)


def test_the_dialog_fits_a_small_screen(qtbot: QtBot) -> None:
    hint = make(qtbot, idle_message=IDLE_MESSAGE).sizeHint()
    assert hint.width() <= 800
    assert hint.height() <= 560


@pytest.fixture
def larger_text(qapp: QApplication) -> Iterator[None]:
    before = QFont(qapp.font())
    qapp.setFont(scaled_font(before, LARGER_TEXT_SCALE))
    try:
        yield
    finally:
        qapp.setFont(before)


@pytest.mark.usefixtures("larger_text")
def test_the_dialog_fits_a_small_screen_with_larger_text(qtbot: QtBot) -> None:
    hint = make(qtbot, idle_message=IDLE_MESSAGE).sizeHint()
    assert hint.width() <= 800
    assert hint.height() <= 560


# -- Desk breaks --------------------------------------------------------------------------


def checked_days(dialog: SettingsDialog) -> list[int]:
    return [day for day, button in enumerate(dialog.day_buttons) if button.isChecked()]


def test_the_reminder_settings_are_shown(qtbot: QtBot) -> None:
    dialog = make(qtbot)
    assert dialog.reminders_check.isChecked()
    assert dialog.interval_spin.value() == 45
    assert (dialog.interval_spin.minimum(), dialog.interval_spin.maximum()) == (
        REMINDER_INTERVAL_RANGE
    )
    assert [button.text() for button in dialog.day_buttons] == [
        "Mon",
        "Tue",
        "Wed",
        "Thu",
        "Fri",
        "Sat",
        "Sun",
    ]
    assert checked_days(dialog) == [0, 2, 5]
    assert dialog.start_edit.time() == QTime(8, 30)
    assert dialog.end_edit.time() == QTime(17, 15)
    assert dialog.start_edit.displayFormat() == dialog.end_edit.displayFormat() == "HH:mm"
    assert dialog.start_edit.text() == "08:30"
    assert dialog.idle_spin.value() == 7
    assert (dialog.idle_spin.minimum(), dialog.idle_spin.maximum()) == IDLE_THRESHOLD_RANGE
    assert [dialog.snooze_combo.itemData(i) for i in range(dialog.snooze_combo.count())] == list(
        SNOOZE_CHOICES
    )
    assert dialog.snooze_combo.currentText() == "10 min"
    assert dialog.routine_combo.currentText() == "Neck release"
    assert dialog.routine_combo.count() == len(ROUTINES)
    assert dialog.login_check.isChecked()


def test_the_default_reminders_are_shown_and_come_back(qtbot: QtBot) -> None:
    dialog = make(qtbot, Settings())
    assert checked_days(dialog) == [0, 1, 2, 3, 4]
    assert dialog.start_edit.text() == "09:00"
    assert dialog.end_edit.text() == "18:00"
    assert dialog.interval_spin.value() == 60
    assert dialog.snooze_combo.currentData() == 5
    assert dialog.routine_combo.currentData() == "desk-break"
    assert dialog.routine_combo.currentText() == "Desk break"
    assert not dialog.login_check.isChecked()
    assert dialog.result_settings().reminders == ReminderSettings()


def test_reminder_edits_come_back_in_result_settings(qtbot: QtBot) -> None:
    dialog = make(qtbot)
    dialog.reminders_check.setChecked(False)
    dialog.reminders_check.setChecked(True)
    dialog.interval_spin.setValue(90)
    dialog.day_buttons[0].setChecked(False)
    dialog.day_buttons[6].setChecked(True)
    dialog.start_edit.setTime(QTime(22, 0))
    dialog.end_edit.setTime(QTime(6, 45))
    dialog.idle_spin.setValue(12)
    dialog.snooze_combo.setCurrentIndex(dialog.snooze_combo.findData(15))
    dialog.routine_combo.setCurrentIndex(dialog.routine_combo.findData("morning"))
    dialog.login_check.setChecked(False)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    result = dialog.result_settings()
    assert result.reminders == ReminderSettings(
        enabled=True,
        interval_minutes=90,
        working_days=(2, 5, 6),
        work_start=time(22, 0),
        work_end=time(6, 45),
        idle_threshold_minutes=12,
        snooze_minutes=15,
        start_at_login=False,
        break_routine="morning",
    )
    # The rest is as it was.
    assert result.audio == SETTINGS.audio
    assert result.theme is Theme.DARK


def test_reminders_switched_off_keep_their_other_values(qtbot: QtBot) -> None:
    dialog = make(qtbot)
    dialog.reminders_check.setChecked(False)
    assert dialog.result_settings().reminders == dataclasses.replace(
        SETTINGS.reminders, enabled=False
    )


@st.composite
def reminder_settings(draw: st.DrawFn) -> ReminderSettings:
    clock = st.builds(time, st.integers(0, 23), st.integers(0, 59))
    days = draw(st.sets(st.integers(0, 6), min_size=1))
    return ReminderSettings(
        enabled=draw(st.booleans()),
        interval_minutes=draw(st.integers(*REMINDER_INTERVAL_RANGE)),
        working_days=tuple(sorted(days)),
        work_start=draw(clock),
        work_end=draw(clock),
        idle_threshold_minutes=draw(st.integers(*IDLE_THRESHOLD_RANGE)),
        snooze_minutes=draw(st.sampled_from(SNOOZE_CHOICES)),
        start_at_login=draw(st.booleans()),
        break_routine=draw(st.sampled_from(["desk-break", "morning", "gone", "my routine"])),
    )


@given(reminders=reminder_settings(), idle=st.booleans())
def test_every_reminder_field_round_trips(
    qapp: QApplication, reminders: ReminderSettings, idle: bool
) -> None:
    settings = Settings(reminders=reminders)
    dialog = SettingsDialog(
        settings, VOICES, routines=ROUTINES, idle_message=None if idle else IDLE_MESSAGE
    )
    try:
        assert dialog.result_settings() == settings
    finally:
        dialog.deleteLater()


def test_the_last_working_day_cannot_be_switched_off(qtbot: QtBot) -> None:
    dialog = make(qtbot, Settings(reminders=ReminderSettings(working_days=(2,))))
    wednesday = dialog.day_buttons[2]
    wednesday.setChecked(False)
    assert wednesday.isChecked()
    show_active(qtbot, dialog)
    dialog.show_desk_breaks()
    wednesday.click()
    assert wednesday.isChecked()
    qtbot.mouseClick(wednesday, Qt.MouseButton.LeftButton)
    assert wednesday.isChecked()
    assert dialog.result_settings().reminders.working_days == (2,)
    # With another day on, it can go.
    dialog.day_buttons[4].click()
    wednesday.click()
    assert checked_days(dialog) == [4]
    assert dialog.result_settings().reminders.working_days == (4,)


def test_the_working_days_are_labelled(qtbot: QtBot) -> None:
    dialog = make(qtbot)
    assert dialog.days_label.buddy() is dialog.day_buttons[0]
    assert "&" in dialog.days_label.text()
    assert [button.accessibleName() for button in dialog.day_buttons] == [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ]
    assert all(isinstance(button, QCheckBox) for button in dialog.day_buttons)


@pytest.mark.parametrize(
    ("start", "end", "note"),
    [
        (time(9), time(18), ""),
        (time(22), time(6), PAST_MIDNIGHT_TEXT),
        (time(8), time(8), ALL_DAY_TEXT),
        (time(0), time(0), ALL_DAY_TEXT),
        (time(0, 1), time(0), PAST_MIDNIGHT_TEXT),
    ],
)
def test_working_hours_note(start: time, end: time, note: str) -> None:
    assert working_hours_note(start, end) == note


def test_the_hours_note_follows_the_times(qtbot: QtBot) -> None:
    dialog = make(qtbot, Settings())
    assert dialog.hours_note.text() == ""
    dialog.end_edit.setTime(QTime(7, 0))
    assert dialog.hours_note.text() == PAST_MIDNIGHT_TEXT
    assert dialog.end_edit.accessibleDescription() == PAST_MIDNIGHT_TEXT
    dialog.start_edit.setTime(QTime(7, 0))
    assert dialog.hours_note.text() == ALL_DAY_TEXT
    dialog.start_edit.setTime(QTime(6, 0))
    assert dialog.hours_note.text() == ""
    shown = make(qtbot, Settings(reminders=ReminderSettings(work_end=time(9, 0))))
    assert shown.hours_note.text() == ALL_DAY_TEXT


def test_reminders_off_disables_the_break_controls(qtbot: QtBot) -> None:
    dialog = make(qtbot)
    for widget in break_settings(dialog):
        assert widget.isEnabled(), widget.accessibleName()
    dialog.reminders_check.setChecked(False)
    for widget in break_settings(dialog):
        assert not widget.isEnabled(), widget.accessibleName()
    assert dialog.reminders_check.isEnabled()
    # Start at login is about the app, not the reminders: it stays available.
    assert dialog.login_check.isEnabled()
    dialog.reminders_check.setChecked(True)
    for widget in break_settings(dialog):
        assert widget.isEnabled(), widget.accessibleName()


def test_reminders_off_in_the_settings_starts_disabled(qtbot: QtBot) -> None:
    dialog = make(qtbot, Settings(reminders=ReminderSettings(enabled=False)))
    assert not dialog.reminders_check.isChecked()
    for widget in break_settings(dialog):
        assert not widget.isEnabled(), widget.accessibleName()


def test_without_idle_detection_time_away_is_disabled_and_says_why(qtbot: QtBot) -> None:
    dialog = make(qtbot, idle_message=IDLE_MESSAGE)
    expected = idle_note_text(IDLE_MESSAGE)
    assert expected.startswith("Natural breaks are off: no idle detection")
    assert not dialog.idle_spin.isEnabled()
    assert not dialog.idle_note.isHidden()
    assert dialog.idle_note.text() == expected
    assert dialog.idle_spin.toolTip() == expected
    assert dialog.idle_spin.accessibleDescription() == expected
    # Its value is kept, and switching reminders off and on leaves it disabled.
    assert dialog.result_settings().reminders.idle_threshold_minutes == 7
    dialog.reminders_check.setChecked(False)
    dialog.reminders_check.setChecked(True)
    assert not dialog.idle_spin.isEnabled()
    assert dialog.snooze_combo.isEnabled()


def test_with_idle_detection_there_is_no_note(qtbot: QtBot) -> None:
    dialog = make(qtbot)
    show_active(qtbot, dialog)
    dialog.show_desk_breaks()
    assert dialog.idle_spin.isEnabled()
    assert not dialog.idle_note.isVisible()
    assert dialog.idle_spin.toolTip() == ""


def test_idle_note_text() -> None:
    assert idle_note_text("natural breaks are off") == "Natural breaks are off"
    assert idle_note_text("  ") == "Idle detection is not available here."


def test_a_saved_routine_not_in_the_list_is_kept(qtbot: QtBot) -> None:
    settings = Settings(reminders=ReminderSettings(break_routine="gone-routine"))
    dialog = make(qtbot, settings)
    assert dialog.routine_combo.count() == len(ROUTINES) + 1
    assert dialog.routine_combo.currentText() == "gone-routine (not found)"
    assert dialog.result_settings().reminders.break_routine == "gone-routine"
    dialog.routine_combo.setCurrentIndex(dialog.routine_combo.findData("desk-break"))
    assert dialog.result_settings().reminders.break_routine == "desk-break"


def test_with_no_routines_the_saved_one_is_kept(qtbot: QtBot) -> None:
    dialog = make(qtbot, Settings(), routines=[])
    assert dialog.routine_combo.count() == 1
    assert dialog.routine_combo.currentText() == "desk-break (not found)"
    assert dialog.result_settings().reminders.break_routine == "desk-break"


def test_a_routine_without_a_title_is_listed_by_its_id(qtbot: QtBot) -> None:
    dialog = make(qtbot, routines=[("neck-release", "")])
    assert dialog.routine_combo.currentText() == "neck-release"


def test_tab_key_walks_the_desk_breaks_tab_top_to_bottom(qtbot: QtBot) -> None:
    dialog = make(qtbot)
    show_active(qtbot, dialog)
    dialog.show_desk_breaks()
    qtbot.waitUntil(lambda: dialog.focusWidget() is dialog.reminders_check)
    expected = [widget for widget in controls(dialog) if dialog.breaks_page.isAncestorOf(widget)]
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    seen: list[QWidget] = []
    for _ in range(3 * len(expected)):
        focused = QApplication.focusWidget()
        assert focused is not None
        if focused is ok:
            break
        if not seen or seen[-1] is not focused:  # a time field takes Tab once per section
            seen.append(focused)
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
    assert seen == expected
    assert QApplication.focusWidget() is ok


def test_a_label_key_focuses_its_control(qtbot: QtBot) -> None:
    dialog = make(qtbot)
    show_active(qtbot, dialog)
    assert dialog.tabs.currentWidget() is dialog.session_page
    qtbot.keyClick(dialog, Qt.Key.Key_K, Qt.KeyboardModifier.AltModifier)  # Des&k breaks
    qtbot.waitUntil(lambda: dialog.tabs.currentWidget() is dialog.breaks_page)
    qtbot.keyClick(dialog, Qt.Key.Key_B, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: dialog.focusWidget() is dialog.routine_combo)
    qtbot.keyClick(dialog, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: dialog.focusWidget() is dialog.day_buttons[0])
