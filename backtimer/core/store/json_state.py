"""The one place that reads backtimer's JSON state files, whatever is in them.

Settings, the reminder schedule, rep pins and the history shards are all read through
:func:`read_state_json` (or :func:`parse_state_json` for bytes already read). Anything the
reader cannot take — bytes that are not UTF-8, text that is not JSON, nesting too deep for
the parser, numbers too long to convert, ``NaN`` or ``Infinity`` (which the writers
never write), a FIFO or a device, a file over its size limit — becomes one
:class:`~backtimer.core.store.errors.UnreadableStoreError` naming the file and
what was wrong, so every caller has a single failure to handle: move the file aside and
start afresh. No other exception escapes for what a file holds.

A file that cannot be opened at all (permission, I/O) still raises :class:`OSError`: that
is not the file's content, and the file must not be moved aside for it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Final

from backtimer.core.store.errors import UnreadableStoreError
from backtimer.core.store.user_files import UserFileError, read_user_file

#: The most digits a JSON number may have.
MAX_NUMBER_DIGITS: Final = 40
#: Every ASCII digit as "0", so that a run of digits is found by one substring search.
_DIGITS_AS_ZERO: Final = bytes(ord("0") if ord("0") <= b <= ord("9") else b for b in range(256))
_TOO_MANY_DIGITS: Final = b"0" * (MAX_NUMBER_DIGITS + 1)


class _BadNumberError(ValueError):
    """A number the state files never hold."""


def _parse_int(text: str) -> int:
    if len(text) > MAX_NUMBER_DIGITS:
        raise _BadNumberError(f"a number with {len(text)} digits")
    return int(text)


def _parse_float(text: str) -> float:
    if len(text) > MAX_NUMBER_DIGITS:
        raise _BadNumberError(f"a number with {len(text)} characters")
    value = float(text)
    if not math.isfinite(value):
        raise _BadNumberError(f"{text}, too large for a number")
    return value


def _parse_any_float(text: str) -> float:
    if len(text) > MAX_NUMBER_DIGITS:
        raise _BadNumberError(f"a number with {len(text)} characters")
    return float(text)


def _reject_constant(name: str) -> float:
    raise _BadNumberError(f"{name}, which is not a number backtimer writes")


def _keep_constant(name: str) -> float:
    return float(name)


def parse_state_json(raw: bytes, path: Path, *, allow_nonfinite: bool = False) -> object:
    """The JSON value in ``raw`` (the bytes of ``path``), or UnreadableStoreError.

    ``allow_nonfinite`` reads ``NaN`` and ``Infinity`` (and a number too large for a float,
    as infinity) as floats, for readers that check every record themselves and set aside
    the ones holding such values. Those readers read a year of history: unless the file
    holds a run of digits too long for a number, its numbers are converted by the parser
    itself, without a call per number (a third of the time of reading a large file).
    """
    path = Path(path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UnreadableStoreError(path, f"not UTF-8 text ({error.reason})") from None
    parse_int: Callable[[str], int] = _parse_int
    parse_float: Callable[[str], float] = _parse_float
    if allow_nonfinite:
        parse_float = _parse_any_float
        if _TOO_MANY_DIGITS not in raw.translate(_DIGITS_AS_ZERO):
            parse_int, parse_float = int, float  # no number can be too long: the fast path
    try:
        return json.loads(
            text.removeprefix("\ufeff"),
            parse_int=parse_int,
            parse_float=parse_float,
            parse_constant=_keep_constant if allow_nonfinite else _reject_constant,
        )
    except json.JSONDecodeError as error:
        raise UnreadableStoreError(
            path, f"not valid JSON ({error.msg} at line {error.lineno})"
        ) from None
    except _BadNumberError as error:
        raise UnreadableStoreError(path, f"expected JSON numbers, found {error}") from None
    except RecursionError:
        raise UnreadableStoreError(path, "expected JSON, found values nested too deeply") from None
    except (ValueError, MemoryError) as error:
        raise UnreadableStoreError(path, f"not JSON backtimer can read ({error})") from None


def read_state_json(path: Path, limit: int, *, allow_nonfinite: bool = False) -> object | None:
    """The JSON value in the state file at ``path``; None when it is missing or blank.

    Raises UnreadableStoreError for anything in or about the file that is not readable
    state (see the module's docstring), and OSError when it cannot be opened or read.
    """
    path = Path(path)
    try:
        raw = read_user_file(path, limit)
    except FileNotFoundError:
        return None
    except UserFileError as error:
        raise UnreadableStoreError(path, error.reason) from None
    if not raw.strip():
        return None
    return parse_state_json(raw, path, allow_nonfinite=allow_nonfinite)
