"""The system tray icon: a ring showing the time left to the next break, a tooltip and a menu.

The ring is painted with QPainter at every size a tray may ask for: full just after a break,
emptying toward the next one; two bars when reminders are paused; a full orange ring with a
dot when a break is due; a plain grey ring outside working hours. :class:`TrayIcon` only
shows what it is told (:meth:`TrayIcon.set_status`) and turns menu choices into signals; it
knows nothing of the reminder policy.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from PySide6.QtCore import QObject, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import QAction, QColor, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

#: The pixel sizes the icon is drawn at (trays ask for 16 to 64; Qt scales the rest).
ICON_SIZES = (16, 20, 22, 24, 32, 40, 48, 64)
#: How finely the ring shows the time left (a step of the ring is 1/RING_STEPS of it).
RING_STEPS = 60

#: Colours: they read on both light and dark panels.
TRACK_COLOR = QColor(128, 128, 128, 110)
RUNNING_COLOR = QColor("#26a269")
DUE_COLOR = QColor("#e66100")
PAUSED_COLOR = QColor("#8f8f8f")
QUIET_COLOR = QColor("#8f8f8f")


class RingState(Enum):
    """What the ring shows."""

    RUNNING = "running"  #: counting down to the next break
    PAUSED = "paused"  #: reminders paused
    DUE = "due"  #: a break is due now
    QUIET = "quiet"  #: outside working hours


class PauseUntil(Enum):
    """Pause lengths that are not a fixed duration (``pause_requested`` carries one of these
    or a :class:`~datetime.timedelta`)."""

    TOMORROW = "tomorrow"
    RESUMED = "resumed"


#: The pause submenu: (text, length).
PAUSE_CHOICES: tuple[tuple[str, timedelta | PauseUntil], ...] = (
    ("30 minutes", timedelta(minutes=30)),
    ("1 hour", timedelta(hours=1)),
    ("2 hours", timedelta(hours=2)),
    ("Until tomorrow", PauseUntil.TOMORROW),
    ("Until resumed", PauseUntil.RESUMED),
)


@dataclass(frozen=True, slots=True)
class TrayStatus:
    """What the tray shows; see :meth:`TrayIcon.set_status`."""

    fraction_left: float = 1.0
    minutes_left: int | None = None
    paused: bool = False
    paused_until: datetime | None = None
    due: bool = False
    quiet_until: datetime | None = None

    @property
    def state(self) -> RingState:
        """How the ring looks."""
        if self.due:
            return RingState.DUE
        if self.paused or self.paused_until is not None:
            return RingState.PAUSED
        if self.quiet_until is not None:
            return RingState.QUIET
        return RingState.RUNNING


def _clamp(fraction: float) -> float:
    if math.isnan(fraction):
        return 1.0
    return min(1.0, max(0.0, fraction))


def ring_steps(fraction_left: float) -> int:
    """The fraction left as whole ring steps (0 to :data:`RING_STEPS`)."""
    return round(_clamp(fraction_left) * RING_STEPS)


def paint_ring(painter: QPainter, rect: QRectF, state: RingState, fraction_left: float) -> None:
    """Draw the ring for ``state`` inside ``rect`` (a square)."""
    size = min(rect.width(), rect.height())
    width = max(2.0, size * 0.16)
    inset = size * 0.04 + width / 2
    ring = QRectF(rect.x() + inset, rect.y() + inset, size - 2 * inset, size - 2 * inset)
    centre = ring.center()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(TRACK_COLOR, width)
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    if state is RingState.DUE:
        pen.setColor(DUE_COLOR)
        painter.setPen(pen)
        painter.drawEllipse(ring)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(DUE_COLOR)
        radius = size * 0.16
        painter.drawEllipse(centre, radius, radius)
        return
    if state in (RingState.PAUSED, RingState.QUIET):
        pen.setColor(PAUSED_COLOR if state is RingState.PAUSED else QUIET_COLOR)
        painter.setPen(pen)
        painter.drawEllipse(ring)
        if state is RingState.PAUSED:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(PAUSED_COLOR)
            bar_w, bar_h, gap = max(1.5, size * 0.1), size * 0.34, max(1.0, size * 0.08)
            top = centre.y() - bar_h / 2
            painter.drawRect(QRectF(centre.x() - gap / 2 - bar_w, top, bar_w, bar_h))
            painter.drawRect(QRectF(centre.x() + gap / 2, top, bar_w, bar_h))
        return
    painter.setPen(pen)
    painter.drawEllipse(ring)
    steps = ring_steps(fraction_left)
    if steps > 0:
        pen.setColor(RUNNING_COLOR)
        painter.setPen(pen)
        if steps >= RING_STEPS:
            painter.drawEllipse(ring)
        else:
            # Qt angles are in 1/16 degree, counter-clockwise from 3 o'clock: start at 12
            # and run clockwise for the time left.
            span = round(-360 * 16 * steps / RING_STEPS)
            painter.drawArc(ring, 90 * 16, span)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(RUNNING_COLOR)
    radius = size * 0.09
    painter.drawEllipse(QPointF(centre), radius, radius)


def ring_pixmap(size: int, state: RingState, fraction_left: float = 1.0) -> QPixmap:
    """The ring drawn on a transparent ``size`` × ``size`` pixmap."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    try:
        paint_ring(painter, QRectF(0, 0, size, size), state, fraction_left)
    finally:
        painter.end()
    return pixmap


