"""Start backtimer in the tray at login: one interface, a writer per platform.

- Linux and other XDG desktops: ``$XDG_CONFIG_HOME/autostart/backtimer.desktop``
  (``~/.config/autostart``), built from ``packaging/linux/backtimer-autostart.desktop``
  with the ``Exec`` line of this installation.
- Windows: the value ``backtimer`` under ``HKCU\\Software\\Microsoft\\Windows\\
  CurrentVersion\\Run``, written through a small :class:`RunKey` interface.
- macOS: the LaunchAgent ``~/Library/LaunchAgents/io.github.backtimer.backtimer.plist``.

Files are written atomically; disabling removes what enabling wrote.
"""

from __future__ import annotations

import importlib
import os
import plistlib
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final, Protocol

import platformdirs

from backtimer.core.store.atomic_storage import write_atomically

#: What the autostart entry passes: start hidden in the tray.
TRAY_ARGUMENT: Final = "--tray"
DESKTOP_FILE_NAME: Final = "backtimer.desktop"
#: The template's place in a checkout.
TEMPLATE_PATH: Final = (
    Path(__file__).resolve().parents[2] / "packaging" / "linux" / "backtimer-autostart.desktop"
)
#: The template as shipped (used where the packaging folder is not installed).
DEFAULT_TEMPLATE: Final = """\
[Desktop Entry]
Type=Application
Name=backtimer
GenericName=Back-care trainer
Comment=Desk-break reminders in the system tray
Exec=backtimer --tray
Icon=backtimer
Terminal=false
Categories=Utility;
X-GNOME-Autostart-enabled=true
"""
RUN_KEY_PATH: Final = r"Software\Microsoft\Windows\CurrentVersion\Run"
RUN_VALUE_NAME: Final = "backtimer"
#: The bundle identifier of the macOS app (packaging/backtimer.spec).
LAUNCH_AGENT_LABEL: Final = "io.github.backtimer.backtimer"


class Autostart(Protocol):
    """Start at login, switched on and off."""

    #: Where the switch lives, for messages (a file or a registry value).
    location: str

    def is_enabled(self) -> bool:
        """Whether backtimer starts at login."""
        ...

    def enable(self) -> None:
        """Start backtimer at login (rewrites an entry that points elsewhere)."""
        ...

    def disable(self) -> None:
        """Do not start backtimer at login (nothing to do when it does not)."""
        ...


def launch_command(
    platform: str | None = None,
    executable: str | None = None,
    frozen: bool | None = None,
) -> list[str]:
    """The command line that starts this installation of backtimer in the tray."""
    platform = platform or sys.platform
    exe = Path(executable or sys.executable)
    if frozen if frozen is not None else bool(getattr(sys, "frozen", False)):
        return [str(exe), TRAY_ARGUMENT]  # a bundled app is its own launcher
    if platform == "win32":
        # pythonw opens no console window.
        pythonw = exe.with_name("pythonw.exe")
        exe = pythonw if pythonw.exists() else exe
        return [str(exe), "-m", "backtimer", TRAY_ARGUMENT]
    script = exe.with_name("backtimer")  # the console script beside the interpreter
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script), TRAY_ARGUMENT]
    return [str(exe), "-m", "backtimer", TRAY_ARGUMENT]


# -- XDG ---------------------------------------------------------------------------------

#: Characters that make a desktop-entry Exec argument need quotes.
_RESERVED: Final = frozenset(" \t\n\"'\\><~|&;$*?#()`")


def _exec_argument(argument: str) -> str:
    r"""One argument as the Desktop Entry spec's Exec key wants it, before string escaping."""
    argument = argument.replace("%", "%%")  # not a field code
    if argument and not _RESERVED.intersection(argument):
        return argument
    escaped = "".join("\\" + c if c in '"`$\\' else c for c in argument)
    return f'"{escaped}"'


def exec_line(command: Sequence[str]) -> str:
    """The value of an ``Exec=`` key that runs ``command``."""
    value = " ".join(_exec_argument(argument) for argument in command)
    # The value is a "string": a backslash is written as two.
    return value.replace("\\", "\\\\")


def load_template() -> str:
    """The autostart entry template: the packaging file, or the built-in copy of it."""
    try:
        return TEMPLATE_PATH.read_text(encoding="utf-8")
    except OSError:
        return DEFAULT_TEMPLATE


