"""People: who they are, their role, and when they started and left. Nobody is ever deleted."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from clerk_desk import fields
from clerk_desk.errors import PolicyViolation, ValidationError
from clerk_desk.models import Designation, Grant, Person, Role
from clerk_desk.register import authority, lookups
from clerk_desk.register.lookups import all_people as all_people
from clerk_desk.register.lookups import approvers as approvers
from clerk_desk.register.lookups import by_login as by_login
from clerk_desk.register.lookups import by_name as by_name
from clerk_desk.register.lookups import check_version as check_version
from clerk_desk.register.lookups import fold as fold
from clerk_desk.register.lookups import get_person as get
from clerk_desk.register.lookups import resolve as resolve

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


def save(
    session: Session,
    data: PersonData,
    *,
    person_id: int | None = None,
    expected_version: int | None = None,
) -> Person:
    """Add a person, or update one (``person_id``) that has not changed since ``expected_version``.

    A keyholder or designated officer becomes a councillor only with their access revoked and their
    designations ended in the same step (``access.leaving.save_person``), as no elected member may hold
    direct access (Thornbury 9.2); here such a change is refused.
    """
    authority.require_manager(session, "change People")
    # One spelling of each name: "Zoë" typed with a combining diaeresis is the same name, stored once.
    data = replace(data, name=authority.normalise(data.name))
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
        _refuse_while_holding_access(session, person)
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


def _refuse_while_holding_access(session: Session, person: Person) -> None:
    """A councillor may hold no access and no designation (Thornbury 9.2)."""
    held = session.execute(
        select(Grant).where(Grant.person_id == person.id, Grant.revoked_on.is_(None))
    ).scalars()
    designated = session.execute(
        select(Designation).where(Designation.person_id == person.id, Designation.ended_on.is_(None))
    ).scalars()
    keys = ", ".join(sorted({g.account.name for g in held}))
    sites = ", ".join(sorted({a.name for d in designated for a in d.accounts}))
    what = " and ".join(
        part
        for part in (
            f"holds access to {keys}" if keys else "",
            f"is a designated officer for {sites}" if sites else "",
        )
        if part
    )
    if what:
        raise PolicyViolation(
            "role",
            lookups.MEMBER_CLAUSE,
            f"{person.name} {what}; a councillor may not, so revoke it in the same step",
        )
