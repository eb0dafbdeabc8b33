"""The one way backtimer reads a file a user can put anything at: bounded, regular files only.

Routine files, state files (settings, reminders, reps, history) and imported CSV all come
through :func:`read_user_file`. It opens without blocking (a FIFO named ``*.toml`` does
not hang the app), refuses anything that is not a regular file once opened (a link to
``/dev/zero`` or a device), and reads at most ``limit`` bytes, so no file can take the app's
memory or time. Every refusal is a :class:`UserFileError` whose :attr:`~UserFileError.reason`
says what was expected and what was found, for a message that names the file.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Final

#: The most a small state file (settings, reminders, reps) may hold.
SMALL_STATE_LIMIT: Final = 1024 * 1024
#: The most one year of history may hold (about 100,000 sessions).
HISTORY_SHARD_LIMIT: Final = 256 * 1024 * 1024
#: The most an imported CSV file may hold.
IMPORT_LIMIT: Final = 64 * 1024 * 1024

_KINDS: Final = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class UserFileError(OSError):
    """A file could not be read as a regular file within its size limit."""

    def __init__(self, path: Path, reason: str, code: int | None = None) -> None:
        super().__init__(code or errno.EINVAL, reason, str(path))
        self.path = Path(path)
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


class NotRegularFileError(UserFileError):
    """The path names a FIFO, a device, a socket or a folder, not a file."""


class FileTooLargeError(UserFileError):
    """The file holds more than its limit."""


def describe_size(size: int) -> str:
    """``size`` bytes for a person: ``12 bytes``, ``3.5 KiB``, ``1.0 MiB``."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KiB"
    return f"{size / 1024 / 1024:.1f} MiB"


def file_kind(mode: int) -> str | None:
    """What a non-regular file is (``"a named pipe (FIFO)"``), or None for a regular file."""
    for test, kind in _KINDS:
        if test(mode):
            return kind
    return None if stat.S_ISREG(mode) else "not a regular file"


def read_user_file(path: Path, limit: int) -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit`` of them.

    Raises :class:`FileNotFoundError` when there is no such file, :class:`NotRegularFileError`
    for anything that is not a regular file, :class:`FileTooLargeError` past ``limit``, and
    :class:`OSError` for other failures (permission, I/O). Never blocks on a FIFO.
    """
    path = Path(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except IsADirectoryError:
        raise NotRegularFileError(path, "expected a file, found a folder", errno.EISDIR) from None
    try:
        info = os.fstat(fd)
        kind = file_kind(info.st_mode)
        if kind is not None:
            raise NotRegularFileError(path, f"expected a regular file, found {kind}")
        if info.st_size > limit:
            raise FileTooLargeError(
                path,
                f"expected at most {describe_size(limit)}, found {describe_size(info.st_size)}",
                errno.EFBIG,
            )
        with os.fdopen(fd, "rb", closefd=True) as handle:
            fd = -1
            # As much as the file holds (no buffer the size of the limit), and on to the
            # limit if it grew meanwhile.
            data = handle.read(min(info.st_size, limit) + 1)
            if len(data) > info.st_size:
                data += handle.read(limit + 1 - len(data))
    finally:
        if fd >= 0:
            os.close(fd)
    if len(data) > limit:  # it grew while being read
        raise FileTooLargeError(
            path, f"expected at most {describe_size(limit)}, found more", errno.EFBIG
        )
    return data


def is_regular_file(path: Path) -> bool:
    """Whether ``path`` is a regular file (following links), without opening it."""
    try:
        return stat.S_ISREG(Path(path).stat().st_mode)
    except OSError:
        return False
