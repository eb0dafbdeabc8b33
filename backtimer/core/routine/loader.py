"""Read routine files and explain every problem in them.

:func:`load_routine` returns a :class:`~backtimer.core.routine.model.Routine` or raises
:class:`RoutineFileError` holding *all* the problems of the file. Each problem names the
file, the line, the key path, what was expected and what was found, and prints as
``FILE:LINE: key.path: message``. Nothing here raises anything else for bad input.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from backtimer.core.routine.model import (
    SCHEMA_VERSION,
    Breathing,
    Cues,
    Exercise,
    Range,
    Routine,
)
from backtimer.core.routine.toml_lines import KeyLines
from backtimer.core.store.user_files import FileTooLargeError, NotRegularFileError, read_user_file

#: A routine file is a few kilobytes; anything this big is not one.
MAX_FILE_BYTES: Final = 1024 * 1024

_SECONDS_KEYS: Final = frozenset(
    {"duration", "hold", "rest_between_sets", "rest_between_exercises", "inhale", "exhale"}
)
_MODEL_AT_KEY: Final[dict[str, type[BaseModel]]] = {
    "breathing": Breathing,
    "cues": Cues,
    "reps": Range,
    "hold": Range,
    "duration": Range,
}
_SYNTAX_LOCATION = re.compile(r"\s*\(at line (\d+), column (\d+)\)")


@dataclass(frozen=True, slots=True)
class RoutineError:
    """One problem in a routine file."""

    file: str
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {self.path}: {self.message}"


class RoutineFileError(Exception):
    """A routine file that cannot be used, with every problem found in it."""

    def __init__(self, errors: Sequence[RoutineError]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(str(error) for error in self.errors))


def format_path(loc: Sequence[str | int]) -> str:
    """``("exercises", 2, "hold")`` → ``"exercises[2].hold"``; the root is ``"(routine)"``."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "(routine)"


