"""Find what a window cuts off: widgets outside their parent, or smaller than their content.

A widget is clipped when it shows (is visible to the window) and either lies partly
outside its parent's rectangle, or is narrower or shorter than its own minimum size hint
(a button whose text does not fit, a label whose wrapped text needs more lines than it
has room for, a container smaller than its layout needs). Pictures (a figure, a chart)
scale to the room they get and are only checked for sticking out. Widgets inside a
scroll area's viewport may extend past it (they scroll); Qt's own parts of compound
widgets (named ``qt_…``: the inside of a spin box, a calendar, a scroll bar) are left to
their owners.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QTabBar,
    QWidget,
)

#: Widgets whose content is text: smaller than their hint, the text is cut.
TEXT_WIDGETS = (QLabel, QAbstractButton, QComboBox, QLineEdit, QAbstractSpinBox, QTabBar)

#: Pixels of slack: rounding in layouts is not clipping.
SLACK = 1


def _is_qt_internal(widget: QWidget) -> bool:
    current: QWidget | None = widget
    while current is not None:
        if current.objectName().startswith("qt_"):
            return True
        current = current.parentWidget()
    return False


def _scrolls(widget: QWidget) -> bool:
    """True when ``widget`` (or an ancestor) is content that its scroll area scrolls."""
    current: QWidget | None = widget
    while current is not None:
        parent = current.parentWidget()
        grandparent = parent.parentWidget() if parent is not None else None
        if isinstance(grandparent, QAbstractScrollArea) and parent is grandparent.viewport():
            return True
        current = parent
    return False


def _describe(widget: QWidget) -> str:
    name = widget.accessibleName() or widget.objectName() or type(widget).__name__
    text = widget.text() if isinstance(widget, QLabel) else ""
    return f"{type(widget).__name__} {name!r}" + (f" ({text[:40]!r})" if text else "")


def _needs(widget: QWidget) -> tuple[int, int]:
    hint = widget.minimumSizeHint()
    height = hint.height()
    if isinstance(widget, QLabel) and widget.wordWrap() and widget.hasHeightForWidth():
        height = widget.heightForWidth(widget.width())
    return hint.width(), height


def clipped_widgets(window: QWidget) -> list[str]:
    """What ``window`` cuts off, one line each (empty when nothing is)."""
    found: list[str] = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window) or _is_qt_internal(widget):
            continue
        parent = widget.parentWidget()
        if parent is None or widget.isWindow():
            continue
        inside = parent.rect().adjusted(-SLACK, -SLACK, SLACK, SLACK)
        if not _scrolls(widget) and not inside.contains(widget.geometry()):
            found.append(f"{_describe(widget)} sticks out of its parent")
            continue
        if not isinstance(widget, TEXT_WIDGETS) and widget.layout() is None:
            continue  # a picture (a figure, a chart) scales to the room it gets
        width, height = _needs(widget)
        if widget.width() + SLACK < width or widget.height() + SLACK < height:
            found.append(
                f"{_describe(widget)} is {widget.width()}×{widget.height()}, needs {width}×{height}"
            )
    return found
