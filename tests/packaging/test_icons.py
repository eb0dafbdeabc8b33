"""The app icon: an SVG, and PNGs rendered from it at every size, in sync with it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from backtimer.qt.widgets.app_icon import ICON_SIZES, app_icon, png_path, render_png, svg_path

# Rendering differs a little between Qt versions (anti-aliasing): allow for that, no more.
MAX_CHANNEL_DIFFERENCE = 48
MAX_MEAN_DIFFERENCE = 2.0


def _difference(first: QImage, second: QImage) -> tuple[int, float]:
    """The largest and the mean difference of any colour or alpha channel."""
    a = first.convertToFormat(QImage.Format.Format_RGBA8888)
    b = second.convertToFormat(QImage.Format.Format_RGBA8888)
    left, right = bytes(a.constBits()), bytes(b.constBits())
    differences = [abs(x - y) for x, y in zip(left, right, strict=True)]
    return max(differences), sum(differences) / len(differences)


def test_the_icon_comes_in_every_size() -> None:
    assert ICON_SIZES == (16, 22, 24, 32, 48, 64, 128, 256)
    assert svg_path().is_file()
    for size in ICON_SIZES:
        image = QImage(str(png_path(size)))
        assert not image.isNull(), png_path(size)
        assert (image.width(), image.height()) == (size, size), png_path(size)
        assert image.hasAlphaChannel(), png_path(size)


@pytest.mark.parametrize("size", ICON_SIZES)
def test_the_pngs_are_rendered_from_the_svg(qapp: QApplication, size: int) -> None:
    committed = QImage(str(png_path(size)))
    largest, mean = _difference(committed, render_png(svg_path(), size))
    stale = (
        f"{png_path(size)} differs from the SVG (largest {largest}, mean {mean:.2f}): "
        "run python -m backtimer.qt.widgets.app_icon"
    )
    assert largest <= MAX_CHANNEL_DIFFERENCE, stale
    assert mean <= MAX_MEAN_DIFFERENCE, stale


def test_the_app_icon_has_every_size(qapp: QApplication) -> None:
    icon = app_icon()
    assert not icon.isNull()
    assert {(s.width(), s.height()) for s in icon.availableSizes()} == {
        (size, size) for size in ICON_SIZES
    }
    assert not icon.pixmap(QSize(16, 16)).isNull()


def test_a_broken_svg_is_named(qapp: QApplication, tmp_path: Path) -> None:
    broken = tmp_path / "broken.svg"
    broken.write_text("<svg")
    with pytest.raises(ValueError, match=r"broken\.svg: not an SVG image"):
        render_png(broken, 16)
