"""The demo council's pre-election period and breach assessment, so a first look shows both at work."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy.orm import Session

from clerk_desk.elections import moderation, periods
from clerk_desk.incidents import assessment
from clerk_desk.incidents import lifecycle as incidents
from clerk_desk.models import IncidentCategory, ModerationAction, RiskLevel
from clerk_desk.register import accounts, settings


def fill(session: Session, today: date) -> None:
    """A by-election under way with every notice posted, a removal and an exception; the email-list breach
    assessed as a high risk."""
    period = periods.save(
        session,
        periods.PeriodData(
            today - timedelta(days=12),
            today + timedelta(days=23),
            "Castle ward by-election",
            "Town council, Castle ward (one seat)",
        ),
    )
    for row in periods.checklist(period, accounts.all_accounts(session)):
        if not row.needs_notice:
            continue
        periods.record_account(
            session,
            period.id,
            row.account.name,
            notice_posted_on=today - timedelta(days=11),
            posts_reviewed_on=today if row.account.platform in ("Facebook", "X") else None,
        )
    periods.record_period_item(session, period.id, "briefing", today - timedelta(days=10), "Staff meeting")
    periods.approve_exception(
        session,
        period.id,
        "Flood warning posts from the Environment Agency",
        "Public safety information, not publicity",
        today - timedelta(days=3),
    )
    moderation.record(
        session,
        moderation.EntryData(
            "Facebook:@LittleAshcombeTC",
            datetime.combine(today - timedelta(days=2), time(19, 40), tzinfo=settings.time_zone(session)),
            ModerationAction.HIDDEN,
            "A comment urging residents to vote for a named candidate",
            "Political content during the pre-election period",
        ),
    )
    for incident in incidents.all_incidents(session):
        if incident.category == IncidentCategory.PERSONAL_DATA and not incident.near_miss:
            assessment.add(
                session,
                incident,
                assessment.AssessmentData(
                    living_people=True,
                    likelihood=RiskLevel.HIGH,
                    severity=RiskLevel.MEDIUM,
                    mitigation="Asked every recipient to delete the email; recall attempted",
                    people_affected=84,
                    records_affected=84,
                    data_kinds="names; email addresses; allotment plot numbers",
                    consequences="Unwanted contact; residents' addresses could be inferred",
                ),
            )
