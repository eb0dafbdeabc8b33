"""The settings dialog: sessions, desk breaks and appearance, edited on a copy of the settings.

``SettingsDialog(settings, voices, parent, routines=..., idle_message=...)`` shows
``settings`` on three tabs (Session, Desk breaks, Appearance); after OK,
:meth:`SettingsDialog.result_settings` returns them as edited (what the dialog does not
show, such as the window geometry, is carried over unchanged). The voices are those the
speech engine lists (:meth:`backtimer.audio.speech.SpeechService.voices`); with none, the
voice list is disabled and says why. ``voices`` None means they are still being listed
(:class:`~backtimer.qt.settings.voice_catalog.VoiceCatalog` does that in the background): the list
shows the saved voice and a "Loading voices…" entry until :meth:`SettingsDialog.set_voices`
brings them, keeping whatever is selected by then. A saved voice the engine no longer lists
stays selected, marked as not found, so opening and closing the dialog never loses it; the
same holds for the break routine, chosen from the ``routines`` given as (id, title) pairs.
``idle_message`` is None when idle detection works; otherwise it says why it does not,
and the "count time away as a break" control is disabled with that reason under it.

The dialog only records whether backtimer starts at login; the app applies it
(:func:`backtimer.qt.settings.login_start.apply_start_at_login`).

Every control has a label whose mnemonic focuses it, and an accessible name; the tab
order runs from top to bottom, page by page. The voice, rate, volume and announcement
controls are disabled while speech is off; the reminder controls while reminders are off.
Of the working days at least one stays on: the last one cannot be switched off.

The voice list shows the voices that speak the routines' language (:data:`CONTENT_LANGUAGE`)
unless "Show all languages" is ticked. "Test sound" (given a
:class:`~backtimer.qt.settings.sound_tester.SoundTester`) plays a phrase in the chosen
voice, rate and volume, then each beep, off the GUI thread, and says what went wrong.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Mapping, Sequence
from datetime import time
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTime
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSlider,
    QSpinBox,
    QTabWidget,
    QTimeEdit,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from backtimer.core.settings import (
    DAY_NAMES,
    GET_READY_RANGE,
    IDLE_THRESHOLD_RANGE,
    RATE_RANGE,
    REMINDER_INTERVAL_RANGE,
    SNOOZE_CHOICES,
    AudioSettings,
    ReminderSettings,
    Settings,
    Theme,
)

if TYPE_CHECKING:
    from backtimer.audio.status import SoundStatus
    from backtimer.qt.settings.sound_tester import SoundTester

#: What the voice list says when the engine offers no voices.
#: Why the Piper voice cannot be chosen here.
PIPER_MISSING_TEXT = "Not installed: pipx install 'backtimer[neural]' (see docs/voices.md)"
NO_VOICES_TEXT = "No speech engine found (install espeak-ng)"
#: The voice list's last entry while the engine's voices are being listed.
LOADING_VOICES_TEXT = "Loading voices…"
#: The first entry of the voice list: the engine's own default voice.
DEFAULT_VOICE_TEXT = "System default"
#: The language the routines' cues are written in: the voice list offers voices that speak it.
CONTENT_LANGUAGE = "en"
#: What the test note says while the test sound plays, and after it played fine.
TESTING_TEXT = "Playing the voice, then each beep…"
TESTED_TEXT = "Played the voice and each beep. Nothing heard? Check the volume and the speakers."
TEST_FAILED_TEXT = "The test sound failed; the log has the details."
#: The rate shown (disabled) while the engine's default rate is used: the speech worker's
#: default for espeak-ng (backtimer.audio.speech_worker.ESPEAK_DEFAULTS).
TYPICAL_RATE = 160

#: The tabs, in order, with their mnemonics.
SESSION_TAB_TEXT = "Sess&ion"
BREAKS_TAB_TEXT = "Des&k breaks"
APPEARANCE_TAB_TEXT = "A&ppearance"
#: The working-hours note when the end is before the start, and when they are equal.
PAST_MIDNIGHT_TEXT = "Runs past midnight"
ALL_DAY_TEXT = "All day"
#: What the last working day says when someone tries to switch it off.
LAST_DAY_TEXT = "At least one working day stays on."
#: The days' full names, Monday first (the buttons show the first three letters).
DAY_FULL_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
#: A routine the break routine list offers: (id, title).
RoutineChoice = tuple[str, str]

_THEME_TEXT: dict[Theme, str] = {
    Theme.SYSTEM: "System",
    Theme.LIGHT: "Light",
    Theme.DARK: "Dark",
}


def voice_text(voice: Mapping[str, object]) -> str:
    """How a voice is listed: its name, and its languages when the engine gives them."""
    name = str(voice.get("name") or voice.get("id") or "")
    raw_languages = voice.get("languages")
    languages = (
        [str(code) for code in raw_languages if code]
        if isinstance(raw_languages, list | tuple)
        else []
    )
    return f"{name} ({', '.join(languages)})" if languages else name


def speaks(voice: Mapping[str, object], language: str = CONTENT_LANGUAGE) -> bool:
    """True when one of ``voice``'s languages is ``language`` or a variant of it (en-gb)."""
    raw = voice.get("languages")
    codes = [str(code) for code in raw] if isinstance(raw, list | tuple) else []
    for code in codes:
        tag = code.strip().lstrip("\x00\x01\x02\x03\x04\x05").lower().replace("_", "-")
        if tag == language or tag.startswith(f"{language}-"):
            return True
    return False


