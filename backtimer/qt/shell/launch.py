"""What one launch of the window asks for, and how it is told to a backtimer already running."""

from __future__ import annotations

from dataclasses import dataclass, field

from backtimer.app.options import SessionOptions
from backtimer.app.routine_ref import RoutineRef


@dataclass(frozen=True, slots=True)
class Launch:
    """The command line's wishes for the window."""

    routine: RoutineRef | None = None  #: a routine (id or file) to start at once
    options: SessionOptions = field(default_factory=SessionOptions)  #: for its sessions
    tray: bool = False  #: start hidden in the tray
    break_now: bool = False  #: take a desk break at once

    def command(self) -> dict[str, str]:
        """The same request, for a backtimer that is already running."""
        if self.break_now:
            return {"command": "break-now"}
        if self.routine is not None:
            path = self.routine.path
            named = str(path.expanduser().resolve()) if path is not None else str(self.routine)
            return {"command": "run", "routine": named}
        return {"command": "tray" if self.tray else "show"}
