"""An incident's full record as text: what the edit form and the CSV file read and write."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import factories
import pytest

from clerk_desk.errors import PolicyViolation, ValidationError
from clerk_desk.incidents import assessment
from clerk_desk.incidents import lifecycle as incidents
from clerk_desk.incidents import records as incident_records
from clerk_desk.incidents.assessment import AssessmentData
from clerk_desk.incidents.records import IncidentData
from clerk_desk.models import (
    IcoDecision,
    Incident,
    IncidentCategory,
    IncidentSeverity,
    IncidentStatus,
    RiskLevel,
    Role,
)
from clerk_desk.storage.clock import FixedClock
from clerk_desk.storage.db import Database
from services.helpers import row_counts

TODAY = date(2026, 11, 21)
NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
ACTOR = "Zoë Hartley"
DEPUTY = "Łukasz Nowak"
STAFF = "Nguyễn Thu Hà"
FACEBOOK = "Facebook:@TownCouncil"
X = "X:@Town"
HOUR = timedelta(hours=1)
LONDON = ZoneInfo("Europe/London")
#: The columns design.md lists, in its order; the file may carry more after them.
DESIGN_COLUMNS = [
    "reference",
    "category",
    "severity",
    "title",
    "description",
    "reported_by",
    "reported_at",
    "occurred_at",
    "discovered_at",
    "accounts",
    "people",
    "personal_data",
    "near_miss",
    "status",
    "resolved_at",
    "outcome",
    "ico_decision",
    "ico_notified_at",
    "clerk_notified_at",
    "chair_informed_at",
    "platform_notified_at",
    "public_notified_at",
]


@pytest.fixture
def council(db: Database) -> Database:
    with db.transaction(ACTOR) as session:
        factories.person(session, ACTOR, Role.CLERK)
        factories.person(session, DEPUTY, Role.DEPUTY_CLERK)
        factories.person(session, STAFF, Role.EMPLOYEE)
        factories.approved_account(session, TODAY)
        factories.approved_account(session, TODAY, platform="X", handle="@Town")
    return db


def parse_row(values: dict[str, str]) -> IncidentData:
    """The record as a London council's form or file gives it."""
    return incident_records.parse(values, LONDON)


def save(db: Database, data: IncidentData, actor: str = ACTOR, **kwargs: Any) -> Incident:
    with db.transaction(actor) as session:
        incident_id = incident_records.save(session, data, **kwargs).id
    return load(db, incident_id)


def load(db: Database, incident_id: int) -> Incident:
    with db.read() as session:
        return incidents.get(session, incident_id)


def edit(db: Database, incident: Incident, actor: str = ACTOR, **values: str) -> Incident:
    """What the edit form does: the record as text, with the fields changed, saved back."""
    data = parse_row({**incident_records.as_row(incident, LONDON), **values})
    return save(db, data, actor, incident_id=incident.id, expected_version=incident.version)


def full_row(**values: str) -> dict[str, str]:
    row = dict.fromkeys(incident_records.COLUMNS, "")
    row.update(
        reference="INC-2026-014",
        category="non_council_device",
        severity="high",
        title="Council Instagram used on a personal phone",
        description="A volunteer signed in on their own phone at the fete.",
        reported_by=DEPUTY,
        reported_at="2026-11-15T09:30+00:00",
        occurred_at="2026-11-14T16:00+00:00",
        discovered_at="2026-11-15T09:00+00:00",
        accounts=f"{FACEBOOK};{X}",
        people=STAFF,
        personal_data="no",
        near_miss="no",
        status="investigating",
        clerk_notified_at="2026-11-15T10:00+00:00",
        external_party="the volunteer's own phone",
        clerk_is_target="no",
    )
    row.update(values)
    return row


# --- the columns --------------------------------------------------------------------------------


def test_the_columns_are_the_designs_in_its_order_then_the_rest() -> None:
    assert list(incident_records.COLUMNS[: len(DESIGN_COLUMNS)]) == DESIGN_COLUMNS
    assert len(set(incident_records.COLUMNS)) == len(incident_records.COLUMNS)
    assert {"category", "title", "description"} == incident_records.REQUIRED


# --- parse --------------------------------------------------------------------------------------


