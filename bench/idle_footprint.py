"""Idle in the tray: memory, CPU and wake-ups of ``backtimer --tray`` doing nothing, from /proc.

    .venv/bin/python bench/idle_footprint.py [--seconds 60] [--settle 10]

Starts a small desktop (Xvfb, a private session bus, ``trayer`` as the tray and ``dunst``
as the notification service: :class:`tests.e2e.desktop.Desktop`) and runs, one after the
other, each with a fresh data folder:

* ``backtimer --tray``, a returning user (safety notice acknowledged) with the default
  reminder settings (Mon–Fri 09:00–18:00, every 60 min) and no reminder due;
* the same with reminders counting down right now (every day, all day; the next break
  40 minutes away), so the tray's ring moves: the busiest idle there is;
* for contrast, a bare PySide6 tray icon (a ``QSystemTrayIcon`` with an icon, ``app.exec()``).

For each it waits until the tray icon is embedded in the tray and the process has settled
(at least ``--settle`` seconds after the start, and no CPU time used for 2 s, or 30 s at
most), then samples /proc once a second for ``--seconds``:

* RSS: ``VmRSS`` of /proc/PID/status at the end and its maximum over the window; its
  private part ``RssAnon`` (the rest is pages of shared libraries, and how many of those a
  process maps depends on what the page cache holds: the bare tray icon measured 49 MB on
  a fresh machine and 60–64 MB later on the same one); PSS from /proc/PID/smaps_rollup;
* CPU: ``utime + stime`` of /proc/PID/stat over the window (clock ticks, 10 ms each) and
  the exact time on CPU of every thread from /proc/PID/task/TID/schedstat, as s per minute;
* wake-ups: the growth of ``voluntary_ctxt_switches + nonvoluntary_ctxt_switches`` of every
  thread (/proc/PID/task/*/status) per second, with a line per thread (its name from
  /proc/PID/task/TID/comm) so the one that wakes can be found.

Both run with a bytecode cache, as an installed app does (pip compiles the ``.pyc`` files
when it installs a wheel): ``PYTHONPYCACHEPREFIX`` points into the scratch folder, filled
by ``compileall`` before the first launch (``--no-bytecode-cache`` keeps the caller's
setting; with ``PYTHONDONTWRITEBYTECODE=1`` the app then compiles its modules at every
start, and the compiler's garbage stays in its heap: which may leave more garbage in the heap).

Child processes are looked for at the start and the end of the window (an idle backtimer
should have none) and counted in when present. Prints a table per process and a summary
against the targets of the issue: RSS ≤ 65 MB, CPU ≤ 0.005 s/min, ≤ 0.2 wake-ups/s.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from backtimer.core.paths import resolve_paths  # noqa: E402
from backtimer.core.reminders.store import SCHEDULE_VERSION, default_reminders_path  # noqa: E402
from backtimer.core.settings import ReminderSettings, Settings  # noqa: E402
from backtimer.core.store.settings_store import SettingsStore  # noqa: E402
from tests.e2e.desktop import Desktop  # noqa: E402

#: The issue's targets.
TARGET_RSS_MB = 65.0
TARGET_CPU_S_PER_MIN = 0.005
TARGET_WAKEUPS_PER_S = 0.2

CLOCK_TICK_S = 1 / os.sysconf("SC_CLK_TCK")

BARE_TRAY = """\
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QApplication, QSystemTrayIcon
app = QApplication([])
pixmap = QPixmap(22, 22)
pixmap.fill(QColor("#26a269"))
tray = QSystemTrayIcon(QIcon(pixmap))
tray.show()
app.exec()
"""


# -- reading /proc ------------------------------------------------------------------------


def _read(path: Path) -> str | None:
    try:
        return path.read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None


def _status_fields(text: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    for line in text.splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return fields


@dataclass(frozen=True, slots=True)
class ThreadSample:
    """One thread's counters."""

    name: str
    switches: int  #: voluntary + nonvoluntary context switches
    cpu_ns: int  #: time on CPU (schedstat)


