"""Tests for the routine loader: every bad file gives a RoutineFileError that names the key
path, the line and what is wrong; the built-in routines load; KeyLines finds key lines."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backtimer.core.paths import builtin_routines_dir
from backtimer.core.routine.loader import (
    MAX_FILE_BYTES,
    RoutineError,
    RoutineFileError,
    load_routine,
)
from backtimer.core.routine.model import Kind, Range
from backtimer.core.routine.toml_lines import KeyLines

SOURCE_PATTERN = re.compile(r"^(default|\d{3}_[0-9a-f]{16}\.txt)$")
BUILTIN_ROUTINES = ("warm-up.toml", "desk-break.toml", "stretch-and-strengthen.toml")

HEAD_FIELDS: dict[str, str] = {
    "schema_version": "1",
    "id": '"test-routine"',
    "title": '"Test routine"',
    "summary": '"A routine for the tests."',
    "category": '"warm-up"',
}
EXERCISE_FIELDS: dict[str, str] = {
    "id": '"shoulder-rolls"',
    "name": '"Shoulder rolls"',
    "kind": '"timed"',
    "duration": "30",
    "steps": '["Roll your shoulders slowly."]',
    "source": '"000_2302a54ddb9289f5.txt"',
}


# --- helpers ------------------------------------------------------------------------------


def _lines(fields: dict[str, str], changes: dict[str, str | None]) -> list[str]:
    """``key = value`` lines: ``changes`` replaces values, adds keys, or drops keys (None)."""
    merged: dict[str, str | None] = {**fields, **changes}
    return [f"{key} = {value}" for key, value in merged.items() if value is not None]


def head(**changes: str | None) -> str:
    """The routine-level keys of a valid routine, with ``changes``."""
    return "\n".join(_lines(HEAD_FIELDS, changes)) + "\n"


def exercise(ex_id: str = "shoulder-rolls", /, **changes: str | None) -> str:
    """One valid ``[[exercises]]`` block with id ``ex_id``, with ``changes``."""
    lines = _lines(EXERCISE_FIELDS, {"id": f'"{ex_id}"', **changes})
    return "\n[[exercises]]\n" + "\n".join(lines) + "\n"


def write(tmp_path: Path, text: str, name: str = "routine.toml") -> Path:
    """Write TOML ``text`` into ``tmp_path`` and return the file's path."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def line_with(text: str, needle: str, occurrence: int = 0) -> int:
    """1-based number of the line of ``text`` that contains ``needle`` (the nth such line)."""
    numbers = [n for n, line in enumerate(text.split("\n"), start=1) if needle in line]
    assert len(numbers) > occurrence, f"{needle!r} occurs {len(numbers)} time(s)"
    return numbers[occurrence]


def errors_of(path: Path) -> list[RoutineError]:
    """The problems load_routine reports; fails if it raises anything but RoutineFileError."""
    with pytest.raises(RoutineFileError) as info:
        load_routine(path)
    assert info.value.errors, "a RoutineFileError must hold at least one problem"
    return info.value.errors


def only_error(path: Path) -> RoutineError:
    errors = errors_of(path)
    assert len(errors) == 1, "\n".join(str(e) for e in errors)
    return errors[0]


def error_at(errors: list[RoutineError], key_path: str) -> RoutineError:
    found = [e for e in errors if e.path == key_path]
    assert len(found) == 1, f"no single error at {key_path}: " + "; ".join(map(str, errors))
    return found[0]


# --- valid files --------------------------------------------------------------------------


def test_valid_routine_loads(tmp_path: Path) -> None:
    text = head() + exercise(
        "bridge", kind='"hold_reps"', duration=None, reps="{ min = 2, max = 10 }", hold="5"
    )
    routine = load_routine(write(tmp_path, text))
    bridge = routine.exercise("bridge")
    assert routine.title == "Test routine"
    assert bridge.kind is Kind.HOLD_REPS
    assert bridge.reps == Range(min=2, max=10)
    assert bridge.rep_count == 2
    assert bridge.hold_seconds == 5


