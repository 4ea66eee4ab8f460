"""Policy acknowledgements: one per person and policy version, with the training date; imported on their
own or in a people file."""

from __future__ import annotations

from datetime import date

import factories
import pytest

from clerk_desk import imports
from clerk_desk.access import acknowledgements
from clerk_desk.access.acknowledgements import AcknowledgementData
from clerk_desk.errors import PermissionDenied, ValidationError
from clerk_desk.imports import ImportResult
from clerk_desk.models import Acknowledgement, Role
from clerk_desk.storage.db import Database
from services.helpers import row_counts

TODAY = date(2026, 11, 21)
ACTOR = "Zoë Hartley"
STAFF = "Nguyễn Thu Hà"


@pytest.fixture
def council(db: Database) -> Database:
    with db.transaction(ACTOR) as session:
        factories.person(session, ACTOR, Role.CLERK)
        factories.person(session, STAFF, Role.EMPLOYEE)
        factories.person(session, "Tom Beckett", Role.VOLUNTEER)
    return db


def acknowledge(db: Database, data: AcknowledgementData, actor: str = ACTOR) -> bool:
    with db.transaction(actor) as session:
        return acknowledgements.save(session, data, TODAY)[1]


def everything(db: Database) -> list[tuple[str, str, date, date | None]]:
    with db.read() as session:
        return sorted(
            (a.person.name, a.policy_version, a.acknowledged_on, a.training_on)
            for a in acknowledgements.all_acknowledgements(session)
        )


def import_text(db: Database, kind: str, content: str) -> ImportResult:
    with db.transaction(ACTOR) as session:
        return imports.import_rows(session, kind, content, TODAY)


def test_an_acknowledgement_is_recorded_once_per_person_and_version(council: Database) -> None:
    assert acknowledge(council, AcknowledgementData(STAFF, "2.1", date(2026, 3, 2))) is True
    # The same person and version again corrects it rather than adding another.
    assert (
        acknowledge(council, AcknowledgementData(STAFF.upper(), "2.1", date(2026, 3, 3), date(2026, 3, 10)))
        is False
    )
    assert acknowledge(council, AcknowledgementData(STAFF, "2.2", date(2026, 11, 20))) is True
    assert everything(council) == [
        (STAFF, "2.1", date(2026, 3, 3), date(2026, 3, 10)),
        (STAFF, "2.2", date(2026, 11, 20), None),
    ]


def test_policy_versions_that_differ_only_in_case_are_one_version(council: Database) -> None:
    assert acknowledge(council, AcknowledgementData(STAFF, "v2.1", date(2026, 3, 2))) is True
    assert (
        acknowledge(council, AcknowledgementData(STAFF, "V2.1", date(2026, 3, 3), date(2026, 3, 10))) is False
    )
    assert everything(council) == [(STAFF, "v2.1", date(2026, 3, 3), date(2026, 3, 10))]
    with council.read() as session:
        acks = acknowledgements.all_acknowledgements(session)
    assert list(acknowledgements.latest_by_person(acks, " V2.1 ")) == [acks[0].person_id]
    content = (
        "person,policy_version,acknowledged_on\r\nTom Beckett,r1,2026-03-02\r\nTom Beckett,R1,2026-03-03\r\n"
    )
    with pytest.raises(ValidationError, match="repeats row 2") as caught:
        import_text(council, "acknowledgements", content)
    assert caught.value.row == 3


def test_an_acknowledgement_is_audited_with_its_label(council: Database) -> None:
    from sqlalchemy import select

    from clerk_desk.models import AuditEntry

    acknowledge(council, AcknowledgementData(STAFF, "2.1", date(2026, 3, 2)))
    with council.read() as session:
        entry = session.execute(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).scalar_one()
    assert (entry.action, entry.subject_type, entry.subject_label) == (
        "create",
        "Acknowledgement",
        f"{STAFF}: policy 2.1",
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (AcknowledgementData(STAFF, "2.1", date(2026, 11, 22)), "acknowledged_on: is in the future"),
        (AcknowledgementData(STAFF, "2.1", TODAY, date(2026, 11, 22)), "training_on: is in the future"),
        (AcknowledgementData("Nobody Known", "2.1", TODAY), "person: 'Nobody Known' is not in People"),
    ],
)
def test_an_impossible_acknowledgement_is_refused(
    council: Database, data: AcknowledgementData, message: str
) -> None:
    before = row_counts(council)
    with pytest.raises(ValidationError) as caught, council.transaction(ACTOR) as session:
        acknowledgements.save(session, data, TODAY)
    assert str(caught.value) == message
    assert row_counts(council) == before


