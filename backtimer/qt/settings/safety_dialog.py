"""The safety screen: the disclaimer, the stop rule, the contraindications and the principles.

Shown on the first run, where the user must acknowledge it before anything else (closing it
is a refusal: the app quits), and from Help → Safety, where it only informs. Everything it
says comes from ``assets/safety.toml`` through :func:`~backtimer.core.safety.load_safety`.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Final

from PySide6.QtCore import QEvent, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from backtimer.qt.widgets.fonts import scaled_font
from backtimer.qt.widgets.window_size import fit_to_screen

if TYPE_CHECKING:
    from backtimer.core.safety import Safety


#: The stop rule's panel: white on this red is 6.5:1, readable in light and dark themes.
STOP_RULE_BACKGROUND: Final = QColor("#b3261e")
STOP_RULE_TEXT: Final = QColor("#ffffff")

#: The acknowledgement the first-run dialog asks for.
ACKNOWLEDGEMENT: Final = "I have read this and none of it applies to me"


def bullet_list(items: list[str]) -> str:
    """Rich text for a bulleted list of plain-text ``items``."""
    rows = "".join(f"<li>{escape(item)}</li>" for item in items)
    return f"<ul style='margin-left: 0; -qt-list-indent: 1;'>{rows}</ul>"


class StopRuleBox(QFrame):
    """The stop rule, white on red: the one thing no one should miss."""

    def __init__(self, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        palette = self.palette()
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            palette.setColor(group, QPalette.ColorRole.Window, STOP_RULE_BACKGROUND)
            palette.setColor(group, QPalette.ColorRole.WindowText, STOP_RULE_TEXT)
            palette.setColor(group, QPalette.ColorRole.Text, STOP_RULE_TEXT)
        self.setPalette(palette)
        self.title_label = QLabel(title)
        self.text_label = QLabel(text)
        self.text_label.setWordWrap(True)
        self.title_label.setWordWrap(True)
        self.setAccessibleName(f"{title}: {text}")
        self.title_label.setAccessibleName(title)
        self.text_label.setAccessibleName(text)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addWidget(self.text_label)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.apply_fonts()

    def apply_fonts(self, title_factor: float = 1.5, text_factor: float = 1.25) -> None:
        """Derive the fonts (and the padding) from the box's inherited font."""
        base = self.font()
        self.title_label.setFont(scaled_font(base, title_factor, bold=True))
        self.text_label.setFont(scaled_font(base, text_factor))
        pad = self.fontMetrics().height()
        layout = self.layout()
        if layout is not None:
            layout.setContentsMargins(pad, round(pad * 0.8), pad, round(pad * 0.8))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(STOP_RULE_BACKGROUND)
        radius = self.fontMetrics().height() * 0.5
        painter.drawRoundedRect(QRectF(self.rect()), radius, radius)


