"""The Linux desktop files: the .desktop entries and the AppStream metainfo validate, and
they agree with the app (its version, its icon, its screenshots)."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import backtimer
from backtimer.qt.widgets.app_icon import ICON_NAME

REPO = Path(__file__).resolve().parents[2]
LINUX = REPO / "packaging" / "linux"
DESKTOP = LINUX / "backtimer.desktop"
APP_ID = "io.github.backtimer.backtimer"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"
SCREENSHOT_URL_PREFIX = "https://raw.githubusercontent.com/backtimer/backtimer/main/"


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed (scripts/setup --test installs it)")
    return path


def _validate(*command: str) -> None:
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    output = (result.stdout + result.stderr).strip()
    assert result.returncode == 0, f"{' '.join(command)}:\n{output}"


def _desktop_entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keep the keys' case
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


ENTRIES = sorted(LINUX.glob("*.desktop"))


def test_the_launcher_is_there() -> None:
    assert DESKTOP in ENTRIES


@pytest.mark.parametrize("entry", ENTRIES, ids=[path.name for path in ENTRIES])
def test_desktop_entries_validate(entry: Path) -> None:
    """The launcher, and the autostart entry's template once it is there."""
    result = subprocess.run(
        [_tool("desktop-file-validate"), str(entry)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    # desktop-file-validate exits 0 on warnings and hints too: any output is a finding.
    output = (result.stdout + result.stderr).strip()
    assert result.returncode == 0, output
    assert output == ""


def test_the_launcher_runs_backtimer_with_its_icon() -> None:
    entry = _desktop_entry(DESKTOP)
    assert entry["Exec"] == "backtimer"
    assert entry["Icon"] == ICON_NAME
    assert entry["Terminal"] == "false"


def test_the_metainfo_validates() -> None:
    _validate(_tool("appstreamcli"), "validate", "--no-net", str(METAINFO))


def test_the_metainfo_matches_the_app() -> None:
    component = ET.parse(METAINFO).getroot()
    assert component.findtext("id") == APP_ID
    assert component.findtext("launchable[@type='desktop-id']") == DESKTOP.name
    assert component.findtext("provides/binary") == "backtimer"
    releases = component.findall("releases/release")
    assert releases, "the metainfo has no release notes"
    assert releases[0].get("version") == backtimer.__version__, (
        f"{METAINFO.name}: the newest <release> should be backtimer's version "
        f"{backtimer.__version__}"
    )
    assert releases[0].find("description") is not None


def test_every_screenshot_is_a_picture_in_docs() -> None:
    images = [image.text or "" for image in ET.parse(METAINFO).getroot().iter("image")]
    assert len(images) == 3
    for url in images:
        assert url.startswith(SCREENSHOT_URL_PREFIX), url
        assert (REPO / url.removeprefix(SCREENSHOT_URL_PREFIX)).is_file(), url
