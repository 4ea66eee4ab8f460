"""Breach incidents: logged in seconds, followed to closure, deadlines kept.

The follow-up steps each category requires come from the policies: Thornbury 9.4 (change passwords on a
suspected breach), 9.7.1 (a non-council device: the clerk notified and the Chair informed), 8 (a
fraudulent account: the platform and the public told), 5.3 and Ottery 7.4 (harassment of staff goes to the
clerk, or to the Chair when the clerk is the target), 6 and district policy 6 (a breach by staff or a
member is referred on), and UK GDPR Article 33 (a personal-data breach: a decision on notifying the ICO
within 72 hours of discovery, with the reasons for any delay). An incident cannot be closed until each
step is done or marked not applicable with a reason.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from clerk_desk import clauses, fields
from clerk_desk.checks.incident_rows import IncidentLike
from clerk_desk.errors import NotFoundError, PolicyViolation, StaleEditError, ValidationError
from clerk_desk.incidents.drafts import add_step
from clerk_desk.incidents.times import count_in_period as count_in_period
from clerk_desk.incidents.times import moment as moment
from clerk_desk.models import (
    Account,
    FollowUp,
    IcoDecision,
    Incident,
    IncidentAction,
    IncidentCategory,
    IncidentSeverity,
    IncidentStatus,
    Person,
    RiskLevel,
)
from clerk_desk.register import authority
from clerk_desk.storage.clock import clock_of

ICO_CLAUSE = clauses.ICO_NOTIFICATION
ICO_HOURS = 72
ART34_CLAUSE = clauses.SUBJECTS_TOLD
#: Follow-up steps are due this long after an incident is reported (the reminders and the ⚠ mark).
FOLLOW_UP_DAYS = timedelta(days=7)
NOT_NOTIFIABLE_NEEDS_ASSESSMENT = "record the assessment of the risk before judging the breach not notifiable"
REFERENCE = re.compile(r"^INC-(\d{4})-(\d{3,})$")


@dataclass(frozen=True)
class StepSpec:
    key: str
    label: str
    clause: str


STEPS: dict[str, StepSpec] = {
    s.key: s
    for s in (
        StepSpec("change_passwords", "Change the passwords of the accounts named", clauses.ROTATION),
        StepSpec("review_access", "Review who holds access to them", clauses.CONTROL),
        StepSpec("clerk_notified", "Notify the Town Clerk or Deputy Town Clerk", clauses.NON_COUNCIL_DEVICE),
        StepSpec("chair_informed", "Inform the Chair of Council", clauses.NON_COUNCIL_DEVICE),
        StepSpec("platform_notified", "Report the fraudulent account to the platform", clauses.IMPERSONATION),
        StepSpec("public_notified", "Tell the public about the fraudulent account", clauses.IMPERSONATION),
        StepSpec("reported_to_clerk", "Report it to the Town Clerk", clauses.HARASSMENT),
        StepSpec(
            "reported_to_chair",
            "Report it to the Chair (the clerk is the target)",
            clauses.HARASSMENT,
        ),
        StepSpec("ico_decision", "Decide whether to notify the ICO, within 72 hours", ICO_CLAUSE),
        StepSpec("subjects_told", "Tell the people affected (the risk to them is high)", ART34_CLAUSE),
        StepSpec(
            "referral",
            "Record the referral (Staffing Committee, Monitoring Officer or police)",
            clauses.POLICY_BREACH,
        ),
    )
}


_CATEGORY_STEPS: dict[str, tuple[str, ...]] = {  # harassment's depends on who the target is
    IncidentCategory.ACCOUNT_COMPROMISE: ("change_passwords", "review_access"),
    IncidentCategory.NON_COUNCIL_DEVICE: ("clerk_notified", "chair_informed"),
    IncidentCategory.IMPERSONATION: ("platform_notified", "public_notified"),
    IncidentCategory.POLICY_BREACH: ("referral",),
}


def category_steps(incident: IncidentLike) -> tuple[str, ...]:
    """The steps the incident's category requires: ``required_steps`` without the ICO's and Art. 34's."""
    if incident.category == IncidentCategory.HARASSMENT:
        return ("reported_to_chair",) if incident.clerk_is_target else ("reported_to_clerk",)
    return _CATEGORY_STEPS.get(incident.category, ())


def required_steps(incident: IncidentLike) -> list[str]:
    """The follow-up steps this incident needs before it can be closed."""
    steps = list(category_steps(incident))
    if needs_ico_decision(incident):
        steps.append("ico_decision")
        if needs_subjects_told(incident):
            steps.append("subjects_told")
    return steps


def needs_subjects_told(incident: IncidentLike) -> bool:
    """A breach whose latest assessment puts the risk to people high: they are told (Art. 34)."""
    latest = incident.assessments[-1] if incident.assessments else None
    return needs_ico_decision(incident) and latest is not None and latest.risk_level == RiskLevel.HIGH


def needs_ico_decision(incident: IncidentLike) -> bool:
    """A personal-data breach (not a near miss) needs the ICO decision within 72 hours (Art. 33)."""
    personal = incident.personal_data or incident.category == IncidentCategory.PERSONAL_DATA
    return personal and not incident.near_miss


