"""An incident's full record as text: the edit form and the CSV file (design.md, "CSV columns")."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from clerk_desk import council_time, fields
from clerk_desk.errors import PolicyViolation, StaleEditError, ValidationError
from clerk_desk.incidents import assessment, assessment_records, drafts
from clerk_desk.incidents import lifecycle as incidents
from clerk_desk.incidents.assessment import AssessmentData
from clerk_desk.incidents.bulk import Batch
from clerk_desk.incidents.columns import ASSESSMENT_COLUMNS as ASSESSMENT_COLUMNS
from clerk_desk.incidents.columns import COLUMNS as COLUMNS
from clerk_desk.incidents.columns import NOT_APPLICABLE as NOT_APPLICABLE
from clerk_desk.incidents.columns import PUBLIC_SUMMARY_LENGTH as PUBLIC_SUMMARY_LENGTH
from clerk_desk.incidents.columns import REQUIRED as REQUIRED
from clerk_desk.incidents.columns import STEP_COLUMNS as STEP_COLUMNS
from clerk_desk.incidents.columns import STEP_FIELDS as STEP_FIELDS
from clerk_desk.incidents.lifecycle import ICO_CLAUSE, moment
from clerk_desk.models import (
    IcoDecision,
    Incident,
    IncidentCategory,
    IncidentSeverity,
    IncidentStatus,
)
from clerk_desk.register import lookups
from clerk_desk.storage.clock import clock_of


@dataclass(frozen=True)
class IncidentData:
    category: IncidentCategory
    title: str
    description: str
    severity: IncidentSeverity = IncidentSeverity.MEDIUM
    reference: str | None = None
    reported_by: str | None = None
    reported_at: datetime | None = None
    occurred_at: datetime | None = None
    discovered_at: datetime | None = None
    accounts: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    personal_data: bool = False
    near_miss: bool = False
    status: IncidentStatus = IncidentStatus.OPEN
    resolved_at: datetime | None = None
    outcome: str | None = None
    ico_decision: IcoDecision | None = None
    ico_notified_at: datetime | None = None
    steps_done: tuple[tuple[str, datetime], ...] = ()
    #: Steps marked not applicable, each with the reason.
    steps_not_applicable: tuple[tuple[str, str], ...] = ()
    external_party: str | None = None
    clerk_is_target: bool = False
    ico_reference: str | None = None
    lessons: str | None = None
    assessment: AssessmentData | None = None
    assessed_at: datetime | None = None
    assessed_by: str | None = None
    subjects_told_how: str | None = None
    subjects_told_count: int | None = None
    #: Written by the clerk for the public review; the only free text of an incident it prints.
    public_summary: str | None = None


def _list(values: Mapping[str, str | None], field: str) -> tuple[str, ...]:
    raw = fields.text(values, field, max_length=8000) or ""
    return tuple(dict.fromkeys(part.strip() for part in raw.split(";") if part.strip()))


def parse(values: Mapping[str, str | None], zone: ZoneInfo) -> IncidentData:
    """Read an incident from text, naming the field of the first bad value; moments without an offset
    are the council's local time (``zone``)."""
    reference = fields.text(values, "reference", max_length=20)
    if reference and not incidents.REFERENCE.match(reference.upper()):
        raise ValidationError("reference", f"'{reference}' is not a reference like INC-2026-001")
    steps: list[tuple[str, datetime]] = []
    not_applicable: list[tuple[str, str]] = []
    for column, step in STEP_COLUMNS.items():
        raw = (values.get(column) or "").strip()
        if not raw:
            continue
        if raw.casefold().startswith(NOT_APPLICABLE[:-1]):
            reason = raw[len(NOT_APPLICABLE) - 1 :].lstrip(" :")
            if not reason:
                raise ValidationError(
                    column, f"give the reason the step does not apply: '{NOT_APPLICABLE} …'"
                )
            if step == "subjects_told":
                assessment.check_reason(reason, column)
            reason = fields.required_text({column: reason}, column, 2000, multiline=True)
            not_applicable.append((step, reason))
        elif when := moment(values, column, zone):
            steps.append((step, when))
    return IncidentData(
        category=fields.choice(values, "category", IncidentCategory),  # type: ignore[arg-type]
        title=fields.required_text(values, "title", max_length=300),
        description=fields.required_text(values, "description", max_length=20000, multiline=True),
        severity=fields.choice(
            values,
            "severity",
            IncidentSeverity,  # type: ignore[arg-type]
            default=IncidentSeverity.MEDIUM,
        ),
        reference=reference.upper() if reference else None,
        reported_by=fields.text(values, "reported_by"),
        reported_at=moment(values, "reported_at", zone),
        occurred_at=moment(values, "occurred_at", zone),
        discovered_at=moment(values, "discovered_at", zone),
        accounts=_list(values, "accounts"),
        people=_list(values, "people"),
        personal_data=fields.boolean(values, "personal_data"),
        near_miss=fields.boolean(values, "near_miss"),
        status=fields.choice(
            values,
            "status",
            IncidentStatus,  # type: ignore[arg-type]
            default=IncidentStatus.OPEN,
        ),
        resolved_at=moment(values, "resolved_at", zone),
        outcome=fields.text(values, "outcome", max_length=20000, multiline=True),
        ico_decision=fields.choice(values, "ico_decision", IcoDecision, required=False),
        ico_notified_at=moment(values, "ico_notified_at", zone),
        steps_done=tuple(steps),
        steps_not_applicable=tuple(not_applicable),
        external_party=fields.text(values, "external_party", max_length=2000, multiline=True),
        clerk_is_target=fields.boolean(values, "clerk_is_target"),
        ico_reference=fields.text(values, "ico_reference", max_length=100),
        lessons=fields.text(values, "lessons", max_length=20000, multiline=True),
        assessment=assessment.parse(values)
        if any((values.get(c) or "").strip() for c in ASSESSMENT_COLUMNS)
        else None,
        assessed_at=moment(values, "assessed_at", zone),
        assessed_by=fields.text(values, "assessed_by"),
        subjects_told_how=fields.text(values, "subjects_told_how", max_length=4000, multiline=True),
        subjects_told_count=fields.integer(
            values, "subjects_told_count", minimum=1, maximum=assessment.MAX_COUNT
        ),
        public_summary=fields.text(
            values, "public_summary", max_length=PUBLIC_SUMMARY_LENGTH, multiline=True
        ),
    )


