"""Roles the PostgreSQL server itself enforces, so a login with the connection string can do no more
than its holder's role in People allows (Thornbury 9.1).

``setup`` (``clerk-desk postgres setup``, run once by the database owner, and again after an upgrade)
creates three group roles and their grants:

- ``clerk_desk_manager`` (clerk, deputy clerk): read and write;
- ``clerk_desk_staff`` (employees, volunteers, contractors): read the register; log incidents, add
  timeline entries, follow-up steps and evidence; change only the incidents they reported;
- ``clerk_desk_reader`` (councillors, the internal auditor): read only, and never the sealed password
  copies.

The audit trail and its checkpoints are append-only for every role: no UPDATE, DELETE or TRUNCATE, by
REVOKE and by a trigger that refuses them (the trigger stops the owner too). Row-level security lets a
member of staff touch only their own rows, and lets nobody write an audit entry in someone else's name.

``grant`` (``clerk-desk postgres grant PERSON``) creates or updates a person's login role from their role
in People, and takes every right away when they have left.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, text

from clerk_desk.errors import ClerkDeskError
from clerk_desk.models import APPROVER_ROLES, Person, Role

MANAGER = "clerk_desk_manager"
STAFF = "clerk_desk_staff"
READER = "clerk_desk_reader"
GROUPS = (MANAGER, STAFF, READER)
CLAUSE = "Thornbury 9.1"

#: Tables no reader or member of staff may read: sealed password copies and sealed keys.
SEALED_TABLES = frozenset({"sealed_copies", "recovery_keys", "audit_key_copies"})
#: Append-only for everyone.
APPEND_ONLY = ("audit_entries", "audit_checkpoints", "audit_signers")
#: What staff may add to, beyond the audit trail.
STAFF_INSERT = (
    "incidents",
    "incident_accounts",
    "incident_people",
    "incident_steps",
    "incident_actions",
    "incident_evidence",
)
#: What only the owner writes (the schema version, the database's identity).
OWNER_ONLY = ("alembic_version", "database_identity")
_ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_.-]{0,62}$")


class RoleError(ClerkDeskError):
    """A role that cannot be set up or granted, with the reason."""


def _q(name: str) -> str:
    """A role or table name as a quoted identifier (names are checked against ``_ROLE_NAME`` first)."""
    return '"' + name.replace('"', '""') + '"'


def _require_postgres(conn: Connection) -> None:
    if conn.dialect.name != "postgresql":
        raise RoleError(
            "Database roles exist only on PostgreSQL; a SQLite file is protected by the PC's own accounts."
        )


def _tables(conn: Connection) -> list[str]:
    rows = conn.execute(
        text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
    )
    return [r[0] for r in rows]


_PERSON_FUNCTION = """
CREATE OR REPLACE FUNCTION clerk_desk_person_name() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
    SELECT name FROM people
    WHERE login_key = lower(session_user) AND (left_on IS NULL OR left_on > current_date)
$$
"""

_APPEND_ONLY_FUNCTION = """
CREATE OR REPLACE FUNCTION clerk_desk_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING
        ERRCODE = 'insufficient_privilege',
        MESSAGE = format('permission denied for table %s: it is append-only', TG_TABLE_NAME);
