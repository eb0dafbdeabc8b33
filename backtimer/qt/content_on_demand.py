"""Load the app's content once, when it is first needed.

The routine library, its illustrations and the safety text need the validation library
(pydantic) and take some 20 MB. A window that shows loads them right after its first paint;
an app that starts hidden in the tray loads them only when the user first wants them: the
window shows, a break starts, the tray's routine menu opens or the settings open. Until
then the tray costs what a tray icon costs.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class ContentOnDemand(QObject):
    """Calls ``load`` once: at the first :meth:`ensure`, or soon after a watched widget shows."""

    def __init__(self, load: Callable[[], object], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._load = load
        self._loaded = False
        self._watched: list[QWidget] = []

    @property
    def loaded(self) -> bool:
        """True once ``load`` has run (or is running)."""
        return self._loaded

    def ensure(self) -> None:
        """Load now, unless it already happened."""
        if self._loaded:
            return
        self._loaded = True
        for widget in self._watched:
            widget.removeEventFilter(self)
        self._watched.clear()
        self._load()

    def ensure_soon(self) -> None:
        """Load from the event loop, so what is on screen paints first."""
        if not self._loaded:
            QTimer.singleShot(0, self.ensure)

    def when_shown(self, widget: QWidget) -> None:
        """Load soon after ``widget`` first shows (normal, minimised or maximised)."""
        if widget.isVisible():
            self.ensure_soon()
            return
        self._watched.append(widget)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        """The watched widget shows: load soon."""
        if event.type() == QEvent.Type.Show:
            self.ensure_soon()
        return False
