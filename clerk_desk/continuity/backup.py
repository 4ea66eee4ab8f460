"""Automatic backups of a SQLite council: checked copies in a folder, 7 daily, 5 weekly, 12 monthly.

Each copy is made with SQLite's online backup API (so the window may stay open), written under a
temporary name, checked with ``PRAGMA integrity_check`` and the audit trail's verification, and only
then given its final name. A file in the folder with a final name is therefore a good backup, and the
newest one is "the last good backup" Home shows.
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from clerk_desk.audit import chain as audit
from clerk_desk.audit import checkpoints
from clerk_desk.errors import ClerkDeskError
from clerk_desk.storage import config, files
from clerk_desk.storage.db import Database, sqlite_file

log = logging.getLogger(__name__)

PREFIX = "clerk-desk-"
SUFFIX = ".db"
_NAME = re.compile(r"^clerk-desk-(\d{8}-\d{6})\.db$")
_STAMP = "%Y%m%d-%H%M%S"
KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 7, 5, 12
#: A backup older than this is overdue (finding ``backup-overdue``).
OVERDUE_AFTER = timedelta(days=7)


class BackupError(ClerkDeskError):
    """A backup could not be made or checked; the folder holds no new file."""


@dataclass(frozen=True)
class Backup:
    """One good backup in the folder."""

    path: Path
    made_at: datetime


@dataclass(frozen=True)
class BackupStatus:
    """What Home and ``check`` know of this PC's backups."""

    folder: Path
    last: Backup | None
    #: Why the folder cannot be used (missing drive, no permission), else None.
    problem: str | None = None


def backups_in(folder: Path) -> list[Backup]:
    """The good backups in the folder, newest first (a file still being checked has another name)."""
    found = []
    try:
        names = [p.name for p in folder.iterdir()]
    except OSError:
        return []
    for name in names:
        match = _NAME.match(name)
        if match:
            made = datetime.strptime(match.group(1), _STAMP).replace(tzinfo=UTC)
            found.append(Backup(folder / name, made))
    return sorted(found, key=lambda b: b.made_at, reverse=True)


def status(folder: Path) -> BackupStatus:
    """The last good backup, and whether the folder can be written to at all."""
    problem = _folder_problem(folder)
    found = backups_in(folder)
    return BackupStatus(folder, found[0] if found else None, problem)


def status_for(database_url: str) -> BackupStatus | None:
    """This PC's backups of the database, or None when it is not a SQLite file (nothing to back up here)."""
    if sqlite_file(database_url) is None:
        return None
    return status(config.backup_folder())


def _folder_problem(folder: Path) -> str | None:
    if folder.exists() and not folder.is_dir():
        return f"The backups folder {folder} is a file, not a folder."
    if not folder.exists():
        parent = next((p for p in folder.parents if p.exists()), None)
        if parent is None or not parent.is_dir() or not os.access(parent, os.W_OK):
            return f"The backups folder {folder} does not exist and cannot be made (is the drive connected?)."
        return None
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"The backups folder {folder} cannot be written to."
    return None


def is_due(folder: Path, now: datetime) -> bool:
    """At most one automatic backup a day: due when none was made since midnight (UTC)."""
    found = backups_in(folder)
    return not found or found[0].made_at.date() < now.astimezone(UTC).date()


