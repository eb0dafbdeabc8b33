"""Running backtimer on a read-only or a full file system, for real, in a private mount namespace.

Tests run as root, which ignores permission bits: a folder chmod'ed 0555 is still writable
to it. A read-only *mount* is not: even root gets EROFS. :func:`run_backtimer_mounted`
starts ``unshare --mount`` (a mount namespace of its own, so nothing outside sees the
mounts), mounts ``folder`` read-only over itself (``ro``) or a small tmpfs over it
(``full``, with the files that were there copied in), and runs backtimer there.
:data:`needs_mounts` skips a test where this is not allowed (not root, no unshare).
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

#: ro: bind ``$1`` read-only over itself. tmpfs: copy ``$1`` aside, mount a tmpfs of ``$2``
#: bytes over it, copy the files back. Then run the rest of the arguments, print a marker
#: line and run $AFTER (to look at the mounted folder before it goes with the namespace).
AFTER_MARKER = "--- after ---\n"
_SCRIPT = """
set -e
folder=$1; mode=$2; shift 2
if [ "$mode" = ro ]; then
    mount --bind -o ro "$folder" "$folder"
else
    keep=$(mktemp -d)
    cp -a "$folder/." "$keep/"
    mount -t tmpfs -o "size=$mode" tmpfs "$folder"
    cp -a "$keep/." "$folder/"
fi
set +e
"$@"
status=$?
if [ -n "$AFTER" ]; then
    echo "--- after ---"
    eval "$AFTER"
fi
exit $status
"""


@functools.cache
def mounts_work() -> bool:
    """Whether this process may make a private mount namespace and mount in it."""
    if shutil.which("unshare") is None:
        return False
    with tempfile.TemporaryDirectory() as folder:
        probe = [sys.executable, "-c", f"open({str(Path(folder) / 'x')!r}, 'w')"]
        try:
            result = subprocess.run(
                ["unshare", "--mount", "sh", "-c", _SCRIPT, "sh", folder, "ro", *probe],
                capture_output=True,
                text=True,
                timeout=30,
                check=False,
            )
        except OSError:
            return False
        return result.returncode != 0 and "Read-only file system" in result.stderr


needs_mounts = pytest.mark.skipif(
    not mounts_work(), reason="needs unshare --mount (root in a private mount namespace)"
)


def run_backtimer_mounted(
    folder: Path, mode: str, data: Path, *args: str, after: str = ""
) -> subprocess.CompletedProcess[str]:
    """Run ``backtimer --data-dir data ARGS`` with ``folder`` read-only (``mode="ro"``) or
    on a tmpfs of ``mode`` bytes (``"64k"``); then the shell command ``after`` (``$folder``
    is the folder), whose output follows :data:`AFTER_MARKER` in stdout."""
    command = [sys.executable, "-m", "backtimer", "--data-dir", str(data), *args]
    return subprocess.run(
        ["unshare", "--mount", "sh", "-c", _SCRIPT, "sh", str(folder), mode, *command],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "AFTER": after},
    )
