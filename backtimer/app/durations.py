"""The one length of a routine: what the picker's card, the routine's preview, the
terminal's ``backtimer plan`` and the break window all show.

**Definition.** A routine's planned length is the total of its compiled plan
(:func:`~backtimer.core.plan.compiler.compile_plan`), get-ready step included, with

* the reps the session would use now (the history plus the user's pins, the one answer
  of :func:`~backtimer.app.reps.reps_decisions`),
* the user's get-ready time and "announce what comes next" setting,
* the *estimated* length of each spoken phrase
  (:func:`~backtimer.core.plan.phrases.estimate_speech_ms`),

shown to the second with a partial second counted as a whole one (``155_100`` ms is
``"2:36"``), as the session's own countdown shows it.

With the voice on, a session times its plan with the voice's real phrase lengths; when
the voice speaks more slowly than estimated, its countdown can start a few seconds above
this figure.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from backtimer.core.plan.describe import format_duration

if TYPE_CHECKING:
    from backtimer.app.sessions import PreparedSession
    from backtimer.core.plan.compiler import PlanSettings
    from backtimer.core.routine.model import Routine


def planned_length_ms(routine: Routine, settings: PlanSettings) -> int:
    """The planned length of ``routine`` with ``settings`` (see the module's definition)."""
    from backtimer.core.plan.compiler import compile_plan
    from backtimer.core.plan.phrases import estimate_speech_ms

    return compile_plan(routine, replace(settings, phrase_ms=estimate_speech_ms)).total_ms


def session_length_ms(prepared: PreparedSession) -> int:
    """The planned length of a prepared session (its reps and settings)."""
    return planned_length_ms(prepared.routine, prepared.plan_settings)


def length_text(length_ms: int) -> str:
    """``155_100`` → ``"2:36"``: minutes and seconds, a partial second counted whole."""
    return format_duration(length_ms)
