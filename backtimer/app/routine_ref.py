"""A routine named on the command line or by a front end: a library id or a routine file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from backtimer.core.routine.library import Library
    from backtimer.core.routine.model import Routine


class RoutineNotFoundError(LookupError):
    """No routine in the library has the id asked for."""

    def __init__(self, routine_id: str, known: list[str]) -> None:
        listed = ", ".join(known) or "none"
        super().__init__(f"no routine with id '{routine_id}'; known routines: {listed}")
        self.routine_id = routine_id


@dataclass(frozen=True, slots=True)
class RoutineRef:
    """Either the id of a routine in the library or the path of a routine file."""

    routine_id: str | None = None
    path: Path | None = None

    @classmethod
    def parse(cls, text: str) -> RoutineRef:
        """A file when ``text`` ends in ``.toml`` or names an existing file, else an id."""
        candidate = Path(text)
        if candidate.suffix == ".toml" or candidate.exists():
            return cls(path=candidate)
        return cls(routine_id=text)

    @classmethod
    def of(cls, routine_id: str) -> RoutineRef:
        """The library routine ``routine_id``."""
        return cls(routine_id=routine_id)

    def __str__(self) -> str:
        return str(self.path) if self.path is not None else str(self.routine_id)

    def resolve(self, library: Library | None) -> Routine:
        """The routine; RoutineFileError for a bad file, RoutineNotFoundError for an id."""
        if self.path is not None:
            from backtimer.core.routine.loader import load_routine

            return load_routine(self.path)
        entry = library.find(str(self.routine_id)) if library is not None else None
        if entry is None:
            raise RoutineNotFoundError(str(self.routine_id), library.ids if library else [])
        return entry.routine
