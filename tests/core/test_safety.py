"""The safety data the app and the docs read."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from backtimer.core.safety import load_safety

SEED = re.compile(r"^\d{3}_[0-9a-f]{16}\.txt$")


def test_the_shipped_safety_file_loads_with_sources() -> None:
    safety = load_safety()
    assert "pain" in safety.stop_rule.text
    assert any("Pregnancy" in c.text for c in safety.contraindications)
    assert len(safety.contraindications) >= 10
    for item in (safety.stop_rule, *safety.contraindications, *safety.principles):
        assert item.sources
        assert all(SEED.match(source) for source in item.sources)


def test_a_broken_safety_file_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "safety.toml"
    path.write_text('schema_version = 1\ndisclaimer = "x"\n')
    with pytest.raises(ValidationError):
        load_safety(path)
