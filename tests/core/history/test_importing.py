"""Adding imported sessions: what was added, also when the save stops half way."""

from __future__ import annotations

import errno
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from backtimer.core.history.importing import add_imported
from backtimer.core.history.records import SessionOutcome, SessionRecord

START = datetime(2026, 12, 30, 8, 0, tzinfo=UTC)


def session(number: int) -> SessionRecord:
    started = START + timedelta(days=number)
    return SessionRecord(
        f"s{number}", started, None, "r", "R", SessionOutcome.COMPLETED, 60.0, "0.1", ()
    )


class FakeStore:
    """Saves sessions one at a time and runs out of space after ``room`` of them."""

    def __init__(self, stored: list[SessionRecord], room: int, code: int = errno.ENOSPC) -> None:
        self.stored = list(stored)
        self.room = room
        self.code = code

    def sessions(self) -> list[SessionRecord]:
        return list(self.stored)

    def add_sessions(self, records: Sequence[SessionRecord]) -> int:
        known = {r.id for r in self.stored}
        added = 0
        for record in records:
            if record.id in known:
                continue
            if self.room == 0:
                raise OSError(self.code, "No space left on device")
            self.stored.append(record)
            known.add(record.id)
            self.room -= 1
            added += 1
        return added


def test_everything_saved() -> None:
    store = FakeStore([session(0)], room=10)
    outcome = add_imported(store, [session(0), session(1), session(2)])
    assert (outcome.added, outcome.known, outcome.failure) == (2, 1, None)


def test_a_save_that_stops_half_way_counts_what_was_added() -> None:
    store = FakeStore([session(0)], room=2)
    outcome = add_imported(store, [session(n) for n in range(5)])
    assert (outcome.added, outcome.known) == (2, 1)
    assert outcome.failure is not None
    assert outcome.failure.errno == errno.ENOSPC
    assert not outcome.read_only


def test_a_read_only_folder_is_named_as_such() -> None:
    outcome = add_imported(FakeStore([], room=0, code=errno.EROFS), [session(0)])
    assert (outcome.added, outcome.read_only) == (0, True)


def test_nothing_to_add_reads_nothing() -> None:
    class Untouchable(FakeStore):
        def sessions(self) -> list[SessionRecord]:
            raise AssertionError("read")

    assert add_imported(Untouchable([], room=0), []).added == 0
