"""Start at login: switched only when it differs from the wish, failures become messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from backtimer.desktop.autostart import XdgAutostart
from backtimer.qt.settings.login_start import apply_start_at_login

COMMAND = ["/opt/backtimer/.venv/bin/backtimer", "--tray"]


class FakeAutostart:
    """Records what it was asked to do; fails with ``error`` when given one."""

    location = "/fake/autostart/backtimer.desktop"

    def __init__(self, enabled: bool, error: OSError | None = None) -> None:
        self.enabled = enabled
        self.error = error
        self.calls: list[str] = []

    def is_enabled(self) -> bool:
        return self.enabled

    def enable(self) -> None:
        self.calls.append("enable")
        if self.error is not None:
            raise self.error
        self.enabled = True

    def disable(self) -> None:
        self.calls.append("disable")
        if self.error is not None:
            raise self.error
        self.enabled = False


@pytest.mark.parametrize("wanted", [True, False])
def test_nothing_is_done_when_it_is_already_as_wanted(wanted: bool) -> None:
    autostart = FakeAutostart(enabled=wanted)
    assert apply_start_at_login(wanted, autostart) is None
    assert autostart.calls == []


@pytest.mark.parametrize(("wanted", "call"), [(True, "enable"), (False, "disable")])
def test_it_switches_when_it_differs(wanted: bool, call: str) -> None:
    autostart = FakeAutostart(enabled=not wanted)
    assert apply_start_at_login(wanted, autostart) is None
    assert autostart.calls == [call]
    assert autostart.enabled is wanted


@pytest.mark.parametrize(("wanted", "verb"), [(True, "turn on"), (False, "turn off")])
def test_a_failure_is_a_message_naming_the_place_and_the_reason(wanted: bool, verb: str) -> None:
    autostart = FakeAutostart(enabled=not wanted, error=PermissionError(13, "Permission denied"))
    message = apply_start_at_login(wanted, autostart)
    assert message == (
        f"Could not {verb} start at login (/fake/autostart/backtimer.desktop): Permission denied"
    )


def test_a_failure_without_strerror_still_says_something() -> None:
    autostart = FakeAutostart(enabled=False, error=OSError())
    message = apply_start_at_login(True, autostart)
    assert message is not None
    assert message.endswith(": OSError")


def test_an_xdg_entry_is_written_and_removed(tmp_path: Path) -> None:
    autostart = XdgAutostart(COMMAND, config_home=tmp_path)
    assert apply_start_at_login(True, autostart) is None
    assert autostart.path.is_file()
    assert autostart.is_enabled()
    written = autostart.path.stat().st_mtime_ns
    # Applying the same wish again leaves the file alone.
    assert apply_start_at_login(True, autostart) is None
    assert autostart.path.stat().st_mtime_ns == written
    assert apply_start_at_login(False, autostart) is None
    assert not autostart.path.exists()
    assert apply_start_at_login(False, autostart) is None


def test_an_xdg_entry_switched_off_by_the_desktop_is_switched_on_again(tmp_path: Path) -> None:
    autostart = XdgAutostart(COMMAND, config_home=tmp_path)
    autostart.path.parent.mkdir(parents=True)
    autostart.path.write_text(autostart.entry_text() + "Hidden=true\n", encoding="utf-8")
    assert not autostart.is_enabled()
    assert apply_start_at_login(True, autostart) is None
    assert autostart.is_enabled()


def test_an_unwritable_xdg_folder_gives_a_message(tmp_path: Path) -> None:
    # A file where the autostart folder should be: nothing can be written under it.
    (tmp_path / "autostart").write_text("not a folder", encoding="utf-8")
    autostart = XdgAutostart(COMMAND, config_home=tmp_path)
    message = apply_start_at_login(True, autostart)
    assert message is not None
    assert message.startswith(f"Could not turn on start at login ({autostart.path}): ")


def test_an_xdg_entry_that_cannot_be_removed_gives_a_message(tmp_path: Path) -> None:
    # A folder where the entry should be: unlink() fails on it.
    XdgAutostart(COMMAND, config_home=tmp_path).path.mkdir(parents=True)

    class Stuck(XdgAutostart):
        def is_enabled(self) -> bool:
            return True

    stuck = Stuck(COMMAND, config_home=tmp_path)
    message = apply_start_at_login(False, stuck)
    assert message is not None
    assert message.startswith(f"Could not turn off start at login ({stuck.path}): ")
