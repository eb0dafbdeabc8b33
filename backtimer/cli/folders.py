"""Make backtimer's folders before a command that writes, or say why they cannot be made."""

from __future__ import annotations

import sys

from backtimer.core.paths import AppPaths


def make_folders(paths: AppPaths) -> bool:
    """Create the data, config and cache folders; False (said on stderr) when one cannot be."""
    try:
        paths.ensure()
    except OSError as error:
        print(
            f"backtimer: cannot create the folder {error.filename}: {error.strerror}",
            file=sys.stderr,
        )
        return False
    return True
