"""This installation of Clerk Desk: its version, and what the About box tells the clerk."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from clerk_desk.storage import config
from clerk_desk.storage.app_version import version


@dataclass(frozen=True)
class About:
    """What the About box shows, as plain text."""

    version: str
    database: str
    copies: str
    backups: str
    data_folder: str


def describe(database_url: str) -> About:
    """The About box's facts for the open database."""
    from sqlalchemy import make_url

    url = make_url(database_url)
    shown = url.render_as_string(hide_password=True)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        path = Path(url.database).resolve()
        database = str(path)
        backups = (
            f"{config.backup_folder()}: a checked copy when Clerk Desk closes, at most once a day "
            "(Settings chooses the folder)."
        )
        copies = (
            f"Before Clerk Desk upgrades the database's layout, it copies the file aside into {path.parent} "
            f"({path.stem}.before-….db)."
        )
    elif url.get_backend_name() == "sqlite":
        database = shown
        copies = "This database is held in memory only and is lost when Clerk Desk closes."
        backups = "None: there is no file to back up."
    else:
        database = shown
        copies = (
            "Clerk Desk does not copy a PostgreSQL database before an upgrade: the upgrade runs in one "
            "transaction, and the server's own backups keep the data."
        )
        backups = "Clerk Desk backs up SQLite files only; the PostgreSQL server's own backups keep this one."
    return About(
        version=version() or "unknown",
        database=database,
        copies=copies,
        backups=backups,
        data_folder=str(config.data_dir()),
    )
