"""Backups (checked copies, at most one a day at close, 7 daily / 5 weekly / 12 monthly) and restore
(refusing damaged, foreign and newer files; the current database set aside first)."""

from __future__ import annotations

import os
import sqlite3
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import factories
import pytest

from clerk_desk import imports
from clerk_desk.audit import chain as audit
from clerk_desk.continuity import backup, restore
from clerk_desk.models import Role
from clerk_desk.storage.clock import FixedClock
from clerk_desk.storage.db import Database, open_database, sqlite_file

CLERK = "Zoë Hartley"

NOW = datetime(2026, 11, 21, 17, 30, tzinfo=UTC)


def exports(db: Database) -> dict[str, str]:
    with db.read() as session:
        return {kind: imports.export_rows(session, kind) for kind in imports.KINDS}


def test_a_backup_is_checked_then_named(sqlite_council: Database, tmp_path: Path) -> None:
    folder = tmp_path / "OneDrive" / "Backups"
    made = backup.make(sqlite_council, folder, NOW)
    assert made.path == folder / "clerk-desk-20261121-173000.db"
    assert [p.name for p in folder.iterdir()] == [made.path.name]  # no temporary file left
    conn = sqlite3.connect(made.path)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    conn.close()
    assert backup.check_copy(made.path) > 0
    assert backup.status(folder).last == backup.Backup(made.path, NOW)
    if os.name == "posix":  # the council's records: readable by the user only, in folders only they open
        assert stat.S_IMODE(made.path.stat().st_mode) == 0o600
        assert (
            stat.S_IMODE(folder.stat().st_mode)
            == stat.S_IMODE((tmp_path / "OneDrive").stat().st_mode)
            == 0o700
        )


def test_a_copy_that_fails_its_checks_is_not_named(sqlite_council: Database, tmp_path: Path) -> None:
    folder = tmp_path / "b"
    with sqlite_council.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE audit_entries SET actor = 'Mallory' WHERE seq = 3")
    with pytest.raises(backup.BackupError, match="audit trail"):
        backup.make(sqlite_council, folder, NOW)
    assert list(folder.iterdir()) == []


def test_at_close_at_most_one_backup_a_day_and_never_an_error(
    sqlite_council: Database, tmp_path: Path
) -> None:
    folder = tmp_path / "b"
    assert backup.at_close(sqlite_council, folder, NOW) is not None
    assert backup.at_close(sqlite_council, folder, NOW + timedelta(hours=3)) is None
    assert backup.at_close(sqlite_council, folder, NOW + timedelta(days=1)) is not None
    assert len(backup.backups_in(folder)) == 2
    # An unplugged drive (a path that cannot be made, even by root): no backup, no exception, a reason.
    (tmp_path / "drive").write_text("not a folder", encoding="utf-8")
    gone = tmp_path / "drive" / "Backups"
    assert backup.at_close(sqlite_council, gone, NOW + timedelta(days=2)) is None
    assert "cannot be made" in (backup.status(gone).problem or "")


def test_a_file_in_place_of_the_folder_is_a_problem_never_a_crash(
    sqlite_council: Database, tmp_path: Path
) -> None:
    folder = tmp_path / "not-a-folder"
    folder.write_text("x", encoding="utf-8")
    assert backup.at_close(sqlite_council, folder, NOW) is None
    assert "is a file" in (backup.status(folder).problem or "")
    with pytest.raises(backup.BackupError, match="is a file"):
        backup.make(sqlite_council, folder, NOW)


def test_retention_keeps_7_daily_5_weekly_12_monthly(tmp_path: Path) -> None:
    folder = tmp_path / "b"
    folder.mkdir()
    start = datetime(2025, 1, 1, 18, 0, tzinfo=UTC)
    for day in range(700):
        for hour in (0, 3):  # two a day: only the newest of each day may survive
            made = start + timedelta(days=day, hours=hour)
            (folder / f"clerk-desk-{made:%Y%m%d-%H%M%S}.db").write_bytes(b"x")
    (folder / "my notes.txt").write_text("not ours", encoding="utf-8")
    backup.prune(folder)
    kept = [b.made_at for b in backup.backups_in(folder)]
    newest = start + timedelta(days=699, hours=3)
    assert kept[0] == newest
    days = {k.date() for k in kept}
    # the last 7 days, each once
    assert all((newest - timedelta(days=d)).date() in days for d in range(7))
    assert len(kept) == len(set(days))
    weeks = {k.isocalendar()[:2] for k in kept}
    months = {(k.year, k.month) for k in kept}
    assert len(months) == 12
    assert len(weeks) >= 5
    assert len(kept) <= 7 + 5 + 12
    assert (folder / "my notes.txt").exists()


def test_a_restore_brings_back_every_export_and_a_verified_trail(
    sqlite_council: Database, tmp_path: Path, clock: FixedClock
) -> None:
    before = exports(sqlite_council)
    made = backup.make(sqlite_council, tmp_path / "b", NOW)
    with sqlite_council.transaction(CLERK) as session:
        factories.person(session, "Rhiannon Evans", Role.EMPLOYEE)
    assert exports(sqlite_council) != before
    current = sqlite_file(sqlite_council.url)
    assert current is not None
    sqlite_council.dispose()
    restored = restore.restore(current, made.path, NOW + timedelta(hours=1))
    assert restored.people == 8 and restored.accounts == 8
    assert "Little Ashcombe Town Council" in restored.summary()
    assert restored.set_aside is not None and restored.set_aside.exists()
    again = open_database(sqlite_council.url, clock)
    try:
        assert exports(again) == before
        with again.read() as session:
            assert audit.verify(session).ok
    finally:
        again.dispose()
    aside = open_database(f"sqlite:///{restored.set_aside}", clock)
    try:
        assert "Rhiannon Evans" in exports(aside)["people"]
    finally:
        aside.dispose()


def test_an_older_backup_is_migrated_when_restored(tmp_path: Path, clock: FixedClock) -> None:
    current = tmp_path / "clerk_desk.db"
    old = Path(__file__).parents[1] / "data" / "schema_0005.db"
    restored = restore.restore(current, old, NOW)
    assert restored.people == 8
    database = open_database(f"sqlite:///{current}", clock)
    database.dispose()
    assert database.backup_path is None  # already at the current schema


def _refused(current: Path, file: Path, reason: str) -> None:
    before = current.read_bytes()
    with pytest.raises(restore.RestoreRefused, match=reason):
        restore.restore(current, file, NOW)
    assert current.read_bytes() == before
    assert not list(current.parent.glob("*.before-restore.*"))


def test_truncated_foreign_and_newer_files_are_refused_untouched(
    sqlite_council: Database, tmp_path: Path
) -> None:
    made = backup.make(sqlite_council, tmp_path / "b", NOW)
    current = sqlite_file(sqlite_council.url)
    assert current is not None
    sqlite_council.dispose()
    truncated = tmp_path / "truncated.db"
    truncated.write_bytes(made.path.read_bytes()[:20000])
    _refused(current, truncated, "damaged|truncated")
    text_file = tmp_path / "notes.db"
    text_file.write_text("hello", encoding="utf-8")
    _refused(current, text_file, "not a SQLite database")
    foreign = tmp_path / "foreign.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY)")
    conn.commit()
    conn.close()
    _refused(current, foreign, "not a Clerk Desk")
    newer = tmp_path / "newer.db"
    newer.write_bytes(made.path.read_bytes())
    conn = sqlite3.connect(newer)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    _refused(current, newer, "newer version")
    _refused(current, tmp_path / "missing.db", "does not exist")
