"""Adding imported sessions to the history, and saying exactly what was added.

``backtimer import --csv`` and File → Import history… both end here. The store writes one
year at a time, so a write that fails (a full disk, a read-only folder) may come after some
years were saved: :func:`add_imported` then counts what the store holds now against what it
held before, so the message can say how many sessions were added before the failure.
Importing the same file again adds the rest (sessions already there are skipped).
"""

from __future__ import annotations

import errno
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from backtimer.core.history.records import SessionRecord

#: The errors that mean the folder cannot be written at all.
READ_ONLY_ERRORS = frozenset({errno.EROFS, errno.EACCES, errno.EPERM})


class _Store(Protocol):
    def sessions(self) -> list[SessionRecord]: ...

    def add_sessions(self, records: Sequence[SessionRecord]) -> int: ...


@dataclass(frozen=True, slots=True)
class Added:
    """What an import added to the store."""

    #: Sessions new to the history and saved (before the failure, if there was one).
    added: int
    #: Sessions of the file that the history already held.
    known: int
    #: Why saving stopped; None when everything was saved.
    failure: OSError | None = None

    @property
    def read_only(self) -> bool:
        """Whether saving failed because the folder cannot be written."""
        return self.failure is not None and self.failure.errno in READ_ONLY_ERRORS


def _stored_ids(store: _Store, wanted: set[str]) -> set[str]:
    return {record.id for record in store.sessions() if record.id in wanted}


def add_imported(store: _Store, records: Sequence[SessionRecord]) -> Added:
    """Add ``records`` to ``store``; never raises for a failed write (see :class:`Added`)."""
    wanted = {record.id for record in records}
    if not wanted:
        return Added(0, 0)
    before = _stored_ids(store, wanted)
    try:
        added = store.add_sessions(records)
    except OSError as error:
        try:
            now = _stored_ids(store, wanted)
        except OSError:
            now = before  # cannot tell: claim nothing
        return Added(len(now - before), len(before), error)
    return Added(added, len(wanted) - added)
