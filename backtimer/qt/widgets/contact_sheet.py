"""Render every exercise illustration into one labelled contact sheet PNG.

    python -m backtimer.qt.widgets.contact_sheet docs/exercises.png
    python -m backtimer.qt.widgets.contact_sheet --halfway docs/exercises-halfway.png

Each cell shows an illustration (its keyframes; with ``--halfway`` the frames the window
animates at the start, halfway through and at the end of the movement) and, under it,
the exercise's name from the routines.
"""

from __future__ import annotations

import argparse
import math
import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from backtimer.core.figure.figures import load_figures
from backtimer.core.figure.svg import frames_figure, render_svg
from backtimer.core.paths import assets_dir, builtin_routines_dir
from backtimer.core.routine.library import load_library

CELL_WIDTH = 600
CELL_HEIGHT = 240
COLUMNS = 3


def exercise_names() -> dict[str, str]:
    """Illustration id → the exercise name, from the built-in routines."""
    names: dict[str, str] = {}
    for entry in load_library(builtin_routines_dir()).entries:
        for exercise in entry.routine.exercises:
            names.setdefault(exercise.illustration_id, exercise.name)
    return names


def render_sheet(svgs: list[tuple[str, str]], names: dict[str, str]) -> QImage:
    """The contact sheet of ``svgs``: (illustration id, SVG text) pairs."""
    rows = max(1, math.ceil(len(svgs) / COLUMNS))
    image = QImage(CELL_WIDTH * COLUMNS, CELL_HEIGHT * rows, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    font = QFont()
    font.setPixelSize(13)
    painter.setFont(font)
    for index, (figure_id, text) in enumerate(svgs):
        x = (index % COLUMNS) * CELL_WIDTH
        y = (index // COLUMNS) * CELL_HEIGHT
        renderer = QSvgRenderer(QByteArray(text.encode("utf-8")))
        size = renderer.defaultSize()
        room = QRectF(x + 8, y + 6, CELL_WIDTH - 16, CELL_HEIGHT - 34)
        scale = min(room.width() / size.width(), room.height() / size.height())
        width, height = size.width() * scale, size.height() * scale
        target = QRectF(room.x() + (room.width() - width) / 2, room.y(), width, height)
        renderer.render(painter, target)
        painter.setPen(QColor("#222222"))
        label = f"{names.get(figure_id, figure_id)}  ({figure_id})"
        painter.drawText(
            QRectF(x + 4, y + CELL_HEIGHT - 26, CELL_WIDTH - 8, 22),
            Qt.AlignmentFlag.AlignCenter,
            label,
        )
        painter.setPen(QColor("#dddddd"))
        painter.drawRect(x, y, CELL_WIDTH - 1, CELL_HEIGHT - 1)
    painter.end()
    return image


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("ids", nargs="*", help="only these illustration ids")
    parser.add_argument(
        "--halfway", action="store_true", help="the start, halfway and end frames of each"
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QGuiApplication([])
    figures = load_figures(assets_dir() / "poses")
    wanted = sorted(fid for fid in figures if not args.ids or fid in args.ids)
    if args.halfway:
        svgs = [(fid, render_svg(frames_figure(figures[fid]))) for fid in wanted]
    else:
        folder = assets_dir() / "exercises"
        svgs = [(fid, (folder / f"{fid}.svg").read_text(encoding="utf-8")) for fid in wanted]
    ok = render_sheet(svgs, exercise_names()).save(str(args.output))
    app.shutdown()
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