def make(database: Database, folder: Path, now: datetime, *, checkpoint_as: str | None = None) -> Backup:
    """Copy the open database into ``folder``, check the copy, give it its final name and prune.

    With ``checkpoint_as`` the audit trail is checkpointed first, as that person, so the backup holds
    the checkpoint and a later truncation of the trail is caught against it (the window's close makes
    its own checkpoint just before)."""
    source = sqlite_file(database.url)
    if source is None:
        raise BackupError(
            "Backups are made of a SQLite database. A PostgreSQL council is backed up with the server's "
            "own pg_dump, or with 'clerk-desk archive'."
        )
    problem = _folder_problem(folder)
    if problem:
        raise BackupError(problem)
    try:
        files.make_private_dir(folder)  # a new folder only the user may open; an existing one as it is
    except OSError as exc:
        raise BackupError(f"The backups folder {folder} cannot be made: {exc.strerror}.") from exc
    if checkpoint_as is not None:
        checkpoints.record(database, checkpoint_as, "backup")
    stamp = now.astimezone(UTC).strftime(_STAMP)
    final = folder / f"{PREFIX}{stamp}{SUFFIX}"
    temporary = folder / f".{PREFIX}{stamp}.partial"
    try:
        # Created readable by the user only before a byte is copied: the council's records are inside.
        files.create_private(temporary)
        copy_sqlite(source, temporary)
        check_copy(temporary)
        os.replace(temporary, final)
    except (OSError, sqlite3.Error) as exc:
        raise BackupError(f"The backup to {folder} failed: {exc}. No backup was written.") from exc
    finally:
        temporary.unlink(missing_ok=True)
    log.info("backed up %s to %s", source, final)
    prune(folder)
    return Backup(final, now.astimezone(UTC).replace(microsecond=0))


def copy_sqlite(source: Path, target: Path) -> None:
    """SQLite's online backup API: a consistent copy, WAL contents included, while others read and write."""
    src = sqlite3.connect(str(source))
    try:
        dest = sqlite3.connect(str(target))
        try:
            src.backup(dest)
            # A self-contained file: no -wal beside it, whatever mode the source was in.
            dest.execute("PRAGMA journal_mode=DELETE")
        finally:
            dest.close()
    finally:
        src.close()


def check_copy(path: Path) -> int:
    """``PRAGMA integrity_check`` and the audit trail's chain; returns the number of audit entries."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        result = conn.execute("PRAGMA integrity_check").fetchall()
    finally:
        conn.close()
    if result != [("ok",)]:
        raise BackupError(f"{path.name} failed SQLite's integrity check: {result[0][0]}")
    engine = create_engine(f"sqlite:///{path}")
    try:
        with Session(engine) as session:
            verified = audit.verify(session)
    finally:
        engine.dispose()
    if not verified.ok:
        raise BackupError(f"The audit trail in {path.name} does not verify: {verified.problems[0]}")
    return verified.entries


def prune(folder: Path) -> list[Path]:
    """Keep the newest backup of each of the last 7 days, 5 weeks and 12 months; delete the rest."""
    found = backups_in(folder)
    keep = set(_newest_per(found, lambda b: b.made_at.date().isoformat(), KEEP_DAILY))
    keep |= set(_newest_per(found, lambda b: "{}-{:02d}".format(*b.made_at.isocalendar()[:2]), KEEP_WEEKLY))
    keep |= set(_newest_per(found, lambda b: b.made_at.strftime("%Y-%m"), KEEP_MONTHLY))
    removed = []
    for backup in found:
        if backup.path not in keep:
            try:
                backup.path.unlink()
                removed.append(backup.path)
            except OSError as exc:
                log.warning("could not delete the old backup %s: %s", backup.path, exc)
    return removed


def _newest_per(found: Iterable[Backup], bucket: Callable[[Backup], str], limit: int) -> list[Path]:
    """The newest backup in each of the ``limit`` most recent buckets (``found`` is newest first)."""
    seen: dict[str, Path] = {}
    for backup in found:
        key = bucket(backup)
        if key not in seen:
            if len(seen) == limit:
                break
            seen[key] = backup.path
    return list(seen.values())


def at_close(database: Database, folder: Path, now: datetime) -> Backup | None:
    """The backup made on closing the window: at most once a day, and never an error at close."""
    if sqlite_file(database.url) is None:
        return None
    try:
        if not is_due(folder, now):
            return None
        return make(database, folder, now)
    except Exception:  # closing must never fail; Home shows the backup as overdue instead
        log.warning("the backup at close was not made", exc_info=True)
        return None
