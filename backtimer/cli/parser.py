"""The command line of ``backtimer``: every command and option, and what they ask for.

:func:`build_parser` describes the command line; :func:`session_options` turns the options
of ``run`` into :class:`~backtimer.app.sessions.SessionOptions`, which the window and the
terminal apply the same way on top of the user's settings.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from backtimer import __version__
from backtimer.app.options import SessionOptions
from backtimer.core.paths import DATA_DIR_ENV

#: The argparse object that subcommands are added to.
Commands = Any


def build_parser() -> argparse.ArgumentParser:
    """Every command and option of ``backtimer``."""
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
    _add_library_commands(commands)
    _add_session_commands(commands)
    _add_reps_commands(commands)
    _add_history_commands(commands)
    return parser


def _add_library_commands(commands: Commands) -> None:

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

    commands.add_parser(
        "schema",
        help="print the JSON Schema of routine files",
        description="Print the JSON Schema of routine files (also in routines/schema.json).",
    )


def _add_session_commands(commands: Commands) -> None:
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
            default=None,
            metavar="SECONDS",
            help="seconds to get ready before the first exercise (default: as in the settings, 10)",
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
        "--volume", type=float, metavar="0..1", help="volume (default: as in the settings, 1)"
    )
    run.add_argument("--no-speech", action="store_true", help="beeps only, no spoken cues")
    run.add_argument("--no-beeps", action="store_true", help="spoken cues only, no beeps")
    run.add_argument(
        "--no-announce-next",
        action="store_true",
        help="name the next exercise without its numbers",
    )


def _add_reps_commands(commands: Commands) -> None:
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


def _add_history_commands(commands: Commands) -> None:
    commands.add_parser(
        "history",
        help="print every recorded session",
        description="Print a table of every recorded session, then each week's workouts "
        "toward the goal, desk breaks and desk-break reminders.",
    )
    export = commands.add_parser(
        "export",
        help="export the history as CSV",
        description="Write the history as CSV (RFC 4180, UTF-8, a header row, ISO 8601 "
        "times): one row per session, or per exercise with --by-exercise, or one row per "
        "desk-break reminder with --breaks. Cells a "
        "spreadsheet would run as a formula are prefixed with an apostrophe.",
    )
    export.add_argument("--csv", required=True, metavar="FILE", help="the file, or - for stdout")
    export.add_argument("--from", dest="start", type=iso_date, metavar="DATE", help="from")
    export.add_argument("--to", dest="end", type=iso_date, metavar="DATE", help="to, inclusive")
    shape = export.add_mutually_exclusive_group()
    shape.add_argument("--by-exercise", action="store_true", help="one row per exercise")
    shape.add_argument(
        "--breaks",
        action="store_true",
        help="the desk-break reminders (taken, snoozed, skipped …) instead of the sessions",
    )
    import_ = commands.add_parser(
        "import",
        help="add sessions from a CSV export",
        description="Add the sessions of a per-session CSV export to the history. Sessions "
        "already there are skipped; bad rows are reported with their line numbers and "
        "skipped, the good ones kept.",
    )
    import_.add_argument("--csv", required=True, metavar="FILE", help="the file to import")


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a date like 2026-11-22, found {text!r}"
        ) from None


def session_options(args: argparse.Namespace) -> SessionOptions:
    """What ``run``'s options ask of its sessions (None where an option was not given)."""
    return SessionOptions(
        get_ready_seconds=args.get_ready,
        speech=False if args.no_speech else None,
        beeps=False if args.no_beeps else None,
        announce_next=False if args.no_announce_next else None,
        voice=args.voice,
        rate=args.rate,
        volume=args.volume,
        cue_log=args.cue_log,
    )
