"""docs/routines.md is generated from the routine files and the safety data."""

from __future__ import annotations

from pathlib import Path

from backtimer.core.paths import builtin_routines_dir
from backtimer.core.routine.library import load_library
from backtimer.core.routine.loader import parse_routine
from backtimer.core.routine.report import library_markdown, routine_markdown
from backtimer.core.safety import load_safety

DOC = Path(__file__).resolve().parents[3] / "docs" / "routines.md"


def current_markdown() -> str:
    routines = [entry.routine for entry in load_library(builtin_routines_dir()).entries]
    return library_markdown(routines, load_safety())


def test_docs_routines_md_is_up_to_date() -> None:
    assert DOC.read_text(encoding="utf-8") == current_markdown(), (
        "docs/routines.md is stale: run `backtimer routines --markdown > docs/routines.md`"
    )


def test_every_contraindication_and_the_stop_rule_are_in_the_doc() -> None:
    safety = load_safety()
    text = current_markdown()
    assert safety.stop_rule.text in text
    for item in (*safety.contraindications, *safety.principles):
        assert item.text in text


def test_defaults_are_marked_and_ranges_kept() -> None:
    routine = parse_routine(
        """
schema_version = 1
id = "r"
title = "R"
summary = "S."
category = "stretch"

[[exercises]]
id = "e"
name = "Hamstring stretch"
steps = ["Lie down."]
kind = "hold_reps"
reps = { min = 2, max = 3 }
hold = { min = 20, max = 30 }
sets = 2
rest_between_sets = 30
sides = "each"
source = "002_3cf9cff01ae9d8f5.txt"
defaults = ["sets", "rest_between_sets"]
"""
    )
    row = next(line for line in routine_markdown(routine).splitlines() if "Hamstring" in line)
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert cells == [
        "Hamstring stretch",
        "hold reps",
        "2–3",
        "20–30 s",
        "—",
        "2\\*",
        "each side",
        "30 s\\*",
        "natural",
        "`002_3cf9cff01ae9d8f5.txt`",
    ]
