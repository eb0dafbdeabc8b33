"""One writer at a time: an exclusive, non-blocking lock on a file in the data folder.

:class:`InstanceLock` takes ``fcntl.flock`` on the lock file; the kernel drops the lock
when the holding process ends, however it ends (a crash or ``kill -9`` included), so a
stale lock file never blocks the next start. A second process gets :class:`AlreadyRunningError`.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path
from types import TracebackType
from typing import Final

LOCK_FILE_NAME: Final = "backtimer.lock"


class AlreadyRunningError(RuntimeError):
    """Another process holds the lock: another backtimer is writing to this data folder."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"another backtimer is already using {path.parent} (lock {path.name})")
        self.path = path


class InstanceLock:
    """An exclusive lock on ``path``, taken by :meth:`acquire` or ``with``."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        """Whether this object holds the lock now."""
        return self._fd is not None

    def acquire(self) -> None:
        """Take the lock at once or raise :class:`AlreadyRunningError` (OSError if no file)."""
        if self._fd is not None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            os.close(fd)
            raise AlreadyRunningError(self.path) from error
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        # The holder's pid, for a human looking at the file; the lock is what counts.
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())

    def release(self) -> None:
        """Give the lock up (nothing happens when it is not held)."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def __enter__(self) -> InstanceLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()
