"""Light, dark or the system's look, and larger text, for the whole application.

How each :class:`~backtimer.core.settings.Theme` is applied:

* ``LIGHT`` and ``DARK`` ask the platform for that colour scheme
  (``QStyleHints.setColorScheme``, Qt 6.8+, so native parts such as title bars agree
  where the platform supports it) and always set the Fusion style with this module's own
  palette. Doing both keeps the look the same on every platform, including those that
  ignore the request (X11 without a desktop portal, offscreen), and keeps text contrast
  at 4.5:1 or more (WCAG AA), which the tests check.
* ``SYSTEM`` withdraws any request (``unsetColorScheme``) and puts back the style and
  palette the platform gave the application at start. If the system reports a dark scheme
  (``QStyleHints.colorScheme()``, Qt 6.5+) but the platform's palette is light (a platform
  theme that cannot draw dark), the dark palette is used instead. The application follows
  ``colorSchemeChanged``, so switching the desktop between light and dark while backtimer
  runs switches it too.

Larger text sets the application font to ``base_font`` scaled by :data:`LARGER_TEXT_SCALE`;
without it the application font is ``base_font`` itself, so toggling back restores it.
Widgets that set their own font size keep it.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

from backtimer.core.settings import Theme
from backtimer.qt.widgets import fonts

#: How much larger text is.
LARGER_TEXT_SCALE = 1.25
#: The least contrast between text and its background (WCAG 2 AA for normal text).
MIN_CONTRAST = 4.5

Role = QPalette.ColorRole

#: Colours for every role in the light palette (active and inactive).
LIGHT_COLORS: dict[QPalette.ColorRole, str] = {
    Role.Window: "#f3f3f3",
    Role.WindowText: "#1a1a1a",
    Role.Base: "#ffffff",
    Role.AlternateBase: "#f0f0f0",
    Role.Text: "#1a1a1a",
    Role.Button: "#e6e6e6",
    Role.ButtonText: "#1a1a1a",
    Role.BrightText: "#ffffff",
    Role.Highlight: "#1a5fb4",
    Role.HighlightedText: "#ffffff",
    Role.ToolTipBase: "#ffffdc",
    Role.ToolTipText: "#1a1a1a",
    Role.PlaceholderText: "#696969",
    Role.Link: "#1a5fb4",
    Role.LinkVisited: "#613583",
    Role.Light: "#ffffff",
    Role.Midlight: "#eaeaea",
    Role.Mid: "#b8b8b8",
    Role.Dark: "#9e9e9e",
    Role.Shadow: "#6e6e6e",
    Role.Accent: "#1a5fb4",
}

#: Colours for every role in the dark palette (active and inactive).
DARK_COLORS: dict[QPalette.ColorRole, str] = {
    Role.Window: "#1f2023",
    Role.WindowText: "#e8eaed",
    Role.Base: "#2b2d31",
    Role.AlternateBase: "#323439",
    Role.Text: "#e8eaed",
    Role.Button: "#3a3c41",
    Role.ButtonText: "#e8eaed",
    Role.BrightText: "#ffffff",
    Role.Highlight: "#2f5f9e",
    Role.HighlightedText: "#ffffff",
    Role.ToolTipBase: "#3a3c41",
    Role.ToolTipText: "#e8eaed",
    Role.PlaceholderText: "#9aa0a6",
    Role.Link: "#8ab4f8",
    Role.LinkVisited: "#c58af9",
    Role.Light: "#4a4d52",
    Role.Midlight: "#3c3f43",
    Role.Mid: "#2a2c2f",
    Role.Dark: "#141517",
    Role.Shadow: "#000000",
    Role.Accent: "#2f5f9e",
}

#: Disabled controls: dimmer text (WCAG exempts inactive controls, these stay near 3:1).
LIGHT_DISABLED: dict[QPalette.ColorRole, str] = {
    Role.WindowText: "#8a8a8a",
    Role.Text: "#8a8a8a",
    Role.ButtonText: "#8a8a8a",
    Role.Highlight: "#c8c8c8",
    Role.HighlightedText: "#5c5c5c",
    Role.Base: "#f3f3f3",
    Role.Button: "#ececec",
}
DARK_DISABLED: dict[QPalette.ColorRole, str] = {
    Role.WindowText: "#80868b",
    Role.Text: "#80868b",
    Role.ButtonText: "#80868b",
    Role.Highlight: "#3c4043",
    Role.HighlightedText: "#9aa0a6",
    Role.Base: "#26282b",
    Role.Button: "#2e3034",
}

#: Text roles and the backgrounds they are drawn on, checked for contrast.
TEXT_PAIRS: tuple[tuple[QPalette.ColorRole, QPalette.ColorRole], ...] = (
    (Role.WindowText, Role.Window),
    (Role.ButtonText, Role.Button),
    (Role.Text, Role.Base),
    (Role.Text, Role.AlternateBase),
    (Role.HighlightedText, Role.Highlight),
    (Role.ToolTipText, Role.ToolTipBase),
    (Role.PlaceholderText, Role.Base),
    (Role.Link, Role.Base),
)


def _linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def relative_luminance(color: QColor) -> float:
    """WCAG 2 relative luminance of an sRGB colour, 0 (black) to 1 (white)."""
    rgb = color.toRgb()
    return (
        0.2126 * _linear(rgb.redF())
        + 0.7152 * _linear(rgb.greenF())
        + 0.0722 * _linear(rgb.blueF())
    )


def contrast_ratio(fg: QColor, bg: QColor) -> float:
    """WCAG 2 contrast ratio of two colours: 1 (none) to 21 (black on white)."""
    a, b = relative_luminance(fg), relative_luminance(bg)
    lighter, darker = max(a, b), min(a, b)
    return (lighter + 0.05) / (darker + 0.05)


def _build_palette(
    colors: dict[QPalette.ColorRole, str], disabled: dict[QPalette.ColorRole, str]
) -> QPalette:
    palette = QPalette()
    for role, name in colors.items():
        palette.setColor(QPalette.ColorGroup.All, role, QColor(name))
    for role, name in disabled.items():
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(name))
    return palette


def light_palette() -> QPalette:
    """The light palette used when the light theme is chosen."""
    return _build_palette(LIGHT_COLORS, LIGHT_DISABLED)


def dark_palette() -> QPalette:
    """The dark palette used when the dark theme is chosen (or the system is dark)."""
    return _build_palette(DARK_COLORS, DARK_DISABLED)


def palette_is_dark(palette: QPalette) -> bool:
    """True when the palette draws light text on a dark window."""
    window = palette.color(QPalette.ColorGroup.Active, Role.Window)
    text = palette.color(QPalette.ColorGroup.Active, Role.WindowText)
    return relative_luminance(window) < relative_luminance(text)


def scaled_font(base_font: QFont, larger_text: bool) -> QFont:
    """``base_font``, or the same font about a quarter larger."""
    return fonts.scaled_font(base_font, LARGER_TEXT_SCALE if larger_text else 1.0)


@dataclass(slots=True)
class _State:
    """What the platform gave the app at start, and what was asked for last."""

    style_name: str
    palette: QPalette
    theme: Theme = Theme.SYSTEM
    larger_text: bool = False
    base_font: QFont | None = None


_states: dict[int, _State] = {}


def _state(app: QApplication) -> _State:
    """The app's theme state, created (and the system followed) on first use."""
    key = id(app)
    state = _states.get(key)
    if state is None:
        state = _State(style_name=app.style().name(), palette=QPalette(app.palette()))
        _states[key] = state

        def on_scheme_changed(_scheme: Qt.ColorScheme) -> None:
            if state.theme is Theme.SYSTEM and state.base_font is not None:
                _apply_colors(app, state)

        app.styleHints().colorSchemeChanged.connect(on_scheme_changed)
        app.destroyed.connect(lambda: _states.pop(key, None))
    return state


