"""Acting as another user of the machine (uid 65534, nobody), for the single-instance tests.

Only root can become another user; :data:`needs_root` skips a test otherwise.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

#: The user the tests act as when they need another one (nobody).
OTHER_UID = 65534

needs_root = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="acting as another user needs root"
)

#: Listens on argv[1] as another user would: binds (as root), optionally gives the socket
#: file to the other user (argv[2] == "1") and becomes that user before listening (argv[3]
#: == "1"), then takes whatever connects.
IMPOSTOR = """
import os, socket, sys
path, give_file, become = sys.argv[1], sys.argv[2] == "1", sys.argv[3] == "1"
server = socket.socket(socket.AF_UNIX)
server.bind(path)
if give_file:
    os.chown(path, 65534, 65534)
if become:
    os.setgid(65534)
    os.setuid(65534)
server.listen(8)
print("listening", flush=True)
while True:
    connection, _ = server.accept()
    connection.recv(65536)
    connection.close()
"""


@contextmanager
def impostor_listening(
    path: Path, give_file: bool = True, become: bool = True
) -> Iterator[subprocess.Popen[str]]:
    """A process of (or posing as) another user listening on ``path``, until the block ends."""
    process = subprocess.Popen(
        [sys.executable, "-c", IMPOSTOR, str(path), str(int(give_file)), str(int(become))],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "listening"
        yield process
    finally:
        process.kill()
        process.communicate()
