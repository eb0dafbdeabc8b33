"""The breathing ring: paced by the breathing steps, readable in any theme, idle when still."""

from __future__ import annotations

import math

import pytest
from PySide6.QtGui import QColor, QImage, QPalette
from pytestqt.qtbot import QtBot

from backtimer.core.clock import FakeClock
from backtimer.core.plan.timeline import Step, StepKind
from backtimer.qt.widgets.breathing_ring import (
    ARC_FRAME_MS,
    MIN_CONTRAST,
    MIN_FRACTION,
    MIN_GRAPHIC_CONTRAST,
    BreathingRing,
    contrast_ratio,
    readable_on,
)
from backtimer.qt.widgets.figure_widget import FRAME_MS
from backtimer.qt.widgets.theme import DARK_COLORS, LIGHT_COLORS


def step(kind: StepKind, duration_ms: int = 4000) -> Step:
    return Step(index=0, kind=kind, start_ms=0, duration_ms=duration_ms, exercise_index=0)


def painted(image: QImage) -> int:
    background = image.pixelColor(0, 0)
    return sum(
        image.pixelColor(x, y) != background
        for y in range(0, image.height(), 2)
        for x in range(0, image.width(), 2)
    )


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def ring(qtbot: QtBot) -> BreathingRing:
    widget = BreathingRing()
    qtbot.addWidget(widget)
    widget.resize(200, 200)
    widget.show()
    return widget


def test_grows_on_the_inhale(ring: BreathingRing, clock: FakeClock) -> None:
    ring.show_step(step(StepKind.INHALE, 4000), clock.monotonic_ms(), clock)
    assert ring.current_fraction() == pytest.approx(MIN_FRACTION)
    assert ring.word() == "In"
    sizes = []
    for _ in range(8):
        clock.advance(500)
        sizes.append(ring.current_fraction())
    assert sizes == sorted(sizes)
    assert sizes[-1] == pytest.approx(1.0)


def test_stays_on_the_hold(ring: BreathingRing, clock: FakeClock) -> None:
    ring.show_step(step(StepKind.HOLD, 5000), clock.monotonic_ms(), clock)
    assert ring.word() == "Hold"
    sizes = {ring.current_fraction()}
    for _ in range(5):
        clock.advance(1000)
        sizes.add(ring.current_fraction())
    assert sizes == {1.0}


def test_shrinks_on_the_exhale(ring: BreathingRing, clock: FakeClock) -> None:
    ring.show_step(step(StepKind.EXHALE, 4000), clock.monotonic_ms(), clock)
    assert ring.word() == "Out"
    sizes = [ring.current_fraction()]
    for _ in range(8):
        clock.advance(500)
        sizes.append(ring.current_fraction())
    assert sizes == sorted(sizes, reverse=True)
    assert sizes[0] == pytest.approx(1.0)
    assert sizes[-1] == pytest.approx(MIN_FRACTION)
    assert len(set(sizes)) == len(sizes)


@pytest.mark.parametrize(
    "kind", [StepKind.REST, StepKind.SET_REST, StepKind.GET_READY, StepKind.WORK]
)
def test_rests_and_work_show_no_breath_but_an_arc_that_fills(
    ring: BreathingRing, clock: FakeClock, kind: StepKind
) -> None:
    ring.show_step(step(kind, 10_000), clock.monotonic_ms(), clock)
    assert ring.progress() == 0.0
    assert ring.is_animating()
    assert ring.animation_timer.interval() == ARC_FRAME_MS
    seen = []
    for _ in range(4):
        clock.advance(2500)
        seen.append(ring.progress())
    assert seen == [0.25, 0.5, 0.75, 1.0]
    assert ring.current_fraction() == pytest.approx(MIN_FRACTION)
    assert ring.word() == ""


def test_the_arc_is_drawn_as_far_as_the_step_has_gone(
    ring: BreathingRing, clock: FakeClock
) -> None:
    """A quarter in, the arc covers 12 to 3 o'clock and not 6 to 9."""
    ring.show_step(step(StepKind.WORK, 8000), clock.monotonic_ms(), clock)
    clock.advance(3000)
    image = ring.grab().toImage()
    arc = ring.arc_colour()
    centre, reach = 100, 100 - 0.06 * 200 * 1.6  # on the arc's stroke

    def near(angle_deg: float) -> QColor:
        x = centre + reach * math.sin(math.radians(angle_deg))
        y = centre - reach * math.cos(math.radians(angle_deg))
        return image.pixelColor(round(x), round(y))

    assert near(45) == arc  # between 12 and 3 o'clock: filled
    assert near(225) != arc  # between 6 and 9 o'clock: still to come
    clock.advance(4000)
    assert (
        ring.grab()
        .toImage()
        .pixelColor(
            round(centre + reach * math.sin(math.radians(225))),
            round(centre - reach * math.cos(math.radians(225))),
        )
        == arc
    )