def discovered(incident: IncidentLike) -> datetime:
    """When the council became aware: the 72-hour clock starts here (calendar hours)."""
    return incident.discovered_at or incident.reported_at


def ico_deadline(incident: IncidentLike) -> datetime | None:
    return discovered(incident) + timedelta(hours=ICO_HOURS) if needs_ico_decision(incident) else None


def hours_until(deadline: datetime, now: datetime) -> int:
    """Whole hours left; negative when overdue (5½ hours overdue is -6)."""
    return math.floor((deadline - now).total_seconds() / 3600)


def step_row(incident: Incident, key: str) -> FollowUp | None:
    return next((s for s in incident.steps if s.step == key), None)


def passwords_changed(incident: IncidentLike) -> bool:
    """Every account named has had its password changed since the compromise was discovered."""
    since = discovered(incident).date()
    return bool(incident.accounts) and all(
        a.last_rotated_on is not None and a.last_rotated_on >= since for a in incident.accounts
    )


def step_settled(incident: IncidentLike, key: str) -> bool:
    """Done, marked not applicable with a reason, or (passwords) done in the register already."""
    if any(row.step == key and row.settled for row in incident.steps):  # one row a step at most
        return True
    if key == "change_passwords":
        return passwords_changed(incident)
    if key == "ico_decision":
        return incident.ico_decision is not None
    return False


def outstanding_steps(incident: IncidentLike) -> list[str]:
    return [key for key in required_steps(incident) if not step_settled(incident, key)]


# --- records --------------------------------------------------------------------------------------


def all_incidents(session: Session, *, open_only: bool = False) -> list[Incident]:
    query = select(Incident).order_by(Incident.reported_at.desc(), Incident.id.desc())
    if open_only:
        query = query.where(Incident.status != IncidentStatus.CLOSED)
    return list(session.execute(query).unique().scalars())


def get(session: Session, incident_id: int) -> Incident:
    if (incident := session.get(Incident, incident_id)) is None:
        raise NotFoundError(f"Incident {incident_id} no longer exists")
    return incident


def by_reference(session: Session, reference: str) -> Incident | None:
    return (
        session.execute(select(Incident).where(Incident.reference == reference.strip().upper()))
        .unique()
        .scalar_one_or_none()
    )


def next_reference(session: Session, year: int) -> str:
    """``INC-YYYY-NNN``: one more than the highest reference of that year."""
    taken = session.execute(
        select(Incident.reference).where(Incident.reference.like(f"INC-{year}-%"))
    ).scalars()
    numbers = [int(m.group(2)) for ref in taken if (m := REFERENCE.match(ref))]
    return f"INC-{year}-{max(numbers, default=0) + 1:03d}"


def _actor(session: Session) -> str:
    return str(session.info.get("actor") or "unknown")


def _now(session: Session) -> datetime:
    return clock_of(session).now()


def sync_steps(incident: Incident) -> None:
    """Make sure a row exists for every step the incident now requires."""
    for key in required_steps(incident):
        if step_row(incident, key) is None:
            add_step(incident, key)


def log(
    session: Session,
    title: str,
    category: IncidentCategory,
    description: str,
    *,
    severity: IncidentSeverity = IncidentSeverity.MEDIUM,
) -> Incident:
    """Log an incident the moment it happens: only title, category and description are needed.

    Anyone in People who has not left may log one; someone who is not in People may not (Thornbury 9.1).
    """
    authority.require_person(session, "log an incident")
    title = fields.required_text({"title": title}, "title", max_length=300)
    description = fields.required_text({"description": description}, "description", 20000, multiline=True)
    now = _now(session)
    incident = Incident(
        reference=next_reference(session, now.year),
        category=category.value,
        severity=severity.value,
        title=title,
        description=description,
        reported_by=_actor(session),
        reported_at=now,
        discovered_at=now,
        status=IncidentStatus.OPEN.value,
        personal_data=category == IncidentCategory.PERSONAL_DATA,
    )
    session.add(incident)
    sync_steps(incident)
    session.flush()
    return incident


def add_action(session: Session, incident_id: int, text: str) -> IncidentAction:
    """Add a dated entry, by the person acting, to the incident's timeline."""
    incident = get(session, incident_id)
    body = fields.required_text({"action": text}, "action", max_length=10000, multiline=True)
    action = IncidentAction(incident=incident, at=_now(session), author=_actor(session), text=body)
    session.add(action)
    session.flush()
    return action


def settle_step(
    session: Session,
    incident_id: int,
    key: str,
    *,
    done_at: datetime | None = None,
    not_applicable: str | None = None,
    note: str | None = None,
) -> FollowUp:
    """Mark a step done (when), or not applicable (why)."""
    incident = get(session, incident_id)
    if key not in STEPS:
        raise ValidationError("step", f"'{key}' is not a follow-up step")
    if key == "subjects_told":
        raise ValidationError("step", "record how the people affected were told, or the Art. 34(3) ground")
    if not done_at and not (not_applicable or "").strip():
        raise ValidationError("not_applicable", "give the reason the step does not apply")
    if done_at is not None and done_at > _now(session):
        raise ValidationError("done_at", "is in the future")
    row = step_row(incident, key)
    if row is None:
        row = FollowUp(step=key)
        incident.steps.append(row)
    row.done_at = done_at
    row.done_by = _actor(session) if done_at else None
    row.not_applicable = (not_applicable or "").strip() or None if done_at is None else None
    row.note = (note or "").strip() or None
    session.flush()
    return row


