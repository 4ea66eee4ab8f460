"""Incidents: logged in seconds, followed up step by step, closed only when every step is settled, and the
72-hour ICO decision for personal-data breaches (UK GDPR Art. 33)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import factories
import pytest
from sqlalchemy import select

from clerk_desk.credentials import service as credentials
from clerk_desk.errors import PermissionDenied, PolicyViolation, StaleEditError, ValidationError
from clerk_desk.incidents import assessment
from clerk_desk.incidents import lifecycle as incidents
from clerk_desk.incidents.assessment import AssessmentData
from clerk_desk.models import (
    AuditEntry,
    IcoDecision,
    Incident,
    IncidentCategory,
    IncidentSeverity,
    IncidentStatus,
    RiskLevel,
    Role,
)
from clerk_desk.register import accounts
from clerk_desk.storage.clock import FixedClock
from clerk_desk.storage.db import Database
from services.helpers import give_keys, row_counts

LONDON = ZoneInfo("Europe/London")

TODAY = date(2026, 11, 21)
NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
ACTOR = "Zoë Hartley"
DEPUTY = "Łukasz Nowak"
STAFF = "Nguyễn Thu Hà"
FACEBOOK = "Facebook:@TownCouncil"
X = "X:@Town"
ICO = "UK GDPR Art. 33"
HOUR = timedelta(hours=1)
LOW_RISK = AssessmentData(living_people=True, likelihood=RiskLevel.LOW, severity=RiskLevel.LOW)


@pytest.fixture
def council(db: Database) -> Database:
    with db.transaction(ACTOR) as session:
        factories.person(session, ACTOR, Role.CLERK)
        factories.person(session, DEPUTY, Role.DEPUTY_CLERK)
        factories.person(session, STAFF, Role.EMPLOYEE)
        factories.person(session, "Tom Beckett", Role.VOLUNTEER)
        factories.approved_account(session, TODAY)
        factories.approved_account(session, TODAY, platform="X", handle="@Town")
    return db


def log(
    db: Database,
    category: IncidentCategory = IncidentCategory.OTHER,
    title: str = "Phishing message to the council inbox",
    actor: str = DEPUTY,
    **kwargs: Any,
) -> int:
    with db.transaction(actor) as session:
        return incidents.log(session, title, category, "Reported at once; nobody clicked.", **kwargs).id


def load(db: Database, incident_id: int) -> Incident:
    with db.read() as session:
        return incidents.get(session, incident_id)


def logged_ago(db: Database, clock: FixedClock, hours: float, category: IncidentCategory) -> int:
    """An incident logged (and so discovered) ``hours`` before now; the clock is put back to now."""
    clock.moment = NOW - timedelta(hours=hours)
    try:
        return log(db, category)
    finally:
        clock.moment = NOW


def name_accounts(db: Database, incident_id: int, *names: str) -> None:
    with db.transaction(ACTOR) as session:
        incident = incidents.get(session, incident_id)
        incidents.set_involved(incident, [accounts.by_name(session, n) for n in names], [])  # type: ignore[misc]


def settle(db: Database, incident_id: int, key: str, actor: str = ACTOR, **kwargs: Any) -> None:
    with db.transaction(actor) as session:
        incidents.settle_step(session, incident_id, key, **kwargs)


def close(db: Database, incident_id: int, outcome: str | None = "Dealt with") -> None:
    with db.transaction(ACTOR) as session:
        incidents.set_status(session, incident_id, None, IncidentStatus.CLOSED, outcome=outcome)


# --- logging ------------------------------------------------------------------------------------


def test_an_incident_is_logged_with_only_a_title_a_category_and_a_description(council: Database) -> None:
    incident_id = log(council)
    incident = load(council, incident_id)
    assert (incident.reference, incident.reported_by, incident.reported_at, incident.discovered_at) == (
        "INC-2026-001",
        DEPUTY,
        NOW,
        NOW,
    )
    assert (incident.category, incident.severity, incident.status) == ("other", "medium", "open")
    assert (incident.title, incident.description) == (
        "Phishing message to the council inbox",
        "Reported at once; nobody clicked.",
    )
    assert (incident.personal_data, incident.near_miss, incident.clerk_is_target) == (False, False, False)
    assert (incident.accounts, incident.people, incident.steps, incident.occurred_at) == ([], [], [], None)
    assert (incident.resolved_at, incident.closed_at, incident.version) == (None, None, 1)
    with council.read() as session:
        entry = session.execute(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).scalar_one()
    assert (entry.action, entry.subject_type, entry.subject_label, entry.actor) == (
        "create",
        "Incident",
        "INC-2026-001",
        DEPUTY,
    )


def test_a_personal_data_incident_is_marked_as_involving_personal_data(council: Database) -> None:
    incident = load(council, log(council, IncidentCategory.PERSONAL_DATA, severity=IncidentSeverity.HIGH))
    assert (incident.personal_data, incident.severity) == (True, "high")
    assert [s.step for s in incident.steps] == ["ico_decision"]


def test_anyone_in_people_may_log_an_incident_and_is_its_reporter(council: Database) -> None:
    assert load(council, log(council, actor="Tom Beckett")).reported_by == "Tom Beckett"


def test_someone_not_in_people_may_not_log_an_incident(council: Database) -> None:
    with pytest.raises(
        PermissionDenied, match=r"Only someone in People may log an incident \(Thornbury 9.1\)"
    ):
        log(council, actor="someone-not-in-people")


@pytest.mark.parametrize(
    ("title", "description", "message"),
    [
        ("", "Something", "title: is required"),
        ("   ", "Something", "title: is required"),
        ("Something", "", "description: is required"),
        ("x" * 301, "Something", "title: is too long (301 characters; at most 300)"),
    ],
)
def test_a_title_and_a_description_are_required(
    council: Database, title: str, description: str, message: str
) -> None:
    with pytest.raises(ValidationError) as caught, council.transaction(DEPUTY) as session:
        incidents.log(session, title, IncidentCategory.OTHER, description)
    assert str(caught.value) == message
    assert row_counts(council)["incidents"] == 0


def test_references_count_up_within_a_year_and_start_again_each_year(
    council: Database, clock: FixedClock
) -> None:
    assert [load(council, log(council)).reference for _ in range(3)] == [
        "INC-2026-001",
        "INC-2026-002",
        "INC-2026-003",
    ]
    clock.moment = datetime(2027, 1, 2, 9, 0, tzinfo=UTC)
    assert load(council, log(council)).reference == "INC-2027-001"
    clock.moment = NOW
    assert load(council, log(council)).reference == "INC-2026-004"
    with council.read() as session:
        assert incidents.next_reference(session, 2025) == "INC-2025-001"
        assert incidents.by_reference(session, " inc-2027-001 ").reference == "INC-2027-001"  # type: ignore[union-attr]
        assert incidents.by_reference(session, "INC-2027-002") is None


def test_a_reference_past_999_keeps_counting(council: Database) -> None:
    with council.transaction(ACTOR) as session:
        incidents.get(session, log(council)).reference = "INC-2026-999"
    assert load(council, log(council)).reference == "INC-2026-1000"
    assert load(council, log(council)).reference == "INC-2026-1001"


# --- follow-up steps by category ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("category", "flags", "steps"),
    [
        (IncidentCategory.ACCOUNT_COMPROMISE, {}, ["change_passwords", "review_access"]),
        (IncidentCategory.NON_COUNCIL_DEVICE, {}, ["clerk_notified", "chair_informed"]),
        (IncidentCategory.IMPERSONATION, {}, ["platform_notified", "public_notified"]),
        (IncidentCategory.HARASSMENT, {}, ["reported_to_clerk"]),
        (IncidentCategory.HARASSMENT, {"clerk_is_target": True}, ["reported_to_chair"]),
        (IncidentCategory.PERSONAL_DATA, {"personal_data": True}, ["ico_decision"]),
        (IncidentCategory.PERSONAL_DATA, {"personal_data": True, "near_miss": True}, []),
        (IncidentCategory.POLICY_BREACH, {}, ["referral"]),
        (IncidentCategory.CONTENT_REMOVED, {}, []),
        (IncidentCategory.OTHER, {}, []),
        # Any category involving personal data needs the ICO decision too.
        (
            IncidentCategory.ACCOUNT_COMPROMISE,
            {"personal_data": True},
            ["change_passwords", "review_access", "ico_decision"],
        ),
        (IncidentCategory.OTHER, {"personal_data": True, "near_miss": True}, []),
    ],
)
def test_each_category_has_its_follow_up_steps(
    category: IncidentCategory, flags: dict[str, bool], steps: list[str]
) -> None:
    incident = Incident(
        category=category.value,
        personal_data=flags.get("personal_data", False),
        near_miss=flags.get("near_miss", False),
        clerk_is_target=flags.get("clerk_is_target", False),
    )
    assert incidents.required_steps(incident) == steps


@pytest.mark.parametrize(
    ("category", "steps"),
    [
        (IncidentCategory.ACCOUNT_COMPROMISE, ["change_passwords", "review_access"]),
        (IncidentCategory.NON_COUNCIL_DEVICE, ["clerk_notified", "chair_informed"]),
        (IncidentCategory.IMPERSONATION, ["platform_notified", "public_notified"]),
        (IncidentCategory.HARASSMENT, ["reported_to_clerk"]),
        (IncidentCategory.POLICY_BREACH, ["referral"]),
        (IncidentCategory.PERSONAL_DATA, ["ico_decision"]),
        (IncidentCategory.CONTENT_REMOVED, []),
    ],
)
def test_logging_an_incident_lists_its_steps_to_do(
    council: Database, category: IncidentCategory, steps: list[str]
) -> None:
    incident = load(council, log(council, category))
    assert [(s.step, s.settled) for s in incident.steps] == [(step, False) for step in steps]
    assert incidents.outstanding_steps(incident) == steps


def test_a_non_council_device_incident_closes_only_when_the_chair_is_informed(council: Database) -> None:
    """Done when: it cannot be closed until the Chair has been informed, or the step is marked not
    applicable with a reason."""
    incident_id = log(council, IncidentCategory.NON_COUNCIL_DEVICE)
    before = row_counts(council)
    with pytest.raises(PolicyViolation) as caught:
        close(council, incident_id)
    assert (caught.value.field, caught.value.clause) == ("status", "Thornbury 9.7.1")
    assert str(caught.value) == (
        "status: INC-2026-001 cannot be closed until each follow-up is done or marked not applicable with a "
        "reason; still to do: Notify the Town Clerk or Deputy Town Clerk; Inform the Chair of Council "
        "(Thornbury 9.7.1)"
    )
    assert row_counts(council) == before
    assert load(council, incident_id).status == "open"

    settle(council, incident_id, "clerk_notified", done_at=NOW - HOUR)
    with pytest.raises(
        PolicyViolation, match=r"still to do: Inform the Chair of Council \(Thornbury 9.7.1\)$"
    ):
        close(council, incident_id)
    with pytest.raises(ValidationError) as caught_reason:
        settle(council, incident_id, "chair_informed", not_applicable="   ")
    assert str(caught_reason.value) == "not_applicable: give the reason the step does not apply"
    settle(
        council, incident_id, "chair_informed", not_applicable="  The Chair used the device; Vice-Chair told "
    )
    with pytest.raises(ValidationError) as caught_outcome:
        close(council, incident_id, outcome="  ")
    assert str(caught_outcome.value) == "outcome: record the outcome before closing the incident"
    assert load(council, incident_id).status == "open"

    close(council, incident_id, outcome="Signed out on the phone; password changed")
    closed = load(council, incident_id)
    assert (closed.status, closed.closed_at, closed.resolved_at) == ("closed", NOW, NOW)
    assert closed.outcome == "Signed out on the phone; password changed"
    chair = incidents.step_row(closed, "chair_informed")
    assert chair is not None
    assert (chair.not_applicable, chair.done_at, chair.settled) == (
        "The Chair used the device; Vice-Chair told",
        None,
        True,
    )
    with council.read() as session:
        entry = session.execute(
            select(AuditEntry)
            .where(AuditEntry.subject_type == "Incident")
            .order_by(AuditEntry.seq.desc())
            .limit(1)
        ).scalar_one()
    assert entry.action == "archive"
    assert json.loads(entry.changes)["status"] == ["open", "closed"]


@pytest.mark.parametrize(
    ("category", "clerk_is_target", "clause", "label"),
    [
        (IncidentCategory.HARASSMENT, False, "Ottery 7.4; Thornbury 5.3", "Report it to the Town Clerk"),
        (
            IncidentCategory.HARASSMENT,
            True,
            "Ottery 7.4; Thornbury 5.3",
            "Report it to the Chair (the clerk is the target)",
        ),
        (
            IncidentCategory.IMPERSONATION,
            False,
            "Thornbury 8",
            "Report the fraudulent account to the platform; Tell the public about the fraudulent account",
        ),
        (
            IncidentCategory.POLICY_BREACH,
            False,
            "Thornbury 6; district policy 6",
            "Record the referral (Staffing Committee, Monitoring Officer or police)",
        ),
        (IncidentCategory.PERSONAL_DATA, False, ICO, "Decide whether to notify the ICO, within 72 hours"),
        (
            IncidentCategory.ACCOUNT_COMPROMISE,
            False,
            "Thornbury 9.4",
            "Change the passwords of the accounts named; Review who holds access to them",
        ),
    ],
)
def test_closing_is_refused_naming_the_clause_of_the_first_step_to_do(
    council: Database, category: IncidentCategory, clerk_is_target: bool, clause: str, label: str
) -> None:
    incident_id = log(council, category)
    if clerk_is_target:
        with council.transaction(ACTOR) as session:
            incident = incidents.get(session, incident_id)
            incident.clerk_is_target = True
            incidents.sync_steps(incident)
    with pytest.raises(PolicyViolation) as caught:
        close(council, incident_id)
    assert caught.value.clause == clause
    assert str(caught.value).endswith(f"still to do: {label} ({clause})")


def test_every_step_marked_not_applicable_with_a_reason_lets_it_close(council: Database) -> None:
    incident_id = log(council, IncidentCategory.IMPERSONATION)
    settle(council, incident_id, "platform_notified", done_at=NOW - 2 * HOUR, note="Facebook's form")
    settle(council, incident_id, "public_notified", not_applicable="The page was taken down within the hour")
    close(council, incident_id)
    assert load(council, incident_id).status == "closed"


def test_a_step_records_when_and_by_whom(council: Database) -> None:
    incident_id = log(council, IncidentCategory.NON_COUNCIL_DEVICE)
    settle(council, incident_id, "clerk_notified", actor=DEPUTY, done_at=NOW - HOUR, note="  By phone ")
    row = incidents.step_row(load(council, incident_id), "clerk_notified")
    assert row is not None
    assert (row.done_at, row.done_by, row.not_applicable, row.note) == (NOW - HOUR, DEPUTY, None, "By phone")
    # Marking it not applicable instead clears when and by whom.
    settle(council, incident_id, "clerk_notified", not_applicable="The clerk reported it")
    row = incidents.step_row(load(council, incident_id), "clerk_notified")
    assert row is not None
    assert (row.done_at, row.done_by, row.not_applicable, row.note) == (
        None,
        None,
        "The clerk reported it",
        None,
    )


@pytest.mark.parametrize(
    ("key", "kwargs", "message"),
    [
        ("chair_informed", {"done_at": NOW + HOUR}, "done_at: is in the future"),
        ("tea_made", {"done_at": NOW}, "step: 'tea_made' is not a follow-up step"),
        ("chair_informed", {}, "not_applicable: give the reason the step does not apply"),
    ],
)
def test_an_impossible_step_is_refused(
    council: Database, key: str, kwargs: dict[str, Any], message: str
) -> None:
    incident_id = log(council, IncidentCategory.NON_COUNCIL_DEVICE)
    before = row_counts(council)
    with pytest.raises(ValidationError) as caught:
        settle(council, incident_id, key, **kwargs)
    assert str(caught.value) == message
    assert row_counts(council) == before


def test_change_passwords_is_done_once_every_named_account_is_changed_since_discovery(
    council: Database, clock: FixedClock
) -> None:
    give_keys(council, ACTOR, DEPUTY)  # the deputy changes a password too, with their own approved key
    incident_id = logged_ago(council, clock, 24, IncidentCategory.ACCOUNT_COMPROMISE)
    name_accounts(council, incident_id, FACEBOOK, X)
    assert incidents.outstanding_steps(load(council, incident_id)) == ["change_passwords", "review_access"]
    with council.transaction(ACTOR) as session:
        credentials.set_password(
            session,
            accounts.by_name(session, FACEBOOK).id,  # type: ignore[union-attr]
            "Fresh-Start-41!",
            changed_on_platform=True,
        )
    assert incidents.outstanding_steps(load(council, incident_id)) == ["change_passwords", "review_access"]
    with council.transaction(DEPUTY) as session:
        credentials.set_password(
            session,
            accounts.by_name(session, X).id,  # type: ignore[union-attr]
            "Another-One-73?",
            changed_on_platform=True,
        )
    incident = load(council, incident_id)
    assert incidents.step_settled(incident, "change_passwords")
    assert incidents.outstanding_steps(incident) == ["review_access"]
    settle(council, incident_id, "review_access", done_at=NOW)
    close(council, incident_id)
    assert load(council, incident_id).status == "closed"


def test_a_password_changed_before_the_discovery_does_not_count(council: Database, clock: FixedClock) -> None:
    with council.transaction(ACTOR) as session:
        account = accounts.by_name(session, FACEBOOK)
        assert account is not None
        account.last_rotated_on = date(2026, 11, 19)
    incident_id = logged_ago(council, clock, 24, IncidentCategory.ACCOUNT_COMPROMISE)  # discovered 2026-11-20
    name_accounts(council, incident_id, FACEBOOK)
    assert not incidents.passwords_changed(load(council, incident_id))


def test_a_compromise_naming_no_account_needs_its_step_settled_by_hand(council: Database) -> None:
    incident_id = log(council, IncidentCategory.ACCOUNT_COMPROMISE)
    assert not incidents.passwords_changed(load(council, incident_id))
    settle(council, incident_id, "change_passwords", not_applicable="No council account was involved")
    assert incidents.outstanding_steps(load(council, incident_id)) == ["review_access"]


# --- status -------------------------------------------------------------------------------------


def test_an_incident_moves_on_and_can_be_reopened(council: Database, clock: FixedClock) -> None:
    incident_id = log(council)
    with council.transaction(ACTOR) as session:
        incidents.set_status(session, incident_id, 1, IncidentStatus.INVESTIGATING, lessons=" Train staff ")
    assert (load(council, incident_id).status, load(council, incident_id).lessons) == (
        "investigating",
        "Train staff",
    )
    clock.moment = NOW + HOUR
    with council.transaction(ACTOR) as session:
        incidents.set_status(session, incident_id, 2, IncidentStatus.RESOLVED, outcome="Blocked the sender")
    resolved = load(council, incident_id)
    assert (resolved.status, resolved.resolved_at, resolved.closed_at) == ("resolved", NOW + HOUR, None)
    clock.moment = NOW + 2 * HOUR
    close(council, incident_id, outcome=None)  # the outcome recorded when it was resolved is enough
    closed = load(council, incident_id)
    assert (closed.resolved_at, closed.closed_at, closed.outcome) == (
        NOW + HOUR,
        NOW + 2 * HOUR,
        "Blocked the sender",
    )
    with council.transaction(ACTOR) as session:
        incidents.set_status(session, incident_id, closed.version, IncidentStatus.INVESTIGATING)
    reopened = load(council, incident_id)
    assert (reopened.status, reopened.closed_at) == ("investigating", None)


def test_a_status_change_from_a_stale_form_is_refused(council: Database) -> None:
    incident_id = log(council)
    with council.transaction(ACTOR) as session:
        incidents.set_status(session, incident_id, 1, IncidentStatus.INVESTIGATING)
    with pytest.raises(StaleEditError, match="Incident INC-2026-001"), council.transaction(DEPUTY) as session:
        incidents.set_status(session, incident_id, 1, IncidentStatus.RESOLVED, outcome="Done")
    assert load(council, incident_id).status == "investigating"


# --- the ICO decision (UK GDPR Art. 33) ---------------------------------------------------------


def decide(
    db: Database, incident_id: int, decision: IcoDecision, decided_at: datetime, **kwargs: Any
) -> Incident:
    with db.transaction(ACTOR) as session:
        if decision == IcoDecision.NOT_NOTIFIABLE and not incidents.get(session, incident_id).assessments:
            assessment.assess(session, incident_id, LOW_RISK)
        incidents.record_ico_decision(session, incident_id, decision, decided_at, **kwargs)
    return load(db, incident_id)


def test_the_decision_to_notify_records_when_and_the_ico_reference(
    council: Database, clock: FixedClock
) -> None:
    incident_id = logged_ago(council, clock, 30, IncidentCategory.PERSONAL_DATA)
    incident = decide(
        council,
        incident_id,
        IcoDecision.NOTIFY,
        NOW - 2 * HOUR,
        notified_at=NOW - HOUR,
        ico_reference=" IC-123456-A1B2 ",
    )
    assert (incident.ico_decision, incident.ico_decided_at, incident.ico_notified_at) == (
        "notify",
        NOW - 2 * HOUR,
        NOW - HOUR,
    )
    assert (incident.ico_reference, incident.ico_reason, incident.delay_reasons) == (
        "IC-123456-A1B2",
        None,
        None,
    )
    assert incidents.outstanding_steps(incident) == []


def test_a_breach_judged_not_notifiable_records_why(council: Database, clock: FixedClock) -> None:
    incident_id = logged_ago(council, clock, 30, IncidentCategory.PERSONAL_DATA)
    incident = decide(
        council,
        incident_id,
        IcoDecision.NOT_NOTIFIABLE,
        NOW,
        reason="Recalled within minutes; unlikely to risk anyone's rights",
        ico_reference="ignored",
    )
    assert (incident.ico_decision, incident.ico_notified_at, incident.ico_reference) == (
        "not_notifiable",
        None,
        None,
    )
    assert incident.ico_reason == "Recalled within minutes; unlikely to risk anyone's rights"


@pytest.mark.parametrize(
    ("decision", "decided", "kwargs", "error", "message"),
    [
        (
            IcoDecision.NOTIFY,
            -1,
            dict(ico_reference="IC-1"),
            PolicyViolation,
            f"ico_notified_at: give the date and time the ICO was notified ({ICO})",
        ),
        (
            IcoDecision.NOTIFY,
            -1,
            dict(notified_at=NOW - HOUR, ico_reference=" "),
            PolicyViolation,
            f"ico_reference: give the ICO's reference for the report ({ICO})",
        ),
        (
            IcoDecision.NOT_NOTIFIABLE,
            -1,
            dict(reason="  "),
            PolicyViolation,
            f"ico_reason: a breach judged not notifiable needs the reason recorded ({ICO})",
        ),
        (
            IcoDecision.NOT_NOTIFIABLE,
            1,
            dict(reason="Low risk"),
            ValidationError,
            "ico_decided_at: is in the future",
        ),
        (
            IcoDecision.NOT_NOTIFIABLE,
            -31,
            dict(reason="Low risk"),
            ValidationError,
            "ico_decided_at: is before the breach was discovered",
        ),
        (
            IcoDecision.NOTIFY,
            -1,
            dict(notified_at=NOW + HOUR, ico_reference="IC-1"),
            ValidationError,
            "ico_notified_at: is in the future",
        ),
        (
            IcoDecision.NOTIFY,
            -1,
            dict(notified_at=NOW - 31 * HOUR, ico_reference="IC-1"),
            ValidationError,
            "ico_notified_at: is before the breach was discovered",
        ),
    ],
)
def test_an_incomplete_or_impossible_decision_is_refused(
    council: Database,
    clock: FixedClock,
    decision: IcoDecision,
    decided: int,
    kwargs: dict[str, Any],
    error: type[Exception],
    message: str,
) -> None:
    incident_id = logged_ago(council, clock, 30, IncidentCategory.PERSONAL_DATA)
    before = row_counts(council)
    with pytest.raises(error) as caught:
        decide(council, incident_id, decision, NOW + decided * HOUR, **kwargs)
    assert str(caught.value) == message
    assert row_counts(council) == before
    assert load(council, incident_id).ico_decision is None


def test_a_decision_after_72_hours_needs_the_reasons_for_the_delay(
    council: Database, clock: FixedClock
) -> None:
    incident_id = logged_ago(council, clock, 80, IncidentCategory.PERSONAL_DATA)
    with pytest.raises(PolicyViolation) as caught:
        decide(council, incident_id, IcoDecision.NOTIFY, NOW - HOUR, notified_at=NOW, ico_reference="IC-9")
    assert (caught.value.field, caught.value.clause) == ("delay_reasons", ICO)
    assert "more than 72 hours after discovery" in str(caught.value)
    # Decided in time but notified late is late too.
    with pytest.raises(PolicyViolation, match="reasons for the delay"):
        decide(
            council, incident_id, IcoDecision.NOTIFY, NOW - 10 * HOUR, notified_at=NOW, ico_reference="IC-9"
        )
    incident = decide(
        council,
        incident_id,
        IcoDecision.NOTIFY,
        NOW - HOUR,
        notified_at=NOW,
        ico_reference="IC-9",
        delay_reasons="The clerk was on leave; the deputy had no access to the list",
    )
    assert incident.delay_reasons == "The clerk was on leave; the deputy had no access to the list"


def test_a_decision_at_exactly_72_hours_is_in_time(council: Database, clock: FixedClock) -> None:
    incident_id = logged_ago(council, clock, 72, IncidentCategory.PERSONAL_DATA)
    assert decide(council, incident_id, IcoDecision.NOT_NOTIFIABLE, NOW, reason="Low risk").ico_decision == (
        "not_notifiable"
    )


# --- the clock ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hours_left", "shown"),
    [(42, 42), (41.5, 41), (0.25, 0), (0, 0), (-0.5, -1), (-5.5, -6), (-8, -8)],
)
def test_hours_until_counts_whole_hours(hours_left: float, shown: int) -> None:
    assert incidents.hours_until(NOW + timedelta(hours=hours_left), NOW) == shown


def test_the_72_hour_clock_runs_from_discovery_in_calendar_hours() -> None:
    discovered = datetime(2026, 10, 24, 21, 30, tzinfo=UTC)  # the Saturday the clocks go back
    breach = Incident(category="personal_data", personal_data=True, reported_at=NOW, discovered_at=discovered)
    assert incidents.ico_deadline(breach) == datetime(2026, 10, 27, 21, 30, tzinfo=UTC)
    breach.discovered_at = None  # logged the moment it was discovered
    assert incidents.ico_deadline(breach) == NOW + 72 * HOUR
    breach.near_miss = True
    assert incidents.ico_deadline(breach) is None
    assert incidents.ico_deadline(Incident(category="other", personal_data=False, reported_at=NOW)) is None


# --- the timeline -------------------------------------------------------------------------------


def test_the_timeline_records_each_action_with_its_author(council: Database, clock: FixedClock) -> None:
    incident_id = log(council)
    with council.transaction(DEPUTY) as session:
        incidents.add_action(session, incident_id, "  Warned staff by email ")
    clock.moment = NOW + HOUR
    with council.transaction(ACTOR) as session:
        incidents.add_action(session, incident_id, "Reported to the email provider")
    timeline = load(council, incident_id).actions
    assert [(a.at, a.author, a.text) for a in timeline] == [
        (NOW, DEPUTY, "Warned staff by email"),
        (NOW + HOUR, ACTOR, "Reported to the email provider"),
    ]
    with pytest.raises(ValidationError, match="action: is required"), council.transaction(ACTOR) as session:
        incidents.add_action(session, incident_id, "  ")
    assert row_counts(council)["incident_actions"] == 2


def test_incidents_are_counted_by_the_day_they_were_reported(council: Database, clock: FixedClock) -> None:
    # 23:59 and 00:00 on the council's clock (BST, an hour ahead of UTC): the day is London's.
    for moment in (datetime(2026, 4, 30, 22, 59, tzinfo=UTC), datetime(2026, 4, 30, 23, 0, tzinfo=UTC), NOW):
        clock.moment = moment
        log(council)
    with council.read() as session:
        assert incidents.count_in_period(session, date(2026, 5, 1), date(2026, 11, 21), LONDON) == 2
        assert incidents.count_in_period(session, date(2026, 4, 1), date(2026, 4, 30), LONDON) == 1
    with council.read() as session:
        assert [i.reference for i in incidents.all_incidents(session)] == [
            "INC-2026-003",
            "INC-2026-002",
            "INC-2026-001",
        ]


def test_a_decision_typed_in_the_minute_the_breach_was_logged_is_accepted(
    council: Database, clock: FixedClock
) -> None:
    """The clerk types minutes; a breach logged at 11:58:40 and decided "at 11:58" is not decided before."""
    logged_at = NOW - timedelta(seconds=80)  # 11:58:40
    clock.moment = logged_at
    incident_id = log(council, IncidentCategory.PERSONAL_DATA)
    clock.moment = NOW
    typed = logged_at.replace(second=0)
    incident = decide(
        council, incident_id, IcoDecision.NOTIFY, typed, notified_at=typed, ico_reference="IC-7"
    )
    assert incident.ico_decided_at == typed
    with pytest.raises(ValidationError, match="is before the breach was discovered"):
        decide(
            council,
            log(council, IncidentCategory.PERSONAL_DATA),
            IcoDecision.NOT_NOTIFIABLE,
            NOW - HOUR,
            reason="x",
        )
