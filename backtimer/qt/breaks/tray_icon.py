"""The system tray icon: the app's icon, whose ring shows the time left to the next break.

The icon is the one in ``assets/icons/hicolor/scalable/apps/backtimer.svg`` (a teal disc, a
white ring open at the top, three orange vertebrae), painted with QPainter at every size a
tray may ask for, so that the tray and the window show the same icon. While reminders count
down, the ring's white arc is the time left: whole just after a break, then its edge sweeps
clockwise like a clock hand toward the break at the top, leaving the faint track of the time
gone. Paused: two white bars stand in for the vertebrae and the ring is all track. A break
due: the disc turns orange and the vertebrae white. Outside working hours: the icon in greys.
Below :data:`SMALL_SIZE` the shapes are laid on whole pixels, so that the icon stays crisp
at 16 to 24 px. :class:`TrayIcon` only shows what it is told (:meth:`TrayIcon.set_status`)
and turns menu choices into signals; it knows nothing of the reminder policy.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from PySide6.QtCore import QObject, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import QAction, QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap, QTransform
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

#: The pixel sizes the icon is drawn at (trays ask for 16 to 64; Qt scales the rest).
ICON_SIZES = (16, 20, 22, 24, 32, 40, 48, 64)
#: How finely the ring shows the time left (a step of the ring is 1/RING_STEPS of it).
RING_STEPS = 60
#: From this size up the icon is the SVG's shapes scaled; below it they are laid on pixels.
SMALL_SIZE = 32

# The app icon's shapes, in the SVG's units: its viewBox is 256 × 256, centred on (128, 128).
ICON_VIEWBOX = 256.0
DISC_RADIUS = 122.0
RING_RADIUS = 88.0
RING_WIDTH = 20.0
#: The ring's opening at the top, in degrees either side of 12 o'clock.
RING_GAP_DEGREES = 20.0
#: The vertebrae, top to bottom: centre x, centre y, width, height, corner radius, and the
#: angle in degrees (clockwise) each is turned by about its centre.
VERTEBRAE: tuple[tuple[float, float, float, float, float, float], ...] = (
    (134.0, 79.0, 52.0, 30.0, 11.0, -10.0),
    (121.0, 125.0, 62.0, 34.0, 12.0, 0.0),
    (135.0, 174.0, 70.0, 36.0, 12.0, 8.0),
)

#: The app icon's colours.
DISC_COLOR = QColor("#1d5c63")
RING_COLOR = QColor("#ffffff")
VERTEBRA_COLOR = QColor("#ffb563")
#: The part of the ring whose time has gone: faint white over the disc.
TRACK_COLOR = QColor(255, 255, 255, 72)
#: The disc in each state: the app's teal; orange when a break is due; grey out of hours.
RUNNING_COLOR = DISC_COLOR
PAUSED_COLOR = DISC_COLOR
DUE_COLOR = QColor("#e66100")
QUIET_COLOR = QColor("#6b6b6b")
#: The ring and the vertebrae outside working hours.
QUIET_RING_COLOR = QColor("#e0e0e0")
QUIET_VERTEBRA_COLOR = QColor("#bdbdbd")


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


@dataclass(frozen=True, slots=True)
class _Colors:
    """How one state colours the icon."""

    disc: QColor
    ring: QColor  # the time left (or the whole ring, when there is no countdown)
    track: QColor  # the time gone
    marks: QColor  # the vertebrae, or the pause bars


_COLORS = {
    RingState.RUNNING: _Colors(RUNNING_COLOR, RING_COLOR, TRACK_COLOR, VERTEBRA_COLOR),
    RingState.PAUSED: _Colors(PAUSED_COLOR, TRACK_COLOR, TRACK_COLOR, RING_COLOR),
    RingState.DUE: _Colors(DUE_COLOR, RING_COLOR, TRACK_COLOR, RING_COLOR),
    RingState.QUIET: _Colors(QUIET_COLOR, QUIET_RING_COLOR, TRACK_COLOR, QUIET_VERTEBRA_COLOR),
}


@dataclass(frozen=True, slots=True)
class _Mark:
    """A rounded rectangle (a vertebra or a pause bar), in pixels, turned by ``angle``
    degrees clockwise about its centre."""

    x: float
    y: float
    width: float
    height: float
    radius: float
    angle: float = 0.0


@dataclass(frozen=True, slots=True)
class _Layout:
    """Where the icon's shapes go in a ``size`` × ``size`` square, in pixels."""

    centre: float  # x and y
    disc_radius: float
    ring_radius: float
    ring_width: float
    vertebrae: tuple[_Mark, ...]
    bars: tuple[_Mark, ...]


