"""The cascades when a person's standing changes: leaving the council, or becoming a councillor.

They sit above people, grants and officers because they change all three in one step: a leaver's
grants are revoked and designations ended, so every account they held is due for a password change
(Thornbury 9.4); a keyholder or designated officer becomes a councillor only with their access revoked
and their designations ended in the same step (Thornbury 9.2).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from clerk_desk.access import officers
from clerk_desk.access.grants import in_force_for
from clerk_desk.models import Grant, Person, Role
from clerk_desk.register import authority, people
from clerk_desk.storage.clock import clock_of


def save_person(
    session: Session,
    data: people.PersonData,
    *,
    person_id: int | None = None,
    expected_version: int | None = None,
    revoke_grants: bool = False,
) -> Person:
    """``people.save``, revoking the access and ending the designations of someone who becomes a
    councillor when ``revoke_grants`` is given (Thornbury 9.2); without it such a save is refused."""
    if revoke_grants and person_id is not None and data.role == Role.COUNCILLOR:
        person = people.get(session, person_id)
        if person.role != Role.COUNCILLOR:
            people.check_version(person, expected_version, f"{person.name}'s record")
            _end_access(session, person, clock_of(session).today(), "Became a councillor (Thornbury 9.2)")
    return people.save(session, data, person_id=person_id, expected_version=expected_version)


def _end_access(session: Session, person: Person, on: date, reason: str) -> tuple[list[Grant], int]:
    held = in_force_for(session, person, on)
    for grant in held:
        _revoke_now(session, grant, on, reason)
    return held, officers.end_all_for(session, person, on)


def _revoke_now(session: Session, grant: Grant, on: date, reason: str) -> None:
    # Looked up first: the query would flush a revocation without its revoker to the audit trail.
    revoker = authority.acting_person(session)
    grant.revoked_on = max(on, grant.granted_on)
    grant.revoke_reason = reason
    grant.revoked_by = revoker


@dataclass(frozen=True)
class LeavingResult:
    person: Person
    grants_revoked: int
    designations_ended: int
    accounts_to_change: list[str]


def record_leaving(
    session: Session,
    person_id: int,
    expected_version: int | None,
    left_on: date,
    *,
    revoke_access: bool = True,
) -> LeavingResult:
    """Record a leaver in one step: revoke their grants, end their designations, and so flag every
    account they held for a password change now (Thornbury 9.4)."""
    person = people.record_leaving(session, person_id, expected_version, left_on)
    # What they held when they left; access revoked before then was dealt with when it was revoked.
    held = in_force_for(session, person, left_on)
    revoked: list[Grant] = []
    ended = 0
    if revoke_access:
        for grant in held:
            _revoke_now(session, grant, left_on, "Left the council")
            revoked.append(grant)
        ended = officers.end_all_for(session, person, left_on)
        session.flush()
    return LeavingResult(person, len(revoked), ended, sorted({g.account.name for g in held}))
