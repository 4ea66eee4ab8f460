"""Writing a review on a worker thread, so the window keeps responding and shows progress."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from clerk_desk.errors import ClerkDeskError

log = logging.getLogger(__name__)


class RenderWorker(QObject):
    """Lays out a prepared review and writes it as a PDF or HTML, off the window's thread."""

    progressed = Signal(int, str)
    done = Signal(object)
    failed = Signal(str)

    def __init__(self, prepared: object, out: Path, fmt: str) -> None:
        super().__init__()
        self.prepared = prepared
        self.out = out
        self.fmt = fmt

    @Slot()
    def run(self) -> None:
        from clerk_desk.reports import annual

        try:
            written = annual.write(self.prepared, self.out, self.fmt, self.progressed.emit)  # type: ignore[arg-type]
        except ClerkDeskError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # a bug: say so plainly rather than leave the page waiting
            log.exception("the annual review could not be laid out")
            self.failed.emit(f"The report could not be made because of an error in Clerk Desk: {exc}")
        else:
            self.done.emit(written)


class RenderJob(QObject):
    """One review being written: the thread, its worker, and waiting for them to end."""

    progressed = Signal(int, str)
    done = Signal(object)
    failed = Signal(str)
    finished = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: QThread | None = None
        self.worker: RenderWorker | None = None

    @property
    def busy(self) -> bool:
        return self._thread is not None

    def start(self, prepared: object, out: Path, fmt: str) -> None:
        thread = QThread(self)
        worker = RenderWorker(prepared, out, fmt)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.progressed.connect(self.progressed)
        worker.done.connect(self.done)
        worker.failed.connect(self.failed)
        # Direct: the thread ends as soon as the work does, even while the window's thread is busy.
        worker.done.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        worker.failed.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        thread.finished.connect(self._finished)
        self._thread, self.worker = thread, worker
        thread.start()

    def _finished(self) -> None:
        if self._thread is not None:
            self.wait()
            self._thread.deleteLater()
        if self.worker is not None:
            self.worker.deleteLater()
        self._thread = self.worker = None
        self.finished.emit()

    def wait(self, seconds: float = 120) -> None:
        """Block until the review being written is finished (closing the window waits for it).

        Sleeps in Python rather than in QThread.wait, which keeps the interpreter lock and so would never
        let the worker, itself Python, finish.
        """
        deadline = time.monotonic() + seconds
        while self._thread is not None and not self._thread.isFinished() and time.monotonic() < deadline:
            time.sleep(0.01)
