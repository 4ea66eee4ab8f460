"""Help > About Clerk Desk: version, database, where copies go before an upgrade; plain text only."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import make_url

from clerk_desk import about
from clerk_desk.storage import config
from clerk_desk.ui.about_dialog import AboutDialog
from clerk_desk.ui.main_window import MainWindow


def test_the_help_menu_opens_the_about_box(window: MainWindow, demo_url: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    shown: list[AboutDialog] = []
    monkeypatch.setattr(AboutDialog, "exec", lambda dialog: shown.append(dialog) or 0)
    menus = [action.text() for action in window.menuBar().actions()]
    assert menus == ["File", "&Help"]
    window.about_action.trigger()
    (dialog,) = shown
    database = Path(make_url(demo_url).database or "")
    assert dialog.version.text() == metadata.version("clerk-desk")
    assert dialog.database.text() == str(database.resolve())
    assert str(database.resolve().parent) in dialog.copies.text()
    assert dialog.data_folder.text() == str(config.data_dir())
    assert dialog.backups.text().startswith(f"{config.backup_folder()}: ")
    for label in (dialog.version, dialog.database, dialog.copies, dialog.backups, dialog.data_folder):
        assert label.textFormat() == Qt.TextFormat.PlainText
        assert label.accessibleName()


def test_a_path_that_looks_like_markup_is_shown_as_it_is(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    odd = tmp_path / "<b>council</b>.db"
    dialog = AboutDialog(f"sqlite:///{odd}")
    qtbot.addWidget(dialog)
    assert dialog.database.text() == str(odd)
    assert dialog.database.textFormat() == Qt.TextFormat.PlainText


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql+psycopg://clerk:hunter2@db.example/council", "does not copy a PostgreSQL database"),
        ("sqlite://", "held in memory only"),
    ],
)
def test_what_is_said_about_copies_for_other_databases(url: str, expected: str) -> None:
    facts = about.describe(url)
    assert expected in facts.copies
    assert str(config.backup_folder()) not in facts.backups
    assert "hunter2" not in facts.database
