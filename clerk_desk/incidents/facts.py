"""What the checks read of an incident not yet closed, loaded in a few narrow queries.

The rules and reminders read an incident's category, status, dates, ICO decision, follow-up steps,
latest risk assessment and (for a compromise) its accounts' password dates. ``open_incidents`` reads
exactly that, as plain rows, for the incidents not closed only; closed history is never loaded, and
no description, timeline or evidence is read. The lifecycle helpers (``required_steps``,
``step_settled``, ``ico_deadline`` …) take either an ``OpenIncident`` or a full ``Incident``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Executable, select
from sqlalchemy.orm import Session

from clerk_desk.models import (
    Account,
    FollowUp,
    Incident,
    IncidentAssessment,
    IncidentStatus,
    RiskLevel,
)
from clerk_desk.models.incidents import incident_accounts


@dataclass(frozen=True, slots=True)
class StepFacts:
    """One follow-up step as recorded: done, or not applicable (with its reason)."""

    step: str
    done_at: datetime | None
    not_applicable: str | None

    @property
    def settled(self) -> bool:
        return self.done_at is not None or bool(self.not_applicable)


@dataclass(frozen=True, slots=True)
class AssessmentFacts:
    """One risk assessment, reduced to the risk it found."""

    risk_level: RiskLevel


@dataclass(frozen=True, slots=True)
class OpenIncident:
    """An incident not closed, with the fields and relations the checks read."""

    id: int
    reference: str
    title: str
    category: str
    severity: str
    status: str
    reported_at: datetime
    discovered_at: datetime | None
    external_party: str | None
    personal_data: bool
    near_miss: bool
    clerk_is_target: bool
    ico_decision: str | None
    steps: Sequence[StepFacts]
    #: Oldest first, as ``Incident.assessments``.
    assessments: Sequence[AssessmentFacts]
    #: The accounts named, from the register already loaded (their password dates are read).
    accounts: Sequence[Account]


IncidentLike = Incident | OpenIncident

_COLUMNS = (
    Incident.id,
    Incident.reference,
    Incident.title,
    Incident.category,
    Incident.severity,
    Incident.status,
    Incident.reported_at,
    Incident.discovered_at,
    Incident.external_party,
    Incident.personal_data,
    Incident.near_miss,
    Incident.clerk_is_target,
    Incident.ico_decision,
)


def open_incidents(session: Session, accounts: Sequence[Account]) -> list[OpenIncident]:
    """Every incident not closed, newest first, in four queries of plain rows (``accounts`` is the
    register's list, so that an incident's accounts are the same objects the rules see)."""
    not_closed = Incident.status != IncidentStatus.CLOSED
    rows = session.execute(
        select(*_COLUMNS).where(not_closed).order_by(Incident.reported_at.desc(), Incident.id.desc())
    ).all()
    ids = [row.id for row in rows]
    steps: dict[int, list[StepFacts]] = {}
    step_columns = (FollowUp.incident_id, FollowUp.step, FollowUp.done_at, FollowUp.not_applicable)
    for incident_id, step, done_at, not_applicable in _each(
        session, ids, lambda chunk: select(*step_columns).where(FollowUp.incident_id.in_(chunk))
    ):
        steps.setdefault(incident_id, []).append(StepFacts(step, done_at, not_applicable))
    assessed: dict[int, list[AssessmentFacts]] = {}
    found = [
        assessment
        for chunk in _chunks(ids)
        for assessment in session.execute(
            select(IncidentAssessment).where(IncidentAssessment.incident_id.in_(chunk))
        ).scalars()
    ]
    for assessment in sorted(found, key=lambda a: (a.assessed_at, a.id)):  # as Incident.assessments
        assessed.setdefault(assessment.incident_id, []).append(AssessmentFacts(assessment.risk_level))
    by_id = {account.id: account for account in accounts}
    named: dict[int, list[Account]] = {}
    link = incident_accounts.c
    links = (link.incident_id, link.account_id)
    for incident_id, account_id in _each(
        session, ids, lambda chunk: select(*links).where(link.incident_id.in_(chunk))
    ):
        if account_id in by_id:
            named.setdefault(incident_id, []).append(by_id[account_id])
    order = {account.id: position for position, account in enumerate(accounts)}
    for listed in named.values():
        listed.sort(key=lambda account: order[account.id])  # as Incident.accounts: platform, handle
    return [
        OpenIncident(
            **row._mapping,
            steps=steps.get(row.id, ()),
            assessments=assessed.get(row.id, ()),
            accounts=named.get(row.id, ()),
        )
        for row in rows
    ]


#: Ids per query when reading what belongs to the open incidents (as SQLAlchemy's selectin loading).
CHUNK = 500


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _each(session: Session, ids: list[int], query: Callable[[list[int]], Executable]) -> Iterator[Any]:
    """The rows of ``query`` for each chunk of ``ids``: the incidents table is scanned once, not per query."""
    for chunk in _chunks(ids):
        yield from session.execute(query(chunk))
