"""File > Import CSV…: the import runs on a worker thread with a progress bar, the window keeps painting,
and the page on show reloads with the new records; a bad row saves nothing."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog
from services.helpers import row_counts

from clerk_desk.storage.db import Database
from clerk_desk.ui import import_csv, plain
from clerk_desk.ui.import_csv import ImportProgress
from clerk_desk.ui.main_window import MainWindow


def incidents_csv(count: int, bad_row: int | None = None) -> str:
    lines = ["reference,category,title,description"]
    for i in range(1, count + 1):
        category = "spam" if bad_row is not None and i + 1 == bad_row else "other"
        lines.append(f"INC-2020-{i:05d},{category},Spam {i},Comments removed")
    return "\n".join(lines) + "\n"


def test_an_import_shows_its_progress_and_the_table_reloads(
    window: MainWindow,
    qtbot,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    told: list[str] = []
    monkeypatch.setattr(plain, "information", lambda parent, title, text, *a: told.append(text))
    page = window.go_to_title("Incidents")
    before = page.model.rowCount()
    job = import_csv.start(window, window.context, "incidents", incidents_csv(1200), "incidents.csv")
    dialog: ImportProgress = job.dialog  # type: ignore[attr-defined]
    values: list[tuple[int, int]] = []
    job.progressed.connect(lambda done, total: values.append((dialog.value(), dialog.maximum())))
    assert dialog.isVisible()
    # The window's thread is free while the rows are applied: it handles events until the end.
    qtbot.waitUntil(lambda: bool(told), timeout=120_000)
    assert values[-1] == (1200, 1200)
    assert [done for done, _ in values] == sorted(done for done, _ in values)
    assert told == ["Imported incidents.csv: 1200 added, 0 updated."]
    assert not [shown for shown in window.findChildren(ImportProgress) if shown.isVisible()]
    assert page.model.rowCount() == before + 1200
    assert window.statusBar().currentMessage() == told[0]


def test_a_bad_row_imports_nothing_and_says_which_row(
    window: MainWindow,
    database: Database,
    qtbot,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    warned: list[str] = []
    monkeypatch.setattr(plain, "warning", lambda parent, title, text, *a: warned.append(text))
    page = window.go_to_title("Incidents")
    before, counts = page.model.rowCount(), row_counts(database)
    import_csv.start(window, window.context, "incidents", incidents_csv(900, bad_row=702), "bad.csv")
    qtbot.waitUntil(lambda: bool(warned), timeout=120_000)
    assert warned[0].startswith("Nothing was imported. row 702, column category: 'spam' is not one of ")
    assert row_counts(database) == counts
    assert page.model.rowCount() == before


def test_the_file_menu_asks_for_the_kind_and_the_file(
    window: MainWindow,
    qtbot,
    monkeypatch,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    path = tmp_path / "incidents.csv"
    path.write_text(incidents_csv(3), encoding="utf-8")
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a: ("incidents", True))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a: (str(path), ""))
    told: list[str] = []
    monkeypatch.setattr(plain, "information", lambda parent, title, text, *a: told.append(text))
    assert window.import_action.isEnabled() and window.import_action.text() == "&Import CSV…"
    window.go_to_title("People")
    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)  # from anywhere in the window
    qtbot.waitUntil(lambda: bool(told), timeout=60_000)
    assert told == ["Imported incidents.csv: 3 added, 0 updated."]


def test_the_window_offers_every_kind_the_command_line_imports() -> None:
    from clerk_desk import imports
    from clerk_desk.ui import import_csv

    assert set(import_csv.KINDS) == set(imports.KINDS)
