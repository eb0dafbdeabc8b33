"""The history as the app uses it: writes that never take the app down, and last-done dates.

A failed write (a full disk, a read-only folder) is logged and kept in ``problems``; the
session goes on and the data already on disk stays as it was.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Final

from backtimer.core.history.lock import LOCK_FILE_NAME, InstanceLock
from backtimer.core.history.store import HistoryStore

if TYPE_CHECKING:
    from backtimer.core.history.progression import Decision
    from backtimer.core.routine.model import Routine

log = logging.getLogger(__name__)

#: How far back the home page looks for "last done" (reading further costs start-up time).
LAST_DONE_WINDOW: Final = timedelta(days=366)


#: The history folder, inside the data folder (beside the lock, LOCK_FILE_NAME).
HISTORY_FOLDER: Final = "history"


class SessionHistory:
    """The history store behind the app, with its problems collected instead of raised."""

    def __init__(self, folder: Path, lock: InstanceLock | None = None) -> None:
        #: Held for as long as this history is the one writer of its data folder.
        self.lock = lock
        self.store = HistoryStore(folder)
        self.problems: list[str] = list(self.store.problems)

    @classmethod
    def open_as_writer(cls, data: Path) -> SessionHistory:
        """The history of a data folder, with its writer's lock taken first.

        Raises :class:`~backtimer.core.history.lock.AlreadyRunningError` when another
        backtimer holds it.
        """
        lock = InstanceLock(data / LOCK_FILE_NAME)
        lock.acquire()
        return cls(data / HISTORY_FOLDER, lock)

    def save(self, write: Callable[[HistoryStore], object]) -> bool:
        """Run one write; False (and a logged problem) if it failed."""
        try:
            write(self.store)
        except OSError as error:
            message = f"could not save the history in {self.store.folder}: {error}"
            log.warning(message)
            self.problems.append(message)
            return False
        return True

    def progression(self, routine: Routine, now: datetime | None = None) -> dict[str, Decision]:
        """The reps each exercise of ``routine`` should use now, and why."""
        # Loaded on first use: the app opens the history before its window shows.
        from backtimer.core.history.progression import routine_progression

        since = (now or datetime.now().astimezone()) - LAST_DONE_WINDOW
        return routine_progression(routine, self.store.sessions(since=since))

    def last_done(self, now: datetime | None = None) -> dict[str, datetime]:
        """When each routine was last done, within the last year."""
        from backtimer.core.history.session_log import last_done

        since = (now or datetime.now().astimezone()) - LAST_DONE_WINDOW
        return last_done(self.store.sessions(since=since))