def ring_icon(state: RingState, fraction_left: float = 1.0) -> QIcon:
    """The ring as an icon with a pixmap drawn for each of :data:`ICON_SIZES`."""
    icon = QIcon()
    for size in ICON_SIZES:
        icon.addPixmap(ring_pixmap(size, state, fraction_left))
    return icon


def _when(moment: datetime, now: datetime) -> str:
    """``14:30`` today, ``tomorrow 09:00``, ``Mon 09:00`` within a week, else a date."""
    if moment.tzinfo is not None and now.tzinfo is not None:
        moment = moment.astimezone(now.tzinfo)
    clock = f"{moment:%H:%M}"
    days = (moment.date() - now.date()).days
    if days <= 0:
        return clock
    if days == 1:
        return f"tomorrow {clock}"
    if days < 7:
        return f"{moment:%a} {clock}"
    return f"{moment:%d %b} {clock}"


def _duration(minutes: int) -> str:
    if minutes < 1:
        return "less than a minute"
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def status_text(status: TrayStatus, now: datetime) -> str:
    """The tooltip for ``status``: "Next break in 23 min", "Reminders paused until 14:30"…"""
    if status.due:
        return "Time for a break"
    if status.paused or status.paused_until is not None:
        if status.paused_until is None:
            return "Reminders paused"
        return f"Reminders paused until {_when(status.paused_until, now)}"
    if status.quiet_until is not None:
        return f"No reminders until {_when(status.quiet_until, now)}"
    if status.minutes_left is None:
        return "backtimer"
    return f"Next break in {_duration(status.minutes_left)}"


def tray_available() -> bool:
    """True when the desktop has a system tray to show the icon in."""
    return QSystemTrayIcon.isSystemTrayAvailable()