class XdgAutostart:
    """An XDG autostart entry (Linux and other free desktops)."""

    def __init__(
        self,
        command: Sequence[str],
        config_home: Path | None = None,
        template: str | None = None,
    ) -> None:
        home = config_home if config_home is not None else platformdirs.user_config_path()
        self.path = Path(home) / "autostart" / DESKTOP_FILE_NAME
        self.location = str(self.path)
        self._command = list(command)
        self._template = template if template is not None else load_template()

    def entry_text(self) -> str:
        """The file :meth:`enable` writes: the template with this installation's Exec."""
        lines = self._template.splitlines()
        exec_value = f"Exec={exec_line(self._command)}"
        replaced = [exec_value if line.startswith("Exec=") else line for line in lines]
        if exec_value not in replaced:
            raise ValueError("the autostart template has no Exec= line")
        return "\n".join(replaced) + "\n"

    def is_enabled(self) -> bool:
        """An entry exists and is not switched off (``Hidden`` or GNOME's own key)."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return False
        keys = {}
        for line in text.splitlines():
            key, sep, value = line.partition("=")
            if sep:
                keys[key.strip()] = value.strip().lower()
        return keys.get("Hidden") != "true" and keys.get("X-GNOME-Autostart-enabled") != "false"

    def enable(self) -> None:
        """Write the entry."""
        write_atomically(self.path, self.entry_text())

    def disable(self) -> None:
        """Remove the entry."""
        self.path.unlink(missing_ok=True)


# -- Windows -----------------------------------------------------------------------------


class RunKey(Protocol):
    """String values under the current user's ``Run`` key."""

    def get(self, name: str) -> str | None:
        """The value ``name``, or None when there is none."""
        ...

    def set(self, name: str, value: str) -> None:
        """Create or replace ``name`` (a REG_SZ)."""
        ...

    def delete(self, name: str) -> None:
        """Remove ``name`` if it exists."""
        ...


class WinregRunKey:
    """The real ``HKCU\\...\\Run`` key, through :mod:`winreg` (Windows only)."""

    def __init__(self) -> None:
        self._winreg: Any = importlib.import_module("winreg")

    def get(self, name: str) -> str | None:
        """The value, or None."""
        reg = self._winreg
        try:
            with reg.OpenKey(reg.HKEY_CURRENT_USER, RUN_KEY_PATH) as key:
                value, _kind = reg.QueryValueEx(key, name)
        except FileNotFoundError:
            return None
        return str(value)

    def set(self, name: str, value: str) -> None:
        """Write the value."""
        reg = self._winreg
        with reg.CreateKeyEx(reg.HKEY_CURRENT_USER, RUN_KEY_PATH, 0, reg.KEY_SET_VALUE) as key:
            reg.SetValueEx(key, name, 0, reg.REG_SZ, value)

    def delete(self, name: str) -> None:
        """Remove the value."""
        reg = self._winreg
        try:
            with reg.OpenKey(reg.HKEY_CURRENT_USER, RUN_KEY_PATH, 0, reg.KEY_SET_VALUE) as key:
                reg.DeleteValue(key, name)
        except FileNotFoundError:
            return


class WindowsAutostart:
    """The ``backtimer`` value of the current user's Run key."""

    def __init__(self, command: Sequence[str], key: RunKey | None = None) -> None:
        self._key = key if key is not None else WinregRunKey()
        self.value = subprocess.list2cmdline(list(command))
        self.location = f"HKEY_CURRENT_USER\\{RUN_KEY_PATH}\\{RUN_VALUE_NAME}"

    def is_enabled(self) -> bool:
        """A ``backtimer`` value exists."""
        return self._key.get(RUN_VALUE_NAME) is not None

    def enable(self) -> None:
        """Write the value: this installation's command line."""
        self._key.set(RUN_VALUE_NAME, self.value)

    def disable(self) -> None:
        """Remove the value."""
        self._key.delete(RUN_VALUE_NAME)


# -- macOS -------------------------------------------------------------------------------


class MacLaunchAgent:
    """A per-user LaunchAgent that runs backtimer at login."""

    def __init__(self, command: Sequence[str], agents_dir: Path | None = None) -> None:
        folder = agents_dir if agents_dir is not None else Path.home() / "Library" / "LaunchAgents"
        self.path = Path(folder) / f"{LAUNCH_AGENT_LABEL}.plist"
        self.location = str(self.path)
        self._command = list(command)

    def plist(self) -> dict[str, Any]:
        """What :meth:`enable` writes."""
        return {
            "Label": LAUNCH_AGENT_LABEL,
            "ProgramArguments": self._command,
            "RunAtLoad": True,
            "ProcessType": "Interactive",
            "LimitLoadToSessionType": "Aqua",
        }

    def is_enabled(self) -> bool:
        """The agent file exists and is not disabled."""
        try:
            data = plistlib.loads(self.path.read_bytes())
        except (OSError, plistlib.InvalidFileException, ValueError):
            return False
        return isinstance(data, dict) and not data.get("Disabled", False)

    def enable(self) -> None:
        """Write the agent."""
        write_atomically(self.path, plistlib.dumps(self.plist()).decode("utf-8"))

    def disable(self) -> None:
        """Remove the agent."""
        self.path.unlink(missing_ok=True)


def autostart_for_platform(
    platform: str | None = None, command: Sequence[str] | None = None
) -> Autostart:
    """The start-at-login switch for this system."""
    platform = platform or sys.platform
    command = list(command) if command is not None else launch_command(platform)
    if platform == "win32":
        return WindowsAutostart(command)
    if platform == "darwin":
        return MacLaunchAgent(command)
    return XdgAutostart(command)
