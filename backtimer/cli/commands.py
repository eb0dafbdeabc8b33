"""The terminal commands of ``backtimer``; none of them loads Qt.

They work without a display:
``validate`` checks routine files, ``routines`` lists the library, ``plan`` prints the
timeline of a routine (with the reps its history and the user's pins give, and why),
``reps`` shows and pins those reps and ``schema`` prints the routine file's JSON Schema.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from backtimer.cli.folders import make_folders
from backtimer.core.paths import AppPaths, builtin_routines_dir

if TYPE_CHECKING:
    from backtimer.core.history.progression import Decision
    from backtimer.core.plan.timeline import Plan
    from backtimer.core.routine.library import Library
    from backtimer.core.routine.model import Routine

# Routine files are read and validated by modules that load the validation library; they
# are imported where a command needs them, so opening the window stays quick.

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2

#: What ``--get-ready`` accepts, in seconds (inclusive), for ``plan`` and ``run``.
GET_READY_LIMITS = (0.0, 300.0)


def _load_library(paths: AppPaths) -> Library:
    from backtimer.core.routine.library import load_library

    return load_library(builtin_routines_dir(), paths.user_routines)


def _report_library_errors(library: Library, stream: TextIO) -> None:
    for error in library.errors:
        print(f"warning: skipped a routine: {error}", file=stream)


def _cmd_validate(files: Sequence[Path]) -> int:
    from backtimer.core.routine.loader import RoutineFileError, load_routine

    valid = True
    for path in files:
        try:
            load_routine(path)
        except RoutineFileError as error:
            valid = False
            for problem in error.errors:
                print(problem, file=sys.stderr)
        else:
            print(f"{path}: ok")
    return EXIT_OK if valid else EXIT_INVALID


def _routine_json(routine: Routine, plan: Plan) -> dict[str, Any]:
    data = routine.model_dump(mode="json")
    data["total_ms"] = plan.total_ms
    for exercise, planned in zip(data["exercises"], plan.exercises, strict=True):
        exercise["planned_reps"] = planned.reps
    return data


def _cmd_routines(paths: AppPaths, as_json: bool, as_markdown: bool = False) -> int:
    from backtimer.app.durations import length_text
    from backtimer.core.plan.compiler import compile_plan

    if as_markdown:
        from backtimer.core.routine.library import load_library
        from backtimer.core.routine.report import library_markdown
        from backtimer.core.safety import load_safety

        builtin = load_library(builtin_routines_dir())
        _report_library_errors(builtin, sys.stderr)
        routines = [entry.routine for entry in builtin.entries]
        sys.stdout.write(library_markdown(routines, load_safety()))
        return EXIT_OK
    library = _load_library(paths)
    _report_library_errors(library, sys.stderr)
    if as_json:
        listing = [
            {
                "origin": entry.origin.value,
                "path": str(entry.path),
                **_routine_json(entry.routine, compile_plan(entry.routine)),
            }
            for entry in library.entries
        ]
        print(json.dumps({"routines": listing}, indent=2, ensure_ascii=False))
        return EXIT_OK
    if not library.entries:
        print("No routines found.")
    for entry in library.entries:
        routine = entry.routine
        plan = compile_plan(routine)
        equipment = ", ".join(routine.equipment) or "none"
        print(f"{routine.title} [{routine.id}] — {routine.category}, {entry.origin}")
        print(f"  {length_text(plan.total_ms)} min; equipment: {equipment}")
        print(f"  {routine.summary}")
        for exercise in routine.exercises:
            numbers = []
            if exercise.duration is not None:
                numbers.append(exercise.duration.describe("s"))
            if exercise.reps is not None:
                numbers.append(f"{exercise.reps.describe()} reps")
            if exercise.hold is not None:
                numbers.append(f"hold {exercise.hold.describe('s')}")
            if exercise.sets > 1:
                numbers.append(f"{exercise.sets} sets, rest {exercise.rest_between_sets:g} s")
            if exercise.sides.value != "none":
                numbers.append(f"sides: {exercise.sides}")
            print(f"  - {exercise.name}: {', '.join(numbers)} (source: {exercise.source})")
        print()
    return EXIT_OK


def _resolve_routine(paths: AppPaths, reference: str) -> Routine:
    """A routine id from the library, or a path to a routine file."""
    from backtimer.core.routine.loader import load_routine

    candidate = Path(reference)
    if candidate.suffix == ".toml" or candidate.exists():
        return load_routine(candidate)
    library = _load_library(paths)
    entry = library.find(reference)
    if entry is None:
        known = ", ".join(library.ids) or "none"
        raise LookupError(f"no routine with id '{reference}'; known routines: {known}")
    return entry.routine


def _plan_json(plan: Plan, routine: Routine, decisions: Mapping[str, Decision]) -> dict[str, Any]:
    """The timeline, with each exercise's range of reps and why the plan uses its count."""
    data = _timeline_json(plan)
    for entry, exercise in zip(data["exercises"], routine.exercises, strict=True):
        decision = decisions.get(exercise.id)
        entry["reps_range"] = (
            {"min": int(exercise.reps.min), "max": int(exercise.reps.max)}
            if exercise.reps is not None
            else None
        )
        entry["reps_reason"] = decision.reason if decision else None
        entry["reps_pinned"] = decision.pinned if decision else False
    return data


