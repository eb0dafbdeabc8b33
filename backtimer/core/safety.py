"""The safety content: contraindications, the stop rule and the general principles.

One data file (``assets/safety.toml``) feeds the app's safety screen, the pain stop and
the generated docs, so they can never disagree.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from backtimer.core.paths import assets_dir

Text = Annotated[str, Field(min_length=1, max_length=1000)]


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, strict=True, extra="forbid")


class SourcedText(_Strict):
    """A statement and the seed articles it comes from."""

    text: Text
    sources: Annotated[list[str], Field(min_length=1)]


class StopRule(SourcedText):
    """When to stop at once."""

    title: Text


class Safety(_Strict):
    """Everything the app must say about safety."""

    schema_version: Literal[1]
    disclaimer: Text
    stop_rule: StopRule
    contraindications: Annotated[list[SourcedText], Field(min_length=1)]
    principles: Annotated[list[SourcedText], Field(min_length=1)]


def load_safety(path: Path | None = None) -> Safety:
    """Read the safety file (by default the one that ships with backtimer)."""
    source = path or assets_dir() / "safety.toml"
    return Safety.model_validate(tomllib.loads(source.read_text(encoding="utf-8")))
