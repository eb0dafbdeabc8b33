"""routines/schema.json is generated from the model, and the routine files follow it."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import jsonschema
import pytest

from backtimer.core.paths import builtin_routines_dir
from backtimer.core.routine.schema import routine_json_schema, routine_json_schema_text

SCHEMA_FILE = builtin_routines_dir() / "schema.json"
ROUTINE_FILES = sorted(builtin_routines_dir().glob("*.toml"))


def test_committed_schema_matches_the_model() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == routine_json_schema_text(), (
        "routines/schema.json is stale: run `backtimer schema > routines/schema.json`"
    )


def test_schema_is_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(routine_json_schema())


@pytest.mark.parametrize("path", ROUTINE_FILES, ids=lambda p: p.name)
def test_builtin_routines_follow_the_schema(path: Path) -> None:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(json.loads(SCHEMA_FILE.read_text())).validate(data)


def test_schema_rejects_what_the_loader_rejects() -> None:
    validator = jsonschema.Draft202012Validator(routine_json_schema())
    data = tomllib.loads(ROUTINE_FILES[0].read_text(encoding="utf-8"))
    data["exercises"][0]["sorce"] = "typo"
    assert not validator.is_valid(data)
