"""The annual review's contents as plain values, gathered in one read of the database.

What belongs to a period (design notes for council, also printed in the review's notes):

- an account is in the register of the period if it existed at some time in it: opened (or approved)
  on or before the last day, and not closed before the first day. A proposal with no dates yet is
  listed too, so council sees what awaits approval. An account closed before the period is left out;
- a grant or a designation is listed if it was in force at some time in the period;
- an incident is in the period if it was reported in it (by its date on the council's calendar),
  whatever its status now;
- the findings and the policy dates are as they stand on the day the review is generated.

``source.load`` reads the records once; ``gather`` makes the confidential review of them, and
``public_data.gather`` the public one, which copies only what may be published.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.orm import Session

from clerk_desk.checks import engine as checks
from clerk_desk.credentials.service import VaultSnapshot
from clerk_desk.models import (
    Person,
    Role,
)
from clerk_desk.reports import assertion10, assessment, figures, records
from clerk_desk.reports import elections as election_review
from clerk_desk.reports.incident_data import IncidentRow, incident_row
from clerk_desk.reports.period import Period
from clerk_desk.reports.source import PolicyState, load
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
class Review:
    """Everything the confidential review prints; plain values, safe to lay out on another thread."""

    council_name: str
    logo: bytes | None
    period: Period
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
    assertion10: assertion10.Evidence
    chair: str
    clerk: str
    #: The pre-election periods in the review's dates (reports.elections).
    elections: list[election_review.PeriodSummary] = field(default_factory=list)


def gather(
    session: Session,
    clock: Clock,
    period: Period,
    *,
    meeting: str = "",
    prepared_by: str = "",
    vault: VaultSnapshot | None = None,
) -> Review:
    """The confidential review for ``period``."""
    source = load(session, clock, period, vault)
    written = assessment.get(session, period)
    settings = source.settings
    return Review(
        council_name=source.council_name,
        logo=source.logo,
        period=period,
        meeting=meeting.strip(),
        prepared_by=prepared_by,
        generated_at=source.generated_at,
        headline=source.headline(),
        assessment=written.text if written else "",
        assessment_by=(written.updated_by or "") if written else "",
        accounts=[records.account_row(a, source.register, settings) for a in source.in_register],
        officers=[records.officer_row(d) for d in source.designations],
        grants=[records.grant_row(g) for g in source.grants],
        changes=records.changes(
            period,
            source.grants,
            source.designations,
            source.everyone,
            records.acknowledgements_in(session, period),
        ),
        incidents=[incident_row(i, source.zone) for i in source.incidents],
        per_month=figures.per_month(period, source.incidents, source.zone),
        per_category=figures.per_category(source.incidents),
        findings=finding_groups(source.findings),
        policy=source.policy,
        assertion10=assertion10.evaluate(session, source),
        chair=chair(source.everyone, source.today),
        clerk=clerk(source.everyone, source.today),
        elections=election_review.gather(session, period, public=False),
    )


def finding_groups(findings: list[checks.Finding]) -> list[FindingGroup]:
    """Findings grouped by rule, most severe rule first."""
    groups: dict[str, list[checks.Finding]] = defaultdict(list)
    for f in findings:
        groups[f.rule].append(f)
    ordered = sorted(groups.items(), key=lambda kv: (min(f.severity.rank for f in kv[1]), kv[0]))
    return [
        FindingGroup(
            rule_id,
            members[0].clause,
            [FindingRow(f.severity.value.capitalize(), f.subject, f.message) for f in members],
        )
        for rule_id, members in ordered
    ]


# --- sign-off ------------------------------------------------------------------------------------------

_CHAIR = re.compile(r"\bchair\b", re.IGNORECASE)
_VICE = re.compile(r"\bvice\b", re.IGNORECASE)


def chair(everyone: list[Person], today: date) -> str:
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


def clerk(everyone: list[Person], today: date) -> str:
    return next((p.name for p in everyone if p.role == Role.CLERK and not p.has_left(today)), "")
