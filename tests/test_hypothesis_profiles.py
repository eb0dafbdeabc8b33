"""The Hypothesis profiles of tests/conftest.py: which one loads, and what a test's own
@settings keeps from it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import hypothesis_profile


def in_force() -> settings:
    """The settings in force (Hypothesis types ``settings.default`` as optional)."""
    current = settings.default
    assert current is not None
    return current


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "quick"),
        ({"CI": "true"}, "ci"),
        ({"CI": "1"}, "ci"),
        ({"CI": "false"}, "quick"),
        ({"CI": "true", "HYPOTHESIS_PROFILE": "quick"}, "quick"),
        ({"HYPOTHESIS_PROFILE": "ci"}, "ci"),
    ],
)
def test_the_profile_follows_the_environment(environ: dict[str, str], expected: str) -> None:
    assert hypothesis_profile(environ) == expected


def test_the_profiles_differ_in_examples_not_in_deadline() -> None:
    quick = settings.get_profile("quick")
    ci = settings.get_profile("ci")
    assert quick.max_examples < ci.max_examples
    assert quick.deadline is None
    assert ci.deadline is None
    assert ci.derandomize
    assert quick.print_blob
    assert ci.print_blob


def test_the_loaded_profile_is_the_chosen_one() -> None:
    chosen = settings.get_profile(hypothesis_profile())
    assert in_force().max_examples == chosen.max_examples
    assert in_force().derandomize == chosen.derandomize
    assert in_force().deadline is None


def test_own_settings_keep_their_examples_and_take_the_rest_from_the_profile() -> None:
    seen: list[settings] = []

    @settings(max_examples=7)
    @given(st.integers())
    def own_settings(value: int) -> None:
        seen.append(in_force())  # the settings in force while the property runs

    own_settings()
    assert 1 <= len(seen) <= 7
    own = seen[0]
    assert own.max_examples == 7
    assert own.deadline is None
    assert own.derandomize == in_force().derandomize
    assert own.print_blob
