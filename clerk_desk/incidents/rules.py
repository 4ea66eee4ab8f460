"""The incident rules: findings, reminders and the rotate-now events incidents raise."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from clerk_desk import clauses, council_time
from clerk_desk.checks.findings import Finding, Register, Reminder, Severity, Urgency
from clerk_desk.checks.incident_rows import IncidentLike, OpenIncident
from clerk_desk.credentials import rotation
from clerk_desk.incidents import assessment, facts
from clerk_desk.incidents import lifecycle as incidents
from clerk_desk.models import Account, Incident, IncidentCategory, IncidentStatus, RotationReason
from clerk_desk.models.incidents import incident_accounts

#: An incident not closed this many days after it was reported is followed up (incident-open-too-long).
OPEN_TOO_LONG_DAYS = 28
FOLLOW_UP_CLAUSE = clauses.FOLLOW_UP


def compromised_accounts(session: Session) -> Iterable[rotation.RotateNowEvent]:
    """An open or resolved compromise names its accounts: their passwords change at once (Thornbury 9.4).

    Read as plain rows (reference, discovery, account): no incident is loaded whole."""
    link = incident_accounts.c
    found = session.execute(
        select(Incident.reference, Incident.discovered_at, Incident.reported_at, link.account_id)
        .join(incident_accounts, link.incident_id == Incident.id)
        .join(Account, Account.id == link.account_id)
        .where(
            Incident.category == IncidentCategory.ACCOUNT_COMPROMISE,
            Incident.status != IncidentStatus.CLOSED,
        )
        .order_by(Incident.id, Account.platform_key, Account.handle_key)
    )
    for reference, discovered_at, reported_at, account_id in found:
        yield rotation.RotateNowEvent(
            account_id,
            (discovered_at or reported_at).date(),
            f"{reference}, a suspected compromise",
            RotationReason.SUSPECTED_COMPROMISE,
        )


def compromise_events(found: Iterable[IncidentLike]) -> list[rotation.RotateNowEvent]:
    """``compromised_accounts`` for incidents already loaded (the open ones), in the same order."""
    compromises = [
        incident
        for incident in found
        if incident.category == IncidentCategory.ACCOUNT_COMPROMISE
        and incident.status != IncidentStatus.CLOSED
    ]
    compromises.sort(key=lambda incident: incident.id)
    return [
        rotation.RotateNowEvent(
            account.id,
            incidents.discovered(incident).date(),
            f"{incident.reference}, a suspected compromise",
            RotationReason.SUSPECTED_COMPROMISE,
        )
        for incident in compromises
        for account in incident.accounts
    ]


def open_for_checks(session: Session, accounts: Sequence[Account]) -> list[OpenIncident]:
    """Incidents not closed, with what the rules read (steps, latest assessment, accounts) and nothing
    else: closed history, descriptions, timelines and evidence are never loaded."""
    return facts.open_incidents(session, accounts)


def _finding(rule_id: str, clause: str, severity: Severity, incident: OpenIncident, message: str) -> Finding:
    return Finding(rule_id, clause, severity, incident.reference, message, "incident", incident.id)


def ico_deadline(register: Register) -> Iterable[Finding]:
    """A personal-data breach: the ICO decision within 72 hours of discovery (UK GDPR Art. 33)."""
    zone = register.settings.time_zone
    for incident in register.incidents:
        if incident.ico_decision is not None:
            continue
        deadline = incidents.ico_deadline(incident)
        if deadline is None:
            continue
        hours = incidents.hours_until(deadline, register.now)
        when = f"{hours} hours left" if hours >= 0 else f"{-hours} hours overdue"
        yield _finding(
            "ico-deadline",
            incidents.ICO_CLAUSE,
            Severity.HIGH,
            incident,
            f"{incident.reference} ({incident.title}): decide whether to notify the ICO — {when} "
            f"(deadline {council_time.show_named(deadline, zone)}).",
        )


def chair_not_informed(register: Register) -> Iterable[Finding]:
    """A breach of Thornbury 9.7 informs the Chair; so does harassment of the clerk (Ottery 7.4;
    Thornbury 5.3)."""
    for incident in register.incidents:
        required = incidents.category_steps(incident)  # both steps come from the category
        for key in ("chair_informed", "reported_to_chair"):
            if key in required and not incidents.step_settled(incident, key):
                spec = incidents.STEPS[key]
                yield _finding(
                    "chair-not-informed",
                    spec.clause,
                    Severity.HIGH,
                    incident,
                    f"{incident.reference} ({incident.title}): the Chair of Council has not been informed.",
                )


def platform_not_notified(register: Register) -> Iterable[Finding]:
    """A fraudulent account is reported to the platform (Thornbury 8)."""
    for incident in register.incidents:
        if "platform_notified" in incidents.category_steps(incident) and not incidents.step_settled(
            incident, "platform_notified"
        ):
            party = f" ({incident.external_party})" if incident.external_party else ""
            yield _finding(
                "platform-not-notified",
                clauses.IMPERSONATION,
                Severity.HIGH,
                incident,
                f"{incident.reference}: the impersonating account{party} has not been reported to "
                "the platform.",
            )


def data_subjects_not_told(register: Register) -> Iterable[Finding]:
    """A high risk to the people affected: they are told without undue delay (UK GDPR Art. 34), or an
    Art. 34(3) ground is recorded; a week after discovery with neither is a finding."""
    for incident in register.incidents:
        if assessment.not_told_late(incident, register.now):
            days = (register.now - incidents.discovered(incident)).days
            yield _finding(
                "data-subjects-not-told",
                incidents.ART34_CLAUSE,
                Severity.HIGH,
                incident,
                f"{incident.reference} ({incident.title}): the risk to the people affected is high and "
                f"they have not been told, {days} days after discovery; tell them, or record the "
                "Art. 34(3) reason they need not be.",
            )


def incident_open_too_long(register: Register) -> Iterable[Finding]:
    """An incident still open four weeks after it was reported is followed up or closed.

    Not one of the design's rule ids: the policies expect breaches to be dealt with (Thornbury 6;
    Stalbridge 3 enforcement), and an incident nobody closes is how a breach is forgotten.
    """
    zone, today = register.settings.time_zone, register.today
    active = (IncidentStatus.OPEN, IncidentStatus.INVESTIGATING)
    for incident in register.incidents:
        if incident.status in active:
            days = (today - council_time.local_date(incident.reported_at, zone)).days
            if days > OPEN_TOO_LONG_DAYS:
                yield _finding(
                    "incident-open-too-long",
                    FOLLOW_UP_CLAUSE,
                    Severity.MEDIUM,
                    incident,
                    f"{incident.reference} ({incident.title}) has been {incident.status} for {days} "
                    "days; follow it up, or resolve and close it.",
                )


def incident_deadlines(register: Register, within_days: int) -> Iterable[Reminder]:
    """ICO deadlines, and follow-up steps still to do on open incidents."""
    zone, today, now = register.settings.time_zone, register.today, register.now
    horizon = today + timedelta(days=within_days)
    closed, steps, follow_up = IncidentStatus.CLOSED, incidents.STEPS, incidents.FOLLOW_UP_DAYS
    for incident in register.incidents:
        deadline = incidents.ico_deadline(incident) if incident.ico_decision is None else None
        if deadline is not None:
            overdue = deadline < now
            yield Reminder(
                Urgency.OVERDUE if overdue else Urgency.NOW,
                council_time.local_date(deadline, zone),
                incident.reference,
                "Decide on notifying the ICO",
                incident.title,
                incidents.ICO_CLAUSE,
                "incident",
                incident.id,
                f"ico-{incident.reference}",
                at=deadline,
            )
        if incident.status == closed:
            continue
        keys = [key for key in incidents.outstanding_steps(incident) if key != "ico_decision"]
        if not keys:
            continue
        due = council_time.local_date(incident.reported_at + follow_up, zone)  # the same for every step
        if due > horizon:
            continue
        urgency = Urgency.OVERDUE if due < today else Urgency.SOON
        for key in keys:
            spec = steps[key]
            yield Reminder(
                urgency,
                due,
                incident.reference,
                spec.label,
                incident.title,
                spec.clause,
                "incident",
                incident.id,
                f"step-{incident.reference}-{key}",
            )


RULES = (
    ico_deadline,
    chair_not_informed,
    platform_not_notified,
    data_subjects_not_told,
    incident_open_too_long,
)
