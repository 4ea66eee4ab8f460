"""The database layer: migrate-on-open, the copy set aside, refusing what is not ours, transactions."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import stat
from collections.abc import Callable
from datetime import date
from pathlib import Path

import factories
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, select, text

from clerk_desk.audit import chain as audit
from clerk_desk.audit import verify as full_verify
from clerk_desk.errors import DatabaseError, StaleEditError, ValidationError
from clerk_desk.models import Account, AccountStatus, Base, Person, Role, Setting
from clerk_desk.register import people
from clerk_desk.storage import db as db_module
from clerk_desk.storage.clock import FixedClock
from clerk_desk.storage.db import Database, open_database
from clerk_desk.storage.migrations import HEAD, KNOWN_REVISIONS, SCRIPT_LOCATION
from services.helpers import row_counts

DATA = Path(__file__).parent.parent / "data"
TODAY = date(2026, 11, 21)
ACTOR = "Zoë Hartley"
#: Audit entries in each old database (tests/data/README.md).
AUDIT_ENTRIES = {
    "0001": 21,
    "0002": 28,
    "0003": 42,
    "0004": 65,
    "0005": 65,
    "0006": 65,
    "0007": 65,
    "0008": 65,
    "0009": 65,
    "0010": 65,
    "0011": 65,
    "0012": 65,
}
TABLES_0001 = {"alembic_version", "people", "accounts", "settings", "council_logo", "audit_entries"}
#: The tables of the current schema: every model's, so the migrations must create exactly what the models say.
TABLES = {"alembic_version", *Base.metadata.tables}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sidecars(path: Path) -> list[Path]:
    """SQLite's -wal, -shm and -journal files next to a database, if any exist."""
    return [p for p in path.parent.iterdir() if p.name.startswith(path.name + "-")]


def revision_of(url: str) -> str | None:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    finally:
        engine.dispose()


def old_copy(tmp_path: Path, revision: str = "0001") -> Path:
    """A private copy of the kept database written at ``revision``; the original is never opened."""
    target = tmp_path / "council.db"
    shutil.copyfile(DATA / f"schema_{revision}.db", target)
    return target


# --- migrations ---------------------------------------------------------------------------------


def test_known_revisions_match_the_migration_scripts() -> None:
    script = ScriptDirectory(str(SCRIPT_LOCATION))
    scripted = tuple(reversed([rev.revision for rev in script.walk_revisions()]))
    assert scripted == KNOWN_REVISIONS
    assert script.get_heads() == [HEAD]
    assert script.get_current_head() == HEAD


def test_a_fresh_database_is_migrated_to_head(db: Database) -> None:
    assert set(inspect(db.engine).get_table_names()) == TABLES
    assert revision_of(db.url) == HEAD
    assert db.backup_path is None  # nothing to copy: there was no data


def test_the_migrated_schema_matches_the_models(db: Database) -> None:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_reopening_a_current_database_changes_nothing(db: Database, clock: FixedClock) -> None:
    with db.transaction(ACTOR) as session:
        factories.person(session)
    db.dispose()
    again = open_database(db.url, clock)
    try:
        assert again.backup_path is None
        assert row_counts(again)["people"] == 1
        assert revision_of(again.url) == HEAD
    finally:
        again.dispose()


@pytest.mark.parametrize("revision", KNOWN_REVISIONS)
def test_one_old_database_is_kept_for_every_schema_version(revision: str) -> None:
    assert (DATA / f"schema_{revision}.db").is_file(), (
        f"add tests/data/schema_{revision}.db (see tests/data/README.md)"
    )


