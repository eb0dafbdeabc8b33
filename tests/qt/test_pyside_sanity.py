"""The Qt binding in use keeps Python's reference counts right.

PySide6 6.12.0 took a reference from ``None`` at every call of a method that returns
nothing; on Python 3.11 ``None`` can be freed, so a running app aborted after a few
thousand calls (a tray icon redraw alone makes about seventy). pyproject.toml keeps that
release out; this test fails if such a release comes back.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject
from PySide6.QtGui import QImage, QPainter


def test_calls_returning_nothing_leave_the_reference_count_of_none_alone() -> None:
    holder = QObject()
    image = QImage(8, 8, QImage.Format.Format_ARGB32)
    before = sys.getrefcount(None)
    for _ in range(2000):
        holder.setObjectName("x")
    painter = QPainter(image)
    for _ in range(2000):
        painter.drawLine(0, 0, 4, 4)
    painter.end()
    after = sys.getrefcount(None)
    assert abs(after - before) < 100, f"None lost {before - after} references"
