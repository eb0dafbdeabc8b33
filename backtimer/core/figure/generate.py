"""Generate ``assets/exercises/<id>.svg`` from ``assets/poses/<id>.toml``.

    python -m backtimer.core.figure.generate           # write what changed
    python -m backtimer.core.figure.generate --check   # exit 1 if anything is stale

Running it again changes nothing: the output depends only on the pose files.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from backtimer.core.figure.figures import FigureFileError, load_figures
from backtimer.core.figure.svg import render_svg
from backtimer.core.paths import assets_dir


def expected_files(poses: Path) -> dict[str, str]:
    """File name → SVG text for every pose file."""
    return {f"{fid}.svg": render_svg(figure) for fid, figure in load_figures(poses).items()}


def generate(poses: Path, out: Path, check: bool = False) -> list[str]:
    """Write (or with ``check`` only compare) the SVGs; returns the names that differ."""
    wanted = expected_files(poses)
    stale = sorted(
        name
        for name, text in wanted.items()
        if not (out / name).is_file() or (out / name).read_text(encoding="utf-8") != text
    )
    extra = sorted(p.name for p in out.glob("*.svg") if p.name not in wanted)
    if not check:
        out.mkdir(parents=True, exist_ok=True)
        for name in stale:
            (out / name).write_text(wanted[name], encoding="utf-8")
        for name in extra:
            (out / name).unlink()
    return stale + extra


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale files")
    args = parser.parse_args(argv)
    root = assets_dir()
    try:
        changed = generate(root / "poses", root / "exercises", check=args.check)
    except FigureFileError as error:
        print(error, file=sys.stderr)
        return 1
    verb = "stale" if args.check else "written"
    for name in changed:
        print(f"{verb}: {name}")
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    raise SystemExit(main())
