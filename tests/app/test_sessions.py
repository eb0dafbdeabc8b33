"""The application layer assembles sessions the same way for every front end."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from backtimer.app.options import SessionOptions
from backtimer.app.reps import reps_decisions
from backtimer.app.routine_ref import RoutineNotFoundError, RoutineRef
from backtimer.app.sessions import SessionFactory
from backtimer.core.history.overrides import RepsOverrides
from backtimer.core.history.record_rules import MAX_PAIN_AREA_LENGTH, MAX_PAIN_NOTE_LENGTH
from backtimer.core.history.recorder import SessionHistory
from backtimer.core.history.records import SessionKind, SessionOutcome, SessionRecord
from backtimer.core.history.store import HistoryStore
from backtimer.core.routine.kinds import Category
from backtimer.core.routine.library import Library, LibraryEntry, Origin
from backtimer.core.routine.loader import RoutineFileError
from backtimer.core.scheduler import Outcome, Summary
from backtimer.core.settings import AudioSettings, Settings
from backtimer.core.store.errors import StoreWriteError
from tests.helpers.routines import BACK_ROUTINE, back_routine

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=timezone(timedelta(hours=1)))


def _library() -> Library:
    library = Library()
    library.entries.append(LibraryEntry(back_routine(), Path("back.toml"), Origin.BUILTIN))
    return library


def _completed(routine_id: str, days_ago: int) -> SessionRecord:
    started = NOW - timedelta(days=days_ago)
    return SessionRecord(
        id=f"s{days_ago}",
        started=started,
        ended=started + timedelta(minutes=5),
        routine_id=routine_id,
        routine_title="Back",
        outcome=SessionOutcome.COMPLETED,
        active_seconds=300.0,
        app_version="test",
    )


def test_options_override_only_what_they_set() -> None:
    base = Settings(get_ready_seconds=10, audio=AudioSettings(voice="en", rate=150, volume=0.5))
    chosen = SessionOptions(get_ready_seconds=3, rate=200).settings(base)
    assert chosen.get_ready_seconds == 3
    assert chosen.audio.rate == 200
    assert chosen.audio.voice == "en"
    assert chosen.audio.volume == 0.5


def test_pins_win_over_the_history() -> None:
    routine = back_routine()
    history = [_completed("back", d) for d in (1, 2, 3, 4)]
    decisions = reps_decisions(routine, lambda since: history, lambda rid: {"cat": 5}, NOW)
    assert decisions["cat"].reps == 5
    assert decisions["cat"].pinned
    assert decisions["bridge"].reps > 2  # grown from the history
    assert not decisions["bridge"].pinned


def test_without_history_or_pins_every_range_starts_low() -> None:
    decisions = reps_decisions(back_routine(), None, None, NOW)
    assert {key: d.reps for key, d in decisions.items()} == {"bridge": 2, "cat": 3}


def test_prepared_session_uses_the_pins_and_the_options(tmp_path: Path) -> None:
    pins = RepsOverrides(tmp_path / "reps.json")
    pins.pin(back_routine(), "bridge", 7)
    factory = SessionFactory(_library, None, pins, now=lambda: NOW)
    prepared = factory.prepare(back_routine(), Settings(), SessionOptions(get_ready_seconds=0))
    assert prepared.plan_settings.reps["bridge"] == 7
    assert prepared.plan_settings.get_ready_seconds == 0
    assert "Pinned" in prepared.reasons["bridge"]
    assert prepared.phrases()  # the voice has something to render
    assert prepared.plan().total_ms > 0


def test_a_reference_names_a_file_or_a_library_id(tmp_path: Path) -> None:
    routine_file = tmp_path / "mine.toml"
    routine_file.write_text(BACK_ROUTINE.replace('title = "Back"', 'title = "Mine"'))
    factory = SessionFactory(_library)
    assert factory.routine(RoutineRef.parse(str(routine_file))).title == "Mine"
    assert factory.routine(RoutineRef.parse("back")).title == "Back"
    with pytest.raises(RoutineNotFoundError, match="known routines: back"):
        factory.routine(RoutineRef.parse("nope"))
    with pytest.raises(RoutineFileError):
        factory.routine(RoutineRef.parse(str(tmp_path / "missing.toml")))


def _summary(outcome: Outcome) -> Summary:
    return Summary("back", "Back", outcome, 60_000, ())


def test_recording_writes_the_session_at_start_and_end(tmp_path: Path) -> None:
    history = SessionHistory.open_as_writer(tmp_path)
    try:
        recording = SessionFactory(_library, history, now=lambda: NOW).recording(back_routine())
        assert recording.start()
        assert history.store.sessions()[0].outcome is SessionOutcome.IN_PROGRESS
        later = iter([NOW + timedelta(minutes=2)])
        recording._now = lambda: next(later)
        assert recording.finish(_summary(Outcome.COMPLETED))
        (stored,) = history.store.sessions()
        assert stored.outcome is SessionOutcome.COMPLETED
        assert recording.problem is None
    finally:
        assert history.lock is not None
        history.lock.release()


def test_recording_says_when_the_history_could_not_be_saved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    history = SessionHistory.open_as_writer(tmp_path)
    try:
        recording = SessionFactory(_library, history, now=lambda: NOW).recording(back_routine())
        assert recording.start()

        def full_disk(store: HistoryStore, record: SessionRecord) -> None:
            raise StoreWriteError(store.folder / "history-2026.json", "No space left on device")

        monkeypatch.setattr(HistoryStore, "finish_session", full_disk)
        assert not recording.finish(_summary(Outcome.COMPLETED))
        assert recording.problem is not None
        assert "No space left on device" in recording.problem
    finally:
        assert history.lock is not None
        history.lock.release()


# --- desk breaks and the pain note ------------------------------------------------------------


def test_a_session_of_the_break_window_is_recorded_as_a_desk_break(tmp_path: Path) -> None:
    history = SessionHistory(tmp_path / "history")
    factory = SessionFactory(_library, history, now=lambda: NOW)
    prepared = factory.prepare(back_routine(), Settings(), SessionOptions(desk_break=True))
    assert prepared.desk_break
    breaks = factory.recording(back_routine(), desk_break=prepared.desk_break)
    workout = factory.recording(back_routine())
    for recording in (breaks, workout):
        assert recording.start()
        assert recording.finish(_summary(Outcome.COMPLETED))
    kinds = sorted(record.kind or SessionKind.WORKOUT for record in history.store.sessions())
    assert kinds == [SessionKind.DESK_BREAK, SessionKind.WORKOUT]


def test_a_desk_break_routine_is_a_desk_break_wherever_it_starts(tmp_path: Path) -> None:
    history = SessionHistory(tmp_path / "history")
    routine = back_routine().model_copy(update={"category": Category.DESK_BREAK})
    recording = SessionFactory(_library, history, now=lambda: NOW).recording(routine)
    assert recording.start()
    assert recording.finish(_summary(Outcome.COMPLETED))
    assert history.store.sessions()[0].is_desk_break


def test_note_pain_rewrites_the_saved_session(tmp_path: Path) -> None:
    history = SessionHistory(tmp_path / "history")
    recording = SessionFactory(_library, history, now=lambda: NOW).recording(back_routine())
    assert recording.start()
    assert recording.finish(_summary(Outcome.STOPPED_FOR_PAIN))
    recording.note_pain("  lower back ", "Sharp when I bent forward.\n")
    (stored,) = SessionHistory(tmp_path / "history").store.sessions()  # read from disk
    assert stored.outcome is SessionOutcome.STOPPED_FOR_PAIN
    assert (stored.pain_area, stored.pain_note) == ("lower back", "Sharp when I bent forward.")
    assert recording.problem is None
    recording.note_pain("neck", "")  # said again: the latest wins, still one record
    (stored,) = SessionHistory(tmp_path / "history").store.sessions()
    assert (stored.pain_area, stored.pain_note) == ("neck", "")


def test_note_pain_before_the_end_is_saved_with_it_and_cut_to_size(tmp_path: Path) -> None:
    history = SessionHistory(tmp_path / "history")
    recording = SessionFactory(_library, history, now=lambda: NOW).recording(back_routine())
    assert recording.start()
    recording.note_pain("x" * 500, "\ud800" + "y" * 5000)
    assert recording.finish(_summary(Outcome.STOPPED_FOR_PAIN))
    (stored,) = SessionHistory(tmp_path / "history").store.sessions()
    assert stored.pain_area == "x" * MAX_PAIN_AREA_LENGTH
    assert len(stored.pain_note) == MAX_PAIN_NOTE_LENGTH
    assert "\ud800" not in stored.pain_note


def test_note_pain_says_when_it_could_not_be_saved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    history = SessionHistory(tmp_path / "history")
    recording = SessionFactory(_library, history, now=lambda: NOW).recording(back_routine())
    assert recording.start()
    assert recording.finish(_summary(Outcome.STOPPED_FOR_PAIN))

    def full_disk(store: HistoryStore, record: SessionRecord) -> None:
        raise StoreWriteError(store.folder / "history-2026.json", "No space left on device")

    monkeypatch.setattr(HistoryStore, "finish_session", full_disk)
    recording.note_pain("knee", "")
    assert recording.problem is not None
    assert "No space left on device" in recording.problem