END
$$
"""

#: (table, policy, command, roles, USING, WITH CHECK); USING/CHECK None means "true".
_ME = "clerk_desk_person_name()"
_OWN_INCIDENT = f"EXISTS (SELECT 1 FROM incidents i WHERE i.id = incident_id AND i.reported_by = {_ME})"
_OWN_KEY = (
    "EXISTS (SELECT 1 FROM person_keys k JOIN people p ON p.id = k.person_id "
    f"WHERE k.id = person_key_id AND p.name = {_ME})"
)
_POLICIES: tuple[tuple[str, str, str, str, str | None, str | None], ...] = (
    ("incidents", "manager_all", "ALL", MANAGER, None, None),
    ("incidents", "everyone_reads", "SELECT", f"{STAFF}, {READER}", None, None),
    ("incidents", "staff_reports", "INSERT", STAFF, None, f"reported_by = {_ME}"),
    ("incidents", "staff_updates_own", "UPDATE", STAFF, f"reported_by = {_ME}", f"reported_by = {_ME}"),
    ("incident_steps", "manager_all", "ALL", MANAGER, None, None),
    ("incident_steps", "everyone_reads", "SELECT", f"{STAFF}, {READER}", None, None),
    ("incident_steps", "staff_adds_own", "INSERT", STAFF, None, _OWN_INCIDENT),
    ("incident_steps", "staff_updates_own", "UPDATE", STAFF, _OWN_INCIDENT, _OWN_INCIDENT),
    ("incident_actions", "manager_all", "ALL", MANAGER, None, None),
    ("incident_actions", "everyone_reads", "SELECT", f"{STAFF}, {READER}", None, None),
    ("incident_actions", "staff_writes_own", "INSERT", STAFF, None, f"author = {_ME}"),
    ("incident_evidence", "manager_all", "ALL", MANAGER, None, None),
    ("incident_evidence", "everyone_reads", "SELECT", f"{STAFF}, {READER}", None, None),
    ("incident_evidence", "staff_adds_own", "INSERT", STAFF, None, f"added_by = {_ME}"),
    ("audit_entries", "everyone_reads", "SELECT", f"{MANAGER}, {STAFF}, {READER}", None, None),
    ("audit_entries", "in_own_name", "INSERT", f"{MANAGER}, {STAFF}", None, f"actor = {_ME}"),
    ("audit_checkpoints", "everyone_reads", "SELECT", f"{MANAGER}, {STAFF}, {READER}", None, None),
    ("audit_checkpoints", "in_own_name", "INSERT", MANAGER, None, f"made_by = {_ME}"),
    ("audit_signers", "everyone_reads", "SELECT", f"{MANAGER}, {STAFF}, {READER}", None, None),
    ("audit_signers", "own_key", "INSERT", MANAGER, None, _OWN_KEY),
)


def setup(conn: Connection) -> list[str]:
    """Create the group roles, grants, policies and append-only triggers (run by the database owner).

    Safe to run again: everything is replaced, so it also covers tables added by an upgrade.
    """
    _require_postgres(conn)
    done: list[str] = []
    for group in GROUPS:
        exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": group}).first()
        if not exists:
            conn.execute(text(f"CREATE ROLE {_q(group)} NOLOGIN"))
            done.append(f"created the group role {group}")
    schema = conn.execute(text("SELECT current_schema()")).scalar_one()
    tables = _tables(conn)
    everyone = ", ".join(_q(g) for g in GROUPS)
    conn.execute(text(f"GRANT USAGE ON SCHEMA {_q(schema)} TO {everyone}"))
    conn.execute(text(f"REVOKE ALL ON ALL TABLES IN SCHEMA {_q(schema)} FROM PUBLIC, {everyone}"))
    conn.execute(
        text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {_q(schema)} TO {_q(MANAGER)}, {_q(STAFF)}")
    )
    readable = [t for t in tables if t not in SEALED_TABLES]
    for table in tables:
        conn.execute(text(f"GRANT SELECT ON {_q(table)} TO {_q(MANAGER)}"))
        if table not in OWNER_ONLY and table not in APPEND_ONLY:
            conn.execute(text(f"GRANT INSERT, UPDATE, DELETE ON {_q(table)} TO {_q(MANAGER)}"))
    for table in readable:
        conn.execute(text(f"GRANT SELECT ON {_q(table)} TO {_q(STAFF)}, {_q(READER)}"))
    for table in STAFF_INSERT:
        if table in tables:
            conn.execute(text(f"GRANT INSERT ON {_q(table)} TO {_q(STAFF)}"))
    for table in ("incidents", "incident_steps"):
        conn.execute(text(f"GRANT UPDATE ON {_q(table)} TO {_q(STAFF)}"))
    conn.execute(text(f"GRANT INSERT ON audit_entries TO {_q(MANAGER)}, {_q(STAFF)}"))
    conn.execute(text(f"GRANT INSERT ON audit_checkpoints, audit_signers TO {_q(MANAGER)}"))
    if "audit_key_copies" in tables:
        # Who holds the audit key, without the sealed key itself.
        conn.execute(
            text(
                "GRANT SELECT (id, key_id, person_key_id, recovery_key_id, created_at) ON audit_key_copies "
                f"TO {_q(STAFF)}, {_q(READER)}"
            )
        )
    done.append(f"granted {MANAGER} read and write, {STAFF} incidents, {READER} read only")

    conn.execute(text(_PERSON_FUNCTION.format(schema=_q(schema))))
    conn.execute(text("REVOKE ALL ON FUNCTION clerk_desk_person_name() FROM PUBLIC"))
    conn.execute(text(f"GRANT EXECUTE ON FUNCTION clerk_desk_person_name() TO {everyone}"))
    conn.execute(text(_APPEND_ONLY_FUNCTION))
    for table in APPEND_ONLY:
        conn.execute(text(f"REVOKE UPDATE, DELETE, TRUNCATE ON {_q(table)} FROM PUBLIC, {everyone}"))
        conn.execute(text(f"DROP TRIGGER IF EXISTS append_only ON {_q(table)}"))
        conn.execute(text(f"DROP TRIGGER IF EXISTS append_only_truncate ON {_q(table)}"))
        conn.execute(
            text(
                f"CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON {_q(table)} "
                "FOR EACH ROW EXECUTE FUNCTION clerk_desk_append_only()"
            )
        )
        conn.execute(
            text(
                f"CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON {_q(table)} "
                "FOR EACH STATEMENT EXECUTE FUNCTION clerk_desk_append_only()"
            )
        )
    done.append("made the audit trail and its checkpoints append-only (REVOKE and a trigger)")

    for table in sorted({p[0] for p in _POLICIES}):
        conn.execute(text(f"ALTER TABLE {_q(table)} ENABLE ROW LEVEL SECURITY"))
    for table, name, command, roles, using, check in _POLICIES:
        conn.execute(text(f"DROP POLICY IF EXISTS {name} ON {_q(table)}"))
        sql = f"CREATE POLICY {name} ON {_q(table)} FOR {command} TO {roles}"
        if command != "INSERT":
            sql += f" USING ({using or 'true'})"
        if command != "SELECT" and (check or command == "ALL"):
            sql += f" WITH CHECK ({check or 'true'})"
        conn.execute(text(sql))
    done.append(
        "limited staff by row-level security to the incidents they reported, and every writer to "
        "audit entries in their own name"
    )
    return done


@dataclass(frozen=True)
class Granted:
    """What ``grant`` did to a person's login role."""

    role_name: str
    group: str | None  # None: every right taken away
    created: bool

    def describe(self, person: str) -> str:
        if self.group is None:
            return (
                f"{person} has left: the login role {self.role_name} may no longer log in and holds no "
                "rights."
            )
        made = "Created" if self.created else "Updated"
        return (
            f"{made} the login role {self.role_name} for {person}, a member of {self.group}. Set its "
            f"password with psql's \\password {self.role_name} (or use the server's own sign-in)."
        )