def _timeline_json(plan: Plan) -> dict[str, Any]:
    return {
        "routine_id": plan.routine_id,
        "title": plan.title,
        "total_ms": plan.total_ms,
        "exercises": [
            {
                "index": e.index,
                "id": e.id,
                "name": e.name,
                "kind": e.kind,
                "reps": e.reps,
                "hold_seconds": e.hold_seconds,
                "duration_seconds": e.duration_seconds,
                "sets": e.sets,
                "sides": e.sides,
                "entry_step": e.entry_step,
                "first_step": e.first_step,
                "last_step": e.last_step,
            }
            for e in plan.exercises
        ],
        "steps": [
            {
                "index": s.index,
                "kind": s.kind.value,
                "start_ms": s.start_ms,
                "duration_ms": s.duration_ms,
                "exercise_index": s.exercise_index,
                "set": s.set_number,
                "sets": s.set_count,
                "rep": s.rep_number,
                "reps": s.rep_count,
                "side": s.side.value if s.side else None,
                "cues": [
                    {
                        "at_ms": c.at_ms,
                        "role": c.role.value,
                        "text": c.text,
                        "beep": c.beep.value if c.beep else None,
                        "duration_ms": c.duration_ms,
                    }
                    for c in s.cues
                ],
            }
            for s in plan.steps
        ],
    }


def _print_plan(plan: Plan) -> None:
    from backtimer.app.durations import length_text

    print(f"{plan.title} [{plan.routine_id}]: {length_text(plan.total_ms)} in all")
    print(f"{'at':>7}  {'for':>6}  {'step':<11}  {'exercise':<28}  {'set':>5}  {'rep':>5}  side")
    for step in plan.steps:
        exercise = plan.exercise_of(step)
        name = exercise.name if exercise else ""
        set_text = f"{step.set_number}/{step.set_count}" if step.set_count else ""
        rep_text = f"{step.rep_number}/{step.rep_count}" if step.rep_count else ""
        print(
            f"{step.start_ms / 1000:7.1f}  {step.duration_ms / 1000:5.1f}s  {step.kind:<11}  "
            f"{name[:28]:<28}  {set_text:>5}  {rep_text:>5}  {step.side or ''}"
        )
        for cue in step.cues:
            what = f'"{cue.text}"' if cue.text else f"[{cue.beep}]"
            print(f"{'':>7}  {'':>6}  +{(cue.at_ms - step.start_ms) / 1000:4.1f}s {what}")


def routine_or_report(paths: AppPaths, reference: str, command: str) -> Routine | None:
    """The routine ``reference`` names, or None after printing why there is none."""
    from backtimer.core.routine.loader import RoutineFileError

    try:
        return _resolve_routine(paths, reference)
    except RoutineFileError as error:
        for problem in error.errors:
            print(problem, file=sys.stderr)
    except LookupError as error:
        print(f"backtimer {command}: {error.args[0]}", file=sys.stderr)
    return None


def _get_ready_problem(seconds: float) -> str | None:
    """Why ``--get-ready SECONDS`` cannot be used (``plan`` and ``run`` alike), or None."""
    low, high = GET_READY_LIMITS
    if math.isfinite(seconds) and low <= seconds <= high:
        return None
    return f"--get-ready: expected {low:g} to {high:g} seconds, found {seconds:g}"


