"""The bundled app's entry point: the ``backtimer`` command, or its speech worker.

A bundle has no Python interpreter to run ``python -m backtimer.audio.speech_worker``
with: :func:`backtimer.audio.speech.default_worker_command` starts ``sys.executable``
(the bundle's own program) with those arguments, and this entry point runs the worker
when it sees them.
"""

from __future__ import annotations

import sys

WORKER_ARGUMENTS = ["-m", "backtimer.audio.speech_worker"]


def main() -> int:
    """Run the speech worker when asked for it, otherwise the ``backtimer`` command."""
    if sys.argv[1:3] == WORKER_ARGUMENTS:
        from backtimer.audio import speech_worker

        sys.argv = [sys.argv[0], *sys.argv[3:]]
        return speech_worker.main()
    from backtimer.main import main as cli_main

    return cli_main()


if __name__ == "__main__":
    raise SystemExit(main())