def _round(value: float) -> int:
    return math.floor(value + 0.5)


#: The pause bars, in the SVG's units: width, height and the gap between them.
_BAR_WIDTH, _BAR_HEIGHT, _BAR_GAP = 28.0, 92.0, 24.0


def _scaled_layout(size: float) -> _Layout:
    """The SVG's shapes scaled to ``size``: for sizes with pixels enough to show them."""
    k = size / ICON_VIEWBOX
    middle = ICON_VIEWBOX / 2
    vertebrae = tuple(
        _Mark((x - w / 2) * k, (y - h / 2) * k, w * k, h * k, r * k, angle)
        for x, y, w, h, r, angle in VERTEBRAE
    )
    bars = tuple(
        _Mark(
            left * k,
            (middle - _BAR_HEIGHT / 2) * k,
            _BAR_WIDTH * k,
            _BAR_HEIGHT * k,
            _BAR_WIDTH / 4 * k,
        )
        for left in (middle - _BAR_GAP / 2 - _BAR_WIDTH, middle + _BAR_GAP / 2)
    )
    return _Layout(size / 2, DISC_RADIUS * k, RING_RADIUS * k, RING_WIDTH * k, vertebrae, bars)


def _pixel_layout(size: int) -> _Layout:
    """The icon laid on whole pixels, for tray sizes (even ones): a 2 px ring whose edges
    fall between pixels, and upright vertebrae a whole number of pixels high and wide."""
    half = size // 2
    width = 2
    rim = 1 if size < 20 else 2  # the disc showing outside the ring
    ring_radius = half - rim - width // 2
    inner = ring_radius - width // 2  # the room inside the ring
    svg_inner = RING_RADIUS - RING_WIDTH / 2
    height, gap = (2, 1) if inner < 7 else (3, 1)
    top = half - (3 * height + 2 * gap) // 2
    corner = 0.0 if height < 3 else 1.0  # two pixels high is too little to round
    vertebrae = []
    for index, (x, _, w, _, _, _) in enumerate(VERTEBRAE):
        middle = half + (x - ICON_VIEWBOX / 2) / svg_inner * inner
        span = w / svg_inner * inner
        left, right = _round(middle - span / 2), _round(middle + span / 2)
        y = top + index * (height + gap)
        vertebrae.append(_Mark(left, y, right - left, height, corner))
    bar_width = max(2, _round(inner * 0.4))
    bar_height = 2 * max(3, _round(inner * 0.7))
    bars = tuple(
        _Mark(left, half - bar_height // 2, bar_width, bar_height, 0.5)
        for left in (half - 1 - bar_width, half + 1)
    )
    return _Layout(half, half, ring_radius, width, tuple(vertebrae), bars)


def _layout(size: float) -> _Layout:
    if size < SMALL_SIZE and size == int(size) and int(size) % 2 == 0:
        return _pixel_layout(int(size))
    return _scaled_layout(size)


def _qt_angle(clockwise_from_top: float) -> int:
    """A clockwise angle from 12 o'clock in degrees, as Qt has it: in 1/16 degree,
    counter-clockwise from 3 o'clock."""
    return _round((90 - clockwise_from_top) * 16)


def _draw_arc(
    painter: QPainter, ring: QRectF, width: float, color: QColor, start: float, end: float
) -> None:
    """The ring from ``start`` to ``end``, in degrees clockwise from 12 o'clock."""
    pen = QPen(color, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    painter.drawArc(ring, _qt_angle(start), _qt_angle(end) - _qt_angle(start))


def _draw_marks(painter: QPainter, origin: QPointF, marks: Sequence[_Mark]) -> None:
    for mark in marks:
        rect = QRectF(origin.x() + mark.x, origin.y() + mark.y, mark.width, mark.height)
        if mark.angle:
            path = QPainterPath()
            path.addRoundedRect(rect, mark.radius, mark.radius)
            centre = rect.center()
            turn = QTransform().translate(centre.x(), centre.y()).rotate(mark.angle)
            painter.drawPath(turn.translate(-centre.x(), -centre.y()).map(path))
        else:
            painter.drawRoundedRect(rect, mark.radius, mark.radius)


def paint_ring(painter: QPainter, rect: QRectF, state: RingState, fraction_left: float) -> None:
    """Draw the icon for ``state`` in the middle of ``rect``; while reminders count down
    (:attr:`RingState.RUNNING`) the ring's white arc is ``fraction_left``."""
    size = min(rect.width(), rect.height())
    layout = _layout(size)
    colors = _COLORS[state]
    origin = QPointF(rect.x() + (rect.width() - size) / 2, rect.y() + (rect.height() - size) / 2)
    centre = origin + QPointF(layout.centre, layout.centre)
    r = layout.ring_radius
    ring = QRectF(centre.x() - r, centre.y() - r, 2 * r, 2 * r)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colors.disc)
    painter.drawEllipse(centre, layout.disc_radius, layout.disc_radius)
    first, last = RING_GAP_DEGREES, 360 - RING_GAP_DEGREES
    if state is RingState.RUNNING:
        steps = ring_steps(fraction_left)
        # The edge sweeps clockwise from the opening's right to its left as time goes.
        edge = first + (last - first) * (RING_STEPS - steps) / RING_STEPS
        if steps < RING_STEPS:
            _draw_arc(painter, ring, layout.ring_width, colors.track, first, edge)
        if steps > 0:
            _draw_arc(painter, ring, layout.ring_width, colors.ring, edge, last)
    else:
        _draw_arc(painter, ring, layout.ring_width, colors.ring, first, last)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colors.marks)
    _draw_marks(painter, origin, layout.bars if state is RingState.PAUSED else layout.vertebrae)


