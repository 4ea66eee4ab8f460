"""What every command module shares: the database for one command, and who is acting in it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from clerk_desk.storage.db import Database


@contextmanager
def opened(url: str) -> Iterator[Database]:
    """The database for one command, closed afterwards (main() may be called many times in one process)."""
    from clerk_desk.storage.db import open_database

    database = open_database(url)
    try:
        yield database
    finally:
        database.dispose()


def acting_name(database: Database, given: str | None) -> str:
    """The name the audit trail records for this command."""
    from clerk_desk.register.authority import resolve_actor as resolve

    with database.read() as session:
        return resolve(session, database.url, given).name


def count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
