"""Text from the user's data, made safe to show: no escapes, controls or bidi overrides."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backtimer.core.display_text import BIDI_CONTROLS, for_display, is_display_safe


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Morning back", "Morning back"),
        ("Спина — утро 🧘", "Спина — утро 🧘"),
        ("ظهر الصباح", "ظهر الصباح"),  # right-to-left text keeps its letters
        ("\x1b[31mNeck\x1b[0m", "Neck"),  # colour
        ("\x1b[2J\x1b[HNeck", "Neck"),  # clear the screen, cursor home
        ("\x1b]0;owned\x07Neck", "Neck"),  # set the terminal's title (OSC … BEL)
        ("\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\", "link"),  # a hyperlink (OSC … ST)
        ("\x1bPq#0;2;0;0;0\x1b\\Neck", "Neck"),  # DCS (sixel)
        ("\x9b31mNeck", "Neck"),  # the 8-bit CSI
        ("\x1b7\x1b8Neck", "Neck"),  # two-byte escapes
        ("Neck\x1b", "Neck"),  # a lone ESC at the end
        ("abc\u202edef", "abcdef"),  # right-to-left override
        ("\u2066a\u2069 \u200fb\u200e \u061cc", "a b c"),  # isolates and marks
        ("two\nlines\r\nand\ttab", "two lines  and tab"),
        ("nul\x00bell\x07del\x7fc1\x85", "nul\ufffdbell\ufffddel\ufffdc1 "),
        ("lone \ud800 surrogate", "lone \ufffd surrogate"),
        ("para\u2029line\u2028end", "para line end"),
    ],
)
def test_for_display(text: str, shown: str) -> None:
    assert for_display(text) == shown
    assert is_display_safe(shown)


UNSAFE = st.text(
    alphabet=st.one_of(
        st.sampled_from(
            "\x1b\x9b\x9d\x07\x00\r\n\t\u202a\u202b\u202c\u202d\u202e\u2066\u2069"
            "\u200e\u200f\u061c\u2028\u2029[];?0123m\\"
        ),
        st.characters(),  # surrogates and every control included
    )
)


@given(UNSAFE)
def test_what_is_shown_is_always_safe(text: str) -> None:
    shown = for_display(text)
    assert is_display_safe(shown)
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in shown)
    assert not set(shown) & BIDI_CONTROLS
    assert for_display(shown) == shown  # nothing more to do
    shown.encode("utf-8")  # printable to any UTF-8 terminal


@given(st.text(alphabet=st.characters(exclude_categories=["Cc", "Cs", "Cf", "Zl", "Zp"])))
def test_ordinary_text_is_shown_as_it_is(text: str) -> None:
    assert for_display(text) == text
