"""People: unique names and logins, roles, and leaving recorded as a date."""

from __future__ import annotations

import json
from datetime import date
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

import factories
import pytest
from sqlalchemy import select

from clerk_desk.errors import NotFoundError, StaleEditError, ValidationError
from clerk_desk.models import AuditEntry, Person, Role
from clerk_desk.register import people
from clerk_desk.register.people import PersonData
from clerk_desk.storage.db import Database
from services.helpers import row_counts

LONDON = ZoneInfo("Europe/London")

ACTOR = "Zoë Hartley"


def add(db: Database, data: PersonData) -> tuple[int, int]:
    with db.transaction(ACTOR) as session:
        person = people.save(session, data)
        return person.id, person.version


def load(db: Database, person_id: int) -> Person:
    with db.read() as session:
        return people.get(session, person_id)


def test_a_person_is_saved_with_every_field(db: Database) -> None:
    data = PersonData(
        "Łukasz Nowak",
        Role.DEPUTY_CLERK,
        email="lukasz.nowak@town.gov.uk",
        job_title="Deputy Town Clerk",
        login="lnowak",
        started_on=date(2022, 9, 1),
    )
    person_id, version = add(db, data)
    person = load(db, person_id)
    assert (person.name, person.role, person.email, person.job_title, person.login) == (
        "Łukasz Nowak",
        "deputy_clerk",
        "lukasz.nowak@town.gov.uk",
        "Deputy Town Clerk",
        "lnowak",
    )
    assert (person.started_on, person.left_on, version) == (date(2022, 9, 1), None, 1)
    assert person.role_enum is Role.DEPUTY_CLERK


@pytest.mark.parametrize(
    ("existing", "clash"),
    [
        ("Łukasz Nowak", "ŁUKASZ NOWAK"),
        ("Łukasz Nowak", "  łukasz nowak  "),
        ("Zoë Hartley", "ZOË HARTLEY"),
        ("Nguyễn Thu Hà", "NGUYỄN THU HÀ"),
        ("Ayşe Ağca", "AYŞE AĞCA"),
        ("Hans Straße", "HANS STRASSE"),
    ],
)
def test_names_are_unique_ignoring_case_in_any_alphabet(db: Database, existing: str, clash: str) -> None:
    # The acting clerk herself, or someone else on a council with no clerk yet (still being set up).
    add(db, PersonData(existing, Role.CLERK if existing == ACTOR else Role.VOLUNTEER))
    before = row_counts(db)
    with (
        pytest.raises(ValidationError, match="already in People") as caught,
        db.transaction(ACTOR) as session,
    ):
        people.save(session, PersonData(clash, Role.VOLUNTEER))
    assert caught.value.field == "name"
    assert existing in str(caught.value)
    assert row_counts(db) == before


def test_a_person_may_change_the_case_of_their_own_name(db: Database) -> None:
    person_id, _ = add(db, PersonData("lukasz nowak", Role.EMPLOYEE))
    with db.transaction(ACTOR) as session:
        people.save(session, PersonData("Łukasz Nowak", Role.EMPLOYEE), person_id=person_id)
    with db.transaction(ACTOR) as session:
        people.save(session, PersonData("ŁUKASZ NOWAK", Role.EMPLOYEE), person_id=person_id)
    assert load(db, person_id).name == "ŁUKASZ NOWAK"


def test_a_person_cannot_take_anothers_name(db: Database) -> None:
    add(db, PersonData("Zoë Hartley", Role.CLERK))
    person_id, _ = add(db, PersonData("Tom Beckett", Role.VOLUNTEER))
    with pytest.raises(ValidationError) as caught, db.transaction(ACTOR) as session:
        people.save(session, PersonData("zoë hartley", Role.VOLUNTEER), person_id=person_id)
    assert caught.value.field == "name"
    assert load(db, person_id).name == "Tom Beckett"


