"""Pinned reps: validation, the JSON file, and what an unusable file turns into."""

from __future__ import annotations

import errno
import json
import logging
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backtimer.core.history.overrides import (
    REPS_FILE_NAME,
    PinError,
    RepsOverrides,
    check_pin,
    counted_exercises,
)
from backtimer.core.routine.loader import parse_routine
from backtimer.core.routine.model import Routine
from backtimer.core.store.atomic_storage import StoreWriteError
from tests.helpers.routines import BACK_ROUTINE

#: The shared routine, with the cat at a fixed count rather than a range.
ROUTINE = BACK_ROUTINE.replace("reps = { min = 3, max = 6 }", "reps = 4")


@pytest.fixture
def routine() -> Routine:
    return parse_routine(ROUTINE)


@pytest.fixture
def store(tmp_path: Path) -> RepsOverrides:
    return RepsOverrides.for_data(tmp_path / "data")


def test_no_file_means_no_pins(store: RepsOverrides) -> None:
    assert store.all_pins() == {}
    assert store.pins("back") == {}
    assert store.problems == []
    assert not store.path.exists()
    assert store.path.name == REPS_FILE_NAME


def test_pin_and_unpin_round_trip(store: RepsOverrides, routine: Routine) -> None:
    store.pin(routine, "bridge", 6)
    store.pin(routine, "cat", 1)
    assert RepsOverrides(store.path).pins("back") == {"bridge": 6, "cat": 1}
    data = json.loads(store.path.read_text(encoding="utf-8"))
    assert data == {"schema_version": 1, "pins": {"back": {"bridge": 6, "cat": 1}}}
    assert store.unpin("back", "bridge") is True
    assert store.unpin("back", "bridge") is False
    assert store.all_pins() == {"back": {"cat": 1}}
    store.unpin("back", "cat")
    assert json.loads(store.path.read_text(encoding="utf-8"))["pins"] == {}


def test_set_pins_changes_several_in_one_write(store: RepsOverrides, routine: Routine) -> None:
    store.pin(routine, "bridge", 6)
    store.set_pins(routine, {"bridge": None, "cat": 3})
    assert store.pins("back") == {"cat": 3}


def test_another_writer_is_not_overwritten(store: RepsOverrides, routine: Routine) -> None:
    """The app and ``backtimer reps`` both change the file: each change re-reads it."""
    other = RepsOverrides(store.path)
    store.pin(routine, "bridge", 6)
    other.pin(routine, "cat", 2)
    assert store.pins("back") == {"bridge": 6, "cat": 2}


@pytest.mark.parametrize(
    ("exercise_id", "reps", "message"),
    [
        ("bridge", 11, "Bridge: 11 reps is above the exercise's range (2–10 reps); pin 1 to 10"),
        ("cat", 5, "Cat: 5 reps is above the exercise's range (4 reps); pin 1 to 4"),
        ("bridge", 0, "Bridge: expected at least 1 rep, found 0"),
        ("bridge", -3, "Bridge: expected at least 1 rep, found -3"),
        ("plank", 3, "Plank (plank) is timed, not counted in reps: there are no reps to pin"),
        ("nope", 3, "routine 'back' has no exercise 'nope'; its exercises with reps: bridge, cat"),
    ],
)
def test_a_pin_outside_1_to_the_top_is_refused_with_a_clear_message(
    store: RepsOverrides, routine: Routine, exercise_id: str, reps: int, message: str
) -> None:
    with pytest.raises(PinError) as caught:
        store.pin(routine, exercise_id, reps)
    assert str(caught.value) == message
    assert not store.path.exists()


def test_nothing_is_written_when_one_pin_of_several_is_refused(
    store: RepsOverrides, routine: Routine
) -> None:
    with pytest.raises(PinError):
        store.set_pins(routine, {"bridge": 3, "cat": 9})
    assert store.all_pins() == {}


@given(st.integers(-5, 20))
def test_check_pin_allows_exactly_1_to_the_top(reps: int) -> None:
    routine = parse_routine(ROUTINE)
    if 1 <= reps <= 10:
        assert check_pin(routine, "bridge", reps).id == "bridge"
    else:
        with pytest.raises(PinError):
            check_pin(routine, "bridge", reps)


