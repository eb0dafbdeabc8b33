"""The app's content — routines, illustrations, safety text — loaded once, when first wanted.

A window that shows loads it right after its first paint; an app started in the tray
loads it when the user first wants something from it (see
:class:`~backtimer.qt.shell.content_on_demand.ContentOnDemand`). :attr:`ContentLoader.loaded`
tells every part that shows content (the window, the tray's routine menu, the break
window) at once, so none of them has to know about the others.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from backtimer.qt.shell.content import Content
from backtimer.qt.shell.content_on_demand import ContentOnDemand

if TYPE_CHECKING:
    from backtimer.core.figure.scene import ExerciseFigure
    from backtimer.core.routine.library import Library
    from backtimer.core.safety import Safety

log = logging.getLogger(__name__)


def load_library(builtin: Path, user: Path) -> Library:
    """The routine library (loads the validation library on first use)."""
    from backtimer.core.routine.library import load_library as load

    return load(builtin, user)


def load_figures(folder: Path) -> dict[str, ExerciseFigure]:
    """Every exercise figure."""
    from backtimer.core.figure.figures import load_figures as load

    return load(folder)


def load_safety() -> Safety:
    """The safety content."""
    from backtimer.core.safety import load_safety as load

    return load()


class ContentLoader(QObject):
    """Loads :class:`~backtimer.qt.shell.content.Content` once and says when it is there."""

    #: The content has loaded (:attr:`content` holds it).
    loaded = Signal()

    def __init__(
        self,
        builtin_routines: Path,
        user_routines: Path,
        poses: Path,
        parent: QObject | None = None,
        *,
        library: Callable[[Path, Path], Library] = load_library,
        figures: Callable[[Path], dict[str, ExerciseFigure]] = load_figures,
        safety: Callable[[], Safety] = load_safety,
    ) -> None:
        super().__init__(parent)
        self.content = Content()
        self._folders = (builtin_routines, user_routines, poses)
        self._load_library = library
        self._load_figures = figures
        self._load_safety = safety
        #: Why routines were skipped, one message each (shown in the terminal).
        self.problems: list[str] = []
        self.on_demand = ContentOnDemand(self._load, self)

    def ensure(self) -> None:
        """Load now, unless it already happened."""
        self.on_demand.ensure()

    def _load(self) -> None:
        builtin, user, poses = self._folders
        library = self._load_library(builtin, user)
        self.problems = [f"skipped a routine: {error}" for error in library.errors]
        for problem in self.problems:
            log.warning("%s", problem)
        self.content.library = library
        self.content.figures = self._load_figures(poses)
        self.content.safety = self._load_safety()
        self.loaded.emit()
