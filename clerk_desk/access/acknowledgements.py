"""Policy acknowledgements: a person read and understood a version of the policy, and when trained.

District policy 5c and Thornbury 4.2: written approval and a read-and-understood policy before work
use. Barling Magna: awareness training.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from clerk_desk import clauses, fields
from clerk_desk.errors import ValidationError
from clerk_desk.models import Acknowledgement, Person
from clerk_desk.register import authority, lookups

CLAUSE = clauses.ACKNOWLEDGEMENT
COLUMNS = ("person", "policy_version", "acknowledged_on", "training_on")


@dataclass(frozen=True)
class AcknowledgementData:
    person: str
    policy_version: str
    acknowledged_on: date
    training_on: date | None = None


def parse(values: Mapping[str, str | None]) -> AcknowledgementData:
    acknowledged_on = fields.iso_date(values, "acknowledged_on", required=True)
    assert acknowledged_on is not None
    return AcknowledgementData(
        person=fields.required_text(values, "person"),
        policy_version=fields.required_text(values, "policy_version", max_length=50),
        acknowledged_on=acknowledged_on,
        training_on=fields.iso_date(values, "training_on"),
    )


def as_row(ack: Acknowledgement) -> dict[str, str]:
    return {
        "person": ack.person.name,
        "policy_version": ack.policy_version,
        "acknowledged_on": ack.acknowledged_on.isoformat(),
        "training_on": ack.training_on.isoformat() if ack.training_on else "",
    }


def all_acknowledgements(session: Session) -> list[Acknowledgement]:
    return list(
        session.execute(
            select(Acknowledgement).order_by(
                Acknowledgement.acknowledged_on.desc(), Acknowledgement.id.desc()
            )
        )
        .unique()
        .scalars()
    )


def version_key(policy_version: str) -> str:
    """Policy versions that differ only in case (or surrounding spaces) are one version: "V2.1" is "v2.1"."""
    return policy_version.strip().casefold()


def find(session: Session, person: Person, policy_version: str) -> Acknowledgement | None:
    """The person's acknowledgement of this policy version (in any case), if recorded."""
    wanted = version_key(policy_version)
    acks = session.execute(select(Acknowledgement).where(Acknowledgement.person_id == person.id)).unique()
    return next((a for a in acks.scalars() if version_key(a.policy_version) == wanted), None)


def save(session: Session, data: AcknowledgementData, today: date) -> tuple[Acknowledgement, bool]:
    """Record (or correct) a person's acknowledgement of a policy version; True when it is new."""
    authority.require_manager(session, "record policy acknowledgements")
    person = lookups.resolve_person(session, data.person)
    if data.acknowledged_on > today:
        raise ValidationError("acknowledged_on", "is in the future")
    if data.training_on is not None and data.training_on > today:
        raise ValidationError("training_on", "is in the future")
    existing = find(session, person, data.policy_version)
    ack = existing or Acknowledgement(person=person, policy_version=data.policy_version)
    if existing is None:
        session.add(ack)
    ack.acknowledged_on = data.acknowledged_on
    ack.training_on = data.training_on
    session.flush()
    return ack, existing is None


def latest_by_person(acks: list[Acknowledgement], policy_version: str) -> dict[int, Acknowledgement]:
    """Each person's acknowledgement of this policy version."""
    wanted = version_key(policy_version)
    return {a.person_id: a for a in acks if version_key(a.policy_version) == wanted}