def as_row(incident: Incident, zone: ZoneInfo, *, public: bool = False) -> dict[str, str]:
    """The incident as CSV text, its moments in the council's local time with their offset."""
    done = {s.step: council_time.iso(s.done_at, zone) for s in incident.steps if s.done_at}
    done |= {s.step: f"{NOT_APPLICABLE} {s.not_applicable}" for s in incident.steps if s.not_applicable}
    row = {
        "reference": incident.reference,
        "category": incident.category,
        "severity": incident.severity,
        "title": incident.title,
        "description": incident.description,
        "reported_by": incident.reported_by,
        "reported_at": council_time.iso(incident.reported_at, zone),
        "occurred_at": council_time.iso(incident.occurred_at, zone),
        "discovered_at": council_time.iso(incident.discovered_at, zone),
        "accounts": ";".join(a.name for a in incident.accounts),
        "people": ";".join(p.name for p in incident.people),
        "personal_data": "yes" if incident.personal_data else "no",
        "near_miss": "yes" if incident.near_miss else "no",
        "status": incident.status,
        "resolved_at": council_time.iso(incident.resolved_at, zone),
        "outcome": incident.outcome or (incident.ico_reason or ""),
        "ico_decision": incident.ico_decision or "",
        "ico_notified_at": council_time.iso(incident.ico_notified_at, zone),
        "external_party": incident.external_party or "",
        "clerk_is_target": "yes" if incident.clerk_is_target else "no",
        "ico_reference": incident.ico_reference or "",
        "lessons": incident.lessons or "",
        "public_summary": incident.public_summary or "",
    }
    for column, step in STEP_COLUMNS.items():
        row[column] = done.get(step, "")
    return row | _assessment_row(incident, zone)


