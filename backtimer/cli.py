"""The ``backtimer`` command: launches the app, or runs one of its terminal commands.

``backtimer`` alone opens the window. The subcommands work without a display:
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
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from backtimer import __version__
from backtimer.core.paths import DATA_DIR_ENV, AppPaths, builtin_routines_dir, resolve_paths
from backtimer.core.settings import AudioSettings, Settings

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


def _format_clock(ms: float) -> str:
    """``125000`` → ``"2:05"``."""
    seconds = round(ms / 1000)
    return f"{seconds // 60}:{seconds % 60:02d}"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="backtimer",
        description=(
            "A back-care trainer: follow guided back-strengthening and stretching routines "
            "with spoken cues, and take hourly desk breaks. Without a command, opens the app."
        ),
    )
    parser.add_argument("--version", action="version", version=f"backtimer {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help=f"keep all data, settings and cache under DIR (also ${DATA_DIR_ENV})",
    )
    parser.add_argument(
        "--tray",
        action="store_true",
        help="start hidden in the system tray (as at login), with desk-break reminders",
    )
    parser.add_argument(
        "--break-now",
        action="store_true",
        help="take a desk break now (in the running backtimer, if there is one)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    validate = commands.add_parser(
        "validate",
        help="check routine files",
        description="Check routine files. Exits 0 when all are valid, 1 otherwise; "
        "problems go to stderr as FILE:LINE: key.path: message.",
    )
    validate.add_argument("files", nargs="+", metavar="FILE", type=Path)

    routines = commands.add_parser(
        "routines",
        help="list built-in and user routines",
        description="List the built-in routines and your own (from the data dir's "
        "routines folder) with every exercise and number.",
    )
    listing = routines.add_mutually_exclusive_group()
    listing.add_argument("--json", action="store_true", help="print JSON (see docs/cli.md)")
    listing.add_argument(
        "--markdown",
        action="store_true",
        help="print the built-in routines as Markdown tables (docs/routines.md)",
    )

    plan = commands.add_parser(
        "plan",
        help="print the timeline of a routine",
        description="Print the timeline a routine compiles to: every step with its offset, "
        "duration and cues.",
    )
    run = commands.add_parser(
        "run",
        help="follow a routine",
        description="Follow a routine. With --no-window, by ear alone in the terminal: a "
        "line per step, a progress bar, spoken cues and beeps; Ctrl+C stops.",
    )
    for command in (plan, run):
        command.add_argument("routine", metavar="ROUTINE", help="a routine id or a routine file")
        command.add_argument(
            "--get-ready",
            type=float,
            default=Settings().get_ready_seconds,
            metavar="SECONDS",
            help="seconds to get ready before the first exercise (default: %(default)g)",
        )
    plan.add_argument("--json", action="store_true", help="print JSON (see docs/cli.md)")
    plan.add_argument(
        "--no-history",
        action="store_true",
        help="plan from the routine alone: each range's start, no history, no pinned reps",
    )

    run.add_argument("--no-window", action="store_true", help="run in the terminal, by ear")
    run.add_argument(
        "--cue-log",
        metavar="FILE",
        type=Path,
        help="write one JSON line per cue: scheduled and actual ms since start, kind, text",
    )
    run.add_argument("--voice", help="a voice id from `backtimer voices`")
    run.add_argument("--rate", type=int, metavar="WPM", help="speech rate, words per minute")
    run.add_argument(
        "--volume", type=float, default=1.0, metavar="0..1", help="volume (default: 1)"
    )
    run.add_argument("--no-speech", action="store_true", help="beeps only, no spoken cues")
    run.add_argument("--no-beeps", action="store_true", help="spoken cues only, no beeps")
    run.add_argument(
        "--no-announce-next",
        action="store_true",
        help="name the next exercise without its numbers",
    )

    reps = commands.add_parser(
        "reps",
        help="see, pin or free the reps of a routine's exercises",
        description="Without arguments, list the pinned reps. With ROUTINE, show the reps "
        "each exercise uses next time and why. With ROUTINE EXERCISE N, always use N reps "
        "for that exercise (1 to the top of its range); with --auto instead of N, let it "
        "follow the history again.",
    )
    reps.add_argument("routine", nargs="?", metavar="ROUTINE", help="a routine id or file")
    reps.add_argument("exercise", nargs="?", metavar="EXERCISE", help="an exercise id")
    reps.add_argument("count", nargs="?", type=int, metavar="N", help="the reps to pin")
    reps.add_argument("--auto", action="store_true", help="unpin: follow the history again")

    commands.add_parser(
        "voices",
        help="list the speech engine's voices",
        description="List the voices of the speech engine, for --voice and the settings.",
    )

    commands.add_parser(
        "history",
        help="print every recorded session",
        description="Print a table of every recorded session.",
    )
    export = commands.add_parser(
        "export",
        help="export the history as CSV",
        description="Write the history as CSV (RFC 4180, UTF-8, a header row, ISO 8601 "
        "times): one row per session, or per exercise with --by-exercise. Cells a "
        "spreadsheet would run as a formula are prefixed with an apostrophe.",
    )
    export.add_argument("--csv", required=True, metavar="FILE", help="the file, or - for stdout")
    export.add_argument("--from", dest="start", type=_iso_date, metavar="DATE", help="from")
    export.add_argument("--to", dest="end", type=_iso_date, metavar="DATE", help="to, inclusive")
    export.add_argument("--by-exercise", action="store_true", help="one row per exercise")
    import_ = commands.add_parser(
        "import",
        help="add sessions from a CSV export",
        description="Add the sessions of a per-session CSV export to the history. Sessions "
        "already there are skipped; bad rows are reported with their line numbers and "
        "skipped, the good ones kept.",
    )
    import_.add_argument("--csv", required=True, metavar="FILE", help="the file to import")

    commands.add_parser(
        "schema",
        help="print the JSON Schema of routine files",
        description="Print the JSON Schema of routine files (also in routines/schema.json).",
    )
    return parser


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a date like 2026-11-22, found {text!r}"
        ) from None


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
        print(f"  about {_format_clock(plan.total_ms)} min; equipment: {equipment}")
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
    print(f"{plan.title} [{plan.routine_id}]: {_format_clock(plan.total_ms)} in all")
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


def _routine_or_report(paths: AppPaths, reference: str, command: str) -> Routine | None:
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
    paths: AppPaths, reference: str, as_json: bool, get_ready: float, use_history: bool = True
) -> int:
    from backtimer.core.plan.compiler import PlanSettings, compile_plan
    from backtimer.reps_commands import current_reps, reps_lines

    routine = _routine_or_report(paths, reference, "plan")
    if routine is None:
        return EXIT_INVALID
    problem = _get_ready_problem(get_ready)
    if problem is not None:
        print(f"backtimer plan: {problem}", file=sys.stderr)
        return EXIT_USAGE
    decisions = current_reps(paths, routine, use_history)
    reps = {exercise_id: decision.reps for exercise_id, decision in decisions.items()}
    plan = compile_plan(routine, PlanSettings(get_ready_seconds=get_ready, reps=reps))
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
    from backtimer.reps_commands import cmd_reps

    return cmd_reps(
        paths,
        args.routine,
        args.exercise,
        args.count,
        args.auto,
        lambda reference: _routine_or_report(paths, reference, "reps"),
        lambda: _load_library(paths),
    )


def _audio_settings(args: argparse.Namespace) -> AudioSettings:
    return AudioSettings(
        speech=not args.no_speech,
        beeps=not args.no_beeps,
        announce_next=not args.no_announce_next,
        voice=args.voice,
        rate=args.rate,
        volume=args.volume,
    )


def _cmd_run(paths: AppPaths, args: argparse.Namespace) -> int:
    from backtimer.core.plan.compiler import PlanSettings

    routine = _routine_or_report(paths, args.routine, "run")
    if routine is None:
        return EXIT_INVALID
    problem = _get_ready_problem(args.get_ready)
    if problem is not None:
        print(f"backtimer run: {problem}", file=sys.stderr)
        return EXIT_USAGE
    if not 0 <= args.volume <= 1:
        print("backtimer run: --volume: expected 0 to 1", file=sys.stderr)
        return EXIT_USAGE
    if not args.no_window:
        return _cmd_gui(paths, [sys.argv[0]], start_routine=routine.id)
    from backtimer.eyes_free import run_in_terminal

    audio = _audio_settings(args)
    plan_settings = PlanSettings(
        get_ready_seconds=args.get_ready, announce_next=audio.announce_next
    )
    return run_in_terminal(paths, routine, plan_settings, audio, args.cue_log)


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


def _display_problem() -> str | None:
    """Why the window cannot open here, or None when a display looks usable."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return None
    if os.environ.get("WAYLAND_DISPLAY"):
        return None
    display = os.environ.get("DISPLAY", "")
    if not display:
        return "no graphical display found (neither DISPLAY nor WAYLAND_DISPLAY is set)"
    host, _, number = display.rpartition(":")
    number = number.split(".")[0]
    local = host in ("", "unix") and number.isdigit()
    if local and not Path(f"/tmp/.X11-unix/X{number}").exists():
        return f"no X server is running on display {display}"
    return None


