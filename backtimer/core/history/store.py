"""History on disk: sessions and break events in TinyDB files, one file per year.

``history-2026.json`` holds the sessions that started in 2026 (table ``sessions``), the
break events of 2026 (table ``breaks``) and the schema version it was written with (table
``meta``). Each file is written atomically (see
:class:`~backtimer.core.store.atomic_storage.AtomicJSONStorage`), compactly, and only
the file of the year concerned is rewritten; the text of documents that did not change
is reused from the last write, so recording costs little more than the write itself.

A session being done lives in the small ``history-in-progress.json`` (written by
:meth:`HistoryStore.start_session` with outcome ``in_progress``) until
:meth:`HistoryStore.finish_session` stores it in its year and removes it from there.
What a crash or kill leaves in that file is stored as ``interrupted`` when the store is
next opened (:meth:`HistoryStore.recover_interrupted`); opening reads nothing else.
Queries read the shards they need (``since`` limits them) and keep them in memory.

Every file is read through :func:`~backtimer.core.store.json_state.read_state_json`. A
shard that cannot be read at all is moved aside (kept, never deleted), reported in
:attr:`HistoryStore.problems`, and its year starts afresh; the other shards are not
affected. Within a readable shard every session and break event must pass the record
rules (:mod:`~backtimer.core.history.record_rules`; ``NaN`` is read so that such a record
can be found and kept): those in the range a query reads are checked then, and every
document of a year is checked before the first write to it. A document that fails is
*quarantined* by the writer: copied, with the reason, to ``<shard>.quarantine-<UTC time>``
beside the shard (written atomically before anything is removed), then removed from the
shard, so the rest of the year is shown and keeps saving; a document the writer cannot
encode (a ``NaN`` in a field no rule reads) is quarantined the same way when it is met.
A reader (``recover=False``) only skips such documents. All of this is reported in
:attr:`HistoryStore.problems`, naming the file, the document and the reason.

A shard written by a newer backtimer is left alone and its year is not written. A failed
write raises :class:`~backtimer.core.store.atomic_storage.StoreWriteError` and leaves the
file as it was. A shard written with an older schema is migrated when read (see
:data:`MIGRATIONS`) and written back in the current one. :meth:`HistoryStore.add_sessions`
adds only sessions whose id is in no shard at all (an id index of the whole history is
built on its first use), so a session written with another UTC offset across New Year is
not stored twice.

Only one process may write: take :class:`~backtimer.core.history.lock.InstanceLock`
first, then call :meth:`HistoryStore.remove_stale_temporaries`.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import re
import weakref
from collections.abc import Callable, Iterable, MutableMapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Final

from tinydb import TinyDB
from tinydb.table import Table

from backtimer.core.history.record_rules import break_event_from_dict, session_from_dict
from backtimer.core.history.records import (
    RECORD_SCHEMA_VERSION,
    BreakEvent,
    SessionOutcome,
    SessionRecord,
    kind_from_routine,
)
from backtimer.core.store.atomic_storage import (
    AtomicJSONStorage,
    StoreWriteError,
    Tables,
    UnreadableStoreError,
    move_aside,
    write_atomically,
)
from backtimer.core.store.temporaries import remove_stale_temporaries
from backtimer.core.store.user_files import HISTORY_SHARD_LIMIT

log = logging.getLogger(__name__)

SCHEMA_VERSION: Final = RECORD_SCHEMA_VERSION
SESSIONS_TABLE: Final = "sessions"
BREAKS_TABLE: Final = "breaks"
META_TABLE: Final = "meta"
META_DOC_ID: Final = 1
_SHARD_NAME = re.compile(r"^history-(\d{4})\.json$")
#: The sessions running now (written by start_session, removed by finish_session).
IN_PROGRESS_FILE_NAME: Final = "history-in-progress.json"
#: The files of a history folder, as glob patterns (the shards and the in-progress file).
HISTORY_FILE_PATTERNS: Final = ("history-*.json",)

#: Turns the tables of a shard written with schema ``n`` into those of schema ``n + 1``.
Migration = Callable[[Tables], Tables]
#: A document set aside: its table, its document id, the document, and why.
BadDocument = tuple[str, str, dict[str, Any], str]
#: Asked by a shard's storage for a document it cannot encode; True when it was kept
#: elsewhere (then it is left out of the file).
Quarantine = Callable[[str, str, dict[str, Any], str], bool]


def shard_name(year: int) -> str:
    """The file name of the shard of ``year``."""
    return f"history-{year:04d}.json"


def _migrate_v0_to_v1(tables: Tables) -> Tables:
    """Schema 0 wrote ``"pain"`` for a session stopped for pain; 1 says ``stopped_for_pain``."""
    for document in tables.get(SESSIONS_TABLE, {}).values():
        if document.get("outcome") == "pain":
            document["outcome"] = SessionOutcome.STOPPED_FOR_PAIN.value
    return tables


def _migrate_v1_to_v2(tables: Tables) -> Tables:
    """Schema 2 says each session's ``kind`` (a desk break or a workout), its pain note, and
    each exercise's ``state``; a schema 1 session gets them (see :func:`add_schema_2_fields`)."""
    for document in tables.get(SESSIONS_TABLE, {}).values():
        add_schema_2_fields(document)
    return tables