def test_logins_are_unique_ignoring_case(db: Database) -> None:
    add(db, PersonData("Łukasz Nowak", Role.EMPLOYEE, login="lnowak"))
    with pytest.raises(ValidationError) as caught, db.transaction(ACTOR) as session:
        people.save(session, PersonData("Lena Nowak", Role.EMPLOYEE, login="LNowak"))
    assert caught.value.field == "login"
    assert "Łukasz Nowak" in str(caught.value)
    assert row_counts(db)["people"] == 1


def test_many_people_may_have_no_login(db: Database) -> None:
    add(db, PersonData("Cllr Margaret Oduya", Role.COUNCILLOR))
    add(db, PersonData("Cllr Peter Lomas", Role.COUNCILLOR))
    assert row_counts(db)["people"] == 2


def test_a_person_keeps_their_own_login_when_saved_again(db: Database) -> None:
    person_id, version = add(db, PersonData("Łukasz Nowak", Role.DEPUTY_CLERK, login="lnowak"))
    with db.transaction("Łukasz Nowak") as session:
        people.save(
            session,
            PersonData("Łukasz Nowak", Role.DEPUTY_CLERK, login="LNOWAK", job_title="Deputy"),
            person_id=person_id,
            expected_version=version,
        )
    assert load(db, person_id).login == "LNOWAK"


def test_lookups_ignore_case(db: Database) -> None:
    add(db, PersonData("Łukasz Nowak", Role.DEPUTY_CLERK, login="lnowak"))
    with db.read() as session:
        assert people.by_name(session, " ŁUKASZ NOWAK ").name == "Łukasz Nowak"
        assert people.by_login(session, "LNOWAK").name == "Łukasz Nowak"
        assert people.resolve(session, "łukasz nowak").name == "Łukasz Nowak"
        assert people.resolve(session, "lnowak").name == "Łukasz Nowak"
        assert people.resolve(session, "someone else") is None


# --- leaving is a date --------------------------------------------------------------------------


def test_left_on_before_started_on_is_refused_from_text() -> None:
    with pytest.raises(ValidationError) as caught:
        people.parse(
            {"name": "Ayşe Ağca", "role": "employee", "started_on": "2024-05-01", "left_on": "2024-04-30"}
        )
    assert caught.value.field == "left_on"


def test_left_on_before_started_on_is_refused_on_save(db: Database) -> None:
    data = PersonData("Ayşe Ağca", Role.EMPLOYEE, started_on=date(2024, 5, 1), left_on=date(2024, 4, 30))
    with pytest.raises(ValidationError) as caught, db.transaction(ACTOR) as session:
        people.save(session, data)
    assert caught.value.field == "left_on"
    assert row_counts(db)["people"] == 0


def test_leaving_on_the_day_one_started_is_allowed(db: Database) -> None:
    person_id, _ = add(
        db, PersonData("Ayşe Ağca", Role.EMPLOYEE, started_on=date(2024, 5, 1), left_on=date(2024, 5, 1))
    )
    assert load(db, person_id).left_on == date(2024, 5, 1)


def test_leaving_keeps_the_person_and_is_recorded_as_archive(db: Database) -> None:
    person_id, version = add(db, PersonData("Ayşe Ağca", Role.EMPLOYEE, started_on=date(2023, 1, 9)))
    with db.transaction(ACTOR) as session:
        people.save(
            session,
            PersonData("Ayşe Ağca", Role.EMPLOYEE, started_on=date(2023, 1, 9), left_on=date(2026, 10, 12)),
            person_id=person_id,
            expected_version=version,
        )
    person = load(db, person_id)
    assert person.left_on == date(2026, 10, 12)
    assert person.has_left(date(2026, 10, 12))
    assert not person.has_left(date(2026, 10, 11))
    with db.read() as session:
        assert [p.name for p in people.all_people(session)] == ["Ayşe Ağca"]
        entry = session.execute(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).scalar_one()
    assert entry.action == "archive"
    assert json.loads(entry.changes) == {"left_on": [None, "2026-10-12"]}


