"""Settings on disk: round trip, tolerant decoding, corrupt files kept, atomic writes."""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from tinydb import TinyDB

from backtimer.core.paths import resolve_paths
from backtimer.core.settings import (
    AudioSettings,
    Settings,
    Theme,
    settings_from_dict,
    settings_to_dict,
)
from backtimer.core.store.atomic_storage import (
    AtomicJSONStorage,
    StoreWriteError,
    UnreadableStoreError,
)
from backtimer.core.store.settings_store import SettingsStore, default_settings_path

CUSTOM = Settings(
    audio=AudioSettings(
        speech=False, beeps=True, announce_next=False, voice="en-gb", rate=200, volume=0.5
    ),
    get_ready_seconds=15,
    theme=Theme.DARK,
    larger_text=True,
    safety_acknowledged=True,
    window_geometry="AdnQywADAAA=",
    history_geometry="AdnQywADAAE=",
)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "config" / "settings.json"


def test_round_trip(path: Path) -> None:
    SettingsStore(path).save(CUSTOM)
    store = SettingsStore(path)
    assert store.load() == CUSTOM
    assert store.problems == []


def test_saving_twice_replaces_the_one_document(path: Path) -> None:
    store = SettingsStore(path)
    store.save(CUSTOM)
    store.save(Settings(theme=Theme.LIGHT))
    assert SettingsStore(path).load() == Settings(theme=Theme.LIGHT)
    tables = json.loads(path.read_text(encoding="utf-8"))
    assert list(tables) == ["settings"]
    assert list(tables["settings"]) == ["1"]


def test_defaults_when_the_file_is_missing(path: Path) -> None:
    store = SettingsStore(path)
    assert store.load() == Settings()
    assert store.problems == []
    assert not path.exists()


def test_default_path_is_in_the_config_folder(isolated_data_dir: Path) -> None:
    paths = resolve_paths()
    assert default_settings_path(paths) == paths.config / "settings.json"
    assert SettingsStore.for_paths(paths).path == paths.config / "settings.json"


def write_document(path: Path, document: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"settings": {"1": document}}), encoding="utf-8")


def test_a_bad_value_falls_back_with_a_message_naming_the_field(
    path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    document = settings_to_dict(CUSTOM)
    document["audio"]["volume"] = 1.5
    document["theme"] = "purple"
    write_document(path, document)
    store = SettingsStore(path)
    with caplog.at_level(logging.WARNING):
        settings = store.load()
    assert settings.audio.volume == 1.0
    assert settings.theme is Theme.SYSTEM
    assert settings.audio.rate == 200  # the good values are kept
    assert settings.get_ready_seconds == 15
    assert len(store.problems) == 2
    volume, theme = store.problems
    assert "audio.volume" in volume
    assert "a number from 0 to 1" in volume
    assert "1.5" in volume
    assert "theme" in theme
    assert '"purple"' in theme
    assert '"dark"' in theme
    assert "audio.volume" in caplog.text
    assert path.exists()  # a bad value does not set the file aside


@pytest.mark.parametrize(
    ("key", "value", "field"),
    [
        ("get_ready_seconds", 61, "get_ready_seconds"),
        ("get_ready_seconds", "10", "get_ready_seconds"),
        ("larger_text", "yes", "larger_text"),
        ("safety_acknowledged", 1, "safety_acknowledged"),
        ("window_geometry", "not base64!", "window_geometry"),
        ("history_geometry", 12, "history_geometry"),
        ("audio", [], "audio"),
    ],
)
def test_each_bad_top_level_value_is_named(key: str, value: object, field: str) -> None:
    data = settings_to_dict(CUSTOM)
    data[key] = value
    settings, problems = settings_from_dict(data)
    assert len(problems) == 1
    assert f"setting {field}:" in problems[0]
    assert getattr(settings, field) == getattr(Settings(), field)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("speech", "on"),
        ("rate", 79),
        ("rate", 451),
        ("rate", 200.5),
        ("rate", True),
        ("voice", ""),
        ("voice", 3),
        ("volume", -0.1),
        ("volume", None),
    ],
)
def test_each_bad_audio_value_is_named(key: str, value: object) -> None:
    data = settings_to_dict(CUSTOM)
    data["audio"][key] = value
    settings, problems = settings_from_dict(data)
    assert len(problems) == 1
    assert f"setting audio.{key}:" in problems[0]
    assert getattr(settings.audio, key) == getattr(AudioSettings(), key)


