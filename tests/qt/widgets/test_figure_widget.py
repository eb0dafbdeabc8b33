"""The animated figure: drawn, posed from the clock, mirrored, and repainted only while moving."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QImage, QPalette
from pytestqt.qtbot import QtBot

from backtimer.core.clock import FakeClock
from backtimer.core.figure.draw import DARK, LIGHT
from backtimer.core.figure.figures import ExerciseFigure, load_figures
from backtimer.core.figure.pose import Pose, joints_of, mirror
from backtimer.core.figure.svg import FAR, NEAR
from backtimer.core.paths import assets_dir
from backtimer.core.plan.timeline import Side, Step, StepKind
from backtimer.qt.widgets.figure_widget import FigureWidget, figure_colours
from backtimer.qt.widgets.theme import contrast_ratio, dark_palette, light_palette

FIGURES = load_figures(assets_dir() / "poses")
BRIDGE = FIGURES["bridge"]


def step(kind: StepKind, duration_ms: int = 4000, side: Side | None = None) -> Step:
    return Step(
        index=0, kind=kind, start_ms=0, duration_ms=duration_ms, exercise_index=0, side=side
    )


def same_pose(a: Pose | None, b: Pose) -> bool:
    assert a is not None
    pa, pb = joints_of(a).points(), joints_of(b).points()
    return all(pa[name] == pytest.approx(pb[name], abs=1e-6) for name in pa)


def painted(image: QImage) -> list[tuple[int, int]]:
    """Pixels that differ from the background (the top-left corner's colour)."""
    background = image.pixelColor(0, 0)
    return [
        (x, y)
        for y in range(0, image.height(), 2)
        for x in range(0, image.width(), 2)
        if image.pixelColor(x, y) != background
    ]


def body(image: QImage) -> list[tuple[int, int]]:
    """Pixels in the body's colours (near and far limbs alike)."""
    colours = {QColor(NEAR).rgb(), QColor(FAR).rgb()}
    return [
        (x, y)
        for y in range(image.height())
        for x in range(image.width())
        if image.pixelColor(x, y).rgb() in colours
    ]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def widget(qtbot: QtBot) -> FigureWidget:
    figure = FigureWidget()
    qtbot.addWidget(figure)
    figure.resize(300, 300)
    figure.set_figure(BRIDGE, "Bridge")
    figure.show()
    return figure


def test_draws_the_figure(widget: FigureWidget) -> None:
    pixels = painted(widget.grab().toImage())
    # The body, the mat and the floor cover a good part of the picture.
    assert len(pixels) > 0.05 * (150 * 150)
    assert len(body(widget.grab().toImage())) > 1000


def test_draws_nothing_without_a_figure(widget: FigureWidget) -> None:
    widget.set_figure(None)
    assert widget.current_pose() is None
    assert painted(widget.grab().toImage()) == []
    assert not widget.can_animate()


@pytest.mark.parametrize("figure", FIGURES.values(), ids=lambda f: f.id)
def test_every_figure_draws(qtbot: QtBot, figure: ExerciseFigure, clock: FakeClock) -> None:
    widget = FigureWidget()
    qtbot.addWidget(widget)
    widget.resize(240, 240)
    widget.set_figure(figure)
    widget.show_step(step(StepKind.INHALE, 2000, Side.LEFT), clock.monotonic_ms() - 1000, clock)
    assert len(painted(widget.grab().toImage())) > 200


def test_inhale_goes_from_the_first_keyframe_to_the_last(
    widget: FigureWidget, clock: FakeClock
) -> None:
    widget.show_step(step(StepKind.INHALE, 3000), clock.monotonic_ms(), clock)
    assert same_pose(widget.current_pose(), BRIDGE.keyframes[0].pose)
    clock.advance(1500)
    middle = widget.current_pose()
    assert not same_pose(middle, BRIDGE.keyframes[0].pose)
    assert not same_pose(middle, BRIDGE.keyframes[-1].pose)
    clock.advance(1500)
    assert same_pose(widget.current_pose(), BRIDGE.keyframes[-1].pose)


def test_hold_and_rest_are_still(widget: FigureWidget, clock: FakeClock) -> None:
    widget.show_step(step(StepKind.HOLD, 5000), clock.monotonic_ms(), clock)
    clock.advance(2500)
    assert same_pose(widget.current_pose(), BRIDGE.keyframes[-1].pose)
    widget.show_step(step(StepKind.REST, 5000), clock.monotonic_ms(), clock)
    clock.advance(2500)
    assert same_pose(widget.current_pose(), BRIDGE.keyframes[0].pose)


def test_a_step_that_began_earlier_is_drawn_where_it_is_now(
    widget: FigureWidget, clock: FakeClock
) -> None:
    widget.show_step(step(StepKind.INHALE, 3000), clock.monotonic_ms() - 3000, clock)
    assert same_pose(widget.current_pose(), BRIDGE.keyframes[-1].pose)


def test_the_left_side_is_mirrored(widget: FigureWidget, clock: FakeClock) -> None:
    widget.show_step(step(StepKind.INHALE, 3000, Side.RIGHT), clock.monotonic_ms() - 1000, clock)
    right_pose = widget.current_pose()
    right = body(widget.grab().toImage())
    widget.show_step(step(StepKind.INHALE, 3000, Side.LEFT), clock.monotonic_ms() - 1000, clock)
    assert right_pose is not None
    assert widget.mirrored()
    assert same_pose(widget.current_pose(), mirror(right_pose))
    left = body(widget.grab().toImage())
    # The picture is flipped: the body lands where the right side's mirror image is.
    width = widget.width()
    flipped = {(width - 1 - x, y) for x, y in right}
    assert len(flipped & set(left)) > 0.9 * len(left)
    assert len(set(right) & set(left)) < 0.75 * len(left)


def test_without_a_step_it_shows_the_start_position(widget: FigureWidget) -> None:
    assert same_pose(widget.current_pose(), BRIDGE.keyframes[0].pose)
    assert not widget.is_animating()


def test_the_timer_runs_only_while_the_figure_moves(widget: FigureWidget, clock: FakeClock) -> None:
    widget.show_step(step(StepKind.INHALE, 3000), clock.monotonic_ms(), clock)
    assert widget.is_animating()
    assert widget.animation_timer.interval() <= 40
    widget.show_step(step(StepKind.HOLD, 3000), clock.monotonic_ms(), clock)
    assert not widget.is_animating()
    widget.show_step(step(StepKind.EXHALE, 3000), clock.monotonic_ms(), clock)
    assert widget.is_animating()
    for kind in (StepKind.REST, StepKind.SET_REST, StepKind.GET_READY, StepKind.DONE):
        widget.show_step(step(kind, 3000), clock.monotonic_ms(), clock)
        assert not widget.is_animating(), kind
    widget.show_step(step(StepKind.WORK, 30_000), clock.monotonic_ms(), clock)
    assert widget.is_animating()
    widget.clear_step()
    assert not widget.is_animating()


def test_pausing_stops_the_timer_and_freezes_the_pose(
    widget: FigureWidget, clock: FakeClock
) -> None:
    widget.show_step(step(StepKind.INHALE, 4000), clock.monotonic_ms(), clock)
    clock.advance(1000)
    widget.set_running(False)
    assert not widget.is_animating()
    paused = widget.current_pose()
    assert paused is not None
    clock.advance(10_000)
    assert same_pose(widget.current_pose(), paused)
    widget.set_running(True)
    assert widget.is_animating()
    # It carries on from where it was paused, not from where the clock got to.
    assert same_pose(widget.current_pose(), paused)
    clock.advance(3000)
    assert same_pose(widget.current_pose(), BRIDGE.keyframes[-1].pose)


def test_a_step_shown_while_paused_waits(widget: FigureWidget, clock: FakeClock) -> None:
    widget.set_running(False)
    widget.show_step(step(StepKind.INHALE, 4000), clock.monotonic_ms(), clock)
    assert not widget.is_animating()
    clock.advance(4000)
    assert same_pose(widget.current_pose(), BRIDGE.keyframes[0].pose)


def test_a_hidden_figure_is_not_animated(widget: FigureWidget, clock: FakeClock) -> None:
    widget.show_step(step(StepKind.INHALE, 3000), clock.monotonic_ms(), clock)
    widget.hide()
    assert not widget.is_animating()
    widget.show()
    assert widget.is_animating()


def test_a_figure_with_one_keyframe_is_not_animated(widget: FigureWidget, clock: FakeClock) -> None:
    still = ExerciseFigure("still", BRIDGE.view, BRIDGE.props, BRIDGE.keyframes[:1])
    widget.set_figure(still)
    widget.show_step(step(StepKind.INHALE, 3000), clock.monotonic_ms(), clock)
    assert not widget.is_animating()


def test_the_timer_stops_when_the_movement_is_over(
    qtbot: QtBot, widget: FigureWidget, clock: FakeClock
) -> None:
    widget.show_step(step(StepKind.INHALE, 3000), clock.monotonic_ms(), clock)
    assert widget.is_animating()
    clock.advance(3000)
    qtbot.waitUntil(lambda: not widget.is_animating(), timeout=2000)


def test_accessible_name_and_size(widget: FigureWidget) -> None:
    assert widget.accessibleName() == "Illustration of Bridge"
    assert "Bridge" in widget.accessibleDescription()
    widget.set_figure(FIGURES["cat-stretch-on-toes"])
    assert widget.accessibleName() == "Illustration of cat stretch on toes"
    hint = widget.minimumSizeHint()
    assert hint.width() >= 200
    assert hint.height() >= 200


# -- colours --------------------------------------------------------------------------------


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_body_lines_keep_3_to_1_contrast_with_the_window(dark: bool) -> None:
    """WCAG non-text contrast for the figure's lines, near and far, and the helper's."""
    palette = dark_palette() if dark else light_palette()
    colours = figure_colours(palette)
    assert colours is (DARK if dark else LIGHT)
    window = palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.Window)
    for ink in (colours.near, colours.far, colours.helper, colours.helper_far):
        assert contrast_ratio(QColor(ink), window) >= 3.0, ink
    # The white stills keep it too.
    for ink in (LIGHT.near, LIGHT.far, LIGHT.helper, LIGHT.helper_far):
        assert contrast_ratio(QColor(ink), QColor("white")) >= 3.0, ink


