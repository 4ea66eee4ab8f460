"""The review's figures: what belongs to the period, the headline numbers and the chart counts."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from clerk_desk import council_time
from clerk_desk.checks import engine as checks
from clerk_desk.incidents import lifecycle as incidents
from clerk_desk.models import (
    Account,
    AccountStatus,
    Designation,
    Grant,
    Incident,
    IncidentCategory,
    IncidentSeverity,
    PasswordRotation,
)
from clerk_desk.register import settings as council_settings
from clerk_desk.reports.period import MONTHS, Period

SEVERITIES = tuple(IncidentSeverity)


@dataclass(frozen=True)
class Headline:
    """The numbers on the summary page."""

    accounts_active: int
    accounts_opened: int
    accounts_closed: int
    officers: int
    officers_designated: int
    officers_ended: int
    grants_in_force: int
    grants_made: int
    grants_revoked: int
    grants_expired: int
    password_changes: int
    password_changes_by_reason: dict[str, int]
    passwords_due: int
    passwords_due_met: int
    incidents: int
    incidents_open: int
    #: Count by (category label, severity), for the matrix on the summary page.
    incident_matrix: dict[str, dict[str, int]]
    median_days_to_close: float | None
    ico_decisions: int
    ico_within_72_hours: int
    ico_awaiting: int
    findings_by_severity: dict[str, int]


def account_in_period(account: Account, period: Period) -> bool:
    """Opened (or approved) by the period's end and not closed before its start; a dateless proposal is in."""
    began = account.opened_on or account.approved_on
    if began is not None and began > period.end:
        return False
    return account.closed_on is None or account.closed_on >= period.start


def grant_overlaps(grant: Grant, period: Period) -> bool:
    """In force at some time in the period."""
    ended = min((d for d in (grant.revoked_on, grant.expires_on) if d is not None), default=None)
    return grant.granted_on <= period.end and (ended is None or ended >= period.start)


def designation_overlaps(designation: Designation, period: Period) -> bool:
    """In force at some time in the period."""
    return designation.designated_on <= period.end and (
        designation.ended_on is None or designation.ended_on >= period.start
    )


def expired_in(grant: Grant, period: Period) -> bool:
    """The grant ran out in the period, rather than being revoked first."""
    expires = grant.expires_on
    return (
        expires is not None
        and period.contains(expires)
        and (grant.revoked_on is None or grant.revoked_on > expires)
    )


def headline(
    period: Period,
    all_accounts: list[Account],
    in_register: list[Account],
    grants: list[Grant],
    designations: list[Designation],
    found: list[Incident],
    rotations: list[PasswordRotation],
    settings: council_settings.CouncilSettings,
    findings: list[checks.Finding],
) -> Headline:
    end = period.end
    existing = [a for a in in_register if a.status != AccountStatus.PROPOSED]
    active = [a for a in existing if a.closed_on is None or a.closed_on > end]
    in_force_officers = {d.person_id for d in designations if d.in_force(end)}
    in_period_rotations = [r for r in rotations if period.contains(r.rotated_on)]
    due, met = passwords_due(existing, rotations, settings.rotation_days, period)
    matrix: dict[str, dict[str, int]] = {}
    for incident in found:
        row = matrix.setdefault(IncidentCategory(incident.category).label, dict.fromkeys(SEVERITIES, 0))
        row[incident.severity] = row.get(incident.severity, 0) + 1
    days = [(i.closed_at - i.reported_at).total_seconds() / 86400 for i in found if i.closed_at is not None]
    needing = [i for i in found if incidents.needs_ico_decision(i)]
    decided = [i for i in needing if i.ico_decided_at is not None]
    within = [
        i
        for i in decided
        if i.ico_decided_at is not None
        and i.ico_decided_at <= incidents.discovered(i) + timedelta(hours=incidents.ICO_HOURS)
    ]
    severity_counts = Counter(f.severity.value for f in findings)
    return Headline(
        accounts_active=len(active),
        accounts_opened=sum(1 for a in all_accounts if period.contains(a.opened_on)),
        accounts_closed=sum(1 for a in all_accounts if period.contains(a.closed_on)),
        officers=len(in_force_officers),
        officers_designated=sum(1 for d in designations if period.contains(d.designated_on)),
        officers_ended=sum(1 for d in designations if period.contains(d.ended_on)),
        grants_in_force=sum(1 for g in grants if g.in_force(end)),
        grants_made=sum(1 for g in grants if period.contains(g.granted_on)),
        grants_revoked=sum(1 for g in grants if period.contains(g.revoked_on)),
        grants_expired=sum(1 for g in grants if expired_in(g, period)),
        password_changes=len(in_period_rotations),
        password_changes_by_reason=dict(Counter(r.reason for r in in_period_rotations)),
        passwords_due=due,
        passwords_due_met=met,
        incidents=len(found),
        incidents_open=sum(1 for i in found if i.closed_at is None),
        incident_matrix=dict(sorted(matrix.items())),
        median_days_to_close=statistics.median(days) if days else None,
        ico_decisions=len(decided),
        ico_within_72_hours=len(within),
        ico_awaiting=len(needing) - len(decided),
        findings_by_severity={s.value: severity_counts.get(s.value, 0) for s in checks.Severity},
    )


def passwords_due(
    existing: Iterable[Account], rotations: Iterable[PasswordRotation], default_days: int, period: Period
) -> tuple[int, int]:
    """Password changes that fell due in the period, and how many of them were made by their date.

    Each change (and the opening of the account) makes the next one due after the account's interval;
    a due date in the period counts once, and is met if the next change came on or before it.
    """
    by_account: dict[int, set[date]] = defaultdict(set)
    for r in rotations:
        by_account[r.account_id].add(r.rotated_on)
    due = met = 0
    for account in existing:
        interval = timedelta(days=account.rotation_days or default_days)
        began = account.opened_on or account.approved_on
        anchors = sorted(by_account[account.id] | ({began} if began else set()))
        last_day = min(account.closed_on or period.end, period.end)
        for index, anchor in enumerate(anchors):
            due_on = anchor + interval
            if not period.start <= due_on <= last_day:
                continue
            due += 1
            following = anchors[index + 1] if index + 1 < len(anchors) else None
            if following is not None and following <= due_on:
                met += 1
    return due, met


def per_month(period: Period, found: list[Incident], zone: ZoneInfo) -> list[tuple[str, int]]:
    """Incidents per month of the period, by the council's calendar."""
    reported = (council_time.local_date(i.reported_at, zone) for i in found)
    counts = Counter((day.year, day.month) for day in reported)
    return [(f"{MONTHS[m - 1][:3]} {str(y)[2:]}", counts.get((y, m), 0)) for y, m in period.months()]


def per_category(found: list[Incident]) -> list[tuple[str, int]]:
    counts = Counter(i.category for i in found)
    return [(c.label, counts[c.value]) for c in IncidentCategory if counts.get(c.value)]
