"""Themes: both palettes keep text readable (WCAG 4.5:1), the system is followed, text scales."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

from backtimer.core.settings import Theme
from backtimer.qt.widgets import theme as theme_module
from backtimer.qt.widgets.theme import (
    LARGER_TEXT_SCALE,
    MIN_CONTRAST,
    TEXT_PAIRS,
    apply_theme,
    contrast_ratio,
    dark_palette,
    light_palette,
    palette_is_dark,
    scaled_font,
)

Role = QPalette.ColorRole
Group = QPalette.ColorGroup


@pytest.fixture
def app(qapp: QApplication) -> Iterator[QApplication]:
    """The application, put back to the system theme and its own font afterwards."""
    assert isinstance(qapp, QApplication)
    font = QFont(qapp.font())
    yield qapp
    apply_theme(qapp, Theme.SYSTEM, False, font)


def test_contrast_ratio_follows_wcag() -> None:
    assert contrast_ratio(QColor("black"), QColor("white")) == pytest.approx(21.0)
    assert contrast_ratio(QColor("white"), QColor("black")) == pytest.approx(21.0)
    assert contrast_ratio(QColor("#336699"), QColor("#336699")) == pytest.approx(1.0)
    # Known values: #767676 is the lightest grey that passes AA on white, #777777 fails.
    assert contrast_ratio(QColor("#767676"), QColor("white")) == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio(QColor("#777777"), QColor("white")) < 4.5


@pytest.mark.parametrize("palette_name", ["light", "dark"])
@pytest.mark.parametrize(("text", "background"), TEXT_PAIRS)
@pytest.mark.parametrize("group", [Group.Active, Group.Inactive])
def test_text_contrast_is_at_least_4_5(
    palette_name: str, text: Role, background: Role, group: Group
) -> None:
    palette = light_palette() if palette_name == "light" else dark_palette()
    ratio = contrast_ratio(palette.color(group, text), palette.color(group, background))
    assert ratio >= MIN_CONTRAST, f"{palette_name} {text.name} on {background.name}: {ratio:.2f}"


def test_the_brief_pairs_are_checked() -> None:
    for pair in [
        (Role.WindowText, Role.Window),
        (Role.ButtonText, Role.Button),
        (Role.Text, Role.Base),
        (Role.HighlightedText, Role.Highlight),
    ]:
        assert pair in TEXT_PAIRS


def test_the_palettes_are_light_and_dark() -> None:
    assert palette_is_dark(dark_palette())
    assert not palette_is_dark(light_palette())


def test_light_and_dark_are_applied(app: QApplication) -> None:
    font = QFont(app.font())
    apply_theme(app, Theme.DARK, False, font)
    assert palette_is_dark(app.palette())
    assert app.style().name().lower() == "fusion"
    assert app.palette().color(Role.Window) == dark_palette().color(Role.Window)
    apply_theme(app, Theme.LIGHT, False, font)
    assert not palette_is_dark(app.palette())
    assert app.palette().color(Role.Window) == light_palette().color(Role.Window)


def test_system_puts_back_the_platform_look(
    app: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    font = QFont(app.font())
    monkeypatch.setattr(theme_module, "system_scheme", lambda _app: Qt.ColorScheme.Light)
    apply_theme(app, Theme.SYSTEM, False, font)
    platform_window = app.palette().color(Role.Window)
    style = app.style().name()
    apply_theme(app, Theme.DARK, False, font)
    assert app.palette().color(Role.Window) != platform_window
    apply_theme(app, Theme.SYSTEM, False, font)
    assert app.palette().color(Role.Window) == platform_window
    assert app.style().name() == style


def test_system_follows_a_dark_desktop_and_its_changes(
    app: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    font = QFont(app.font())
    scheme = [Qt.ColorScheme.Light]
    monkeypatch.setattr(theme_module, "system_scheme", lambda _app: scheme[0])
    apply_theme(app, Theme.SYSTEM, False, font)
    assert not palette_is_dark(app.palette())  # the offscreen platform's palette is light
    scheme[0] = Qt.ColorScheme.Dark
    app.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert palette_is_dark(app.palette())
    scheme[0] = Qt.ColorScheme.Light
    app.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert not palette_is_dark(app.palette())
    # A chosen theme does not follow the desktop.
    apply_theme(app, Theme.LIGHT, False, font)
    scheme[0] = Qt.ColorScheme.Dark
    app.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert not palette_is_dark(app.palette())


def test_larger_text_scales_the_font_up_and_back(app: QApplication) -> None:
    base = QFont(app.font())
    assert base.pointSizeF() > 0
    apply_theme(app, Theme.SYSTEM, True, base)
    assert app.font().pointSizeF() == pytest.approx(base.pointSizeF() * LARGER_TEXT_SCALE)
    assert app.font().family() == base.family()
    apply_theme(app, Theme.DARK, True, base)  # changing the theme keeps it larger
    assert app.font().pointSizeF() == pytest.approx(base.pointSizeF() * LARGER_TEXT_SCALE)
    apply_theme(app, Theme.DARK, False, base)
    assert app.font() == base


def test_a_pixel_sized_font_scales_too() -> None:
    font = QFont()
    font.setPixelSize(16)
    assert scaled_font(font, True).pixelSize() == 20
    assert scaled_font(font, False).pixelSize() == 16
