"""The tray icon: the ring for each state, the tooltip, and the menu's signals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QSystemTrayIcon
from pytestqt.qtbot import QtBot

from backtimer.qt.tray_icon import (
    DUE_COLOR,
    ICON_SIZES,
    PAUSE_CHOICES,
    RING_STEPS,
    RUNNING_COLOR,
    PauseUntil,
    RingState,
    TrayIcon,
    TrayStatus,
    ring_pixmap,
    ring_steps,
    status_text,
    tray_available,
)

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # a Monday


def close_to(color: QColor, expected: QColor, tolerance: int = 40) -> bool:
    return (
        color.alpha() > 150
        and abs(color.red() - expected.red()) <= tolerance
        and abs(color.green() - expected.green()) <= tolerance
        and abs(color.blue() - expected.blue()) <= tolerance
    )


def ring_image(state: RingState, fraction: float, size: int = 64) -> QImage:
    return ring_pixmap(size, state, fraction).toImage()


def at(image: QImage, x: float, y: float) -> QColor:
    """The colour at a point given as fractions of the image's size."""
    return image.pixelColor(round(x * (image.width() - 1)), round(y * (image.height() - 1)))


# Points on the ring: the ring's middle is at about 14 % from the edge at 64 px.
TOP, RIGHT, BOTTOM, LEFT = (0.5, 0.13), (0.87, 0.5), (0.5, 0.87), (0.13, 0.5)


def test_a_full_ring_just_after_a_break(qtbot: QtBot) -> None:
    image = ring_image(RingState.RUNNING, 1.0)
    for point in (TOP, RIGHT, BOTTOM, LEFT):
        assert close_to(at(image, *point), RUNNING_COLOR), point


def test_the_ring_empties_clockwise_toward_the_break(qtbot: QtBot) -> None:
    image = ring_image(RingState.RUNNING, 0.3)
    assert close_to(at(image, *RIGHT), RUNNING_COLOR)  # 12 → 3 o'clock is a quarter
    assert not close_to(at(image, *BOTTOM), RUNNING_COLOR)
    assert not close_to(at(image, *LEFT), RUNNING_COLOR)
    empty = ring_image(RingState.RUNNING, 0.0)
    for point in (TOP, RIGHT, BOTTOM, LEFT):
        assert not close_to(at(empty, *point), RUNNING_COLOR), point


def test_due_and_paused_look_different(qtbot: QtBot) -> None:
    due = ring_image(RingState.DUE, 0.0)
    assert close_to(at(due, *TOP), DUE_COLOR)
    assert close_to(at(due, 0.5, 0.5), DUE_COLOR)  # the dot
    paused = ring_image(RingState.PAUSED, 1.0)
    pixels = {at(paused, x / 20, y / 20).rgba() for x in range(21) for y in range(21)}
    assert not any(close_to(QColor.fromRgba(p), RUNNING_COLOR) for p in pixels)
    assert not any(close_to(QColor.fromRgba(p), DUE_COLOR) for p in pixels)
    assert at(paused, 0.5, 0.5).alpha() == 0  # between the two bars
    assert at(paused, 0.42, 0.5).alpha() > 150  # a bar
    images = [ring_image(state, 0.5) for state in RingState]
    assert len({image.cacheKey() for image in images}) == len(images)
    assert len({bytes(image.constBits()) for image in images}) == len(images)


@pytest.mark.parametrize("size", ICON_SIZES)
def test_the_ring_is_drawn_at_every_tray_size(qtbot: QtBot, size: int) -> None:
    image = ring_image(RingState.RUNNING, 0.6, size)
    assert image.size() == QSize(size, size)
    assert at(image, 0, 0).alpha() == 0  # transparent corners
    assert (
        sum(1 for x in range(size) for y in range(size) if image.pixelColor(x, y).alpha() > 0)
        > size * size / 8
    )


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
    lengths = []
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
