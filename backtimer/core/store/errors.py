"""What goes wrong with a store file: it cannot be read, or it cannot be written."""

from __future__ import annotations

from pathlib import Path


class StoreError(Exception):
    """A store file could not be read or written."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = Path(path)
        self.reason = reason


class UnreadableStoreError(StoreError, ValueError):
    """A store file exists but holds something other than a JSON database."""

    def __str__(self) -> str:
        return f"cannot read {self.path}: {self.reason}"


class StoreWriteError(StoreError, OSError):
    """A store file could not be written; the file on disk is unchanged.

    An :class:`OSError`, so code that handles failed writes in general handles it too;
    ``errno`` is that of the underlying failure when there was one.
    """

    def __init__(self, path: Path, reason: str, errno: int | None = None) -> None:
        super().__init__(path, reason)
        self.errno = errno
        self.strerror = reason
        self.filename = str(path)

    def __str__(self) -> str:
        return f"could not save {self.path}: {self.reason} (the file on disk is unchanged)"
