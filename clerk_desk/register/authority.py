"""Who is acting, established rather than claimed, and what they may change.

The clerk and deputy clerk control the register (Thornbury 9.1; Barling Magna). Other staff and
volunteers may view it (and report incidents), but not change it.

Who is acting comes from the system, never from what someone types:

- on SQLite, the person whose ``login`` is the OS user;
- on PostgreSQL, the person whose ``login`` is the database user (``current_user``), whose rights the
  server itself enforces (see ``clerk_desk.storage.postgres_roles``);
- on a PC whose OS user is nobody's login, a one-time choice of a person who has no login at all
  (recorded in the audit trail as a choice).

``--actor`` is honoured only while a council is being set up (no clerk or deputy clerk in post yet).
Names are compared after Unicode NFC normalisation and must match exactly, so a look-alike ("Zoe"
with a combining diaeresis, a doubled space) never passes for the clerk. Anyone who is not in People
has no rights, except while the council is being set up.
"""

from __future__ import annotations

import getpass
import unicodedata
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from clerk_desk import clauses
from clerk_desk.audit import chain as audit
from clerk_desk.errors import PermissionDenied
from clerk_desk.models import APPROVER_ROLES, Person
from clerk_desk.register import lookups
from clerk_desk.storage import config
from clerk_desk.storage.clock import clock_of

CLAUSE = clauses.CONTROL
_SETTING_UP = "setting_up"
_ACTING_ID = "acting_person_id"


@dataclass(frozen=True)
class Actor:
    """The person acting, as established at start-up.

    ``how`` is "login" (the OS or database user is their login), "chosen" (picked once on this PC,
    for a person without a login), "setup" (``--actor`` on a council with no clerk yet) or
    "unknown" (nobody in People: no rights).
    """

    name: str
    person_id: int | None
    how: str
    note: str = ""

    @property
    def known(self) -> bool:
        return self.person_id is not None


def normalise(name: str) -> str:
    """A name as it is compared and recorded: Unicode NFC, trimmed (inner spaces are kept as typed)."""
    return unicodedata.normalize("NFC", name).strip()


