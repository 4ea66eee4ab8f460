"""People: who they are, their role, and when they started and left. Nobody is ever deleted."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from clerk_desk import fields
from clerk_desk.errors import NotFoundError, StaleEditError, ValidationError
from clerk_desk.models import APPROVER_ROLES, Person, Role
from clerk_desk.register import authority

COLUMNS = ("name", "role", "email", "job_title", "login", "started_on", "left_on")


@dataclass(frozen=True)
class PersonData:
    """A person's fields, checked one by one; the rules across records are checked by ``save``."""

    name: str
    role: Role
    email: str | None = None
    job_title: str | None = None
    login: str | None = None
    started_on: date | None = None
    left_on: date | None = None


def parse(values: Mapping[str, str | None]) -> PersonData:
    """Read a person from text (a CSV row or a dialog), naming the field of the first bad value."""
    data = PersonData(
        name=fields.required_text(values, "name"),
        role=fields.choice(values, "role", Role),  # type: ignore[arg-type]
        email=fields.email(values, "email"),
        job_title=fields.text(values, "job_title"),
        login=fields.text(values, "login", max_length=100),
        started_on=fields.iso_date(values, "started_on"),
        left_on=fields.iso_date(values, "left_on"),
    )
    if data.started_on and data.left_on and data.left_on < data.started_on:
        raise ValidationError("left_on", "is before started_on")
    return data


def as_row(person: Person) -> dict[str, str]:
    """The person as CSV text."""
    return {
        "name": person.name,
        "role": person.role,
        "email": person.email or "",
        "job_title": person.job_title or "",
        "login": person.login or "",
        "started_on": person.started_on.isoformat() if person.started_on else "",
        "left_on": person.left_on.isoformat() if person.left_on else "",
    }


def fold(text: str) -> str:
    """The form names and logins are compared in: trimmed and case-folded."""
    return text.strip().casefold()


def all_people(session: Session) -> list[Person]:
    """Everyone, in name order, in one query."""
    return list(session.execute(select(Person).order_by(Person.name_key)).scalars())


def get(session: Session, person_id: int) -> Person:
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


def save(
    session: Session,
    data: PersonData,
    *,
    person_id: int | None = None,
    expected_version: int | None = None,
    revoke_grants: bool = False,
) -> Person:
    """Add a person, or update one (``person_id``) that has not changed since ``expected_version``.

    A keyholder becomes a councillor only if their access is revoked in the same step
    (``revoke_grants``), as no elected member may hold direct access (Thornbury 9.2).
    """
    authority.require_manager(session, "change People")
    person = get(session, person_id) if person_id is not None else None
    if person is not None:
        check_version(person, expected_version, f"{person.name}'s record")
    # Checked here too, not only in ``parse``: a form with date pickers builds PersonData directly.
    if data.started_on and data.left_on and data.left_on < data.started_on:
        raise ValidationError("left_on", "is before started_on")
    clash = by_name(session, data.name)
    if clash is not None and clash is not person:
        raise ValidationError("name", f"{clash.name} is already in People; names must be unique")
    if data.login:
        login_clash = by_login(session, data.login)
        if login_clash is not None and login_clash is not person:
            raise ValidationError("login", f"'{data.login}' is already {login_clash.name}'s login")
    if person is None:
        person = Person(name=data.name, name_key=fold(data.name), role=data.role.value)
        session.add(person)
    elif data.role == Role.COUNCILLOR and person.role != Role.COUNCILLOR:
        from clerk_desk.access import grants as access  # access builds on people, not the other way round

        access.before_becoming_councillor(session, person, revoke=revoke_grants)
    person.name = data.name
    person.name_key = fold(data.name)
    person.role = data.role.value
    person.email = data.email
    person.job_title = data.job_title
    person.login = data.login
    person.login_key = fold(data.login) if data.login else None
    person.started_on = data.started_on
    person.left_on = data.left_on
    session.flush()
    return person


def record_leaving(session: Session, person_id: int, expected_version: int | None, left_on: date) -> Person:
    """Record the date someone left; their record and history stay."""
    person = get(session, person_id)
    check_version(person, expected_version, f"{person.name}'s record")
    if person.left_on is not None:
        raise ValidationError("left_on", f"{person.name} already left on {person.left_on.isoformat()}")
    data = parse(as_row(person))
    return save(session, replace(data, left_on=left_on), person_id=person.id, expected_version=person.version)
