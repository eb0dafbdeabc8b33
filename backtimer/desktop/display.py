"""Whether a window can open here, asked before any Qt loads."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path


def display_problem(environ: Mapping[str, str] | None = None) -> str | None:
    """Why the window cannot open here, or None when a display looks usable."""
    env = os.environ if environ is None else environ
    if not sys.platform.startswith("linux") or env.get("QT_QPA_PLATFORM"):
        return None
    if env.get("WAYLAND_DISPLAY"):
        return None
    display = env.get("DISPLAY", "")
    if not display:
        return "no graphical display found (neither DISPLAY nor WAYLAND_DISPLAY is set)"
    host, _, number = display.rpartition(":")
    number = number.split(".")[0]
    local = host in ("", "unix") and number.isdigit()
    if local and not Path(f"/tmp/.X11-unix/X{number}").exists():
        return f"no X server is running on display {display}"
    return None
