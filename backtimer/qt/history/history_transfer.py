"""File → Export history… and File → Import history…: the same CSV as the terminal commands.

Export asks where to save (``backtimer-history-YYYY-MM-DD.csv`` by default); the file
type chosen in the dialog picks the layout: one row per session (it imports back), one
row per exercise (for spreadsheets), or one row per desk-break reminder (as
``backtimer export --csv FILE --breaks``). The file is written atomically by
:func:`~backtimer.core.history.csv_io.export_file`, as ``backtimer export --csv`` writes it,
so a failed export leaves any earlier file of that name as it was. Import reads a
per-session export with :func:`~backtimer.core.history.csv_io.read_sessions_file` and adds
what is new with :func:`~backtimer.core.history.importing.add_imported`, as
``backtimer import --csv`` does. Each ends with a message naming the file: what was
written or added, the bad lines skipped (shown as safe text), or what went wrong, and
after a save that failed half way, how many sessions were added before it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Final

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from backtimer.core.display_text import for_display
from backtimer.core.history.csv_io import (
    ImportFileError,
    export_breaks_file,
    export_file,
    read_sessions_file,
)
from backtimer.core.history.importing import Added, add_imported

if TYPE_CHECKING:
    from backtimer.core.history.recorder import SessionHistory

#: The save dialog's file types; the second exports one row per exercise.
PER_SESSION_FILTER: Final = "CSV, one row per session (*.csv)"
PER_EXERCISE_FILTER: Final = "CSV, one row per exercise (*.csv)"
PER_BREAK_FILTER: Final = "CSV, one row per desk-break reminder (*.csv)"
OPEN_FILTER: Final = "CSV files (*.csv);;All files (*)"
#: The most bad lines listed in an import's details (a broken file may have thousands).
MAX_DETAILS: Final = 1000


@dataclass(frozen=True, slots=True)
class Report:
    """What an export or import did, for the message that ends it."""

    ok: bool
    text: str
    details: list[str] = field(default_factory=list)


def default_export_name(today: date) -> str:
    """``backtimer-history-2026-03-09.csv``."""
    return f"backtimer-history-{today.isoformat()}.csv"


def export_to(
    history: SessionHistory, target: Path, by_exercise: bool, breaks: bool = False
) -> Report:
    """Write the whole history to ``target`` as CSV, atomically (``breaks``: the desk-break
    reminders instead of the sessions)."""
    try:
        if breaks:
            rows = export_breaks_file(history.store.break_events(), target)
        else:
            rows = export_file(history.store.sessions(), target, by_exercise=by_exercise)
    except OSError as error:
        reason = error.strerror or str(error)
        return Report(False, f"Could not export the history to {target}: {reason}.")
    what = "desk-break reminder" if breaks else "exercise" if by_exercise else "session"
    word = what if rows == 1 else f"{what}s"
    text = f"Exported {rows} {word} to {target}."
    if by_exercise:
        text += " (This layout is for spreadsheets; to import, export one row per session.)"
    return Report(True, text)


def _details(source: Path, errors: list[str]) -> list[str]:
    details = [for_display(f"{source.name}: {problem}") for problem in errors[:MAX_DETAILS]]
    if len(errors) > MAX_DETAILS:
        details.append(f"… and {len(errors) - MAX_DETAILS} more bad lines.")
    return details


def _sessions(count: int) -> str:
    return f"{count} {'session' if count == 1 else 'sessions'}"


def import_from(history: SessionHistory, source: Path) -> Report:
    """Add the sessions of a per-session export at ``source``; known ones are skipped."""
    try:
        result = read_sessions_file(source)
    except ImportFileError as error:
        return Report(False, f"Could not read {source}: {error.reason}.")
    details = _details(source, result.errors)
    outcomes: list[Added] = []
    if not history.save(lambda store: outcomes.append(add_imported(store, result.records))):
        problem = history.problems[-1] if history.problems else "the history could not be saved"
        return Report(False, f"Could not import {source}: {problem}.", details)
    outcome = outcomes[0]
    if outcome.failure is not None:
        reason = outcome.failure.strerror or str(outcome.failure)
        text = f"Could not finish importing {source}: {reason}."
        if outcome.added:
            text += (
                f" {_sessions(outcome.added)} {'was' if outcome.added == 1 else 'were'} added "
                "before that; import the file again to add the rest."
            )
        else:
            text += " Nothing was added."
        return Report(False, text, details)
    text = f"Imported {_sessions(outcome.added)} from {source}."
    if outcome.known:
        text += f" {outcome.known} {'was' if outcome.known == 1 else 'were'} already there."
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
        f"{PER_SESSION_FILTER};;{PER_EXERCISE_FILTER};;{PER_BREAK_FILTER}",
        PER_SESSION_FILTER,
    )
    if not chosen:
        return None
    target = Path(chosen)
    if target.suffix.lower() != ".csv":
        target = target.with_name(target.name + ".csv")
    return export_to(
        history,
        target,
        by_exercise=selected == PER_EXERCISE_FILTER,
        breaks=selected == PER_BREAK_FILTER,
    )


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