def test_error_prints_as_file_line_path_message(tmp_path: Path) -> None:
    text = head() + exercise(sets="0")
    path = write(tmp_path, text)
    error = only_error(path)
    line = line_with(text, "sets = 0")
    assert str(error) == f"{path}:{line}: exercises[0].sets: expected at least 1, found 0"
    assert error.file == str(path)


# --- syntax and types ---------------------------------------------------------------------


def test_malformed_toml_reports_the_line_of_the_toml_error(tmp_path: Path) -> None:
    text = head() + exercise() + "broken = \n"
    error = only_error(write(tmp_path, text))
    assert error.path == "(toml)"
    assert error.line == line_with(text, "broken =")
    assert "Invalid value" in error.message
    assert "(column " in error.message
    assert "at line" not in error.message


def test_toml_duplicate_key_is_a_syntax_error_at_its_line(tmp_path: Path) -> None:
    text = head() + exercise() + 'name = "Again"\n'
    error = only_error(write(tmp_path, text))
    assert error.path == "(toml)"
    assert error.line == line_with(text, 'name = "Again"')
    assert "Cannot overwrite a value" in error.message


@pytest.mark.parametrize(
    ("text", "needle", "key_path", "message"),
    [
        pytest.param(
            head() + exercise(duration='"30"'),
            'duration = "30"',
            "exercises[0].duration",
            'expected a number or a table like { min = 2, max = 10 }, found "30"',
            id="string-for-number",
        ),
        pytest.param(
            head() + exercise(sets="true"),
            "sets = true",
            "exercises[0].sets",
            "expected a whole number, found true",
            id="true-for-sets",
        ),
        pytest.param(
            head(title="5") + exercise(),
            "title = 5",
            "title",
            "expected text in quotes, found 5",
            id="number-for-title",
        ),
        pytest.param(
            head() + exercise(kind='"reps"', duration=None, reps="2.5"),
            "reps = 2.5",
            "exercises[0].reps",
            "expected whole numbers, found 2.5",
            id="fraction-for-reps",
        ),
        pytest.param(
            head() + exercise(rest_between_sets='"30"'),
            'rest_between_sets = "30"',
            "exercises[0].rest_between_sets",
            'found "30"',
            id="string-for-rest",
        ),
        pytest.param(
            head(category='"yoga"') + exercise(),
            'category = "yoga"',
            "category",
            "expected one of 'warm-up', 'strength'",
            id="unknown-category",
        ),
        pytest.param(
            head(equipment='["mat", "rope"]') + exercise(),
            "equipment = ",
            "equipment[1]",
            "'pull-up bar'",
            id="unknown-equipment",
        ),
        pytest.param(
            head(id='"Back Care"') + exercise(),
            'id = "Back Care"',
            "id",
            "expected lowercase letters, digits and dashes (like 'knees-to-chest'), "
            'found "Back Care"',
            id="id-not-a-slug",
        ),
        pytest.param(
            head() + exercise(breathing='"fast"'),
            'breathing = "fast"',
            "exercises[0].breathing",
            'expected "natural" or a table like',
            id="bad-breathing",
        ),
        pytest.param(
            head() + exercise(steps="[]"),
            "steps = []",
            "exercises[0].steps",
            "expected at least 1 item(s), found 0",
            id="no-steps",
        ),
        pytest.param(
            head() + "exercises = 5\n",
            "exercises = 5",
            "exercises",
            "expected a list, found 5",
            id="exercises-not-a-list",
        ),
    ],
)
def test_wrong_types(tmp_path: Path, text: str, needle: str, key_path: str, message: str) -> None:
    error = only_error(write(tmp_path, text))
    assert error.path == key_path
    assert error.line == line_with(text, needle)
    assert message in error.message


