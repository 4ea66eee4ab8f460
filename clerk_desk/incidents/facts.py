"""What the checks read of an incident not yet closed, loaded in a few narrow queries.

The rules and reminders read an incident's category, status, dates, ICO decision, follow-up steps,
latest risk assessment and (for a compromise) its accounts' password dates. ``open_incidents`` reads
exactly that, as plain rows, for the incidents not closed only; closed history is never loaded, and
no description, timeline or evidence is read. The rows are ``checks.incident_rows.OpenIncident``; the
lifecycle helpers (``required_steps``, ``step_settled``, ``ico_deadline`` …) take one or a full ``Incident``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clerk_desk.checks.incident_rows import AssessmentFacts, OpenIncident, StepFacts
from clerk_desk.models import (
    Account,
    FollowUp,
    Incident,
    IncidentAssessment,
    IncidentCategory,
    IncidentStatus,
)
from clerk_desk.models.incidents import incident_accounts

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
_CATEGORY = 3  # the position of Incident.category in _COLUMNS


def open_incidents(session: Session, accounts: Sequence[Account]) -> list[OpenIncident]:
    """Every incident not closed, newest first (``accounts`` is the register's list, so that an
    incident's accounts are the same objects the rules see).

    The incidents table is read once, with each incident's steps; the assessments are read from their
    own (short) table, and the accounts of the compromises by their incidents' ids.
    """
    not_closed = Incident.status != IncidentStatus.CLOSED
    query = (
        select(*_COLUMNS, FollowUp.step, FollowUp.done_at, FollowUp.not_applicable)
        .outerjoin(FollowUp, FollowUp.incident_id == Incident.id)
        .where(not_closed)
        .order_by(Incident.reported_at.desc(), Incident.id.desc(), FollowUp.id)
    )
    found: list[tuple[Any, ...]] = []  # an incident's columns, then its steps
    steps: dict[int, list[StepFacts]] = {}
    width = len(_COLUMNS)
    rows: Iterable[tuple[Any, ...]] = session.execute(query)
    for row in rows:
        if not found or row[0] != found[-1][0]:
            found.append(row[:width])
            steps[row[0]] = []
        if row[width] is not None:
            steps[row[0]].append(StepFacts(row[width], row[width + 1], row[width + 2]))
    assessed: dict[int, list[AssessmentFacts]] = {}
    for assessment in session.execute(
        select(IncidentAssessment)
        .join(Incident, IncidentAssessment.incident_id == Incident.id)
        .where(not_closed)
        .order_by(IncidentAssessment.assessed_at, IncidentAssessment.id)  # as Incident.assessments
    ).scalars():
        assessed.setdefault(assessment.incident_id, []).append(AssessmentFacts(assessment.risk_level))
    compromises = [row[0] for row in found if row[3] == IncidentCategory.ACCOUNT_COMPROMISE]
    return [
        OpenIncident(steps[row[0]], assessed.get(row[0], ()), named.get(row[0], ()), *row)
        for named in [_accounts_named(session, compromises, accounts)]
        for row in found
    ]


def _accounts_named(
    session: Session, ids: list[int], accounts: Sequence[Account]
) -> dict[int, list[Account]]:
    """The accounts each of these incidents names, in the register's order (platform, handle)."""
    position = {account.id: n for n, account in enumerate(accounts)}
    named: dict[int, list[Account]] = {}
    link = incident_accounts.c
    for start in range(0, len(ids), CHUNK):
        query = select(link.incident_id, link.account_id).where(
            link.incident_id.in_(ids[start : start + CHUNK])
        )
        for incident_id, account_id in session.execute(query):
            if account_id in position:
                named.setdefault(incident_id, []).append(accounts[position[account_id]])
    for listed in named.values():
        listed.sort(key=lambda account: position[account.id])
    return named


#: Incident ids per query when reading the accounts they name (as SQLAlchemy's selectin loading).
CHUNK = 500
