"""One incident as the confidential review prints it: its row in the table, and its details."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from clerk_desk import council_time
from clerk_desk.incidents import lifecycle as incidents
from clerk_desk.models import IcoDecision, Incident, IncidentAssessment, IncidentCategory, IncidentStatus


@dataclass(frozen=True)
class StepRow:
    label: str
    clause: str
    state: str


@dataclass(frozen=True)
class ActionRow:
    at: datetime
    author: str
    text: str


@dataclass(frozen=True)
class EvidenceRow:
    filename: str
    sha256: str
    added_at: datetime
    added_by: str


@dataclass(frozen=True)
class IncidentDetails:
    """What only the confidential version prints."""

    description: str
    reported_by: str
    reported_at: datetime
    occurred_at: datetime | None
    discovered_at: datetime | None
    accounts: tuple[str, ...]
    people: tuple[str, ...]
    external_party: str
    flags: str
    ico: str
    steps: list[StepRow]
    actions: list[ActionRow]
    evidence: list[EvidenceRow]
    lessons: str
    public_summary: str
    #: The council's time zone: every moment above is printed in it.
    zone: ZoneInfo
    #: The ICO assessment's history, oldest first, one line per entry (never overwritten).
    assessments: tuple[str, ...] = ()


@dataclass(frozen=True)
class IncidentRow:
    reference: str
    title: str
    category: str
    severity: str
    status: str
    reported_on: date
    closed_on: date | None
    outcome: str
    details: IncidentDetails


def moment_text(moment: datetime | None, zone: ZoneInfo) -> str:
    """``3 Mar 2026 14:05 GMT``: on the council's clock, with the zone's abbreviation."""
    return council_time.spoken(moment, zone) if moment is not None else "—"


def incident_row(incident: Incident, zone: ZoneInfo) -> IncidentRow:
    """The incident's row and its details, for the confidential review."""
    outcome = incident.outcome or ""
    if not outcome and incident.ico_decision == IcoDecision.NOT_NOTIFIABLE:
        outcome = incident.ico_reason or ""
    return IncidentRow(
        reference=incident.reference,
        title=incident.title,
        category=IncidentCategory(incident.category).label,
        severity=incident.severity.capitalize(),
        status=IncidentStatus(incident.status).label,
        reported_on=council_time.local_date(incident.reported_at, zone),
        closed_on=council_time.local_date(incident.closed_at, zone) if incident.closed_at else None,
        outcome=outcome,
        details=_details(incident, zone),
    )


def _details(incident: Incident, zone: ZoneInfo) -> IncidentDetails:
    flags = []
    if incident.personal_data:
        flags.append("personal data involved")
    if incident.near_miss:
        flags.append("near miss")
    if incident.clerk_is_target:
        flags.append("the clerk was the target")
    return IncidentDetails(
        description=incident.description,
        reported_by=incident.reported_by,
        reported_at=incident.reported_at,
        occurred_at=incident.occurred_at,
        discovered_at=incident.discovered_at,
        accounts=tuple(a.name for a in incident.accounts),
        people=tuple(p.name for p in incident.people),
        external_party=incident.external_party or "",
        flags="; ".join(flags),
        ico=_ico(incident, zone),
        steps=[_step(incident, key, zone) for key in _step_keys(incident)],
        actions=[ActionRow(a.at, a.author, a.text) for a in incident.actions],
        evidence=[EvidenceRow(e.filename, e.sha256, e.added_at, e.added_by) for e in incident.evidence],
        lessons=incident.lessons or "",
        assessments=tuple(_assessment(a, zone) for a in incident.assessments),
        public_summary=incident.public_summary or "",
        zone=zone,
    )


def _step_keys(incident: Incident) -> list[str]:
    keys = incidents.required_steps(incident)
    return keys + [s.step for s in incident.steps if s.step not in keys and s.settled]


def _step(incident: Incident, key: str, zone: ZoneInfo) -> StepRow:
    spec = incidents.STEPS.get(key)
    label, clause = (spec.label, spec.clause) if spec else (key, "")
    row = incidents.step_row(incident, key)
    if row is not None and row.done_at is not None:
        state = f"Done {moment_text(row.done_at, zone)}" + (f" by {row.done_by}" if row.done_by else "")
    elif row is not None and row.not_applicable:
        state = f"Not applicable: {row.not_applicable}"
    elif incidents.step_settled(incident, key):
        state = "Done (recorded in the register)"
    else:
        state = "Outstanding"
    if row is not None and row.note:
        state += f". {row.note}"
    return StepRow(label, clause, state)


def _ico(incident: Incident, zone: ZoneInfo) -> str:
    if not incidents.needs_ico_decision(incident):
        return ""
    deadline = incidents.discovered(incident) + timedelta(hours=incidents.ICO_HOURS)
    if incident.ico_decision is None:
        return f"Decision on notifying the ICO still to be made (deadline {moment_text(deadline, zone)})."
    assert incident.ico_decided_at is not None
    timing = "within 72 hours" if incident.ico_decided_at <= deadline else "after the 72-hour deadline"
    if incident.ico_decision == IcoDecision.NOTIFY:
        text = f"The ICO was notified {moment_text(incident.ico_notified_at, zone)}"
        if incident.ico_reference:
            text += f" (reference {incident.ico_reference})"
    else:
        text = f"Judged not notifiable to the ICO: {incident.ico_reason or 'no reason recorded'}"
    text += f"; decided {moment_text(incident.ico_decided_at, zone)}, {timing}."
    if incident.delay_reasons:
        text += f" Reasons for the delay: {incident.delay_reasons}"
    return text


def _assessment(entry: IncidentAssessment, zone: ZoneInfo) -> str:
    """One entry of the breach log's assessment history, in a sentence."""
    parts = [
        f"{moment_text(entry.assessed_at, zone)} by {entry.assessed_by} ({entry.reason})",
        "living people's data" if entry.living_people else "no living people's data",
        f"likelihood {entry.likelihood}, severity {entry.severity}: risk {entry.risk_level}",
    ]
    if entry.people_affected is not None:
        parts.append(f"{entry.people_affected} people affected")
    if entry.records_affected is not None:
        parts.append(f"{entry.records_affected} records")
    for label, value in (
        ("data", entry.data_kinds),
        ("likely consequences", entry.consequences),
        ("mitigation", entry.mitigation),
    ):
        if value:
            parts.append(f"{label}: {value}")
    return "; ".join(parts)
