"""The tray icon: the app icon drawn for each state, the tooltip, and the menu's signals."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication, QSystemTrayIcon
from pytestqt.qtbot import QtBot

from backtimer.qt.breaks.tray_icon import (
    DISC_COLOR,
    DUE_COLOR,
    ICON_SIZES,
    PAUSE_CHOICES,
    RING_COLOR,
    RING_GAP_DEGREES,
    RING_STEPS,
    SMALL_SIZE,
    VERTEBRA_COLOR,
    PauseUntil,
    RingState,
    TrayIcon,
    TrayStatus,
    paint_ring,
    ring_pixmap,
    ring_steps,
    status_text,
    tray_available,
)
from backtimer.qt.widgets.app_icon import render_png, svg_path

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # a Monday
#: The sizes trays ask for, where the icon is laid on whole pixels.
TRAY_SIZES = tuple(size for size in ICON_SIZES if size < SMALL_SIZE)


def close_to(color: QColor, expected: QColor, tolerance: int = 40) -> bool:
    return (
        color.alpha() > 150
        and abs(color.red() - expected.red()) <= tolerance
        and abs(color.green() - expected.green()) <= tolerance
        and abs(color.blue() - expected.blue()) <= tolerance
    )


def lit(color: QColor) -> bool:
    """White or nearly: the ring's arc of time left (anti-aliased at its edges)."""
    return color.alpha() > 200 and min(color.red(), color.green(), color.blue()) >= 170


def track(color: QColor) -> bool:
    """The faint track over the teal disc: lighter than the disc, far from white."""
    return (
        color.alpha() > 200
        and not lit(color)
        and color.red() >= DISC_COLOR.red() + 30
        and abs(color.green() - color.blue()) < 30
    )


def ring_image(state: RingState, fraction: float, size: int = 64) -> QImage:
    return ring_pixmap(size, state, fraction).toImage()


def ray(image: QImage, degrees: float) -> list[QColor]:
    """The pixels from a third of the way out from the centre to the edge, in the direction
    ``degrees`` clockwise from 12 o'clock: where the ring is, outside the vertebrae."""
    size = image.width()
    half = size / 2
    dx, dy = math.sin(math.radians(degrees)), -math.cos(math.radians(degrees))
    colors = []
    steps = 4 * size
    for step in range(steps):
        distance = size * (0.32 + 0.18 * step / steps)
        x, y = math.floor(half + dx * distance), math.floor(half + dy * distance)
        colors.append(image.pixelColor(x, y))
    return colors


def pixels(image: QImage) -> list[QColor]:
    return [image.pixelColor(x, y) for x in range(image.width()) for y in range(image.height())]


def edge_of(fraction: float) -> float:
    """Where the white arc begins, in degrees clockwise from 12: it ends at the opening."""
    gone = 1 - ring_steps(fraction) / RING_STEPS
    return RING_GAP_DEGREES + (360 - 2 * RING_GAP_DEGREES) * gone


@pytest.mark.parametrize("size", ICON_SIZES)
def test_a_whole_ring_just_after_a_break(qapp: QApplication, size: int) -> None:
    image = ring_image(RingState.RUNNING, 1.0, size)
    for degrees in range(40, 330, 10):
        assert any(lit(c) for c in ray(image, degrees)), (size, degrees)
    # The opening at the top, as in the app icon.
    assert not any(lit(c) or track(c) for c in ray(image, 0)), size


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(ICON_SIZES), st.floats(0.0, 1.0))
def test_the_arc_is_the_time_left(qapp: QApplication, size: int, fraction: float) -> None:
    """The white arc runs from its edge clockwise to the opening at the top; behind the edge
    (the time gone, from the opening on) the ring is the faint track."""
    image = ring_image(RingState.RUNNING, fraction, size)
    edge = edge_of(fraction)
    for degrees in range(30, 340, 5):
        if abs(degrees - edge) < 16:  # the arc's round end
            continue
        colors = ray(image, degrees)
        if degrees > edge:
            assert any(lit(c) for c in colors), (degrees, edge)
        else:
            assert not any(lit(c) for c in colors), (degrees, edge)
            assert any(track(c) for c in colors), (degrees, edge)


def test_the_edge_sweeps_clockwise_toward_the_break(qapp: QApplication) -> None:
    right, bottom, left = 90, 180, 270
    later = ring_image(RingState.RUNNING, 0.3)  # 70 % gone: the arc is left of 12 only
    assert all(not any(lit(c) for c in ray(later, d)) for d in (right, bottom))
    assert any(lit(c) for c in ray(later, left))
    empty = ring_image(RingState.RUNNING, 0.0)
    for degrees in range(0, 360, 15):
        assert not any(lit(c) for c in ray(empty, degrees)), degrees


