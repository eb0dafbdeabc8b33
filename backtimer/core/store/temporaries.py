"""Tidying up after killed writes: the temporary files they leave beside the state files.

:func:`~backtimer.core.store.atomic_storage.write_atomically` writes ``NAME`` through
``.NAME.<random>.tmp`` in the same folder and renames it over ``NAME``; a process killed
in between leaves the temporary behind. :func:`remove_stale_temporaries` deletes those of
the named files — only temporaries, only regular files, and only ones older than
``min_age_s``, so the temporary of a write in flight in another process is left alone.
A folder whose files only the lock holder writes (the history) may pass 0.
"""

from __future__ import annotations

import logging
import stat
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Final

log = logging.getLogger(__name__)

#: A temporary older than this (seconds since its last change) belongs to no write in flight.
STALE_AFTER_S: Final = 60.0


def temporary_pattern(name: str) -> str:
    """The glob pattern of the temporaries of ``name`` (itself a name or a glob pattern)."""
    return f".{name}.*.tmp"


def remove_stale_temporaries(
    folder: Path,
    names: Iterable[str],
    *,
    min_age_s: float = STALE_AFTER_S,
    now: float | None = None,
) -> list[Path]:
    """Delete the temporaries of ``names`` in ``folder`` at least ``min_age_s`` old.

    ``names`` are file names or glob patterns (``history-*.json``); ``now`` is the wall
    time in seconds since the epoch (the clock of file times). Returns what was deleted;
    a file that cannot be deleted is logged and left. A missing folder holds nothing.
    """
    folder = Path(folder)
    current = time.time() if now is None else now
    removed: list[Path] = []
    for name in names:
        try:
            candidates = sorted(folder.glob(temporary_pattern(name)))
        except OSError as error:
            log.warning("could not look for temporary files in %s: %s", folder, error)
            continue
        for path in candidates:
            try:
                info = path.lstat()
                if not stat.S_ISREG(info.st_mode) or current - info.st_mtime < min_age_s:
                    continue
                path.unlink()
            except FileNotFoundError:
                continue  # renamed into place, or removed by someone else meanwhile
            except OSError as error:
                log.warning("could not remove %s: %s", path, error)
                continue
            removed.append(path)
            log.info("removed %s, left by a write that did not finish", path)
    return removed