class SafetyDialog(QDialog):
    """ "Before you start": what backtimer must say about safety, scrollable.

    With ``require_acknowledgement`` the user must tick :data:`ACKNOWLEDGEMENT` before
    "Continue" (and so ``accept()``) works; closing or "Quit" rejects. Without it the dialog
    only has a Close button.
    """

    def __init__(
        self,
        safety: Safety,
        require_acknowledgement: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._safety = safety
        self.require_acknowledgement = require_acknowledgement
        self.setWindowTitle("Before you start")
        self.setAccessibleName("Before you start")
        self.setAccessibleDescription("Safety information about backtimer's exercises")
        self.setModal(True)
        self._build_texts(safety)
        self._build_scroll_area()
        self._build_buttons(require_acknowledgement)
        self._build_layout()
        self._apply_fonts()
        self._fit_size()
        if self.acknowledge_box is not None:
            self.acknowledge_box.setFocus()
        elif self.close_button is not None:
            self.close_button.setFocus()

    def _build_texts(self, safety: Safety) -> None:
        self.heading = QLabel("Before you start")
        self.heading.setAccessibleName("Before you start")
        self.disclaimer_label = QLabel(safety.disclaimer)
        self.disclaimer_label.setAccessibleName("Disclaimer")
        self.disclaimer_label.setAccessibleDescription(safety.disclaimer)
        self.stop_rule_box = StopRuleBox(safety.stop_rule.title, safety.stop_rule.text)
        self.contraindications_heading = QLabel("Do not exercise with:")
        self.contraindications_label = QLabel(
            bullet_list([item.text for item in safety.contraindications])
        )
        self.contraindications_label.setAccessibleName("Do not exercise with")
        self.contraindications_label.setAccessibleDescription(
            "; ".join(item.text for item in safety.contraindications)
        )
        self.principles_heading = QLabel("How to exercise safely")
        self.principles_label = QLabel(bullet_list([item.text for item in safety.principles]))
        self.principles_label.setAccessibleName("How to exercise safely")
        self.principles_label.setAccessibleDescription(
            " ".join(item.text for item in safety.principles)
        )
        for label in (
            self.disclaimer_label,
            self.contraindications_heading,
            self.contraindications_label,
            self.principles_heading,
            self.principles_label,
        ):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for label in (self.contraindications_label, self.principles_label):
            label.setTextFormat(Qt.TextFormat.RichText)

    def _build_scroll_area(self) -> None:
        content = QWidget()
        content.setAccessibleName("Safety information")
        body = QVBoxLayout(content)
        body.addWidget(self.disclaimer_label)
        body.addSpacing(8)
        body.addWidget(self.stop_rule_box)
        body.addSpacing(8)
        body.addWidget(self.contraindications_heading)
        body.addWidget(self.contraindications_label)
        body.addWidget(self.principles_heading)
        body.addWidget(self.principles_label)
        body.addStretch(1)
        self._body = body
        self.scroll_area = QScrollArea()
        self.scroll_area.setAccessibleName("Safety information")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setWidget(content)
        # Page Up / Down and the arrows scroll the text when the area has the focus.
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def _build_buttons(self, require_acknowledgement: bool) -> None:
        self.buttons = QDialogButtonBox()
        self.acknowledge_box: QCheckBox | None = None
        self.continue_button: QPushButton | None = None
        self.quit_button: QPushButton | None = None
        self.close_button: QPushButton | None = None
        if require_acknowledgement:
            self.acknowledge_box = QCheckBox(ACKNOWLEDGEMENT)
            self.acknowledge_box.setAccessibleName(ACKNOWLEDGEMENT)
            self.continue_button = self.buttons.addButton(
                "Continue", QDialogButtonBox.ButtonRole.AcceptRole
            )
            self.continue_button.setAccessibleName("Continue")
            self.continue_button.setEnabled(False)
            self.quit_button = self.buttons.addButton(
                "Quit", QDialogButtonBox.ButtonRole.RejectRole
            )
            self.quit_button.setAccessibleName("Quit backtimer")
            self.acknowledge_box.toggled.connect(self.continue_button.setEnabled)
            self.acknowledge_box.toggled.connect(self._make_continue_default)
        else:
            close = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
            assert close is not None
            self.close_button = close
            close.setAccessibleName("Close")
            close.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def _build_layout(self) -> None:
        # Everything keeps to a readable column, centred when the dialog is wide.
        self._column = QWidget()
        layout = self._outer = QVBoxLayout(self._column)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.scroll_area, 1)
        if self.acknowledge_box is not None:
            layout.addWidget(self.acknowledge_box)
        layout.addWidget(self.buttons)
        self._row = QHBoxLayout(self)
        self._row.addStretch(1)
        self._row.addWidget(self._column, 100)
        self._row.addStretch(1)

    @property
    def acknowledged(self) -> bool:
        """True when the acknowledgement is ticked (always True when none is required)."""
        return self.acknowledge_box is None or self.acknowledge_box.isChecked()

    def _make_continue_default(self, checked: bool) -> None:
        if self.continue_button is not None:
            self.continue_button.setDefault(checked)

    def accept(self) -> None:
        """Accept only once the acknowledgement is ticked."""
        if self.acknowledged:
            super().accept()

    def _apply_fonts(self) -> None:
        base = self.font()
        self.heading.setFont(scaled_font(base, 2.0, bold=True))
        body = scaled_font(base, 1.2)
        for label in (self.disclaimer_label, self.contraindications_label, self.principles_label):
            label.setFont(body)
        for label in (self.contraindications_heading, self.principles_heading):
            label.setFont(scaled_font(base, 1.35, bold=True))
        self.stop_rule_box.apply_fonts()
        controls = scaled_font(base, 1.2)
        self.buttons.setFont(controls)
        if self.acknowledge_box is not None:
            self.acknowledge_box.setFont(controls)
        metrics_height = self.fontMetrics().height()
        for button in self.buttons.buttons():
            button.setMinimumHeight(round(metrics_height * 2.2))
            button.setMinimumWidth(metrics_height * 8)
        self._column.setMaximumWidth(metrics_height * 54)
        self._body.setSpacing(round(metrics_height * 0.5))
        # Room between the text and the scroll bar.
        self._body.setContentsMargins(0, 0, metrics_height, 0)
        margin = round(metrics_height * 1.2)
        self._row.setContentsMargins(margin, margin, margin, margin)
        self._outer.setSpacing(round(metrics_height * 0.6))
        self.setMinimumSize(metrics_height * 24, metrics_height * 20)

    def _fit_size(self) -> None:
        """About 52 lines wide and 56 high, within the screen."""
        line = self.fontMetrics().height()
        fit_to_screen(self, QSize(line * 52, line * 56))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and hasattr(self, "_body"):
            self._apply_fonts()
