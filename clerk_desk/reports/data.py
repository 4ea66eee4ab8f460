"""The annual review's contents as plain values, gathered in one read of the database.

What belongs to a period (design notes for council, also printed in the review's notes):

- an account is in the register of the period if it existed at some time in it: opened (or approved)
  on or before the last day, and not closed before the first day. A proposal with no dates yet is
  listed too, so council sees what awaits approval. An account closed before the period is left out;
- a grant or a designation is listed if it was in force at some time in the period;
- an incident is in the period if it was reported in it (by its UTC date), whatever its status now;
- the findings and the policy dates are as they stand on the day the review is generated.

``load`` reads the records once; ``gather`` makes the confidential review of them, and
``public_data.gather`` the public one, which copies only what may be published.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, lazyload

from clerk_desk import access, accounts, checks, officers, people
from clerk_desk import settings as council_settings
from clerk_desk.clock import Clock
from clerk_desk.credentials import VaultSnapshot
from clerk_desk.models import (
    Account,
    AuditEntry,
    Designation,
    Grant,
    Incident,
    PasswordRotation,
    Person,
    Role,
)
from clerk_desk.reports import assertion10, assessment, figures, records
from clerk_desk.reports.incident_data import IncidentRow, incident_row
from clerk_desk.reports.period import Period


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
class Source:
    """The records a review of a period is made from (ORM objects: read them inside the session)."""

    period: Period
    today: date
    generated_at: datetime
    settings: council_settings.CouncilSettings
    everyone: list[Person]
    all_accounts: list[Account]
    in_register: list[Account]
    register: checks.Register
    grants: list[Grant]
    designations: list[Designation]
    incidents: list[Incident]
    rotations: list[PasswordRotation]
    findings: list[checks.Finding]
    logo: bytes | None
    policy: PolicyState

    @property
    def council_name(self) -> str:
        return self.settings.council_name or "The council"

    def headline(self) -> figures.Headline:
        return figures.headline(
            self.period,
            self.all_accounts,
            self.in_register,
            self.grants,
            self.designations,
            self.incidents,
            self.rotations,
            self.settings,
            self.findings,
        )


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


def load(
    session: Session, clock: Clock, period: Period, vault: VaultSnapshot | None = None, *, light: bool = False
) -> Source:
    """Read everything a review of ``period`` is made from (about a dozen queries, whatever the size).

    ``light``: leave the incidents' follow-ups, actions and evidence unread (the public review prints
    none of them).
    """
    settings = council_settings.load(session)
    all_accounts = accounts.all_accounts(session)
    register = checks.load(session, clock, vault)
    query = (
        select(Incident)
        .where(Incident.reported_at >= period.first_moment, Incident.reported_at < period.after_moment)
        .order_by(Incident.reported_at, Incident.id)
    )
    if light:
        query = query.options(
            lazyload(Incident.accounts),
            lazyload(Incident.people),
            lazyload(Incident.steps),
            lazyload(Incident.actions),
            lazyload(Incident.evidence),
        )
    logo = council_settings.get_logo(session)
    head = session.execute(
        select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
    ).first()
    entries = session.execute(select(func.count()).select_from(AuditEntry)).scalar_one()
    return Source(
        period=period,
        today=clock.today(),
        generated_at=clock.now(),
        settings=settings,
        everyone=people.all_people(session),
        all_accounts=all_accounts,
        in_register=[a for a in all_accounts if figures.account_in_period(a, period)],
        register=register,
        grants=[g for g in access.all_grants(session) if figures.grant_overlaps(g, period)],
        designations=[
            d for d in officers.all_designations(session) if figures.designation_overlaps(d, period)
        ],
        incidents=list(session.execute(query).unique().scalars()),
        rotations=list(session.execute(select(PasswordRotation)).scalars()),
        findings=checks.evaluate(register),
        logo=logo.data if logo else None,
        policy=PolicyState(
            settings.policy_version,
            settings.policy_adopted_on,
            settings.policy_reviewed_on,
            checks.policy_review_due(settings),
            entries,
            (head.seq, head.hash) if head else None,
        ),
    )


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
        incidents=[incident_row(i) for i in source.incidents],
        per_month=figures.per_month(period, source.incidents),
        per_category=figures.per_category(source.incidents),
        findings=finding_groups(source.findings),
        policy=source.policy,
        assertion10=assertion10.evaluate(session, source),
        chair=chair(source.everyone, source.today),
        clerk=clerk(source.everyone, source.today),
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