def _assessment_row(incident: Incident, zone: ZoneInfo) -> dict[str, str]:
    latest = assessment.current(incident)
    told = incident.subjects_told_count
    row = {"subjects_told_how": incident.subjects_told_how or "", "subjects_told_count": str(told or "")}
    if latest is None:
        return row | dict.fromkeys(
            (*ASSESSMENT_COLUMNS, "living_people", "assessed_at", "assessed_by", "assessment_reason"), ""
        )
    return row | {
        "risk_likelihood": latest.likelihood,
        "risk_severity": latest.severity,
        "people_affected": "" if latest.people_affected is None else str(latest.people_affected),
        "records_affected": "" if latest.records_affected is None else str(latest.records_affected),
        "data_kinds": latest.data_kinds or "",
        "consequences": latest.consequences or "",
        "mitigation": latest.mitigation or "",
        "living_people": "yes" if latest.living_people else "no",
        "assessed_at": council_time.iso(latest.assessed_at, zone),
        "assessed_by": latest.assessed_by,
        "assessment_reason": latest.reason,
    }


def save(
    session: Session,
    data: IncidentData,
    *,
    incident_id: int | None = None,
    expected_version: int | None = None,
    batch: Batch | None = None,
) -> Incident:
    """Add an incident with every field given (an import keeps its reference), or update one.

    Written in one flush, so each record changed has one audit entry. Given a ``batch`` (an import of
    many rows), the same rules apply to what it read at the start, and the import writes many at once.
    """
    with session.no_autoflush:
        incident = _apply(session, data, incident_id, expected_version, batch)
    if batch is None:
        session.flush()
    else:
        batch.added(incident)
    return incident


def _apply(
    session: Session,
    data: IncidentData,
    incident_id: int | None,
    expected_version: int | None,
    batch: Batch | None,
) -> Incident:
    now = batch.now if batch else clock_of(session).now()
    incident = incidents.get(session, incident_id) if incident_id is not None else None
    if incident is not None and expected_version is not None and incident.version != expected_version:
        raise StaleEditError(f"Incident {incident.reference}")
    if data.reference:
        clash = (
            batch.by_reference(data.reference) if batch else incidents.by_reference(session, data.reference)
        )
        if clash is not None and clash is not incident:
            raise ValidationError("reference", f"{data.reference} is already used")
    for field in ("reported_at", "occurred_at", "discovered_at", "resolved_at", "ico_notified_at"):
        value = getattr(data, field)
        if value is not None and value > now:
            raise ValidationError(field, "is in the future")
    for step, when in data.steps_done:
        if when > now:
            raise ValidationError(STEP_FIELDS[step], "is in the future")
    reported_at = _kept(incident.reported_at if incident else None, data.reported_at) or (
        incident.reported_at if incident else now
    )
    if data.occurred_at and data.discovered_at and data.discovered_at < data.occurred_at:
        raise ValidationError("discovered_at", "is before occurred_at")
    account = batch.names.account if batch else partial(lookups.resolve_account, session)
    person = batch.names.person if batch else partial(lookups.resolve_person, session)
    linked_accounts = [account(name, "accounts") for name in data.accounts]
    linked_people = [person(name, "people") for name in data.people]
    if incident is None:
        year = reported_at.year
        reference = data.reference or (
            batch.next_reference(year) if batch else incidents.next_reference(session, year)
        )
        if batch is None:
            incident = Incident(reference=reference, status=IncidentStatus.OPEN.value)
            session.add(incident)
        else:  # a batch writes its new incidents itself, many to a statement, from plain records
            incident = batch.new_incident(reference, IncidentStatus.OPEN.value)
    elif data.reference:
        incident.reference = data.reference
    incident.category = data.category.value
    incident.severity = data.severity.value
    incident.title = data.title
    incident.description = data.description
    incident.reported_by = data.reported_by or incident.reported_by or str(session.info.get("actor"))
    incident.reported_at = reported_at
    incident.occurred_at = _kept(incident.occurred_at, data.occurred_at)
    incident.discovered_at = (
        _kept(incident.discovered_at, data.discovered_at) or incident.discovered_at or reported_at
    )
    incident.personal_data = data.personal_data or data.category == IncidentCategory.PERSONAL_DATA
    incident.near_miss = data.near_miss
    incident.clerk_is_target = data.clerk_is_target
    incident.external_party = data.external_party
    incident.outcome = data.outcome
    incident.lessons = data.lessons
    incident.public_summary = data.public_summary
    incidents.set_involved(incident, linked_accounts, linked_people)
    assessment_records.add_imported(
        session, incident, data.assessment, data.assessed_at, data.assessed_by, flush=False
    )
    _apply_ico(incident, data)
    incidents.sync_steps(incident)
    for step, when in data.steps_done:
        row = incidents.step_row(incident, step) or drafts.add_step(incident, step)
        if _kept(row.done_at, when) is not row.done_at:
            row.done_at, row.done_by, row.not_applicable = when, incident.reported_by, None
    for step, reason in data.steps_not_applicable:
        row = incidents.step_row(incident, step) or drafts.add_step(incident, step)
        if row.not_applicable != reason:
            row.done_at, row.done_by, row.not_applicable = None, None, reason
    if data.subjects_told_how is not None or data.subjects_told_count is not None:
        incident.subjects_told_how = data.subjects_told_how
        incident.subjects_told_count = data.subjects_told_count
    if data.status.value != incident.status or data.status == IncidentStatus.CLOSED:
        incidents.move(incident, data.status, now)
    if data.resolved_at is not None:
        incident.resolved_at = _kept(incident.resolved_at, data.resolved_at)
    return incident


