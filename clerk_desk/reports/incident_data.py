"""One incident as the review prints it: the table row for everyone, the details for council only."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from clerk_desk.incidents import lifecycle as incidents
from clerk_desk.models import (
    Evidence,
    FollowUp,
    IcoDecision,
    Incident,
    IncidentAction,
    IncidentCategory,
    IncidentStatus,
)

WITHHELD = "[withheld]"


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
    #: None in the public version.
    details: IncidentDetails | None


def moment_text(moment: datetime | None) -> str:
    """``3 Mar 2026 14:05 UTC``."""
    if moment is None:
        return "—"
    at = moment.astimezone(UTC)
    return f"{at.day} {at:%b %Y %H:%M} UTC"


def handlers(session: Session, incident_ids: Iterable[int]) -> dict[int, set[str]]:
    """Who followed each incident up, recorded its actions or added its evidence, by incident id.

    Three light queries, so the public version need not load the follow-ups, actions and evidence it
    does not print just to withhold these names.
    """
    found: dict[int, set[str]] = defaultdict(set)
    ids = sorted(set(incident_ids))
    columns = (
        (FollowUp.incident_id, FollowUp.done_by),
        (IncidentAction.incident_id, IncidentAction.author),
        (Evidence.incident_id, Evidence.added_by),
    )
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for key, name in columns:
            rows = session.execute(select(key, name).where(key.in_(chunk), name.is_not(None)).distinct())
            for incident_id, person in rows:
                if person:
                    found[incident_id].add(person)
    return found


def involved_names(incident: Incident, handled_by: Iterable[str] = ()) -> list[str]:
    """Everyone an incident's record names, and its external party: what the public version withholds."""
    names = [p.name for p in incident.people]
    names.append(incident.reported_by)
    names += list(handled_by)
    if incident.external_party:
        names.append(incident.external_party)
    return [n for n in dict.fromkeys(n.strip() for n in names) if len(n) >= 3]


def redactor_for(incident: Incident, handled_by: Iterable[str] = ()) -> Callable[[str], str]:
    """A function that blanks out the incident's involved names and external party from a text."""
    names = sorted(involved_names(incident, handled_by), key=len, reverse=True)
    if not names:
        return lambda text: text
    pattern = re.compile("|".join(re.escape(n) for n in names), re.IGNORECASE)
    return lambda text: pattern.sub(WITHHELD, text)


def incident_row(incident: Incident, *, public: bool, handled_by: Iterable[str] = ()) -> IncidentRow:
    """The incident's row; in the public version without details, and with involved names withheld
    (``handled_by``: the names from ``handlers``)."""
    redact = redactor_for(incident, handled_by) if public else (lambda text: text)
    outcome = incident.outcome or ""
    if not outcome and incident.ico_decision == IcoDecision.NOT_NOTIFIABLE and not public:
        outcome = incident.ico_reason or ""
    return IncidentRow(
        reference=incident.reference,
        title=redact(incident.title),
        category=IncidentCategory(incident.category).label,
        severity=incident.severity.capitalize(),
        status=IncidentStatus(incident.status).label,
        reported_on=incident.reported_at.astimezone(UTC).date(),
        closed_on=incident.closed_at.astimezone(UTC).date() if incident.closed_at else None,
        outcome=redact(outcome),
        details=None if public else _details(incident),
    )


def _details(incident: Incident) -> IncidentDetails:
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
        ico=_ico(incident),
        steps=[_step(incident, key) for key in _step_keys(incident)],
        actions=[ActionRow(a.at, a.author, a.text) for a in incident.actions],
        evidence=[EvidenceRow(e.filename, e.sha256, e.added_at, e.added_by) for e in incident.evidence],
        lessons=incident.lessons or "",
    )


def _step_keys(incident: Incident) -> list[str]:
    keys = incidents.required_steps(incident)
    return keys + [s.step for s in incident.steps if s.step not in keys and s.settled]


def _step(incident: Incident, key: str) -> StepRow:
    spec = incidents.STEPS.get(key)
    label, clause = (spec.label, spec.clause) if spec else (key, "")
    row = incidents.step_row(incident, key)
    if row is not None and row.done_at is not None:
        state = f"Done {moment_text(row.done_at)}" + (f" by {row.done_by}" if row.done_by else "")
    elif row is not None and row.not_applicable:
        state = f"Not applicable: {row.not_applicable}"
    elif incidents.step_settled(incident, key):
        state = "Done (recorded in the register)"
    else:
        state = "Outstanding"
    if row is not None and row.note:
        state += f". {row.note}"
    return StepRow(label, clause, state)


def _ico(incident: Incident) -> str:
    if not incidents.needs_ico_decision(incident):
        return ""
    deadline = incidents.discovered(incident) + timedelta(hours=incidents.ICO_HOURS)
    if incident.ico_decision is None:
        return f"Decision on notifying the ICO still to be made (deadline {moment_text(deadline)})."
    assert incident.ico_decided_at is not None
    timing = "within 72 hours" if incident.ico_decided_at <= deadline else "after the 72-hour deadline"
    if incident.ico_decision == IcoDecision.NOTIFY:
        text = f"The ICO was notified {moment_text(incident.ico_notified_at)}"
        if incident.ico_reference:
            text += f" (reference {incident.ico_reference})"
    else:
        text = f"Judged not notifiable to the ICO: {incident.ico_reason or 'no reason recorded'}"
    text += f"; decided {moment_text(incident.ico_decided_at)}, {timing}."
    if incident.delay_reasons:
        text += f" Reasons for the delay: {incident.delay_reasons}"
    return text