def _cmd_gui(
    paths: AppPaths,
    argv: Sequence[str],
    start_routine: str | None = None,
    tray: bool = False,
    break_now: bool = False,
) -> int:
    problem = _display_problem()
    if problem is not None:
        print(
            f"backtimer: {problem}.\n"
            "Run it from a desktop session, or on a machine without a screen under a "
            "virtual display:\n"
            "    xvfb-run -a backtimer\n"
            "These commands work without a display: backtimer routines, "
            "backtimer plan ROUTINE, backtimer validate FILE.",
            file=sys.stderr,
        )
        return EXIT_USAGE
    from backtimer.qt.app import Launch, run_gui  # Qt loads only when the window is wanted.

    launch = Launch(start_routine=start_routine, tray=tray, break_now=break_now)
    code = run_gui(paths, list(argv), launch=launch)
    # Everything is saved by now (settings on close, history at each session's end). Leave
    # without tearing the interpreter down: PySide6 6.12 can abort in its final garbage
    # collection ("none_dealloc"), which would turn a clean quit into a crash report.
    import logging

    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``backtimer`` command."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    args = _parser().parse_args(args_list)
    paths = resolve_paths(args.data_dir)
    try:
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
        # The commands below write to the data, config or cache folders.
        try:
            paths.ensure()
        except OSError as error:
            print(
                f"backtimer: cannot create the folder {error.filename}: {error.strerror}",
                file=sys.stderr,
            )
            return EXIT_INVALID
        if args.command == "run":
            return _cmd_run(paths, args)
        if args.command == "voices":
            return _cmd_voices(paths)
        if args.command == "reps":
            return _cmd_reps(paths, args)
        if args.command in ("history", "export", "import"):
            from backtimer import history_commands

            if args.command == "history":
                return history_commands.cmd_history(paths)
            if args.command == "export":
                return history_commands.cmd_export(
                    paths, args.csv, args.by_exercise, args.start, args.end
                )
            return history_commands.cmd_import(paths, args.csv)
        qt_args = [a for a in args_list if a not in ("--tray", "--break-now")]
        return _cmd_gui(paths, [sys.argv[0], *qt_args], tray=args.tray, break_now=args.break_now)
    except BrokenPipeError:
        # The reader went away (``backtimer plan x | head``): not an error worth a traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
