"""What the checks read of an incident not yet closed, loaded in a few narrow queries.

The rules and reminders read an incident's category, status, dates, ICO decision, follow-up steps,
latest risk assessment and (for a compromise) its accounts' password dates. ``open_incidents`` reads
exactly that, as plain rows, for the incidents not closed only; closed history is never loaded, and
no description, timeline or evidence is read. The rows are ``checks.incident_rows.OpenIncident``; the
lifecycle helpers (``required_steps``, ``step_settled``, ``ico_deadline`` …) take one or a full ``Incident``.

The rows are read with SQLAlchemy Core, not as ORM objects, and the moments are read as stored (naive
UTC: text in SQLite, a ``datetime`` from PostgreSQL) and made aware once here, by ``stored_moment``: a
few thousand open incidents cost little more than the query itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, or_, select, type_coerce
from sqlalchemy.orm import Session
from sqlalchemy.types import NullType

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


def _as_stored(column: Any) -> ColumnElement[Any]:
    """A moment column read as the database driver gives it (``stored_moment`` makes it aware)."""
    return type_coerce(column, NullType()).label(column.key)


def stored_moment(value: datetime | str | None) -> datetime | None:
    """A moment as stored (naive UTC, as ``models.base.UTCDateTime`` writes it: ISO text in SQLite, a
    naive ``datetime`` from PostgreSQL), read back aware in UTC, as the ORM reads it."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC)


_QUERY = (
    select(
        Incident.id,
        Incident.reference,
        Incident.title,
        Incident.category,
        Incident.severity,
        Incident.status,
        _as_stored(Incident.reported_at),
        _as_stored(Incident.discovered_at),
        Incident.external_party,
        Incident.personal_data,
        Incident.near_miss,
        Incident.clerk_is_target,
        Incident.ico_decision,
        FollowUp.step,
        _as_stored(FollowUp.done_at),
        FollowUp.not_applicable,
    )
    # Only the steps settled (``StepFacts.settled``, in SQL): a step not yet settled counts as not done,
    # as it would with no row, so its row is not read.
    .outerjoin(
        FollowUp,
        and_(
            FollowUp.incident_id == Incident.id,
            or_(FollowUp.done_at.is_not(None), FollowUp.not_applicable != ""),
        ),
    )
    .where(Incident.status != IncidentStatus.CLOSED)
    .order_by(Incident.reported_at.desc(), Incident.id.desc(), FollowUp.id)
)


def open_incidents(session: Session, accounts: Sequence[Account]) -> list[OpenIncident]:
    """Every incident not closed, newest first (``accounts`` is the register's list, so that an
    incident's accounts are the same objects the rules see).

    The incidents table is read once, with each incident's settled steps (a row each); the assessments
    of the personal-data breaches and the accounts of the compromises are read by their incidents' ids.
    """
    found: list[tuple[Any, list[StepFacts]]] = []  # an incident's first row, and its steps
    steps: list[StepFacts] = []
    last = None
    for row in session.connection().execute(_QUERY).all():
        if row[0] != last:
            last, steps = row[0], []
            found.append((row, steps))
        if row[13] is not None:
            steps.append(StepFacts(row[13], stored_moment(row[14]), row[15]))
    personal = [row[0] for row, _ in found if row[9] or row[3] == IncidentCategory.PERSONAL_DATA]
    assessed = _assessments(session, personal)
    compromises = [row[0] for row, _ in found if row[3] == IncidentCategory.ACCOUNT_COMPROMISE]
    named = _accounts_named(session, compromises, accounts)
    rows = []
    for row, steps in found:
        (id_, reference, title, category, severity, status, reported, discovered) = row[:8]
        reported_at = stored_moment(reported)
        assert reported_at is not None  # NOT NULL
        rows.append(
            OpenIncident(
                steps,
                assessed.get(id_, ()),
                named.get(id_, ()),
                id_,
                reference,
                title,
                category,
                severity,
                status,
                reported_at,
                reported_at if discovered == reported else stored_moment(discovered),
                *row[8:13],
            )
        )
    return rows


#: The ids are one expanding parameter: the statement is built and compiled once, whatever the ids.
_ASSESSMENTS = (
    select(IncidentAssessment)
    .where(IncidentAssessment.incident_id.in_(bindparam("ids", expanding=True)))
    .order_by(IncidentAssessment.assessed_at, IncidentAssessment.id)  # as Incident.assessments
)
_LINKS = select(incident_accounts.c.incident_id, incident_accounts.c.account_id).where(
    incident_accounts.c.incident_id.in_(bindparam("ids", expanding=True))
)


def _assessments(session: Session, ids: list[int]) -> dict[int, list[AssessmentFacts]]:
    """The risk each assessment of these incidents found, oldest first (as ``Incident.assessments``)."""
    assessed: dict[int, list[AssessmentFacts]] = {}
    for start in range(0, len(ids), CHUNK):
        for assessment in session.execute(_ASSESSMENTS, {"ids": ids[start : start + CHUNK]}).scalars():
            assessed.setdefault(assessment.incident_id, []).append(AssessmentFacts(assessment.risk_level))
    return assessed


def _accounts_named(
    session: Session, ids: list[int], accounts: Sequence[Account]
) -> dict[int, list[Account]]:
    """The accounts each of these incidents names, in the register's order (platform, handle)."""
    position = {account.id: n for n, account in enumerate(accounts)}
    named: dict[int, list[Account]] = {}
    for start in range(0, len(ids), CHUNK):
        for incident_id, account_id in session.connection().execute(
            _LINKS, {"ids": ids[start : start + CHUNK]}
        ):
            if account_id in position:
                named.setdefault(incident_id, []).append(accounts[position[account_id]])
    for listed in named.values():
        listed.sort(key=lambda account: position[account.id])
    return named


#: Incident ids per query when reading the assessments and accounts named (as SQLAlchemy's selectin
#: loading).
CHUNK = 500
