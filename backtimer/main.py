"""The ``backtimer`` command: read the command line, then hand it to one front end.

Terminal commands go to :mod:`backtimer.cli.commands` and never load Qt; the window
(``backtimer``, ``--tray``, ``--break-now``, ``run ROUTINE`` without ``--no-window``) goes to
:mod:`backtimer.qt.shell.application`. This module sits above both front ends, which never
import each other.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from backtimer.cli.folders import make_folders
from backtimer.cli.parser import build_parser, session_options
from backtimer.core.paths import AppPaths, resolve_paths

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2

#: Options of ours that Qt must not see.
_OWN_FLAGS = ("--tray", "--break-now")


def _wants_window(args: argparse.Namespace) -> bool:
    return args.command is None or (args.command == "run" and not args.no_window)


def _no_display_message(problem: str) -> str:
    return (
        f"backtimer: {problem}.\n"
        "Run it from a desktop session, or on a machine without a screen under a "
        "virtual display:\n"
        "    xvfb-run -a backtimer\n"
        "These commands work without a display: backtimer routines, "
        "backtimer plan ROUTINE, backtimer validate FILE."
    )


def _open_window(paths: AppPaths, args: argparse.Namespace) -> int:
    """The window, for ``backtimer`` and ``run ROUTINE``; checks the routine first."""
    from backtimer.app.routine_ref import RoutineRef
    from backtimer.desktop.display import display_problem

    routine = None
    if args.command == "run":
        # The routine is checked here, where a problem can still be said in the terminal.
        from backtimer.cli.commands import check_run_options, routine_or_report

        problem = check_run_options(args)
        if problem is not None:
            return problem
        if routine_or_report(paths, args.routine, "run") is None:
            return EXIT_INVALID
        routine = RoutineRef.parse(args.routine)
    problem_text = display_problem()
    if problem_text is not None:
        print(_no_display_message(problem_text), file=sys.stderr)
        return EXIT_USAGE
    from backtimer.qt.shell.application import run_gui  # Qt loads only now.
    from backtimer.qt.shell.launch import Launch

    options = session_options(args) if args.command == "run" else None
    launch = Launch(routine, options or Launch().options, args.tray, args.break_now)
    qt_args = [sys.argv[0], *(a for a in args.qt_args if a not in _OWN_FLAGS)]
    code = run_gui(paths, qt_args, launch)
    # Everything is saved by now (settings on close, history at each session's end). Leave
    # without tearing the interpreter down: PySide6 can abort in its final garbage
    # collection ("none_dealloc"), which would turn a clean quit into a crash report.
    import logging

    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``backtimer`` command."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(args_list)
    paths = resolve_paths(args.data_dir)
    if _wants_window(args):
        # Qt may take options of its own (``-platform offscreen``) before the command.
        args.qt_args = args_list if args.command is None else []
        if not make_folders(paths):
            return EXIT_INVALID
        return _open_window(paths, args)
    from backtimer.cli.commands import run_command

    return run_command(paths, args)