def test_record_leaving_sets_the_date_once(db: Database) -> None:
    person_id, version = add(db, PersonData("Ayşe Ağca", Role.EMPLOYEE, started_on=date(2023, 1, 9)))
    with db.transaction(ACTOR) as session:
        person = people.record_leaving(session, person_id, version, date(2026, 10, 12))
        version = person.version
    assert load(db, person_id).left_on == date(2026, 10, 12)
    with (
        pytest.raises(ValidationError, match="already left on 2026-10-12") as caught,
        db.transaction(ACTOR) as session,
    ):
        people.record_leaving(session, person_id, version, date(2026, 11, 1))
    assert caught.value.field == "left_on"
    assert load(db, person_id).left_on == date(2026, 10, 12)


def test_record_leaving_refuses_a_date_before_starting_and_a_stale_form(db: Database) -> None:
    person_id, version = add(db, PersonData("Ayşe Ağca", Role.EMPLOYEE, started_on=date(2023, 1, 9)))
    with pytest.raises(ValidationError, match="before started_on"), db.transaction(ACTOR) as session:
        people.record_leaving(session, person_id, version, date(2023, 1, 8))
    with pytest.raises(StaleEditError), db.transaction(ACTOR) as session:
        people.record_leaving(session, person_id, version - 1, date(2026, 10, 12))
    assert load(db, person_id).left_on is None


def test_there_is_no_way_to_delete_a_person() -> None:
    assert not [name for name in dir(people) if name.startswith(("delete", "remove", "purge"))]


def test_approvers_are_the_clerk_and_deputies_in_post(db: Database) -> None:
    with db.transaction(ACTOR) as session:
        factories.person(session, "Zoë Hartley", Role.CLERK, started_on=date(2018, 1, 1))
        factories.person(session, "Łukasz Nowak", Role.DEPUTY_CLERK)
        factories.person(session, "Old Deputy", Role.DEPUTY_CLERK, left_on=date(2026, 11, 1))
        factories.person(session, "New Deputy", Role.DEPUTY_CLERK, started_on=date(2026, 12, 1))
        factories.person(session, "Cllr Margaret Oduya", Role.COUNCILLOR)
        factories.person(session, "Tom Beckett", Role.EMPLOYEE)
    with db.read() as session:
        assert {p.name for p in people.approvers(session, date(2026, 11, 21))} == {
            "Łukasz Nowak",
            "Zoë Hartley",
        }
        assert "Old Deputy" in [p.name for p in people.approvers(session, date(2026, 10, 31))]


# --- stale edits and missing records ------------------------------------------------------------


def test_a_save_from_a_stale_form_changes_nothing(db: Database) -> None:
    person_id, version = add(db, PersonData("Tom Beckett", Role.VOLUNTEER))
    with db.transaction("Łukasz Nowak") as session:
        people.save(
            session, PersonData("Tom Beckett", Role.EMPLOYEE), person_id=person_id, expected_version=version
        )
    before = row_counts(db)
    with pytest.raises(StaleEditError, match="Tom Beckett's record"), db.transaction(ACTOR) as session:
        people.save(
            session,
            PersonData("Thomas Beckett", Role.CONTRACTOR),
            person_id=person_id,
            expected_version=version,
        )
    person = load(db, person_id)
    assert (person.name, person.role, person.version) == ("Tom Beckett", "employee", version + 1)
    assert row_counts(db) == before


def test_a_missing_person_is_not_found(db: Database) -> None:
    with db.read() as session, pytest.raises(NotFoundError):
        people.get(session, 4242)


# --- reading from text --------------------------------------------------------------------------

GOOD = {
    "name": "  Nguyễn Thu Hà ",
    "role": "Employee",
    "email": "thu.ha.nguyen@town.gov.uk",
    "job_title": "Communications Officer",
    "login": "tnguyen",
    "started_on": "2024-12-30",
    "left_on": "",
}


def test_parse_reads_and_trims_every_field() -> None:
    assert people.parse(GOOD) == PersonData(
        "Nguyễn Thu Hà",
        Role.EMPLOYEE,
        email="thu.ha.nguyen@town.gov.uk",
        job_title="Communications Officer",
        login="tnguyen",
        started_on=date(2024, 12, 30),
    )


