"""Windows open sized from their screen and come back where they were, fitted to it."""

from __future__ import annotations

import base64

from PySide6.QtCore import QRect, QSize
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from backtimer.qt.widgets.window_size import (
    FRAME_ALLOWANCE,
    SCREEN_SHARE,
    fit_to_screen,
    free_area,
    geometry_text,
    restore_geometry,
)


def area_of(window: QWidget) -> QRect:
    area = free_area(window)
    assert area is not None
    return area


def test_a_window_larger_than_the_screen_opens_within_it(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    area = area_of(window)
    fit_to_screen(window, QSize(area.width() * 2, area.height() * 2))
    assert window.width() <= round(area.width() * SCREEN_SHARE)
    assert window.height() <= round(area.height() * SCREEN_SHARE)
    assert area.contains(window.geometry())


def test_a_small_window_keeps_its_size_and_is_centred(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    fit_to_screen(window, QSize(300, 200))
    assert window.size() == QSize(300, 200)
    area = area_of(window)
    assert abs(window.geometry().center().x() - area.center().x()) <= 1


def test_the_minimum_shrinks_to_what_the_screen_can_hold(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    area = area_of(window)
    fit_to_screen(window, QSize(100, 100), QSize(area.width() + 500, area.height() + 500))
    assert window.minimumWidth() <= area.width() - FRAME_ALLOWANCE.width()
    assert window.minimumHeight() <= area.height() - FRAME_ALLOWANCE.height()


def test_a_remembered_place_comes_back(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    window.setGeometry(40, 60, 320, 240)
    saved = geometry_text(window)
    other = QWidget()
    qtbot.addWidget(other)
    assert restore_geometry(other, saved)
    assert other.size() == QSize(320, 240)


def test_a_place_from_a_larger_screen_is_fitted_to_this_one(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    area = area_of(window)
    window.setGeometry(area.right() + 200, 10, area.width() + 900, area.height() + 700)
    saved = geometry_text(window)
    other = QWidget()
    qtbot.addWidget(other)
    assert restore_geometry(other, saved)
    assert other.width() <= area.width()
    assert other.height() <= area.height()
    assert area.intersects(other.frameGeometry())


def test_nothing_or_rubbish_restores_nothing(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    assert not restore_geometry(window, None)
    assert not restore_geometry(window, "not base64!")
    assert not restore_geometry(window, base64.b64encode(b"not a geometry").decode())
