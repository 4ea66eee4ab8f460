"""Delegated access: who holds the keys to which account, on what business case, until when.

Thornbury 9.1 and 3.1.1: access is controlled by the clerk and deputy clerk and delegated case by case
with a business case. Thornbury 9.2: no elected member has direct access. Revoking keeps the row.
When someone who held access leaves or loses it, the account's password is due for a change at once
(Thornbury 9.4): ``keyholders_gone`` is one of ``checks.engine.ROTATE_NOW_SOURCES``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, lazyload
from sqlalchemy.orm.attributes import set_committed_value

from clerk_desk import clauses, fields
from clerk_desk.credentials import rotation
from clerk_desk.errors import NotFoundError, PolicyViolation, ValidationError
from clerk_desk.models import (
    AccessLevel,
    Account,
    AccountStatus,
    Grant,
    Person,
    Role,
    RotationReason,
)
from clerk_desk.register import accounts, authority, lookups, people
from clerk_desk.storage.clock import clock_of

CONTROL_CLAUSE = clauses.CONTROL
MEMBER_CLAUSE = clauses.MEMBER
COLUMNS = (
    "person",
    "account",
    "level",
    "business_case",
    "approved_by",
    "granted_on",
    "expires_on",
    "revoked_on",
    "revoke_reason",
)


@dataclass(frozen=True)
class GrantData:
    """A grant's fields, each checked; the rules across records are checked by ``save``."""

    person: str
    account: str
    level: AccessLevel
    business_case: str | None
    approved_by: str | None
    granted_on: date
    expires_on: date | None = None
    revoked_on: date | None = None
    revoke_reason: str | None = None


def parse(values: Mapping[str, str | None]) -> GrantData:
    """Read a grant from text (a CSV row or a dialog), naming the field of the first bad value."""
    granted_on = fields.iso_date(values, "granted_on", required=True)
    assert granted_on is not None
    return GrantData(
        person=fields.required_text(values, "person"),
        account=fields.required_text(values, "account", max_length=310),
        level=fields.choice(values, "level", AccessLevel),  # type: ignore[arg-type]
        business_case=fields.text(values, "business_case", max_length=4000, multiline=True),
        approved_by=fields.text(values, "approved_by"),
        granted_on=granted_on,
        expires_on=fields.iso_date(values, "expires_on"),
        revoked_on=fields.iso_date(values, "revoked_on"),
        revoke_reason=fields.text(values, "revoke_reason", max_length=2000, multiline=True),
    )


def _iso(value: date | None) -> str:
    return value.isoformat() if value else ""


def as_row(grant: Grant) -> dict[str, str]:
    """The grant as CSV text."""
    return {
        "person": grant.person.name,
        "account": grant.account.name,
        "level": grant.level,
        "business_case": grant.business_case or "",
        "approved_by": grant.approved_by.name if grant.approved_by else "",
        "granted_on": grant.granted_on.isoformat(),
        "expires_on": _iso(grant.expires_on),
        "revoked_on": _iso(grant.revoked_on),
        "revoke_reason": grant.revoke_reason or "",
    }


def all_grants(session: Session) -> list[Grant]:
    """Every grant, with its person, account and approver, in one query."""
    return list(
        session.execute(select(Grant).order_by(Grant.granted_on.desc(), Grant.id.desc())).unique().scalars()
    )


def get(session: Session, grant_id: int) -> Grant:
    grant = session.get(Grant, grant_id)
    if grant is None:
        raise NotFoundError(f"Grant {grant_id} no longer exists")
    return grant


def find(session: Session, person: Person, account: Account, granted_on: date) -> Grant | None:
    """The grant of this person to this account made on this date (how an import recognises a row)."""
    return (
        session.execute(
            select(Grant).where(
                Grant.person_id == person.id, Grant.account_id == account.id, Grant.granted_on == granted_on
            )
        )
        .unique()
        .scalar_one_or_none()
    )


class Known:
    """The people, accounts and grants an import of many grant rows reads once, instead of once a row."""

    def __init__(self, session: Session) -> None:
        self.names = lookups.Names(session)
        self._grants = {_key(g): g for g in session.execute(select(Grant)).unique().scalars()}

    def find(self, person: Person, account: Account, granted_on: date) -> Grant | None:
        """As ``find``, from what was read, and the grants saved since."""
        return self._grants.get((person.id, account.id, granted_on))

    def saved(self, grant: Grant) -> None:
        self._grants[_key(grant)] = grant