@pytest.mark.parametrize("revision", KNOWN_REVISIONS)
def test_an_old_database_opens_with_its_data(tmp_path: Path, clock: FixedClock, revision: str) -> None:
    path = old_copy(tmp_path, revision)
    database = open_database(f"sqlite:///{path}", clock)
    try:
        if revision == HEAD:
            assert database.backup_path is None
        else:
            assert database.backup_path is not None and database.backup_path.exists()
        assert revision_of(database.url) == HEAD
        with database.read() as session:
            names = {p.name for p in people.all_people(session)}
            assert {"Zoë Hartley", "Łukasz Nowak", "Nguyễn Thu Hà", "Ayşe Ağca"} <= names
            assert people.by_login(session, "zhartley").name == "Zoë Hartley"
            facebook = session.execute(select(Account).where(Account.platform == "Facebook")).scalar_one()
            assert facebook.approved_by is not None and facebook.approved_by.name == "Zoë Hartley"
            result = audit.verify(session)
        assert row_counts(database)["accounts"] == 8
        assert result.ok and result.entries == AUDIT_ENTRIES[revision]
        # Still usable: a write after opening chains on to the old trail.
        with database.transaction(ACTOR) as session:
            factories.person(session, "Hannah Okafor", Role.VOLUNTEER)
        with database.read() as session:
            assert audit.verify(session).ok
            # The register matches its trail too: nothing the upgrade did reads as a change made outside.
            report = full_verify.verify(session)
            assert report.ok, report.problems
    finally:
        database.dispose()


#: The revision of a pretend next release, one after this one's head.
NEXT = "9001"

NEXT_MIGRATION = '''"""The next release (test only): a new table, and a change to a table others refer to."""

import sqlalchemy as sa
from alembic import op

revision = "{next}"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("reminders", sa.Column("id", sa.Integer(), primary_key=True))
    # Batch mode rebuilds "people", which "accounts" refers to.
    with op.batch_alter_table("people") as batch_op:
        batch_op.add_column(sa.Column("pronouns", sa.String(length=50), nullable=True))
        batch_op.alter_column("job_title", existing_type=sa.String(200), type_=sa.String(300))
{extra}


def downgrade() -> None:
    op.drop_table("reminders")
'''


