"""The local time zone: named from the environment or /etc, else the C library's."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from backtimer.desktop.timezone import SystemLocalZone, local_timezone

ZONEINFO = Path("/usr/share/zoneinfo")
needs_zoneinfo = pytest.mark.skipif(
    not (ZONEINFO / "Europe" / "Berlin").exists(), reason="needs the tz database"
)


def test_tz_wins() -> None:
    assert local_timezone({"TZ": ":Europe/Berlin"}, etc=Path("/nonexistent")) == ZoneInfo(
        "Europe/Berlin"
    )


def test_etc_timezone(tmp_path: Path) -> None:
    (tmp_path / "timezone").write_text("America/New_York\n", encoding="utf-8")
    assert local_timezone({}, etc=tmp_path) == ZoneInfo("America/New_York")


@needs_zoneinfo
def test_the_localtime_link(tmp_path: Path) -> None:
    (tmp_path / "localtime").symlink_to(ZONEINFO / "Europe" / "Berlin")
    assert local_timezone({"TZ": "Nowhere/Bogus"}, etc=tmp_path) == ZoneInfo("Europe/Berlin")


@needs_zoneinfo
def test_a_copied_localtime_file_keeps_its_dst_rules(tmp_path: Path) -> None:
    (tmp_path / "localtime").write_bytes((ZONEINFO / "Europe" / "Berlin").read_bytes())
    zone = local_timezone({}, etc=tmp_path)
    assert datetime(2026, 1, 5, 9, tzinfo=zone).utcoffset() == timedelta(hours=1)
    assert datetime(2026, 7, 6, 9, tzinfo=zone).utcoffset() == timedelta(hours=2)


def test_nothing_found_falls_back_to_the_c_library(tmp_path: Path) -> None:
    assert isinstance(local_timezone({}, etc=tmp_path), SystemLocalZone)


@pytest.fixture
def berlin_c_library() -> Iterator[None]:
    old = os.environ.get("TZ")
    os.environ["TZ"] = "Europe/Berlin"
    time.tzset()
    yield
    if old is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = old
    time.tzset()


@needs_zoneinfo
@pytest.mark.usefixtures("berlin_c_library")
def test_the_c_library_zone_follows_dst() -> None:
    zone = SystemLocalZone()
    winter = datetime(2026, 1, 5, 9, tzinfo=zone)
    summer = datetime(2026, 7, 6, 9, tzinfo=zone)
    assert winter.utcoffset() == timedelta(hours=1)
    assert summer.utcoffset() == timedelta(hours=2)
    assert summer.astimezone(UTC) == datetime(2026, 7, 6, 7, tzinfo=UTC)
    assert datetime(2026, 3, 30, 7, tzinfo=UTC).astimezone(zone).hour == 9
    assert datetime(2026, 3, 27, 8, tzinfo=UTC).astimezone(zone).hour == 9