def test_only_the_clerk_or_deputy_records_acknowledgements(council: Database) -> None:
    with pytest.raises(PermissionDenied, match="record policy acknowledgements"):
        acknowledge(council, AcknowledgementData(STAFF, "2.1", TODAY), actor=STAFF)
    assert everything(council) == []


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"policy_version": ""}, "policy_version: is required"),
        ({"policy_version": "v" * 51}, "policy_version: is too long (51 characters; at most 50)"),
        ({"acknowledged_on": ""}, "acknowledged_on: is required"),
        (
            {"acknowledged_on": "2/3/2026"},
            "acknowledged_on: '2/3/2026' is not a date; write it as YYYY-MM-DD",
        ),
        ({"training_on": "March"}, "training_on: 'March' is not a date; write it as YYYY-MM-DD"),
    ],
)
def test_a_bad_value_is_refused_naming_its_field(values: dict[str, str], message: str) -> None:
    row = {"person": STAFF, "policy_version": "2.1", "acknowledged_on": "2026-03-02", "training_on": ""}
    with pytest.raises(ValidationError) as caught:
        acknowledgements.parse(row | values)
    assert str(caught.value) == message


def test_latest_by_person_is_for_one_version() -> None:
    first = Acknowledgement(person_id=1, policy_version="2.0", acknowledged_on=date(2025, 1, 1))
    second = Acknowledgement(person_id=1, policy_version="2.1", acknowledged_on=date(2026, 1, 1))
    other = Acknowledgement(person_id=2, policy_version="2.0", acknowledged_on=date(2025, 1, 1))
    assert acknowledgements.latest_by_person([first, second, other], "2.1") == {1: second}
    assert acknowledgements.latest_by_person([first, second, other], "2.0") == {1: first, 2: other}


# --- CSV ----------------------------------------------------------------------------------------

ACK_CSV = (
    "person,policy_version,acknowledged_on,training_on\r\n"
    f"{STAFF},2.1,2026-03-02,2026-03-10\r\n"
    "Tom Beckett,2.1,2026-04-01,\r\n"
    f"{STAFF},2.0,2025-01-06,\r\n"
)


def test_the_acknowledgements_kind_imports_and_exports_the_same_columns(council: Database) -> None:
    assert import_text(council, "acknowledgements", ACK_CSV) == ImportResult(added=3, updated=0)
    assert everything(council) == [
        (STAFF, "2.0", date(2025, 1, 6), None),
        (STAFF, "2.1", date(2026, 3, 2), date(2026, 3, 10)),
        ("Tom Beckett", "2.1", date(2026, 4, 1), None),
    ]
    with council.read() as session:
        exported = imports.export_rows(session, "acknowledgements")
    assert exported.splitlines()[0] == "person,policy_version,acknowledged_on,training_on"
    assert sorted(exported.splitlines()[1:]) == sorted(ACK_CSV.splitlines()[1:])
    before = row_counts(council)
    assert import_text(council, "acknowledgements", exported) == ImportResult(added=0, updated=3)
    assert row_counts(council) == before  # nothing changed, so not even an audit entry


def test_a_bad_acknowledgement_row_fails_the_whole_file(council: Database) -> None:
    before = row_counts(council)
    content = ACK_CSV + "Tom Beckett,2.0,2026-12-01,\r\n"
    with pytest.raises(ValidationError) as caught:
        import_text(council, "acknowledgements", content)
    assert str(caught.value) == "row 5, column acknowledged_on: is in the future"
    assert row_counts(council) == before


def test_a_person_and_version_repeated_in_one_file_is_refused(council: Database) -> None:
    content = ACK_CSV + f"{STAFF.lower()},2.1,2026-03-05,\r\n"
    with pytest.raises(ValidationError, match="repeats row 2") as caught:
        import_text(council, "acknowledgements", content)
    assert caught.value.row == 5
    assert everything(council) == []


def test_a_people_file_may_carry_each_persons_acknowledgement(council: Database) -> None:
    content = (
        "name,role,policy_version,acknowledged_on,training_on\r\n"
        f"{STAFF},employee,2.1,2026-03-02,2026-03-10\r\n"
        "Priya Shah,contractor,2.1,2026-05-05,\r\n"
        "Tom Beckett,volunteer,,,\r\n"
    )
    assert import_text(council, "people", content) == ImportResult(added=1, updated=2)
    assert everything(council) == [
        (STAFF, "2.1", date(2026, 3, 2), date(2026, 3, 10)),
        ("Priya Shah", "2.1", date(2026, 5, 5), None),
    ]
    # The people export has the people columns only.
    with council.read() as session:
        header = imports.export_rows(session, "people").splitlines()[0]
    assert header == "name,role,email,job_title,login,started_on,left_on"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("Priya Shah,contractor,2.1,,", "row 2, column acknowledged_on: is required"),
        ("Priya Shah,contractor,,2026-05-05,", "row 2, column policy_version: is required"),
        ("Priya Shah,contractor,2.1,2027-01-01,", "row 2, column acknowledged_on: is in the future"),
    ],
)
def test_a_bad_acknowledgement_in_a_people_file_fails_the_whole_file(
    council: Database, row: str, message: str
) -> None:
    before = row_counts(council)
    content = f"name,role,policy_version,acknowledged_on,training_on\r\n{row}\r\n"
    with pytest.raises(ValidationError) as caught:
        import_text(council, "people", content)
    assert str(caught.value) == message
    assert row_counts(council) == before  # Priya was not added either