# --- number ranges ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "needle", "key_paths", "found"),
    [
        pytest.param(
            {"duration": "0"},
            "duration = 0",
            {"exercises[0].duration"},
            "found 0",
            id="zero-duration",
        ),
        pytest.param(
            {"duration": "-5"},
            "duration = -5",
            {"exercises[0].duration"},
            "found -5",
            id="negative-duration",
        ),
        pytest.param(
            {"kind": '"hold_reps"', "duration": None, "reps": "5", "hold": "0"},
            "hold = 0",
            {"exercises[0].hold"},
            "found 0",
            id="zero-hold",
        ),
        pytest.param(
            {"kind": '"hold_reps"', "duration": None, "reps": "5", "hold": "-3"},
            "hold = -3",
            {"exercises[0].hold"},
            "found -3",
            id="negative-hold",
        ),
        pytest.param(
            {"kind": '"hold_reps"', "duration": None, "reps": "5", "hold": "{ min = -1, max = 5 }"},
            "hold = {",
            {"exercises[0].hold.min"},
            "found -1",
            id="negative-hold-range-min",
        ),
    ],
)
def test_zero_and_negative_durations_and_holds(
    tmp_path: Path, changes: dict[str, str | None], needle: str, key_paths: set[str], found: str
) -> None:
    text = head() + exercise(**changes)
    errors = errors_of(write(tmp_path, text))
    assert {e.path for e in errors} == key_paths
    for error in errors:
        assert error.line == line_with(text, needle)
        assert "expected more than 0" in error.message
        assert found in error.message


def test_zero_breath_is_an_error_in_seconds(tmp_path: Path) -> None:
    text = head() + exercise(breathing="{ inhale = 0, exhale = 3 }")
    error = only_error(write(tmp_path, text))
    assert error.path == "exercises[0].breathing.inhale"
    assert error.line == line_with(text, "breathing = ")
    assert error.message == "expected at least 0.5 seconds, found 0"


def test_absurd_ten_hour_hold(tmp_path: Path) -> None:
    text = head() + exercise(kind='"hold_reps"', duration=None, reps="5", hold="36000")
    error = only_error(write(tmp_path, text))
    assert error.path == "exercises[0].hold"
    assert error.line == line_with(text, "hold = 36000")
    assert error.message == "expected at most 600 seconds, found 36000"


def test_absurd_reps(tmp_path: Path) -> None:
    text = head() + exercise(kind='"reps"', duration=None, reps="{ min = 2, max = 1000 }")
    error = only_error(write(tmp_path, text))
    assert error.path == "exercises[0].reps"
    assert error.line == line_with(text, "reps = ")
    assert error.message == "expected at most 100, found 1000"


def test_reps_min_greater_than_max(tmp_path: Path) -> None:
    text = head() + exercise(kind='"reps"', duration=None, reps="{ min = 10, max = 2 }")
    error = only_error(write(tmp_path, text))
    assert error.path == "exercises[0].reps"
    assert error.line == line_with(text, "reps = ")
    assert error.message == "expected min <= max, found min = 10 > max = 2"


# --- missing and unknown keys -------------------------------------------------------------


def test_missing_key_at_routine_level(tmp_path: Path) -> None:
    text = head(summary=None) + exercise()
    error = only_error(write(tmp_path, text))
    assert error.path == "summary"
    # A missing top-level key has no line of its own: the loader points at the top.
    assert error.line == 1
    assert error.message == "required key is missing"


def test_missing_exercises_at_routine_level(tmp_path: Path) -> None:
    error = only_error(write(tmp_path, head()))
    assert error.path == "exercises"
    assert error.line == 1
    assert error.message == "required key is missing"


def test_missing_key_in_exercise_points_at_its_header(tmp_path: Path) -> None:
    text = head() + exercise("first") + exercise("second", name=None)
    error = only_error(write(tmp_path, text))
    assert error.path == "exercises[1].name"
    assert error.line == line_with(text, "[[exercises]]", occurrence=1)
    assert error.message == "required key is missing"


def test_unknown_key_suggests_the_close_one(tmp_path: Path) -> None:
    text = head() + exercise(source=None, sorce='"default"')
    errors = errors_of(write(tmp_path, text))
    assert len(errors) == 2
    unknown = error_at(errors, "exercises[0].sorce")
    assert unknown.line == line_with(text, "sorce = ")
    assert unknown.message == "unknown key 'sorce'; did you mean 'source'?"
    missing = error_at(errors, "exercises[0].source")
    assert missing.line == line_with(text, "[[exercises]]")
    assert missing.message == "required key is missing"


