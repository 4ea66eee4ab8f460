"""The ICO's self-assessment of a personal-data breach, kept as a history, and telling the people affected
(UK GDPR Art. 34): the step, closing, the finding a week on, and the CSV round trip."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import factories
import pytest

from clerk_desk import imports
from clerk_desk.checks import engine as checks
from clerk_desk.errors import PolicyViolation, ValidationError
from clerk_desk.incidents import assessment
from clerk_desk.incidents import lifecycle as incidents
from clerk_desk.incidents.assessment import AssessmentData
from clerk_desk.models import IcoDecision, Incident, IncidentCategory, IncidentStatus, RiskLevel, Role
from clerk_desk.storage.clock import FixedClock
from clerk_desk.storage.db import Database
from services.helpers import row_counts

TODAY = date(2026, 11, 21)
NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
ACTOR = "Zoë Hartley"
DEPUTY = "Łukasz Nowak"
HIGH = AssessmentData(
    living_people=True,
    likelihood=RiskLevel.HIGH,
    severity=RiskLevel.MEDIUM,
    mitigation="Asked the recipients to delete it",
    people_affected=212,
    records_affected=230,
    data_kinds="names; email addresses; allotment plot numbers",
    consequences="Unwanted contact; distress",
)
LOW = AssessmentData(living_people=True, likelihood=RiskLevel.LOW, severity=RiskLevel.MEDIUM)


@pytest.fixture
def council(db: Database) -> Database:
    with db.transaction(ACTOR) as session:
        factories.person(session, ACTOR, Role.CLERK)
        factories.person(session, DEPUTY, Role.DEPUTY_CLERK)
        factories.approved_account(session, TODAY)
    return db


def breach(db: Database, clock: FixedClock, days_ago: float = 0) -> int:
    clock.moment = NOW - timedelta(days=days_ago)
    try:
        with db.transaction(DEPUTY) as session:
            return incidents.log(
                session,
                "Allotment list sent to the wrong group",
                IncidentCategory.PERSONAL_DATA,
                "Sent in error.",
            ).id
    finally:
        clock.moment = NOW


def assess(db: Database, incident_id: int, data: AssessmentData, actor: str = ACTOR) -> Incident:
    with db.transaction(actor) as session:
        assessment.assess(session, incident_id, data)
    return load(db, incident_id)


def load(db: Database, incident_id: int) -> Incident:
    with db.read() as session:
        return incidents.get(session, incident_id)


def rules(db: Database, clock: FixedClock, rule: str) -> list[str]:
    with db.read() as session:
        return [f.subject for f in checks.run(session, clock) if f.rule == rule]


@pytest.mark.parametrize(
    ("likelihood", "severity", "level"),
    [
        ("low", "low", "low"),
        ("low", "medium", "low"),
        ("medium", "medium", "medium"),
        ("low", "high", "medium"),
        ("medium", "high", "high"),
        ("high", "medium", "high"),
        ("high", "high", "high"),
    ],
)
def test_likelihood_and_severity_give_the_risk_level(likelihood: str, severity: str, level: str) -> None:
    data = AssessmentData(True, RiskLevel(likelihood), RiskLevel(severity))
    assert data.risk_level == RiskLevel(level)
    assert AssessmentData(False, RiskLevel(likelihood), RiskLevel(severity)).risk_level == RiskLevel.LOW


def test_an_assessment_is_kept_with_who_answered_and_when(council: Database, clock: FixedClock) -> None:
    incident_id = breach(council, clock)
    incident = assess(council, incident_id, HIGH, actor=DEPUTY)
    [entry] = incident.assessments
    assert (entry.assessed_by, entry.assessed_at, entry.reason) == (DEPUTY, NOW, "First assessment")
    assert (entry.people_affected, entry.records_affected, entry.risk_level) == (212, 230, RiskLevel.HIGH)


def test_two_reassessments_are_two_more_entries_never_an_overwrite(
    council: Database, clock: FixedClock
) -> None:
    incident_id = breach(council, clock)
    assess(council, incident_id, LOW)
    clock.moment = NOW + timedelta(hours=5)
    assess(council, incident_id, AssessmentData(**{**HIGH.__dict__, "reason": "More recipients found"}))
    clock.moment = NOW + timedelta(hours=9)
    incident = assess(council, incident_id, AssessmentData(**{**LOW.__dict__, "reason": "All deleted"}))
    history = [(a.likelihood, a.severity, a.reason) for a in incident.assessments]
    assert history == [
        ("low", "medium", "First assessment"),
        ("high", "medium", "More recipients found"),
        ("low", "medium", "All deleted"),
    ]


def test_a_reassessment_needs_its_reason(council: Database, clock: FixedClock) -> None:
    incident_id = breach(council, clock)
    assess(council, incident_id, LOW)
    before = row_counts(council)
    with pytest.raises(ValidationError, match="assessment_reason: give the reason for the reassessment"):
        assess(council, incident_id, HIGH)
    assert row_counts(council) == before


def test_only_a_personal_data_incident_is_assessed(council: Database) -> None:
    with council.transaction(ACTOR) as session:
        other = incidents.log(session, "Spam", IncidentCategory.OTHER, "Spam comments").id
    with pytest.raises(ValidationError, match="does not involve personal data"):
        assess(council, other, LOW)


def test_not_notifiable_needs_the_assessment_first(council: Database, clock: FixedClock) -> None:
    incident_id = breach(council, clock)
    with pytest.raises(PolicyViolation) as caught, council.transaction(ACTOR) as session:
        incidents.record_ico_decision(
            session, incident_id, IcoDecision.NOT_NOTIFIABLE, NOW, reason="Low risk"
        )
    assert str(caught.value) == (
        "ico_decision: record the assessment of the risk before judging the breach not notifiable "
        "(UK GDPR Art. 33)"
    )
    assess(council, incident_id, LOW)
    with council.transaction(ACTOR) as session:
        incidents.record_ico_decision(
            session, incident_id, IcoDecision.NOT_NOTIFIABLE, NOW, reason="Low risk"
        )
    assert load(council, incident_id).ico_decision == "not_notifiable"


def test_a_high_risk_shows_the_art34_step_and_blocks_closing(council: Database, clock: FixedClock) -> None:
    incident_id = breach(council, clock)
    assert "subjects_told" not in incidents.required_steps(assess(council, incident_id, LOW))
    incident = assess(council, incident_id, AssessmentData(**{**HIGH.__dict__, "reason": "New facts"}))
    assert "subjects_told" in incidents.required_steps(incident)
    with council.transaction(ACTOR) as session:
        incidents.record_ico_decision(
            session, incident_id, IcoDecision.NOTIFY, NOW, notified_at=NOW, ico_reference="IC-1"
        )
    with pytest.raises(PolicyViolation) as caught, council.transaction(ACTOR) as session:
        incidents.set_status(session, incident_id, None, IncidentStatus.CLOSED, outcome="Dealt with")
    assert "Tell the people affected" in str(caught.value) and "(UK GDPR Art. 34)" in str(caught.value)
    with council.transaction(ACTOR) as session:
        assessment.record_told(session, incident_id, NOW, "Email to each person, with advice", 212)
        incidents.set_status(session, incident_id, None, IncidentStatus.CLOSED, outcome="Dealt with")
    incident = load(council, incident_id)
    assert (incident.status, incident.subjects_told_how, incident.subjects_told_count) == (
        "closed",
        "Email to each person, with advice",
        212,
    )


def test_the_generic_step_action_cannot_settle_telling_people(council: Database, clock: FixedClock) -> None:
    incident_id = breach(council, clock)
    assess(council, incident_id, HIGH)
    with pytest.raises(ValidationError, match=r"Art\. 34"), council.transaction(ACTOR) as session:
        incidents.settle_step(session, incident_id, "subjects_told", done_at=NOW)


def test_not_telling_needs_an_art34_3_ground_and_its_detail(council: Database, clock: FixedClock) -> None:
    incident_id = breach(council, clock)
    assess(council, incident_id, HIGH)
    with (
        pytest.raises(PolicyViolation, match="where and when the public notice was given"),
        council.transaction(ACTOR) as session,
    ):
        assessment.record_not_required(session, incident_id, "disproportionate", " ")
    with pytest.raises(ValidationError, match="'bored' is not one of"), council.transaction(ACTOR) as session:
        assessment.record_not_required(session, incident_id, "bored", "x")
    with council.transaction(ACTOR) as session:
        assessment.record_not_required(
            session, incident_id, "unintelligible", "The laptop's disk was encrypted"
        )
    incident = load(council, incident_id)
    assert incidents.step_settled(incident, "subjects_told")
    assert incidents.step_row(incident, "subjects_told").not_applicable == (  # type: ignore[union-attr]
        "Art. 34(3)(a) the data was unintelligible: The laptop's disk was encrypted"
    )


def test_telling_people_is_checked(council: Database, clock: FixedClock) -> None:
    incident_id = breach(council, clock)
    assess(council, incident_id, HIGH)
    for told_at, how, count, message in (
        (NOW + timedelta(hours=1), "Email", 3, "subjects_told_at: is in the future"),
        (NOW - timedelta(days=2), "Email", 3, "subjects_told_at: is before the breach was discovered"),
        (NOW, " ", 3, "subjects_told_how: is required"),
        (NOW, "Email", 0, "subjects_told_count: must be a whole number of people, at least 1"),
    ):
        with pytest.raises(ValidationError) as caught, council.transaction(ACTOR) as session:
            assessment.record_told(session, incident_id, told_at, how, count)
        assert str(caught.value) == message


def test_data_subjects_not_told_after_seven_days(council: Database, clock: FixedClock) -> None:
    incident_id = breach(council, clock, days_ago=6)
    with council.transaction(ACTOR) as session:
        assessment.assess(session, incident_id, HIGH)
    reference = load(council, incident_id).reference
    assert rules(council, clock, "data-subjects-not-told") == []
    clock.moment = NOW + timedelta(days=1, minutes=1)
    assert rules(council, clock, "data-subjects-not-told") == [reference]
    with council.read() as session:
        [finding] = [f for f in checks.run(session, clock) if f.rule == "data-subjects-not-told"]
    assert (finding.severity, finding.clause) == ("high", "UK GDPR Art. 34")
    with council.transaction(ACTOR) as session:
        assessment.record_told(session, incident_id, clock.now(), "Letters", 212)
    assert rules(council, clock, "data-subjects-not-told") == []


def test_a_low_risk_breach_raises_no_art34_finding(council: Database, clock: FixedClock) -> None:
    incident_id = breach(council, clock, days_ago=20)
    with council.transaction(ACTOR) as session:
        assessment.assess(session, incident_id, LOW)
    assert rules(council, clock, "data-subjects-not-told") == []


def test_the_csv_carries_the_assessment_and_the_art34_step_both_ways(
    council: Database, fresh_database, clock: FixedClock
) -> None:
    incident_id = breach(council, clock, days_ago=2)
    clock.moment = NOW - timedelta(hours=6)
    assess(council, incident_id, LOW)
    clock.moment = NOW
    assess(council, incident_id, AssessmentData(**{**HIGH.__dict__, "reason": "More recipients found"}))
    with council.transaction(ACTOR) as session:
        assessment.record_told(session, incident_id, NOW - timedelta(hours=3), "Email to each", 212)
        incidents.record_ico_decision(
            session, incident_id, IcoDecision.NOTIFY, NOW, notified_at=NOW, ico_reference="IC-77"
        )
    with council.read() as session:
        exported = imports.export_rows(session, "incidents")
        history = imports.export_rows(session, "assessments")
    header, row = exported.splitlines()[:2]
    for column in (
        "risk_likelihood",
        "risk_severity",
        "people_affected",
        "records_affected",
        "data_kinds",
        "consequences",
        "mitigation",
        "subjects_told_at",
    ):
        assert column in header.split(",")
    assert "high,medium,212,230,names; email addresses; allotment plot numbers" in row
    assert "2026-11-21T09:00+00:00" in row and "Email to each" in row

    other = fresh_database()
    with other.transaction(ACTOR) as session:
        factories.person(session, ACTOR, Role.CLERK)
        factories.person(session, DEPUTY, Role.DEPUTY_CLERK)
        factories.approved_account(session, TODAY)
        imports.import_rows(session, "incidents", exported, TODAY)
        imports.import_rows(session, "assessments", history, TODAY)
    with other.read() as session:
        again = incidents.by_reference(session, load(council, incident_id).reference)
        assert again is not None
        assert [(a.likelihood, a.reason) for a in again.assessments] == [
            ("low", "First assessment"),
            ("high", "More recipients found"),
        ]
        assert incidents.step_settled(again, "subjects_told")
        assert (again.subjects_told_how, again.subjects_told_count) == ("Email to each", 212)
        assert imports.export_rows(session, "incidents") == exported
        assert imports.export_rows(session, "assessments") == history
    # Importing the same files again changes nothing.
    before = row_counts(other)
    with other.transaction(ACTOR) as session:
        imports.import_rows(session, "incidents", exported, TODAY)
        imports.import_rows(session, "assessments", history, TODAY)
    assert row_counts(other)["incident_assessments"] == before["incident_assessments"] == 2


def test_a_file_not_telling_people_must_name_an_art34_3_ground(council: Database, clock: FixedClock) -> None:
    incident_id = breach(council, clock)
    assess(council, incident_id, HIGH)
    with council.read() as session:
        exported = imports.export_rows(session, "incidents")
    header = exported.splitlines()[0].split(",")
    rows = list(csv.DictReader(io.StringIO(exported)))
    rows[0]["subjects_told_at"] = "not applicable: we did not want to"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header)
    writer.writeheader()
    writer.writerows(rows)
    with pytest.raises(PolicyViolation) as caught, council.transaction(ACTOR) as session:
        imports.import_rows(session, "incidents", out.getvalue(), TODAY)
    assert "row 2" in str(caught.value) and "subjects_told_at" in str(caught.value)
    assert "Art. 34(3) ground" in str(caught.value)