def test_the_dark_theme_draws_a_light_figure(widget: FigureWidget) -> None:
    widget.setPalette(dark_palette())
    image = widget.grab().toImage()
    near = QColor(DARK.near).rgb()
    assert sum(1 for x, y in painted(image) if image.pixelColor(x, y).rgb() == near) > 200
    assert not any(
        image.pixelColor(x, y).rgb() == QColor(LIGHT.near).rgb() for x, y in painted(image)
    )
    widget.setPalette(light_palette())
    image = widget.grab().toImage()
    assert (
        sum(
            1 for x, y in painted(image) if image.pixelColor(x, y).rgb() == QColor(LIGHT.near).rgb()
        )
        > 200
    )


def test_the_helper_is_drawn_in_its_own_colour(qtbot: QtBot) -> None:
    widget = FigureWidget()
    qtbot.addWidget(widget)
    widget.resize(300, 300)
    widget.set_figure(FIGURES["wheelbarrow-walk"])
    widget.setPalette(light_palette())
    widget.show()
    assert widget.current_helper() is not None
    image = widget.grab().toImage()
    helper = QColor(LIGHT.helper).rgb()
    assert sum(1 for x, y in painted(image) if image.pixelColor(x, y).rgb() == helper) > 100
    widget.set_figure(BRIDGE)
    assert widget.current_helper() is None