def ring_pixmap(size: int, state: RingState, fraction_left: float = 1.0) -> QPixmap:
    """The icon drawn on a transparent ``size`` × ``size`` pixmap."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    try:
        paint_ring(painter, QRectF(0, 0, size, size), state, fraction_left)
    finally:
        painter.end()
    return pixmap


#: The largest size drawn anew at every step of the ring. Qt's painter fills larger
#: antialiased shapes with the help of worker threads, which it starts for the job and
#: which linger; so the larger sizes (for high-density trays) move in coarser steps.
FINE_SIZE_MAX = 24
#: How many ring steps the larger sizes move at a time (5 minutes of an hour).
COARSE_STEPS = 5


@functools.lru_cache(maxsize=4 * len(ICON_SIZES))
def _large_pixmap(size: int, state: RingState, steps: int) -> QPixmap:
    return ring_pixmap(size, state, steps / RING_STEPS)


def ring_icon(state: RingState, fraction_left: float = 1.0) -> QIcon:
    """The icon with a pixmap drawn for each of :data:`ICON_SIZES`."""
    icon = QIcon()
    steps = ring_steps(fraction_left)
    coarse = math.ceil(steps / COARSE_STEPS) * COARSE_STEPS
    for size in ICON_SIZES:
        if size <= FINE_SIZE_MAX:
            icon.addPixmap(ring_pixmap(size, state, fraction_left))
        else:
            icon.addPixmap(_large_pixmap(size, state, coarse))
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
    #: "Start a routine" is opening and has no routines yet: the app may load them now
    #: (:meth:`set_routines` fills the menu before it shows).
    routines_wanted = Signal()
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
        self._has_routines = False
        self.routines_menu.aboutToShow.connect(self._on_routines_about_to_show)
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
        self._has_routines = bool(routines)
        if not routines:
            placeholder = self.routines_menu.addAction("Loading routines…")
            placeholder.setEnabled(False)

    def _on_routines_about_to_show(self) -> None:
        if not self._has_routines:
            self.routines_wanted.emit()

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