def test_the_icon_is_the_app_icon(qapp: QApplication) -> None:
    """Where a size has pixels enough, the tray draws the SVG's shapes and colours."""
    svg = svg_path().read_text(encoding="utf-8").lower()
    for color in (DISC_COLOR, RING_COLOR, VERTEBRA_COLOR):
        assert color.name() in svg
    for size in (size for size in ICON_SIZES if size >= SMALL_SIZE):
        ours = ring_image(RingState.RUNNING, 1.0, size).convertToFormat(
            QImage.Format.Format_RGBA8888
        )
        theirs = render_png(svg_path(), size).convertToFormat(QImage.Format.Format_RGBA8888)
        differences = [
            abs(a - b)
            for a, b in zip(bytes(ours.constBits()), bytes(theirs.constBits()), strict=True)
        ]
        assert sum(differences) / len(differences) <= 2.0, size


@pytest.mark.parametrize("size", TRAY_SIZES)
def test_tray_sizes_are_crisp(qapp: QApplication, size: int) -> None:
    """At 16 to 24 px the shapes sit on whole pixels: more pixels in exactly the app icon's
    colours, fewer smudged between them, than the SVG scaled down has."""
    ours = pixels(ring_image(RingState.RUNNING, 1.0, size))
    scaled = pixels(render_png(svg_path(), size))
    for color in (DISC_COLOR, RING_COLOR, VERTEBRA_COLOR):
        assert sum(c == color for c in ours) >= sum(c == color for c in scaled), color.name()
    exact = {DISC_COLOR.rgba(), RING_COLOR.rgba(), VERTEBRA_COLOR.rgba()}
    assert sum(c.rgba() in exact for c in ours) >= 1.1 * sum(c.rgba() in exact for c in scaled)


