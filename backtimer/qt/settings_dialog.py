"""The settings dialog: sound, session and appearance, edited on a copy of the settings.

``SettingsDialog(settings, voices)`` shows ``settings``; after OK,
:meth:`SettingsDialog.result_settings` returns them as edited (what the dialog does not
show, such as the window geometry, is carried over unchanged). The voices are those the
speech engine lists (:meth:`backtimer.audio.speech.SpeechService.voices`); with none, the
voice list is disabled and says why. A saved voice the engine no longer lists stays
selected, marked as not found, so opening and closing the dialog never loses it.

Every control has a label whose mnemonic focuses it, and an accessible name; the tab
order runs from top to bottom. The voice, rate, volume and announcement controls are
disabled while speech is off.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from backtimer.core.settings import (
    GET_READY_RANGE,
    RATE_RANGE,
    AudioSettings,
    Settings,
    Theme,
)

#: What the voice list says when the engine offers no voices.
NO_VOICES_TEXT = "No speech engine found (install espeak-ng)"
#: The first entry of the voice list: the engine's own default voice.
DEFAULT_VOICE_TEXT = "System default"
#: The rate shown (disabled) while the engine's default rate is used; espeak-ng's default.
TYPICAL_RATE = 175

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


class SettingsDialog(QDialog):
    """Edit the sound, session and appearance settings; OK keeps, Cancel drops."""

    def __init__(
        self,
        settings: Settings,
        voices: Sequence[Mapping[str, object]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self.setWindowTitle("Settings")
        self.setAccessibleName("Settings")

        audio = settings.audio
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

        self.voice_combo = QComboBox()
        self.voice_combo.setAccessibleName("Voice")
        self.voice_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.voice_combo.setMinimumContentsLength(20)
        self.voice_note = QLabel(NO_VOICES_TEXT)
        self.voice_note.setAccessibleName("Voice note")
        self._has_voices = bool(voices)
        self._fill_voices(voices, audio.voice)
        voice_box = QWidget()
        voice_layout = QVBoxLayout(voice_box)
        voice_layout.setContentsMargins(0, 0, 0, 0)
        voice_layout.addWidget(self.voice_combo)
        voice_layout.addWidget(self.voice_note)
        self.voice_note.setVisible(not self._has_voices)
        if not self._has_voices:
            self.voice_combo.setToolTip(NO_VOICES_TEXT)
            self.voice_combo.setAccessibleDescription(NO_VOICES_TEXT)
        self.voice_label = _row(sound, "&Voice:", voice_box, self.voice_combo)

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

        session_box = QGroupBox("Session")
        session = _form(session_box)
        ready_low, ready_high = GET_READY_RANGE
        self.get_ready_spin = QSpinBox()
        self.get_ready_spin.setRange(int(ready_low), int(ready_high))
        self.get_ready_spin.setSuffix(" s")
        self.get_ready_spin.setAccessibleName("Get-ready time in seconds")
        self.get_ready_spin.setValue(round(settings.get_ready_seconds))
        self._shown_get_ready = self.get_ready_spin.value()
        self.get_ready_label = _row(session, "&Get ready for:", self.get_ready_spin)

        look_box = QGroupBox("Appearance")
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

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        # One label column across the three groups, so their fields line up.
        labels = [
            self.voice_label,
            self.rate_label,
            self.volume_label,
            self.get_ready_label,
            self.theme_label,
        ]
        label_width = max(label.sizeHint().width() for label in labels)
        for label in labels:
            label.setMinimumWidth(label_width)

        layout = QVBoxLayout(self)
        layout.addWidget(sound_box)
        layout.addWidget(session_box)
        layout.addWidget(look_box)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        order: list[QWidget] = [
            self.speech_check,
            self.beeps_check,
            self.announce_check,
            self.voice_combo,
            self.rate_spin,
            self.rate_default_check,
            self.volume_slider,
            self.get_ready_spin,
            self.theme_combo,
            self.larger_text_check,
        ]  # then the buttons, which the button box orders as it lays them out
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)

        self.speech_check.toggled.connect(self._update_enabled)
        self.rate_default_check.toggled.connect(self._update_enabled)
        self.volume_slider.valueChanged.connect(self._show_volume)
        self._show_volume(self.volume_slider.value())
        self._update_enabled()
        self.speech_check.setFocus()

    def _fill_voices(self, voices: Sequence[Mapping[str, object]], current: str | None) -> None:
        combo = self.voice_combo
        combo.addItem(DEFAULT_VOICE_TEXT, None)
        listed = sorted(
            (voice for voice in voices if voice.get("id")),
            key=lambda voice: voice_text(voice).casefold(),
        )
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
        self.rate_default_check.setEnabled(speech)
        self.rate_spin.setEnabled(speech and not self.rate_default_check.isChecked())
        self.volume_slider.setEnabled(speech)
        self.volume_value.setEnabled(speech)

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
