"""File > Import CSV…: a file of any kind the command line imports (people, accounts, grants, officers,
acknowledgements, incidents, their risk assessments, the moderation log) read into the register on a
worker thread, with a progress bar, so the window keeps painting.

The import is the command line's (``imports.import_rows``): all or nothing, one transaction, and a bad
row is named with its column. The services know nothing of Qt: they report progress through a plain
callback, which the worker turns into a signal delivered on the window's thread.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QInputDialog, QProgressDialog, QWidget

from clerk_desk import imports
from clerk_desk.errors import ClerkDeskError
from clerk_desk.ui import plain

if TYPE_CHECKING:
    from clerk_desk.ui.context import Context

log = logging.getLogger(__name__)

#: The kinds offered, in the order a new council imports them.
KINDS = (
    "people",
    "accounts",
    "grants",
    "officers",
    "acknowledgements",
    "incidents",
    "assessments",
    "moderation",
)


class ImportJob(QObject):
    """One file being imported on a worker thread; its signals arrive on the window's thread."""

    progressed = Signal(int, int)  # rows done, rows in the file
    done = Signal(object)  # the ImportResult
    failed = Signal(str)

    def __init__(self, context: Context, kind: str, content: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.kind = kind
        self.content = content
        self.worker = threading.Thread(target=self._run, name="clerk-desk-import", daemon=True)

    def start(self) -> None:
        self.worker.start()

    def _run(self) -> None:
        try:
            with self.context.write() as session:
                result = imports.import_rows(
                    session, self.kind, self.content, self.context.clock.today(), self.progressed.emit
                )
        except ClerkDeskError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # a bug: say so plainly rather than leave the window waiting
            log.exception("the import failed")
            self.failed.emit(f"Nothing was imported because of an error in Clerk Desk: {exc}")
        else:
            self.done.emit(result)


class ImportProgress(QProgressDialog):
    """The progress bar of one import, closed when it ends; the import cannot be half done, so there is
    no Cancel."""

    def __init__(self, kind: str, parent: QWidget | None) -> None:
        super().__init__(f"Importing {kind}…", "", 0, 0, parent)
        self.setWindowTitle("Import CSV")
        self.setAccessibleName(f"Importing {kind}")
        self.setCancelButton(None)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumDuration(0)
        self.setAutoClose(False)
        self.setAutoReset(False)

    def show_progress(self, done: int, total: int) -> None:
        self.setMaximum(max(total, 1))
        self.setValue(min(done, max(total, 1)))
        self.setLabelText(f"Importing: {done:,} of {total:,} rows")


def choose_and_import(window: QWidget, context: Context) -> ImportJob | None:
    """Ask for the kind and the file, then start the import; None when the clerk changes their mind."""
    kind, chosen = QInputDialog.getItem(
        window, "Import CSV", "What does the file hold?", list(KINDS), KINDS.index("incidents"), False
    )
    if not chosen:
        return None
    name, _ = QFileDialog.getOpenFileName(window, f"Import {kind}", "", "CSV files (*.csv);;All files (*)")
    if not name:
        return None
    try:
        content = imports.read_csv(Path(name))
    except ClerkDeskError as exc:
        plain.warning(window, "Import CSV", str(exc))
        return None
    return start(window, context, kind, content, Path(name).name)


def start(window: QWidget, context: Context, kind: str, content: str, label: str) -> ImportJob:
    """Import ``content`` on a worker thread with a progress bar; the page on show reloads at the end."""
    dialog = ImportProgress(kind, window)
    job = ImportJob(context, kind, content, window)
    job.dialog = dialog  # type: ignore[attr-defined]
    job.progressed.connect(dialog.show_progress)

    def finished() -> None:
        dialog.close()
        dialog.deleteLater()
        refresh = getattr(window, "refresh", None)
        if refresh is not None:
            refresh()

    def done(result: imports.ImportResult) -> None:
        finished()
        text = f"Imported {label}: {result.added} added, {result.updated} updated."
        status = getattr(window, "statusBar", None)
        if status is not None:
            status().showMessage(text, 10_000)
        plain.information(window, "Import CSV", text)

    def failed(message: str) -> None:
        finished()
        plain.warning(window, "Import CSV", f"Nothing was imported. {message}")

    job.done.connect(done)
    job.failed.connect(failed)
    dialog.show()
    job.start()
    return job
