"""Build hook: put the repository's top-level ``routines/`` and ``assets/`` inside the wheel.

An installed backtimer finds them at ``backtimer/_data/`` through importlib.resources
(:func:`backtimer.core.paths.builtin_routines_dir` and ``assets_dir``). Only a real wheel
gets the copies: an editable install reads the checkout's own folders, so a copy there
would only go stale.
"""

from __future__ import annotations

from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

#: Repository folder → where it goes in the wheel.
SHIPPED = {
    "routines": "backtimer/_data/routines",
    "assets": "backtimer/_data/assets",
}


class ShippedDataHook(BuildHookInterface):
    """Adds the shipped folders to standard (non-editable) wheels."""

    PLUGIN_NAME = "backtimer-shipped-data"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name == "wheel" and version == "standard":
            build_data["force_include"].update(SHIPPED)
