"""The routine library: the routines that ship with backtimer plus the user's own.

Built-in routines live in the package's ``routines`` folder; user routines are ``*.toml``
files in the data dir's ``routines`` folder. A broken user file never hides the others:
its problems are collected and reported beside the routines that loaded. So is anything
named ``*.toml`` that is not a regular file (a FIFO, a link to a device): it is skipped
without being read (see :func:`~backtimer.core.store.user_files.read_user_file`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from backtimer.core.routine.loader import RoutineError, RoutineFileError, load_routine
from backtimer.core.routine.model import Routine


class Origin(StrEnum):
    """Where a routine comes from."""

    BUILTIN = "builtin"
    USER = "user"


@dataclass(frozen=True, slots=True)
class LibraryEntry:
    """A loaded routine and the file it came from."""

    routine: Routine
    path: Path
    origin: Origin


@dataclass(slots=True)
class Library:
    """Every routine that loaded, in a stable order, and the problems of those that did not."""

    entries: list[LibraryEntry] = field(default_factory=list)
    errors: list[RoutineError] = field(default_factory=list)

    def find(self, routine_id: str) -> LibraryEntry | None:
        """The entry with this routine id, if any."""
        return next((e for e in self.entries if e.routine.id == routine_id), None)

    @property
    def ids(self) -> list[str]:
        """All routine ids, in library order."""
        return [entry.routine.id for entry in self.entries]


def _routine_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.toml") if not p.name.startswith("."))


def load_library(builtin_dir: Path, user_dir: Path | None = None) -> Library:
    """Load every routine file of both folders; user routines may not reuse a built-in id."""
    library = Library()
    sources = [(builtin_dir, Origin.BUILTIN)]
    if user_dir is not None:
        sources.append((user_dir, Origin.USER))
    for folder, origin in sources:
        for path in _routine_files(folder):
            try:
                routine = load_routine(path)
            except RoutineFileError as error:
                library.errors.extend(error.errors)
                continue
            existing = library.find(routine.id)
            if existing is not None:
                library.errors.append(
                    RoutineError(
                        str(path),
                        None,
                        "id",
                        f"routine id '{routine.id}' is already used by {existing.path}; "
                        "expected a unique id",
                    )
                )
                continue
            library.entries.append(LibraryEntry(routine, path, origin))
    return library
