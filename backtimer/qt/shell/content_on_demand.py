"""Load the app's content, and build its main window, once, when first needed.

The routine library, its illustrations and the safety text need the validation library
(pydantic) and take some 20 MB. A window that shows loads them right after its first paint;
an app that starts hidden in the tray loads them only when the user first wants them: the
window shows, a break starts, the tray's routine menu opens or the settings open. Until
then the tray costs what a tray icon costs. :class:`WindowOnDemand` does the same for the
main window itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from backtimer.qt.shell.main_window import MainWindow


#: How long a shown widget may go without painting before the content loads anyway.
UNPAINTED_WAIT_MS = 300


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
        """Load right after ``widget`` first paints, once it shows (normal, minimised or
        maximised): loading blocks the event loop, and a window that is mapped but not yet
        painted would stay blank meanwhile. A shown widget that does not paint (minimised)
        loads after :data:`UNPAINTED_WAIT_MS`."""
        self._watched.append(widget)
        widget.installEventFilter(self)
        if widget.isVisible():
            QTimer.singleShot(UNPAINTED_WAIT_MS, self.ensure)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        """The watched widget shows or paints: load once it has painted."""
        if event.type() == QEvent.Type.Paint:
            self.ensure_soon()
        elif event.type() == QEvent.Type.Show:
            QTimer.singleShot(UNPAINTED_WAIT_MS, self.ensure)
        return False


class WindowOnDemand:
    """The main window, built when first wanted (at once for a normal launch).

    Started hidden in the tray, backtimer builds its window only when the user first opens
    it: the tray's "Open backtimer", a routine or the settings from the tray, a ``show`` or
    ``run`` command from a later launch, or a desktop without a tray. ``make`` builds and
    wires it; :meth:`when_created` adds wiring done by others (the tray's close behaviour).
    """

    def __init__(self, make: Callable[[], MainWindow], quit_app: Callable[[], object]) -> None:
        self._make = make
        self._quit_app = quit_app
        self._window: MainWindow | None = None
        self._wiring: list[Callable[[MainWindow], object]] = []

    @property
    def created(self) -> bool:
        """True once the window exists."""
        return self._window is not None

    @property
    def window(self) -> MainWindow | None:
        """The window, or None while it has not been wanted."""
        return self._window

    def get(self) -> MainWindow:
        """The window, built (and wired) now if it does not exist yet."""
        if self._window is None:
            window = self._make()
            self._window = window
            for wire in self._wiring:
                wire(window)
        return self._window

    def when_created(self, wire: Callable[[MainWindow], object]) -> None:
        """Call ``wire`` with the window once it exists (at once if it already does)."""
        self._wiring.append(wire)
        if self._window is not None:
            wire(self._window)

    def quit(self) -> None:
        """Quit the app: through the window when there is one (it stops a session and saves
        where it was), else directly."""
        if self._window is not None:
            self._window.quit()
        else:
            self._quit_app()