def _kept(stored: datetime | None, given: datetime | None) -> datetime | None:
    """The moment given, or the one stored when they are the same minute: text carries minutes only, so
    saving a record back unchanged must not cut the seconds off what was recorded."""
    if stored is not None and given is not None and council_time.same_minute(stored, given):
        return stored
    return given


def _apply_ico(incident: Incident, data: IncidentData) -> None:
    if data.ico_decision is None:
        return
    if data.ico_decision == IcoDecision.NOT_NOTIFIABLE and not incident.assessments:
        raise PolicyViolation("risk_likelihood", ICO_CLAUSE, incidents.NOT_NOTIFIABLE_NEEDS_ASSESSMENT)
    if data.ico_decision == IcoDecision.NOTIFY and data.ico_notified_at is None:
        raise PolicyViolation("ico_notified_at", ICO_CLAUSE, "give the date and time the ICO was notified")
    if data.ico_decision == IcoDecision.NOT_NOTIFIABLE and not data.outcome:
        raise PolicyViolation(
            "outcome", ICO_CLAUSE, "a breach judged not notifiable needs its reason in outcome"
        )
    discovered = incidents.discovered(incident).replace(second=0, microsecond=0)
    if data.ico_notified_at is not None and data.ico_notified_at < discovered:
        raise ValidationError("ico_notified_at", "is before the breach was discovered")
    # One column holds the reason and the outcome: a reason already recorded for this decision stays.
    keep_reason = incident.ico_decision == data.ico_decision.value and bool(incident.ico_reason)
    incident.ico_decision = data.ico_decision.value
    incident.ico_notified_at = _kept(incident.ico_notified_at, data.ico_notified_at)
    incident.ico_decided_at = incident.ico_decided_at or data.ico_notified_at or incident.reported_at
    incident.ico_reference = data.ico_reference
    if data.ico_decision == IcoDecision.NOT_NOTIFIABLE and not keep_reason:
        incident.ico_reason = data.outcome
