"""One change at a time to a small state file: an exclusive lock on a file beside it.

The rep pins (``reps.json``) are changed by the app and by ``backtimer reps`` in other
processes, each a read-modify-write of the whole file; the settings and the reminder
schedule are written the same way. Without a lock, two changes made at once both read the
old file and the second write drops the first change. :func:`locked` takes
``fcntl.flock(LOCK_EX)`` on ``<file>.lock`` beside the file, waiting a bounded time for
another holder: read the file *inside* the ``with`` block, change it, write it, and leave.

The kernel drops the lock when its holder ends however it ends (``kill -9`` included), so a
lock file left behind never blocks anyone; it is never deleted (deleting it while another
process waits on it would let two processes hold "the" lock at once).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Final

from backtimer.core.store.errors import StoreWriteError

#: What the lock file beside a state file is called: ``reps.json`` → ``reps.json.lock``.
LOCK_SUFFIX: Final = ".lock"
#: How long :func:`locked` waits for another process to finish its change, in seconds.
DEFAULT_WAIT_S: Final = 10.0
#: The longest pause between two tries, in seconds.
_MAX_PAUSE_S: Final = 0.05


class FileBusyError(StoreWriteError):
    """Another process kept the file locked for longer than the wait; nothing was changed."""


def lock_path(path: Path) -> Path:
    """The lock file of the state file at ``path``."""
    path = Path(path)
    return path.with_name(path.name + LOCK_SUFFIX)


@contextlib.contextmanager
def locked(
    path: Path,
    wait_s: float = DEFAULT_WAIT_S,
    *,
    monotonic: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], object] = time.sleep,
) -> Iterator[None]:
    """Hold the lock of the state file at ``path`` for the ``with`` block.

    Waits at most ``wait_s`` seconds for another holder, then raises
    :class:`FileBusyError`; raises :class:`~backtimer.core.store.errors.StoreWriteError`
    when the lock file cannot be created (a read-only folder). Not re-entrant: do not take
    the lock of a file again inside its own block (it would wait for itself).
    """
    path = Path(path)
    target = lock_path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(target, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    except OSError as error:
        reason = error.strerror or str(error)
        raise StoreWriteError(
            path, f"cannot create its lock file {target.name} ({reason})", error.errno
        ) from error
    try:
        _take(fd, path, wait_s, monotonic, sleep)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _take(
    fd: int,
    path: Path,
    wait_s: float,
    monotonic: Callable[[], float],
    sleep: Callable[[float], object],
) -> None:
    """Take the lock on ``fd``, trying again with growing pauses until ``wait_s`` is over."""
    deadline = monotonic() + wait_s
    pause = 0.001
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            left = deadline - monotonic()
            if left <= 0:
                raise FileBusyError(
                    path,
                    f"another backtimer kept it locked for over {wait_s:g} s; "
                    "nothing was changed, try again",
                ) from None
            sleep(min(pause, left))
            pause = min(pause * 2, _MAX_PAUSE_S)
        except OSError as error:
            reason = error.strerror or str(error)
            raise StoreWriteError(path, f"cannot lock it ({reason})", error.errno) from error
        else:
            return
