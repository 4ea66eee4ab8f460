"""``clerk-desk --smoke-test``: open the window, show every page, and quit once each one has painted.

For checking a build (packaging/smoke_test.py), not for clerks: it proves that the app found its Qt
platform plugin, the image plugin for JPEG logos, its style sheet and icon, and that every page can be
built and drawn. It prints one line per check and exits 1 when any failed.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QImageReader
from PySide6.QtWidgets import QApplication

from clerk_desk.ui.main_window import MainWindow

#: How long the whole check may take before it gives up (a page that never paints, a hung keyring).
TIME_LIMIT_MS = 60_000
#: How long one page may take to paint after it is shown.
PAGE_PAINT_SECONDS = 10.0
#: How long the window's first look at the keyring may take (the keyring's own time limit is 10 s).
KEYRING_SECONDS = 15.0


class _PaintCounter(QObject):
    """Counts the paint events of the widgets it watches."""

    def __init__(self) -> None:
        super().__init__()
        self.painted: set[int] = set()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.painted.add(id(watched))
        return False


class SmokeTest:
    """The checks, run in the window's event loop; ``done`` gets the exit status (default: exit the app)."""

    def __init__(
        self, app: QApplication, window: MainWindow, done: Callable[[int], None] | None = None
    ) -> None:
        self.app = app
        self.window = window
        self.done = done or app.exit
        self.status: int | None = None
        self.failures: list[str] = []
        self.counter = _PaintCounter()

    def report(self, name: str, ok: bool, detail: str) -> None:
        print(f"{'ok' if ok else 'FAILED':<7} {name}: {detail}", flush=True)
        if not ok:
            self.failures.append(name)

    def start(self) -> None:
        """Run the checks in the event loop that is (or is about to be) running; it exits with the status."""
        QTimer.singleShot(0, self.check)
        # Stopped when the checks end, so that it cannot fire in a later event loop.
        self.limit = QTimer()
        self.limit.setSingleShot(True)
        self.limit.timeout.connect(self.give_up)
        self.limit.start(TIME_LIMIT_MS)

    def give_up(self) -> None:
        if hasattr(self, "poll"):
            self.poll.stop()
        self.report("time limit", False, f"the window did not finish within {TIME_LIMIT_MS // 1000} s")
        self._finish()

    def check(self) -> None:
        app, window = self.app, self.window
        self.report("platform", bool(app.platformName()), app.platformName() or "none")
        self.report("style sheet", bool(app.styleSheet().strip()), f"{len(app.styleSheet())} characters")
        self.report("window icon", not window.windowIcon().isNull(), "loaded from resources")
        formats = {bytes(name.data()).decode() for name in QImageReader.supportedImageFormats()}
        self.report("image formats", {"png", "jpeg"} <= formats, ", ".join(sorted(formats)))
        for row, title in enumerate(window.page_titles()):
            page = window.page(row)
            page.installEventFilter(self.counter)
            window.go_to(row)
            painted = self._wait_for_paint(page)
            self.report(f"page {title}", painted, "painted" if painted else "never painted")
        settings = window.settings
        logo = settings.logo_name.text()
        if logo != "No logo chosen":
            pixmap = settings.logo_preview.pixmap()
            self.report("council logo", not pixmap.isNull(), f"{logo} shown on the Settings page")
        image = window.grab().toImage()
        self.report("window", not image.isNull(), f"{image.width()}×{image.height()} pixels")
        # The window looks at the keyring once it is up, and keeps painting while it waits for the
        # answer, so these checks may be running inside that wait: return, and poll for the answer.
        self.keyring_deadline = time.monotonic() + KEYRING_SECONDS
        self.poll = QTimer(window)
        self.poll.timeout.connect(self.finish_when_the_keyring_answered)
        self.poll.start(50)

    def finish_when_the_keyring_answered(self) -> None:
        label = self.window.vault_label.text()
        if label.endswith("checking…") and time.monotonic() < self.keyring_deadline:
            return
        self.poll.stop()
        print(f"({label})", flush=True)
        self._finish()

    def _finish(self) -> None:
        self.limit.stop()
        self.window.close()
        self.status = 1 if self.failures else 0
        self.done(self.status)

    def _wait_for_paint(self, page: QObject) -> bool:
        deadline = time.monotonic() + PAGE_PAINT_SECONDS
        while id(page) not in self.counter.painted and time.monotonic() < deadline:
            self.app.processEvents()
            time.sleep(0.01)
        return id(page) in self.counter.painted