def test_unknown_keys_are_ignored_and_bounds_accepted() -> None:
    data = settings_to_dict(CUSTOM)
    data["from_the_future"] = {"x": 1}
    data["audio"]["pitch"] = 3
    data["audio"]["rate"] = 450
    data["audio"]["volume"] = 0
    data["get_ready_seconds"] = 0
    settings, problems = settings_from_dict(data)
    assert problems == []
    assert settings.audio.rate == 450
    assert settings.audio.volume == 0.0
    assert settings.get_ready_seconds == 0.0


def test_not_an_object_gives_the_defaults() -> None:
    settings, problems = settings_from_dict(["settings"])
    assert settings == Settings()
    assert problems == ['settings: expected an object, found ["settings"]; using the defaults']


@pytest.mark.parametrize(
    "content",
    [
        b'{"settings": {"1": {"theme": "dark"',  # cut short
        b"\xff\xfe not text",
        b'["a", "list"]',
        b'{"settings": {"1": "not a document"}}',
        b'{"settings": {"one": {}}}',
        # Regression: these stopped the window from starting (RecursionError, ValueError).
        b"[" * 100_000,
        b'{"settings": {"1": {"get_ready_seconds": ' + b"7" * 5000 + b"}}}",
        b'{"settings": {"1": {"audio": {"volume": NaN}}}}',
        b'{"settings": {"1": {"get_ready_seconds": -Infinity}}}',
        b'{"settings": {"1": {"get_ready_seconds": 1e400}}}',
        # Two spellings of one document id: TinyDB would merge them on the next save.
        b'{"settings": {"1": {}, "01": {"theme": "dark"}}}',
        b'{"settings": {" 1": {}}}',
    ],
)
def test_a_corrupt_file_is_moved_aside_and_defaults_load(
    path: Path, content: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    store = SettingsStore(path)
    with caplog.at_level(logging.WARNING):
        assert store.load() == Settings()
    kept = [p for p in path.parent.iterdir() if p.name.startswith("settings.json.unreadable-")]
    assert len(kept) == 1
    assert kept[0].read_bytes() == content  # kept, intact
    assert not path.exists()
    assert len(store.problems) == 1
    assert kept[0].name in store.problems[0]
    assert "cannot read" in caplog.text
    # Saving now writes a fresh file and leaves the kept one alone.
    store.save(CUSTOM)
    assert SettingsStore(path).load() == CUSTOM
    assert kept[0].read_bytes() == content


def test_text_no_file_can_hold_never_stops_saving(path: Path) -> None:
    """Regression: JSON's "\\ud800" read back made every later save raise UnicodeEncodeError."""
    path.parent.mkdir(parents=True)
    raw = b'{"settings": {"1": {"audio": {"voice": "\\ud800"}}, "7": {"x": "a\\udfff"}}}'
    path.write_bytes(raw)
    store = SettingsStore(path)
    loaded = store.load()
    assert loaded.audio.voice is None  # refused, with a message naming the field
    assert "setting audio.voice" in store.problems[0]
    store.save(CUSTOM)
    assert SettingsStore(path).load() == CUSTOM
    (kept,) = path.parent.glob("settings.json.unreadable-*")  # the other document is kept
    assert kept.read_bytes() == raw
    assert "cannot be written back" in store.problems[-1]


def test_a_fifo_is_set_aside_not_waited_on(path: Path) -> None:
    path.parent.mkdir(parents=True)
    os.mkfifo(path)
    store = SettingsStore(path)
    assert store.load() == Settings()
    assert "named pipe" in store.problems[0]
    store.save(CUSTOM)
    assert SettingsStore(path).load() == CUSTOM


def test_saving_happens_under_the_files_lock(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from backtimer.core.store import settings_store

    held: list[str] = []
    real_write = AtomicJSONStorage.write

    @contextlib.contextmanager
    def spy_locked(target: Path) -> Iterator[None]:
        assert target == path
        held.append("taken")
        yield
        held.append("released")

    def write(self: AtomicJSONStorage, data: object) -> None:
        assert held == ["taken"], "written outside the lock"
        real_write(self, data)  # type: ignore[arg-type]

    monkeypatch.setattr(settings_store, "locked", spy_locked)
    monkeypatch.setattr(AtomicJSONStorage, "write", write)
    SettingsStore(path).save(CUSTOM)
    assert held == ["taken", "released"]


def test_loading_removes_stale_temporaries_of_killed_writes(path: Path) -> None:
    SettingsStore(path).save(CUSTOM)
    stale = path.parent / ".settings.json.k1ll3d.tmp"
    stale.write_text('{"settings": {"1": {"the write was cut he', encoding="utf-8")
    os.utime(stale, (1, 1))
    in_flight = path.parent / ".settings.json.wr1t1ng.tmp"
    in_flight.write_text("{", encoding="utf-8")
    assert SettingsStore(path).load() == CUSTOM
    assert not stale.exists()
    assert in_flight.exists()  # a write another process may be making right now


def test_a_second_corrupt_file_does_not_overwrite_the_first(path: Path) -> None:
    path.parent.mkdir(parents=True)
    for content in (b"{first", b"{second"):
        path.write_bytes(content)
        SettingsStore(path).load()
    kept = sorted(p.read_bytes() for p in path.parent.glob("settings.json.unreadable-*"))
    assert kept == [b"{first", b"{second"]


def test_the_storage_raises_a_specific_error(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_text("{nope", encoding="utf-8")
    with pytest.raises(UnreadableStoreError) as caught:
        AtomicJSONStorage(path).read()
    assert caught.value.path == path
    assert "not valid JSON" in caught.value.reason


def test_an_empty_file_reads_as_empty(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_bytes(b"")
    assert AtomicJSONStorage(path).read() is None
    assert SettingsStore(path).load() == Settings()


def no_space(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.mark.parametrize("target", ["os.replace", "os.fsync"])
def test_a_write_error_keeps_the_old_file(
    path: Path, target: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    SettingsStore(path).save(CUSTOM)
    before = path.read_bytes()
    monkeypatch.setattr(target, no_space)
    store = SettingsStore(path)
    with pytest.raises(StoreWriteError) as caught:
        store.save(Settings())
    monkeypatch.undo()
    assert isinstance(caught.value, OSError)  # callers handling OSError handle it too
    assert caught.value.errno == errno.ENOSPC
    message = str(caught.value)
    assert str(path) in message
    assert "No space left on device" in message
    assert "unchanged" in message
    assert path.read_bytes() == before
    # No temporary left (the lock file of the write stays: it is never deleted).
    assert sorted(p.name for p in path.parent.iterdir()) == ["settings.json", "settings.json.lock"]
    assert SettingsStore(path).load() == CUSTOM


def test_the_write_is_atomic(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    SettingsStore(path).save(Settings())
    real_replace = os.replace
    seen: list[tuple[Path, Path, bytes, bytes]] = []

    def watching_replace(src: str, dst: str) -> None:
        # At the moment of the swap the new data is complete in a file beside the old one,
        # and the final path still holds the complete old data.
        seen.append((Path(src), Path(dst), Path(src).read_bytes(), Path(dst).read_bytes()))
        real_replace(src, dst)

    monkeypatch.setattr("os.replace", watching_replace)
    old = path.read_bytes()
    SettingsStore(path).save(CUSTOM)
    assert len(seen) == 1
    src, dst, new_content, old_content = seen[0]
    assert dst == path
    assert src.parent == path.parent
    assert src != path
    assert old_content == old
    assert json.loads(new_content) == json.loads(path.read_bytes())
    assert not src.exists()
    assert sorted(p.name for p in path.parent.iterdir()) == ["settings.json", "settings.json.lock"]


def test_the_storage_works_as_a_plain_tinydb(tmp_path: Path) -> None:
    db = TinyDB(tmp_path / "history.json", storage=AtomicJSONStorage)
    table = db.table("sessions")
    table.insert({"routine": "a"})
    table.insert({"routine": "b"})
    assert [
        doc["routine"]
        for doc in TinyDB(tmp_path / "history.json", storage=AtomicJSONStorage)
        .table("sessions")
        .all()
    ] == ["a", "b"]