def _found(value: Any) -> str:
    """How a value looks in TOML, for 'found …' in messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f'"{shown}"'
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return f"a list of {len(value)}"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _model_at(loc: Sequence[str | int]) -> type[BaseModel]:
    """The model that validates the table at ``loc``, to suggest its keys."""
    if not loc:
        return Routine
    last = loc[-1]
    if isinstance(last, int):
        return Exercise
    return _MODEL_AT_KEY.get(last, Routine)


def _unit(loc: Sequence[str | int]) -> str:
    names = [part for part in loc if isinstance(part, str) and part not in ("min", "max")]
    return " seconds" if names and names[-1] in _SECONDS_KEYS else ""


def _describe(error: ErrorDetails) -> tuple[tuple[str | int, ...], str]:
    """Turn one pydantic error into a key path and a plain-words message."""
    loc = tuple(error["loc"])
    kind = error["type"]
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    value = error.get("input")
    found = _found(value)
    unit = _unit(loc)
    if kind == "missing":
        return loc, "required key is missing"
    if kind == "extra_forbidden":
        key = str(loc[-1])
        known = list(_model_at(loc[:-1]).model_fields)
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
        hint = (
            f"; did you mean '{close[0]}'?" if close else f"; expected one of: {', '.join(known)}"
        )
        return loc, f"unknown key '{key}'{hint}"
    if kind in ("kind_needs_field", "kind_forbids_field"):
        message = error["msg"]
        return (*loc, ctx["field"]), message
    if kind == "duplicate_exercise_id":
        return (*loc, "exercises", ctx["index"], "id"), error["msg"]
    messages = {
        "int_type": f"expected a whole number, found {found}",
        "float_type": f"expected a number{' of' if unit else ''}{unit}, found {found}",
        "string_type": f"expected text in quotes, found {found}",
        "list_type": f"expected a list, found {found}",
        "model_type": f"expected a table, found {found}",
        "dict_type": f"expected a table, found {found}",
        "model_attributes_type": f"expected a table, found {found}",
        "literal_error": f"expected {ctx.get('expected', '')}, found {found}",
        "enum": f"expected one of {ctx.get('expected', '')}, found {found}",
        "greater_than": f"expected more than {ctx.get('gt')}{unit}, found {found}",
        "greater_than_equal": f"expected at least {ctx.get('ge')}{unit}, found {found}",
        "less_than": f"expected less than {ctx.get('lt')}{unit}, found {found}",
        "less_than_equal": f"expected at most {ctx.get('le')}{unit}, found {found}",
        "string_too_short": "expected text, found an empty string",
        "string_too_long": f"expected at most {ctx.get('max_length')} characters, found "
        f"{len(value) if isinstance(value, str) else found}",
        "too_short": f"expected at least {ctx.get('min_length')} item(s), found "
        f"{ctx.get('actual_length')}",
        "too_long": f"expected at most {ctx.get('max_length')} items, found "
        f"{ctx.get('actual_length')}",
        "string_pattern_mismatch": (
            f"expected lowercase letters, digits and dashes (like 'knees-to-chest'), found {found}"
        ),
    }
    if kind in messages:
        return loc, messages[kind]
    message = str(error["msg"]).removeprefix("Value error, ")
    if "found" not in message:
        message = f"{message}, found {found}"
    if unit and ("at most" in message or "more than" in message):
        message = message.replace(", found", f"{unit}, found", 1)
    return loc, message


def _duplicate_ids(data: dict[str, Any]) -> Iterable[tuple[tuple[str | int, ...], str]]:
    """Duplicate exercise ids, found on the raw data so they show even beside other errors."""
    exercises = data.get("exercises")
    if not isinstance(exercises, list):
        return
    first: dict[str, int] = {}
    for index, exercise in enumerate(exercises):
        ex_id = exercise.get("id") if isinstance(exercise, dict) else None
        if not isinstance(ex_id, str):
            continue
        if ex_id in first:
            yield (
                ("exercises", index, "id"),
                f"duplicate exercise id '{ex_id}', already used by exercises[{first[ex_id]}]",
            )
        else:
            first[ex_id] = index


def _size_of(path: Path, error: FileTooLargeError) -> str:
    """How big a file over the limit is, for the message (what the error said, if unknown)."""
    try:
        size = path.stat().st_size
    except OSError:
        return error.reason
    return f"{size / 1024 / 1024:.1f} MiB" if size > MAX_FILE_BYTES else "more"


def _read_text(path: Path) -> str:
    """The file's text, or a RoutineFileError that says why it cannot be read."""
    name = str(path)

    def fail(message: str, line: int | None = None) -> RoutineFileError:
        return RoutineFileError([RoutineError(name, line, "(file)", message)])

    if path.is_dir():
        raise fail("expected a routine file, found a directory")
    try:
        # Bounded, and never blocked: a FIFO or a link to /dev/zero is refused, not read.
        data = read_user_file(path, MAX_FILE_BYTES)
    except FileNotFoundError:
        raise fail("no such file") from None
    except FileTooLargeError as error:
        raise fail(f"expected a routine file under 1 MiB, found {_size_of(path, error)}") from None
    except NotRegularFileError as error:
        raise fail(error.reason) from None
    except PermissionError:
        raise fail("permission denied: cannot read this file") from None
    except OSError as error:
        raise fail(f"cannot read this file: {error.strerror or error}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise fail(
            f"expected UTF-8 text, found byte 0x{data[error.start]:02x} that is not UTF-8; "
            "save the file as UTF-8",
            line,
        ) from None
    text = text.removeprefix("\ufeff")  # a byte-order mark some editors add
    if not text.strip():
        raise fail("file is empty; expected a routine starting with schema_version = 1")
    return text


def parse_routine(text: str, file: str = "<routine>") -> Routine:
    """Validate routine TOML ``text``; ``file`` names it in messages."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        line = None
        if match := _SYNTAX_LOCATION.search(message):
            line = int(match.group(1))
            message = f"{message[: match.start()]} (column {match.group(2)})"
        if line is None and message.endswith("(at end of document)"):
            line = text.count("\n") + 1
            message = message.removesuffix(" (at end of document)") + " at the end of the file"
        raise RoutineFileError([RoutineError(file, line, "(toml)", message)]) from None
    except RecursionError:
        message = "expected a routine, found values nested too deeply"
        raise RoutineFileError([RoutineError(file, None, "(toml)", message)]) from None
    lines = KeyLines(text)

    version = data.get("schema_version")
    if type(version) is not int or version != SCHEMA_VERSION:
        message = (
            "required key is missing; expected schema_version = 1"
            if version is None
            else f"expected 1, found {_found(version)}; this backtimer reads schema_version 1"
        )
        path = ("schema_version",)
        raise RoutineFileError([RoutineError(file, lines.line_of(path) or 1, path[0], message)])

    problems: dict[tuple[tuple[str | int, ...], str], None] = {}
    for loc, message in _duplicate_ids(data):
        problems[(loc, message)] = None
    try:
        routine = Routine.model_validate(data)
    except ValidationError as error:
        for detail in error.errors():
            problems[_describe(detail)] = None
    else:
        if not problems:
            return routine
    errors = [
        RoutineError(file, lines.line_of(loc) or 1, format_path(loc), message)
        for loc, message in problems
    ]
    errors.sort(key=lambda e: (e.line or 0, e.path))
    raise RoutineFileError(errors)


def load_routine(path: Path) -> Routine:
    """Read and validate the routine file at ``path``."""
    return parse_routine(_read_text(path), str(path))
