"""Engine and sessions; SQLite pragmas; migrate-on-open with a copy set aside first.

Every write goes through ``Database.transaction``: one service operation, one transaction, with the
acting person and the clock attached for the audit trail. Database failures a clerk can act on come out
as ``DatabaseError`` or ``StaleEditError``; anything else is a bug.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, make_url, text
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.pool import StaticPool

from clerk_desk.audit import chain as audit
from clerk_desk.errors import DatabaseError, StaleEditError
from clerk_desk.storage.clock import Clock, SystemClock, attach_clock
from clerk_desk.storage.migrations import HEAD, KNOWN_REVISIONS, SCRIPT_LOCATION

log = logging.getLogger(__name__)


@dataclass
class Database:
    """An open, migrated Clerk Desk database."""

    url: str
    engine: Engine
    factory: sessionmaker[Session]
    clock: Clock
    backup_path: Path | None = None

    @property
    def display_url(self) -> str:
        """The URL with any password hidden, fit for the status bar and logs."""
        return make_url(self.url).render_as_string(hide_password=True)

    def read(self) -> Session:
        """A session for reading; it must not write (it has no actor for the audit trail)."""
        session = self.factory()
        attach_clock(session, self.clock)
        return session

    @contextmanager
    def transaction(self, actor: str) -> Iterator[Session]:
        """One unit of work by ``actor``: committed whole on success, rolled back whole on any error."""
        session = self.factory()
        session.info.update(actor=actor, clock=self.clock)
        try:
            with session.begin():
                yield session
        except StaleDataError as exc:
            raise StaleEditError("This record") from exc
        except IntegrityError as exc:
            raise DatabaseError(
                "The change clashes with a record someone else has just saved (a duplicate name or a "
                "missing reference). Nothing was saved; reload and try again."
            ) from exc
        except OperationalError as exc:
            raise DatabaseError(_operational_message(exc)) from exc
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(url: str, clock: Clock | None = None, *, migrate: bool = True) -> Database:
    """Open the database at ``url``, migrating it to this app's schema first.

    A SQLite file is copied aside before it is migrated. A database written by a newer Clerk Desk is
    refused and left untouched.
    """
    clock = clock or SystemClock()
    try:
        parsed = make_url(url)
    except Exception as exc:  # SQLAlchemy raises ArgumentError, or ValueError for a bad port
        raise DatabaseError(f"'{url}' is not a database URL (e.g. sqlite:///path/to/file.db)") from exc
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise DatabaseError(f"Clerk Desk works with SQLite or PostgreSQL, not {backend}")
    sqlite_path = _sqlite_path(url) if backend == "sqlite" else None
    if sqlite_path is not None:
        _check_sqlite_file(sqlite_path)
    engine = _create_engine(url, backend)
    factory = sessionmaker(engine, expire_on_commit=False)
    audit.install(factory)
    database = Database(url, engine, factory, clock)
    if migrate:
        try:
            database.backup_path = _migrate(engine, sqlite_path, clock)
        except BaseException:
            engine.dispose()
            raise
    return database


def _sqlite_path(url: str) -> Path | None:
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def _check_sqlite_file(path: Path) -> None:
    """Refuse a newer database before the engine's pragmas (WAL) can change a byte of it."""
    if not path.exists() or path.stat().st_size == 0:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(f"Cannot create the folder for the database {path}: {exc.strerror}") from exc
        return
    # Read-only mode still makes -wal and -shm files beside a WAL database; "immutable" reads the file
    # alone, which is the whole database whenever no -wal file exists (no one has it open).
    wal = path.with_name(f"{path.name}-wal")
    mode = "mode=ro" if wal.exists() else "immutable=1"
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?{mode}", uri=True)
        try:
            revision = _sqlite_revision(conn)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"{path} is not a Clerk Desk database, or it is damaged ({exc}).") from exc
    _check_revision(revision, str(path))


def _sqlite_revision(conn: sqlite3.Connection) -> str | None:
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "alembic_version" not in tables:
        if tables:
            raise sqlite3.DatabaseError("it has tables but no Clerk Desk schema version")
        return None
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None


def _check_revision(revision: str | None, where: str) -> None:
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise DatabaseError(
            f"The database {where} was written by a newer version of Clerk Desk (schema {revision}). "
            "It has not been changed. Update Clerk Desk on this PC to open it."
        )


