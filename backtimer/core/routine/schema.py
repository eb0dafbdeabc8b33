"""The JSON Schema of the routine format, generated from the model.

Editors use the committed copy (``routines/schema.json``) for completion and checking of
routine files (for example with the Even Better TOML extension's ``#:schema`` directive).
A test keeps that copy equal to :func:`routine_json_schema`.
"""

from __future__ import annotations

import json
from typing import Any

from backtimer.core.routine.model import Routine

SCHEMA_ID = "https://backtimer.invalid/schema/routine-1.json"


def routine_json_schema() -> dict[str, Any]:
    """The schema as a JSON-compatible dict."""
    schema = Routine.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
    }


def routine_json_schema_text() -> str:
    """The schema as the text committed in ``routines/schema.json``."""
    return json.dumps(routine_json_schema(), indent=2, ensure_ascii=False) + "\n"