def test_unknown_routine_key_suggests_the_close_one(tmp_path: Path) -> None:
    text = head(titel='"Typo"') + exercise()
    error = only_error(write(tmp_path, text))
    assert error.path == "titel"
    assert error.line == line_with(text, "titel = ")
    assert error.message == "unknown key 'titel'; did you mean 'title'?"


def test_unknown_key_in_inline_table_suggests_the_close_one(tmp_path: Path) -> None:
    text = head() + exercise(breathing="{ inhale = 2, exale = 3 }")
    errors = errors_of(write(tmp_path, text))
    unknown = error_at(errors, "exercises[0].breathing.exale")
    assert unknown.line == line_with(text, "breathing = ")
    assert unknown.message == "unknown key 'exale'; did you mean 'exhale'?"
    assert error_at(errors, "exercises[0].breathing.exhale").line == unknown.line


def test_unknown_key_without_a_close_match_lists_the_known_keys(tmp_path: Path) -> None:
    text = head() + exercise() + '\n[exercises.cues]\nshout = "Go!"\n'
    error = only_error(write(tmp_path, text))
    assert error.path == "exercises[0].cues.shout"
    assert error.line == line_with(text, "shout = ")
    assert error.message == (
        "unknown key 'shout'; expected one of: announce, inhale, hold, exhale, switch_side, "
        "start, halfway"
    )


def test_duplicate_exercise_ids(tmp_path: Path) -> None:
    text = head() + exercise("neck-tilts") + exercise("bridge") + exercise("neck-tilts")
    error = only_error(write(tmp_path, text))
    assert error.path == "exercises[2].id"
    assert error.line == line_with(text, 'id = "neck-tilts"', occurrence=1)
    assert error.message == "duplicate exercise id 'neck-tilts', already used by exercises[0]"


def test_duplicate_exercise_ids_are_reported_beside_other_errors(tmp_path: Path) -> None:
    text = head() + exercise("bridge", sets="0") + exercise("bridge")
    errors = errors_of(write(tmp_path, text))
    assert [e.path for e in errors] == ["exercises[0].sets", "exercises[1].id"]
    assert errors[1].line == line_with(text, 'id = "bridge"', occurrence=1)
    assert "duplicate exercise id 'bridge'" in errors[1].message


# --- kind and fields ----------------------------------------------------------------------


def test_timed_without_duration(tmp_path: Path) -> None:
    text = head() + exercise(duration=None)
    error = only_error(write(tmp_path, text))
    assert error.path == "exercises[0].duration"
    assert error.line == line_with(text, "[[exercises]]")
    assert error.message == "required for kind 'timed', but missing"


def test_reps_with_a_hold(tmp_path: Path) -> None:
    text = head() + exercise(kind='"reps"', duration=None, reps="10", hold="5")
    error = only_error(write(tmp_path, text))
    assert error.path == "exercises[0].hold"
    assert error.line == line_with(text, "hold = 5")
    assert error.message == "not used by kind 'reps'; remove it or change the kind"


def test_hold_reps_without_a_hold(tmp_path: Path) -> None:
    text = head() + exercise(kind='"hold_reps"', duration=None, reps="10")
    error = only_error(write(tmp_path, text))
    assert error.path == "exercises[0].hold"
    assert error.line == line_with(text, "[[exercises]]")
    assert error.message == "required for kind 'hold_reps', but missing"


# --- schema_version -----------------------------------------------------------------------


def test_schema_version_2(tmp_path: Path) -> None:
    text = "# a routine from the future\n" + head(schema_version="2") + exercise()
    error = only_error(write(tmp_path, text))
    assert error.path == "schema_version"
    assert error.line == 2
    assert error.message == "expected 1, found 2; this backtimer reads schema_version 1"


def test_missing_schema_version(tmp_path: Path) -> None:
    text = head(schema_version=None) + exercise()
    error = only_error(write(tmp_path, text))
    assert error.path == "schema_version"
    assert error.line == 1
    assert error.message == "required key is missing; expected schema_version = 1"


def test_schema_version_true_is_not_1(tmp_path: Path) -> None:
    text = head(schema_version="true") + exercise()
    error = only_error(write(tmp_path, text))
    assert error.path == "schema_version"
    assert error.line == 1
    assert "found true" in error.message


