"""Shared test setup: Qt runs offscreen, no test touches the user's real files, and
Hypothesis runs a short profile locally and a longer, repeatable one in CI."""

from __future__ import annotations

import os
import signal
from collections.abc import Mapping
from pathlib import Path

import pytest
from hypothesis import settings

# Before any Qt import: widgets render offscreen unless a test sets up a real display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# A run started in the background by a script inherits SIGINT ignored, and so would every
# app the tests start: the tests of Ctrl+C in the terminal need it delivered.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

# Hypothesis profiles. No deadline in either: many properties drive Qt or the file system,
# whose speed depends on the machine's load, and a slow example is not a wrong one.
# A failure prints the blob that replays it (@reproduce_failure).
#   quick  the inner loop (scripts/test --quick, a bare pytest): few examples, fresh ones
#          each run, failures remembered in .hypothesis/ and tried first next time.
#   ci     CI and the full scripts/test: more examples, derandomized, so a run's outcome
#          depends on the code alone and CI's failures replay on any machine.
# Tests with their own @settings keep their max_examples and take the rest from the
# loaded profile (the profile is loaded here, before any test module is imported).
settings.register_profile("quick", max_examples=30, deadline=None, print_blob=True)
settings.register_profile("ci", max_examples=200, deadline=None, print_blob=True, derandomize=True)


def hypothesis_profile(environ: Mapping[str, str] = os.environ) -> str:
    """HYPOTHESIS_PROFILE when set, else "ci" under CI (CI=true), else "quick"."""
    chosen = environ.get("HYPOTHESIS_PROFILE", "").strip()
    if chosen:
        return chosen
    return "ci" if environ.get("CI", "").strip().lower() in {"1", "true", "yes"} else "quick"


settings.load_profile(hypothesis_profile())


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test under tests/e2e/ is an e2e test, marked or not (scripts/test --quick
    leaves them out)."""
    e2e = Path(__file__).parent / "e2e"
    for item in items:
        if item.path.is_relative_to(e2e):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(autouse=True)
def isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every path backtimer resolves (and XDG's) at a fresh temporary folder."""
    root = tmp_path / "backtimer-home"
    monkeypatch.setenv("BACKTIMER_DATA_DIR", str(root))
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(name, str(tmp_path / "xdg" / name.lower()))
    return root
