"""Laying out the annual review on a worker thread, so the window keeps responding and shows progress."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot

from clerk_desk.errors import ClerkDeskError

log = logging.getLogger(__name__)


class RenderWorker(QObject):
    """Lays out a gathered review and writes the PDF, off the window's thread."""

    progressed = Signal(int, str)
    done = Signal(object)
    failed = Signal(str)

    def __init__(self, review: object, out: Path) -> None:
        super().__init__()
        self.review = review
        self.out = out

    @Slot()
    def run(self) -> None:
        from clerk_desk.reports import annual

        try:
            written = annual.render(self.review, self.out, self.progressed.emit)  # type: ignore[arg-type]
        except ClerkDeskError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # a bug: say so plainly rather than leave the page waiting
            log.exception("the annual review could not be laid out")
            self.failed.emit(f"The report could not be made because of an error in Clerk Desk: {exc}")
        else:
            self.done.emit(written)
