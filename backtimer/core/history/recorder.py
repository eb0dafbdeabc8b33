"""The history as the app uses it: writes that never take the app down, and last-done dates.

A failed write (a full disk, a read-only folder) is logged and kept in ``problems``; the
session goes on and the data already on disk stays as it was.

Taking the writer's lock (:meth:`SessionHistory.open_as_writer`) is when the temporaries
killed writes left in the data folder are removed (:func:`remove_stale_temporaries`).

The store itself may open on first use (``open_now=False``): an app that starts hidden in
the tray takes the writer's lock at once but reads nothing until a session or a break is
recorded or the history is looked at (what the opening finds wrong is logged, as always,
and added to ``problems``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Final

from backtimer.core.history.lock import LOCK_FILE_NAME, InstanceLock
from backtimer.core.store import temporaries

if TYPE_CHECKING:
    from backtimer.core.history.store import HistoryStore

log = logging.getLogger(__name__)

#: How far back the home page looks for "last done" (reading further costs start-up time).
LAST_DONE_WINDOW: Final = timedelta(days=366)


#: The history folder, inside the data folder (beside the lock, LOCK_FILE_NAME).
HISTORY_FOLDER: Final = "history"
#: The files of the history folder, as glob patterns (as the store's HISTORY_FILE_PATTERNS;
#: not imported from it, so that taking the lock does not load the store).
HISTORY_FILES: Final = ("history-*.json",)
#: The other state files of the data folder: the rep pins and the reminder schedule.
DATA_STATE_FILES: Final = ("reps.json", "reminders.json")


def remove_stale_temporaries(data: Path) -> int:
    """Delete the temporaries killed writes left in the data folder ``data``; how many.

    Call it holding the writer's lock. The history's files are written only by the lock's
    holder, so any temporary of theirs is left over; the rep pins are also changed by
    ``backtimer reps`` without that lock, so only temporaries older than
    :data:`~backtimer.core.store.temporaries.STALE_AFTER_S` go.
    """
    history = temporaries.remove_stale_temporaries(
        data / HISTORY_FOLDER, HISTORY_FILES, min_age_s=0
    )
    others = temporaries.remove_stale_temporaries(data, DATA_STATE_FILES)
    return len(history) + len(others)


class SessionHistory:
    """The history store behind the app, with its problems collected instead of raised."""

    def __init__(
        self, folder: Path, lock: InstanceLock | None = None, open_now: bool = True
    ) -> None:
        """``open_now=False`` opens the store on first use instead."""
        #: Held for as long as this history is the one writer of its data folder.
        self.lock = lock
        self.folder = Path(folder)
        self._store: HistoryStore | None = None
        self.problems: list[str] = []
        if open_now:
            self._open()

    @classmethod
    def open_as_writer(cls, data: Path, open_now: bool = True) -> SessionHistory:
        """The history of a data folder, with its writer's lock taken first.

        Raises :class:`~backtimer.core.history.lock.AlreadyRunningError` when another
        backtimer holds it. ``open_now=False``: the lock is taken now, the store opens on
        first use. Temporaries left by killed writes are removed once the lock is held.
        """
        lock = InstanceLock(data / LOCK_FILE_NAME)
        lock.acquire()
        remove_stale_temporaries(data)
        return cls(data / HISTORY_FOLDER, lock, open_now)

    @property
    def store(self) -> HistoryStore:
        """The history store (opened now, if it was not yet)."""
        return self._store if self._store is not None else self._open()

    def _open(self) -> HistoryStore:
        from backtimer.core.history.store import HistoryStore

        store = HistoryStore(self.folder)
        self._store = store
        self.problems.extend(store.problems)
        return store

    def save(self, write: Callable[[HistoryStore], object]) -> bool:
        """Run one write; False (and a logged problem) if it failed."""
        try:
            write(self.store)
        except OSError as error:
            message = f"could not save the history in {self.folder}: {error}"
            log.warning(message)
            self.problems.append(message)
            return False
        return True

    def last_done(self, now: datetime | None = None) -> dict[str, datetime]:
        """When each routine was last done, within the last year."""
        from backtimer.core.history.session_log import last_done

        since = (now or datetime.now().astimezone()) - LAST_DONE_WINDOW
        return last_done(self.store.sessions(since=since))
