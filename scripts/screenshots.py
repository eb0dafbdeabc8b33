"""Take the README's screenshots of the real app on a virtual display.

    .venv/bin/python scripts/screenshots.py          # every one: docs/home.png, preview.png,
                                                     # session.png, summary.png, history.png,
                                                     # reminder.png and break.png
    .venv/bin/python scripts/screenshots.py history  # only those named (home, session,
                                                     # history, desk-break)

("home" takes home.png and preview.png; "session" takes session.png and summary.png, one
after the other; "desk-break" takes reminder.png, the tray icon and the notification of a
due break, and break.png, the break window it opens.) Needs Xvfb, xdotool and
ImageMagick's `import`, and for the desk break trayer and dunst (scripts/setup --test
installs them all).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from backtimer.core.history.recorder import HISTORY_FOLDER  # noqa: E402
from backtimer.core.history.store import HistoryStore  # noqa: E402
from backtimer.core.paths import resolve_paths  # noqa: E402
from backtimer.core.reminders.policy import SavedSchedule  # noqa: E402
from backtimer.core.reminders.store import ReminderStore, schedule_to_dict  # noqa: E402
from backtimer.core.settings import ReminderSettings, Settings  # noqa: E402
from backtimer.core.store.settings_store import SettingsStore  # noqa: E402
from tests.e2e.desktop import Desktop  # noqa: E402
from tests.e2e.harness import AppProcess, VirtualDisplay, wait_until  # noqa: E402
from tests.helpers.alsa_capture import CAPTURE_ASOUNDRC  # noqa: E402
from tests.helpers.history_samples import sample_history  # noqa: E402

DOCS = REPO / "docs"


def shoot(app: AppProcess, name: str) -> None:
    assert app.window_id is not None
    target = DOCS / f"{name}.png"
    subprocess.run(["import", "-window", app.window_id, str(target)], env=app.env, check=True)
    print(f"wrote {target.relative_to(REPO)}")


def fill_screen(app: AppProcess) -> None:
    """The window at the top left, as large as the 1280×800 screen (a maximised window;
    the window opens centred at 90 % of the screen, and would be cut off if only resized)."""
    app.xdotool("windowmove", "--sync", app.window_id or "", "0", "0")
    app.xdotool("windowsize", "--sync", app.window_id or "", "1280", "800")


def data_folder(path: Path, settings: Settings) -> Path:
    """A fresh data folder at ``path`` with ``settings`` saved in it."""
    paths = resolve_paths(path)
    paths.ensure()
    SettingsStore(paths.config / "settings.json").save(settings)
    return path


def shoot_home(display: VirtualDisplay, data: Path) -> None:
    home = AppProcess(display, data)
    home.find_window("backtimer")
    fill_screen(home)
    subprocess.run(["sleep", "2"], check=True)  # let the routines load and draw (a picture)
    shoot(home, "home")
    # The preview of the second card (the desk break), chosen with the mouse.
    home.xdotool("mousemove", "--sync", "480", "220")
    home.xdotool("click", "1")
    subprocess.run(["sleep", "1"], check=True)  # a picture: let the figures draw
    shoot(home, "preview")
    home.close()


def shoot_session(display: VirtualDisplay, data: Path) -> None:
    session = AppProcess(display, data, "run", "stretch-and-strengthen")
    session.find_window("Stretch and strengthen")
    fill_screen(session)
    session.wait_for_title("· Running", timeout_s=30)
    # Into the first stretch, so the figure has moved (a picture, not a test: wait).
    subprocess.run(["sleep", "9"], check=True)
    shoot(session, "session")
    session.key("Escape")  # asks first
    session.wait_for_title("· Paused")
    session.key("Escape")  # again: ends it
    session.wait_for_title("· Stopped")
    subprocess.run(["sleep", "1"], check=True)  # a picture: let the summary draw
    shoot(session, "summary")
    session.close()


def shoot_history(display: VirtualDisplay, data: Path) -> None:
    """The history window (Ctrl+H) of someone about ten weeks in."""
    now = datetime.now().astimezone()
    assert now.tzinfo is not None
    HistoryStore(resolve_paths(data).data / HISTORY_FOLDER).add_sessions(
        sample_history(now.date(), now.tzinfo)
    )
    app = AppProcess(display, data)
    app.find_window("backtimer")
    app.key("ctrl+h")
    app.find_window("History")
    fill_screen(app)
    subprocess.run(["sleep", "1"], check=True)  # let it lay out at the new size
    shoot(app, "history")
    app.close()


def shoot_desk_break(_display: VirtualDisplay, data: Path) -> None:
    """A due break in the tray with its notification, then the break window it opens."""
    paths = resolve_paths(data)
    due = datetime.now(UTC) - timedelta(minutes=1)
    schedule = schedule_to_dict(SavedSchedule(due=due, since=due - timedelta(hours=1)))
    ReminderStore.for_paths(paths).path.write_text(json.dumps(schedule))
    with Desktop(data.parent / "desktop") as desktop:
        app = AppProcess(desktop.display, data, "--tray", env=desktop.env())
        wait_until(
            lambda: desktop.dunstctl("count", "displayed").strip() == "1", 20, "the notification"
        )
        subprocess.run(["sleep", "1"], check=True)  # a picture, not a test: let it draw
        crop = "440x150+840+0"  # the top right of the 1280-pixel-wide screen
        target = DOCS / "reminder.png"
        subprocess.run(
            ["import", "-window", "root", "-crop", crop, "+repage", str(target)],
            env=desktop.env(),
            check=True,
        )
        print(f"wrote {target.relative_to(REPO)}")
        desktop.dunstctl("action", "0")
        app.find_window("Desk break")
        subprocess.run(["sleep", "14"], check=True)  # past get-ready, into the first move
        shoot(app, "break")
        app.close()


def give_a_sound_device(home: Path) -> None:
    """A sound device for the apps started from here, as a desktop has (ALSA's file
    plugin into a scratch folder); without one the session shows its no-sound banner."""
    home.mkdir(parents=True, exist_ok=True)
    (home / ".asoundrc").write_text(CAPTURE_ASOUNDRC.format(path=home / "played.wav"))
    os.environ.pop("ALSA_CONFIG_PATH", None)
    os.environ["HOME"] = str(home)


def main(names: list[str]) -> int:
    shots = {
        "home": shoot_home,
        "session": shoot_session,
        "history": shoot_history,
        "desk-break": shoot_desk_break,
    }
    unknown = [name for name in names if name not in shots]
    if unknown:
        print(f"screenshots: unknown {', '.join(unknown)}; choose from {', '.join(shots)}")
        return 2
    settings = {
        "home": Settings(safety_acknowledged=True, get_ready_seconds=3),
        "session": Settings(safety_acknowledged=True, get_ready_seconds=3),
        "history": Settings(safety_acknowledged=True),
        "desk-break": Settings(
            safety_acknowledged=True,
            get_ready_seconds=5,
            # Working all week, so a break is due whatever day the pictures are taken.
            reminders=ReminderSettings(
                working_days=tuple(range(7)), work_start=time(0), work_end=time(0)
            ),
        ),
    }
    with tempfile.TemporaryDirectory() as scratch, VirtualDisplay("1280x800x24") as display:
        give_a_sound_device(Path(scratch) / "home")
        for name, take in shots.items():
            if not names or name in names:
                # Home and session share a folder, as before; history gets its own.
                folder = {"history": "history-data", "desk-break": "break-data"}.get(name, "data")
                take(display, data_folder(Path(scratch) / folder, settings[name]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
