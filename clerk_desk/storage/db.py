"""Engine and sessions; SQLite pragmas; migrate-on-open with a copy set aside first.

Every write goes through ``Database.transaction``: one service operation, one transaction, with the
acting person and the clock attached for the audit trail. Database failures a clerk can act on come out
as ``DatabaseError`` or ``StaleEditError``; anything else is a bug.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, make_url, text
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.pool import StaticPool

from clerk_desk.audit import chain as audit
from clerk_desk.credentials import holders
from clerk_desk.errors import DatabaseError, PermissionDenied, StaleEditError
from clerk_desk.storage import app_version, aside, files
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
    refused and left untouched. Once open, the database records this app's version (``app_version``).
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
    holders.install(factory)
    database = Database(url, engine, factory, clock)
    if migrate:
        try:
            database.backup_path = _migrate(engine, sqlite_path, clock)
        except BaseException:
            engine.dispose()
            raise
        app_version.note(factory, clock)
    return database


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite database URL; None for PostgreSQL or an in-memory database."""
    if make_url(url).get_backend_name() != "sqlite":
        return None
    return _sqlite_path(url)


def check_sqlite_file(path: Path) -> None:
    """Refuse a file that is not a Clerk Desk database, or one written by a newer version, unopened."""
    if not path.is_file() or path.stat().st_size == 0:
        raise DatabaseError(f"{path} is empty or missing; it is not a Clerk Desk database.")
    _check_sqlite_file(path)


def _sqlite_path(url: str) -> Path | None:
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def _check_sqlite_file(path: Path) -> None:
    """Refuse a newer database before the engine's pragmas (WAL) can change a byte of it."""
    if not path.exists() or path.stat().st_size == 0:
        try:
            files.make_private_dir(path.parent)  # a folder it makes, only the user may open
        except OSError as exc:
            raise DatabaseError(f"Cannot create the folder for the database {path}: {exc.strerror}") from exc
        if not path.exists():
            try:  # a new council's database, readable by the user only (SQLite gives its -wal the same)
                files.create_private(path)
            except FileExistsError:
                pass  # another process made it a moment ago
            except OSError as exc:
                raise DatabaseError(f"Cannot create the database {path}: {exc.strerror}") from exc
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
    else:
        event.listen(engine, "handle_error", _permission_denied)
    return engine


#: How a refused table is named to the person refused.
_TABLE_WORDS = {
    "alembic_version": "this database (its schema version)",
    "database_identity": "this database's identity",
    "accounts": "the register of accounts",
    "people": "People",
    "settings": "the council's settings",
    "council_logo": "the council's logo",
    "grants": "delegated access",
    "designations": "designated officers",
    "designation_accounts": "designated officers",
    "acknowledgements": "policy acknowledgements",
    "incidents": "incidents",
    "incident_steps": "incident follow-up steps",
    "incident_actions": "incident timelines",
    "incident_evidence": "incident evidence",
    "audit_entries": "the audit trail",
    "audit_checkpoints": "the audit trail's checkpoints",
    "password_rotations": "password history",
    "report_assessments": "the annual review's assessment",
}
_VERBS = {
    "SELECT": "read",
    "INSERT": "add to",
    "UPDATE": "change",
    "DELETE": "remove from",
    "TRUNCATE": "empty",
}


def _permission_denied(context: Any) -> None:
    """A refusal by PostgreSQL's roles (SQLSTATE 42501) becomes a sentence naming what may not be done."""
    original = context.original_exception
    if getattr(original, "sqlstate", None) != "42501":
        return
    primary = getattr(getattr(original, "diag", None), "message_primary", None) or str(original)
    match = re.search(r'(?:table|for table) "?([A-Za-z_][A-Za-z0-9_]*)"?', primary)
    table = match.group(1) if match else ""
    what = _TABLE_WORDS.get(table, table.replace("_", " ") or "this part of the database")
    statement = (context.statement or "").lstrip().split(" ", 1)[0].upper()
    verb = _VERBS.get(statement, "change")
    if "append-only" in primary:
        message = f"no one may {verb} {what}: it is append-only"
    elif "row-level security" in primary:
        message = (
            f"your database login may {verb} {what} only for rows of your own (the incidents you reported, "
            "entries in your own name)"
        )
    else:
        message = f"your database login may not {verb} {what}; your role in People does not allow it"
    raise PermissionDenied(f"The database refused: {message} (Thornbury 9.1). Nothing was saved.")


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
            _check_schema_rights(conn)
            current = _current_revision(conn)
    except OperationalError as exc:
        raise DatabaseError(_operational_message(exc)) from exc
    _check_revision(current, make_url(str(engine.url)).render_as_string(hide_password=True))
    if current == HEAD:
        return None
    if not (SCRIPT_LOCATION / "env.py").is_file():
        raise DatabaseError(
            f"This copy of Clerk Desk is incomplete: the database upgrade scripts are missing from "
            f"{SCRIPT_LOCATION}. The database was not changed; reinstall Clerk Desk."
        )
    backup = None
    if sqlite_path is not None and current is not None:
        backup = aside.copy_aside(sqlite_path, current, HEAD, clock.now())
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


def _check_schema_rights(conn: Connection) -> None:
    """A PostgreSQL login with no rights in the database's schema sees no tables at all; say so, rather
    than take the database for an empty one."""
    if conn.dialect.name == "postgresql" and conn.execute(text("SELECT current_schema()")).scalar() is None:
        raise PermissionDenied(
            "The database refused: your database login may not read this database; it is not one of the "
            "council's logins (the database owner gives one with: clerk-desk postgres grant PERSON). "
            "Nothing was changed."
        )


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


def _operational_message(exc: OperationalError) -> str:
    detail = str(exc.orig) if exc.orig is not None else str(exc)
    if "locked" in detail:
        return "The database is busy (someone else is saving). Nothing was saved; try again in a moment."
    if "readonly" in detail or "read-only" in detail:
        return "The database file is read-only on this PC, so nothing can be saved."
    return f"The database could not be reached: {detail.strip()}"