@pytest.fixture
def next_release(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """Make ``clerk_desk.storage.db`` behave as a release with one more migration, ``NEXT``."""

    def install(*, fails: bool = False) -> None:
        location = tmp_path / "migrations"
        shutil.copytree(SCRIPT_LOCATION, location, ignore=shutil.ignore_patterns("__pycache__"))
        extra = '    op.execute("INSERT INTO no_such_table VALUES (1)")' if fails else ""
        (location / "versions" / f"{NEXT}_next.py").write_text(
            NEXT_MIGRATION.format(extra=extra, next=NEXT, head=HEAD), "utf-8"
        )
        monkeypatch.setattr(db_module, "SCRIPT_LOCATION", location)
        monkeypatch.setattr(db_module, "KNOWN_REVISIONS", (*KNOWN_REVISIONS, NEXT))
        monkeypatch.setattr(db_module, "HEAD", NEXT)

    return install


def test_an_older_sqlite_database_is_copied_aside_then_migrated(
    tmp_path: Path, clock: FixedClock, next_release: Callable[..., None]
) -> None:
    path = old_copy(tmp_path)
    next_release()
    database = open_database(f"sqlite:///{path}", clock)
    try:
        backup = database.backup_path
        assert backup == tmp_path / f"council.before-{NEXT}.from-0001.20261121-120000.db"
        # The copy is the database as it was: old schema, all its data, readable by the user only.
        assert revision_of(f"sqlite:///{backup}") == "0001"
        if os.name == "posix":
            assert stat.S_IMODE(backup.stat().st_mode) == 0o600
        conn = sqlite3.connect(backup)
        try:
            assert conn.execute("SELECT count(*) FROM people").fetchone() == (8,)
            assert "reminders" not in {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        finally:
            conn.close()
        # The database itself is migrated, with its data and its references intact.
        assert revision_of(database.url) == NEXT
        assert "reminders" in inspect(database.engine).get_table_names()
        assert "pronouns" in {c["name"] for c in inspect(database.engine).get_columns("people")}
        with database.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        with database.read() as session:
            facebook = session.execute(select(Account).where(Account.platform == "Facebook")).scalar_one()
            assert facebook.approved_by is not None and facebook.approved_by.name == "Zoë Hartley"
            assert audit.verify(session).ok
    finally:
        database.dispose()


@pytest.mark.parametrize("failure", ["disk full", "short copy"])
def test_a_copy_cut_short_is_never_named_as_a_backup(
    tmp_path: Path,
    clock: FixedClock,
    next_release: Callable[..., None],
    monkeypatch: pytest.MonkeyPatch,
    failure: str,
) -> None:
    """A full disk, or a copy that is not the whole database, leaves no ``*.before-*`` file and the
    database unmigrated."""
    path = old_copy(tmp_path)
    before = sha256(path)
    next_release()
    real_connect = sqlite3.connect

    class CutShort:
        def __init__(self, conn: sqlite3.Connection) -> None:
            self.conn = conn

        def backup(self, dest: sqlite3.Connection) -> None:
            self.conn.backup(dest, pages=1)  # the first page is written, then:
            if failure == "disk full":
                raise sqlite3.OperationalError("database or disk is full")
            dest.execute("DELETE FROM alembic_version")
            dest.commit()

        def close(self) -> None:
            self.conn.close()

    def connect(target: str, *args: object, **kwargs: object) -> object:
        conn = real_connect(target, *args, **kwargs)  # type: ignore[arg-type]
        # Only the copy made before migrating is cut short; the engine's own connections are left alone.
        return CutShort(conn) if target == str(path) and not args and not kwargs else conn

    monkeypatch.setattr(db_module.sqlite3, "connect", connect)
    with pytest.raises(DatabaseError, match=r"Could not copy .* aside before migrating it"):
        open_database(f"sqlite:///{path}", clock)
    monkeypatch.setattr(db_module.sqlite3, "connect", real_connect)
    assert [p.name for p in tmp_path.iterdir() if ".before-" in p.name] == []
    assert sha256(path) == before
    assert revision_of(f"sqlite:///{path}") == "0001"


def test_a_failed_migration_leaves_the_database_as_it_was(
    tmp_path: Path, clock: FixedClock, next_release: Callable[..., None]
) -> None:
    path = old_copy(tmp_path)
    next_release(fails=True)
    with pytest.raises(DatabaseError, match="could not be brought up to date") as caught:
        open_database(f"sqlite:///{path}", clock)
    backup = tmp_path / f"council.before-{NEXT}.from-0001.20261121-120000.db"
    assert str(backup) in str(caught.value)
    assert revision_of(f"sqlite:///{backup}") == "0001"
    # The whole migration was one transaction: nothing of it is left in the file.
    conn = sqlite3.connect(path)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert tables == TABLES_0001
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert conn.execute("SELECT count(*) FROM people").fetchone() == (8,)
    finally:
        conn.close()


def test_an_older_database_on_any_backend_is_migrated(
    db: Database, clock: FixedClock, next_release: Callable[..., None]
) -> None:
    with db.transaction(ACTOR) as session:
        factories.person(session)
        factories.approved_account(session, TODAY)
    db.dispose()
    next_release()
    database = open_database(db.url, clock)
    try:
        if database.engine.dialect.name == "postgresql":
            assert database.backup_path is None  # the server's own backups are the office's job
        assert revision_of(database.url) == NEXT
        with database.read() as session:
            account = session.execute(select(Account)).scalar_one()
            assert account.approved_by is not None and account.approved_by.name == ACTOR
    finally:
        database.dispose()


def test_a_failed_migration_on_any_backend_is_rolled_back(
    db: Database, clock: FixedClock, next_release: Callable[..., None]
) -> None:
    with db.transaction(ACTOR) as session:
        factories.person(session)
    db.dispose()
    next_release(fails=True)
    with pytest.raises(DatabaseError, match="could not be brought up to date"):
        open_database(db.url, clock)
    assert revision_of(db.url) == HEAD
    engine = create_engine(db.url)
    try:
        assert set(inspect(engine).get_table_names()) == TABLES
    finally:
        engine.dispose()


# --- refusing what is not ours ------------------------------------------------------------------


def _make_newer(database: Database) -> None:
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    database.dispose()


def test_a_newer_sqlite_database_is_refused_untouched(tmp_path: Path, clock: FixedClock) -> None:
    path = tmp_path / "newer.db"
    _make_newer(open_database(f"sqlite:///{path}", clock))
    assert sidecars(path) == []
    digest, mtime = sha256(path), path.stat().st_mtime_ns
    with pytest.raises(DatabaseError, match=r"newer version of Clerk Desk \(schema 9999\)"):
        open_database(f"sqlite:///{path}", clock)
    assert sha256(path) == digest
    assert path.stat().st_mtime_ns == mtime
    assert sidecars(path) == []  # not even a -wal or -shm file was made
    assert [p.name for p in tmp_path.iterdir()] == ["newer.db"]  # and no copy


def test_a_newer_database_in_rollback_journal_mode_is_refused_untouched(
    tmp_path: Path, clock: FixedClock
) -> None:
    path = tmp_path / "newer.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
    conn.execute("INSERT INTO alembic_version VALUES ('9999')")
    conn.commit()
    conn.close()
    digest, mtime = sha256(path), path.stat().st_mtime_ns
    with pytest.raises(DatabaseError, match="newer version"):
        open_database(f"sqlite:///{path}", clock)
    assert (sha256(path), path.stat().st_mtime_ns) == (digest, mtime)
    assert sidecars(path) == []


def test_a_newer_database_on_any_backend_is_refused(db: Database, clock: FixedClock) -> None:
    with db.transaction(ACTOR) as session:
        factories.person(session)
    _make_newer(db)
    with pytest.raises(DatabaseError, match="newer version of Clerk Desk") as caught:
        open_database(db.url, clock)
    assert "has not been changed" in str(caught.value)
    assert revision_of(db.url) == "9999"
    engine = create_engine(db.url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT name FROM people")).scalars().all() == [ACTOR]
    finally:
        engine.dispose()


def test_a_sqlite_file_of_another_program_is_refused_untouched(tmp_path: Path, clock: FixedClock) -> None:
    path = tmp_path / "recipes.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY, title TEXT)")
    conn.execute("INSERT INTO recipes (title) VALUES ('Bakewell tart')")
    conn.commit()
    conn.close()
    digest, mtime = sha256(path), path.stat().st_mtime_ns
    with pytest.raises(DatabaseError, match="not a Clerk Desk database"):
        open_database(f"sqlite:///{path}", clock)
    assert (sha256(path), path.stat().st_mtime_ns) == (digest, mtime)
    assert sidecars(path) == []


def test_a_file_that_is_not_a_database_is_refused_untouched(tmp_path: Path, clock: FixedClock) -> None:
    path = tmp_path / "minutes.db"
    path.write_text("Minutes of the meeting of full council\n" * 200, encoding="utf-8")
    digest = sha256(path)
    with pytest.raises(DatabaseError, match="not a Clerk Desk database, or it is damaged"):
        open_database(f"sqlite:///{path}", clock)
    assert sha256(path) == digest
    assert sidecars(path) == []


def test_a_postgresql_database_of_another_program_is_refused(database_url: str, clock: FixedClock) -> None:
    engine = create_engine(database_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE recipes (id INTEGER PRIMARY KEY, title TEXT)"))
        with pytest.raises(DatabaseError, match="not a Clerk Desk database"):
            open_database(database_url, clock)
        assert set(inspect(engine).get_table_names()) == {"recipes"}
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("not a database url", "is not a database URL"),
        ("postgresql+psycopg://clerk@localhost:port/db", "is not a database URL"),
        ("mysql://clerk@localhost/council", "SQLite or PostgreSQL, not mysql"),
        ("oracle://clerk@localhost/council", "SQLite or PostgreSQL, not oracle"),
        ("postgresql+psycopg://clerk@/council?host=/nonexistent-clerk-desk-socket", "could not be reached"),
    ],
)
def test_a_bad_url_is_a_database_error(url: str, message: str, clock: FixedClock) -> None:
    with pytest.raises(DatabaseError, match=message):
        open_database(url, clock)


def test_the_display_url_hides_the_password(clock: FixedClock) -> None:
    database = open_database("postgresql+psycopg://clerk:s3cret@db.example/council", clock, migrate=False)
    try:
        assert "s3cret" not in database.display_url
        assert database.display_url == "postgresql+psycopg://clerk:***@db.example/council"
    finally:
        database.dispose()


def test_a_missing_folder_is_created_for_a_new_sqlite_database(tmp_path: Path, clock: FixedClock) -> None:
    path = tmp_path / "Clerk Desk" / "Zoë's council" / "clerk_desk.db"
    database = open_database(f"sqlite:///{path}", clock)
    try:
        assert path.is_file()
        assert revision_of(database.url) == HEAD
    finally:
        database.dispose()


def test_an_in_memory_database_is_shared_by_its_sessions(clock: FixedClock) -> None:
    database = open_database("sqlite://", clock)
    try:
        with database.transaction(ACTOR) as session:
            factories.person(session)
        assert row_counts(database)["people"] == 1
        with database.engine.connect() as conn:  # the one connection that ran the migration
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        database.dispose()


# --- SQLite pragmas -----------------------------------------------------------------------------


def test_sqlite_uses_wal_and_enforces_foreign_keys(sqlite_db: Database) -> None:
    with sqlite_db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def test_sqlite_lower_folds_every_alphabet(sqlite_db: Database) -> None:
    with sqlite_db.engine.connect() as conn:
        folded = conn.execute(
            text("SELECT lower('ŁUKASZ NOWAK'), lower('ZOË'), lower(NULL), lower(42)")
        ).one()
    assert tuple(folded) == ("łukasz nowak", "zoë", None, "42")


def test_a_missing_reference_is_refused_on_every_backend(db: Database) -> None:
    with pytest.raises(DatabaseError, match="Nothing was saved"), db.transaction(ACTOR) as session:
        session.add(
            Account(
                platform="Facebook",
                handle="@Town",
                platform_key="facebook",
                handle_key="@town",
                status=AccountStatus.ACTIVE.value,
                approved_by_id=9999,
            )
        )
    assert row_counts(db)["accounts"] == 0
    assert row_counts(db)["audit_entries"] == 0


# --- transactions -------------------------------------------------------------------------------


def test_a_transaction_commits_every_change_with_its_audit_entries(db: Database) -> None:
    with db.transaction(ACTOR) as session:
        factories.person(session)
        factories.approved_account(session, TODAY)
    counts = row_counts(db)
    # The account's recorded password change is an entry in its rotation history, audited too.
    assert (counts["people"], counts["accounts"], counts["password_rotations"]) == (1, 1, 1)
    assert counts["audit_entries"] == 3


@pytest.mark.parametrize("error", [ValidationError("name", "clash"), RuntimeError("a bug")])
def test_an_error_midway_leaves_no_partial_rows_and_no_audit_entries(db: Database, error: Exception) -> None:
    with pytest.raises(type(error)), db.transaction(ACTOR) as session:
        factories.person(session)
        factories.person(session, "Łukasz Nowak", Role.DEPUTY_CLERK)
        factories.approved_account(session, TODAY)
        session.flush()  # rows and audit entries are written to the database here…
        raise error  # …and must all be rolled back here
    assert row_counts(db) == dict.fromkeys(row_counts(db), 0)


def test_a_refused_save_midway_leaves_nothing(db: Database) -> None:
    with pytest.raises(ValidationError, match="already in People"), db.transaction(ACTOR) as session:
        factories.person(session)
        factories.approved_account(session, TODAY)
        factories.person(session, "ZOË HARTLEY", Role.EMPLOYEE)
    assert row_counts(db) == dict.fromkeys(row_counts(db), 0)
    # The audit trail carries on from where it was, with no gap.
    with db.transaction(ACTOR) as session:
        factories.person(session)
    with db.read() as session:
        result = audit.verify(session)
    assert result.ok and result.entries == 1


def test_a_read_session_cannot_write(db: Database) -> None:
    with db.read() as session:
        session.add(Person(name="Tom Beckett", name_key="tom beckett", role=Role.VOLUNTEER.value))
        with pytest.raises(RuntimeError, match="actor"):
            session.flush()
        session.rollback()
    assert row_counts(db)["people"] == 0


# --- stale edits --------------------------------------------------------------------------------


def _person_id_and_version(db: Database) -> tuple[int, int]:
    with db.transaction(ACTOR) as session:
        person = factories.person(session, "Tom Beckett", Role.VOLUNTEER, job_title="Heritage volunteer")
        return person.id, person.version


def test_a_save_from_a_form_opened_before_another_save_is_stale(db: Database) -> None:
    person_id, opened_version = _person_id_and_version(db)
    with db.transaction("Łukasz Nowak") as session:
        people.save(
            session,
            people.PersonData("Tom Beckett", Role.VOLUNTEER, job_title="Archivist"),
            person_id=person_id,
            expected_version=opened_version,
        )
    before = row_counts(db)
    with pytest.raises(StaleEditError, match="changed by someone else"), db.transaction(ACTOR) as session:
        people.save(
            session,
            people.PersonData("Tom Beckett", Role.EMPLOYEE, job_title="Events"),
            person_id=person_id,
            expected_version=opened_version,
        )
    with db.read() as session:
        tom = people.get(session, person_id)
        assert (tom.role, tom.job_title, tom.version) == ("volunteer", "Archivist", opened_version + 1)
    assert row_counts(db) == before


def test_two_sessions_saving_one_record_the_second_is_stale(db: Database) -> None:
    person_id, version = _person_id_and_version(db)
    before = row_counts(db)
    with pytest.raises(StaleEditError), db.transaction(ACTOR) as mine:
        my_copy = mine.get(Person, person_id)
        assert my_copy is not None
        with db.transaction("Łukasz Nowak") as theirs:
            their_copy = theirs.get(Person, person_id)
            assert their_copy is not None
            their_copy.job_title = "Archivist"
        my_copy.job_title = "Events"
    with db.read() as session:
        tom = people.get(session, person_id)
        assert (tom.job_title, tom.version) == ("Archivist", version + 1)
        assert audit.verify(session).ok
    assert row_counts(db)["audit_entries"] == before["audit_entries"] + 1  # theirs only


def test_two_sessions_adding_the_same_name_the_second_is_refused(db: Database) -> None:
    with pytest.raises(DatabaseError, match="clashes with a record"), db.transaction(ACTOR) as mine:
        assert people.by_name(mine, "Tom Beckett") is None
        with db.transaction("Łukasz Nowak") as theirs:
            factories.person(theirs, "Tom Beckett", Role.VOLUNTEER)
        # This form checked the name before their save, so only the database can catch the clash.
        mine.add(Person(name="TOM BECKETT", name_key="tom beckett", role=Role.EMPLOYEE.value))
    with db.read() as session:
        assert [p.name for p in people.all_people(session)] == ["Tom Beckett"]


def test_a_stale_setting_is_refused(db: Database) -> None:
    with db.transaction(ACTOR) as session:
        session.add(Setting(key="council_name", value="Little Ashcombe Town Council"))
    with pytest.raises(StaleEditError), db.transaction(ACTOR) as mine:
        row = mine.get(Setting, "council_name")
        assert row is not None
        with db.transaction("Łukasz Nowak") as theirs:
            other = theirs.get(Setting, "council_name")
            assert other is not None
            other.value = "Little Ashcombe Parish Council"
        row.value = "Little Ashcombe TC"
    with db.read() as session:
        assert session.get(Setting, "council_name").value == "Little Ashcombe Parish Council"


def test_a_new_council_database_is_readable_by_the_user_only(tmp_path: Path, clock: FixedClock) -> None:
    path = tmp_path / "Clerk Desk" / "council.db"
    database = open_database(f"sqlite:///{path}", clock)
    try:
        with database.transaction("Zoë Hartley") as session:
            session.info["checked"] = True  # a write: the -wal file appears
        if os.name == "posix":
            assert stat.S_IMODE(path.stat().st_mode) == 0o600
            assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
            wal = path.with_name("council.db-wal")
            assert not wal.exists() or stat.S_IMODE(wal.stat().st_mode) == 0o600
    finally:
        database.dispose()
