"""Finding people and accounts by what a clerk types: names, logins, ``Platform:handle``.

The bottom of the register: every capability resolves the names in a form or a CSV row through here,
so none of them needs another capability's module for it.
"""

from __future__ import annotations

import unicodedata
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from clerk_desk import clauses
from clerk_desk.errors import NotFoundError, PolicyViolation, StaleEditError, ValidationError
from clerk_desk.models import APPROVER_ROLES, Account, Person, Role

MEMBER_CLAUSE = clauses.MEMBER


def fold(text: str) -> str:
    """The form names and logins are compared in: Unicode NFC, trimmed and case-folded."""
    return unicodedata.normalize("NFC", text).strip().casefold()


def all_people(session: Session) -> list[Person]:
    """Everyone, in name order, in one query."""
    return list(session.execute(select(Person).order_by(Person.name_key)).scalars())


def get_person(session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id)
    if person is None:
        raise NotFoundError(f"Person {person_id} no longer exists")
    return person


def by_name(session: Session, name: str) -> Person | None:
    """The person with this name, ignoring case."""
    return session.execute(select(Person).where(Person.name_key == fold(name))).scalar_one_or_none()


def by_login(session: Session, login: str) -> Person | None:
    """The person whose login is this OS user name, ignoring case."""
    return session.execute(select(Person).where(Person.login_key == fold(login))).scalar_one_or_none()


def resolve(session: Session, name_or_login: str) -> Person | None:
    """A person named by full name or by login."""
    return by_name(session, name_or_login) or by_login(session, name_or_login)


def approvers(session: Session, on: date) -> list[Person]:
    """The clerk and deputy clerk(s) in post on a date."""
    return [
        p
        for p in all_people(session)
        if p.role in APPROVER_ROLES and not p.has_left(on) and (p.started_on is None or p.started_on <= on)
    ]


def check_version(record: Person | object, expected: int | None, what: str) -> None:
    """Refuse a save made from a form opened before someone else's save."""
    if expected is not None and getattr(record, "version", None) != expected:
        raise StaleEditError(what)


def account_by_name(session: Session, name: str) -> Account | None:
    """The account named ``Platform:handle``, ignoring case."""
    platform, sep, handle = name.partition(":")
    if not sep:
        return None
    return session.execute(
        select(Account).where(Account.platform_key == fold(platform), Account.handle_key == fold(handle))
    ).scalar_one_or_none()


def resolve_person(session: Session, name: str, field: str = "person") -> Person:
    person = by_name(session, name)
    if person is None:
        raise ValidationError(field, f"'{name}' is not in People")
    return person


def resolve_account(session: Session, name: str, field: str = "account") -> Account:
    account = account_by_name(session, name)
    if account is None:
        raise ValidationError(field, f"'{name}' is not in the register (write it as Platform:handle)")
    return account


def resolve_approver(session: Session, name: str | None, field: str, clause: str, what: str) -> Person:
    """The clerk or deputy clerk who approved something."""
    if not name:
        raise PolicyViolation(field, clause, f"{what} needs the clerk or deputy clerk who approved it")
    person = resolve_person(session, name, field)
    if person.role not in APPROVER_ROLES:
        raise PolicyViolation(
            field,
            clause,
            f"{what} is approved by the clerk or deputy clerk; {person.name} is "
            f"{person.role_enum.label.lower()}",
        )
    return person


def check_not_member(person: Person, field: str = "person") -> None:
    """Thornbury 9.2: no elected member has direct access to the council's accounts."""
    if person.role == Role.COUNCILLOR:
        raise PolicyViolation(
            field,
            MEMBER_CLAUSE,
            f"elected members may not hold direct access to council accounts; {person.name} is a councillor",
        )
