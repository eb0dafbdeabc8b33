"""The local time zone with its DST rules, for working hours.

``datetime.now().astimezone().tzinfo`` is only today's fixed offset; working hours need
the zone's rules so that 09:00 stays 09:00 after a DST change. :func:`local_timezone`
finds the IANA zone ($TZ, ``/etc/timezone``, the ``/etc/localtime`` link or file) and
falls back to :class:`SystemLocalZone`, which asks the C library (DST-aware on every
system, Windows included).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

log = logging.getLogger(__name__)


class SystemLocalZone(tzinfo):
    """The C library's local time (``time.localtime`` / ``time.mktime``)."""

    def _offset(self, dt: datetime) -> timedelta:
        naive = dt.replace(tzinfo=None)
        stamp = time.mktime((*naive.timetuple()[:8], -1))
        return timedelta(seconds=time.localtime(stamp).tm_gmtoff)

    def utcoffset(self, dt: datetime | None) -> timedelta:
        """The offset from UTC at local time ``dt``."""
        if dt is None:
            return timedelta(seconds=time.localtime().tm_gmtoff)
        return self._offset(dt)

    def dst(self, dt: datetime | None) -> timedelta | None:
        """Unknown in detail: None."""
        return None

    def tzname(self, dt: datetime | None) -> str:
        """The C library's name for the zone at ``dt``."""
        stamp = time.time() if dt is None else time.mktime((*dt.timetuple()[:8], -1))
        return time.localtime(stamp).tm_zone

    def fromutc(self, dt: datetime) -> datetime:
        """``dt`` (UTC wall time tagged with this zone) as local time."""
        stamp = dt.replace(tzinfo=UTC).timestamp()
        local = time.localtime(stamp)
        return datetime(*local[:6], dt.microsecond, tzinfo=self)

    def __repr__(self) -> str:
        return "SystemLocalZone()"


def _zone(key: str) -> ZoneInfo | None:
    key = key.strip().lstrip(":")
    if not key:
        return None
    try:
        return ZoneInfo(key)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def local_timezone(environ: Mapping[str, str] | None = None, etc: Path = Path("/etc")) -> tzinfo:
    """The local zone: a ZoneInfo when one can be named, else :class:`SystemLocalZone`."""
    env = os.environ if environ is None else environ
    if "TZ" in env:
        zone = _zone(env["TZ"])
        if zone is not None:
            return zone
    try:
        zone = _zone((etc / "timezone").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        zone = None
    if zone is not None:
        return zone
    localtime = etc / "localtime"
    try:
        target = str(localtime.resolve(strict=True))
    except OSError:
        target = ""
    if "zoneinfo/" in target:
        zone = _zone(target.rsplit("zoneinfo/", 1)[1])
        if zone is not None:
            return zone
    try:
        with localtime.open("rb") as handle:
            return ZoneInfo.from_file(handle, key="localtime")
    except (OSError, ValueError):
        pass
    log.debug("no IANA time zone found; using the C library's local time")
    return SystemLocalZone()