class TrayIcon(QObject):
    """The tray icon, its tooltip and menu; every menu choice is a signal."""

    break_requested = Signal()
    #: A routine's id, from "Start a routine".
    routine_requested = Signal(str)
    #: A :class:`~datetime.timedelta` or a :class:`PauseUntil`.
    pause_requested = Signal(object)
    resume_requested = Signal()
    open_requested = Signal()
    settings_requested = Signal()
    quit_requested = Signal()

    def __init__(
        self,
        parent: QObject | None = None,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__(parent)
        self._now = now or (lambda: datetime.now().astimezone())
        self.tray = QSystemTrayIcon(self)
        self._status = TrayStatus()
        self._icon_key: tuple[RingState, int] | None = None
        self._tooltip = ""
        self._build_menu()
        self.tray.activated.connect(self._on_activated)
        self.set_status(1.0, None)

    def _add(self, menu: QMenu, text: str, slot: Callable[[], object]) -> QAction:
        action = menu.addAction(text)
        action.triggered.connect(slot)
        return action

    def _build_menu(self) -> None:
        # A tray menu has no parent window; this object owns it and deletes it.
        self.menu = QMenu()
        self.menu.setAccessibleName("backtimer")
        self.destroyed.connect(self.menu.deleteLater)
        self.break_action = self._add(self.menu, "Take a &break now", self.break_requested.emit)
        self.routines_menu = self.menu.addMenu("Start a &routine")
        self.set_routines(())
        self.pause_menu = self.menu.addMenu("&Pause reminders")
        self.pause_actions: dict[str, QAction] = {}
        for text, length in PAUSE_CHOICES:
            action = self.pause_menu.addAction(text)
            action.triggered.connect(
                lambda _=False, length=length: self.pause_requested.emit(length)
            )
            self.pause_actions[text] = action
        self.resume_action = self._add(self.menu, "R&esume reminders", self.resume_requested.emit)
        self.menu.addSeparator()
        self.open_action = self._add(self.menu, "&Open backtimer", self.open_requested.emit)
        self.settings_action = self._add(self.menu, "&Settings…", self.settings_requested.emit)
        self.menu.addSeparator()
        self.quit_action = self._add(self.menu, "&Quit", self.quit_requested.emit)
        self.tray.setContextMenu(self.menu)

    def set_routines(self, routines: Sequence[tuple[str, str]]) -> None:
        """Fill "Start a routine" with (id, title) pairs, in the order given."""
        self.routines_menu.clear()
        for routine_id, title in routines:
            action = self.routines_menu.addAction(title.replace("&", "&&"))
            action.setData(routine_id)
            action.triggered.connect(
                lambda _=False, routine_id=routine_id: self.routine_requested.emit(routine_id)
            )
        if not routines:
            placeholder = self.routines_menu.addAction("Loading routines…")
            placeholder.setEnabled(False)

    def set_status(
        self,
        fraction_left: float,
        minutes_left: int | None,
        *,
        paused: bool = False,
        paused_until: datetime | None = None,
        due: bool = False,
        quiet_until: datetime | None = None,
    ) -> None:
        """Show the time to the next break.

        ``fraction_left`` is 1.0 just after a break and 0.0 when the next is due;
        ``minutes_left`` is for the tooltip (None: say nothing of time). ``paused`` (or a
        ``paused_until`` time) shows reminders paused; ``due`` that a break is due now;
        ``quiet_until`` that it is outside working hours until then. The icon is only
        redrawn when what it shows changes.
        """
        self.show_status(
            TrayStatus(
                fraction_left=_clamp(fraction_left),
                minutes_left=minutes_left,
                paused=paused,
                paused_until=paused_until,
                due=due,
                quiet_until=quiet_until,
            )
        )

    def show_status(self, status: TrayStatus) -> None:
        """Like :meth:`set_status`, with the status as one value."""
        self._status = status
        state = status.state
        key = (state, ring_steps(status.fraction_left) if state is RingState.RUNNING else 0)
        if key != self._icon_key:
            self._icon_key = key
            self.tray.setIcon(ring_icon(state, status.fraction_left))
        tooltip = status_text(status, self._now())
        if tooltip != self._tooltip:
            self._tooltip = tooltip
            self.tray.setToolTip(tooltip)
        self.resume_action.setEnabled(state is RingState.PAUSED)

    @property
    def status(self) -> TrayStatus:
        """What the tray shows now."""
        return self._status

    def tooltip(self) -> str:
        """The tooltip text."""
        return self._tooltip

    def icon(self) -> QIcon:
        """The icon as shown."""
        return self.tray.icon()

    def show(self) -> None:
        """Put the icon in the tray."""
        self.tray.show()

    def hide(self) -> None:
        """Take the icon out of the tray."""
        self.tray.hide()

    def is_visible(self) -> bool:
        """True while the icon is in the tray."""
        return self.tray.isVisible()

    def geometry(self) -> QRect:
        """Where the tray shows the icon (empty when it is not shown)."""
        return self.tray.geometry()

    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason is QSystemTrayIcon.ActivationReason.Trigger:
            self.open_requested.emit()
