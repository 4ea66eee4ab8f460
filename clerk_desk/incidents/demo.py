"""The demo council's incidents (``clerk-desk demo``): one of each kind a clerk meets, at every stage."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from clerk_desk.storage.clock import clock_of


def fill(session: Session) -> None:
    """A year's incidents, some closed, some with a step or a deadline still open."""
    from clerk_desk.incidents import lifecycle as incidents
    from clerk_desk.incidents import records as incident_records
    from clerk_desk.models import IncidentCategory, IncidentSeverity, IncidentStatus

    now = clock_of(session).now()

    def hours_ago(hours: float) -> datetime:
        return now - timedelta(hours=hours)

    Data = incident_records.IncidentData
    records = [
        Data(
            IncidentCategory.HARASSMENT,
            "Threatening messages to the clerk",
            "A resident sent repeated threatening messages to the clerk through Facebook Messenger.",
            IncidentSeverity.HIGH,
            reported_at=hours_ago(24 * 200),
            discovered_at=hours_ago(24 * 200),
            accounts=("Facebook:@LittleAshcombeTC",),
            people=("Zoë Hartley",),
            clerk_is_target=True,
            external_party="facebook.com/profile/resident.example",
            status=IncidentStatus.RESOLVED,
            outcome="User blocked (Thornbury 7.5); reported to the police; Chair informed the same day.",
            reported_by="Łukasz Nowak",
        ),
        Data(
            IncidentCategory.CONTENT_REMOVED,
            "Spam comments removed",
            "Commercial spam posted under the market day announcement.",
            IncidentSeverity.LOW,
            reported_at=hours_ago(24 * 120),
            accounts=("Instagram:@littleashcombe",),
            status=IncidentStatus.CLOSED,
            outcome="Comments removed under Thornbury 7.4.",
            reported_by="Nguyễn Thu Hà",
        ),
        Data(
            IncidentCategory.ACCOUNT_COMPROMISE,
            "Suspicious login to X",
            "X warned of a login from an unrecognised device in another country.",
            IncidentSeverity.HIGH,
            reported_at=hours_ago(24 * 20),
            discovered_at=hours_ago(24 * 20),
            accounts=("X:@AshcombeTC",),
            status=IncidentStatus.RESOLVED,
            outcome="Sessions signed out; password change pending.",
            reported_by="Zoë Hartley",
        ),
        Data(
            IncidentCategory.NON_COUNCIL_DEVICE,
            "Council Instagram used on a personal phone",
            "A volunteer signed in to the council Instagram account on their own phone at the fete.",
            IncidentSeverity.MEDIUM,
            reported_at=hours_ago(24 * 6),
            accounts=("Instagram:@littleashcombe",),
            people=("Tom Beckett",),
            status=IncidentStatus.INVESTIGATING,
            reported_by="Łukasz Nowak",
        ),
        Data(
            IncidentCategory.IMPERSONATION,
            "Fake council page on Facebook",
            "A page called 'Little Ashcombe Council Official' is asking residents for bank details.",
            IncidentSeverity.HIGH,
            reported_at=hours_ago(72),
            discovered_at=hours_ago(72),
            external_party="facebook.com/LittleAshcombeCouncilOfficial",
            reported_by="Nguyễn Thu Hà",
        ),
        Data(
            IncidentCategory.PERSONAL_DATA,
            "Residents' email list sent to the wrong group",
            "The allotment waiting list, with names and email addresses, was sent to the market "
            "traders' list.",
            IncidentSeverity.HIGH,
            reported_at=hours_ago(30),
            discovered_at=hours_ago(30),
            personal_data=True,
            reported_by="Łukasz Nowak",
        ),
    ]
    for data in records:
        incident = incident_records.save(session, data)
        if incident.category == IncidentCategory.HARASSMENT:
            incidents.settle_step(session, incident.id, "reported_to_chair", done_at=hours_ago(24 * 200 - 3))
            incidents.set_status(session, incident.id, None, IncidentStatus.CLOSED)
        if incident.category == IncidentCategory.NON_COUNCIL_DEVICE:
            incidents.settle_step(session, incident.id, "clerk_notified", done_at=hours_ago(24 * 6 - 1))
            incidents.add_action(
                session, incident.id, "Volunteer signed out on their phone; password to change."
            )
        if incident.category == IncidentCategory.IMPERSONATION:
            incidents.settle_step(
                session,
                incident.id,
                "platform_notified",
                done_at=hours_ago(70),
                note="Reported through Facebook's impersonation form",
            )