@pytest.mark.parametrize("colours", [LIGHT_COLORS, DARK_COLORS])
def test_the_arc_and_its_track_stand_out_in_both_themes(
    ring: BreathingRing, colours: dict[QPalette.ColorRole, str]
) -> None:
    palette = QPalette()
    for role, name in colours.items():
        palette.setColor(role, QColor(name))
    ring.setPalette(palette)
    window = palette.color(QPalette.ColorRole.Window)
    assert contrast_ratio(ring.arc_colour(), window) >= MIN_GRAPHIC_CONTRAST
    assert contrast_ratio(ring.track_colour(), window) >= 1.4


def test_the_end_shows_nothing_and_costs_nothing(ring: BreathingRing, clock: FakeClock) -> None:
    ring.show_step(step(StepKind.DONE, 10_000), clock.monotonic_ms(), clock)
    assert ring.progress() is None
    assert ring.word() == ""
    assert not ring.is_animating()


def test_without_a_step_it_rests(ring: BreathingRing) -> None:
    assert ring.current_fraction() == pytest.approx(MIN_FRACTION)
    assert ring.word() == ""
    assert not ring.is_animating()


def test_the_timer_runs_only_while_the_ring_moves(ring: BreathingRing, clock: FakeClock) -> None:
    ring.show_step(step(StepKind.INHALE), clock.monotonic_ms(), clock)
    assert ring.is_animating()
    assert ring.animation_timer.interval() == FRAME_MS
    ring.show_step(step(StepKind.HOLD), clock.monotonic_ms(), clock)
    assert ring.is_animating()  # the arc fills, ten frames a second
    assert ring.animation_timer.interval() == ARC_FRAME_MS
    clock.advance(4000)
    ring.animation_timer.timeout.emit()
    assert not ring.is_animating()  # the hold is over: nothing moves
    ring.show_step(step(StepKind.EXHALE), clock.monotonic_ms(), clock)
    assert ring.is_animating()
    ring.set_running(False)
    assert not ring.is_animating()
    ring.set_running(True)
    assert ring.is_animating()
    ring.show_step(step(StepKind.DONE), clock.monotonic_ms(), clock)
    assert not ring.is_animating()


def test_pausing_freezes_the_ring(ring: BreathingRing, clock: FakeClock) -> None:
    ring.show_step(step(StepKind.INHALE, 4000), clock.monotonic_ms(), clock)
    clock.advance(1000)
    ring.set_running(False)
    frozen = ring.current_fraction()
    clock.advance(60_000)
    assert ring.current_fraction() == frozen
    ring.set_running(True)
    assert ring.current_fraction() == frozen
    clock.advance(3000)
    assert ring.current_fraction() == pytest.approx(1.0)


def test_draws_the_ring(ring: BreathingRing, clock: FakeClock) -> None:
    ring.show_step(step(StepKind.INHALE, 4000), clock.monotonic_ms() - 2000, clock)
    assert painted(ring.grab().toImage()) > 0.1 * (100 * 100)


def test_a_bigger_breath_paints_more(ring: BreathingRing, clock: FakeClock) -> None:
    ring.show_step(step(StepKind.INHALE, 4000), clock.monotonic_ms(), clock)
    small = painted(ring.grab().toImage())
    clock.advance(4000)
    large = painted(ring.grab().toImage())
    assert large > small * 1.5


def test_accessible_name(ring: BreathingRing, clock: FakeClock) -> None:
    assert ring.accessibleName() == "Breathing"
    ring.show_step(step(StepKind.EXHALE), clock.monotonic_ms(), clock)
    assert ring.accessibleDescription() == "Breathe out"


PALETTES = {
    "light": ("#efefef", "#000000", "#308cc6"),
    "dark": ("#202124", "#e8eaed", "#8ab4f8"),
    "dark highlight, dark text": ("#f0f0f0", "#333333", "#000050"),
    "light highlight, light text": ("#101010", "#cccccc", "#ffff00"),
    "mid grey": ("#777777", "#888888", "#777777"),
}


@pytest.mark.parametrize("colours", PALETTES.values(), ids=list(PALETTES))
def test_the_word_reads_in_any_theme(
    ring: BreathingRing, clock: FakeClock, colours: tuple[str, str, str]
) -> None:
    window, text, highlight = colours
    palette = QPalette(ring.palette())
    palette.setColor(QPalette.ColorRole.Window, QColor(window))
    palette.setColor(QPalette.ColorRole.WindowText, QColor(text))
    palette.setColor(QPalette.ColorRole.Highlight, QColor(highlight))
    ring.setPalette(palette)
    ring.show_step(step(StepKind.HOLD), clock.monotonic_ms(), clock)
    assert contrast_ratio(ring.text_colour(), ring.fill_colour()) >= MIN_CONTRAST
    assert painted(ring.grab().toImage()) > 0


def test_the_theme_text_colour_is_kept_when_it_reads() -> None:
    assert readable_on(QColor("white"), QColor("#222222")) == QColor("#222222")
    assert readable_on(QColor("white"), QColor("#aaaaaa")) == QColor("black")
    assert readable_on(QColor("black"), QColor("#444444")) == QColor("white")


def test_contrast_ratio_matches_wcag() -> None:
    assert contrast_ratio(QColor("black"), QColor("white")) == pytest.approx(21.0)
    assert contrast_ratio(QColor("#777777"), QColor("white")) == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio(QColor("red"), QColor("red")) == pytest.approx(1.0)
