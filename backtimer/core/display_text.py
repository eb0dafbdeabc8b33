"""Text from the user's data made safe to show, on one line, in a terminal or a window.

Titles and names come from files anyone can write (an imported CSV, a routine). Printed raw,
an escape sequence in them can recolour, retitle or clear the terminal, and a bidi control
(U+202E RIGHT-TO-LEFT OVERRIDE and its kin) shows the text reversed, in the terminal and in
Qt alike. :func:`for_display` returns the text as it should be *shown*; the data itself is
never changed (an export writes the title exactly as it was imported).

* Escape sequences (CSI ``ESC [ … m``, OSC ``ESC ] … BEL``, DCS/SOS/PM/APC strings, two-byte
  escapes, and their 8-bit C1 forms) are removed whole.
* Bidi embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069) and the marks
  U+200E, U+200F and U+061C are removed: the text keeps its natural direction.
* Tab, line breaks (CR, LF, VT, FF, U+0085, U+2028, U+2029) become a space.
* Any other C0 or C1 control character, DEL, and an unpaired surrogate become U+FFFD (�).
"""

from __future__ import annotations

import re
from typing import Final

#: What one escape sequence looks like (7-bit and 8-bit forms).
_ESCAPE: Final = re.compile(
    r"""
    (?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?                  # CSI … final byte
    | (?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?  # OSC … BEL or ST
    | (?:\x1b[PX^_]|[\x90\x98\x9e\x9f])[^\x1b\x9c]*(?:\x1b\\|\x9c)?  # DCS, SOS, PM, APC … ST
    | \x1b[ -/]*[0-~]?                                  # two-byte escapes (and a lone ESC)
    """,
    re.VERBOSE,
)
#: Bidi controls: embeddings, overrides, isolates and the directional marks.
BIDI_CONTROLS: Final = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)
#: Characters that break a line or space it out; shown as one space.
_SPACES: Final = frozenset("\t\n\v\f\r\x85\u2028\u2029")
_UNSAFE: Final = re.compile(
    "[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u2028\u2029\ud800-\udfff]"
)
REPLACEMENT: Final = "\ufffd"


def _replace(match: re.Match[str]) -> str:
    char = match.group(0)
    if char in BIDI_CONTROLS:
        return ""
    if char in _SPACES:
        return " "
    return REPLACEMENT


def for_display(text: str) -> str:
    """``text`` on one line with no escape sequence, control character or bidi control."""
    if _UNSAFE.search(text) is None:
        return text  # the usual case: nothing to do
    return _UNSAFE.sub(_replace, _ESCAPE.sub("", text))


def is_display_safe(text: str) -> bool:
    """Whether ``text`` shows as it is (nothing :func:`for_display` would change)."""
    return _UNSAFE.search(text) is None
