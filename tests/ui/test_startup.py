"""The window first: it paints before the database layer loads, and Home arrives from a worker thread."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt

import clerk_desk.storage.db as storage_db
from clerk_desk import app as app_module
from clerk_desk.storage.db import open_database
from clerk_desk.ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parent.parent.parent


def test_the_window_shows_before_the_database_layer_or_the_report_engine_is_imported() -> None:
    code = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from clerk_desk.app import MainWindow, apply_style\n"
        "apply_style(app)\n"
        "window = MainWindow(None)\n"
        "window.show()\n"
        "app.processEvents()\n"
        "heavy = sorted(m for m in ('sqlalchemy', 'reportlab', 'keyring', 'nacl') if m in sys.modules)\n"
        "print(','.join(heavy) or 'none')\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert result.stdout.strip().splitlines()[-1] == "none"


def test_home_arrives_from_the_worker_and_input_waits_for_it(qtbot, demo_url, clock, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(storage_db, "open_database", lambda url: open_database(url, clock))
    window = MainWindow(None)
    qtbot.addWidget(window)
    window.show()
    assert not window.ready
    assert not window.navigation.isEnabled()
    assert window.database_label.text() == "Opening the database…"
    window.log_incident()  # Ctrl+N before the register is there does nothing rather than fail

    opener = app_module.Opener(demo_url, "clerk-login")
    opener.opened.connect(window.attach, Qt.ConnectionType.QueuedConnection)
    opener.start()
    qtbot.waitUntil(lambda: window.ready, timeout=20_000)
    assert window.navigation.isEnabled()
    assert window.database_label.text().startswith("Database: ")
    assert "Little Ashcombe" in window.home.heading.text()
    assert window.home.table.model().rowCount() > 0
    window.context.database.dispose()


def test_a_database_that_cannot_be_opened_is_a_message_not_a_traceback(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    opener = app_module.Opener(f"sqlite:///{tmp_path}", None)  # a folder, not a database file
    messages: list[str] = []
    opener.failed.connect(messages.append, Qt.ConnectionType.QueuedConnection)
    opener.start()
    qtbot.waitUntil(lambda: bool(messages), timeout=20_000)
    assert "Traceback" not in messages[0]
    assert str(tmp_path) in messages[0] or "database" in messages[0].lower()
