"""The content the app loads after its window shows: routines, illustrations, safety text."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from backtimer.core.figure.scene import ExerciseFigure
    from backtimer.core.routine.library import Library
    from backtimer.core.safety import Safety


@dataclass(slots=True)
class Content:
    """The library, illustrations and safety text, once loaded (None until then)."""

    library: Library | None = None
    figures: dict[str, ExerciseFigure] = field(default_factory=dict)
    safety: Safety | None = None

    def routine_titles(self) -> list[tuple[str, str]]:
        """(id, title) of every routine, in the library's order; empty until loaded."""
        if self.library is None:
            return []
        return [(entry.routine.id, entry.routine.title) for entry in self.library.entries]
