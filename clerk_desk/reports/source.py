"""The records a review of a period is made from, read once: ``load`` (about a dozen queries, whatever the
size). The confidential review (``data``), the public one (``public_data``) and the Assertion 10 evidence
are each made from a ``Source``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session, lazyload

from clerk_desk import council_time
from clerk_desk.access import grants as access
from clerk_desk.access import officers
from clerk_desk.checks import engine as checks
from clerk_desk.credentials.service import VaultSnapshot
from clerk_desk.models import Account, AuditEntry, Designation, Grant, Incident, PasswordRotation, Person
from clerk_desk.register import accounts, people
from clerk_desk.register import settings as council_settings
from clerk_desk.reports import figures
from clerk_desk.reports.period import Period
from clerk_desk.storage.clock import Clock


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

    @property
    def zone(self) -> ZoneInfo:
        """The council's time zone: the review prints every moment in it."""
        return self.settings.time_zone

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


def load(
    session: Session, clock: Clock, period: Period, vault: VaultSnapshot | None = None, *, light: bool = False
) -> Source:
    """Read everything a review of ``period`` is made from (about a dozen queries, whatever the size).

    ``light``: leave the incidents' follow-ups, actions and evidence unread (the public review prints
    none of them).
    """
    settings = council_settings.load(session)
    zone = settings.time_zone
    all_accounts = accounts.all_accounts(session)
    register = checks.load(session, clock, vault)
    query = (
        select(Incident)
        .where(
            Incident.reported_at >= period.first_moment(zone),
            Incident.reported_at < period.after_moment(zone),
        )
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
        generated_at=council_time.local(clock.now(), zone),  # its date is the council's date
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
