"""A TinyDB storage that reads a JSON file and writes it atomically.

Writing goes through a temporary file in the same folder: the data is written, flushed
and fsynced, the temporary file replaces the old one with :func:`os.replace` (atomic on
POSIX and Windows), and the folder is fsynced so the rename itself survives a power cut.
At every moment the file at the final path is either the old data or the new data, never
a mix. When anything fails the temporary file is removed, the old file is left as it was
and :class:`StoreWriteError` is raised.

Reading never repairs anything: a file that is not a JSON object of tables of documents
raises :class:`UnreadableStoreError`, and the caller decides what to do (a store usually
:func:`move_aside` the file, keeping it, and starts afresh).
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from backtimer.core.store.errors import StoreError, StoreWriteError, UnreadableStoreError
from backtimer.core.store.json_state import read_state_json
from backtimer.core.store.user_files import SMALL_STATE_LIMIT

__all__ = [
    "AtomicJSONStorage",
    "StoreError",
    "StoreWriteError",
    "Tables",
    "UnreadableStoreError",
    "move_aside",
    "write_atomically",
]

#: What TinyDB reads and writes: tables by name, documents by id (as text), fields.
Tables = dict[str, dict[str, Any]]


def _fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (a no-op where folders cannot be opened)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8) so that no partial file is ever seen there.

    Raises :class:`StoreWriteError` when anything fails; the old file is then untouched
    and no temporary file is left behind.
    """
    path = Path(path)
    folder = path.parent
    tmp_name: str | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)  # noqa: PTH105 - the atomic step, named for clarity
        tmp_name = None
        _fsync_folder(folder)
    except OSError as error:
        reason = error.strerror or str(error) or type(error).__name__
        raise StoreWriteError(path, reason, error.errno) from error
    except UnicodeEncodeError as error:  # an unpaired surrogate (JSON's "\ud800" read back)
        reason = f"the data holds text that is not Unicode ({error.reason})"
        raise StoreWriteError(path, reason) from error
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                Path(tmp_name).unlink()


def move_aside(path: Path, now: datetime | None = None) -> Path:
    """Rename an unreadable ``path`` to ``<name>.unreadable-<UTC timestamp>`` and return it.

    The file is kept, never deleted; a ``-2``, ``-3``… suffix avoids overwriting an
    earlier one. Raises :class:`OSError` when the rename fails.
    """
    path = Path(path)
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    base = f"{path.name}.unreadable-{stamp}"
    target = path.with_name(base)
    counter = 2
    while target.exists():
        target = path.with_name(f"{base}-{counter}")
        counter += 1
    path.rename(target)
    with contextlib.suppress(OSError):
        _fsync_folder(path.parent)
    return target


def _check_tables(data: object) -> str | None:
    """Why ``data`` is not a TinyDB database, or None when it is one."""
    if not isinstance(data, dict):
        return f"expected a JSON object of tables, found {type(data).__name__}"
    for table_name, table in data.items():
        if not isinstance(table, dict):
            return f"table {table_name[:40]!r} is not an object"
        for doc_id, document in table.items():
            try:
                canonical = str(int(doc_id))
            except ValueError:
                canonical = None
            if canonical != doc_id:  # "01" and " 1" are 1 to TinyDB: two documents, one id
                return (
                    f"table {table_name[:40]!r} has a document id that is not a plain whole "
                    f"number: {doc_id[:40]!r}"
                )
            if not isinstance(document, dict):
                return f"document {doc_id} of table {table_name[:40]!r} is not an object"
    return None


class AtomicJSONStorage(Storage):
    """TinyDB storage in a JSON file: a missing file reads as empty, writes are atomic.

    Use it as ``TinyDB(path, storage=AtomicJSONStorage)``. The file is opened only for
    the moment of a read or a write; nothing is held open between them.
    """

    #: The most the file may hold; a larger one is unreadable.
    limit: int = SMALL_STATE_LIMIT
    #: Whether NaN and Infinity are read (as floats) for the caller to check record by record.
    allow_nonfinite: bool = False

    def __init__(self, path: str | os.PathLike[str], *, indent: int | None = 2) -> None:
        super().__init__()
        self.path = Path(path)
        self._indent = indent

    def read(self) -> Tables | None:
        """The database, or None when the file does not exist or is empty.

        Raises :class:`UnreadableStoreError` when the file is not UTF-8 JSON shaped as
        tables of documents (see :func:`~backtimer.core.store.json_state.read_state_json`),
        and :class:`OSError` when it cannot be read at all.
        """
        data = read_state_json(self.path, self.limit, allow_nonfinite=self.allow_nonfinite)
        if data is None:
            return None
        problem = _check_tables(data)
        if problem is not None:
            raise UnreadableStoreError(self.path, problem)
        tables: Tables = data  # type: ignore[assignment]
        return tables

    def write(self, data: Tables) -> None:
        """Replace the file with ``data``; raises :class:`StoreWriteError` on failure."""
        try:
            text = json.dumps(data, indent=self._indent, ensure_ascii=False, allow_nan=False)
        except (TypeError, ValueError) as error:
            raise StoreWriteError(
                self.path, f"the data cannot be stored as JSON: {error}"
            ) from error
        write_atomically(self.path, text + "\n")