def test_a_row_is_read_with_every_field() -> None:
    data = parse_row(full_row(reference="inc-2026-014", accounts=f"{X}; {FACEBOOK};{X}"))
    assert data == IncidentData(
        category=IncidentCategory.NON_COUNCIL_DEVICE,
        title="Council Instagram used on a personal phone",
        description="A volunteer signed in on their own phone at the fete.",
        severity=IncidentSeverity.HIGH,
        reference="INC-2026-014",
        reported_by=DEPUTY,
        reported_at=datetime(2026, 11, 15, 9, 30, tzinfo=UTC),
        occurred_at=datetime(2026, 11, 14, 16, 0, tzinfo=UTC),
        discovered_at=datetime(2026, 11, 15, 9, 0, tzinfo=UTC),
        accounts=(X, FACEBOOK),
        people=(STAFF,),
        status=IncidentStatus.INVESTIGATING,
        steps_done=(("clerk_notified", datetime(2026, 11, 15, 10, 0, tzinfo=UTC)),),
        external_party="the volunteer's own phone",
    )


def test_only_the_category_title_and_description_are_needed() -> None:
    data = parse_row({"category": "other", "title": "Phishing", "description": "Nobody clicked"})
    assert data == IncidentData(IncidentCategory.OTHER, "Phishing", "Nobody clicked")
    assert (data.severity, data.status, data.reference, data.reported_at) == ("medium", "open", None, None)