def idle_note_text(message: str) -> str:
    """The idle detector's message as a sentence under the control it disables."""
    text = message.strip()
    return text[:1].upper() + text[1:] if text else "Idle detection is not available here."


def working_hours_note(start: time, end: time) -> str:
    """What the working hours mean when that is not obvious: past midnight, or all day."""
    if end == start:
        return ALL_DAY_TEXT
    if end < start:
        return PAST_MIDNIGHT_TEXT
    return ""


class SettingsDialog(QDialog):
    """Edit the session, desk-break and appearance settings; OK keeps, Cancel drops."""

    def __init__(
        self,
        settings: Settings,
        voices: Sequence[Mapping[str, object]] | None,
        parent: QWidget | None = None,
        routines: Sequence[RoutineChoice] = (),
        idle_message: str | None = None,
        sound_tester: SoundTester | None = None,
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self._tester = sound_tester
        self.setWindowTitle("Settings")
        self.setAccessibleName("Settings")
        sound_box = self._build_sound_group(settings.audio, voices)
        session_box = self._build_timing_group(settings)
        breaks_page = self._build_breaks_page(settings.reminders, routines, idle_message)
        look_box = self._build_look_group(settings)
        self._build_layout(sound_box, session_box, breaks_page, look_box)
        self._set_tab_order()
        self.speech_check.toggled.connect(self._update_enabled)
        self.rate_default_check.toggled.connect(self._update_enabled)
        self.reminders_check.toggled.connect(self._update_enabled)
        self.volume_slider.valueChanged.connect(self._show_volume)
        self._show_volume(self.volume_slider.value())
        self._update_enabled()
        self.speech_check.setFocus()

    def _build_sound_group(
        self, audio: AudioSettings, voices: Sequence[Mapping[str, object]] | None
    ) -> QGroupBox:
        """The Sound group: speech, beeps, announcements, voice, rate and volume."""
        sound_box = QGroupBox("Sound")
        sound = _form(sound_box)

        self.speech_check = QCheckBox("&Speak the cues")
        self.speech_check.setAccessibleName("Speak the cues")
        self.speech_check.setChecked(audio.speech)
        sound.addRow(self.speech_check)

        self.beeps_check = QCheckBox("&Beeps")
        self.beeps_check.setAccessibleName("Beeps")
        self.beeps_check.setChecked(audio.beeps)
        sound.addRow(self.beeps_check)

        self.announce_check = QCheckBox("Announce the &next exercise in full")
        self.announce_check.setAccessibleName("Announce the next exercise in full")
        self.announce_check.setToolTip(
            "Say what comes next with its reps or time; when off, only its name is said."
        )
        self.announce_check.setChecked(audio.announce_next)
        sound.addRow(self.announce_check)
        self._add_engine_row(sound, audio)
        self._add_voice_row(sound, audio, voices)
        self._add_rate_row(sound, audio)
        self._add_volume_row(sound, audio)
        return sound_box

    def _add_engine_row(self, sound: QFormLayout, audio: AudioSettings) -> None:
        """espeak-ng, always there, or the natural Piper voice when it is installed."""
        from backtimer.audio.piper_worker import piper_installed

        self.engine_combo = QComboBox()
        self.engine_combo.setAccessibleName("Speech engine")
        self.engine_combo.addItem("espeak-ng (built in)", "espeak")
        self.engine_combo.addItem("Piper: a natural voice", "piper")
        if not piper_installed():
            item = self.engine_combo.model().index(1, 0)
            self.engine_combo.model().setData(item, PIPER_MISSING_TEXT, Qt.ItemDataRole.ToolTipRole)
            self._piper_item_enabled(False)
        index = self.engine_combo.findData(audio.engine)
        self.engine_combo.setCurrentIndex(max(index, 0))
        self.engine_label = _row(sound, "Speech &engine:", self.engine_combo)

    def _piper_item_enabled(self, enabled: bool) -> None:
        model = self.engine_combo.model()
        if isinstance(model, QStandardItemModel):
            item = model.item(1)
            if item is not None:
                item.setEnabled(enabled)

    def _add_voice_row(
        self,
        sound: QFormLayout,
        audio: AudioSettings,
        voices: Sequence[Mapping[str, object]] | None,
    ) -> None:
        self.voice_combo = QComboBox()
        self.voice_combo.setAccessibleName("Voice")
        self.voice_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.voice_combo.setMinimumContentsLength(20)
        self.voice_note = QLabel(NO_VOICES_TEXT)
        self.voice_note.setAccessibleName("Voice note")
        self.all_languages_check = QCheckBox("Show all &languages")
        self.all_languages_check.setAccessibleName("Show voices of all languages")
        self.all_languages_check.toggled.connect(self._refill_voices)
        self.test_button = QPushButton("&Test sound")
        self.test_button.setAccessibleName("Test sound: the voice, then each beep")
        self.test_button.clicked.connect(self.test_sound)
        self.test_button.setVisible(self._tester is not None)
        self.test_note = QLabel()
        self.test_note.setAccessibleName("Test sound note")
        self.test_note.setWordWrap(True)
        self.test_note.setVisible(False)
        choose = QHBoxLayout()
        choose.setContentsMargins(0, 0, 0, 0)
        choose.addWidget(self.voice_combo)
        choose.addWidget(self.test_button)
        choose.addStretch(1)
        voice_box = QWidget()
        voice_layout = QVBoxLayout(voice_box)
        voice_layout.setContentsMargins(0, 0, 0, 0)
        voice_layout.addLayout(choose)
        voice_layout.addWidget(self.all_languages_check)
        voice_layout.addWidget(self.voice_note)
        voice_layout.addWidget(self.test_note)
        self._has_voices = True
        self._all_voices: list[Mapping[str, object]] = []
        self._show_voices(voices, audio.voice)
        if self._tester is not None:
            self._tester.finished.connect(self._on_tested)
        self.voice_label = _row(sound, "&Voice:", voice_box, self.voice_combo)

    def _add_rate_row(self, sound: QFormLayout, audio: AudioSettings) -> None:
        rate_low, rate_high = RATE_RANGE
        self.rate_spin = QSpinBox()
        self.rate_spin.setRange(rate_low, rate_high)
        self.rate_spin.setSingleStep(5)
        self.rate_spin.setSuffix(" words/min")
        self.rate_spin.setAccessibleName("Speaking rate in words per minute")
        self.rate_spin.setValue(TYPICAL_RATE if audio.rate is None else audio.rate)
        self.rate_default_check = QCheckBox("Engine's &default")
        self.rate_default_check.setAccessibleName("Use the engine's default speaking rate")
        self.rate_default_check.setChecked(audio.rate is None)
        rate_box = QWidget()
        rate_layout = QHBoxLayout(rate_box)
        rate_layout.setContentsMargins(0, 0, 0, 0)
        rate_layout.addWidget(self.rate_spin)
        rate_layout.addWidget(self.rate_default_check)
        rate_layout.addStretch(1)
        self.rate_label = _row(sound, "Speaking &rate:", rate_box, self.rate_spin)

    def _add_volume_row(self, sound: QFormLayout, audio: AudioSettings) -> None:
        self.volume_slider = QSlider(Qt.Orientation.Horizontal)
        self.volume_slider.setRange(0, 100)
        self.volume_slider.setSingleStep(5)
        self.volume_slider.setPageStep(10)
        self.volume_slider.setAccessibleName("Speech volume in percent")
        self.volume_slider.setValue(round(audio.volume * 100))
        self.volume_value = QLabel()
        self.volume_value.setMinimumWidth(
            self.volume_value.fontMetrics().horizontalAdvance("100 %")
        )
        self.volume_value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.volume_value.setAccessibleName("Speech volume")
        volume_box = QWidget()
        volume_box.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        volume_layout = QHBoxLayout(volume_box)
        volume_layout.setContentsMargins(0, 0, 0, 0)
        volume_layout.addWidget(self.volume_slider, 1)
        volume_layout.addWidget(self.volume_value)
        self.volume_label = _row(sound, "Speech v&olume:", volume_box, self.volume_slider)

    def _build_timing_group(self, settings: Settings) -> QGroupBox:
        """The Timing group: how long to get ready."""
        session_box = QGroupBox("Timing")
        session = _form(session_box)
        ready_low, ready_high = GET_READY_RANGE
        self.get_ready_spin = QSpinBox()
        self.get_ready_spin.setRange(int(ready_low), int(ready_high))
        self.get_ready_spin.setSuffix(" s")
        self.get_ready_spin.setAccessibleName("Get-ready time in seconds")
        self.get_ready_spin.setValue(round(settings.get_ready_seconds))
        self._shown_get_ready = self.get_ready_spin.value()
        self.get_ready_label = _row(session, "&Get ready for:", self.get_ready_spin)
        return session_box

    def _build_look_group(self, settings: Settings) -> QGroupBox:
        """The Colours and text group: theme and text size."""
        look_box = QGroupBox("Colours and text")
        look = _form(look_box)
        self.theme_combo = QComboBox()
        self.theme_combo.setAccessibleName("Theme")
        for theme, text in _THEME_TEXT.items():
            self.theme_combo.addItem(text, theme.value)
        self.theme_combo.setCurrentIndex(self.theme_combo.findData(settings.theme.value))
        self.theme_label = _row(look, "&Theme:", self.theme_combo)
        self.larger_text_check = QCheckBox("&Larger text")
        self.larger_text_check.setAccessibleName("Larger text")
        self.larger_text_check.setChecked(settings.larger_text)
        look.addRow(self.larger_text_check)
        return look_box

    def _build_layout(
        self,
        sound_box: QGroupBox,
        session_box: QGroupBox,
        breaks_page: QWidget,
        look_box: QGroupBox,
    ) -> None:
        """The three tabs and the OK and Cancel buttons."""
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        # One label column across the groups of a page, so their fields line up.
        _align_labels([self.voice_label, self.rate_label, self.volume_label, self.get_ready_label])

        self.session_page = _page(sound_box, session_box)
        self.breaks_page = breaks_page
        self.appearance_page = _page(look_box)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Settings pages")
        self.tabs.addTab(self.session_page, SESSION_TAB_TEXT)
        self.tabs.addTab(self.breaks_page, BREAKS_TAB_TEXT)
        self.tabs.addTab(self.appearance_page, APPEARANCE_TAB_TEXT)

        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.buttons)

    def _set_tab_order(self) -> None:
        order: list[QWidget] = [
            self.speech_check,
            self.beeps_check,
            self.announce_check,
            self.engine_combo,
            self.voice_combo,
            self.test_button,
            self.all_languages_check,
            self.rate_spin,
            self.rate_default_check,
            self.volume_slider,
            self.get_ready_spin,
            *self.break_controls(),
            self.theme_combo,
            self.larger_text_check,
        ]  # then the buttons, which the button box orders as it lays them out
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)

    def _build_breaks_page(
        self,
        reminders: ReminderSettings,
        routines: Sequence[RoutineChoice],
        idle_message: str | None,
    ) -> QWidget:
        """The Desk breaks tab: when to remind, what a break is, and start at login."""
        when_box = self._build_reminders_group(reminders)
        break_box = self._build_break_group(reminders, routines, idle_message)
        login_box = QGroupBox("Startup")
        login = _form(login_box)
        self.login_check = QCheckBox("Start backtimer when I &log in")
        self.login_check.setAccessibleName("Start backtimer when I log in")
        self.login_check.setToolTip("Start in the system tray, ready to remind you.")
        self.login_check.setChecked(reminders.start_at_login)
        login.addRow(self.login_check)

        _align_labels(
            [
                self.interval_label,
                self.days_label,
                self.hours_label,
                self.idle_label,
                self.snooze_label,
                self.routine_label,
            ]
        )
        self.start_edit.timeChanged.connect(self._show_hours_note)
        self.end_edit.timeChanged.connect(self._show_hours_note)
        self._show_hours_note()
        return _page(when_box, break_box, login_box)

    def _build_reminders_group(self, reminders: ReminderSettings) -> QGroupBox:
        """The Reminders group: on or off, how often, which days and hours."""
        when_box = QGroupBox("Reminders")
        when = _form(when_box)

        self.reminders_check = QCheckBox("&Remind me to take a break")
        self.reminders_check.setAccessibleName("Remind me to take a break")
        self.reminders_check.setChecked(reminders.enabled)
        when.addRow(self.reminders_check)

        interval_low, interval_high = REMINDER_INTERVAL_RANGE
        self.interval_spin = QSpinBox()
        self.interval_spin.setRange(interval_low, interval_high)
        self.interval_spin.setSingleStep(5)
        self.interval_spin.setSuffix(" min")
        self.interval_spin.setAccessibleName("Minutes between breaks")
        self.interval_spin.setValue(reminders.interval_minutes)
        self.interval_label = _row(when, "&Every:", self.interval_spin)
        self._add_days_row(when, reminders)
        self._add_hours_row(when, reminders)
        return when_box

    def _add_days_row(self, when: QFormLayout, reminders: ReminderSettings) -> None:
        self.day_buttons: list[QCheckBox] = []
        days_box = QWidget()
        days_layout = QHBoxLayout(days_box)
        days_layout.setContentsMargins(0, 0, 0, 0)
        for day, full_name in enumerate(DAY_FULL_NAMES):
            button = QCheckBox(DAY_NAMES[day].title())
            button.setChecked(day in reminders.working_days)
            button.setAccessibleName(full_name)
            button.setAccessibleDescription("Working day")
            button.setToolTip(full_name)
            button.toggled.connect(lambda checked, b=button: self._keep_a_day(b, checked))
            days_layout.addWidget(button)
            self.day_buttons.append(button)
        days_layout.addStretch(1)
        self.days_label = _row(when, "Working &days:", days_box, self.day_buttons[0])

    def _add_hours_row(self, when: QFormLayout, reminders: ReminderSettings) -> None:
        self.start_edit = _time_edit("Working hours from", reminders.work_start)
        self.end_edit = _time_edit("Working hours to", reminders.work_end)
        self.end_label = QLabel("&to")
        self.end_label.setBuddy(self.end_edit)
        self.hours_note = QLabel()
        self.hours_note.setAccessibleName("Working hours note")
        hours_box = QWidget()
        hours_layout = QHBoxLayout(hours_box)
        hours_layout.setContentsMargins(0, 0, 0, 0)
        hours_layout.addWidget(self.start_edit)
        hours_layout.addWidget(self.end_label)
        hours_layout.addWidget(self.end_edit)
        hours_layout.addSpacing(self.fontMetrics().averageCharWidth())
        hours_layout.addWidget(self.hours_note)
        hours_layout.addStretch(1)
        self.hours_label = _row(when, "Working &hours:", hours_box, self.start_edit)

    def _build_break_group(
        self,
        reminders: ReminderSettings,
        routines: Sequence[RoutineChoice],
        idle_message: str | None,
    ) -> QGroupBox:
        """The Breaks group: time away that counts, snooze, and the break routine."""
        break_box = QGroupBox("Breaks")
        breaks = _form(break_box)

        idle_low, idle_high = IDLE_THRESHOLD_RANGE
        self.idle_spin = QSpinBox()
        self.idle_spin.setRange(idle_low, idle_high)
        self.idle_spin.setSuffix(" min")
        self.idle_spin.setAccessibleName("Minutes away that count as a break")
        self.idle_spin.setValue(reminders.idle_threshold_minutes)
        self._has_idle = idle_message is None
        self.idle_note = QLabel(idle_note_text(idle_message or ""))
        self.idle_note.setAccessibleName("Time away note")
        self.idle_note.setWordWrap(True)
        if idle_message is not None:
            self.idle_spin.setToolTip(self.idle_note.text())
            self.idle_spin.setAccessibleDescription(self.idle_note.text())
        self.idle_label = _row(breaks, "Count time &away as a break after:", self.idle_spin)
        # The reason spans the form's width, so it takes few lines; without one, no row.
        breaks.addRow(self.idle_note)
        breaks.setRowVisible(self.idle_note, not self._has_idle)

        self.snooze_combo = QComboBox()
        self.snooze_combo.setAccessibleName("Snooze length")
        for minutes in SNOOZE_CHOICES:
            self.snooze_combo.addItem(f"{minutes} min", minutes)
        snooze_index = self.snooze_combo.findData(reminders.snooze_minutes)
        if snooze_index < 0:
            self.snooze_combo.addItem(f"{reminders.snooze_minutes} min", reminders.snooze_minutes)
            snooze_index = self.snooze_combo.count() - 1
        self.snooze_combo.setCurrentIndex(snooze_index)
        self.snooze_label = _row(breaks, "&Snooze for:", self.snooze_combo)

        self.routine_combo = QComboBox()
        self.routine_combo.setAccessibleName("Break routine")
        self.routine_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.routine_combo.setMinimumContentsLength(16)
        for routine_id, title in routines:
            self.routine_combo.addItem(title or routine_id, routine_id)
        routine_index = self.routine_combo.findData(reminders.break_routine)
        if routine_index < 0:
            self.routine_combo.addItem(
                f"{reminders.break_routine} (not found)", reminders.break_routine
            )
            routine_index = self.routine_combo.count() - 1
        self.routine_combo.setCurrentIndex(routine_index)
        self.routine_label = _row(breaks, "&Break routine:", self.routine_combo)
        return break_box

    def break_controls(self) -> list[QWidget]:
        """The Desk breaks tab's controls, top to bottom (its tab order)."""
        return [
            self.reminders_check,
            self.interval_spin,
            *self.day_buttons,
            self.start_edit,
            self.end_edit,
            self.idle_spin,
            self.snooze_combo,
            self.routine_combo,
            self.login_check,
        ]

    def show_desk_breaks(self) -> None:
        """Open on the Desk breaks tab, its first control focused (for the tray's Settings)."""
        self.tabs.setCurrentWidget(self.breaks_page)
        self.reminders_check.setFocus()

    def _keep_a_day(self, button: QCheckBox, checked: bool) -> None:
        """Switch ``button`` back on if it was the last working day."""
        if checked or any(other.isChecked() for other in self.day_buttons):
            return
        button.setChecked(True)
        if button.isVisible():
            QToolTip.showText(button.mapToGlobal(button.rect().bottomLeft()), LAST_DAY_TEXT, button)

    def _show_hours_note(self) -> None:
        start = _py_time(self.start_edit.time())
        end = _py_time(self.end_edit.time())
        note = working_hours_note(start, end)
        self.hours_note.setText(note)
        self.end_edit.setAccessibleDescription(note)

    @property
    def voices_loading(self) -> bool:
        """True while the list waits for the engine's voices."""
        return self._voices_loading

    def set_voices(self, voices: Sequence[Mapping[str, object]]) -> None:
        """The engine's voices, listed at last: fill the list, keeping the selection."""
        selected = self.voice_combo.currentData()
        self._show_voices(voices, selected if isinstance(selected, str) and selected else None)
        self._update_enabled()

    def _refill_voices(self) -> None:
        """Show all the voices, or only those of the content's language, keeping the choice."""
        if self._voices_loading or not self._all_voices:
            return
        selected = self.voice_combo.currentData()
        self._fill_voices(self._all_voices, selected if isinstance(selected, str) else None)

    def test_sound(self) -> None:
        """Play a phrase with the voice, rate and volume shown, then each beep."""
        if self._tester is None or not self._tester.start(self.result_settings().audio):
            return
        self.test_button.setEnabled(False)
        self.test_note.setText(TESTING_TEXT)
        self.test_note.setVisible(True)

    def _on_tested(self, status: SoundStatus | None) -> None:
        from backtimer.audio.status import status_text

        self.test_button.setEnabled(True)
        text = TEST_FAILED_TEXT if status is None else status_text(status) or TESTED_TEXT
        self.test_note.setText(text)
        self.test_note.setAccessibleDescription(text)

    def _show_voices(
        self, voices: Sequence[Mapping[str, object]] | None, current: str | None
    ) -> None:
        self._voices_loading = voices is None
        self._has_voices = voices is None or bool(voices)
        self._all_voices = [voice for voice in voices or () if voice.get("id")]
        self.voice_combo.clear()
        if voices is None:
            self._fill_loading(current)
        else:
            self._fill_voices(voices, current)
        self.voice_note.setVisible(not self._has_voices)
        why = "" if self._has_voices else NO_VOICES_TEXT
        self.voice_combo.setToolTip(why)
        self.voice_combo.setAccessibleDescription(why)

    def _fill_loading(self, current: str | None) -> None:
        """The saved voice (by its id) and a "Loading voices…" entry that cannot be chosen."""
        combo = self.voice_combo
        combo.addItem(DEFAULT_VOICE_TEXT, None)
        if current is not None:
            combo.addItem(current, current)
        combo.addItem(LOADING_VOICES_TEXT, "")
        model = combo.model()
        if isinstance(model, QStandardItemModel):
            item = model.item(combo.count() - 1)
            if item is not None:
                item.setEnabled(False)
        combo.setCurrentIndex(0 if current is None else 1)

    def _fill_voices(self, voices: Sequence[Mapping[str, object]], current: str | None) -> None:
        combo = self.voice_combo
        combo.clear()
        combo.addItem(DEFAULT_VOICE_TEXT, None)
        shown = [voice for voice in voices if voice.get("id")]
        if not self.all_languages_check.isChecked():
            # The chosen voice stays listed; with no voice of the language, all are shown.
            ours = [v for v in shown if speaks(v) or (current is not None and v["id"] == current)]
            shown = ours if any(speaks(voice) for voice in ours) else shown
        listed = sorted(shown, key=lambda voice: voice_text(voice).casefold())
        for voice in listed:
            combo.addItem(voice_text(voice), str(voice["id"]))
        if current is None:
            combo.setCurrentIndex(0)
            return
        index = combo.findData(current)
        if index < 0:
            combo.addItem(f"{current} (not found)", current)
            index = combo.count() - 1
        combo.setCurrentIndex(index)

    def _show_volume(self, value: int) -> None:
        self.volume_value.setText(f"{value} %")

    def _update_enabled(self) -> None:
        speech = self.speech_check.isChecked()
        self.announce_check.setEnabled(speech)
        self.voice_combo.setEnabled(speech and self._has_voices)
        self.all_languages_check.setEnabled(speech and self._has_voices)
        self.rate_default_check.setEnabled(speech)
        self.rate_spin.setEnabled(speech and not self.rate_default_check.isChecked())
        self.volume_slider.setEnabled(speech)
        self.volume_value.setEnabled(speech)
        reminders = self.reminders_check.isChecked()
        for widget in (
            self.interval_spin,
            *self.day_buttons,
            self.start_edit,
            self.end_edit,
            self.end_label,
            self.hours_note,
            self.snooze_combo,
            self.routine_combo,
        ):
            widget.setEnabled(reminders)
        self.idle_spin.setEnabled(reminders and self._has_idle)

    def result_settings(self) -> Settings:
        """The settings as the dialog shows them now."""
        voice = self.voice_combo.currentData()
        audio = AudioSettings(
            speech=self.speech_check.isChecked(),
            beeps=self.beeps_check.isChecked(),
            announce_next=self.announce_check.isChecked(),
            voice=voice if isinstance(voice, str) and voice else None,
            rate=None if self.rate_default_check.isChecked() else self.rate_spin.value(),
            volume=self.volume_slider.value() / 100,
            engine=str(self.engine_combo.currentData() or self._settings.audio.engine),
        )
        if round(self._settings.audio.volume * 100) == self.volume_slider.value():
            audio = dataclasses.replace(audio, volume=self._settings.audio.volume)
        get_ready = float(self.get_ready_spin.value())
        if self.get_ready_spin.value() == self._shown_get_ready:
            get_ready = self._settings.get_ready_seconds  # unchanged: keep any fraction
        theme = Theme(self.theme_combo.currentData())
        return dataclasses.replace(
            self._settings,
            audio=audio,
            get_ready_seconds=get_ready,
            theme=theme,
            larger_text=self.larger_text_check.isChecked(),
            reminders=self._result_reminders(),
        )

    def _result_reminders(self) -> ReminderSettings:
        routine = self.routine_combo.currentData()
        return dataclasses.replace(
            self._settings.reminders,
            enabled=self.reminders_check.isChecked(),
            interval_minutes=self.interval_spin.value(),
            working_days=tuple(
                day for day, button in enumerate(self.day_buttons) if button.isChecked()
            ),
            work_start=_py_time(self.start_edit.time()),
            work_end=_py_time(self.end_edit.time()),
            idle_threshold_minutes=self.idle_spin.value(),
            snooze_minutes=int(self.snooze_combo.currentData()),
            start_at_login=self.login_check.isChecked(),
            break_routine=(
                routine
                if isinstance(routine, str) and routine
                else self._settings.reminders.break_routine
            ),
        )