def system_scheme(app: QApplication) -> Qt.ColorScheme:
    """The colour scheme the system reports (Unknown when the platform cannot tell)."""
    return app.styleHints().colorScheme()


def _apply_colors(app: QApplication, state: _State) -> None:
    hints = app.styleHints()
    if state.theme is Theme.SYSTEM:
        if hasattr(hints, "unsetColorScheme"):
            hints.unsetColorScheme()
        if app.style().name() != state.style_name:
            app.setStyle(state.style_name)
        palette = state.palette
        if system_scheme(app) == Qt.ColorScheme.Dark and not palette_is_dark(palette):
            app.setStyle("Fusion")
            palette = dark_palette()
        app.setPalette(palette)
        return
    dark = state.theme is Theme.DARK
    if hasattr(hints, "setColorScheme"):
        hints.setColorScheme(Qt.ColorScheme.Dark if dark else Qt.ColorScheme.Light)
    if app.style().name().lower() != "fusion":
        app.setStyle("Fusion")
    app.setPalette(dark_palette() if dark else light_palette())


def apply_theme(app: QApplication, theme: Theme, larger_text: bool, base_font: QFont) -> None:
    """Give ``app`` the colours of ``theme`` and its font, larger or not.

    ``base_font`` is the normal application font (take ``QFont(app.font())`` once at
    start, before the first call); larger text scales it, and turning larger text off sets
    it back exactly.
    """
    state = _state(app)
    state.theme = Theme(theme)
    state.larger_text = larger_text
    state.base_font = QFont(base_font)
    _apply_colors(app, state)
    app.setFont(scaled_font(base_font, larger_text))