@pytest.mark.parametrize(
    ("raw", "moment"),
    [
        ("2026-11-15", datetime(2026, 11, 15, tzinfo=UTC)),  # a date alone is local midnight (GMT)
        ("2026-07-15", datetime(2026, 7, 14, 23, 0, tzinfo=UTC)),  # ... in summer, BST
        ("2026-11-15T09:30", datetime(2026, 11, 15, 9, 30, tzinfo=UTC)),  # no offset: London time
        ("2026-11-15 09:30", datetime(2026, 11, 15, 9, 30, tzinfo=UTC)),
        ("2026-07-15 10:30", datetime(2026, 7, 15, 9, 30, tzinfo=UTC)),  # British Summer Time
        ("2026-07-15T10:30+01:00", datetime(2026, 7, 15, 9, 30, tzinfo=UTC)),  # an offset is kept
        ("2026-07-15T10:30+00:00", datetime(2026, 7, 15, 10, 30, tzinfo=UTC)),  # an old export's UTC
        ("2026-07-15T10:30Z", datetime(2026, 7, 15, 10, 30, tzinfo=UTC)),
        ("", None),
    ],
)
def test_moments_are_read_in_the_councils_time_zone(raw: str, moment: datetime | None) -> None:
    assert incidents.moment({"reported_at": raw}, "reported_at", LONDON) == moment


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("category", "burglary", "'burglary' is not one of account_compromise, personal_data"),
        ("category", "", "is required; one of account_compromise"),
        ("severity", "extreme", "'extreme' is not one of low, medium, high, critical"),
        ("status", "done", "'done' is not one of open, investigating, resolved, closed"),
        ("reference", "INC-26-1", "'INC-26-1' is not a reference like INC-2026-001"),
        ("personal_data", "maybe", "'maybe' is not yes or no"),
        ("near_miss", "2", "'2' is not yes or no"),
        ("reported_at", "yesterday", "'yesterday' is not a date and time; write it as YYYY-MM-DD HH:MM"),
        ("chair_informed_at", "15/11/2026", "'15/11/2026' is not a date; write it as YYYY-MM-DD"),
        ("chair_informed_at", "15 Nov 2026 10:00", "'15 Nov 2026 10:00' is not a date and time"),
        ("chair_informed_at", "not applicable", "give the reason the step does not apply"),
        ("referral_at", "Not applicable:  ", "give the reason the step does not apply"),
        ("ico_decision", "perhaps", "'perhaps' is not one of notify, not_notifiable"),
        ("title", "", "is required"),
        ("description", "  ", "is required"),
    ],
)
def test_a_bad_value_is_refused_naming_its_column(column: str, value: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_row(full_row(**{column: value}))
    assert caught.value.field == column
    assert str(caught.value).startswith(f"{column}: {message}")


# --- save: a new record -------------------------------------------------------------------------


def test_a_full_record_is_saved_keeping_its_reference(council: Database) -> None:
    incident = save(council, parse_row(full_row()))
    assert (incident.reference, incident.reported_by, incident.status) == (
        "INC-2026-014",
        DEPUTY,
        "investigating",
    )
    assert (incident.reported_at, incident.discovered_at) == (
        datetime(2026, 11, 15, 9, 30, tzinfo=UTC),
        datetime(2026, 11, 15, 9, 0, tzinfo=UTC),
    )
    assert [a.name for a in incident.accounts] == [FACEBOOK, X]
    assert [p.name for p in incident.people] == [STAFF]
    assert incident.scope == f"{FACEBOOK}; {X}; {STAFF}"
    # The step columns are follow-ups done at that time, by the reporter; the rest are still to do.
    steps = {s.step: (s.done_at, s.done_by) for s in incident.steps}
    assert steps == {
        "clerk_notified": (datetime(2026, 11, 15, 10, 0, tzinfo=UTC), DEPUTY),
        "chair_informed": (None, None),
    }
    assert incidents.outstanding_steps(incident) == ["chair_informed"]
    assert incident_records.as_row(incident, LONDON) == full_row()


def test_a_record_without_a_reference_or_reporter_gets_one(council: Database) -> None:
    data = IncidentData(
        IncidentCategory.PERSONAL_DATA,
        "Email list sent to the wrong group",
        "Names and addresses",
        reported_at=datetime(2025, 3, 2, 10, 0, tzinfo=UTC),
    )
    incident = save(council, data, actor=DEPUTY)
    assert (incident.reference, incident.reported_by) == ("INC-2025-001", DEPUTY)
    assert (incident.discovered_at, incident.personal_data) == (datetime(2025, 3, 2, 10, 0, tzinfo=UTC), True)
    now = save(council, IncidentData(IncidentCategory.OTHER, "Phishing", "Nobody clicked"))
    assert (now.reference, now.reported_at, now.reported_by) == ("INC-2026-001", NOW, ACTOR)


@pytest.mark.parametrize(
    ("values", "column", "message"),
    [
        ({"reported_at": "2026-11-21T13:00"}, "reported_at", "is in the future"),
        ({"occurred_at": "2026-11-22"}, "occurred_at", "is in the future"),
        ({"clerk_notified_at": "2026-11-21T12:01"}, "clerk_notified_at", "is in the future"),
        ({"discovered_at": "2026-11-14T15:00+00:00"}, "discovered_at", "is before occurred_at"),
        (
            {"accounts": f"{FACEBOOK};Facebook:@Elsewhere"},
            "accounts",
            "'Facebook:@Elsewhere' is not in the register",
        ),
        ({"people": "Nobody Known"}, "people", "'Nobody Known' is not in People"),
    ],
)
def test_an_impossible_record_is_refused_naming_its_column(
    council: Database, values: dict[str, str], column: str, message: str
) -> None:
    before = row_counts(council)
    with pytest.raises(ValidationError) as caught:
        save(council, parse_row(full_row(**values)))
    assert caught.value.field == column
    assert str(caught.value).startswith(f"{column}: {message}")
    assert row_counts(council) == before


def test_a_reference_already_used_is_refused(council: Database) -> None:
    save(council, parse_row(full_row()))
    other = parse_row(full_row(title="Another"))
    with pytest.raises(ValidationError, match="INC-2026-014 is already used") as caught:
        save(council, other, incident_id=save(council, replace(other, reference=None)).id)
    assert caught.value.field == "reference"


def test_a_closed_record_must_have_its_steps_and_outcome(council: Database) -> None:
    before = row_counts(council)
    with pytest.raises(PolicyViolation) as caught:
        save(council, parse_row(full_row(status="closed", outcome="Signed out")))
    assert (caught.value.field, caught.value.clause) == ("status", "Thornbury 9.7.1")
    assert row_counts(council) == before
    with pytest.raises(ValidationError, match="outcome: record the outcome"):
        save(council, parse_row(full_row(status="closed", chair_informed_at="2026-11-15T11:00")))
    closed = save(
        council,
        parse_row(full_row(status="closed", chair_informed_at="2026-11-15T11:00", outcome="Signed out")),
    )
    assert (closed.status, closed.outcome, closed.closed_at) == ("closed", "Signed out", NOW)


@pytest.mark.parametrize(
    ("values", "column", "message"),
    [
        ({"ico_decision": "notify"}, "ico_notified_at", "give the date and time the ICO was notified"),
        (
            {"ico_decision": "not_notifiable", "risk_likelihood": "low", "risk_severity": "low"},
            "outcome",
            "a breach judged not notifiable needs its reason in outcome",
        ),
        (
            {"ico_decision": "not_notifiable", "outcome": "Recalled at once"},
            "risk_likelihood",
            "record the assessment of the risk before judging the breach not notifiable",
        ),
    ],
)
def test_an_ico_decision_needs_its_date_or_its_reason(
    council: Database, values: dict[str, str], column: str, message: str
) -> None:
    row = full_row(category="personal_data", personal_data="yes", clerk_notified_at="", **values)
    with pytest.raises(PolicyViolation) as caught:
        save(council, parse_row(row))
    assert (caught.value.field, caught.value.clause) == (column, "UK GDPR Art. 33")
    assert message in str(caught.value)


def test_an_ico_notification_before_the_discovery_is_refused(council: Database) -> None:
    row = full_row(
        category="personal_data",
        personal_data="yes",
        clerk_notified_at="",
        ico_decision="notify",
        ico_notified_at="2026-11-15T08:00+00:00",
        ico_reference="IC-1",
    )
    with pytest.raises(ValidationError) as caught:
        save(council, parse_row(row))
    assert str(caught.value) == "ico_notified_at: is before the breach was discovered"


def test_the_ico_decision_is_read_from_the_record(council: Database) -> None:
    notified = save(
        council,
        parse_row(
            full_row(
                category="personal_data",
                personal_data="yes",
                clerk_notified_at="",
                ico_decision="notify",
                ico_notified_at="2026-11-16T09:00",
                ico_reference="IC-123456",
            )
        ),
    )
    assert (notified.ico_decision, notified.ico_notified_at, notified.ico_reference) == (
        "notify",
        datetime(2026, 11, 16, 9, 0, tzinfo=UTC),
        "IC-123456",
    )
    assert incidents.outstanding_steps(notified) == []
    judged = save(
        council,
        parse_row(
            full_row(
                reference="INC-2026-015",
                category="personal_data",
                personal_data="yes",
                clerk_notified_at="",
                ico_decision="not_notifiable",
                outcome="Recalled within minutes; no risk to anyone",
                risk_likelihood="low",
                risk_severity="medium",
            )
        ),
    )
    assert (judged.ico_decision, judged.ico_reason) == (
        "not_notifiable",
        "Recalled within minutes; no risk to anyone",
    )


# --- save: editing what exists ------------------------------------------------------------------


def test_editing_changes_only_what_was_changed(council: Database, clock: FixedClock) -> None:
    """Moments kept to the second (logged with Ctrl+N, a step ticked off) survive an edit made through text,
    which carries minutes; and so do the accounts however they were first typed."""
    clock.moment = NOW - timedelta(hours=5, seconds=17, microseconds=250)
    with council.transaction(STAFF) as session:
        incident = incidents.log(
            session, "Council page used at home", IncidentCategory.NON_COUNCIL_DEVICE, "x"
        )
        incident_id = incident.id
    clock.moment = NOW - timedelta(hours=4, seconds=41)
    with council.transaction(DEPUTY) as session:
        incidents.settle_step(session, incident_id, "clerk_notified", done_at=clock.now())
    clock.moment = NOW
    incident = edit(council, load(council, incident_id), accounts=f"{X};{FACEBOOK}", people=STAFF)
    before = row_counts(council), incident.version
    incident = edit(council, incident)  # nothing changed: nothing is written, not even an audit entry
    assert (row_counts(council), incident.version) == before
    incident = edit(council, incident, title="Council Instagram used on a personal phone")
    assert incident.title == "Council Instagram used on a personal phone"
    assert (incident.reported_at, incident.discovered_at, incident.reported_by) == (
        NOW - timedelta(hours=5, seconds=17, microseconds=250),
        NOW - timedelta(hours=5, seconds=17, microseconds=250),
        STAFF,
    )
    step = incidents.step_row(incident, "clerk_notified")
    assert step is not None
    assert (step.done_at, step.done_by) == (NOW - timedelta(hours=4, seconds=41), DEPUTY)
    assert row_counts(council)["audit_entries"] == before[0]["audit_entries"] + 1  # the title only


def test_editing_a_closed_incident_keeps_when_it_was_closed(council: Database, clock: FixedClock) -> None:
    incident_id = save(council, IncidentData(IncidentCategory.OTHER, "Phishing", "Nobody clicked")).id
    with council.transaction(ACTOR) as session:
        incidents.set_status(session, incident_id, None, IncidentStatus.CLOSED, outcome="Deleted")
    clock.moment = NOW + timedelta(days=30)
    incident = edit(council, load(council, incident_id), lessons="Warn staff about invoices by email")
    assert (incident.status, incident.closed_at, incident.resolved_at) == ("closed", NOW, NOW)
    assert incident.lessons == "Warn staff about invoices by email"


def test_editing_keeps_the_reason_a_breach_was_not_notifiable(council: Database, clock: FixedClock) -> None:
    incident_id = save(
        council,
        IncidentData(IncidentCategory.PERSONAL_DATA, "List sent to the wrong group", "Names and addresses"),
    ).id
    with council.transaction(ACTOR) as session:
        assessment.assess(
            session,
            incident_id,
            AssessmentData(living_people=True, likelihood=RiskLevel.LOW, severity=RiskLevel.LOW),
        )
        incidents.record_ico_decision(
            session, incident_id, IcoDecision.NOT_NOTIFIABLE, NOW, reason="Recalled; unlikely to risk anyone"
        )
        incidents.set_status(session, incident_id, None, IncidentStatus.CLOSED, outcome="Apology sent")
    incident = edit(council, load(council, incident_id), lessons="Check the list before sending")
    assert (incident.ico_reason, incident.outcome) == ("Recalled; unlikely to risk anyone", "Apology sent")


def test_an_edit_from_a_stale_form_is_refused(council: Database) -> None:
    from clerk_desk.errors import StaleEditError

    incident = save(council, parse_row(full_row()))
    edit(council, incident, title="First edit")
    with pytest.raises(StaleEditError):
        edit(council, incident, title="Second edit from the old form")
    assert load(council, incident.id).title == "First edit"


# --- follow-up steps as text --------------------------------------------------------------------


def test_every_follow_up_step_has_a_column() -> None:
    assert set(incident_records.STEP_COLUMNS.values()) == set(incidents.STEPS) - {"ico_decision"}
    assert all(column in incident_records.COLUMNS for column in incident_records.STEP_COLUMNS)


def test_a_step_is_done_at_a_time_or_not_applicable_with_its_reason(council: Database) -> None:
    row = full_row(chair_informed_at="Not applicable: the Chair was the volunteer; Vice-Chair told")
    data = parse_row(row)
    assert data.steps_not_applicable == (("chair_informed", "the Chair was the volunteer; Vice-Chair told"),)
    incident = save(council, data)
    chair = incidents.step_row(incident, "chair_informed")
    assert chair is not None
    assert (chair.not_applicable, chair.done_at, chair.done_by) == (
        "the Chair was the volunteer; Vice-Chair told",
        None,
        None,
    )
    assert incidents.outstanding_steps(incident) == []
    assert incident_records.as_row(incident, LONDON)["chair_informed_at"] == (
        "not applicable: the Chair was the volunteer; Vice-Chair told"
    )
    # Done after all: the time replaces the reason.
    incident = edit(council, incident, chair_informed_at="2026-11-16T08:00")
    chair = incidents.step_row(incident, "chair_informed")
    assert chair is not None
    assert (chair.not_applicable, chair.done_at) == (None, datetime(2026, 11, 16, 8, 0, tzinfo=UTC))


@pytest.mark.parametrize(
    ("category", "columns"),
    [
        ("account_compromise", ("change_passwords_at", "review_access_at")),
        ("harassment", ("reported_to_clerk_at",)),
        ("policy_breach", ("referral_at",)),
        ("impersonation", ("platform_notified_at", "public_notified_at")),
    ],
)
def test_a_closed_incident_of_every_category_is_read_with_its_steps(
    council: Database, category: str, columns: tuple[str, ...]
) -> None:
    row = full_row(
        category=category,
        clerk_notified_at="",
        status="closed",
        outcome="Dealt with",
        resolved_at="2026-11-17",
    )
    with pytest.raises(PolicyViolation):
        save(council, parse_row(row))
    row |= dict.fromkeys(columns[1:], "not applicable: nothing to do")
    row[columns[0]] = "2026-11-16T10:00+00:00"
    incident = save(council, parse_row(row))
    assert (incident.status, incident.resolved_at) == ("closed", datetime(2026, 11, 17, tzinfo=UTC))
    assert incident_records.as_row(incident, LONDON) == row | {"resolved_at": "2026-11-17T00:00+00:00"}


def test_the_clerk_as_target_is_reported_to_the_chair(council: Database) -> None:
    row = full_row(category="harassment", clerk_notified_at="", clerk_is_target="yes")
    incident = save(council, parse_row(row))
    assert incidents.outstanding_steps(incident) == ["reported_to_chair"]
    incident = edit(council, incident, reported_to_chair_at="2026-11-15T12:00")
    assert incidents.outstanding_steps(incident) == []


def test_an_account_named_twice_is_involved_once(council: Database) -> None:
    incident = save(council, parse_row(full_row(accounts=f"{X};{FACEBOOK};x:@town")))
    assert [a.name for a in incident.accounts] == [FACEBOOK, X]
    assert row_counts(council)["incident_accounts"] == 2
