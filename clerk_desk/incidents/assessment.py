"""The ICO's self-assessment of a personal-data breach, kept as a history, and telling the people
affected (UK GDPR Art. 34).

The ICO asks four questions: does the breach involve living people's data, how likely is a risk to
them, is that risk high, and has it been mitigated? Each answer is kept with who gave it and when;
new facts make a new entry with the reason, never an overwrite. When the latest assessment puts the
risk high, the people affected are told without undue delay, or one of the Art. 34(3) grounds is
recorded instead: the data was unintelligible, the risk was removed, or telling each person would
need disproportionate effort (then a public notice).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from clerk_desk import fields
from clerk_desk.checks.incident_rows import IncidentLike
from clerk_desk.errors import PolicyViolation, ValidationError
from clerk_desk.incidents import drafts
from clerk_desk.incidents import lifecycle as incidents
from clerk_desk.incidents.lifecycle import ART34_CLAUSE
from clerk_desk.models import FollowUp, Incident, IncidentAssessment, IncidentCategory, RiskLevel
from clerk_desk.storage.clock import clock_of

#: A high risk not acted on this long after discovery is a finding (data-subjects-not-told).
TELL_WITHIN = timedelta(days=7)
FIRST_REASON = "First assessment"
MAX_COUNT = 100_000_000


@dataclass(frozen=True)
class Ground:
    key: str
    label: str
    hint: str


#: The Art. 34(3) grounds on which the people affected need not be told, each with what to record.
GROUNDS: dict[str, Ground] = {
    g.key: g
    for g in (
        Ground(
            "unintelligible",
            "Art. 34(3)(a) the data was unintelligible",
            "how it was protected, e.g. the laptop's disk was encrypted",
        ),
        Ground(
            "risk_removed",
            "Art. 34(3)(b) the high risk was removed",
            "what was done that means the risk is no longer likely",
        ),
        Ground(
            "disproportionate",
            "Art. 34(3)(c) disproportionate effort; a public notice instead",
            "where and when the public notice was given",
        ),
    )
}


@dataclass(frozen=True)
class AssessmentData:
    """The answers to the ICO's questions, and the figures the breach log keeps."""

    living_people: bool
    likelihood: RiskLevel
    severity: RiskLevel
    mitigation: str | None = None
    people_affected: int | None = None
    records_affected: int | None = None
    data_kinds: str | None = None
    consequences: str | None = None
    #: Why it is (re)assessed; required for a reassessment.
    reason: str | None = None

    @property
    def risk_level(self) -> RiskLevel:
        return _entry(self).risk_level


def _entry(data: AssessmentData, make: Any = IncidentAssessment) -> IncidentAssessment:
    entry: IncidentAssessment = make(
        living_people=data.living_people,
        likelihood=data.likelihood.value,
        severity=data.severity.value,
        mitigation=data.mitigation,
        people_affected=data.people_affected,
        records_affected=data.records_affected,
        data_kinds=data.data_kinds,
        consequences=data.consequences,
    )
    return entry


def parse(values: Mapping[str, str | None]) -> AssessmentData:
    """Read an assessment from text (``risk_likelihood``, ``risk_severity``, …), naming a bad field."""
    return AssessmentData(
        living_people=fields.boolean(values, "living_people", default=True),
        likelihood=fields.choice(values, "risk_likelihood", RiskLevel),  # type: ignore[arg-type]
        severity=fields.choice(values, "risk_severity", RiskLevel),  # type: ignore[arg-type]
        mitigation=fields.text(values, "mitigation", max_length=20000, multiline=True),
        people_affected=fields.integer(values, "people_affected", minimum=0, maximum=MAX_COUNT),
        records_affected=fields.integer(values, "records_affected", minimum=0, maximum=MAX_COUNT),
        data_kinds=fields.text(values, "data_kinds", max_length=4000, multiline=True),
        consequences=fields.text(values, "consequences", max_length=20000, multiline=True),
        reason=fields.text(values, "assessment_reason", max_length=4000, multiline=True),
    )


def is_personal(incident: Incident) -> bool:
    return incident.personal_data or incident.category == IncidentCategory.PERSONAL_DATA


def current(incident: Incident) -> IncidentAssessment | None:
    """The latest assessment, or None."""
    return incident.assessments[-1] if incident.assessments else None