def _create_engine(url: str, backend: str) -> Engine:
    kwargs: dict[str, Any] = {}
    if backend == "sqlite" and _sqlite_path(url) is None:
        # One shared connection, or every session would see its own empty in-memory database.
        kwargs.update(poolclass=StaticPool, connect_args={"check_same_thread": False})
    try:
        engine = create_engine(url, **kwargs)
    except ModuleNotFoundError as exc:
        raise DatabaseError(
            "PostgreSQL support is not installed. Install it with: uv sync --extra postgresql"
        ) from exc
    if backend == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    # SQLite's own lower() folds ASCII only, so a search for "Łukasz Nowak" would miss "ŁUKASZ NOWAK"
    # (and the audit trail's filters would miss Łukasz altogether); Python's folds every alphabet.
    dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # Wait for another writer (the clerk's second window) instead of failing at once.
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _unicode_lower(value: object) -> str | None:
    if value is None:
        return None
    return (value if isinstance(value, str) else str(value)).lower()


def _migrate(engine: Engine, sqlite_path: Path | None, clock: Clock) -> Path | None:
    try:
        with engine.connect() as conn:
            current = _current_revision(conn)
    except OperationalError as exc:
        raise DatabaseError(_operational_message(exc)) from exc
    _check_revision(current, make_url(str(engine.url)).render_as_string(hide_password=True))
    if current == HEAD:
        return None
    backup = None
    if sqlite_path is not None and current is not None:
        backup = _backup_sqlite(engine, sqlite_path, current, clock.now())
    log.info("migrating database from %s to %s", current or "empty", HEAD)
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    try:
        with _migration_transaction(engine) as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, HEAD)
    except (SQLAlchemyError, DatabaseError) as exc:
        where = f" The copy made before migrating is {backup}." if backup else ""
        raise DatabaseError(f"The database could not be brought up to date: {exc}.{where}") from exc
    return backup


@contextmanager
def _migration_transaction(engine: Engine) -> Iterator[Connection]:
    """A connection in one transaction for the whole migration, committed only if all of it worked.

    On SQLite, batch migrations rebuild tables that other tables refer to, which fails while foreign
    keys are enforced, so enforcement is off (SQLite allows the switch only outside a transaction) and
    the references are checked before committing. pysqlite would also commit each DDL statement on its
    own, so it is told to leave the transaction to us: a failed migration then leaves nothing behind.
    """
    with engine.connect() as conn:
        if conn.dialect.name != "sqlite":
            with conn.begin():
                yield conn
            return
        dbapi = conn.connection.dbapi_connection
        assert dbapi is not None
        saved_isolation = dbapi.isolation_level
        dbapi.isolation_level = None
        try:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            try:
                yield conn
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
                if broken:
                    raise DatabaseError(f"the migration would break {len(broken)} references between records")
                conn.commit()
            except BaseException:
                conn.rollback()
                raise
        finally:
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            conn.commit()
            dbapi.isolation_level = saved_isolation


def _current_revision(conn: Any) -> str | None:
    inspector = inspect(conn)
    tables = set(inspector.get_table_names())
    if "alembic_version" not in tables:
        if tables - {"alembic_version"}:
            raise DatabaseError(
                "This database has tables but is not a Clerk Desk database; it was not changed."
            )
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _backup_sqlite(engine: Engine, path: Path, revision: str, now: datetime) -> Path:
    """Copy the database aside with SQLite's online backup, which includes the WAL's contents.

    The copy is written under a temporary name and given its backup name only once it is complete,
    on disk and checked (integrity, and the revision it was copied at): a copy cut short by a full disk
    or a killed process is never named as a backup.
    """
    stamp = now.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.before-{HEAD}.from-{revision}.{stamp}{path.suffix}")
    partial = target.with_name(f".{target.name}.partial")
    try:
        partial.unlink(missing_ok=True)
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


def _operational_message(exc: OperationalError) -> str:
    detail = str(exc.orig) if exc.orig is not None else str(exc)
    if "locked" in detail:
        return "The database is busy (someone else is saving). Nothing was saved; try again in a moment."
    if "readonly" in detail or "read-only" in detail:
        return "The database file is read-only on this PC, so nothing can be saved."
    return f"The database could not be reached: {detail.strip()}"