def group_for(person: Person, today: date) -> str | None:
    """The group role a person's role in People gives, or None once they have left."""
    if person.has_left(today):
        return None
    if person.role in APPROVER_ROLES:
        return MANAGER
    if person.role == Role.COUNCILLOR:
        return READER
    return STAFF


def grant(conn: Connection, person: Person, today: date) -> Granted:
    """Create or update the login role for ``person`` from their role in People (revoke when they left)."""
    _require_postgres(conn)
    if not person.login:
        raise RoleError(
            f"{person.name} has no login in People; record the database user name they will sign in with as "
            "their login first."
        )
    role_name = person.login.strip().lower()
    if not _ROLE_NAME.match(role_name):
        raise RoleError(
            f"login: '{person.login}' cannot be a database user name (letters, digits, _ . - only, "
            "starting with a letter)"
        )
    existing = conn.execute(
        text("SELECT rolsuper, rolcreaterole, rolname = session_user FROM pg_roles WHERE rolname = :r"),
        {"r": role_name},
    ).first()
    if existing is not None and (existing[0] or existing[1] or existing[2]):
        raise RoleError(
            f"The database user {role_name} administers the server or is running this command; Clerk Desk "
            "does not change its rights."
        )
    if role_name in GROUPS:
        raise RoleError(f"login: '{person.login}' is the name of one of Clerk Desk's group roles")
    group = group_for(person, today)
    created = existing is None
    if created:
        conn.execute(text(f"CREATE ROLE {_q(role_name)} LOGIN"))
    for other in GROUPS:
        conn.execute(text(f"REVOKE {_q(other)} FROM {_q(role_name)}"))
    if group is None:
        conn.execute(text(f"ALTER ROLE {_q(role_name)} NOLOGIN"))
    else:
        conn.execute(text(f"ALTER ROLE {_q(role_name)} LOGIN"))
        conn.execute(text(f"GRANT {_q(group)} TO {_q(role_name)}"))
    return Granted(role_name, group, created)
