"""The user's settings, kept in one TinyDB document (table ``settings``) on disk.

:meth:`SettingsStore.load` never fails on what it finds: a missing file gives the
defaults; a value that does not fit takes its default (see
:func:`~backtimer.core.settings.settings_from_dict`); a file that cannot be read at all
(anything :func:`~backtimer.core.store.json_state.read_state_json` refuses: bad JSON, deep
nesting, huge numbers, NaN, a FIFO, a file too big…, or not shaped as a database) is moved
aside to ``<name>.unreadable-<timestamp>``, kept for the user, and the defaults are used;
temporaries that killed writes left beside it are removed. Every such message is logged
as a warning and kept in :attr:`SettingsStore.problems` for the UI to show.
:meth:`SettingsStore.save` writes atomically and raises
:class:`~backtimer.core.store.atomic_storage.StoreWriteError` when it cannot, leaving the
old file as it was; it re-reads and writes the file under its lock
(:func:`~backtimer.core.store.file_lock.locked`).
"""

from __future__ import annotations

import logging
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any, Final

from tinydb import TinyDB
from tinydb.table import Document

from backtimer.core.paths import AppPaths
from backtimer.core.settings import Settings, settings_from_dict, settings_to_dict
from backtimer.core.store.atomic_storage import (
    AtomicJSONStorage,
    StoreWriteError,
    UnreadableStoreError,
    move_aside,
)
from backtimer.core.store.file_lock import locked
from backtimer.core.store.temporaries import remove_stale_temporaries

log = logging.getLogger(__name__)

SETTINGS_FILE_NAME: Final = "settings.json"
SETTINGS_TABLE: Final = "settings"
#: The id of the one document that holds the settings.
SETTINGS_DOC_ID: Final = 1


def default_settings_path(paths: AppPaths) -> Path:
    """Where the settings live: ``settings.json`` in the config folder."""
    return paths.config / SETTINGS_FILE_NAME


class SettingsStore:
    """Loads and saves :class:`~backtimer.core.settings.Settings` in a JSON file."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._db = TinyDB(self.path, storage=AtomicJSONStorage)
        self._table = self._db.table(SETTINGS_TABLE)
        #: Why the last :meth:`load` did not use everything it found, one line each.
        self.problems: list[str] = []
        #: Set when the file could be neither read nor moved aside: saving would lose it.
        self._blocked: str | None = None

    @classmethod
    def for_paths(cls, paths: AppPaths) -> SettingsStore:
        """The store at the default place for ``paths``."""
        return cls(default_settings_path(paths))

    def load(self) -> Settings:
        """The saved settings; the defaults for whatever is missing or unusable."""
        self.problems = []
        self._blocked = None
        remove_stale_temporaries(self.path.parent, [self.path.name])
        try:
            document = self._table.get(doc_id=SETTINGS_DOC_ID)
        except (UnreadableStoreError, OSError) as error:
            self._set_aside(error)
            return Settings()
        settings, problems = settings_from_dict(
            dict(document) if isinstance(document, Document) else {}
        )
        for problem in problems:
            self._warn(f"{self.path}: {problem}")
        return settings

    def save(self, settings: Settings) -> None:
        """Write ``settings`` atomically; raises StoreWriteError when that fails."""
        if self._blocked is not None:
            raise StoreWriteError(self.path, self._blocked)
        data = settings_to_dict(settings)

        def replace(document: MutableMapping[str, Any]) -> None:
            document.clear()
            document.update(data)

        with locked(self.path):
            try:
                if self._table.contains(doc_id=SETTINGS_DOC_ID):
                    self._table.update(replace, doc_ids=[SETTINGS_DOC_ID])
                else:
                    self._table.insert(Document(data, doc_id=SETTINGS_DOC_ID))
            except UnreadableStoreError as error:
                # The file went bad since it was loaded: keep it, then write afresh.
                self._start_afresh(error, data)
            except StoreWriteError as error:
                if not isinstance(error.__cause__, UnicodeEncodeError):
                    raise
                # Something else in the file (not the settings, which were checked) holds
                # text no file can hold (JSON's "\ud800"): keep it, then write afresh.
                reason = "it holds text that cannot be written back (an unpaired surrogate)"
                self._start_afresh(UnreadableStoreError(self.path, reason), data)

    def _start_afresh(self, error: UnreadableStoreError, data: dict[str, Any]) -> None:
        """Set the file aside and write a new one holding only ``data``."""
        self._set_aside(error)
        if self._blocked is not None:
            raise StoreWriteError(self.path, self._blocked) from error
        self._table.insert(Document(data, doc_id=SETTINGS_DOC_ID))

    def _set_aside(self, error: Exception) -> None:
        """Keep an unreadable file under another name; block saving if that fails."""
        reason = str(error)
        try:
            kept = move_aside(self.path)
        except OSError as move_error:
            self._blocked = (
                f"the file could not be read ({reason}) nor moved aside "
                f"({move_error.strerror or move_error}); not overwriting it"
            )
            self._warn(f"{reason}; it could not be moved aside either, using the default settings")
            return
        self._warn(f"{reason}; kept it as {kept.name} and using the default settings")

    def _warn(self, message: str) -> None:
        self.problems.append(message)
        log.warning("%s", message)
