"""Restore a SQLite council from a backup file.

The file is checked on a private copy first (a Clerk Desk database, not newer than this app, whole,
its audit trail verifying; migrated if it is older). Only then is the current database copied aside and
replaced. A refused file leaves the current database exactly as it was.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from clerk_desk import council_time
from clerk_desk.audit import chain as audit
from clerk_desk.continuity.backup import copy_sqlite
from clerk_desk.errors import ClerkDeskError, DatabaseError
from clerk_desk.models import Account, AuditEntry, Incident, Person
from clerk_desk.register import settings as council_settings
from clerk_desk.storage.clock import FixedClock
from clerk_desk.storage.db import Database, check_sqlite_file, open_database, sqlite_file


class RestoreRefused(ClerkDeskError):
    """The file cannot be restored; the current database was not changed."""


@dataclass(frozen=True)
class Restored:
    """What was restored, for the clerk to read."""

    council: str
    file_written: datetime
    last_change: datetime | None
    people: int
    accounts: int
    incidents: int
    audit_entries: int
    set_aside: Path | None
    #: The restored council's time zone: the summary tells its last change on the council's clock.
    zone: ZoneInfo

    def summary(self) -> str:
        when = council_time.show_named(self.last_change, self.zone) or "no changes recorded"
        return (
            f"Restored {self.council} (last change {when}): {self.people} people, "
            f"{self.accounts} accounts, {self.incidents} incidents, {self.audit_entries} audit entries; "
            "the audit trail verifies."
        )


def restore(current: Path, file: Path, now: datetime) -> Restored:
    """Replace the SQLite database at ``current`` (which must not be open) with the backup ``file``."""
    file = file.expanduser()
    _check_file(file)
    staging = current.with_name(f".{current.name}.restoring")
    _remove_with_sidecars(staging)
    try:
        copy_sqlite(file, staging)
        info = _inspect(staging, file, now)
        _flush_wal(staging)
        set_aside = _set_aside(current, now)
        _remove_sidecars(current)
        os.replace(staging, current)
    except (OSError, sqlite3.Error) as exc:
        raise RestoreRefused(
            f"{file} could not be restored ({exc}); the current database was not changed."
        ) from exc
    finally:
        _remove_with_sidecars(staging)
    return Restored(**{**info.__dict__, "set_aside": set_aside})


def _check_file(file: Path) -> None:
    if not file.is_file():
        raise RestoreRefused(f"{file} does not exist.")
    with file.open("rb") as handle:
        header = handle.read(16)
    if header != b"SQLite format 3\x00":
        raise RestoreRefused(f"{file} is not a Clerk Desk backup (it is not a SQLite database).")
    try:
        check_sqlite_file(file)
        conn = sqlite3.connect(f"{file.resolve().as_uri()}?immutable=1", uri=True)
        try:
            result = conn.execute("PRAGMA integrity_check").fetchall()
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            conn.close()
    except DatabaseError as exc:
        raise RestoreRefused(f"Not restored: {exc}") from exc
    except sqlite3.DatabaseError as exc:
        raise RestoreRefused(f"{file} is damaged or truncated ({exc}); it was not restored.") from exc
    if result != [("ok",)]:
        raise RestoreRefused(f"{file} is damaged or truncated ({result[0][0]}); it was not restored.")
    if "alembic_version" not in tables:
        raise RestoreRefused(f"{file} is not a Clerk Desk backup (it has no Clerk Desk schema).")


def _inspect(staging: Path, original: Path, now: datetime) -> Restored:
    """Open (and so migrate) the private copy; verify its trail and count what it holds."""
    try:
        database = open_database(f"sqlite:///{staging}", FixedClock(now))
    except DatabaseError as exc:
        raise RestoreRefused(f"Not restored: {exc}") from exc
    try:
        with database.read() as session:
            verified = audit.verify(session)
            if not verified.ok:
                raise RestoreRefused(
                    f"The audit trail in {original} does not verify ({verified.problems[0]}); not restored."
                )

            def count(model: type) -> int:
                return int(session.execute(select(func.count()).select_from(model)).scalar_one())

            settings = council_settings.load(session)
            return Restored(
                council=settings.council_name or "the council",
                file_written=datetime.fromtimestamp(original.stat().st_mtime, UTC),
                last_change=session.execute(select(func.max(AuditEntry.at))).scalar_one(),
                people=count(Person),
                accounts=count(Account),
                incidents=count(Incident),
                audit_entries=verified.entries,
                set_aside=None,
                zone=settings.time_zone,
            )
    finally:
        database.dispose()


def _flush_wal(path: Path) -> None:
    conn = sqlite3.connect(str(path))
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode=DELETE")
    finally:
        conn.close()


def _set_aside(current: Path, now: datetime) -> Path | None:
    if not current.exists() or current.stat().st_size == 0:
        return None
    target = current.with_name(
        f"{current.stem}.before-restore.{now.astimezone(UTC):%Y%m%d-%H%M%S}{current.suffix}"
    )
    copy_sqlite(current, target)
    return target


def _remove_sidecars(path: Path) -> None:
    for suffix in ("-wal", "-shm", "-journal"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def _remove_with_sidecars(path: Path) -> None:
    path.unlink(missing_ok=True)
    _remove_sidecars(path)


def restore_open(database: Database, file: Path) -> Restored:
    """Restore into the database the window has open: its connections are closed first, and its next
    session reads the restored file (already checked, and migrated if it was older)."""
    current = sqlite_file(database.url)
    if current is None:
        raise RestoreRefused("Restore replaces a SQLite database; a PostgreSQL council uses pg_restore.")
    database.dispose()  # the engine opens new connections, to whichever file is then in place
    return restore(current, file, database.clock.now())
