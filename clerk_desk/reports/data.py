"""The annual review's contents as plain values, gathered in one read of the database.

What belongs to a period (design notes for council, also printed in the review's notes):

- an account is in the register of the period if it existed at some time in it: opened (or approved)
  on or before the last day, and not closed before the first day. A proposal with no dates yet is
  listed too, so council sees what awaits approval. An account closed before the period is left out;
- a grant or a designation is listed if it was in force at some time in the period;
- an incident is in the period if it was reported in it (by its UTC date), whatever its status now;
- the findings and the policy dates are as they stand on the day the review is generated.

The public version is made here, not in the layout: its values never hold an incident's description,
external party, evidence, follow-ups, actions or the names of the people involved (those names are also
blanked out of incident titles, outcomes and findings), so the layout cannot print them by mistake.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, lazyload

from clerk_desk.access import grants as access
from clerk_desk.access import officers
from clerk_desk.checks import engine as checks
from clerk_desk.credentials.service import VaultSnapshot
from clerk_desk.models import (
    AuditEntry,
    Incident,
    PasswordRotation,
    Person,
    Role,
)
from clerk_desk.register import accounts, people
from clerk_desk.register import settings as council_settings
from clerk_desk.reports import assessment, figures, incident_data, records
from clerk_desk.reports.incident_data import IncidentRow, incident_row, redactor_for
from clerk_desk.reports.period import Period
from clerk_desk.storage.clock import Clock


@dataclass(frozen=True)
class FindingRow:
    severity: str
    subject: str
    message: str


@dataclass(frozen=True)
class FindingGroup:
    rule: str
    clause: str
    findings: list[FindingRow]


@dataclass(frozen=True)
class PolicyState:
    version: str
    adopted_on: date | None
    reviewed_on: date | None
    next_review: date | None
    audit_entries: int
    #: The newest entry's number and hash, printed so a later ``audit --verify`` can be held to it.
    audit_head: tuple[int, str] | None


@dataclass(frozen=True)
class Review:
    """Everything the review prints; plain values, safe to lay out on another thread."""

    council_name: str
    logo: bytes | None
    period: Period
    public: bool
    meeting: str
    prepared_by: str
    generated_at: datetime
    headline: figures.Headline
    assessment: str
    assessment_by: str
    accounts: list[records.AccountRow]
    officers: list[records.OfficerRow]
    grants: list[records.GrantRow]
    changes: list[records.Change]
    incidents: list[IncidentRow]
    #: Incidents per month of the period: (short label, count).
    per_month: list[tuple[str, int]]
    #: Incidents per category that had any: (label, count).
    per_category: list[tuple[str, int]]
    findings: list[FindingGroup]
    policy: PolicyState
    chair: str
    clerk: str
    notes: list[str] = field(default_factory=list)

    @property
    def marking(self) -> str:
        return "Public" if self.public else "Confidential"


def gather(
    session: Session,
    clock: Clock,
    period: Period,
    *,
    public: bool = False,
    meeting: str = "",
    prepared_by: str = "",
    vault: VaultSnapshot | None = None,
) -> Review:
    """Read everything the review for ``period`` prints (about a dozen queries, whatever the size)."""
    today = clock.today()
    settings = council_settings.load(session)
    everyone = people.all_people(session)
    all_accounts = accounts.all_accounts(session)
    in_register = [a for a in all_accounts if figures.account_in_period(a, period)]
    register = checks.load(session, clock, vault)
    grants = [g for g in access.all_grants(session) if figures.grant_overlaps(g, period)]
    designations = [d for d in officers.all_designations(session) if figures.designation_overlaps(d, period)]
    query = (
        select(Incident)
        .where(Incident.reported_at >= period.first_moment, Incident.reported_at < period.after_moment)
        .order_by(Incident.reported_at, Incident.id)
    )
    if public:
        # Not printed in the public version (of the follow-ups, actions and evidence only the names of
        # who did them are needed, and ``handlers`` reads those), so not loaded.
        query = query.options(
            lazyload(Incident.accounts),
            lazyload(Incident.steps),
            lazyload(Incident.actions),
            lazyload(Incident.evidence),
        )
    found = list(session.execute(query).unique().scalars())
    handled_by = (
        incident_data.handlers(session, [i.id for i in found] + [i.id for i in register.incidents])
        if public
        else {}
    )
    rotations = list(session.execute(select(PasswordRotation)).scalars())
    findings = checks.evaluate(register)
    written = assessment.get(session, period)
    logo = council_settings.get_logo(session)
    head = session.execute(
        select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
    ).first()
    entries = session.execute(select(func.count()).select_from(AuditEntry)).scalar_one()

    incident_rows = [incident_row(i, public=public, handled_by=handled_by.get(i.id, ())) for i in found]
    open_incidents: dict[int | None, Incident] = {i.id: i for i in register.incidents}
    return Review(
        council_name=settings.council_name or "The council",
        logo=logo.data if logo else None,
        period=period,
        public=public,
        meeting=meeting.strip(),
        prepared_by=prepared_by,
        generated_at=clock.now(),
        headline=figures.headline(
            period, all_accounts, in_register, grants, designations, found, rotations, settings, findings
        ),
        assessment=written.text if written else "",
        assessment_by=(written.updated_by or "") if written else "",
        accounts=[records.account_row(a, register, settings) for a in in_register],
        officers=[records.officer_row(d) for d in designations],
        grants=[records.grant_row(g) for g in grants],
        changes=records.changes(
            period, grants, designations, everyone, records.acknowledgements_in(session, period)
        ),
        incidents=incident_rows,
        per_month=figures.per_month(period, found),
        per_category=figures.per_category(found),
        findings=_finding_groups(findings, open_incidents, handled_by if public else None),
        policy=PolicyState(
            settings.policy_version,
            settings.policy_adopted_on,
            settings.policy_reviewed_on,
            checks.policy_review_due(settings),
            entries,
            (head.seq, head.hash) if head else None,
        ),
        chair=_chair(everyone, today),
        clerk=_clerk(everyone, today),
    )


# --- policy health -------------------------------------------------------------------------------------


def _finding_groups(
    findings: list[checks.Finding],
    about: dict[int | None, Incident],
    withheld: dict[int, set[str]] | None,
) -> list[FindingGroup]:
    """Findings grouped by rule, most severe rule first; ``withheld`` (public version): the names to
    blank out of findings about an incident, besides its people and external party."""
    groups: dict[str, list[checks.Finding]] = defaultdict(list)
    for f in findings:
        groups[f.rule].append(f)
    result = []
    for rule_id, members in sorted(
        groups.items(), key=lambda kv: (min(f.severity.rank for f in kv[1]), kv[0])
    ):
        rows = []
        for f in members:
            message = f.message
            incident = about.get(f.subject_id) if f.subject_kind == "incident" else None
            if withheld is not None and incident is not None:
                message = redactor_for(incident, withheld.get(incident.id, ()))(message)
            rows.append(FindingRow(f.severity.value.capitalize(), f.subject, message))
        result.append(FindingGroup(rule_id, members[0].clause, rows))
    return result


# --- sign-off ------------------------------------------------------------------------------------------

_CHAIR = re.compile(r"\bchair\b", re.IGNORECASE)
_VICE = re.compile(r"\bvice\b", re.IGNORECASE)


def _chair(everyone: list[Person], today: date) -> str:
    """The councillor whose job title says Chair (not Vice-Chair), if People records one."""
    for p in everyone:
        title = p.job_title or ""
        if (
            p.role == Role.COUNCILLOR
            and _CHAIR.search(title)
            and not _VICE.search(title)
            and not p.has_left(today)
        ):
            return p.name
    return ""


def _clerk(everyone: list[Person], today: date) -> str:
    return next((p.name for p in everyone if p.role == Role.CLERK and not p.has_left(today)), "")