@pytest.mark.parametrize("size", ICON_SIZES)
def test_due_turns_the_disc_orange(qapp: QApplication, size: int) -> None:
    image = ring_image(RingState.DUE, 0.0, size)
    colors = pixels(image)
    assert sum(close_to(c, DUE_COLOR, 10) for c in colors) >= size * size / 5
    assert not any(close_to(c, DISC_COLOR) for c in colors)
    assert VERTEBRA_COLOR not in colors
    assert close_to(image.pixelColor(size // 2, size // 2), RING_COLOR)  # a white vertebra
    for degrees in range(40, 330, 30):
        assert any(lit(c) for c in ray(image, degrees)), degrees  # the whole ring


@pytest.mark.parametrize("size", ICON_SIZES)
def test_paused_shows_two_bars_on_the_track(qapp: QApplication, size: int) -> None:
    image = ring_image(RingState.PAUSED, 0.7, size)
    colors = pixels(image)
    assert not any(close_to(c, VERTEBRA_COLOR) or close_to(c, DUE_COLOR) for c in colors)
    half = size // 2
    assert image.pixelColor(half, half) == DISC_COLOR  # between the bars
    for x in (round(size * 0.4), round(size * 0.6) - 1):  # the bars
        assert image.pixelColor(x, half) == RING_COLOR, x
    for degrees in range(40, 330, 30):  # the ring is all track
        colors = ray(image, degrees)
        assert any(track(c) for c in colors), degrees
        assert not any(lit(c) for c in colors), degrees


@pytest.mark.parametrize("size", ICON_SIZES)
def test_quiet_is_the_icon_in_greys(qapp: QApplication, size: int) -> None:
    colors = [c for c in pixels(ring_image(RingState.QUIET, 1.0, size)) if c.alpha() > 0]
    assert len(colors) > size * size / 2
    for color in colors:
        assert (
            max(color.red(), color.green(), color.blue())
            - min(color.red(), color.green(), color.blue())
            <= 4
        ), color.name()


def test_every_state_looks_different(qapp: QApplication) -> None:
    for size in (16, 22, 64):
        images = [ring_image(state, 0.5, size) for state in RingState]
        assert len({bytes(image.constBits()) for image in images}) == len(images), size


@pytest.mark.parametrize("size", ICON_SIZES)
def test_the_icon_is_drawn_at_every_tray_size(qapp: QApplication, size: int) -> None:
    image = ring_image(RingState.RUNNING, 0.6, size)
    assert image.size() == QSize(size, size)
    assert image.pixelColor(0, 0).alpha() == 0  # transparent corners
    assert sum(1 for c in pixels(image) if c.alpha() > 0) > size * size * 0.7  # a disc


def test_paint_ring_draws_in_the_middle_of_the_rect(qapp: QApplication) -> None:
    image = QImage(40, 24, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    paint_ring(painter, QRectF(0, 0, 40, 24), RingState.DUE, 0.0)
    painter.end()
    assert image.pixelColor(5, 12).alpha() == 0
    assert image.pixelColor(34, 12).alpha() == 0
    alone = ring_image(RingState.DUE, 0.0, 24)
    for x in range(24):
        for y in range(24):
            assert image.pixelColor(8 + x, y) == alone.pixelColor(x, y), (x, y)


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_ring_steps_stay_in_range(fraction: float) -> None:
    assert 0 <= ring_steps(fraction) <= RING_STEPS


@pytest.mark.parametrize(
    ("status", "text"),
    [
        (TrayStatus(0.4, 23), "Next break in 23 min"),
        (TrayStatus(0.99, 60), "Next break in 1 h"),
        (TrayStatus(0.99, 65), "Next break in 1 h 5 min"),
        (TrayStatus(0.0, 0), "Next break in less than a minute"),
        (TrayStatus(1.0, None), "backtimer"),
        (TrayStatus(0.0, 0, due=True), "Time for a break"),
        (TrayStatus(paused=True), "Reminders paused"),
        (TrayStatus(paused_until=NOW.replace(hour=14, minute=30)), "Reminders paused until 14:30"),
        (
            TrayStatus(paused_until=NOW + timedelta(days=1, hours=-1)),
            "Reminders paused until tomorrow 09:00",
        ),
        (TrayStatus(quiet_until=NOW + timedelta(days=4, hours=-1)), "No reminders until Fri 09:00"),
        (TrayStatus(quiet_until=NOW + timedelta(days=9)), "No reminders until 11 Mar 10:00"),
    ],
)
def test_the_tooltip_says_what_is_next(status: TrayStatus, text: str) -> None:
    assert status_text(status, NOW) == text


def make_tray(qtbot: QtBot) -> TrayIcon:
    tray = TrayIcon(now=lambda: NOW)
    qtbot.addWidget(tray.menu)
    return tray


def test_set_status_shows_the_ring_and_the_tooltip(qtbot: QtBot) -> None:
    tray = make_tray(qtbot)
    tray.set_status(0.5, 30)
    assert tray.tooltip() == "Next break in 30 min"
    assert tray.tray.toolTip() == "Next break in 30 min"
    sizes = tray.icon().availableSizes()
    for size in ICON_SIZES:
        assert QSize(size, size) in sizes
    key = tray.icon().cacheKey()
    tray.set_status(0.5001, 30)  # the same ring step: not redrawn
    assert tray.icon().cacheKey() == key
    tray.set_status(0.2, 12)
    assert tray.icon().cacheKey() != key
    assert not tray.resume_action.isEnabled()
    tray.set_status(0.2, 12, paused_until=NOW + timedelta(hours=1))
    assert tray.status.state is RingState.PAUSED
    assert tray.tooltip() == "Reminders paused until 11:00"
    assert tray.resume_action.isEnabled()
    tray.set_status(0.0, 0, due=True)
    assert tray.tooltip() == "Time for a break"


def test_every_menu_item_emits_its_signal(qtbot: QtBot) -> None:
    tray = make_tray(qtbot)
    texts = [action.text() for action in tray.menu.actions() if not action.isSeparator()]
    assert texts == [
        "Take a &break now",
        "Start a &routine",
        "&Pause reminders",
        "R&esume reminders",
        "&Open backtimer",
        "&Settings…",
        "&Quit",
    ]
    tray.set_status(1.0, None, paused=True)  # Resume is only offered while paused
    for action, signal in (
        (tray.break_action, tray.break_requested),
        (tray.resume_action, tray.resume_requested),
        (tray.open_action, tray.open_requested),
        (tray.settings_action, tray.settings_requested),
        (tray.quit_action, tray.quit_requested),
    ):
        with qtbot.waitSignal(signal, timeout=1000):
            action.trigger()


def test_start_a_routine_lists_the_routines_given(qtbot: QtBot) -> None:
    tray = make_tray(qtbot)
    assert [a.text() for a in tray.routines_menu.actions()] == ["Loading routines…"]
    assert not tray.routines_menu.actions()[0].isEnabled()
    tray.set_routines([("desk-break", "Desk break"), ("neck", "Neck & shoulders")])
    actions = tray.routines_menu.actions()
    assert [a.text() for a in actions] == ["Desk break", "Neck && shoulders"]
    with qtbot.waitSignal(tray.routine_requested, timeout=1000) as chosen:
        actions[1].trigger()
    assert chosen.args == ["neck"]


def test_pause_offers_every_length(qtbot: QtBot) -> None:
    tray = make_tray(qtbot)
    assert [a.text() for a in tray.pause_menu.actions()] == [text for text, _ in PAUSE_CHOICES]
    lengths: list[object] = []
    tray.pause_requested.connect(lengths.append)
    for action in tray.pause_menu.actions():
        action.trigger()
    assert lengths == [
        timedelta(minutes=30),
        timedelta(hours=1),
        timedelta(hours=2),
        PauseUntil.TOMORROW,
        PauseUntil.RESUMED,
    ]


def test_a_left_click_opens_the_window(qtbot: QtBot) -> None:
    tray = make_tray(qtbot)
    with qtbot.assertNotEmitted(tray.open_requested):
        tray.tray.activated.emit(QSystemTrayIcon.ActivationReason.Context)
    with qtbot.waitSignal(tray.open_requested, timeout=1000):
        tray.tray.activated.emit(QSystemTrayIcon.ActivationReason.Trigger)


def test_no_tray_offscreen(qtbot: QtBot) -> None:
    assert tray_available() is False  # the offscreen platform has none