def add_schema_2_fields(document: object) -> None:
    """Give a valid session document written before schema 2 its kind, an empty pain note and
    each exercise's state, as the record rules read them when missing; add nothing else.

    A document the record rules refuse is left exactly as it is (it is then set aside as it
    was written). Doing it twice changes nothing.
    """
    if not isinstance(document, dict):
        return
    try:
        record = session_from_dict(document)
    except _RECORD_ERRORS:
        return
    document.setdefault("kind", (record.kind or kind_from_routine(record.routine_id)).value)
    document.setdefault("pain_area", "")
    document.setdefault("pain_note", "")
    exercises = document.get("exercises")
    if isinstance(exercises, list):
        for exercise, read in zip(exercises, record.exercises, strict=True):
            if isinstance(exercise, dict) and read.state is not None:
                exercise.setdefault("state", read.state.value)


#: Migrations by the schema version they start from.
MIGRATIONS: dict[int, Migration] = {0: _migrate_v0_to_v1, 1: _migrate_v1_to_v2}


def shard_schema_version(tables: Tables, path: Path) -> int:
    """The schema a shard was written with; 0 when it does not say (the first layout)."""
    meta = tables.get(META_TABLE, {}).get(str(META_DOC_ID))
    if meta is None:
        return 0
    version = meta.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        raise UnreadableStoreError(path, f"schema_version is not a version: {version!r}")
    return version


def migrate(tables: Tables, path: Path) -> tuple[Tables, int]:
    """``tables`` brought to :data:`SCHEMA_VERSION`, and the version they had."""
    found = shard_schema_version(tables, path)
    if found > SCHEMA_VERSION:
        raise _NewerSchemaError(path, f"written by a newer backtimer (schema {found})")
    version = found
    while version < SCHEMA_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise UnreadableStoreError(path, f"no migration from schema {version}")
        tables = step(tables)
        version += 1
    tables[META_TABLE] = {str(META_DOC_ID): {"schema_version": SCHEMA_VERSION}}
    return tables, found


class _NewerSchemaError(UnreadableStoreError):
    """A shard from a newer backtimer: left alone (not moved aside), its year read-only."""


