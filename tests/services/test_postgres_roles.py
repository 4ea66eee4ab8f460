"""Roles PostgreSQL itself enforces: a staff login can log an incident, the server refuses it the register
and any change to the audit trail (also through psql), and the app turns each refusal into a sentence."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import factories
import pytest
from conftest import POSTGRES_ENV, REQUIRE_POSTGRES_ENV
from sqlalchemy import create_engine, func, make_url, select, text, update

from clerk_desk.audit import checkpoints
from clerk_desk.cli import main
from clerk_desk.errors import PermissionDenied
from clerk_desk.incidents import lifecycle
from clerk_desk.models import Account, AuditEntry, Incident, IncidentCategory, Role
from clerk_desk.register import authority, people
from clerk_desk.storage import postgres_roles
from clerk_desk.storage.clock import FixedClock
from clerk_desk.storage.db import Database, open_database

ROLES = ("cdt_clerk", "cdt_staff", "cdt_volunteer", "cdt_reader", "cdt_stranger")
TODAY = date(2026, 11, 21)


@dataclass
class Server:
    url: str
    owner: Database

    def url_for(self, login: str) -> str:
        return make_url(self.url).set(username=login).render_as_string(hide_password=False)

    def psql(self, login: str, sql: str) -> subprocess.CompletedProcess[str]:
        parsed = make_url(self.url)
        host = str(parsed.query.get("host", ""))
        return subprocess.run(
            [
                "psql",
                "-X",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                host,
                "-U",
                login,
                "-d",
                str(parsed.database),
                "-c",
                sql,
            ],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "PGPASSWORD": ""},
        )


def _drop_roles(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        for role in ROLES:
            if conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first():
                conn.execute(text(f'DROP OWNED BY "{role}"'))
                conn.execute(text(f'DROP ROLE "{role}"'))
    engine.dispose()


@pytest.fixture
def server(clock: FixedClock, capsys: pytest.CaptureFixture[str]) -> Iterator[Server]:
    """A council on the test server, with roles set up and logins granted by the owner."""
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        if os.environ.get(REQUIRE_POSTGRES_ENV):
            pytest.fail(f"{POSTGRES_ENV} is not set but {REQUIRE_POSTGRES_ENV} requires the PostgreSQL leg")
        pytest.skip(f"no PostgreSQL server: set {POSTGRES_ENV} (bash .ci/with-postgres.sh uv run pytest)")
    if shutil.which("psql") is None:
        pytest.fail("psql is needed (apt-get install postgresql-client)")
    _drop_roles(url)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    owner = open_database(url, clock)
    with owner.transaction("setup script") as session:
        factories.person(session, "Zoë Hartley", Role.CLERK, login="cdt_clerk")
        factories.person(session, "Nguyễn Thu Hà", Role.EMPLOYEE, login="cdt_staff")
        factories.person(session, "Tom Beckett", Role.VOLUNTEER, login="cdt_volunteer")
        factories.person(session, "Cllr Margaret Oduya", Role.COUNCILLOR, login="cdt_reader")
        factories.approved_account(session, TODAY)
    assert main(["--database", url, "postgres", "setup"]) == 0
    for name in ("Zoë Hartley", "Nguyễn Thu Hà", "Tom Beckett", "Cllr Margaret Oduya"):
        assert main(["--database", url, "postgres", "grant", name]) == 0
    capsys.readouterr()
    try:
        yield Server(url, owner)
    finally:
        owner.dispose()
        _drop_roles(url)


def open_as(server: Server, login: str, clock: FixedClock) -> Database:
    return open_database(server.url_for(login), clock)


def test_a_staff_login_can_log_an_incident_in_its_own_name(server: Server, clock: FixedClock) -> None:
    staff = open_as(server, "cdt_staff", clock)
    try:
        with staff.read() as session:
            actor = authority.resolve_actor(session, staff.url)
        assert (actor.name, actor.how) == ("Nguyễn Thu Hà", "login")
        with staff.transaction(actor.name) as session:
            incident = lifecycle.log(session, "Phishing email", IncidentCategory.OTHER, "Nobody clicked.")
            reference = incident.reference
            lifecycle.add_action(session, incident.id, "Reported to IT.")
        with staff.read() as session:
            saved = session.execute(select(Incident).where(Incident.reference == reference)).scalar_one()
            assert saved.reported_by == "Nguyễn Thu Hà"
            newest = session.execute(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).scalar_one()
            assert newest.actor == "Nguyễn Thu Hà"
    finally:
        staff.dispose()


def test_the_server_refuses_staff_an_update_of_accounts_and_any_change_to_the_trail(server: Server) -> None:
    refused = server.psql("cdt_staff", "UPDATE accounts SET purpose = 'Hijacked'")
    assert refused.returncode != 0
    assert "permission denied for table accounts" in refused.stderr
    for sql in (
        "UPDATE audit_entries SET actor = 'Someone else'",
        "DELETE FROM audit_entries",
        "TRUNCATE audit_entries",
    ):
        refused = server.psql("cdt_staff", sql)
        assert refused.returncode != 0, sql
        assert "permission denied for table audit_entries" in refused.stderr, (sql, refused.stderr)
    # Nor the clerk's login, nor (by the trigger) the owner.
    assert "permission denied" in server.psql("cdt_clerk", "DELETE FROM audit_entries").stderr
    owner = make_url(server.url).username or "postgres"
    by_owner = server.psql(owner, "DELETE FROM audit_entries")
    assert by_owner.returncode != 0
    assert "audit_entries: it is append-only" in by_owner.stderr
    with server.owner.read() as session:
        assert session.execute(select(func.count()).select_from(AuditEntry)).scalar_one() > 0
        purposes = set(session.execute(select(Account.purpose)).scalars())
    assert "Hijacked" not in purposes


def test_staff_get_a_clear_message_from_the_app(
    server: Server, clock: FixedClock, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    csv = tmp_path / "accounts.csv"
    csv.write_text("platform,handle,status\nTikTok,@Hijack,proposed\n", encoding="utf-8")
    code = main(["--database", server.url_for("cdt_staff"), "import", "accounts", str(csv)])
    out, err = capsys.readouterr()
    assert code == 2 and "Traceback" not in out + err
    assert "Only the clerk or deputy clerk may change the register of accounts (Thornbury 9.1); " in err
    staff = open_as(server, "cdt_staff", clock)
    try:
        # Past the app's own check, the server refuses, and the app says so in a sentence.
        with pytest.raises(PermissionDenied) as caught, staff.transaction("Nguyễn Thu Hà") as session:
            session.execute(update(Account).values(purpose="Hijacked"))
        assert str(caught.value) == (
            "The database refused: your database login may not change the register of accounts; your role "
            "in People does not allow it (Thornbury 9.1). Nothing was saved."
        )
        # Writing the trail in someone else's name is refused by row-level security.
        with pytest.raises(PermissionDenied) as caught, staff.transaction("Zoë Hartley") as session:
            lifecycle.log(session, "Claimed", IncidentCategory.OTHER, "As the clerk.")
        assert "only for rows of your own" in str(caught.value)
    finally:
        staff.dispose()


def test_a_reader_reads_and_a_stranger_gets_a_message(
    server: Server, clock: FixedClock, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--database", server.url_for("cdt_reader"), "export", "accounts", "-"])
    out, err = capsys.readouterr()
    assert code == 0 and "Facebook,@TownCouncil" in out
    engine = create_engine(server.url)
    with engine.begin() as conn:
        conn.execute(text('CREATE ROLE "cdt_stranger" LOGIN'))
    engine.dispose()
    code = main(["--database", server.url_for("cdt_stranger"), "export", "accounts", "-"])
    out, err = capsys.readouterr()
    assert code == 2 and "Traceback" not in out + err
    assert err.startswith("clerk-desk: The database refused: your database login may not read ")


def test_a_person_who_leaves_loses_their_login(server: Server, capsys: pytest.CaptureFixture[str]) -> None:
    with server.owner.transaction("Zoë Hartley") as session:
        tom = people.by_name(session, "Tom Beckett")
        assert tom is not None
        people.record_leaving(session, tom.id, tom.version, date(2026, 11, 20))
    assert main(["--database", server.url, "postgres", "grant", "Tom Beckett"]) == 0
    assert (
        "Tom Beckett has left: the login role cdt_volunteer may no longer log in" in capsys.readouterr().out
    )
    refused = server.psql("cdt_volunteer", "SELECT 1")
    assert refused.returncode != 0 and "not permitted to log in" in refused.stderr


def test_grant_names_what_is_wrong(server: Server, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--database", server.url, "postgres", "grant", "Nobody Here"]) == 2
    assert "PERSON: 'Nobody Here' is not in People" in capsys.readouterr().err
    owner = make_url(server.url).username or "postgres"
    engine = create_engine(server.url)
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE people SET login = :o, login_key = :o WHERE name = 'Tom Beckett'"), {"o": owner}
        )
    engine.dispose()
    assert main(["--database", server.url, "postgres", "grant", "Tom Beckett"]) == 2
    assert "does not change its rights" in capsys.readouterr().err


def test_setup_is_refused_on_sqlite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--database", f"sqlite:///{tmp_path / 'c.db'}", "postgres", "setup"]) == 2
    assert "Database roles exist only on PostgreSQL" in capsys.readouterr().err


def test_the_group_for_each_role() -> None:
    from clerk_desk.models import Person

    for role, group in (
        (Role.CLERK, postgres_roles.MANAGER),
        (Role.DEPUTY_CLERK, postgres_roles.MANAGER),
        (Role.EMPLOYEE, postgres_roles.STAFF),
        (Role.VOLUNTEER, postgres_roles.STAFF),
        (Role.CONTRACTOR, postgres_roles.STAFF),
        (Role.COUNCILLOR, postgres_roles.READER),
    ):
        assert postgres_roles.group_for(Person(name="X", role=role.value), TODAY) == group
    assert postgres_roles.group_for(Person(name="X", role="clerk", left_on=TODAY), TODAY) is None


def test_each_role_can_verify_the_trail_and_the_clerk_checkpoints_it(
    server: Server, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLERK_DESK_DATA_DIR", str(tmp_path / "data"))
    clerk = server.url_for("cdt_clerk")
    assert main(["--database", clerk, "audit", "--checkpoint"]) == 0
    with server.owner.read() as session:
        assert [p.made_by for p in checkpoints.in_database(session)] == ["Zoë Hartley"]
    capsys.readouterr()
    for login in ("cdt_clerk", "cdt_staff", "cdt_reader"):
        code = main(["--database", server.url_for(login), "audit", "--verify"])
        out, err = capsys.readouterr()
        assert (code, err) == (0, ""), (login, out, err)
        assert out.splitlines()[-1].startswith("The audit trail is intact and the register matches it")
    # A member of staff's checkpoint stays in their PC's anchor file: the server refuses them the table.
    assert main(["--database", server.url_for("cdt_staff"), "audit", "--checkpoint"]) == 0
    with server.owner.read() as session:
        assert len(checkpoints.in_database(session)) == 1