@dataclass(frozen=True, slots=True)
class ProcessSample:
    """One process's counters at one moment."""

    at: float  #: time.monotonic()
    rss_kb: int
    anon_kb: int  #: RssAnon: private memory, not the shared libraries' pages
    pss_kb: int
    ticks: int  #: utime + stime, in clock ticks
    threads: dict[int, ThreadSample]


def children_of(pid: int) -> list[int]:
    """Every descendant of ``pid`` (from the tasks' ``children`` files, recursively)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        text = _read(task / "children") or ""
        for child in text.split():
            found.append(int(child))
            found.extend(children_of(int(child)))
    return found


def sample(pid: int) -> ProcessSample | None:
    """The counters of ``pid`` now; None when it is gone."""
    proc = Path(f"/proc/{pid}")
    status = _read(proc / "status")
    stat = _read(proc / "stat")
    if status is None or stat is None:
        return None
    fields = _status_fields(status)
    rss_kb = int(fields.get("VmRSS", "0 kB").split()[0])
    anon_kb = int(fields.get("RssAnon", "0 kB").split()[0])
    pss_kb = 0
    for line in (_read(proc / "smaps_rollup") or "").splitlines():
        if line.startswith("Pss:"):
            pss_kb = int(line.split()[1])
    # Fields after the command name (which may hold spaces): utime and stime are 14 and 15.
    after_name = stat.rsplit(")", 1)[1].split()
    ticks = int(after_name[11]) + int(after_name[12])
    threads: dict[int, ThreadSample] = {}
    for task in (proc / "task").glob("*"):
        task_status = _read(task / "status")
        schedstat = _read(task / "schedstat")
        if task_status is None or schedstat is None:
            continue
        counts = _status_fields(task_status)
        switches = int(counts.get("voluntary_ctxt_switches", 0)) + int(
            counts.get("nonvoluntary_ctxt_switches", 0)
        )
        name = (_read(task / "comm") or "?").strip()
        threads[int(task.name)] = ThreadSample(name, switches, int(schedstat.split()[0]))
    return ProcessSample(time.monotonic(), rss_kb, anon_kb, pss_kb, ticks, threads)


def process_cpu_ns(pid: int) -> int:
    """Time on CPU of every thread of ``pid`` so far."""
    found = sample(pid)
    return sum(thread.cpu_ns for thread in found.threads.values()) if found else 0


# -- one measured process -----------------------------------------------------------------


@dataclass(slots=True)
class ThreadResult:
    """What one thread did over the window."""

    tid: int
    name: str
    switches: int
    cpu_ms: float
    new: bool  #: started during the window


@dataclass(slots=True)
class Result:
    """One process's footprint over the window."""

    name: str
    seconds: float
    rss_mb: float
    rss_max_mb: float
    anon_mb: float
    pss_mb: float
    cpu_ticks_s_per_min: float
    cpu_s_per_min: float
    wakeups_per_s: float
    threads: list[ThreadResult]
    threads_gone: int
    children: list[int]
    settle_s: float
    notes: list[str] = field(default_factory=list)


