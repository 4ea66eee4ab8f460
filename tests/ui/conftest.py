"""UI fixtures: a demo council in a SQLite file and its main window."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from clerk_desk import demo
from clerk_desk.app import create_main_window
from clerk_desk.register import authority
from clerk_desk.storage.db import Database, open_database
from clerk_desk.ui.main_window import MainWindow


@pytest.fixture(autouse=True)
def clerk_os_user(monkeypatch: pytest.MonkeyPatch) -> None:
    """Window tests run as the OS user whose login is the demo clerk's, unless they say otherwise."""
    monkeypatch.setattr(authority, "os_login", lambda: "clerk-login")


@pytest.fixture
def demo_url(tmp_path, clock) -> str:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    database = open_database(url, clock)
    with database.transaction("Test setup") as session:
        demo.fill(session, clock.today(), "clerk-login")
    database.dispose()
    return url


@pytest.fixture
def window(qtbot, demo_url, clock, monkeypatch) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    """The main window on the demo council, acting as the clerk, with the fixed clock."""
    import clerk_desk.storage.db as storage_db

    def open_with_the_fixed_clock(url, given=None, **options):  # type: ignore[no-untyped-def]
        return open_database(url, given or clock, **options)

    # A module that imports open_database after this point (restore does) gets this one: keep its signature.
    monkeypatch.setattr(storage_db, "open_database", open_with_the_fixed_clock)
    win = create_main_window(demo_url)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.context.database.dispose()


@pytest.fixture
def database(window: MainWindow) -> Database:
    return window.context.database
