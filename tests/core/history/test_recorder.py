"""The history as the app uses it: the writer's lock at once, the store when first used."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from backtimer.core.history.lock import AlreadyRunningError
from backtimer.core.history.recorder import HISTORY_FOLDER, SessionHistory
from backtimer.core.history.records import BreakEvent, BreakEventKind, SessionOutcome
from backtimer.core.history.store import HistoryStore
from tests.core.history.test_store import make_session


def test_opened_later_the_lock_is_still_taken_at_once(tmp_path: Path) -> None:
    history = SessionHistory.open_as_writer(tmp_path, open_now=False)
    try:
        with pytest.raises(AlreadyRunningError):
            SessionHistory.open_as_writer(tmp_path)
        assert not (tmp_path / HISTORY_FOLDER).exists()  # nothing read or written yet
        event = BreakEvent("e1", datetime(2026, 3, 2, 10, 0, tzinfo=UTC), BreakEventKind.TAKEN)
        assert history.save(lambda store: store.add_break_event(event))
        assert history.store.break_events() == [event]
    finally:
        assert history.lock is not None
        history.lock.release()


def test_opened_later_a_crashed_session_is_recovered_on_first_use(tmp_path: Path) -> None:
    folder = tmp_path / HISTORY_FOLDER
    started = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    HistoryStore(folder).start_session(make_session(started, SessionOutcome.IN_PROGRESS, "s1"))
    history = SessionHistory(folder, open_now=False)
    [session] = history.store.sessions()
    assert (session.id, session.outcome) == ("s1", SessionOutcome.INTERRUPTED)
    assert history.problems == []
