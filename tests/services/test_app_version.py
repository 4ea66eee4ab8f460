"""The database notes which version of Clerk Desk last opened it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from clerk_desk.models import AppVersion
from clerk_desk.storage import app_version
from clerk_desk.storage.clock import FixedClock
from clerk_desk.storage.db import Database, open_database


def noted(database: Database) -> list[tuple[str, object]]:
    with database.read() as session:
        return [(row.version, row.since) for row in session.execute(select(AppVersion)).scalars()]


def test_a_new_database_notes_this_version(db: Database, clock: FixedClock) -> None:
    assert app_version.version()
    assert noted(db) == [(app_version.version(), clock.now())]


def test_reopening_with_the_same_version_changes_nothing(db: Database, clock: FixedClock) -> None:
    first = clock.now()
    db.dispose()
    clock.moment += timedelta(days=3)
    again = open_database(db.url, clock)
    try:
        assert noted(again) == [(app_version.version(), first)]
    finally:
        again.dispose()


def test_another_version_replaces_the_note(
    db: Database, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    db.dispose()
    clock.moment += timedelta(days=40)
    monkeypatch.setattr(app_version, "version", lambda: "9.9.9")
    again = open_database(db.url, clock)
    try:
        assert noted(again) == [("9.9.9", clock.now())]
    finally:
        again.dispose()


def test_a_database_that_cannot_be_written_still_opens_for_reading(
    tmp_path: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "council.db"
    open_database(f"sqlite:///{path}", clock).dispose()
    running = app_version.version()
    monkeypatch.setattr(app_version, "version", lambda: "9.9.9")
    read_only = open_database(f"sqlite:///file:{path}?mode=ro&uri=true", clock)
    try:
        assert noted(read_only) == [(running, clock.now())]
    finally:
        read_only.dispose()
    assert "could not note version 9.9.9" in caplog.text
