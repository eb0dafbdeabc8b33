"""Where backtimer keeps its files: the one place that resolves paths.

Paths are resolved once at startup by :func:`resolve_paths` (never at import) and passed
to whatever needs them. ``--data-dir DIR`` or ``BACKTIMER_DATA_DIR`` moves everything
(data, config and cache) under one folder; otherwise the platform's conventions apply
through platformdirs.
"""

from __future__ import annotations

import atexit
import contextlib
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
    return _shipped_folder("routines")


def assets_dir() -> Path:
    """The folder of the images and sounds that ship with backtimer."""
    return _shipped_folder("assets")


#: Where an installed backtimer keeps the files it ships, inside the package (the wheel
#: maps the repository's top-level ``routines/`` and ``assets/`` there; see pyproject.toml).
SHIPPED_DATA = "_data"


def _shipped_folder(name: str, package: str = APP_NAME) -> Path:
    """A folder that ships with backtimer, found through importlib.resources.

    An installed wheel (or a bundle) has it at ``<package>/_data/<name>``. An editable
    install of a checkout has no copy there: the checkout's top-level folder is used.
    """
    from importlib import resources  # here: only the app and some commands need it

    shipped = resources.files(package) / SHIPPED_DATA / name
    if shipped.is_dir():
        if isinstance(shipped, Path):
            return shipped
        # A package that is not on the file system (a zip): a copy, removed at exit.
        copy = contextlib.ExitStack()
        atexit.register(copy.close)
        return copy.enter_context(resources.as_file(shipped))
    checkout = Path(str(resources.files(package))).parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(
        f"backtimer's {name} folder is missing: looked for {shipped} (an installed "
        f"package) and {checkout} (a checkout); reinstall backtimer"
    )
