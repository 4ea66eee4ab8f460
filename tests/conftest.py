"""Shared fixtures: offscreen Qt, a private data folder, an in-memory keyring, and a database per test
on SQLite and on PostgreSQL."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

# Before anything can create a QApplication.
os.environ["QT_QPA_PLATFORM"] = "offscreen"
# No test may touch the developer's real data or config folders.
_DATA_DIR = tempfile.mkdtemp(prefix="clerk-desk-tests-")
os.environ["CLERK_DESK_DATA_DIR"] = _DATA_DIR
atexit.register(shutil.rmtree, _DATA_DIR, ignore_errors=True)
os.environ.pop("CLERK_DESK_DATABASE", None)

import keyring  # noqa: E402
import pytest  # noqa: E402
from keyring.backend import KeyringBackend  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from clerk_desk.credentials.rotation import RotateNowSource  # noqa: E402
from clerk_desk.storage.clock import FixedClock  # noqa: E402
from clerk_desk.storage.db import Database, open_database  # noqa: E402

POSTGRES_ENV = "CLERK_DESK_TEST_POSTGRES"
REQUIRE_POSTGRES_ENV = "CLERK_DESK_REQUIRE_POSTGRES"
NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


class MemoryKeyring(KeyringBackend):
    """A keyring that lives and dies with one test."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        from keyring.errors import PasswordDeleteError

        if self.entries.pop((service, username), None) is None:
            raise PasswordDeleteError("no such entry")


@pytest.fixture(autouse=True)
def memory_keyring(request: pytest.FixtureRequest) -> Iterator[MemoryKeyring | None]:
    """Every test gets an empty in-memory keyring, except those that test a real Secret Service."""
    if request.node.get_closest_marker("secret_service"):
        yield None
        return
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test its own data and config folder, so one test's backups or choices never reach another."""
    monkeypatch.setenv("CLERK_DESK_DATA_DIR", str(tmp_path_factory.mktemp("data")))


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


def _fresh_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path) -> str:  # type: ignore[no-untyped-def]
    """An empty database: a SQLite file, or the test PostgreSQL server wiped clean."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'clerk_desk.db'}"
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        if os.environ.get(REQUIRE_POSTGRES_ENV):
            pytest.fail(f"{POSTGRES_ENV} is not set but {REQUIRE_POSTGRES_ENV} requires the PostgreSQL leg")
        pytest.skip(f"no PostgreSQL server: set {POSTGRES_ENV} (bash .ci/with-postgres.sh uv run pytest)")
    _fresh_postgres(url)
    return url


@pytest.fixture
def db(database_url: str, clock: FixedClock) -> Iterator[Database]:
    """An open, migrated database with a fixed clock."""
    database = open_database(database_url, clock)
    try:
        yield database
    finally:
        database.dispose()


@pytest.fixture
def sqlite_db(tmp_path, clock: FixedClock) -> Iterator[Database]:  # type: ignore[no-untyped-def]
    """A SQLite-only database, for tests about the file itself."""
    database = open_database(f"sqlite:///{tmp_path / 'clerk_desk.db'}", clock)
    try:
        yield database
    finally:
        database.dispose()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests of a real Secret Service run only when asked for (``-m secret_service``), as CI does."""
    if "secret_service" in (config.getoption("-m") or ""):
        return
    skip = pytest.mark.skip(
        reason="needs a real Secret Service: run `pytest -m secret_service` under dbus-run-session"
    )
    for item in items:
        if item.get_closest_marker("secret_service"):
            item.add_marker(skip)


@pytest.fixture
def rotate_now_sources() -> Iterator[Callable[[RotateNowSource], RotateNowSource]]:
    """Add rotate-now event sources for one test (to ``checks.engine.ROTATE_NOW_SOURCES``); the list is
    put back as it was afterwards, so no test's events reach another."""
    from clerk_desk.checks import engine

    saved = list(engine.ROTATE_NOW_SOURCES)

    def add(source: RotateNowSource) -> RotateNowSource:
        engine.ROTATE_NOW_SOURCES.append(source)
        return source

    try:
        yield add
    finally:
        engine.ROTATE_NOW_SOURCES[:] = saved