def _form(box: QGroupBox) -> QFormLayout:
    """A form whose fields keep their natural width unless they ask to expand."""
    form = QFormLayout(box)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
    return form


def _row(form: QFormLayout, text: str, field: QWidget, buddy: QWidget | None = None) -> QLabel:
    """Add a labelled row; the label's mnemonic focuses ``buddy`` (or ``field``)."""
    label = QLabel(text)
    label.setBuddy(buddy or field)
    form.addRow(label, field)
    return label


def _align_labels(labels: Sequence[QLabel]) -> None:
    """Give ``labels`` (one page's) one width, so the fields of its groups line up."""
    width = max(label.sizeHint().width() for label in labels)
    for label in labels:
        label.setMinimumWidth(width)


def _page(*boxes: QWidget) -> QWidget:
    """A tab page: ``boxes`` from the top, the spare room below them."""
    page = QWidget()
    layout = QVBoxLayout(page)
    for box in boxes:
        layout.addWidget(box)
    layout.addStretch(1)
    return page


def _time_edit(name: str, value: time) -> QTimeEdit:
    """A 24-hour HH:mm time field showing ``value``."""
    edit = QTimeEdit()
    edit.setDisplayFormat("HH:mm")
    edit.setAccessibleName(name)
    edit.setTime(QTime(value.hour, value.minute))
    return edit


def _py_time(value: QTime) -> time:
    """A QTime as a :class:`datetime.time`, to the minute."""
    return time(value.hour(), value.minute())
