"""Open every page and dialog at 200% and report what does not fit (run by test_scaling.py).

usage: python scaled_window.py OUT.json   (QT_SCALE_FACTOR or QT_FONT_DPI set by the caller; the screen
is 1920x1080 through the offscreen platform's config file, also set by the caller)
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialog, QScrollArea, QWidget

sys.path.insert(0, str(Path(__file__).parent))

from dialog_catalogue import dialogs

from clerk_desk import demo
from clerk_desk.app import create_main_window
from clerk_desk.register import authority
from clerk_desk.storage.db import open_database


def _clipped_buttons(root: QWidget) -> list[str]:
    """Visible buttons narrower than their text needs."""
    return [
        f"button {b.text()!r} is {b.width()} px wide, needs {b.sizeHint().width()}"
        for b in root.findChildren(QAbstractButton)
        if b.isVisible() and b.text() and b.width() < b.sizeHint().width()
    ]


def _outside(inner: QRect, outer: QRect) -> bool:
    return not outer.contains(inner)


def check_dialog(dialog: QDialog, available: QRect) -> list[str]:
    problems = []
    frame = dialog.frameGeometry()
    if _outside(frame, available):
        problems.append(f"{frame.width()}x{frame.height()} at {frame.x()},{frame.y()} is off the screen")
    scroll = dialog.findChild(QScrollArea)
    for b in dialog.findChildren(QAbstractButton):
        if not b.isVisible() or not b.text() or (scroll is not None and scroll.isAncestorOf(b)):
            continue
        where = QRect(b.mapTo(dialog, b.rect().topLeft()), b.size())
        if _outside(where, dialog.rect()):
            problems.append(f"button {b.text()!r} is outside the dialog")
    if scroll is not None and scroll.widget() is not None:
        body, view = scroll.widget().sizeHint().height(), scroll.viewport().height()
        if body > view + 2 and not scroll.verticalScrollBar().isVisible():
            problems.append(f"the form is {body} px tall in {view} px and does not scroll")
    return problems + _clipped_buttons(dialog)


def main(out: Path) -> int:
    app = QApplication([])
    folder = Path(tempfile.mkdtemp(prefix="clerk-desk-scaled-"))
    url = f"sqlite:///{folder / 'demo.db'}"
    database = open_database(url)
    with database.transaction("Test setup") as session:
        demo.fill(session, database.clock.today(), "clerk-login")
    database.dispose()
    authority.os_login = lambda: "clerk-login"  # type: ignore[assignment]  # the clerk, as the window fixture
    window = create_main_window(url)
    window.show()
    app.processEvents()
    available = window.screen().availableGeometry()
    report: dict[str, list[str]] = {}
    if _outside(window.frameGeometry(), available):
        report["Main window"] = [f"{window.width()}x{window.height()} is larger than the screen {available}"]
    navigation = window.navigation
    metrics = navigation.fontMetrics()
    for title in window.page_titles():
        page = window.go_to_title(title)
        app.processEvents()
        problems = _clipped_buttons(page)
        if metrics.horizontalAdvance(title) + 28 > navigation.viewport().width():
            problems.append(f"navigation clips {title!r}")
        if problems:
            report[f"Page {title}"] = problems
    for name, build in dialogs(window).items():
        dialog = build()
        dialog.show()
        app.processEvents()
        problems = check_dialog(dialog, available)
        if problems:
            report[name] = problems
        dialog.reject()
        dialog.deleteLater()
    out.write_text(
        json.dumps(
            {
                "screen": [available.width(), available.height()],
                "dialogs": len(dialogs(window)),
                "problems": report,
            }
        ),
        encoding="utf-8",
    )
    window.context.database.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
