"""Where an exercise's figure is during a step: keyframe progress from the step's phase.

An exercise's keyframes run from its start position (the first) to the end of the movement
(the last). The figure moves along them on the inhale, stays at the end on the hold, comes
back on the exhale and, in a timed exercise, repeats the movement for as long as the step
lasts. Everything else (getting ready, rests, switching sides) shows the start position.
"""

from __future__ import annotations

import math
from typing import Final

from backtimer.core.figure.pose import Pose, interpolate, mirror
from backtimer.core.figure.scene import ExerciseFigure
from backtimer.core.plan.timeline import Side, Step, StepKind

#: How long one movement of a timed exercise takes, there and back, roughly: the period
#: is stretched or shrunk a little so a step holds a whole number of them and ends where
#: it began.
WORK_PERIOD_MS: Final = 4000.0

#: The steps during which the figure moves; the others show a still picture.
MOVING_KINDS: Final = frozenset({StepKind.INHALE, StepKind.EXHALE, StepKind.WORK})


def smoothstep(x: float) -> float:
    """Ease in and out: 0 at 0, 1 at 1, flat at both ends; ``x`` is clamped to [0, 1]."""
    x = min(1.0, max(0.0, x))
    return x * x * (3.0 - 2.0 * x)


def _fraction(step: Step, elapsed_ms: float) -> float:
    """How far through the step ``elapsed_ms`` is, in [0, 1]; a zero-length step is over."""
    if step.duration_ms <= 0:
        return 1.0
    return min(1.0, max(0.0, elapsed_ms / step.duration_ms))


def work_period_ms(step: Step) -> float:
    """The period of a timed exercise's movement: about :data:`WORK_PERIOD_MS`, a whole
    number of times in the step (at least once)."""
    if step.duration_ms <= 0:
        return WORK_PERIOD_MS
    cycles = max(1, round(step.duration_ms / WORK_PERIOD_MS))
    return step.duration_ms / cycles


def keyframe_progress(step: Step, elapsed_ms: float) -> float:
    """Where along the keyframes the figure is, ``elapsed_ms`` into ``step``: 0 is the first
    keyframe (the start position), 1 the last (the end of the movement).

    The inhale eases from 0 to 1, the hold stays at 1, the exhale eases back to 0, timed
    work goes 0 → 1 → 0 once per :func:`work_period_ms`; every other step stays at 0.
    """
    if step.kind is StepKind.INHALE:
        return smoothstep(_fraction(step, elapsed_ms))
    if step.kind is StepKind.HOLD:
        return 1.0
    if step.kind is StepKind.EXHALE:
        return 1.0 - smoothstep(_fraction(step, elapsed_ms))
    if step.kind is StepKind.WORK:
        elapsed = min(max(0.0, elapsed_ms), float(max(0, step.duration_ms)))
        phase = elapsed / work_period_ms(step)
        # A raised cosine: eased at both turning points, like smoothstep there and back.
        return min(1.0, max(0.0, (1.0 - math.cos(2.0 * math.pi * phase)) / 2.0))
    return 0.0


def _span(figure: ExerciseFigure, t: float) -> tuple[int, float]:
    """The keyframe before ``t`` and how far toward the next one ``t`` is."""
    spans = len(figure.keyframes) - 1
    if spans == 0:
        return 0, 0.0
    t = min(1.0, max(0.0, t))
    index = min(int(t * spans), spans - 1)
    return index, t * spans - index


def pose_along(figure: ExerciseFigure, t: float) -> Pose:
    """The pose ``t`` of the way through the keyframes: piecewise mixes of neighbours,
    the first keyframe at ``t`` = 0 and the last at 1 (``t`` is clamped)."""
    index, within = _span(figure, t)
    if len(figure.keyframes) == 1:
        return figure.keyframes[0].pose
    return interpolate(figure.keyframes[index].pose, figure.keyframes[index + 1].pose, within)


def helper_along(figure: ExerciseFigure, t: float) -> Pose | None:
    """The helper's pose ``t`` of the way through, as :func:`pose_along`; ``None`` without
    one. A helper in only one of two neighbouring keyframes shows in the nearer half."""
    index, within = _span(figure, t)
    if len(figure.keyframes) == 1:
        return figure.keyframes[0].helper
    a, b = figure.keyframes[index].helper, figure.keyframes[index + 1].helper
    if a is not None and b is not None:
        return interpolate(a, b, within)
    return a if within < 0.5 else b


def pose_for(figure: ExerciseFigure, step: Step, elapsed_ms: float) -> Pose:
    """The pose to draw ``elapsed_ms`` into ``step``, mirrored for the left side."""
    pose = pose_along(figure, keyframe_progress(step, elapsed_ms))
    return mirror(pose) if step.side is Side.LEFT else pose


def helper_for(figure: ExerciseFigure, step: Step, elapsed_ms: float) -> Pose | None:
    """The helper's pose ``elapsed_ms`` into ``step`` (mirrored for the left side)."""
    pose = helper_along(figure, keyframe_progress(step, elapsed_ms))
    return mirror(pose) if pose is not None and step.side is Side.LEFT else pose


def sample_times(figure: ExerciseFigure, per_span: int = 8) -> list[float]:
    """Points along the keyframes (0 to 1) that show the whole movement: every keyframe
    and ``per_span - 1`` frames between each pair."""
    spans = max(1, len(figure.keyframes) - 1)
    return [i / (spans * per_span) for i in range(spans * per_span + 1)]


def is_moving(step: Step) -> bool:
    """True while the figure moves (inhale, exhale, timed work): only then is it animated."""
    return step.kind in MOVING_KINDS
