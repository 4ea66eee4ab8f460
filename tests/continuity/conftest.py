"""A demo council to back up, restore, copy, archive and hand over."""

from __future__ import annotations

from datetime import date

import pytest

from clerk_desk import demo
from clerk_desk.storage.db import Database

CLERK = "Zoë Hartley"
DEPUTY = "Łukasz Nowak"
TODAY = date(2026, 11, 21)


@pytest.fixture
def council(db: Database) -> Database:
    """The demo council (8 people, 8 accounts, incidents, grants), its clerk with the login zhartley."""
    with db.transaction("Clerk Desk demo") as session:
        demo.fill(session, db.clock.today(), "zhartley")
    return db


@pytest.fixture
def sqlite_council(sqlite_db: Database) -> Database:
    """The demo council in a SQLite file."""
    with sqlite_db.transaction("Clerk Desk demo") as session:
        demo.fill(session, sqlite_db.clock.today(), "zhartley")
    return sqlite_db