# --- several errors -----------------------------------------------------------------------


def test_several_errors_are_all_reported_in_line_order(tmp_path: Path) -> None:
    text = (
        head(title="5")
        + exercise("first", duration="0", sets="true")
        + exercise("second", kind='"jump"')
        + exercise("first", sorce='"default"')
    )
    errors = errors_of(write(tmp_path, text))
    got = [(e.path, e.line) for e in errors]
    assert got == [
        ("title", line_with(text, "title = 5")),
        ("exercises[0].duration", line_with(text, "duration = 0")),
        ("exercises[0].sets", line_with(text, "sets = true")),
        ("exercises[1].kind", line_with(text, 'kind = "jump"')),
        ("exercises[2].id", line_with(text, 'id = "first"', occurrence=1)),
        ("exercises[2].sorce", line_with(text, "sorce = ")),
    ]
    assert len(errors) == 6
    assert "expected one of 'timed', 'reps' or 'hold_reps', found \"jump\"" in errors[3].message
    assert len(str(RoutineFileError(errors)).splitlines()) == 6


# --- files that are not routines ----------------------------------------------------------


def test_non_utf8_file_reports_the_line_of_the_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(head().encode() + b'# caf\xe9\nname = "x"\n')
    error = only_error(path)
    assert error.path == "(file)"
    assert error.line == 6
    assert "expected UTF-8 text, found byte 0xe9" in error.message


def test_empty_file(tmp_path: Path) -> None:
    error = only_error(write(tmp_path, ""))
    assert error.path == "(file)"
    assert error.line is None
    assert error.message.startswith("file is empty")


def test_whitespace_only_file(tmp_path: Path) -> None:
    error = only_error(write(tmp_path, "  \n\t\n\r\n   \n"))
    assert error.path == "(file)"
    assert error.line is None
    assert error.message.startswith("file is empty")


def test_directory(tmp_path: Path) -> None:
    folder = tmp_path / "routine.toml"
    folder.mkdir()
    error = only_error(folder)
    assert error.path == "(file)"
    assert error.line is None
    assert error.message == "expected a routine file, found a directory"


@pytest.mark.timeout(30)
def test_a_named_pipe_is_refused_not_waited_on(tmp_path: Path) -> None:
    path = tmp_path / "pipe.toml"
    os.mkfifo(path)
    error = only_error(path)
    assert (error.file, error.path, error.line) == (str(path), "(file)", None)
    assert error.message == "expected a regular file, found a named pipe (FIFO)"


@pytest.mark.timeout(30)
@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_link_to_an_endless_device_is_refused_not_read(tmp_path: Path) -> None:
    path = tmp_path / "zero.toml"
    path.symlink_to("/dev/zero")
    error = only_error(path)
    assert (error.file, error.path) == (str(path), "(file)")
    assert error.message == "expected a regular file, found a character device"


def test_file_of_several_megabytes(tmp_path: Path) -> None:
    path = tmp_path / "huge.toml"
    path.write_bytes(head().encode() + b"#" * (3 * MAX_FILE_BYTES))
    error = only_error(path)
    assert error.path == "(file)"
    assert error.line is None
    assert error.message == "expected a routine file under 1 MiB, found 3.0 MiB"


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.toml"
    error = only_error(path)
    assert error.path == "(file)"
    assert error.line is None
    assert error.message == "no such file"
    assert str(error) == f"{path}: (file): no such file"


# --- edge cases of the file itself ----------------------------------------------------------


def test_deeply_nested_array_is_a_routine_error(tmp_path: Path) -> None:
    depth = 50_000
    text = head() + "deep = " + "[" * depth + "]" * depth + "\n" + exercise()
    errors = errors_of(write(tmp_path, text))
    assert [e.path for e in errors] == ["(toml)"]
    assert "nested too deeply" in errors[0].message


def test_file_with_byte_order_mark_loads(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + (head() + exercise()).encode())
    assert load_routine(path).id == "test-routine"


# --- the routines that ship with backtimer ------------------------------------------------