def _key(grant: Grant) -> tuple[int, int, date]:
    return (grant.person.id, grant.account.id, grant.granted_on)


resolve_person = lookups.resolve_person
resolve_account = lookups.resolve_account
resolve_approver = lookups.resolve_approver
check_not_member = lookups.check_not_member


def save(
    session: Session,
    data: GrantData,
    today: date,
    *,
    grant_id: int | None = None,
    expected_version: int | None = None,
    known: Known | None = None,
) -> Grant:
    """Record a grant of access, or update one that has not changed since ``expected_version``.

    An import of many rows gives what it read once as ``known``: the same rules apply to it."""
    authority.require_manager(session, "grant or change access")
    grant = get(session, grant_id) if grant_id is not None else None
    if grant is not None:
        people.check_version(grant, expected_version, f"The grant {grant.label}")
    names = known.names if known else None
    person = names.person(data.person) if names else resolve_person(session, data.person)
    account = names.account(data.account) if names else resolve_account(session, data.account)
    in_force = data.revoked_on is None
    if in_force:
        # A revoked grant is history: it may be recorded for someone who has since become a councillor.
        check_not_member(person)
        if not data.business_case:
            raise PolicyViolation(
                "business_case",
                clauses.BUSINESS_CASE,
                "access is delegated case by case, each with its business case",
            )
        if account.status == AccountStatus.CLOSED:
            raise ValidationError("account", f"{account.name} is closed")
        if person.left_on is not None and person.left_on <= data.granted_on:
            raise ValidationError("person", f"{person.name} left on {person.left_on.isoformat()}")
    unchanged_approver = (
        grant is not None
        and grant.approved_by is not None
        and data.approved_by is not None
        and grant.approved_by.name.casefold() == data.approved_by.casefold()
    )
    approver = (
        grant.approved_by
        if unchanged_approver and grant is not None
        else resolve_approver(session, data.approved_by, "approved_by", CONTROL_CLAUSE, "access", names)
    )
    if data.granted_on > today:
        raise ValidationError("granted_on", "is in the future; record a grant when it is made")
    if data.expires_on is not None and data.expires_on <= data.granted_on:
        raise ValidationError("expires_on", "must be after granted_on")
    if data.revoked_on is not None:
        if data.revoked_on < data.granted_on:
            raise ValidationError("revoked_on", "is before granted_on")
        if data.revoked_on > today:
            raise ValidationError("revoked_on", "is in the future")
        if not data.revoke_reason:
            raise ValidationError("revoke_reason", "is required when access is revoked")
    elif data.revoke_reason:
        raise ValidationError("revoke_reason", "must be blank unless revoked_on is given")
    on = data.granted_on
    clash = known.find(person, account, on) if known else find(session, person, account, on)
    if clash is not None and clash is not grant:
        raise ValidationError(
            "granted_on", f"{person.name} already has a grant to {account.name} made that day"
        )
    revoking = (grant is None or grant.revoked_on is None) and data.revoked_on is not None
    # Looked up before the grant changes: the query would flush a half-made revocation to the audit trail.
    revoker = authority.acting_person(session) if revoking else None
    if grant is None:
        grant = Grant(person=person, account=account, granted_on=data.granted_on, level=data.level.value)
        session.add(grant)
    grant.person = person
    grant.account = account
    grant.level = data.level.value
    grant.business_case = data.business_case
    grant.approved_by = approver
    grant.granted_on = data.granted_on
    grant.expires_on = data.expires_on
    grant.revoked_on = data.revoked_on
    grant.revoke_reason = data.revoke_reason
    if revoking:
        grant.revoked_by = revoker
    elif data.revoked_on is None:
        grant.revoked_by = None
    session.flush()
    if known:
        known.saved(grant)
    return grant


def revoke(
    session: Session, grant_id: int, expected_version: int | None, revoked_on: date, reason: str, today: date
) -> Grant:
    """Revoke a grant; the row, with who revoked it, when and why, stays in the history."""
    grant = get(session, grant_id)
    people.check_version(grant, expected_version, f"The grant {grant.label}")
    if grant.revoked_on is not None:
        raise ValidationError(
            "revoked_on", f"{grant.label} was already revoked on {grant.revoked_on.isoformat()}"
        )
    data = replace(parse(as_row(grant)), revoked_on=revoked_on, revoke_reason=reason.strip() or None)
    return save(session, data, today, grant_id=grant.id, expected_version=grant.version)


