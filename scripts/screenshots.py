"""Take the README's screenshots of the real app on a virtual display.

    .venv/bin/python scripts/screenshots.py        # writes docs/home.png, session.png, summary.png

Needs Xvfb, xdotool and ImageMagick's `import` (scripts/setup --test installs them).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from backtimer.core.paths import resolve_paths  # noqa: E402
from backtimer.core.settings import Settings  # noqa: E402
from backtimer.core.store.settings_store import SettingsStore  # noqa: E402
from tests.e2e.harness import AppProcess, VirtualDisplay  # noqa: E402

DOCS = REPO / "docs"


def shoot(app: AppProcess, name: str) -> None:
    assert app.window_id is not None
    target = DOCS / f"{name}.png"
    subprocess.run(["import", "-window", app.window_id, str(target)], env=app.env, check=True)
    print(f"wrote {target.relative_to(REPO)}")


def main() -> int:
    with tempfile.TemporaryDirectory() as scratch, VirtualDisplay("1280x800x24") as display:
        data = Path(scratch) / "data"
        paths = resolve_paths(data)
        paths.ensure()
        SettingsStore(paths.config / "settings.json").save(
            Settings(safety_acknowledged=True, get_ready_seconds=3)
        )
        home = AppProcess(display, data)
        home.find_window("backtimer")
        home.xdotool("windowsize", "--sync", home.window_id or "", "1280", "800")
        shoot(home, "home")
        home.close()

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
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
