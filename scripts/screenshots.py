"""Take the README's screenshots of the real app on a virtual display.

    .venv/bin/python scripts/screenshots.py          # every one: docs/home.png, session.png,
                                                     # summary.png and history.png
    .venv/bin/python scripts/screenshots.py history  # only those named (home, session, history)

("session" takes session.png and summary.png, one after the other.)
Needs Xvfb, xdotool and ImageMagick's `import` (scripts/setup --test installs them).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from backtimer.core.history.recorder import HISTORY_FOLDER  # noqa: E402
from backtimer.core.history.store import HistoryStore  # noqa: E402
from backtimer.core.paths import resolve_paths  # noqa: E402
from backtimer.core.settings import Settings  # noqa: E402
from backtimer.core.store.settings_store import SettingsStore  # noqa: E402
from tests.e2e.harness import AppProcess, VirtualDisplay  # noqa: E402
from tests.helpers.history_samples import sample_history  # noqa: E402

DOCS = REPO / "docs"


def shoot(app: AppProcess, name: str) -> None:
    assert app.window_id is not None
    target = DOCS / f"{name}.png"
    subprocess.run(["import", "-window", app.window_id, str(target)], env=app.env, check=True)
    print(f"wrote {target.relative_to(REPO)}")


def data_folder(path: Path, settings: Settings) -> Path:
    """A fresh data folder at ``path`` with ``settings`` saved in it."""
    paths = resolve_paths(path)
    paths.ensure()
    SettingsStore(paths.config / "settings.json").save(settings)
    return path


def shoot_home(display: VirtualDisplay, data: Path) -> None:
    home = AppProcess(display, data)
    home.find_window("backtimer")
    home.xdotool("windowsize", "--sync", home.window_id or "", "1280", "800")
    shoot(home, "home")
    home.close()


def shoot_session(display: VirtualDisplay, data: Path) -> None:
    session = AppProcess(display, data, "run", "stretch-and-strengthen")
    session.find_window("Stretch and strengthen")
    session.xdotool("windowsize", "--sync", session.window_id or "", "1280", "800")
    session.wait_for_title("· Running", timeout_s=30)
    # Into the first stretch, so the figure has moved (a picture, not a test: wait).
    subprocess.run(["sleep", "9"], check=True)
    shoot(session, "session")
    session.key("Escape")
    session.wait_for_title("· Stopped")
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
    app.xdotool("windowsize", "--sync", app.window_id or "", "1280", "800")
    subprocess.run(["sleep", "1"], check=True)  # let it lay out at the new size
    shoot(app, "history")
    app.close()


def main(names: list[str]) -> int:
    shots = {"home": shoot_home, "session": shoot_session, "history": shoot_history}
    unknown = [name for name in names if name not in shots]
    if unknown:
        print(f"screenshots: unknown {', '.join(unknown)}; choose from {', '.join(shots)}")
        return 2
    settings = {
        "home": Settings(safety_acknowledged=True, get_ready_seconds=3),
        "session": Settings(safety_acknowledged=True, get_ready_seconds=3),
        "history": Settings(safety_acknowledged=True),
    }
    with tempfile.TemporaryDirectory() as scratch, VirtualDisplay("1280x800x24") as display:
        for name, take in shots.items():
            if not names or name in names:
                # Home and session share a folder, as before; history gets its own.
                folder = "history-data" if name == "history" else "data"
                take(display, data_folder(Path(scratch) / folder, settings[name]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