def in_force_for(session: Session, person: Person, on: date) -> list[Grant]:
    return [g for g in all_grants(session) if g.person_id == person.id and g.revoked_on is None]


def access_end(grant: Grant, today: date) -> tuple[date, str] | None:
    """When and how the person lost this access, if they have: revoked, left, or the grant expired."""
    ends = []
    if grant.revoked_on is not None and grant.revoked_on <= today:
        ends.append((grant.revoked_on, f"{grant.person.name}'s access was revoked"))
    if grant.person.left_on is not None and grant.person.left_on <= today:
        ends.append((grant.person.left_on, f"{grant.person.name}, who held access, left"))
    if grant.expires_on is not None and grant.expires_on <= today:
        ends.append((grant.expires_on, f"{grant.person.name}'s access expired"))
    return min(ends) if ends else None


#: A grant's relations, set by ``unrevoked`` from the people and accounts already read.
_GRANT_RELATIONS = (Grant.person, Grant.account, Grant.approved_by, Grant.revoked_by)


def unrevoked(session: Session, everyone: Sequence[Person], registered: Sequence[Account]) -> list[Grant]:
    """Grants not revoked (in force, or expired and still to be revoked): the ones the rules look at.

    ``everyone`` and ``registered`` are the people and accounts already read (``people.all_people``,
    ``accounts.all_accounts``): each grant's person, account, approver and revoker are taken from them
    instead of being joined into the query and matched row by row.
    """
    query = (
        select(Grant)
        .options(*(lazyload(relation) for relation in _GRANT_RELATIONS))
        .where(Grant.revoked_on.is_(None))
        .order_by(Grant.granted_on.desc(), Grant.id.desc())
    )
    by_person = {person.id: person for person in everyone}
    by_account = {account.id: account for account in registered}

    def person(person_id: int | None) -> Person | None:
        if person_id is None:
            return None
        return by_person.get(person_id) or session.get(Person, person_id)

    found = list(session.execute(query).scalars())
    for grant in found:
        set_committed_value(grant, "person", person(grant.person_id))
        account = by_account.get(grant.account_id) or session.get(Account, grant.account_id)
        set_committed_value(grant, "account", account)
        set_committed_value(grant, "approved_by", person(grant.approved_by_id))
        set_committed_value(grant, "revoked_by", person(grant.revoked_by_id))
    return found


def keyholders_gone(session: Session) -> Iterable[rotation.RotateNowEvent]:
    """Someone who held access left or lost it: the password is changed at once (Thornbury 9.4).

    Only grants that ended after their account's password last changed are read: on a council with
    years of history, the grants whose end was long since dealt with cost nothing.
    """
    today = clock_of(session).today()
    changed = Account.last_rotated_on
    query = (
        select(Grant)
        .join(Account, Grant.account_id == Account.id)
        .join(Person, Grant.person_id == Person.id)
        .where(
            or_(
                changed.is_(None),
                Grant.revoked_on > changed,
                Grant.expires_on > changed,
                Person.left_on > changed,
            )
        )
        .order_by(Grant.id)  # two ends on one day: the same one is named on every PC and database
    )
    for grant in session.execute(query).unique().scalars():
        end = access_end(grant, today)
        if end is not None:
            yield rotation.RotateNowEvent(grant.account_id, end[0], end[1], RotationReason.KEYHOLDER_LEFT)


def expiring(grants: Iterable[Grant], today: date, within_days: int) -> list[Grant]:
    """Grants in force that expire within the window."""
    horizon = today + timedelta(days=within_days)
    return [
        g
        for g in grants
        if g.revoked_on is None
        and g.expires_on is not None
        and g.person.left_on is None
        and g.expires_on <= horizon
    ]


@dataclass(frozen=True)
class Choices:
    """What a grant or designation form may offer: who may hold keys, on which accounts, approved by whom."""

    people: list[str]
    accounts: list[str]
    approvers: list[str]


def choices(session: Session, today: date) -> Choices:
    """Current people who are not councillors (Thornbury 9.2), accounts not closed, and the approvers."""
    return Choices(
        [p.name for p in people.all_people(session) if not p.has_left(today) and p.role != Role.COUNCILLOR],
        [a.name for a in accounts.all_accounts(session) if a.status != AccountStatus.CLOSED],
        [p.name for p in people.approvers(session, today)],
    )