def set_status(
    session: Session,
    incident_id: int,
    expected_version: int | None,
    status: IncidentStatus,
    outcome: str | None = None,
    lessons: str | None = None,
) -> Incident:
    """Move an incident on; closing needs every follow-up step done or marked not applicable."""
    incident = get(session, incident_id)
    if expected_version is not None and incident.version != expected_version:
        raise StaleEditError(f"Incident {incident.reference}")
    move(incident, status, _now(session), outcome, lessons)
    session.flush()
    return incident


def move(
    incident: Incident,
    status: IncidentStatus,
    now: datetime,
    outcome: str | None = None,
    lessons: str | None = None,
) -> None:
    """``set_status`` on an incident in hand, without writing it: an import sets many before one flush."""
    if outcome is not None:
        incident.outcome = outcome.strip() or None
    if lessons is not None:
        incident.lessons = lessons.strip() or None
    if status == IncidentStatus.CLOSED:
        missing = outstanding_steps(incident)
        if missing:
            first = STEPS[missing[0]]
            raise PolicyViolation(
                "status",
                first.clause,
                f"{incident.reference} cannot be closed until each follow-up is done or marked not "
                "applicable with a reason; "
                f"still to do: {'; '.join(STEPS[k].label for k in missing)}",
            )
        if not incident.outcome:
            raise ValidationError("outcome", "record the outcome before closing the incident")
        if incident.status != IncidentStatus.CLOSED or incident.closed_at is None:
            incident.closed_at = now  # closing again (an edit checks the rules again) keeps the date
        incident.resolved_at = incident.resolved_at or now
    elif status == IncidentStatus.RESOLVED:
        incident.resolved_at = incident.resolved_at or now
        incident.closed_at = None
    else:
        incident.closed_at = None
    incident.status = status.value


def record_ico_decision(
    session: Session,
    incident_id: int,
    decision: IcoDecision,
    decided_at: datetime,
    *,
    notified_at: datetime | None = None,
    ico_reference: str | None = None,
    reason: str | None = None,
    delay_reasons: str | None = None,
) -> Incident:
    """The decision to notify the ICO (with date and reference) or not (with the reason), Art. 33."""
    incident = get(session, incident_id)
    now = _now(session)
    if decided_at > now:
        raise ValidationError("ico_decided_at", "is in the future")
    # Times are typed to the minute: one typed in the minute the breach was logged is not before it.
    found = discovered(incident).replace(second=0, microsecond=0)
    if decided_at < found:
        raise ValidationError("ico_decided_at", "is before the breach was discovered")
    if decision == IcoDecision.NOTIFY:
        if notified_at is None:
            raise PolicyViolation(
                "ico_notified_at", ICO_CLAUSE, "give the date and time the ICO was notified"
            )
        if not (ico_reference or "").strip():
            raise PolicyViolation("ico_reference", ICO_CLAUSE, "give the ICO's reference for the report")
        if notified_at > now:
            raise ValidationError("ico_notified_at", "is in the future")
        if notified_at < found:
            raise ValidationError("ico_notified_at", "is before the breach was discovered")
    elif not (reason or "").strip():
        raise PolicyViolation(
            "ico_reason", ICO_CLAUSE, "a breach judged not notifiable needs the reason recorded"
        )
    elif not incident.assessments:
        raise PolicyViolation("ico_decision", ICO_CLAUSE, NOT_NOTIFIABLE_NEEDS_ASSESSMENT)
    deadline = discovered(incident) + timedelta(hours=ICO_HOURS)
    late = max(decided_at, notified_at or decided_at) > deadline
    if late and not (delay_reasons or "").strip():
        raise PolicyViolation(
            "delay_reasons",
            ICO_CLAUSE,
            "the decision came more than 72 hours after discovery; record the reasons for the delay",
        )
    incident.ico_decision = decision.value
    incident.ico_decided_at = decided_at
    incident.ico_notified_at = notified_at if decision == IcoDecision.NOTIFY else None
    incident.ico_reference = (ico_reference or "").strip() or None if decision == IcoDecision.NOTIFY else None
    incident.ico_reason = (reason or "").strip() or None
    incident.delay_reasons = (delay_reasons or "").strip() or None
    session.flush()
    return incident


def set_involved(incident: Incident, accounts: list[Account], people: list[Person]) -> None:
    # Each once, in the order they load in, so the scope reads the same however they were typed.
    accounts = sorted(dict.fromkeys(accounts), key=lambda a: (a.platform_key, a.handle_key))
    people = sorted(dict.fromkeys(people), key=lambda p: p.name_key)
    incident.accounts = accounts
    incident.people = people
    incident.scope = "; ".join([a.name for a in accounts] + [p.name for p in people])