@pytest.mark.parametrize("name", BUILTIN_ROUTINES)
def test_builtin_routine_loads_with_seed_sources(name: str) -> None:
    path = builtin_routines_dir() / name
    routine = load_routine(path)
    assert routine.id == path.stem
    assert routine.exercises
    for ex in routine.exercises:
        assert SOURCE_PATTERN.match(ex.source), f"{ex.id}: source {ex.source!r}"
        assert 3 <= len(ex.steps) <= 6, f"{ex.id}: {len(ex.steps)} steps"


# --- KeyLines -----------------------------------------------------------------------------


def test_key_lines_index_arrays_of_tables() -> None:
    text = head() + exercise("a") + exercise("b") + exercise("c")
    lines = KeyLines(text)
    assert lines.line_of(("schema_version",)) == 1
    assert lines.line_of(("exercises", 0)) == line_with(text, "[[exercises]]", 0)
    assert lines.line_of(("exercises", 2)) == line_with(text, "[[exercises]]", 2)
    assert lines.line_of(("exercises", 1, "id")) == line_with(text, 'id = "b"')
    assert lines.line_of(("exercises", 2, "duration")) == line_with(text, "duration = 30", 2)


def test_key_lines_unknown_paths_fall_back_to_the_parent_or_none() -> None:
    text = head() + exercise("a")
    lines = KeyLines(text)
    assert lines.line_of(("exercises", 0, "hold")) == line_with(text, "[[exercises]]")
    assert lines.line_of(("exercises", 0, "steps", 0)) == line_with(text, "steps = ")
    assert lines.line_of(("nothing",)) is None
    assert lines.line_of(()) is None


def test_key_lines_dotted_keys() -> None:
    text = (
        'a.b = 1\nquoted."x.y".z = 2\n\n[[exercises]]\nid = "e"\n'
        "breathing . inhale = 3\nbreathing.exhale = 4\n"
    )
    lines = KeyLines(text)
    assert lines.line_of(("a", "b")) == 1
    assert lines.line_of(("quoted", "x.y", "z")) == 2
    assert lines.line_of(("exercises", 0, "breathing", "inhale")) == 6
    assert lines.line_of(("exercises", 0, "breathing", "exhale")) == 7


def test_key_lines_inline_tables_resolve_to_their_key() -> None:
    text = '[[exercises]]\nid = "e"\nbreathing = { inhale = 3, hold = 1, exhale = 4 }\nsets = 2\n'
    lines = KeyLines(text)
    assert lines.line_of(("exercises", 0, "breathing")) == 3
    assert lines.line_of(("exercises", 0, "breathing", "exhale")) == 3
    assert lines.line_of(("exercises", 0, "sets")) == 4


def test_key_lines_multiline_arrays_do_not_confuse_later_lines() -> None:
    text = (
        "[[exercises]]\n"
        "steps = [\n"
        '    "Lie down ] on a mat.",\n'
        "    # a comment with a bracket ]\n"
        '    "Don\'t rush {",\n'
        "]\n"
        "grid = [\n"
        "    [1],\n"
        "    [2],\n"
        "]\n"
        'source = "default"\n'
    )
    lines = KeyLines(text)
    assert lines.line_of(("exercises", 0, "steps", 2)) == 2
    assert lines.line_of(("exercises", 0, "grid", 1)) == 7
    assert lines.line_of(("exercises", 0, "source")) == 11
    assert lines.line_of(("1",)) is None


def test_key_lines_multiline_strings_are_skipped() -> None:
    text = '[[exercises]]\nname = """\nid = "inside the string"\n"""\nid = "real"\n'
    lines = KeyLines(text)
    assert lines.line_of(("exercises", 0, "name")) == 2
    assert lines.line_of(("exercises", 0, "id")) == 5


