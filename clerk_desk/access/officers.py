"""Designated officers: who may post in the council's name, on which accounts.

District policy 5a: only designated officers post in the council's name, and the list of designated
officers and their sites is held centrally. Thornbury 3: the same, as the council's social media users.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from clerk_desk import clauses, fields
from clerk_desk.errors import NotFoundError, ValidationError
from clerk_desk.models import AccountStatus, Designation, Person
from clerk_desk.register import authority, lookups

CLAUSE = clauses.OFFICERS
COLUMNS = ("person", "accounts", "designated_by", "designated_on", "ended_on")


@dataclass(frozen=True)
class OfficerData:
    person: str
    accounts: tuple[str, ...]
    designated_by: str | None
    designated_on: date
    ended_on: date | None = None


def parse(values: Mapping[str, str | None]) -> OfficerData:
    """Read a designation from text; accounts are ``Platform:handle`` separated by ``;``."""
    designated_on = fields.iso_date(values, "designated_on", required=True)
    assert designated_on is not None
    raw_accounts = fields.text(values, "accounts", max_length=4000) or ""
    return OfficerData(
        person=fields.required_text(values, "person"),
        accounts=tuple(part.strip() for part in raw_accounts.split(";") if part.strip()),
        designated_by=fields.text(values, "designated_by"),
        designated_on=designated_on,
        ended_on=fields.iso_date(values, "ended_on"),
    )


def as_row(designation: Designation) -> dict[str, str]:
    return {
        "person": designation.person.name,
        "accounts": ";".join(a.name for a in designation.accounts),
        "designated_by": designation.designated_by.name if designation.designated_by else "",
        "designated_on": designation.designated_on.isoformat(),
        "ended_on": designation.ended_on.isoformat() if designation.ended_on else "",
    }


def all_designations(session: Session) -> list[Designation]:
    """Every designation with its person, designator and accounts (two queries in all)."""
    return list(
        session.execute(select(Designation).order_by(Designation.designated_on.desc(), Designation.id.desc()))
        .unique()
        .scalars()
    )


def get(session: Session, designation_id: int) -> Designation:
    found = session.get(Designation, designation_id)
    if found is None:
        raise NotFoundError(f"Designation {designation_id} no longer exists")
    return found


def find(session: Session, person: Person, designated_on: date) -> Designation | None:
    return (
        session.execute(
            select(Designation).where(
                Designation.person_id == person.id, Designation.designated_on == designated_on
            )
        )
        .unique()
        .scalar_one_or_none()
    )


def save(
    session: Session,
    data: OfficerData,
    today: date,
    *,
    designation_id: int | None = None,
    expected_version: int | None = None,
) -> Designation:
    """Designate an officer, or update a designation that has not changed since ``expected_version``."""
    authority.require_manager(session, "designate officers")
    designation = get(session, designation_id) if designation_id is not None else None
    if designation is not None:
        lookups.check_version(designation, expected_version, f"The designation of {designation.person.name}")
    person = lookups.resolve_person(session, data.person)
    if data.ended_on is None:
        # Posting for the council is direct access to its accounts (Thornbury 9.2).
        lookups.check_not_member(person)
        if person.left_on is not None and person.left_on <= today:
            raise ValidationError("person", f"{person.name} left on {person.left_on.isoformat()}")
    if not data.accounts:
        raise ValidationError("accounts", f"name at least one account the officer may post on ({CLAUSE})")
    sites = []
    for name in data.accounts:
        account = lookups.resolve_account(session, name, "accounts")
        if data.ended_on is None and account.status == AccountStatus.CLOSED:
            raise ValidationError("accounts", f"{account.name} is closed")
        if account not in sites:
            sites.append(account)
    # The order the accounts load in, so the scope reads the same however they were typed.
    sites.sort(key=lambda a: (a.platform_key, a.handle_key))
    unchanged = (
        designation is not None
        and designation.designated_by is not None
        and data.designated_by
        and designation.designated_by.name.casefold() == data.designated_by.casefold()
    )
    designator = (
        designation.designated_by
        if unchanged and designation is not None
        else lookups.resolve_approver(session, data.designated_by, "designated_by", CLAUSE, "a designation")
    )
    if data.designated_on > today:
        raise ValidationError("designated_on", "is in the future")
    if data.ended_on is not None and data.ended_on < data.designated_on:
        raise ValidationError("ended_on", "is before designated_on")
    clash = find(session, person, data.designated_on)
    if clash is not None and clash is not designation:
        raise ValidationError("designated_on", f"{person.name} already has a designation made that day")
    if designation is None:
        designation = Designation(person=person, designated_on=data.designated_on)
        session.add(designation)
    designation.person = person
    designation.designated_by = designator
    designation.designated_on = data.designated_on
    designation.ended_on = data.ended_on
    designation.accounts = sites
    designation.scope = "; ".join(a.name for a in sites)
    session.flush()
    return designation


def end(
    session: Session, designation_id: int, expected_version: int | None, ended_on: date, today: date
) -> Designation:
    """End a designation; it stays on record."""
    designation = get(session, designation_id)
    if designation.ended_on is not None:
        raise ValidationError("ended_on", f"The designation of {designation.person.name} already ended")
    data = replace(parse(as_row(designation)), ended_on=ended_on)
    return save(session, data, today, designation_id=designation.id, expected_version=expected_version)


def end_all_for(session: Session, person: Person, on: date) -> int:
    """End every designation of a person (when they leave); returns how many."""
    count = 0
    for designation in all_designations(session):
        if designation.person_id == person.id and designation.ended_on is None:
            designation.ended_on = max(on, designation.designated_on)
            count += 1
    return count