class _ShardStorage(AtomicJSONStorage):
    """Compact atomic JSON that keeps what it last read or wrote, migrated, in memory.

    TinyDB reads the whole database for every operation; the cache makes that free.
    Writing re-encodes only the documents that are new or marked changed (by
    :meth:`touch`); the text of the others is kept from the last write, so a write
    costs joining strings and the fsync, not encoding a year of history. A failed write
    drops both caches (TinyDB had already changed the data), so the next read sees the
    file as it is on disk.
    """

    limit = HISTORY_SHARD_LIMIT
    #: NaN and Infinity are read, so the record rules find the documents holding them.
    allow_nonfinite = True

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__(path, indent=None)
        #: Keeps a document that cannot be encoded elsewhere (see :data:`Quarantine`).
        self.quarantine: Quarantine | None = None
        self._cache: Tables | None = None
        #: (table, document id) → (the document object, its JSON text).
        self._encoded: dict[tuple[str, str], tuple[object, str]] = {}
        self._touched: set[tuple[str, str]] = set()
        #: The schema the file had when read, when older than the current one.
        self.migrated_from: int | None = None

    def touch(self, table: str, doc_ids: Iterable[int]) -> None:
        """Mark documents about to be changed in place, so the next write encodes them."""
        self._touched.update((table, str(doc_id)) for doc_id in doc_ids)

    def start_empty(self) -> None:
        """Hold nothing and read nothing (for a year whose file is left alone)."""
        self._cache = {}

    def read(self) -> Tables | None:
        if self._cache is None:
            self._encoded = {}
            data = super().read()
            if data is None:
                return None
            data, found = migrate(data, self.path)
            self.migrated_from = found if found < SCHEMA_VERSION else None
            self._cache = data
        return self._cache

    def write(self, data: Tables) -> None:
        data[META_TABLE] = {str(META_DOC_ID): {"schema_version": SCHEMA_VERSION}}
        try:
            text, encoded = self._encode(data)
            write_atomically(self.path, text)
        except BaseException:
            self._cache = None
            self._encoded = {}
            self._touched.clear()
            raise
        self._cache = data
        self._encoded = encoded
        self._touched.clear()
        self.migrated_from = None

    def _encode(self, data: Tables) -> tuple[str, dict[tuple[str, str], tuple[object, str]]]:
        """The JSON text of ``data`` and the encoded fragments (``"id": {...}``) it reused.

        A document that cannot be encoded is handed to :attr:`quarantine` and, once kept
        there, removed from ``data``; otherwise the write fails with StoreWriteError.
        """
        encoded: dict[tuple[str, str], tuple[object, str]] = {}
        previous = self._encoded
        touched = self._touched
        tables = []
        for table_name, table in data.items():
            fragments = []
            dropped = []
            for doc_id, document in table.items():
                key = (table_name, doc_id)
                known = previous.get(key)
                if known is None or known[0] is not document or key in touched:
                    try:
                        text = json.dumps(document, ensure_ascii=False, allow_nan=False)
                        if not text.isascii():
                            text.encode("utf-8")  # no unpaired surrogate ("\ud800" read back)
                    except (TypeError, ValueError, RecursionError) as error:
                        reason = f"cannot be stored as JSON ({error})"
                        if self.quarantine is not None and self.quarantine(
                            table_name, doc_id, document, reason
                        ):
                            dropped.append(doc_id)
                            continue
                        raise StoreWriteError(
                            self.path, f"the data cannot be stored as JSON: {error}"
                        ) from error
                    known = (document, f"{json.dumps(doc_id)}: {text}")
                encoded[key] = known
                fragments.append(known[1])
            for doc_id in dropped:
                del table[doc_id]
            tables.append(f"{json.dumps(table_name)}: {{{', '.join(fragments)}}}")
        return "{" + ", ".join(tables) + "}\n", encoded