def test_key_lines_nested_tables_go_under_the_current_element() -> None:
    text = (
        head()
        + exercise("a")
        + exercise("b")
        + '\n[exercises.cues]\nannounce = "Now b"\n'
        + exercise("c")
        + '\n[exercises.cues]\nswitch_side = "Other side"\n'
    )
    lines = KeyLines(text)
    assert lines.line_of(("exercises", 0, "cues")) == line_with(text, "[[exercises]]", 0)
    assert lines.line_of(("exercises", 1, "cues")) == line_with(text, "[exercises.cues]", 0)
    assert lines.line_of(("exercises", 1, "cues", "announce")) == line_with(text, "announce = ")
    assert lines.line_of(("exercises", 2, "cues", "switch_side")) == line_with(
        text, "switch_side = "
    )


def test_key_lines_nested_arrays_of_tables_restart_per_element() -> None:
    text = "[[a]]\n[[a.b]]\n[[a.b]]\n[[a]]\n[[a.b]]\nx = 1\n"
    lines = KeyLines(text)
    assert lines.line_of(("a", 0, "b", 1)) == 3
    assert lines.line_of(("a", 1)) == 4
    assert lines.line_of(("a", 1, "b", 0)) == 5
    assert lines.line_of(("a", 1, "b", 0, "x")) == 6


def test_key_lines_crlf_line_endings() -> None:
    text = head().replace("\n", "\r\n") + exercise("a").replace("\n", "\r\n")
    lines = KeyLines(text)
    assert lines.line_of(("exercises", 0, "kind")) == line_with(text, "kind = ")


def test_key_lines_dotted_key_prefix_has_a_line() -> None:
    lines = KeyLines('[[exercises]]\nid = "e"\nbreathing.inhale = 3\n')
    assert lines.line_of(("exercises", 0, "breathing", "exhale")) == 3


def test_key_lines_line_separator_inside_a_string() -> None:
    text = '[[exercises]]\nsteps = ["Lie\u2028down."]\nsets = 0\n'
    assert KeyLines(text).line_of(("exercises", 0, "sets")) == 3


def problems_of(path: Path) -> list[RoutineError]:
    """The problems of the file at ``path`` (none when it loads); nothing else may escape."""
    try:
        load_routine(path)
    except RoutineFileError as error:
        return error.errors
    return []


@settings(deadline=None)  # examples from the profile: 30 quick, 200 in CI
@given(data=st.binary(max_size=2048) | st.text(max_size=2048).map(str.encode))
def test_any_bytes_give_a_routine_or_problems_naming_the_file(
    tmp_path_factory: pytest.TempPathFactory, data: bytes
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "any.toml"
    path.write_bytes(data)
    problems = problems_of(path)
    assert all(problem.file == str(path) for problem in problems)


def _toml_float(number: float) -> str:
    return "nan" if number != number else repr(number)


#: TOML values of every kind, some out of any range, nested in arrays.
TOML_VALUES = st.recursive(
    st.sampled_from(["true", "false", '""', "{}", "1979-05-27T07:32:00Z"])
    | st.integers(min_value=-(2**63), max_value=2**63 - 1).map(str)
    | st.floats().map(_toml_float)
    | st.text(max_size=20).map(lambda t: '"' + t.replace("\\", "").replace('"', "") + '"'),
    lambda inner: st.lists(inner, max_size=4).map(lambda items: "[" + ", ".join(items) + "]"),
    max_leaves=10,
)


@settings(max_examples=100, deadline=None)
@given(
    values=st.dictionaries(
        st.sampled_from(
            ["schema_version", "id", "title", "summary", "category", "equipment", "extra"]
        ),
        TOML_VALUES,
        max_size=7,
    ),
    exercise=st.dictionaries(
        st.sampled_from(["id", "name", "kind", "reps", "hold", "duration", "sets", "steps"]),
        TOML_VALUES,
        max_size=8,
    ),
)
def test_any_values_give_a_routine_or_problems_naming_the_file(
    tmp_path_factory: pytest.TempPathFactory, values: dict[str, str], exercise: dict[str, str]
) -> None:
    text = "".join(f"{key} = {value}\n" for key, value in values.items())
    text += "[[exercises]]\n" + "".join(f"{key} = {value}\n" for key, value in exercise.items())
    path = tmp_path_factory.mktemp("fuzz") / "keys.toml"
    path.write_text(text, encoding="utf-8")
    problems = problems_of(path)
    assert all(problem.file == str(path) for problem in problems)
