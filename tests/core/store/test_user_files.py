"""The bounded reader of user files: whole files, within the limit, even when the size lies."""

from __future__ import annotations

from pathlib import Path

import pytest

from backtimer.core.store.user_files import FileTooLargeError, read_user_file

#: A regular file whose size says 0 though it holds text, as a file that grows while read.
GROWING = Path("/proc/self/status")


def test_a_file_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    path.write_bytes(b'{"a": 1}')
    assert read_user_file(path, 8) == b'{"a": 1}'
    with pytest.raises(FileTooLargeError, match="expected at most 7 bytes, found 8 bytes"):
        read_user_file(path, 7)


@pytest.mark.skipif(not GROWING.is_file(), reason="needs Linux's /proc")
def test_more_than_the_size_said_is_read_on_to_the_limit() -> None:
    content = read_user_file(GROWING, 1024 * 1024)
    assert GROWING.stat().st_size == 0
    assert b"Name:" in content
    assert content.endswith(b"\n")  # all of it, not the one byte past the size
    with pytest.raises(FileTooLargeError, match="found more"):
        read_user_file(GROWING, 10)
