"""Copy a whole council into an empty database on any backend, in one transaction.

This is how a council moves from SQLite to PostgreSQL (or keeps an offline SQLite copy of a PostgreSQL
council). Every row of every table is copied as it is, ids and audit hashes included, so the audit
trail verifies on the copy and every CSV export is the same on both sides; both are checked before the
copy is committed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table, func, select, text
from sqlalchemy.orm import Session

from clerk_desk import imports
from clerk_desk.audit import chain as audit
from clerk_desk.errors import ClerkDeskError
from clerk_desk.models import Base
from clerk_desk.storage.db import Database, open_database

BATCH = 1000


class CopyRefused(ClerkDeskError):
    """The copy was not made; the target database is as it was."""


@dataclass(frozen=True)
class Copied:
    target: str
    rows: int
    audit_entries: int


def tables() -> list[Table]:
    """Every table of the schema, each after the tables it refers to."""
    return list(Base.metadata.sorted_tables)


def table_rows(conn: Connection, table: Table) -> Iterator[list[dict[str, Any]]]:
    """The table's rows in primary-key order, in batches, with values as the models type them."""
    order = list(table.primary_key.columns) or list(table.columns)
    result = conn.execute(select(table).order_by(*order)).mappings()
    while batch := result.fetchmany(BATCH):
        yield [dict(row) for row in batch]


def is_empty(conn: Connection) -> bool:
    return all(conn.execute(select(func.count()).select_from(t)).scalar_one() == 0 for t in tables())


def copy_council(source: Database, target_url: str) -> Copied:
    """Copy everything in ``source`` into the empty database at ``target_url``."""
    if target_url == source.url:
        raise CopyRefused("The target is the database being copied.")
    target = open_database(target_url, source.clock)
    try:
        return _copy(source, target)
    finally:
        target.dispose()


def _copy(source: Database, target: Database) -> Copied:
    with source.engine.connect() as src, target.engine.connect() as dst:
        count = 0
        with src.begin(), dst.begin():
            if not is_empty(dst):
                raise CopyRefused(
                    f"{target.display_url} already holds records; a council is copied only into an empty "
                    "database. Nothing was copied."
                )
            for table in tables():
                for batch in table_rows(src, table):
                    dst.execute(table.insert(), batch)
                    count += len(batch)
            if dst.dialect.name == "postgresql":
                _move_sequences_on(dst)
            entries = _check_same(src, dst, target.display_url)
    return Copied(target.display_url, count, entries)


def _move_sequences_on(conn: Connection) -> None:
    """PostgreSQL hands out the next ids from sequences, which copied rows did not move on."""
    for table in tables():
        if "id" not in table.columns or not table.c.id.primary_key:
            continue
        quoted = conn.dialect.identifier_preparer.quote(table.name)
        conn.execute(
            text(
                "SELECT setval(pg_get_serial_sequence(:table, 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {quoted}), 0) + 1, false)"
            ),
            {"table": table.name},
        )


def _check_same(src: Connection, dst: Connection, where: str) -> int:
    """The trail verifies on the copy and every CSV export is equal, or the copy is rolled back."""
    with Session(bind=dst) as copy_session, Session(bind=src) as source_session:
        verified = audit.verify(copy_session)
        if not verified.ok:
            raise CopyRefused(
                f"The audit trail does not verify on {where}: {verified.problems[0]}; nothing was copied."
            )
        for kind in imports.KINDS:
            if imports.export_rows(copy_session, kind) != imports.export_rows(source_session, kind):
                raise CopyRefused(f"The {kind} export differs on {where}; nothing was copied.")
    return verified.entries