def test_counted_exercises(routine: Routine) -> None:
    assert [e.id for e in counted_exercises(routine)] == ["bridge", "cat"]


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b"\xff\xfe",
        b'["a", "list"]',
        b'{"pins": [1]}',
        b'{"schema_version": "1"}',
        # Regression: these gave a traceback (RecursionError, ValueError) from every command.
        b"[" * 100_000,
        b'{"schema_version": 1, "pins": {"back": {"bridge": ' + b"5" * 5000 + b"}}}",
        b'{"schema_version": NaN}',
        b'{"schema_version": 1, "pins": {"back": {"bridge": Infinity}}}',
        b'{"schema_version": 1, "pins": {"back": {"bridge": 1e400}}}',
    ],
    ids=[
        "bad-json",
        "not-utf8",
        "list",
        "pins-list",
        "version-text",
        "deep",
        "digits",
        "nan",
        "infinity",
        "overflow",
    ],
)
def test_an_unreadable_file_is_moved_aside_and_pins_start_afresh(
    store: RepsOverrides,
    routine: Routine,
    content: bytes,
    caplog: pytest.LogCaptureFixture,
) -> None:
    store.path.parent.mkdir(parents=True)
    store.path.write_bytes(content)
    with caplog.at_level(logging.WARNING):
        assert store.pins("back") == {}
    kept = list(store.path.parent.glob("reps.json.unreadable-*"))
    assert len(kept) == 1
    assert kept[0].read_bytes() == content
    assert not store.path.exists()
    [problem] = store.problems
    assert f"cannot read {store.path}" in problem
    assert kept[0].name in problem
    assert "every exercise follows the history again" in problem
    assert "cannot read" in caplog.text
    store.pin(routine, "bridge", 5)
    assert store.pins("back") == {"bridge": 5}
    assert kept[0].read_bytes() == content


def test_bad_values_are_ignored_and_named(store: RepsOverrides) -> None:
    store.path.parent.mkdir(parents=True)
    store.path.write_text(
        json.dumps(
            {
                "schema_version": 1,
                "pins": {"back": {"bridge": "six", "cat": 3, "x": True, "y": 0}, "neck": 5},
            }
        ),
        encoding="utf-8",
    )
    assert store.all_pins() == {"back": {"cat": 3}}
    expected = "expected a whole number of reps from 1 to 10000"
    assert store.problems == [
        f'{store.path}: pins.back.bridge: {expected}, found "six"; ignored',
        f"{store.path}: pins.back.x: {expected}, found true; ignored",
        f"{store.path}: pins.back.y: {expected}, found 0; ignored",
        f"{store.path}: pins.neck: expected an object of exercise ids and reps, found 5; ignored",
    ]


def test_a_fifo_is_set_aside_not_waited_on(store: RepsOverrides, routine: Routine) -> None:
    store.path.parent.mkdir(parents=True)
    os.mkfifo(store.path)
    assert store.pins("back") == {}
    assert "named pipe" in store.problems[0]
    store.pin(routine, "bridge", 5)
    assert store.pins("back") == {"bridge": 5}
    assert len(list(store.path.parent.glob("reps.json.unreadable-*"))) == 1


def test_ids_no_file_can_hold_are_ignored_and_pinning_still_works(
    store: RepsOverrides, routine: Routine
) -> None:
    """Regression: a "\\ud800" id read back made every later pin raise UnicodeEncodeError."""
    store.path.parent.mkdir(parents=True)
    store.path.write_bytes(b'{"pins": {"\\ud800": {"a": 2}, "back": {"x\\udfff": 3, "cat": 4}}}')
    assert store.all_pins() == {"back": {"cat": 4}}
    assert len(store.problems) == 2
    store.pin(routine, "bridge", 5)
    assert RepsOverrides(store.path).all_pins() == {"back": {"bridge": 5, "cat": 4}}


def test_a_pin_beyond_any_count_is_ignored(store: RepsOverrides) -> None:
    store.path.parent.mkdir(parents=True)
    store.path.write_text('{"pins": {"back": {"bridge": 10001, "cat": 10000}}}', encoding="utf-8")
    assert store.all_pins() == {"back": {"cat": 10000}}
    assert (
        "pins.back.bridge: expected a whole number of reps from 1 to 10000, found 10001"
        in (store.problems[0])
    )


def test_a_file_from_a_newer_version_is_left_alone(store: RepsOverrides, routine: Routine) -> None:
    store.path.parent.mkdir(parents=True)
    text = '{"schema_version": 2, "pins": {"back": {"bridge": 6}}}'
    store.path.write_text(text, encoding="utf-8")
    assert store.pins("back") == {}
    assert "newer backtimer" in store.problems[0]
    with pytest.raises(StoreWriteError, match="newer backtimer"):
        store.pin(routine, "bridge", 3)
    assert store.path.read_text(encoding="utf-8") == text


def no_space(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_a_failed_write_keeps_the_old_file(
    store: RepsOverrides, routine: Routine, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.pin(routine, "bridge", 6)
    before = store.path.read_bytes()
    monkeypatch.setattr("os.replace", no_space)
    with pytest.raises(StoreWriteError) as caught:
        store.pin(routine, "bridge", 7)
    monkeypatch.undo()
    assert caught.value.errno == errno.ENOSPC
    assert store.path.read_bytes() == before
    # No temporary left behind (the lock file stays: it is never deleted).
    assert sorted(p.name for p in store.path.parent.iterdir()) == [
        REPS_FILE_NAME,
        REPS_FILE_NAME + ".lock",
    ]
