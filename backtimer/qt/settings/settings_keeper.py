"""The settings in force for the whole app: loaded once, saved on change, theme applied."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING

from backtimer.core.settings import Settings
from backtimer.core.store.settings_store import SettingsStore
from backtimer.qt.widgets.theme import apply_theme

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)


class SettingsKeeper:
    """Holds the settings, saves every change atomically and keeps the theme in step."""

    def __init__(self, store: SettingsStore, app: QApplication) -> None:
        self._store = store
        self._app = app
        self._base_font = app.font()
        self.current = store.load()
        #: What could not be used in the settings file, one message each.
        self.problems = list(store.problems)
        self.apply_theme()

    def apply_theme(self) -> None:
        """Colours and text size as the settings say."""
        current = self.current
        apply_theme(self._app, current.theme, current.larger_text, self._base_font)

    def save(self, changed: Settings) -> None:
        """Use and keep ``changed`` (a failed write is logged; the app goes on)."""
        self.current = changed
        try:
            self._store.save(changed)
        except OSError as error:
            log.warning("could not save the settings: %s", error)
        self.apply_theme()

    def acknowledge_safety(self) -> None:
        """The user has read the safety screen: never shown unasked again."""
        self.save(replace(self.current, safety_acknowledged=True))
