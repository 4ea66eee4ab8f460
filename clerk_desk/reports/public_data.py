"""The public review's contents, built from an allow-list: only what may be published is copied out of
the records, so nothing written for the confidential record can reach the agenda pack.

It holds counts and aggregates; the council's accounts (platform, handle, purpose, approved on); the
designated officers by job title; each incident as its month, category, severity, status and the public
summary the clerk wrote for it; and the security and governance gaps as totals, never which account or
person they concern. Names appear only in the sign-off (the Chair and the Clerk).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from clerk_desk import council_time
from clerk_desk.checks import engine as checks
from clerk_desk.credentials.service import VaultSnapshot
from clerk_desk.models import AccountStatus, IncidentCategory, IncidentStatus, Person, Role
from clerk_desk.reports import data, figures
from clerk_desk.reports import elections as election_review
from clerk_desk.reports.period import MONTHS, Period
from clerk_desk.reports.source import PolicyState, load
from clerk_desk.storage.clock import Clock


@dataclass(frozen=True)
class PublicAccount:
    platform: str
    handle: str
    purpose: str
    approved_on: date | None


@dataclass(frozen=True)
class PublicOfficer:
    job_title: str
    accounts: tuple[str, ...]


@dataclass(frozen=True)
class PublicIncident:
    month: str
    category: str
    severity: str
    status: str
    #: The clerk's public summary; empty when none was written (the incident shows as its category alone).
    summary: str


@dataclass(frozen=True)
class PublicReview:
    """Everything the public review prints: plain values, each one allowed for publication."""

    council_name: str
    logo: bytes | None
    period: Period
    meeting: str
    prepared_by: str
    generated_at: datetime
    headline: figures.Headline
    accounts: list[PublicAccount]
    officers: list[PublicOfficer]
    incidents: list[PublicIncident]
    per_month: list[tuple[str, int]]
    per_category: list[tuple[str, int]]
    #: Security and governance gaps as totals: ("1 of 6 accounts lacks two-factor sign-in", clause).
    gaps: list[tuple[str, str]]
    policy: PolicyState
    chair: str
    clerk: str
    #: The pre-election periods in the review's dates, as counts only.
    elections: list[election_review.PeriodSummary] = field(default_factory=list)


def gather(
    session: Session,
    clock: Clock,
    period: Period,
    *,
    meeting: str = "",
    prepared_by: str = "",
    vault: VaultSnapshot | None = None,
) -> PublicReview:
    """The public review for ``period``."""
    source = load(session, clock, period, vault, light=True)
    today = source.today
    in_post = [d for d in source.designations if d.in_force(period.end)]
    live = [a for a in source.all_accounts if a.status in (AccountStatus.ACTIVE, AccountStatus.SUSPENDED)]
    return PublicReview(
        council_name=source.council_name,
        logo=source.logo,
        period=period,
        meeting=meeting.strip(),
        prepared_by=_role_of(prepared_by, source.everyone),
        generated_at=source.generated_at,
        headline=source.headline(),
        accounts=[
            PublicAccount(a.platform, a.handle, a.purpose or "", a.approved_on)
            for a in source.in_register
            if a.status != AccountStatus.PROPOSED
        ],
        officers=sorted(
            (PublicOfficer(job_title(d.person), tuple(a.name for a in d.accounts)) for d in in_post),
            key=lambda o: (o.job_title.casefold(), o.accounts),
        ),
        incidents=[
            PublicIncident(
                _month(i.reported_at, source.zone),
                IncidentCategory(i.category).label,
                i.severity.capitalize(),
                IncidentStatus(i.status).label,
                (i.public_summary or "").strip(),
            )
            for i in source.incidents
        ],
        per_month=figures.per_month(period, source.incidents, source.zone),
        per_category=figures.per_category(source.incidents),
        gaps=gaps(source.findings, len(live)),
        policy=source.policy,
        chair=data.chair(source.everyone, today),
        clerk=data.clerk(source.everyone, today),
        elections=election_review.gather(session, period, public=True),
    )


def job_title(person: Person) -> str:
    """What the person does for the council, never who they are."""
    return (person.job_title or "").strip() or Role(person.role).label


def _role_of(name: str, everyone: list[Person]) -> str:
    person = next((p for p in everyone if p.name == name), None)
    return job_title(person) if person is not None else "The council"


def _month(moment: datetime, zone: ZoneInfo) -> str:
    at = council_time.local(moment, zone)
    return f"{MONTHS[at.month - 1]} {at.year}"


#: How a rule's findings are totalled: (singular, plural) after the count. Account rules read
#: "N of M accounts …"; the rest "N …".
ACCOUNT_GAPS = {
    "no-two-factor": ("lacks two-factor sign-in", "lack two-factor sign-in"),
    "signin-email-not-council": (
        "does not sign in with a shared council mailbox",
        "do not sign in with a shared council mailbox",
    ),
    "complaints-info-missing": ("does not publish how to complain", "do not publish how to complain"),
    "account-unapproved": ("awaits approval", "await approval"),
    "password-missing": ("has no password in the password store", "have no password in the password store"),
    "password-overdue": ("has a password change overdue", "have a password change overdue"),
    "password-reused": ("shares its password with another account", "share a password with another account"),
    "rotate-now": ("needs its password changed now", "need their password changed now"),
}
OTHER_GAPS = {
    "officer-not-acknowledged": (
        "person who holds access has not acknowledged the policy",
        "people who hold access have not acknowledged the policy",
    ),
    "keyholder-left": ("person who has left still holds access", "people who have left still hold access"),
    "councillor-access": ("councillor holds direct access", "councillors hold direct access"),
    "grant-expired": (
        "grant of access has passed its end date",
        "grants of access have passed their end date",
    ),
    "grant-no-business-case": (
        "grant of access has no business case",
        "grants of access have no business case",
    ),
    "ico-deadline": (
        "breach awaits a decision on notifying the ICO",
        "breaches await a decision on notifying the ICO",
    ),
    "policy-review-overdue": (
        "yearly review of the policy is overdue",
        "yearly reviews of the policy are overdue",
    ),
    "chair-not-informed": (
        "incident awaits the Chair being informed",
        "incidents await the Chair being informed",
    ),
    "platform-not-notified": (
        "fraudulent account awaits reporting to its platform",
        "fraudulent accounts await reporting to their platforms",
    ),
    "incident-open-too-long": ("incident has been open too long", "incidents have been open too long"),
}


def gaps(findings: list[checks.Finding], live_accounts: int) -> list[tuple[str, str]]:
    """Each rule's findings as one total, most severe rule first; never the subjects or messages."""
    counts = Counter(f.rule for f in findings)
    first = {f.rule: f for f in reversed(findings)}
    found = []
    for rule in sorted(counts, key=lambda r: (first[r].severity.rank, r)):
        n, kind = counts[rule], first[rule].subject_kind
        if rule in ACCOUNT_GAPS and kind == "account":
            one, many = ACCOUNT_GAPS[rule]
            noun = "account" if live_accounts == 1 else "accounts"
            text = f"{n} of {live_accounts} {noun} {one if n == 1 else many}"
        elif rule in OTHER_GAPS:
            one, many = OTHER_GAPS[rule]
            text = f"{n} {one if n == 1 else many}"
        elif kind == "incident":
            text = f"{n} {'incident has' if n == 1 else 'incidents have'} a step outstanding ({rule})"
        else:
            text = f"{n} {'finding' if n == 1 else 'findings'} under the rule {rule}"
        found.append((text, first[rule].clause))
    return found