def _cmd_plan(
    paths: AppPaths,
    reference: str,
    as_json: bool,
    get_ready: float | None,
    use_history: bool = True,
) -> int:
    """``plan ROUTINE``: the timeline, with the user's reps and settings (``--get-ready``
    over the settings' get-ready time); its total is the routine's planned length
    (:mod:`backtimer.app.durations`), as the window shows it."""
    from backtimer.cli.eyes_free import stored_settings
    from backtimer.cli.reps_commands import current_reps, reps_lines
    from backtimer.core.plan.compiler import PlanSettings, compile_plan

    routine = routine_or_report(paths, reference, "plan")
    if routine is None:
        return EXIT_INVALID
    settings = stored_settings(paths)
    if get_ready is None:
        get_ready = settings.get_ready_seconds
    problem = _get_ready_problem(get_ready)
    if problem is not None:
        print(f"backtimer plan: {problem}", file=sys.stderr)
        return EXIT_USAGE
    decisions = current_reps(paths, routine, use_history)
    reps = {exercise_id: decision.reps for exercise_id, decision in decisions.items()}
    plan_settings = PlanSettings(
        get_ready_seconds=get_ready, reps=reps, announce_next=settings.audio.announce_next
    )
    plan = compile_plan(routine, plan_settings)
    if as_json:
        print(json.dumps(_plan_json(plan, routine, decisions), indent=2, ensure_ascii=False))
        return EXIT_OK
    _print_plan(plan)
    lines = reps_lines(routine, decisions)
    if lines:
        source = "the routine alone" if not use_history else "the history and your pins"
        print(f"\nReps this time (from {source}):")
        print("\n".join(lines))
    return EXIT_OK


def _cmd_reps(paths: AppPaths, args: argparse.Namespace) -> int:
    from backtimer.cli.reps_commands import cmd_reps

    return cmd_reps(
        paths,
        args.routine,
        args.exercise,
        args.count,
        args.auto,
        lambda reference: routine_or_report(paths, reference, "reps"),
        lambda: _load_library(paths),
    )


def check_run_options(args: argparse.Namespace) -> int | None:
    """The exit code for options of ``run`` out of range (said on stderr), or None."""
    if args.get_ready is not None:
        problem = _get_ready_problem(args.get_ready)
        if problem is not None:
            print(f"backtimer run: {problem}", file=sys.stderr)
            return EXIT_USAGE
    if args.volume is not None and not 0 <= args.volume <= 1:
        print("backtimer run: --volume: expected 0 to 1", file=sys.stderr)
        return EXIT_USAGE
    return None


def _cmd_run(paths: AppPaths, args: argparse.Namespace) -> int:
    """``run ROUTINE --no-window``: follow it by ear, with the options over the settings."""
    from backtimer.cli.eyes_free import run_in_terminal
    from backtimer.cli.parser import session_options

    routine = routine_or_report(paths, args.routine, "run")
    if routine is None:
        return EXIT_INVALID
    problem = check_run_options(args)
    if problem is not None:
        return problem
    return run_in_terminal(paths, routine, session_options(args))


def _cmd_voices(paths: AppPaths) -> int:
    from backtimer.audio.speech import SpeechService

    with SpeechService(paths.cache) as speech:
        voices = speech.voices()
    if not voices:
        print("No voices: no speech engine found (install espeak-ng).", file=sys.stderr)
        return EXIT_INVALID
    for voice in voices:
        languages = ", ".join(voice.get("languages") or [])
        print(f"{voice['id']}\t{voice.get('name', '')}\t{languages}")
    return EXIT_OK


def _read_only_command(paths: AppPaths, args: argparse.Namespace) -> int | None:
    """Run a command that only reads (it works in a read-only data folder); None if not one."""
    if args.command == "validate":
        return _cmd_validate(args.files)
    if args.command == "routines":
        return _cmd_routines(paths, args.json, args.markdown)
    if args.command == "plan":
        return _cmd_plan(paths, args.routine, args.json, args.get_ready, not args.no_history)
    if args.command == "schema":
        from backtimer.core.routine.schema import routine_json_schema_text

        sys.stdout.write(routine_json_schema_text())
        return EXIT_OK
    if args.command in ("history", "export"):
        from backtimer.cli import history_commands

        if args.command == "history":
            return history_commands.cmd_history(paths)
        return history_commands.cmd_export(
            paths, args.csv, args.by_exercise, args.start, args.end, args.breaks
        )
    return None


def run_command(paths: AppPaths, args: argparse.Namespace) -> int:
    """Run the terminal command ``args`` asks for; its exit code."""
    try:
        code = _read_only_command(paths, args)
        if code is not None:
            return code
        if args.command == "import":  # makes what it needs, or says the folder is read-only
            from backtimer.cli import history_commands

            return history_commands.cmd_import(paths, args.csv)
        # The commands below write to the data, config or cache folders.
        if not make_folders(paths):
            return EXIT_INVALID
        if args.command == "run":
            return _cmd_run(paths, args)
        if args.command == "voices":
            return _cmd_voices(paths)
        if args.command == "reps":
            return _cmd_reps(paths, args)
        raise AssertionError(f"not a terminal command: {args.command}")
    except BrokenPipeError:
        # The reader went away (``backtimer plan x | head``): not an error worth a traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
