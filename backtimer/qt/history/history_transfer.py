"""File → Export history… and File → Import history…: the same CSV as the terminal commands.

Export asks where to save (``backtimer-history-YYYY-MM-DD.csv`` by default); the file
type chosen in the dialog picks the layout: one row per session (it imports back) or
one row per exercise (for spreadsheets). The file is written atomically, so a failed
export leaves any earlier file of that name as it was. Import reads a per-session export
with :func:`~backtimer.core.history.csv_io.import_sessions` and adds what is new, as
``backtimer import --csv`` does. Each ends with a message naming the file: what was
written or added, the bad lines skipped, or what went wrong.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Final

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from backtimer.core.history.csv_io import export_sessions, import_sessions
from backtimer.core.store.atomic_storage import write_atomically

if TYPE_CHECKING:
    from backtimer.core.history.recorder import SessionHistory

#: The save dialog's file types; the second exports one row per exercise.
PER_SESSION_FILTER: Final = "CSV, one row per session (*.csv)"
PER_EXERCISE_FILTER: Final = "CSV, one row per exercise (*.csv)"
OPEN_FILTER: Final = "CSV files (*.csv);;All files (*)"


@dataclass(frozen=True, slots=True)
class Report:
    """What an export or import did, for the message that ends it."""

    ok: bool
    text: str
    details: list[str] = field(default_factory=list)


def default_export_name(today: date) -> str:
    """``backtimer-history-2026-03-09.csv``."""
    return f"backtimer-history-{today.isoformat()}.csv"


def export_to(history: SessionHistory, target: Path, by_exercise: bool) -> Report:
    """Write the whole history to ``target`` as CSV, atomically."""
    out = io.StringIO(newline="")
    try:
        rows = export_sessions(history.store.sessions(), out, by_exercise=by_exercise)
        write_atomically(target, out.getvalue())
    except OSError as error:
        reason = error.strerror or str(error)
        return Report(False, f"Could not export the history to {target}: {reason}.")
    what = "exercise" if by_exercise else "session"
    word = what if rows == 1 else f"{what}s"
    text = f"Exported {rows} {word} to {target}."
    if by_exercise:
        text += " (This layout is for spreadsheets; to import, export one row per session.)"
    return Report(True, text)


def import_from(history: SessionHistory, source: Path) -> Report:
    """Add the sessions of a per-session export at ``source``; known ones are skipped."""
    try:
        with source.open(encoding="utf-8", newline="") as stream:
            result = import_sessions(stream)
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "expected UTF-8 text"
        return Report(False, f"Could not read {source}: {reason or error}.")
    details = [f"{source.name}: {problem}" for problem in result.errors]
    added: list[int] = []
    if not history.save(lambda store: added.append(store.add_sessions(result.records))):
        problem = history.problems[-1] if history.problems else "the history could not be saved"
        return Report(False, f"Could not import {source}: {problem}.", details)
    count = added[0] if added else 0
    known = len(result.records) - count
    text = f"Imported {count} {'session' if count == 1 else 'sessions'} from {source}."
    if known:
        text += f" {known} {'was' if known == 1 else 'were'} already there."
    if result.errors:
        lines = "line was" if len(result.errors) == 1 else "lines were"
        text += f" {len(result.errors)} bad {lines} skipped (see the details)."
    return Report(not result.errors or bool(result.records), text, details)


def ask_export(parent: QWidget, history: SessionHistory, today: date) -> Report | None:
    """Ask where to export and how, then export; None when the user cancels."""
    start = Path.home() / default_export_name(today)
    chosen, selected = QFileDialog.getSaveFileName(
        parent,
        "Export history",
        str(start),
        f"{PER_SESSION_FILTER};;{PER_EXERCISE_FILTER}",
        PER_SESSION_FILTER,
    )
    if not chosen:
        return None
    target = Path(chosen)
    if target.suffix.lower() != ".csv":
        target = target.with_name(target.name + ".csv")
    return export_to(history, target, by_exercise=selected == PER_EXERCISE_FILTER)


def ask_import(parent: QWidget, history: SessionHistory) -> Report | None:
    """Ask which file to import, then import it; None when the user cancels."""
    chosen, _selected = QFileDialog.getOpenFileName(
        parent, "Import history", str(Path.home()), OPEN_FILTER
    )
    if not chosen:
        return None
    return import_from(history, Path(chosen))


def tell(parent: QWidget, title: str, report: Report) -> QMessageBox:
    """Show ``report`` in a message box over ``parent`` (it does not block)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Information if report.ok else QMessageBox.Icon.Warning)
    box.setWindowTitle(title)
    box.setText(report.text)
    box.setAccessibleName(title)
    box.setAccessibleDescription(report.text)
    if report.details:
        box.setDetailedText("\n".join(report.details))
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
