"""Run ``backtimer`` commands in several processes at the same moment (a start barrier).

Each process imports the CLI, says it is ready and waits for a line on its standard input;
once every one of them is ready, :func:`run_together` releases them all at once, so their
commands really overlap rather than run one after the other as the processes start.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass

_CHILD = """\
import sys
from backtimer.main import main
sys.stdout.write("ready\\n")
sys.stdout.flush()
sys.stdin.readline()
sys.exit(main(sys.argv[1:]))
"""


@dataclass(frozen=True)
class Finished:
    """How one command ended."""

    returncode: int
    stdout: str
    stderr: str


def run_together(commands: Sequence[Sequence[str]], timeout: float = 60.0) -> list[Finished]:
    """Run each of ``commands`` (``backtimer`` arguments) in its own process, all released
    at the same moment once every process has started; their results, in order."""
    children = [
        subprocess.Popen(
            [sys.executable, "-c", _CHILD, *command],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for command in commands
    ]
    try:
        for child in children:  # the barrier: every child is ready before any goes
            assert child.stdout is not None
            ready = child.stdout.readline()
            assert ready == "ready\n", f"a child did not start: {ready!r}"
        for child in children:
            assert child.stdin is not None
            child.stdin.write("go\n")
            child.stdin.flush()
        results = []
        for child in children:
            out, err = child.communicate(timeout=timeout)
            results.append(Finished(child.returncode, out, err))
        return results
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait()