@dataclasses.dataclass
class _Shard:
    """One year's file, opened."""

    db: TinyDB
    storage: _ShardStorage
    #: Why this year cannot be written (its file could not be read nor moved aside).
    blocked: str | None = None
    #: Every document was checked against the record rules (done before the first write).
    checked: bool = False
    #: Documents (table, id) found valid by reads until then: not checked again.
    valid: set[tuple[str, str]] = dataclasses.field(default_factory=set)
    #: Documents (table, id) that failed the rules and stay in the file: skipped, told once.
    bad: set[tuple[str, str]] = dataclasses.field(default_factory=set)
    _ids: dict[str, int] | None = None

    @property
    def session_ids(self) -> dict[str, int]:
        """Session id → TinyDB document id (worked out when first wanted: a query needs none)."""
        if self._ids is None:
            self._ids = {
                str(document.get("id")): int(doc_id)
                for doc_id, document in self.documents(SESSIONS_TABLE)
            }
        return self._ids

    def forget_session_ids(self) -> None:
        """Documents were removed: work the ids out again when next wanted."""
        self._ids = None

    @property
    def sessions(self) -> Table:
        return self.db.table(SESSIONS_TABLE)

    @property
    def breaks(self) -> Table:
        return self.db.table(BREAKS_TABLE)

    def documents_by_id(self, table: str) -> dict[str, dict[str, Any]]:
        """The stored documents of ``table`` by id, as stored (do not change)."""
        tables = self.storage.read() or {}
        return tables.get(table, {})

    def documents(self, table: str) -> list[tuple[str, dict[str, Any]]]:
        """The stored documents of ``table`` with their ids, as stored (do not change)."""
        tables = self.storage.read() or {}
        return list(tables.get(table, {}).items())


