"""Settings → the dialog, then what follows from the choice (start at login)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

if TYPE_CHECKING:
    from backtimer.core.settings import Settings
    from backtimer.qt.settings.sound_tester import SoundTester
    from backtimer.qt.settings.voice_catalog import VoiceCatalog


def edit_settings(
    current: Settings,
    voices: VoiceCatalog,
    parent: QWidget | None,
    routine_titles: list[tuple[str, str]],
    idle_message: str | None,
    sound_tester: SoundTester | None = None,
) -> Settings | None:
    """Show the settings dialog; the chosen settings, or None when cancelled."""
    from backtimer.desktop.autostart import autostart_for_platform
    from backtimer.qt.settings.login_start import apply_start_at_login
    from backtimer.qt.settings.settings_dialog import SettingsDialog

    dialog = SettingsDialog(
        current, voices.voices, parent, routine_titles, idle_message, sound_tester
    )
    # The voices come in the background; the dialog shows them when they are there.
    voices.deliver(dialog.set_voices)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    chosen = dialog.result_settings()
    problem = apply_start_at_login(chosen.reminders.start_at_login, autostart_for_platform())
    if problem is not None:
        QMessageBox.warning(parent, "Start at login", problem)
    return chosen