def os_login() -> str:
    """The OS user name, or '' when the system cannot tell."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def database_user(session: Session) -> str | None:
    """The PostgreSQL user this session connects as (None on SQLite)."""
    if session.get_bind().dialect.name != "postgresql":
        return None
    return str(session.execute(text("SELECT current_user")).scalar_one())


def person_named(session: Session, name: str | None) -> Person | None:
    """The person whose name is exactly this one (after NFC normalisation); no look-alikes."""
    if not name:
        return None
    wanted = normalise(name)
    person = lookups.by_name(session, wanted)
    return person if person is not None and person.name == wanted else None


def managers_in_post(session: Session, today: date) -> list[Person]:
    """The clerk and deputy clerk(s) who have not left."""
    rows = session.execute(select(Person).where(Person.role.in_([r.value for r in APPROVER_ROLES])))
    return [p for p in rows.scalars() if not p.has_left(today)]


def setting_up(session: Session) -> bool:
    """Whether the council is being set up: nobody in People is a clerk or deputy clerk in post.

    Decided once per transaction, before its first change, so the import that creates the clerk can
    also create everyone else.
    """
    if _SETTING_UP not in session.info:
        with session.no_autoflush:
            session.info[_SETTING_UP] = not managers_in_post(session, clock_of(session).today())
    return bool(session.info[_SETTING_UP])


def resolve_actor(session: Session, database_url: str, given: str | None = None) -> Actor:
    """Who is acting on this PC (see the module's description). ``given`` is ``--actor``.

    Raises ``PermissionDenied`` when ``--actor`` is given on a council that already has a clerk and
    names anyone but the person the system established.
    """
    established = _established(session, database_url)
    if not given:
        return established
    if setting_up(session):
        person = person_named(session, given) or lookups.by_login(session, normalise(given))
        if person is not None:
            return Actor(person.name, person.id, "setup")
        return Actor(normalise(given), None, "setup")
    person = person_named(session, given) or lookups.by_login(session, normalise(given))
    if person is not None and person.id == established.person_id:
        return established
    who = f"you are {established.name}" if established.known else established.note or "you are not in People"
    raise PermissionDenied(
        f"--actor is only for setting up a council that has no clerk yet; on this council Clerk Desk "
        f"knows who is acting from the login, and {who} ({CLAUSE})."
    )


def _established(session: Session, database_url: str) -> Actor:
    db_user = database_user(session)
    if db_user is not None:
        person = lookups.by_login(session, db_user)
        if person is not None:
            return Actor(person.name, person.id, "login")
        return Actor(
            db_user,
            None,
            "unknown",
            f"the database user '{db_user}' is nobody's login in People, so it may only read",
        )
    login = os_login()
    person = lookups.by_login(session, login) if login else None
    if person is not None:
        return Actor(person.name, person.id, "login")
    chosen = person_named(session, config.remembered_actor(database_url))
    if chosen is not None and chosen.login is None:
        return Actor(chosen.name, chosen.id, "chosen", f"chosen on this PC by the OS user '{login}'")
    name = login or "unknown user"
    return Actor(name, None, "unknown", f"the OS user '{name}' is nobody's login in People")


def choosable(session: Session, today: date) -> list[Person]:
    """Whom the one-time "Who is using Clerk Desk?" choice may offer: people in post with no login.

    A person whose login is recorded (on another PC) is established by that login, never chosen.
    """
    return [p for p in lookups.all_people(session) if p.login is None and not p.has_left(today)]


def record_choice(session: Session, os_user: str) -> None:
    """Record in the audit trail that the OS user chose to act as the session's person on this PC."""
    person = acting_person(session)
    if person is None or person.login is not None or person.has_left(clock_of(session).today()):
        raise PermissionDenied(
            f"Only a person in post without a login may be chosen as who is using Clerk Desk ({CLAUSE})."
        )
    details = {"how": "chosen on this PC, without a login", "os_user": os_user}
    audit.record(session, "chosen as actor", "Person", str(person.id), person.name, details)


def acting_person(session: Session) -> Person | None:
    """The person the session acts for, if they are in People: found by name once per transaction, then
    by id (so renaming yourself in an import does not make you a stranger half-way through)."""
    known = session.info.get(_ACTING_ID)
    if known is not None:
        return session.get(Person, known)
    with session.no_autoflush:
        person = person_named(session, session.info.get("actor"))
    if person is not None:
        session.info[_ACTING_ID] = person.id
    return person


def acting_person_named(session: Session, actor: str | None) -> Person | None:
    """The person of exactly this name, if they are in People."""
    return person_named(session, actor)


def may_manage(person: Person | None, today: date, *, setting_up: bool = False) -> bool:
    """Whether this actor may change the register: a clerk or deputy clerk still in post.

    Someone who is not in People may not, except while an empty council is being set up.
    """
    if person is None:
        return setting_up
    return person.role in APPROVER_ROLES and not person.has_left(today)


def actor_may_manage(session: Session, actor: str, today: date) -> bool:
    """Whether the named actor may change the register (the window asks, to grey out what they may not do)."""
    person = acting_person_named(session, actor)
    return may_manage(person, today, setting_up=person is None and not managers_in_post(session, today))


def require_person(session: Session, what: str) -> Person | None:
    """Refuse an action by someone who is not in People or has left (outside set-up)."""
    person = acting_person(session)
    today = clock_of(session).today()
    if person is None and not setting_up(session):
        raise PermissionDenied(
            f"Only someone in People may {what} ({CLAUSE}); '{session.info.get('actor')}' is not in People."
        )
    if person is not None and person.has_left(today):
        raise PermissionDenied(f"{person.name} has left, so may no longer {what} ({CLAUSE}).")
    return person


def require_manager(session: Session, what: str) -> None:
    """Refuse a change to the register by anyone but the clerk or deputy clerk."""
    person = acting_person(session)
    today = clock_of(session).today()
    if may_manage(person, today, setting_up=person is None and setting_up(session)):
        return
    if person is None:
        state = f"'{session.info.get('actor')}' is not in People"
    else:
        label = "no longer in post" if person.has_left(today) else person.role_enum.label.lower()
        state = f"{person.name} is {label}"
    raise PermissionDenied(f"Only the clerk or deputy clerk may {what} ({CLAUSE}); {state}.")
