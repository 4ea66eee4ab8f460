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
    return _known_person(by_name(session, name), name, field)


def resolve_account(session: Session, name: str, field: str = "account") -> Account:
    return _known_account(account_by_name(session, name), name, field)


def _known_person(person: Person | None, name: str, field: str) -> Person:
    if person is None:
        raise ValidationError(field, f"'{name}' is not in People")
    return person


def _known_account(account: Account | None, name: str, field: str) -> Account:
    if account is None:
        raise ValidationError(field, f"'{name}' is not in the register (write it as Platform:handle)")
    return account


class Names:
    """Every person and account read once, for an import of many rows: the same answers and messages as
    ``resolve_person`` and ``resolve_account`` without a query for each row."""

    def __init__(self, session: Session) -> None:
        self.people = {p.name_key: p for p in session.execute(select(Person)).scalars()}
        self.accounts = {
            (a.platform_key, a.handle_key): a for a in session.execute(select(Account)).scalars()
        }

    def person(self, name: str, field: str = "person") -> Person:
        return _known_person(self.people.get(fold(name)), name, field)

    def account(self, name: str, field: str = "account") -> Account:
        platform, sep, handle = name.partition(":")
        found = self.accounts.get((fold(platform), fold(handle))) if sep else None
        return _known_account(found, name, field)


def resolve_approver(
    session: Session, name: str | None, field: str, clause: str, what: str, names: Names | None = None
) -> Person:
    """The clerk or deputy clerk who approved something (found in ``names`` when an import read them)."""
    if not name:
        raise PolicyViolation(field, clause, f"{what} needs the clerk or deputy clerk who approved it")
    person = names.person(name, field) if names else resolve_person(session, name, field)
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
