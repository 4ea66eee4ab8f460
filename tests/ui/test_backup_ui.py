"""Backups in the window: one made on closing, Home's "last good backup", and Settings' folder for
this PC; a folder that cannot be written is a warning on Home, never a crash at close."""

from __future__ import annotations

from pathlib import Path

from clerk_desk import imports
from clerk_desk.audit import chain as audit
from clerk_desk.checks import engine as checks
from clerk_desk.checks.findings import Finding
from clerk_desk.continuity import backup
from clerk_desk.register import settings as council_settings
from clerk_desk.storage import config
from clerk_desk.ui.main_window import MainWindow


def findings(home) -> list[Finding]:  # type: ignore[no-untyped-def]
    assert home.register is not None
    return checks.evaluate(home.register)


def test_closing_the_window_leaves_a_checked_backup(window: MainWindow, tmp_path: Path) -> None:
    folder = tmp_path / "OneDrive" / "Backups"
    config.set_backup_folder(folder)
    home = window.go_to_title("Home")
    home.reload()
    assert "Last good backup: none yet" in home.overview.text()
    assert any(f.rule == "backup-overdue" for f in findings(home))
    window.close()
    made = backup.backups_in(folder)
    assert len(made) == 1
    assert backup.check_copy(made[0].path) > 0
    # Opened and closed again the same day: still one.
    window.show()
    window.close()
    assert len(backup.backups_in(folder)) == 1
    window.show()
    window.go_to_title("Settings")
    home = window.go_to_title("Home")
    home.reload()
    # Made at 12:00 UTC on 21 November: GMT on the council's clock.
    assert made[0].made_at.hour == 12
    assert "Last good backup: 2026-11-21 12:00 GMT in " in home.overview.text()
    assert not any(f.rule == "backup-overdue" for f in findings(home))


def test_an_unplugged_backup_drive_is_a_warning_not_a_crash(window: MainWindow, tmp_path: Path) -> None:
    (tmp_path / "E-drive").write_text("not a folder", encoding="utf-8")
    config.set_backup_folder(tmp_path / "E-drive" / "Backups")
    home = window.go_to_title("Home")
    home.reload()
    assert "cannot be made" in home.overview.text()
    assert [f.subject for f in findings(home) if f.rule == "backup-overdue"] == ["Backups"]
    window.close()  # no exception, no backup
    assert not window.isVisible()


def test_settings_chooses_this_pcs_folder_and_backs_up_now(window: MainWindow, tmp_path: Path) -> None:
    page = window.go_to_title("Settings")
    panel = page.backups
    assert panel.folder.value() == str(config.default_backup_folder())
    panel.folder.set_value("relative/folder")
    assert not panel.save_folder()
    assert panel.folder.error.isVisible()
    panel.folder.set_value(str(tmp_path / "Backups"))
    assert panel.save_folder()
    assert config.backup_folder() == (tmp_path / "Backups").resolve()
    assert panel.back_up_now()
    assert "Backed up to" in panel.state.text()
    assert len(backup.backups_in(tmp_path / "Backups")) == 1


def test_settings_restores_a_backup_into_the_open_window(window: MainWindow, tmp_path: Path) -> None:

    def export(kind: str) -> str:
        return window.context.read(lambda s: imports.export_rows(s, kind))

    page = window.go_to_title("Settings")
    panel = page.backups
    config.set_backup_folder(tmp_path / "Backups")
    assert panel.back_up_now()
    made = backup.backups_in(tmp_path / "Backups")[0].path
    before = {kind: export(kind) for kind in imports.KINDS}
    with window.context.write() as session:
        council_settings.update(session, {"council_name": "Changed Town Council"})
    assert export("people") == before["people"]
    bad = tmp_path / "bad.db"
    bad.write_text("not a database", encoding="utf-8")
    assert not panel.restore_from(bad)
    assert "not a SQLite database" in panel.state.text()
    assert window.context.read(lambda s: council_settings.load(s).council_name) == "Changed Town Council"
    assert panel.restore_from(made)
    assert "Restored Little Ashcombe Town Council" in panel.state.text()
    assert {kind: export(kind) for kind in imports.KINDS} == before
    assert (
        window.context.read(lambda s: council_settings.load(s).council_name) == "Little Ashcombe Town Council"
    )
    assert window.context.read(audit.verify).ok
    assert page.fields["council_name"].value() == "Little Ashcombe Town Council"
