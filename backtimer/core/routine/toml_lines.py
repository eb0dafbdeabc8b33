"""Line numbers for keys of a TOML document.

``tomllib`` gives line numbers for syntax errors only. To point validation errors at the
right line, this module scans the text once and records where each key path is defined:
``[table]`` and ``[[array.of.tables]]`` headers, and ``key = value`` lines (dotted keys
too). Keys inside inline tables and multi-line arrays resolve to the line of the key that
holds them, which is where an editor takes the user anyway.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

KeyPath = tuple[str | int, ...]

_BARE_OR_QUOTED_KEY = r'(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|\'[^\']*\')'
_DOTTED_KEY = rf"{_BARE_OR_QUOTED_KEY}(?:\s*\.\s*{_BARE_OR_QUOTED_KEY})*"
_ARRAY_TABLE = re.compile(rf"^\[\[\s*({_DOTTED_KEY})\s*\]\]")
_TABLE = re.compile(rf"^\[\s*({_DOTTED_KEY})\s*\]")
_KEY_VALUE = re.compile(rf"^({_DOTTED_KEY})\s*=")
_KEY_PART = re.compile(_BARE_OR_QUOTED_KEY)


def _split_key(dotted: str) -> tuple[str, ...]:
    return tuple(part.strip("\"'") for part in _KEY_PART.findall(dotted))


def _bracket_balance(line: str) -> int:
    """Open minus closed brackets outside strings and comments, for multi-line arrays."""
    balance = 0
    quote: str | None = None
    escaped = False
    for char in line:
        if quote:
            if escaped:
                escaped = False
            elif char == "\\" and quote == '"':
                escaped = True
            elif char == quote:
                quote = None
        elif char in "\"'":
            quote = char
        elif char == "#":
            break
        elif char in "[{":
            balance += 1
        elif char in "]}":
            balance -= 1
    return balance


class KeyLines:
    """Maps key paths such as ``("exercises", 2, "hold")`` to 1-based line numbers."""

    def __init__(self, text: str) -> None:
        self._lines: dict[KeyPath, int] = {}
        self._scan(text)

    def _scan(self, text: str) -> None:
        table: KeyPath = ()
        array_counts: dict[tuple[str, ...], int] = {}
        open_brackets = 0
        in_multiline_string: str | None = None
        # TOML ends lines at "\n" only; str.splitlines() would also split at U+2028 etc.
        for number, raw in enumerate(text.split("\n"), start=1):
            line = raw.strip()
            if in_multiline_string:
                if line.count(in_multiline_string) % 2 == 1:
                    in_multiline_string = None
                continue
            if open_brackets > 0:
                open_brackets += _bracket_balance(line)
                continue
            if not line or line.startswith("#"):
                continue
            if match := _ARRAY_TABLE.match(line):
                names = _split_key(match.group(1))
                index = array_counts.get(names, -1) + 1
                array_counts[names] = index
                # Reset counts of arrays nested under this one: they restart per element.
                for key in [
                    k for k in array_counts if len(k) > len(names) and k[: len(names)] == names
                ]:
                    del array_counts[key]
                table = (*self._resolve(names, array_counts), index)
                self._lines.setdefault(table, number)
                continue
            if match := _TABLE.match(line):
                table = self._resolve(_split_key(match.group(1)), array_counts)
                self._lines.setdefault(table, number)
                continue
            if match := _KEY_VALUE.match(line):
                keys = _split_key(match.group(1))
                for end in range(1, len(keys) + 1):
                    self._lines.setdefault((*table, *keys[:end]), number)
                rest = line[match.end() :]
                for marker in ('"""', "'''"):
                    if rest.count(marker) % 2 == 1:
                        in_multiline_string = marker
                        break
                else:
                    open_brackets = max(_bracket_balance(rest), 0)

    @staticmethod
    def _resolve(names: tuple[str, ...], array_counts: dict[tuple[str, ...], int]) -> KeyPath:
        """Insert the current element index after each array-of-tables prefix."""
        path: list[str | int] = []
        for depth in range(1, len(names) + 1):
            path.append(names[depth - 1])
            prefix = names[:depth]
            if prefix in array_counts and depth < len(names):
                path.append(array_counts[prefix])
        return tuple(path)

    def line_of(self, path: Sequence[str | int]) -> int | None:
        """The line of ``path``, or of its nearest defined parent; None if unknown."""
        key = tuple(path)
        while key:
            if key in self._lines:
                return self._lines[key]
            key = key[:-1]
        return None