class HistoryStore:
    """Every session and break event, in ``history-<year>.json`` files in ``folder``."""

    def __init__(self, folder: Path, recover: bool = True) -> None:
        """Open the history in ``folder``; ``recover`` (only for the one writer) turns
        sessions left in progress by a crash into interrupted ones, and lets the store set
        invalid records aside (a reader only skips them)."""
        self.folder = Path(folder)
        #: What could not be used, one message each (file, reason, where it was moved).
        self.problems: list[str] = []
        self._writer = recover
        self._shards: dict[int, _Shard] = {}
        #: Every stored session id and the year of its shard; built on first use.
        self._ids: dict[str, int] | None = None
        self._journal = self._open_shard_file(self.folder / IN_PROGRESS_FILE_NAME)
        #: How many unfinished sessions the opening turned into interrupted ones.
        self.recovered = self.recover_interrupted() if recover else 0

    # -- reading ---------------------------------------------------------------------

    def years(self) -> list[int]:
        """The years that have a shard file, oldest first."""
        return sorted(set(self._years_on_disk()) | set(self._shards))

    def sessions(self, since: datetime | None = None) -> list[SessionRecord]:
        """The sessions started at or after ``since`` (timezone-aware), by start time."""
        records: list[SessionRecord] = []
        for year in self._years_from(since):
            shard = self._shard(year)
            bad: list[BadDocument] = []
            for doc_id, document in shard.documents(SESSIONS_TABLE):
                if (shard.bad and (SESSIONS_TABLE, doc_id) in shard.bad) or (
                    since is not None and _starts_before(document, since)
                ):
                    continue
                try:
                    record = session_from_dict(document)
                except _RECORD_ERRORS as error:
                    bad.append((SESSIONS_TABLE, doc_id, document, str(error)))
                    continue
                if not shard.checked:
                    shard.valid.add((SESSIONS_TABLE, doc_id))
                if since is None or record.started >= since:
                    records.append(record)
            self._set_aside_documents(shard, bad)
        stored = {r.id for r in records}
        records.extend(
            r
            for r in self._running()
            if r.id not in stored and (since is None or r.started >= since)
        )
        records.sort(key=lambda r: r.started)
        return records

    def break_events(self, since: datetime | None = None) -> list[BreakEvent]:
        """The break events at or after ``since`` (timezone-aware), by time."""
        events: list[BreakEvent] = []
        for year in self._years_from(since):
            shard = self._shard(year)
            bad: list[BadDocument] = []
            for doc_id, document in shard.documents(BREAKS_TABLE):
                if (BREAKS_TABLE, doc_id) in shard.bad:
                    continue
                try:
                    event = break_event_from_dict(document)
                except _RECORD_ERRORS as error:
                    bad.append((BREAKS_TABLE, doc_id, document, str(error)))
                    continue
                if not shard.checked:
                    shard.valid.add((BREAKS_TABLE, doc_id))
                if since is None or event.at >= since:
                    events.append(event)
            self._set_aside_documents(shard, bad)
        events.sort(key=lambda e: e.at)
        return events

    # -- writing ---------------------------------------------------------------------

    def start_session(self, record: SessionRecord) -> SessionRecord:
        """Write ``record`` as in progress (done when a session starts); returns it so.

        It goes to the small in-progress file, not to the year's shard: a cheap write,
        and the only file the next opening has to look at to find what a crash left.
        """
        started = dataclasses.replace(record, outcome=SessionOutcome.IN_PROGRESS)
        self._check_journal()
        table = self._journal.sessions
        data = started.to_dict()
        doc_ids = self._journal_ids(record.id)
        if doc_ids:
            self._journal.storage.touch(SESSIONS_TABLE, doc_ids)
            table.update(_replace_with(data), doc_ids=doc_ids)
        else:
            table.insert(data)
        return started

    def finish_session(self, record: SessionRecord) -> None:
        """Store ``record`` in its year (replacing the one with its id) as no longer running.

        The year's shard is written first, then the session leaves the in-progress
        file; a crash in between leaves it stored, and the next opening just tidies up.
        """
        if record.outcome is SessionOutcome.IN_PROGRESS:
            raise ValueError("finish_session needs the outcome of the session")
        self._put_session(record)
        doc_ids = self._journal_ids(record.id)
        if doc_ids and self._journal.blocked is None:
            self._journal.sessions.remove(doc_ids=doc_ids)

    def add_break_event(self, event: BreakEvent) -> None:
        """Record a break event."""
        shard = self._writable(event.at.year)
        shard.breaks.insert(event.to_dict())

    def add_sessions(self, records: Iterable[SessionRecord]) -> int:
        """Add the sessions whose id is stored in no year yet (one write per year); how many.

        The same session written with another UTC offset may fall in another year (across
        New Year): its id is what counts, over the whole history.
        """
        by_year: dict[int, list[SessionRecord]] = {}
        seen: set[str] = set()
        for record in records:
            if record.id in seen:
                continue
            seen.add(record.id)
            if record.outcome is SessionOutcome.IN_PROGRESS:  # nothing imported is running
                record = dataclasses.replace(record, outcome=SessionOutcome.INTERRUPTED)
            by_year.setdefault(record.started.year, []).append(record)
        # Every year written is checked first (what fails the rules is set aside).
        shards = {year: self._writable(year) for year in sorted(by_year)}
        added = 0
        for year, year_records in sorted(by_year.items()):
            known = self._all_ids()
            new = [r for r in year_records if r.id not in known]
            if not new:
                continue
            shard = shards[year]
            doc_ids = shard.sessions.insert_multiple(r.to_dict() for r in new)
            shard.session_ids.update(zip((r.id for r in new), doc_ids, strict=True))
            known.update((r.id, year) for r in new)
            added += len(new)
        return added

    def recover_interrupted(self) -> int:
        """Store the sessions a crash or kill left in progress as interrupted; how many.

        Only the in-progress file is read: no shard is searched.
        """
        running = self._running()
        if not running:
            return 0
        recovered = 0
        for record in running:
            shard = self._shard(record.started.year)
            if shard.blocked is not None:
                continue
            doc_id = shard.session_ids.get(record.id)
            if doc_id is not None and shard.documents_by_id(SESSIONS_TABLE)[str(doc_id)].get(
                "outcome"
            ) not in (None, SessionOutcome.IN_PROGRESS.value):
                continue  # finished and stored; the crash came before the tidying up
            try:
                self._put_session(dataclasses.replace(record, outcome=SessionOutcome.INTERRUPTED))
            except StoreWriteError as error:
                # Kept in the in-progress file: the next opening tries again.
                self._warn(f"{error}; session {record.id} stays marked as running for now")
                return recovered
            recovered += 1
            log.info("session %s (started %s) marked interrupted", record.id, record.started)
        if self._journal.blocked is None:
            try:
                self._journal.sessions.truncate()
            except StoreWriteError as error:
                self._warn(str(error))  # stored already; the next opening tidies up
        return recovered

    def remove_stale_temporaries(self) -> int:
        """Delete temporary files a killed write left behind; how many (hold the lock!)."""
        return len(remove_stale_temporaries(self.folder, HISTORY_FILE_PATTERNS, min_age_s=0))

    def _running(self) -> list[SessionRecord]:
        """The sessions in the in-progress file."""
        records = []
        bad: list[BadDocument] = []
        for doc_id, document in self._journal.documents(SESSIONS_TABLE):
            if (SESSIONS_TABLE, doc_id) in self._journal.bad:
                continue
            try:
                records.append(session_from_dict(document))
            except _RECORD_ERRORS as error:
                bad.append((SESSIONS_TABLE, doc_id, document, str(error)))
        self._set_aside_documents(self._journal, bad)
        return records

    def _journal_ids(self, session_id: str) -> list[int]:
        return [
            int(doc_id)
            for doc_id, document in self._journal.documents(SESSIONS_TABLE)
            if document.get("id") == session_id
        ]

    def _check_journal(self) -> None:
        if self._journal.blocked is not None:
            raise StoreWriteError(self._journal.storage.path, self._journal.blocked)

    # -- shards ----------------------------------------------------------------------

    def _put_session(self, record: SessionRecord) -> None:
        year = record.started.year
        shard = self._writable(year)
        data = record.to_dict()
        doc_id = shard.session_ids.get(record.id)
        if doc_id is None:
            shard.session_ids[record.id] = shard.sessions.insert(data)
            if self._ids is not None:
                self._ids.setdefault(record.id, year)
            return

        shard.storage.touch(SESSIONS_TABLE, [doc_id])
        shard.sessions.update(_replace_with(data), doc_ids=[doc_id])

    def _all_ids(self) -> dict[str, int]:
        """Every stored session id and its year (the first use opens every shard)."""
        if self._ids is None:
            ids: dict[str, int] = {}
            for year in self.years():
                for session_id in self._shard(year).session_ids:
                    ids.setdefault(session_id, year)
            self._ids = ids
        return self._ids

    def _path(self, year: int) -> Path:
        return self.folder / shard_name(year)

    def _years_on_disk(self) -> list[int]:
        try:
            names = [entry.name for entry in self.folder.iterdir()]
        except (FileNotFoundError, NotADirectoryError):
            return []
        years = []
        for name in names:
            match = _SHARD_NAME.match(name)
            if match is not None:
                years.append(int(match.group(1)))
        return sorted(years)

    def _years_from(self, since: datetime | None) -> list[int]:
        years = self.years()
        if since is None:
            return years
        # A record's year is that of its local time; offsets are under a day either way.
        first = (since - timedelta(days=2)).year
        return [year for year in years if year >= first]

    def _writable(self, year: int) -> _Shard:
        shard = self._shard(year)
        if shard.blocked is not None:
            raise StoreWriteError(shard.storage.path, shard.blocked)
        if not shard.checked:
            shard.checked = True
            self._check_documents(shard)
            shard.valid = set()
        return shard

    def _check_documents(self, shard: _Shard) -> None:
        """Check every session and break event of ``shard`` not found valid by a read yet;
        set aside what fails."""
        bad: list[BadDocument] = []
        for table, check in (
            (SESSIONS_TABLE, session_from_dict),
            (BREAKS_TABLE, break_event_from_dict),
        ):
            for doc_id, document in shard.documents(table):
                key = (table, doc_id)
                if key in shard.bad or key in shard.valid:
                    continue
                try:
                    check(document)
                except _RECORD_ERRORS as error:
                    bad.append((table, doc_id, document, str(error)))
        self._set_aside_documents(shard, bad)

    def _shard(self, year: int) -> _Shard:
        shard = self._shards.get(year)
        if shard is None:
            shard = self._open_shard(year)
            self._shards[year] = shard
        return shard

    def _open_shard(self, year: int) -> _Shard:
        return self._open_shard_file(self._path(year))

    def _open_shard_file(self, path: Path) -> _Shard:
        db, storage = _open_db(path)
        blocked: str | None = None
        try:
            storage.read()
        except _NewerSchemaError as error:
            blocked = f"{error.reason}; not changing it"
            self._warn(f"{error}; what it holds is not shown and it is not written")
        except UnreadableStoreError as error:
            blocked = self._set_aside(path, error)
        except OSError as error:
            blocked = f"the file could not be read ({error.strerror or error}); not overwriting it"
            self._warn(f"cannot read {path}: {error.strerror or error}; its history is not shown")
        if blocked is not None:
            db, storage = _open_db(path)
            storage.start_empty()  # nothing shown; writes are refused while blocked
            return _Shard(db, storage, blocked)
        shard = _Shard(db, storage)
        if self._writer:
            storage.quarantine = _quarantine_hook(self, shard)
        if storage.migrated_from is not None and self._writer:  # a reader writes nothing
            self._migrate(shard)
        return shard

    def _migrate(self, shard: _Shard) -> None:
        """Write a shard read in an older schema back in the current one.

        Its records are checked first, so what fails says why by the record rules (setting
        them aside writes the file, migrated, too).
        """
        storage = shard.storage
        old = storage.migrated_from
        shard.checked = True
        self._check_documents(shard)
        if storage.migrated_from is not None:
            try:
                storage.write(storage.read() or {})
            except StoreWriteError as error:
                self._warn(f"{error} (migrating from schema {old}; will retry on the next write)")
                return
        log.info("%s: migrated from schema %s to %d", storage.path.name, old, SCHEMA_VERSION)

    # -- setting aside ---------------------------------------------------------------

    def _set_aside(self, path: Path, error: UnreadableStoreError) -> str | None:
        """Keep an unreadable shard under another name; the reason to block if that fails."""
        try:
            kept = move_aside(path)
        except OSError as move_error:
            self._warn(f"{error}; it could not be moved aside either ({move_error})")
            return (
                f"the file could not be read ({error.reason}) nor moved aside "
                f"({move_error.strerror or move_error}); not overwriting it"
            )
        fresh = (
            "the list of running sessions" if path.name == IN_PROGRESS_FILE_NAME else "that year"
        )
        self._warn(f"{error}; moved it aside to {kept} and starting {fresh} afresh")
        return None

    def _set_aside_documents(self, shard: _Shard, bad: list[BadDocument]) -> None:
        """Quarantine documents that fail the record rules (the writer), or skip them."""
        if not bad:
            return
        path = shard.storage.path
        kept = self._quarantine(path, bad) if self._writer and shard.blocked is None else None
        if kept is not None:
            removing = {(table, doc_id) for table, doc_id, _, _ in bad}
            try:
                for table in sorted({table for table, _ in removing}):
                    doc_ids = [int(doc_id) for name, doc_id in removing if name == table]
                    shard.db.table(table).remove(doc_ids=doc_ids)
            except StoreWriteError as error:
                self._warn(f"{error}; the documents stay in it (a copy is in {kept.name})")
                kept = None
            else:
                shard.forget_session_ids()
                self._ids = None
        for table, doc_id, document, reason in bad:
            what = _describe(table, doc_id, document)
            if kept is not None:
                self._warn(
                    f"{path}: {what} is not a valid record ({reason}); "
                    f"moved it to {kept.name}, the rest of the file is kept"
                )
            else:
                shard.bad.add((table, doc_id))
                self._warn(f"{path}: {what} is not a valid record ({reason}); skipped")

    def _unencodable(self, shard: _Shard, document: BadDocument) -> bool:
        """Keep a document the writer cannot encode beside its file; True when kept."""
        path = shard.storage.path
        kept = self._quarantine(path, [document])
        if kept is None:
            return False
        table, doc_id, data, reason = document
        if table == SESSIONS_TABLE:
            shard.forget_session_ids()
            self._ids = None
        self._warn(
            f"{path}: {_describe(table, doc_id, data)} {reason}; "
            f"moved it to {kept.name}, the rest of the file is kept"
        )
        return True

    def _quarantine(self, path: Path, documents: list[BadDocument]) -> Path | None:
        """Write ``documents`` to a new ``<name>.quarantine-<UTC time>`` beside ``path``.

        The file is written atomically and is never read back as history, so it may
        hold NaN; None (and a problem) when it cannot be written.
        """
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        base = f"{path.name}.quarantine-{stamp}"
        target = path.with_name(base)
        counter = 2
        while target.exists():
            target = path.with_name(f"{base}-{counter}")
            counter += 1
        entries = [
            {"table": table, "document_id": doc_id, "reason": reason, "document": document}
            for table, doc_id, document, reason in documents
        ]
        try:
            text = json.dumps(
                {"quarantined_from": path.name, "documents": entries},
                indent=1,
                ensure_ascii=True,  # any text, unpaired surrogates too, as escapes
                allow_nan=True,
            )
            write_atomically(target, text + "\n")
        except (StoreWriteError, ValueError, RecursionError) as error:
            self._warn(f"cannot set invalid records of {path} aside in {target.name}: {error}")
            return None
        return target

    def _warn(self, message: str) -> None:
        self.problems.append(message)
        log.warning("%s", message)


