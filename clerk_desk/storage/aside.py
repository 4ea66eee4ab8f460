"""The copy of a SQLite database made before migrating it (design.md, "Persistence")."""

from __future__ import annotations

import logging
import os
import sqlite3
from datetime import datetime
from pathlib import Path

from clerk_desk.errors import DatabaseError
from clerk_desk.storage import files

log = logging.getLogger(__name__)


def copy_aside(path: Path, revision: str, head: str, now: datetime) -> Path:
    """Copy the database aside, before migrating it from ``revision`` to ``head``, with SQLite's online
    backup, which includes the WAL's contents.

    The copy is written under a temporary name and given its backup name only once it is complete,
    on disk and checked (integrity, and the revision it was copied at): a copy cut short by a full disk
    or a killed process is never named as a backup.
    """
    stamp = now.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.before-{head}.from-{revision}.{stamp}{path.suffix}")
    partial = target.with_name(f".{target.name}.partial")
    try:
        partial.unlink(missing_ok=True)
        files.create_private(partial)  # the council's records: readable by the user only
        source = sqlite3.connect(str(path))
        try:
            dest = sqlite3.connect(str(partial))
            try:
                source.backup(dest)
                _check_copy(dest, revision)
            finally:
                dest.close()
        finally:
            source.close()
        with partial.open("rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, target)
    except (sqlite3.Error, OSError, DatabaseError) as exc:
        partial.unlink(missing_ok=True)
        partial.with_name(f"{partial.name}-journal").unlink(missing_ok=True)
        raise DatabaseError(
            f"Could not copy {path} aside before migrating it ({exc}); it was not changed."
        ) from exc
    log.info("copied %s to %s before migrating", path, target)
    return target


def _check_copy(copy: sqlite3.Connection, revision: str) -> None:
    """The copy is a whole, sound database at the revision it was copied from."""
    verdict = copy.execute("PRAGMA integrity_check").fetchone()
    if verdict is None or verdict[0] != "ok":
        raise DatabaseError(f"the copy failed its integrity check: {verdict[0] if verdict else 'no answer'}")
    copied = copy.execute("SELECT version_num FROM alembic_version").fetchone()
    if copied is None or copied[0] != revision:
        raise DatabaseError("the copy does not hold the database's revision")