def wait_for_tray_icon(pid: int, env: dict[str, str], timeout_s: float) -> float:
    """Seconds until the process has a small visible window (its embedded tray icon)."""
    started = time.monotonic()
    while time.monotonic() - started < timeout_s:
        found = subprocess.run(
            ["xdotool", "search", "--onlyvisible", "--pid", str(pid)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.split()
        for window in found:
            shape = subprocess.run(
                ["xdotool", "getwindowgeometry", window],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            ).stdout
            size = shape.rsplit("Geometry:", 1)[-1].strip().split("x")
            if len(size) == 2 and int(size[0]) <= 64 and int(size[1]) <= 64:
                return time.monotonic() - started
        time.sleep(0.2)
    raise RuntimeError(f"process {pid} showed no tray icon within {timeout_s:.0f} s")


def settle(pid: int, started: float, least_s: float, most_s: float = 30.0) -> float:
    """Wait until ``least_s`` after ``started`` and 2 s without CPU time; seconds since start."""
    time.sleep(max(0.0, started + least_s - time.monotonic()))
    before = process_cpu_ns(pid)
    while time.monotonic() - started < most_s:
        time.sleep(2.0)
        now = process_cpu_ns(pid)
        if now - before < 1_000_000:  # under 1 ms in 2 s: settled
            break
        before = now
    return time.monotonic() - started


def measure(
    name: str,
    command: list[str],
    env: dict[str, str],
    seconds: float,
    least_settle_s: float,
    log: Path,
) -> Result:
    """Start ``command``, wait for its tray icon and calm, then sample it for ``seconds``."""
    started = time.monotonic()
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, env=env, cwd=REPO, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        wait_for_tray_icon(process.pid, env, 30)
        settle_s = settle(process.pid, started, least_settle_s)
        children_start = children_of(process.pid)
        first = sample(process.pid)
        if first is None:
            raise RuntimeError(f"{name} exited: {log.read_text(errors='replace')}")
        rss_max = first.rss_kb
        last = first
        end = first.at + seconds
        while time.monotonic() < end:
            time.sleep(min(1.0, max(0.0, end - time.monotonic())))
            now = sample(process.pid)
            if now is None:
                raise RuntimeError(f"{name} exited: {log.read_text(errors='replace')}")
            rss_max = max(rss_max, now.rss_kb)
            last = now
        children = sorted(set(children_start) | set(children_of(process.pid)))
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    elapsed = last.at - first.at
    threads: list[ThreadResult] = []
    for tid, thread in last.threads.items():
        before = first.threads.get(tid)
        switches = thread.switches - (before.switches if before else 0)
        cpu_ns = thread.cpu_ns - (before.cpu_ns if before else 0)
        threads.append(ThreadResult(tid, thread.name, switches, cpu_ns / 1e6, before is None))
    threads.sort(key=lambda thread: (-thread.switches, thread.tid))
    gone = len(set(first.threads) - set(last.threads))
    cpu_ns_total = sum(thread.cpu_ms for thread in threads) / 1000
    result = Result(
        name=name,
        seconds=elapsed,
        rss_mb=last.rss_kb / 1024,
        rss_max_mb=rss_max / 1024,
        anon_mb=last.anon_kb / 1024,
        pss_mb=last.pss_kb / 1024,
        cpu_ticks_s_per_min=(last.ticks - first.ticks) * CLOCK_TICK_S * 60 / elapsed,
        cpu_s_per_min=cpu_ns_total * 60 / elapsed,
        wakeups_per_s=sum(thread.switches for thread in threads) / elapsed,
        threads=threads,
        threads_gone=gone,
        children=children,
        settle_s=settle_s,
    )
    if gone:
        result.notes.append(f"{gone} thread(s) ended during the window (their counts are lost)")
    if children:
        result.notes.append(f"child processes: {children}")
    return result


# -- the subjects -------------------------------------------------------------------------


def seed_backtimer(data: Path, counting: bool) -> None:
    """A returning user's data folder; ``counting``: reminders all day, next break in 40 min."""
    paths = resolve_paths(data)
    paths.ensure()
    reminders = ReminderSettings()
    if counting:
        reminders = ReminderSettings(
            working_days=(0, 1, 2, 3, 4, 5, 6),
            work_start=clock_time(0, 0),
            work_end=clock_time(0, 0),  # an end equal to the start: the whole day
        )
    settings = Settings(safety_acknowledged=True, reminders=reminders)
    SettingsStore(paths.config / "settings.json").save(settings)
    if counting:
        now = datetime.now(UTC)
        schedule = {
            "version": SCHEDULE_VERSION,
            "due": (now + timedelta(minutes=40)).isoformat(),
            "since": (now - timedelta(minutes=20)).isoformat(),
            "stretch_start": None,
            "snoozed": False,
            "paused": False,
            "paused_until": None,
        }
        default_reminders_path(paths).write_text(json.dumps(schedule), encoding="utf-8")


Subject = tuple[str, Callable[[Path], list[str]]]


def subjects(chosen: list[str]) -> list[Subject]:
    """(name, command maker) for each process to measure, in the order chosen."""

    def backtimer(counting: bool) -> Callable[[Path], list[str]]:
        def make(folder: Path) -> list[str]:
            data = folder / "data"
            seed_backtimer(data, counting)
            return [sys.executable, "-m", "backtimer", "--data-dir", str(data), "--tray"]

        return make

    every: dict[str, Subject] = {
        "backtimer": ("backtimer --tray (default settings)", backtimer(False)),
        "counting": ("backtimer --tray (counting down)", backtimer(True)),
        "bare": ("bare PySide6 tray icon", lambda folder: [sys.executable, "-c", BARE_TRAY]),
    }
    return [every[name] for name in chosen]


# -- output -------------------------------------------------------------------------------


def print_threads(result: Result, limit: int) -> None:
    print(f"  {'thread':<22} {'tid':>8} {'switches':>9} {'per s':>7} {'CPU ms':>8}")
    for thread in result.threads[:limit]:
        mark = " (new)" if thread.new else ""
        print(
            f"  {thread.name + mark:<22} {thread.tid:>8} {thread.switches:>9} "
            f"{thread.switches / result.seconds:>7.3f} {thread.cpu_ms:>8.2f}"
        )
    rest = result.threads[limit:]
    if rest:
        print(
            f"  ({len(rest)} more threads: {sum(t.switches for t in rest)} switches, "
            f"{sum(t.cpu_ms for t in rest):.2f} ms)"
        )


def verdict(value: float, target: float) -> str:
    return "met" if value <= target else "MISSED"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60, help="the window (default 60)")
    parser.add_argument(
        "--settle", type=float, default=10, help="least seconds from start to window (10)"
    )
    parser.add_argument(
        "--only",
        nargs="+",
        choices=("backtimer", "counting", "bare"),
        default=["backtimer", "counting", "bare"],
        help="which processes to measure",
    )
    parser.add_argument("--threads", type=int, default=12, help="thread lines per process")
    parser.add_argument(
        "--no-bytecode-cache",
        action="store_true",
        help="use the caller's bytecode settings (may compile every module at every start)",
    )
    args = parser.parse_args()
    results: list[Result] = []
    with tempfile.TemporaryDirectory() as scratch, Desktop(Path(scratch) / "desktop") as desktop:
        env = desktop.env()
        if not args.no_bytecode_cache:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(Path(scratch) / "pycache")
            subprocess.run(
                [sys.executable, "-m", "compileall", "-q", str(REPO / "backtimer")],
                env=env,
                check=True,
            )
        for index, (name, make) in enumerate(subjects(args.only)):
            folder = Path(scratch) / f"subject{index}"
            folder.mkdir()
            command = make(folder)
            print(f"measuring {name} for {args.seconds:.0f} s …", flush=True)
            results.append(measure(name, command, env, args.seconds, args.settle, folder / "log"))
    print()
    for result in results:
        print(
            f"{result.name}: window {result.seconds:.1f} s, settled {result.settle_s:.1f} s "
            f"after start, {len(result.threads)} threads"
        )
        print_threads(result, args.threads)
        for note in result.notes:
            print(f"  note: {note}")
        if not result.children:
            print("  no child processes")
        print()
    header = (
        f"{'process':<36} {'RSS MB':>7} {'max':>7} {'anon':>6} {'PSS MB':>7} "
        f"{'CPU s/min':>10} {'(ticks)':>8} {'wakeups/s':>10}"
    )
    print(header)
    print("-" * len(header))
    for result in results:
        print(
            f"{result.name:<36} {result.rss_mb:>7.1f} {result.rss_max_mb:>7.1f} "
            f"{result.anon_mb:>6.1f} {result.pss_mb:>7.1f} {result.cpu_s_per_min:>10.4f} "
            f"{result.cpu_ticks_s_per_min:>8.3f} {result.wakeups_per_s:>10.3f}"
        )
    print()
    print(
        f"targets: RSS <= {TARGET_RSS_MB:.0f} MB, CPU <= {TARGET_CPU_S_PER_MIN} s/min, "
        f"<= {TARGET_WAKEUPS_PER_S} wakeups/s"
    )
    for result in results:
        if result.name.startswith("backtimer"):
            print(
                f"  {result.name}: RSS {verdict(result.rss_max_mb, TARGET_RSS_MB)}, "
                f"CPU {verdict(result.cpu_s_per_min, TARGET_CPU_S_PER_MIN)}, "
                f"wakeups {verdict(result.wakeups_per_s, TARGET_WAKEUPS_PER_S)}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
