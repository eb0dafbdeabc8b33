"""Windows sized from the screen they open on, and put back where the user left them.

A window first opens at its preferred size, but never larger than :data:`SCREEN_SHARE` of
the screen's free area (the area without panels and docks), centred on that screen: the
screen of its parent, else the one under the pointer, else the primary one. Its minimum
size shrinks to fit that area too, so that nothing is cut off on an 800×600 screen.

Where the window was last time is kept as text (base64 of ``QWidget.saveGeometry()``) in
the settings; :func:`restore_geometry` puts it back, and fits it to the screen again when
the screens have changed since (a laptop taken off its large monitor).
"""

from __future__ import annotations

import base64
import binascii

from PySide6.QtCore import QByteArray, QRect, QSize
from PySide6.QtGui import QCursor, QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

#: The most of the screen's free area a window takes when it first opens.
SCREEN_SHARE = 0.9
#: Room left for the window's frame and title bar, which the window's size does not include.
FRAME_ALLOWANCE = QSize(16, 40)


def screen_for(window: QWidget) -> QScreen | None:
    """The screen ``window`` opens on: its parent's, the pointer's, or the primary one."""
    parent = window.parentWidget()
    if parent is not None and parent.isVisible():
        return parent.screen()
    return QGuiApplication.screenAt(QCursor.pos()) or QGuiApplication.primaryScreen()


def free_area(window: QWidget) -> QRect | None:
    """The free area of the screen ``window`` opens on (None without a screen)."""
    screen = screen_for(window)
    return screen.availableGeometry() if screen is not None else None


def fit_to_screen(window: QWidget, preferred: QSize, minimum: QSize | None = None) -> None:
    """Size ``window`` to ``preferred`` within its screen, and centre it there.

    ``minimum`` (if given) becomes the window's minimum size, shrunk to the screen's free
    area less the frame, so that the window can always be made to fit.
    """
    area = free_area(window)
    if area is None:
        window.resize(preferred)
        if minimum is not None:
            window.setMinimumSize(minimum)
        return
    room = QSize(area.width() - FRAME_ALLOWANCE.width(), area.height() - FRAME_ALLOWANCE.height())
    if minimum is not None:
        window.setMinimumSize(minimum.boundedTo(room))
    size = preferred.boundedTo(
        QSize(round(area.width() * SCREEN_SHARE), round(area.height() * SCREEN_SHARE))
    ).expandedTo(window.minimumSize())
    window.resize(size)
    frame = QRect(0, 0, size.width(), size.height() + FRAME_ALLOWANCE.height())
    frame.moveCenter(area.center())
    window.move(frame.topLeft())


def geometry_text(window: QWidget) -> str:
    """Where ``window`` is, as text for the settings."""
    return base64.b64encode(bytes(window.saveGeometry().data())).decode("ascii")


def restore_geometry(window: QWidget, text: str | None) -> bool:
    """Put ``window`` where ``text`` says, fitted to today's screen; False if it could not."""
    if not text:
        return False
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return False
    if not window.restoreGeometry(QByteArray(data)):
        return False
    area = free_area(window)
    if area is not None and not area.contains(window.frameGeometry()):
        room = QSize(area.width(), area.height() - FRAME_ALLOWANCE.height())
        window.resize(window.size().boundedTo(room).expandedTo(window.minimumSize()))
        place = window.frameGeometry()
        place.moveLeft(max(area.left(), min(place.left(), area.right() - place.width())))
        place.moveTop(max(area.top(), min(place.top(), area.bottom() - place.height())))
        window.move(place.topLeft())
    return True
