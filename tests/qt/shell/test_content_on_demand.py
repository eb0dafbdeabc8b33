"""Content loaded once, when first wanted: at once, after a widget shows, or from the tray."""

from __future__ import annotations

from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from backtimer.qt.breaks.tray_icon import TrayIcon
from backtimer.qt.shell.content_on_demand import ContentOnDemand


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


class PaintLog(QWidget):
    """A widget that notes each of its paints in ``log``."""

    def __init__(self, log: list[str]) -> None:
        super().__init__()
        self.log = log

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        self.log.append("paint")
        super().paintEvent(event)


def test_a_shown_window_paints_before_the_content_loads(qtbot: QtBot) -> None:
    log: list[str] = []
    widget = PaintLog(log)
    qtbot.addWidget(widget)
    on_demand = ContentOnDemand(lambda: log.append("load"))
    on_demand.when_shown(widget)
    widget.show()
    qtbot.waitUntil(lambda: "load" in log)
    assert log[0] == "paint", log
    assert log.count("load") == 1


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