#: What the record rules raise for a document that is not a record.
_RECORD_ERRORS = (KeyError, ValueError, TypeError, OverflowError)


def _quarantine_hook(store: HistoryStore, shard: _Shard) -> Quarantine:
    """``store``'s keeper of the documents of ``shard`` its storage cannot encode.

    It holds both weakly: the storage it is given to belongs to the shard, which belongs
    to the store, and a cycle would keep a closed store's whole history in memory until
    the cycle collector ran.
    """
    store_ref, shard_ref = weakref.ref(store), weakref.ref(shard)

    def hook(table: str, doc_id: str, document: dict[str, Any], reason: str) -> bool:
        owner, kept_in = store_ref(), shard_ref()
        if owner is None or kept_in is None:
            return False
        return owner._unencodable(kept_in, (table, doc_id, document, reason))

    return hook


def _starts_before(document: dict[str, Any], since: datetime) -> bool:
    """Whether a session document plainly starts before ``since`` (cheap: no full check).

    False when it does not, or when its start cannot be read (the full check says why).
    """
    started = document.get("started")
    if not isinstance(started, str) or len(started) > 64:
        return False
    try:
        return datetime.fromisoformat(started) < since
    except (ValueError, TypeError, OverflowError):
        return False


def _describe(table: str, doc_id: str, document: dict[str, Any]) -> str:
    """``session 3 (id 'abc')`` for a message."""
    what = {SESSIONS_TABLE: "session", BREAKS_TABLE: "break event"}.get(table, f"{table!r} entry")
    found = document.get("id")
    if isinstance(found, str) and found:
        shown = found if len(found) <= 40 else found[:40] + "…"
        return f"{what} {doc_id} (id {shown!r})"
    return f"{what} {doc_id}"


def _open_db(path: Path) -> tuple[TinyDB, _ShardStorage]:
    db = TinyDB(path, storage=_ShardStorage)
    storage = db.storage
    assert isinstance(storage, _ShardStorage)
    return db, storage


def _replace_with(data: dict[str, Any]) -> Callable[[MutableMapping[str, Any]], None]:
    def replace(document: MutableMapping[str, Any]) -> None:
        document.clear()
        document.update(data)

    return replace
