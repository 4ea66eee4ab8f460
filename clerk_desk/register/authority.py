"""Who may change what, and who is acting.

The clerk and deputy clerk control the register (Thornbury 9.1; Barling Magna). Other staff and
volunteers may view it (and, with the incidents capability, report incidents), but not change it.

These checks guard against mistakes, not against someone who can edit the database file: the audit
trail is what makes every change answerable. An actor who is not in People (the OS user setting up a
new database, or a script) is not refused, and is recorded by that name.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from clerk_desk import clauses
from clerk_desk.errors import PermissionDenied
from clerk_desk.models import APPROVER_ROLES, Person
from clerk_desk.register import lookups
from clerk_desk.storage import config
from clerk_desk.storage.clock import clock_of

CLAUSE = clauses.CONTROL


@dataclass(frozen=True)
class Actor:
    """The person acting, as resolved at start-up."""

    name: str
    person_id: int | None
    how: str  # "argument", "login", "remembered" or "os-user"

    @property
    def known(self) -> bool:
        return self.person_id is not None


def os_login() -> str:
    """The OS user name, or '' when the system cannot tell."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def resolve_actor(session: Session, database_url: str, given: str | None) -> Actor:
    """``--actor`` (a name or login), else the person whose login is the OS user, else the person last
    chosen on this PC, else the OS user by name."""
    if given:
        person = lookups.resolve(session, given)
        return Actor(person.name, person.id, "argument") if person else Actor(given, None, "argument")
    login = os_login()
    person = lookups.by_login(session, login) if login else None
    if person is not None:
        return Actor(person.name, person.id, "login")
    remembered = config.remembered_actor(database_url)
    person = lookups.by_name(session, remembered) if remembered else None
    if person is not None:
        return Actor(person.name, person.id, "remembered")
    return Actor(login or "unknown user", None, "os-user")


def acting_person(session: Session) -> Person | None:
    """The person the session acts for, if they are in People."""
    return acting_person_named(session, session.info.get("actor"))


def acting_person_named(session: Session, actor: str | None) -> Person | None:
    """The person of this name, if they are in People."""
    return lookups.by_name(session, actor) if actor else None


def may_manage(person: Person | None, today: date) -> bool:
    """Whether this actor may change the register: a clerk or deputy clerk still in post."""
    return person is None or (person.role in APPROVER_ROLES and not person.has_left(today))


def actor_may_manage(session: Session, actor: str, today: date) -> bool:
    """Whether the named actor may change the register (the window asks, to grey out what they may not do)."""
    return may_manage(acting_person_named(session, actor), today)


def require_manager(session: Session, what: str) -> None:
    """Refuse a change to the register by anyone but the clerk or deputy clerk."""
    person = acting_person(session)
    today = clock_of(session).today()
    if not may_manage(person, today):
        assert person is not None
        state = "no longer in post" if person.has_left(today) else person.role_enum.label.lower()
        raise PermissionDenied(
            f"Only the clerk or deputy clerk may {what} ({CLAUSE}); {person.name} is {state}."
        )
