"""Every assessment of every incident as CSV (the kind ``assessments``): the whole history, one row per
entry, so a reassessment survives a move to another database as its own entry.

The incidents file carries only the latest assessment; importing this file beside it adds the earlier
entries. An entry already held (the same incident and minute) is left as it is: entries are only added.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from clerk_desk import council_time, fields
from clerk_desk.errors import ValidationError
from clerk_desk.incidents import assessment
from clerk_desk.incidents import lifecycle as incidents
from clerk_desk.incidents.columns import ASSESSMENT_COLUMNS
from clerk_desk.incidents.times import moment
from clerk_desk.models import Incident, IncidentAssessment
from clerk_desk.register import settings

COLUMNS = (
    "reference",
    "assessed_at",
    "assessed_by",
    "living_people",
    *ASSESSMENT_COLUMNS,
    "assessment_reason",
)
REQUIRED = frozenset({"reference", "assessed_at", "risk_likelihood", "risk_severity", "assessment_reason"})


def all_entries(session: Session) -> Iterable[IncidentAssessment]:
    query = (
        select(IncidentAssessment)
        .join(Incident)
        .order_by(Incident.reference, IncidentAssessment.assessed_at, IncidentAssessment.id)
    )
    return session.execute(query).scalars()


def as_row(entry: IncidentAssessment, zone: ZoneInfo) -> dict[str, str]:
    return {
        "reference": entry.incident.reference,
        "assessed_at": council_time.iso(entry.assessed_at, zone),
        "assessed_by": entry.assessed_by,
        "living_people": "yes" if entry.living_people else "no",
        "risk_likelihood": entry.likelihood,
        "risk_severity": entry.severity,
        "people_affected": "" if entry.people_affected is None else str(entry.people_affected),
        "records_affected": "" if entry.records_affected is None else str(entry.records_affected),
        "data_kinds": entry.data_kinds or "",
        "consequences": entry.consequences or "",
        "mitigation": entry.mitigation or "",
        "assessment_reason": entry.reason,
    }


def current_row(session: Session, values: Mapping[str, str]) -> dict[str, str] | None:
    """The entry a row names (the same incident and minute) as it is stored, for the columns a file
    leaves out; None when there is none."""
    reference = fields.required_text(values, "reference", max_length=20)
    incident = incidents.by_reference(session, reference)
    zone = settings.time_zone(session)
    at = moment(values, "assessed_at", zone)
    if incident is None or at is None:
        return None
    same = (e for e in incident.assessments if council_time.same_minute(e.assessed_at, at))
    return next((as_row(e, zone) for e in same), None)


def apply_row(session: Session, values: Mapping[str, str], today: date) -> bool:
    """Add the entry unless the incident already holds one from that minute; True when added."""
    reference = fields.required_text(values, "reference", max_length=20)
    incident = incidents.by_reference(session, reference)
    if incident is None:
        raise ValidationError(
            "reference", f"there is no incident {reference.upper()}; import the incidents first"
        )
    at = moment(values, "assessed_at", settings.time_zone(session))
    if at is None:
        raise ValidationError("assessed_at", "is required")
    data = assessment.parse(values)
    if not data.reason:
        raise ValidationError("assessment_reason", "is required")
    if any(council_time.same_minute(e.assessed_at, at) for e in incident.assessments):
        return False
    assessment.add(session, incident, data, at=at, by=fields.text(values, "assessed_by"))
    return True


def add_imported(
    session: Session,
    incident: Incident,
    given: assessment.AssessmentData | None,
    at: datetime | None,
    by: str | None,
    *,
    flush: bool = True,
) -> None:
    """The latest assessment from an incidents file: a changed one is added to the history; the same one
    given again adds nothing."""
    if given is None:
        return
    latest = assessment.current(incident)
    if latest is not None and assessment.same(latest, given):
        return
    if latest is not None and (not given.reason or given.reason == latest.reason):
        given = replace(given, reason="Reassessed in an imported file")
    assessment.add(session, incident, given, at=at, by=by, flush=flush)
