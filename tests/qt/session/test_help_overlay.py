"""The keyboard help overlay: shows the shortcuts over its parent, closes on Esc, F1 or a click."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from backtimer.qt.session.help_overlay import HelpOverlay

SHORTCUTS = [
    ("Space", "Start, pause or resume"),
    ("→", "Skip to the next exercise"),
    ("Esc", "Stop the session"),
    ("F1", "Show or hide this help"),
]


def make_overlay(qtbot: QtBot) -> tuple[QWidget, QPushButton, HelpOverlay]:
    host = QWidget()
    qtbot.addWidget(host)
    button = QPushButton("Underneath")
    layout = QVBoxLayout(host)
    layout.addWidget(button)
    host.resize(1000, 700)
    overlay = HelpOverlay(SHORTCUTS, host)
    host.show()
    host.activateWindow()
    qtbot.waitExposed(host)
    button.setFocus()
    qtbot.waitUntil(button.hasFocus)
    return host, button, overlay


def test_hidden_until_opened_then_covers_the_parent(qtbot: QtBot) -> None:
    host, _button, overlay = make_overlay(qtbot)
    assert not overlay.isVisible()
    overlay.open()
    assert overlay.isVisible()
    assert overlay.geometry() == host.rect()
    assert host.rect().contains(overlay.card.geometry())
    assert overlay.card.geometry().center().x() == pytest.approx(host.rect().center().x(), abs=2)
    qtbot.waitUntil(overlay.hasFocus)
    host.resize(800, 600)
    qtbot.waitUntil(lambda: overlay.geometry() == host.rect())


def test_lists_every_shortcut(qtbot: QtBot) -> None:
    _host, _button, overlay = make_overlay(qtbot)
    assert overlay.shortcuts == SHORTCUTS
    texts = [label.text() for label in overlay.card.findChildren(QLabel)]
    for keys, action in SHORTCUTS:
        assert keys in texts
        assert action in texts
        assert f"{keys}: {action}" in overlay.accessibleDescription()
    assert overlay.accessibleName() == "Keyboard shortcuts"
    overlay.set_shortcuts([("Ctrl+Q", "Quit")])
    assert overlay.shortcuts == [("Ctrl+Q", "Quit")]


@pytest.mark.parametrize("key", [Qt.Key.Key_Escape, Qt.Key.Key_F1])
def test_a_key_closes_it_and_gives_the_focus_back(qtbot: QtBot, key: Qt.Key) -> None:
    _host, button, overlay = make_overlay(qtbot)
    overlay.open()
    qtbot.waitUntil(overlay.hasFocus)
    with qtbot.waitSignal(overlay.closed):
        qtbot.keyClick(overlay, key)
    assert not overlay.isVisible()
    qtbot.waitUntil(button.hasFocus)


def test_a_click_closes_it(qtbot: QtBot) -> None:
    _host, _button, overlay = make_overlay(qtbot)
    overlay.open()
    with qtbot.waitSignal(overlay.closed):
        qtbot.mouseClick(overlay.card, Qt.MouseButton.LeftButton)
    assert not overlay.isVisible()
    overlay.open()
    with qtbot.waitSignal(overlay.closed):
        qtbot.mouseClick(overlay, Qt.MouseButton.LeftButton, pos=overlay.rect().topLeft())


def test_its_keys_win_over_the_window_shortcuts(qtbot: QtBot) -> None:
    host, _button, overlay = make_overlay(qtbot)
    stops: list[bool] = []
    stop = QAction("Stop", host)
    stop.setShortcut(QKeySequence(Qt.Key.Key_Escape))
    stop.triggered.connect(lambda: stops.append(True))
    host.addAction(stop)
    overlay.open()
    qtbot.waitUntil(overlay.hasFocus)
    with qtbot.waitSignal(overlay.closed):
        qtbot.keyClick(overlay, Qt.Key.Key_Escape)
    assert stops == []


def test_tab_stays_on_the_overlay(qtbot: QtBot) -> None:
    _host, button, overlay = make_overlay(qtbot)
    overlay.open()
    qtbot.waitUntil(overlay.hasFocus)
    qtbot.keyClick(overlay, Qt.Key.Key_Tab)
    assert overlay.hasFocus()
    assert not button.hasFocus()


def test_toggle(qtbot: QtBot) -> None:
    _host, _button, overlay = make_overlay(qtbot)
    overlay.toggle()
    assert overlay.isVisible()
    with qtbot.waitSignal(overlay.closed):
        overlay.toggle()
    assert not overlay.isVisible()
