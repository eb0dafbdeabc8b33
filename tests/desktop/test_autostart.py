"""Start at login: what each platform's writer writes, enables, finds and removes."""

from __future__ import annotations

import plistlib
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from backtimer.desktop.autostart import (
    DEFAULT_TEMPLATE,
    TEMPLATE_PATH,
    MacLaunchAgent,
    WindowsAutostart,
    XdgAutostart,
    autostart_for_platform,
    exec_line,
    launch_command,
    load_template,
)

COMMAND = ["/opt/backtimer/.venv/bin/backtimer", "--tray"]


def test_the_packaging_template_is_the_built_in_one() -> None:
    assert TEMPLATE_PATH.read_text(encoding="utf-8") == DEFAULT_TEMPLATE
    assert load_template() == DEFAULT_TEMPLATE
    assert "Exec=backtimer --tray" in DEFAULT_TEMPLATE


@pytest.mark.skipif(
    shutil.which("desktop-file-validate") is None, reason="needs desktop-file-utils"
)
@pytest.mark.parametrize(
    "command", [COMMAND, ["/home/a b/.venv/bin/python", "-m", "backtimer", "--tray"]]
)
def test_the_written_entry_is_valid(tmp_path: Path, command: list[str]) -> None:
    autostart = XdgAutostart(command, config_home=tmp_path)
    autostart.enable()
    result = subprocess.run(
        ["desktop-file-validate", str(autostart.path)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""  # no warnings either


def test_the_xdg_entry_is_the_template_with_this_installations_command(tmp_path: Path) -> None:
    autostart = XdgAutostart(COMMAND, config_home=tmp_path)
    assert autostart.path == tmp_path / "autostart" / "backtimer.desktop"
    assert not autostart.is_enabled()
    autostart.enable()
    text = autostart.path.read_text(encoding="utf-8")
    expected = DEFAULT_TEMPLATE.replace(
        "Exec=backtimer --tray", "Exec=/opt/backtimer/.venv/bin/backtimer --tray"
    )
    assert text == expected
    assert text.startswith("[Desktop Entry]\nType=Application\n")
    assert autostart.is_enabled()
    autostart.enable()  # twice is fine
    assert sorted(p.name for p in autostart.path.parent.iterdir()) == ["backtimer.desktop"]
    autostart.disable()
    assert not autostart.path.exists()
    assert not autostart.is_enabled()
    autostart.disable()  # nothing to remove


def test_the_xdg_folder_follows_xdg_config_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "conf"))
    autostart = autostart_for_platform("linux", COMMAND)
    assert isinstance(autostart, XdgAutostart)
    assert autostart.path == tmp_path / "conf" / "autostart" / "backtimer.desktop"
    assert autostart.location == str(autostart.path)


@pytest.mark.parametrize(
    ("line", "enabled"),
    [("Hidden=true", False), ("X-GNOME-Autostart-enabled=false", False), ("Hidden=false", True)],
)
def test_an_entry_switched_off_by_the_desktop_is_not_enabled(
    tmp_path: Path, line: str, enabled: bool
) -> None:
    autostart = XdgAutostart(COMMAND, config_home=tmp_path)
    autostart.enable()
    text = autostart.path.read_text(encoding="utf-8").replace(
        "X-GNOME-Autostart-enabled=true", line
    )
    autostart.path.write_text(text, encoding="utf-8")
    assert autostart.is_enabled() is enabled


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (["backtimer", "--tray"], "backtimer --tray"),
        (["/home/a b/bin/backtimer", "--tray"], '"/home/a b/bin/backtimer" --tray'),
        (["/x/$HOME/py", "-m"], '"/x/\\\\$HOME/py" -m'),
        (["/x/100%/py"], "/x/100%%/py"),
        (['/x/"q"/py'], '"/x/\\\\"q\\\\"/py"'),
        (["C:\\py"], '"C:\\\\\\\\py"'),
    ],
)
def test_exec_lines_follow_the_desktop_entry_quoting(command: list[str], expected: str) -> None:
    assert exec_line(command) == expected


def test_a_template_without_exec_is_refused(tmp_path: Path) -> None:
    autostart = XdgAutostart(COMMAND, config_home=tmp_path, template="[Desktop Entry]\n")
    with pytest.raises(ValueError, match="Exec="):
        autostart.entry_text()


class MemoryRunKey:
    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def get(self, name: str) -> str | None:
        return self.values.get(name)

    def set(self, name: str, value: str) -> None:
        self.values[name] = value

    def delete(self, name: str) -> None:
        self.values.pop(name, None)


def test_windows_writes_the_run_key_value() -> None:
    key = MemoryRunKey()
    command = ["C:\\Program Files\\Python311\\pythonw.exe", "-m", "backtimer", "--tray"]
    autostart = WindowsAutostart(command, key)
    assert autostart.location == (
        "HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\backtimer"
    )
    assert not autostart.is_enabled()
    autostart.enable()
    assert key.values == {
        "backtimer": '"C:\\Program Files\\Python311\\pythonw.exe" -m backtimer --tray'
    }
    assert autostart.is_enabled()
    autostart.disable()
    assert key.values == {}
    assert not autostart.is_enabled()
    autostart.disable()


def test_windows_needs_winreg() -> None:
    with pytest.raises(ModuleNotFoundError):
        autostart_for_platform("win32", COMMAND)  # winreg exists only on Windows


def test_macos_writes_a_launch_agent(tmp_path: Path) -> None:
    autostart = MacLaunchAgent(COMMAND, agents_dir=tmp_path)
    assert autostart.path == tmp_path / "io.github.backtimer.backtimer.plist"
    assert not autostart.is_enabled()
    autostart.enable()
    assert plistlib.loads(autostart.path.read_bytes()) == {
        "Label": "io.github.backtimer.backtimer",
        "ProgramArguments": COMMAND,
        "RunAtLoad": True,
        "ProcessType": "Interactive",
        "LimitLoadToSessionType": "Aqua",
    }
    assert autostart.is_enabled()
    autostart.disable()
    assert not autostart.is_enabled()
    autostart.path.write_bytes(b"not a plist")
    assert not autostart.is_enabled()


def test_macos_default_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    autostart = autostart_for_platform("darwin", COMMAND)
    assert isinstance(autostart, MacLaunchAgent)
    assert (
        autostart.path
        == tmp_path / "Library" / "LaunchAgents" / "io.github.backtimer.backtimer.plist"
    )


def test_the_launch_command(tmp_path: Path) -> None:
    python = tmp_path / "bin" / "python"
    python.parent.mkdir()
    python.touch()
    assert launch_command("linux", str(python), frozen=False) == [
        str(python),
        "-m",
        "backtimer",
        "--tray",
    ]
    script = tmp_path / "bin" / "backtimer"
    script.write_text("#!/bin/sh\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    assert launch_command("linux", str(python), frozen=False) == [str(script), "--tray"]
    assert launch_command("linux", "/app/backtimer", frozen=True) == ["/app/backtimer", "--tray"]
    windows = tmp_path / "win" / "python.exe"
    windows.parent.mkdir()
    (windows.parent / "pythonw.exe").touch()
    assert launch_command("win32", str(windows), frozen=False) == [
        str(windows.parent / "pythonw.exe"),
        "-m",
        "backtimer",
        "--tray",
    ]


def test_this_installation_has_a_launch_command() -> None:
    command = launch_command()
    assert command[-1] == "--tray"
    assert Path(command[0]).exists()
