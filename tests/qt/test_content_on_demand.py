"""Content loaded once, when first wanted: at once, after a widget shows, or from the tray."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from backtimer.qt.content_on_demand import ContentOnDemand
from backtimer.qt.tray_icon import TrayIcon


def test_ensure_loads_once(qtbot: QtBot) -> None:
    calls: list[int] = []
    on_demand = ContentOnDemand(lambda: calls.append(1))
    assert not on_demand.loaded
    on_demand.ensure()
    on_demand.ensure()
    assert calls == [1]
    assert on_demand.loaded


def test_ensure_soon_loads_from_the_event_loop(qtbot: QtBot) -> None:
    calls: list[int] = []
    on_demand = ContentOnDemand(lambda: calls.append(1))
    on_demand.ensure_soon()
    on_demand.ensure_soon()
    assert calls == []
    qtbot.waitUntil(lambda: calls == [1])
    qtbot.wait(20)
    assert calls == [1]


def test_a_hidden_widget_loads_nothing_until_it_shows(qtbot: QtBot) -> None:
    calls: list[int] = []
    widget = QWidget()
    qtbot.addWidget(widget)
    on_demand = ContentOnDemand(lambda: calls.append(1))
    on_demand.when_shown(widget)
    qtbot.wait(20)
    assert calls == []
    widget.show()
    qtbot.waitUntil(lambda: calls == [1])
    widget.hide()
    widget.show()
    qtbot.wait(20)
    assert calls == [1]


def test_a_visible_widget_loads_soon(qtbot: QtBot) -> None:
    calls: list[int] = []
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    on_demand = ContentOnDemand(lambda: calls.append(1))
    on_demand.when_shown(widget)
    qtbot.waitUntil(lambda: calls == [1])


def test_loading_first_for_another_reason_stops_watching(qtbot: QtBot) -> None:
    calls: list[int] = []
    widget = QWidget()
    qtbot.addWidget(widget)
    on_demand = ContentOnDemand(lambda: calls.append(1))
    on_demand.when_shown(widget)
    on_demand.ensure()
    widget.show()
    qtbot.wait(20)
    assert calls == [1]


def test_the_tray_asks_for_routines_until_it_has_them(qtbot: QtBot) -> None:
    tray = TrayIcon()
    wanted: list[int] = []
    tray.routines_wanted.connect(lambda: wanted.append(1))
    tray.routines_menu.aboutToShow.emit()
    assert wanted == [1]
    tray.set_routines([("desk-break", "Desk break")])
    tray.routines_menu.aboutToShow.emit()
    assert wanted == [1]
    assert [action.text() for action in tray.routines_menu.actions()] == ["Desk break"]


def test_routines_given_while_the_menu_opens_fill_it(qtbot: QtBot) -> None:
    tray = TrayIcon()
    tray.routines_wanted.connect(lambda: tray.set_routines([("warm-up", "Warm-up")]))
    tray.routines_menu.aboutToShow.emit()
    assert [action.data() for action in tray.routines_menu.actions()] == ["warm-up"]
