"""Where backtimer keeps its files: the one place that resolves paths.

Paths are resolved once at startup by :func:`resolve_paths` (never at import) and passed
to whatever needs them. ``--data-dir DIR`` or ``BACKTIMER_DATA_DIR`` moves everything
(data, config and cache) under one folder; otherwise the platform's conventions apply
through platformdirs.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "backtimer"
DATA_DIR_ENV = "BACKTIMER_DATA_DIR"


@dataclass(frozen=True, slots=True)
class AppPaths:
    """The folders backtimer reads and writes."""

    data: Path
    config: Path
    cache: Path

    @property
    def user_routines(self) -> Path:
        """Folder of the user's own routine files."""
        return self.data / "routines"

    def ensure(self) -> None:
        """Create the folders if they are missing."""
        for folder in (self.data, self.config, self.cache, self.user_routines):
            folder.mkdir(parents=True, exist_ok=True)


def resolve_paths(
    data_dir: str | os.PathLike[str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> AppPaths:
    """Resolve the app's folders: an explicit ``data_dir`` wins, then the environment."""
    env = os.environ if environ is None else environ
    override = data_dir if data_dir is not None else env.get(DATA_DIR_ENV) or None
    if override is not None:
        root = Path(override).expanduser().resolve()
        return AppPaths(data=root / "data", config=root / "config", cache=root / "cache")
    return AppPaths(
        data=Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
        config=Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
        cache=Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)),
    )


def builtin_routines_dir() -> Path:
    """The folder of the routines that ship with backtimer."""
    packaged = Path(__file__).resolve().parent.parent / "routines"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent.parent / "routines"


def assets_dir() -> Path:
    """The folder of the images and sounds that ship with backtimer."""
    packaged = Path(__file__).resolve().parent.parent / "assets"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent.parent / "assets"
