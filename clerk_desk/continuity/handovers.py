"""Confirming a clerk handover, and the passwords it makes due at once.

When the handover is confirmed, in one transaction: the incoming person becomes the clerk, the handover
is recorded, and the outgoing clerk leaves on the handover date (``access.leaving.record_leaving``:
their grants are revoked and designations ended). Every password the outgoing clerk could read — every
account not closed by then — is due for a change now, reason "clerk handover" (Thornbury 9.4), until it
is changed (``passwords_due``, a rotate-now source listed in ``checks.engine``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from clerk_desk.access import leaving
from clerk_desk.credentials import keys, rotation
from clerk_desk.credentials import service as credentials
from clerk_desk.errors import PolicyViolation, ValidationError
from clerk_desk.models import Account, AccountStatus, Handover, KeyState, Person, Role, RotationReason
from clerk_desk.register import people
from clerk_desk.storage.clock import clock_of

#: How the incoming clerk receives the passwords: a KeePass file made for them, or their own key,
#: approved by a keyholder after comparing fingerprints (every password is sealed to it).
BY_KEEPASS = "kdbx"
BY_KEY = "key"


def key_approved(session: Session, person: Person) -> bool:
    """Whether the person's key to the sealed passwords is approved."""
    return any(k.state == KeyState.APPROVED for k in keys.keys_of(session, person))


@dataclass(frozen=True)
class Confirmed:
    outgoing: str
    incoming: str
    on: date
    accounts: list[str]


def outgoing_clerk(session: Session, on: date, incoming: Person | None = None) -> Person:
    """The clerk in post on the day, other than the incoming person."""
    clerks = [
        p
        for p in people.all_people(session)
        if p.role == Role.CLERK and not p.has_left(on) and (incoming is None or p.id != incoming.id)
    ]
    if not clerks:
        raise ValidationError(
            "to", "there is no clerk in post to hand over from; record the new clerk in People"
        )
    if len(clerks) > 1:
        names = ", ".join(p.name for p in clerks)
        raise ValidationError("to", f"more than one clerk is in post ({names}); record the leaver in People")
    return clerks[0]


def incoming_clerk(session: Session, name: str, on: date) -> Person:
    """The person taking over: in People, in post, and not an elected member (Thornbury 9.2)."""
    person = people.by_name(session, name)
    if person is None:
        raise ValidationError("to", f"'{name}' is not in People; add the incoming clerk first")
    if person.has_left(on):
        raise ValidationError("to", f"{person.name} has left the council")
    if person.role == Role.COUNCILLOR:
        raise PolicyViolation("to", "Thornbury 9.2", f"{person.name} is a councillor and may not hold access")
    return person


def accounts_to_change(session: Session, on: date) -> list[Account]:
    """Every account whose password the outgoing clerk could read: all not closed by the handover."""
    return [
        a
        for a in session.execute(select(Account).order_by(Account.platform_key, Account.handle_key)).scalars()
        if not (a.status == AccountStatus.CLOSED and a.closed_on is not None and a.closed_on <= on)
    ]


def confirm(
    session: Session, incoming_name: str, on: date, passwords_by: str, note: str | None = None
) -> Confirmed:
    """Record the handover: the incoming clerk takes the role, the outgoing clerk leaves on ``on``."""
    credentials.require_keyholder(session, "confirm a clerk handover")
    if on > clock_of(session).today():
        raise ValidationError("on", "is in the future")
    if passwords_by not in (BY_KEEPASS, BY_KEY):
        raise ValidationError("passwords_by", "must be a KeePass file or an approved key")
    incoming = incoming_clerk(session, incoming_name, on)
    outgoing = outgoing_clerk(session, on, incoming)
    if passwords_by == BY_KEY and not key_approved(session, incoming):
        raise ValidationError(
            "to",
            f"{incoming.name}'s key is not approved; approve it after comparing fingerprints "
            "(clerk-desk key approve), or make a KeePass file for them",
        )
    if incoming.role != Role.CLERK:
        data = replace(people.parse(people.as_row(incoming)), role=Role.CLERK)
        people.save(session, data, person_id=incoming.id, expected_version=incoming.version)
    session.add(
        Handover(
            outgoing_id=outgoing.id,
            incoming_id=incoming.id,
            handed_over_on=on,
            passwords_by=passwords_by,
            confirmed_at=clock_of(session).now(),
            confirmed_by=str(session.info.get("actor") or "unknown"),
            note=note,
            label=f"{outgoing.name} to {incoming.name}",
        )
    )
    session.flush()
    due = [a.name for a in accounts_to_change(session, on)]
    # Last: once the outgoing clerk has left, they may no longer change the register.
    leaving.record_leaving(session, outgoing.id, outgoing.version, on)
    return Confirmed(outgoing.name, incoming.name, on, due)


def all_handovers(session: Session) -> list[Handover]:
    return list(session.execute(select(Handover).order_by(Handover.handed_over_on, Handover.id)).scalars())


def passwords_due(session: Session) -> Iterable[rotation.RotateNowEvent]:
    """Every password the outgoing clerk could read is changed at once (Thornbury 9.4)."""
    handovers = all_handovers(session)
    if not handovers:
        return
    registered = list(session.execute(select(Account)).scalars())
    for handover in handovers:
        reason = f"the clerk handover from {handover.outgoing.name} to {handover.incoming.name}"
        for account in registered:
            closed_before = account.closed_on is not None and account.closed_on <= handover.handed_over_on
            if not closed_before:
                yield rotation.RotateNowEvent(
                    account.id, handover.handed_over_on, reason, RotationReason.CLERK_HANDOVER
                )