def same(entry: IncidentAssessment, data: AssessmentData) -> bool:
    """The entry already records these answers."""
    fresh = _entry(data)
    return all(
        getattr(entry, name) == getattr(fresh, name)
        for name in (
            "living_people",
            "likelihood",
            "severity",
            "mitigation",
            "people_affected",
            "records_affected",
            "data_kinds",
            "consequences",
        )
    )


def assess(
    session: Session,
    incident_id: int,
    data: AssessmentData,
    *,
    at: datetime | None = None,
    by: str | None = None,
) -> IncidentAssessment:
    """Add an assessment to the incident's history (the first, or a reassessment with its reason)."""
    incident = incidents.get(session, incident_id)
    return add(session, incident, data, at=at, by=by)


def add(
    session: Session,
    incident: Incident,
    data: AssessmentData,
    *,
    at: datetime | None = None,
    by: str | None = None,
    flush: bool = True,
) -> IncidentAssessment:
    """As ``assess``, for an incident already loaded (an import, which may write many at once)."""
    if not is_personal(incident):
        raise ValidationError(
            "personal_data", f"{incident.reference} does not involve personal data; mark it first"
        )
    now = clock_of(session).now()
    at = at or now
    if at > now:
        raise ValidationError("assessed_at", "is in the future")
    reason = (data.reason or "").strip()
    if incident.assessments and not reason:
        raise ValidationError("assessment_reason", "give the reason for the reassessment: the new facts")
    entry = _entry(data, drafts.new_assessment(incident))
    entry.assessed_at = at
    entry.assessed_by = by or str(session.info.get("actor") or "unknown")
    entry.reason = reason or FIRST_REASON
    incident.assessments.append(entry)
    incidents.sync_steps(incident)
    if flush:
        session.flush()
    return entry


def tell_deadline(incident: IncidentLike) -> datetime:
    return incidents.discovered(incident) + TELL_WITHIN


def not_told_late(incident: IncidentLike, now: datetime) -> bool:
    """A high risk, and nothing recorded about telling the people affected a week after discovery."""
    return (
        incidents.needs_subjects_told(incident)
        and not incidents.step_settled(incident, "subjects_told")
        and now > tell_deadline(incident)
    )


def _step(incident: Incident) -> FollowUp:
    row = incidents.step_row(incident, "subjects_told")
    if row is None:
        row = FollowUp(step="subjects_told")
        incident.steps.append(row)
    return row


def record_told(
    session: Session, incident_id: int, told_at: datetime, how: str, told: int | None
) -> Incident:
    """The people affected were told: when, how and how many (Art. 34(1))."""
    incident = incidents.get(session, incident_id)
    how = fields.required_text(
        {"subjects_told_how": how}, "subjects_told_how", max_length=4000, multiline=True
    )
    if told_at > clock_of(session).now():
        raise ValidationError("subjects_told_at", "is in the future")
    if told_at < incidents.discovered(incident):
        raise ValidationError("subjects_told_at", "is before the breach was discovered")
    if told is not None and not 0 < told <= MAX_COUNT:
        raise ValidationError("subjects_told_count", "must be a whole number of people, at least 1")
    row = _step(incident)
    row.done_at, row.done_by, row.not_applicable = told_at, str(session.info.get("actor") or ""), None
    incident.subjects_told_how = how
    incident.subjects_told_count = told
    session.flush()
    return incident


def record_not_required(session: Session, incident_id: int, ground: str, detail: str) -> Incident:
    """The people affected need not be told, on an Art. 34(3) ground, with the detail it calls for."""
    incident = incidents.get(session, incident_id)
    spec = GROUNDS.get(ground)
    if spec is None:
        raise ValidationError("ground", f"'{ground}' is not one of {', '.join(GROUNDS)}")
    detail = (detail or "").strip()
    if not detail:
        raise PolicyViolation("subjects_told_reason", ART34_CLAUSE, f"say {spec.hint}")
    row = _step(incident)
    row.done_at, row.done_by = None, None
    row.not_applicable = f"{spec.label}: {detail}"
    incident.subjects_told_how = None
    incident.subjects_told_count = None
    session.flush()
    return incident


def check_reason(reason: str, column: str) -> None:
    """A reason given in a file for not telling the people affected must name an Art. 34(3) ground."""
    if not any(key in reason.casefold() for key in ("34(3)", "unintelligible", "risk", "disproportionate")):
        raise PolicyViolation(
            column,
            ART34_CLAUSE,
            "name the Art. 34(3) ground: the data was unintelligible, the risk was removed, or "
            "disproportionate effort (with the public notice)",
        )