@pytest.mark.parametrize("role", ["deputy clerk", "Deputy-Clerk", "DEPUTY_CLERK"])
def test_roles_are_read_as_people_write_them(role: str) -> None:
    assert people.parse(GOOD | {"role": role}).role is Role.DEPUTY_CLERK


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "is required"),
        (
            "role",
            "mayor",
            "'mayor' is not one of clerk, deputy_clerk, employee, volunteer, councillor, contractor",
        ),
        ("role", "", "is required"),
        ("email", "thu.ha.nguyen", "is not an email address"),
        ("started_on", "30/12/2024", "write it as YYYY-MM-DD"),
        ("left_on", "2025-13-01", "is not a date"),
        ("login", "x" * 101, "too long"),
        ("name", "Tom\x07Beckett", "control characters"),
    ],
)
def test_parse_names_the_field_of_a_bad_value(field: str, value: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message) as caught:
        people.parse(GOOD | {field: value})
    assert caught.value.field == field


def test_a_person_reads_back_as_the_text_they_were_saved_from(db: Database) -> None:
    with db.transaction(ACTOR) as session:
        row = people.as_row(people.save(session, people.parse(GOOD)))
    assert row == GOOD | {"name": "Nguyễn Thu Hà", "role": "employee"}


def test_everyone_is_listed_in_name_order(db: Database) -> None:
    for name in ("zara Hartley", "Ayşe Ağca", "Tom Beckett", "Priya Shah"):
        add(db, PersonData(name, Role.EMPLOYEE))
    with db.read() as session:
        assert [p.name for p in people.all_people(session)] == [
            "Ayşe Ağca",
            "Priya Shah",
            "Tom Beckett",
            "zara Hartley",
        ]


# --- single-line fields -------------------------------------------------------------------------


def _single_line_cases() -> list[tuple[str, object, dict[str, str]]]:
    from clerk_desk.incidents import records as incident_records
    from clerk_desk.register import accounts

    person = {"name": "Tom Beckett", "role": "volunteer", "job_title": "Helper", "login": "tbeckett"}
    account = {"platform": "Facebook", "handle": "@Town", "status": "proposed", "approved_by": "Zoë Hartley"}
    incident = {"reference": "INC-2026-001", "category": "other", "title": "Odd post", "description": "Seen"}
    return [
        *[(f, people.parse, person) for f in ("name", "job_title", "login")],
        *[(f, accounts.parse, account) for f in ("platform", "handle", "approved_by")],
        *[(f, partial(incident_records.parse, zone=LONDON), incident) for f in ("title", "reference")],
    ]


@pytest.mark.parametrize("bad", ["\n", "\r", "\u2028", "\x85"])
@pytest.mark.parametrize(("field", "parse", "values"), _single_line_cases())
def test_a_single_line_field_refuses_a_line_break_naming_the_field(
    field: str, parse: Any, values: dict[str, str], bad: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        parse({**values, field: f"Tom{bad}2026 x"})
    assert caught.value.field == field
    assert str(caught.value) == f"{field}: must be a single line (it contains a line break)"


@pytest.mark.parametrize("bad", ["\t", "\x1b[2J", "\x00", "\x9b"])
def test_a_single_line_field_refuses_control_characters(bad: str) -> None:
    with pytest.raises(ValidationError, match="contains control characters") as caught:
        people.parse({"name": f"Tom{bad}Beckett", "role": "volunteer"})
    assert caught.value.field == "name"


def test_a_multi_line_field_keeps_its_lines_as_newlines() -> None:
    from clerk_desk.incidents import records as incident_records

    data = incident_records.parse(
        {"category": "other", "title": "Odd post", "description": "First\r\nSecond\u2028Third\tcolumn"},
        LONDON,
    )
    assert data.description == "First\nSecond\nThird\tcolumn"
    with pytest.raises(ValidationError, match="contains control characters"):
        incident_records.parse({"category": "other", "title": "Odd post", "description": "Bell\x07"}, LONDON)
