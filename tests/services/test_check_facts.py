"""The checks read open incidents as plain rows: the rules decide on them exactly as on whole incidents."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import factories
import pytest

from clerk_desk.checks import engine as checks
from clerk_desk.incidents import assessment, facts
from clerk_desk.incidents import lifecycle as incidents
from clerk_desk.incidents import records as incident_records
from clerk_desk.incidents import rules as incident_rules
from clerk_desk.models import IncidentCategory, IncidentStatus, RiskLevel, Role
from clerk_desk.register import accounts
from clerk_desk.storage.clock import FixedClock
from clerk_desk.storage.db import Database

TODAY = date(2026, 11, 21)
ACTOR = "Zoë Hartley"
NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
HIGH = assessment.AssessmentData(living_people=True, likelihood=RiskLevel.HIGH, severity=RiskLevel.HIGH)


def _incident(category: IncidentCategory, title: str, **fields: object) -> incident_records.IncidentData:
    reported = fields.pop("reported_at", NOW - timedelta(days=40))
    return incident_records.IncidentData(
        category,
        title,
        f"What happened: {title}.",
        reported_at=reported,  # type: ignore[arg-type]
        discovered_at=reported,  # type: ignore[arg-type]
        reported_by=ACTOR,
        **fields,  # type: ignore[arg-type]
    )


@pytest.fixture
def council(db: Database) -> Database:
    """Open incidents of every kind the rules tell apart, and one closed."""
    with db.transaction(ACTOR) as session:
        factories.person(session, ACTOR, Role.CLERK)
        factories.approved_account(session, TODAY)
        factories.approved_account(session, TODAY, platform="X", handle="@Town")
        named = tuple(a.name for a in accounts.all_accounts(session))
        compromise = incident_records.save(
            session, _incident(IncidentCategory.ACCOUNT_COMPROMISE, "Odd logins", accounts=named)
        )
        incidents.settle_step(session, compromise.id, "review_access", done_at=NOW - timedelta(days=30))
        incident_records.save(
            session,
            _incident(
                IncidentCategory.PERSONAL_DATA,
                "List sent to the wrong person",
                reported_at=NOW - timedelta(days=9),
                assessment=HIGH,
            ),
        )
        fake = incident_records.save(session, _incident(IncidentCategory.IMPERSONATION, "Fake page"))
        incidents.settle_step(session, fake.id, "public_notified", not_applicable="Nobody saw the page.")
        incident_records.save(session, _incident(IncidentCategory.HARASSMENT, "Abuse", clerk_is_target=True))
        incident_records.save(
            session,
            _incident(IncidentCategory.NON_COUNCIL_DEVICE, "Own phone", reported_at=NOW - timedelta(days=2)),
        )
        closed = incident_records.save(session, _incident(IncidentCategory.OTHER, "Long ago"))
        incidents.set_status(session, closed.id, None, IncidentStatus.CLOSED, outcome="Dealt with.")
    return db


def test_open_incidents_read_as_rows_give_the_rules_the_same_answers(council: Database) -> None:
    with council.read() as session:
        registered = accounts.all_accounts(session)
        rows = facts.open_incidents(session, registered)
        whole = incidents.all_incidents(session, open_only=True)
        assert [row.reference for row in rows] == [incident.reference for incident in whole]
        assert len(rows) == 5  # the closed incident is not read
        assert any(row.assessments for row in rows)
        settled = {(row.reference, s.step) for row in rows for s in row.steps}
        assert settled == {("INC-2026-001", "review_access"), ("INC-2026-003", "public_notified")}
        assert sum(len(incident.steps) for incident in whole) > len(settled)  # rows not yet settled exist
        for row, incident in zip(rows, whole, strict=True):
            assert incidents.required_steps(row) == incidents.required_steps(incident)
            assert incidents.category_steps(row) == incidents.category_steps(incident)
            assert incidents.outstanding_steps(row) == incidents.outstanding_steps(incident)
            assert incidents.ico_deadline(row) == incidents.ico_deadline(incident)
            assert incidents.needs_subjects_told(row) == incidents.needs_subjects_told(incident)
            assert assessment.not_told_late(row, NOW) == assessment.not_told_late(incident, NOW)
            for key in incidents.STEPS:
                assert incidents.step_settled(row, key) == incidents.step_settled(incident, key)
            # The moments are read as stored and made aware in facts, not by the ORM: the same values.
            assert (row.reported_at, row.discovered_at) == (incident.reported_at, incident.discovered_at)
            assert row.reported_at.tzinfo is not None
            # Only the settled steps are read: one not yet settled reads as a step with no row.
            assert [(s.step, s.done_at, s.not_applicable) for s in row.steps] == [
                (s.step, s.done_at, s.not_applicable) for s in incident.steps if s.settled
            ]
            if assessment.is_personal(incident):  # the only incidents whose risk a rule reads
                assert [a.risk_level for a in row.assessments] == [a.risk_level for a in incident.assessments]
            if incident.category == IncidentCategory.ACCOUNT_COMPROMISE:
                assert [a.id for a in row.accounts] == [a.id for a in incident.accounts]
                assert len(row.accounts) == 2
                assert any(s.done_at is not None for s in row.steps)  # a moment read from a step
        assert incident_rules.compromise_events(rows) == list(incident_rules.compromised_accounts(session))
        assert incident_rules.compromise_events(rows) == incident_rules.compromise_events(whole)


def test_the_findings_come_from_the_open_incidents_only(council: Database, clock: FixedClock) -> None:
    with council.read() as session:
        findings = checks.run(session, clock)
    subjects = {f.subject for f in findings if f.subject_kind == "incident"}
    rules = {f.rule for f in findings}
    assert {"incident-open-too-long", "platform-not-notified", "chair-not-informed"} <= rules
    assert {"data-subjects-not-told", "rotate-now"} <= rules
    with council.read() as session:
        closed = [i.reference for i in incidents.all_incidents(session) if i.status == IncidentStatus.CLOSED]
    assert closed and not subjects & set(closed)


def test_the_checks_grants_carry_their_people_and_account_after_the_session(
    db: Database, clock: FixedClock
) -> None:
    """``access.unrevoked`` takes each grant's people and account from the lists already read: the rules
    and Home read them after the session has closed."""
    with db.transaction(ACTOR) as session:
        factories.person(session, ACTOR, Role.CLERK)
        factories.person(session, "Nguyễn Thu Hà", Role.EMPLOYEE)
        factories.approved_account(session, TODAY)
        factories.grant(session, TODAY)
    with db.read() as session:
        register = checks.load(session, clock)
    (grant,) = register.grants
    assert grant.person.name == "Nguyễn Thu Hà"
    assert grant.account.name == "Facebook:@TownCouncil"
    assert grant.approved_by is not None and grant.approved_by.name == ACTOR
    assert grant.revoked_by is None
    assert grant.person in register.people and grant.account in register.accounts
