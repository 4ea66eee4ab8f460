"""Fixtures for the service and database tests: a second empty database on the same backend."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from clerk_desk.storage.clock import FixedClock
from clerk_desk.storage.db import Database, open_database


@pytest.fixture
def fresh_database(
    db: Database, database_url: str, tmp_path: Path, clock: FixedClock
) -> Iterator[Callable[[], Database]]:
    """Close ``db`` and give an empty database on the same backend (a new file, or a wiped server)."""
    opened: list[Database] = []

    def make() -> Database:
        db.dispose()
        if db.engine.dialect.name == "sqlite":
            url = f"sqlite:///{tmp_path / f'fresh-{len(opened)}.db'}"
        else:
            url = database_url
            engine = create_engine(url)
            with engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
            engine.dispose()
        database = open_database(url, clock)
        opened.append(database)
        return database

    yield make
    for database in opened:
        database.dispose()
