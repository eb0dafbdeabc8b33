"""backtimer's icon: the one the window, the tray and the desktop entry show.

The icon is drawn once, as ``assets/icons/hicolor/scalable/apps/backtimer.svg``; the PNGs
beside it (``assets/icons/hicolor/<N>x<N>/apps/backtimer.png``) are rendered from it::

    python -m backtimer.qt.widgets.app_icon

The folder follows the freedesktop icon theme layout, so it can be copied as it is into
``~/.local/share/icons`` (see docs/packaging.md). It ships inside the package with the
other assets.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Final

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QGuiApplication, QIcon, QImage, QPainter

from backtimer.core.paths import assets_dir

#: The icon's name in an icon theme (the desktop entry's ``Icon=``).
ICON_NAME: Final = "backtimer"
#: The sizes of the rendered PNGs, in pixels.
ICON_SIZES: Final = (16, 22, 24, 32, 48, 64, 128, 256)


def icon_theme_dir(assets: Path | None = None) -> Path:
    """The ``hicolor`` folder that holds the icon in every size."""
    return (assets if assets is not None else assets_dir()) / "icons" / "hicolor"


def svg_path(theme_dir: Path | None = None) -> Path:
    """The scalable icon, the source of the PNGs."""
    root = theme_dir if theme_dir is not None else icon_theme_dir()
    return root / "scalable" / "apps" / f"{ICON_NAME}.svg"


def png_path(size: int, theme_dir: Path | None = None) -> Path:
    """The PNG of the icon at ``size`` × ``size`` pixels."""
    root = theme_dir if theme_dir is not None else icon_theme_dir()
    return root / f"{size}x{size}" / "apps" / f"{ICON_NAME}.png"


def render_png(svg: Path, size: int) -> QImage:
    """The SVG drawn on a transparent ``size`` × ``size`` image."""
    from PySide6.QtSvg import QSvgRenderer  # only here: the app itself uses the PNGs

    renderer = QSvgRenderer(QByteArray(svg.read_bytes()))
    if not renderer.isValid():
        raise ValueError(f"{svg}: not an SVG image Qt can draw")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    return image


def write_pngs(theme_dir: Path) -> list[Path]:
    """Render the SVG in ``theme_dir`` into a PNG for every size; returns the files."""
    written = []
    for size in ICON_SIZES:
        target = png_path(size, theme_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not render_png(svg_path(theme_dir), size).save(str(target)):
            raise OSError(f"{target}: could not write the PNG")
        written.append(target)
    return written


def app_icon() -> QIcon:
    """The app's icon in every size, for the window and the tray."""
    icon = QIcon()
    for size in ICON_SIZES:
        icon.addFile(str(png_path(size)), QSize(size, size))
    return icon


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point: render the PNGs from the SVG."""
    parser = argparse.ArgumentParser(description="Render backtimer's icon PNGs from its SVG.")
    parser.add_argument(
        "theme_dir",
        nargs="?",
        type=Path,
        default=None,
        help="the hicolor folder (default: the one in the assets)",
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QGuiApplication([])
    for path in write_pngs(args.theme_dir or icon_theme_dir()):
        print(path)
    app.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
