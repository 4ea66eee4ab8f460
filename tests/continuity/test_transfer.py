"""Copying a whole council into an empty database: SQLite to PostgreSQL (CI's real server) and back,
the audit trail verifying and every CSV export equal; a database that is not empty is refused."""

from __future__ import annotations

from pathlib import Path

import factories
import pytest
from services.helpers import row_counts
from sqlalchemy import func, select

from clerk_desk import imports
from clerk_desk.audit import chain as audit
from clerk_desk.continuity import transfer
from clerk_desk.models import Account, Role
from clerk_desk.storage.clock import FixedClock
from clerk_desk.storage.db import Database, open_database

CLERK = "Zoë Hartley"


def exports(db: Database) -> dict[str, str]:
    with db.read() as session:
        return {kind: imports.export_rows(session, kind) for kind in imports.KINDS}


def every_table(db: Database) -> dict[str, int]:
    with db.engine.connect() as conn:
        return {
            t.name: conn.execute(select(func.count()).select_from(t)).scalar_one() for t in transfer.tables()
        }


@pytest.fixture
def target_url(database_url: str, tmp_path: Path) -> str:
    """An empty database: the PostgreSQL server, or a second SQLite file."""
    return f"sqlite:///{tmp_path / 'copy.db'}" if database_url.startswith("sqlite") else database_url


def test_a_council_is_copied_into_an_empty_database_on_either_backend(
    sqlite_council: Database, target_url: str, clock: FixedClock
) -> None:
    before = exports(sqlite_council)
    counts = row_counts(sqlite_council)
    copied = transfer.copy_council(sqlite_council, target_url)
    assert copied.rows == sum(every_table(sqlite_council).values())
    target = open_database(target_url, clock)
    try:
        assert exports(target) == before
        assert every_table(target) == every_table(sqlite_council)
        assert row_counts(target) == counts
        with target.read() as session:
            assert audit.verify(session).ok
        # The copy is a working council: new records get new ids and join the chain.
        with target.transaction(CLERK) as session:
            factories.person(session, "Rhiannon Evans", Role.EMPLOYEE)
            factories.account(session, clock.today(), platform="Mastodon", handle="@town")
        with target.read() as session:
            assert audit.verify(session).ok
            assert len(session.execute(select(Account)).scalars().all()) == counts["accounts"] + 1
    finally:
        target.dispose()


def test_a_database_that_is_not_empty_is_refused_untouched(
    sqlite_council: Database, target_url: str, clock: FixedClock
) -> None:
    target = open_database(target_url, clock)
    with target.transaction(CLERK) as session:
        factories.person(session, "Rhiannon Evans", Role.EMPLOYEE)
    before = row_counts(target)
    target.dispose()
    with pytest.raises(transfer.CopyRefused, match="already holds records"):
        transfer.copy_council(sqlite_council, target_url)
    again = open_database(target_url, clock)
    try:
        assert row_counts(again) == before
    finally:
        again.dispose()


def test_a_council_on_either_backend_is_copied_to_an_offline_sqlite_file(
    council: Database, tmp_path: Path, clock: FixedClock
) -> None:
    before = exports(council)
    url = f"sqlite:///{tmp_path / 'offline.db'}"
    transfer.copy_council(council, url)
    offline = open_database(url, clock)
    try:
        assert exports(offline) == before
        with offline.read() as session:
            assert audit.verify(session).ok
    finally:
        offline.dispose()
