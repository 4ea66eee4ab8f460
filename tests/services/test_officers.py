"""Designated officers: who may post in the council's name, on which accounts, designated by whom."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from typing import Any

import factories
import pytest
from sqlalchemy import select

from clerk_desk.access import officers
from clerk_desk.access.officers import OfficerData
from clerk_desk.errors import PermissionDenied, PolicyViolation, StaleEditError, ValidationError
from clerk_desk.models import AccountStatus, AuditEntry, Designation, Role
from clerk_desk.register import people
from clerk_desk.storage.db import Database
from services.helpers import row_counts

TODAY = date(2026, 11, 21)
ACTOR = "Zoë Hartley"
DEPUTY = "Łukasz Nowak"
STAFF = "Nguyễn Thu Hà"
COUNCILLOR = "Cllr Margaret Oduya"
FACEBOOK = "Facebook:@TownCouncil"
X = "X:@Town"
CLOSED = "Flickr:archive"
CLAUSE = "district policy 5a; Thornbury 3"


@pytest.fixture
def council(db: Database) -> Database:
    with db.transaction(ACTOR) as session:
        factories.person(session, ACTOR, Role.CLERK)
        factories.person(session, DEPUTY, Role.DEPUTY_CLERK)
        factories.person(session, STAFF, Role.EMPLOYEE)
        factories.person(session, "Tom Beckett", Role.VOLUNTEER, left_on=date(2026, 10, 1))
        factories.person(session, COUNCILLOR, Role.COUNCILLOR)
        factories.approved_account(session, TODAY)
        factories.approved_account(session, TODAY, platform="X", handle="@Town")
        factories.approved_account(
            session, TODAY, platform="Flickr", handle="archive", status=AccountStatus.CLOSED, closed_on=TODAY
        )
    return db


def officer_data(**fields: Any) -> OfficerData:
    return replace(OfficerData(STAFF, (FACEBOOK, X), ACTOR, date(2026, 6, 1)), **fields)


def designate(db: Database, actor: str = ACTOR, **fields: Any) -> tuple[int, int]:
    with db.transaction(actor) as session:
        saved = officers.save(session, officer_data(**fields), TODAY)
        return saved.id, saved.version


def load(db: Database, designation_id: int) -> Designation:
    with db.read() as session:
        return officers.get(session, designation_id)


def refused(db: Database, error: type[Exception], **fields: Any) -> Any:
    before = row_counts(db)
    with pytest.raises(error) as caught, db.transaction(ACTOR) as session:
        officers.save(session, officer_data(**fields), TODAY)
    assert row_counts(db) == before
    return caught.value


def test_an_officer_is_designated_for_named_accounts(council: Database) -> None:
    designation_id, version = designate(council, designated_by=DEPUTY)
    saved = load(council, designation_id)
    assert (saved.person.name, saved.designated_on, saved.ended_on, version) == (
        STAFF,
        date(2026, 6, 1),
        None,
        1,
    )
    assert saved.designated_by is not None and saved.designated_by.name == DEPUTY
    assert [a.name for a in saved.accounts] == [FACEBOOK, X]
    assert saved.scope == f"{FACEBOOK}; {X}"
    assert saved.in_force(TODAY) and not saved.in_force(date(2026, 5, 31))
    with council.read() as session:
        entry = session.execute(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).scalar_one()
    assert (entry.action, entry.subject_type, entry.subject_label) == (
        "create",
        "Designation",
        f"{STAFF} (designated officer)",
    )
    assert json.loads(entry.changes)["scope"] == [None, f"{FACEBOOK}; {X}"]


def test_a_designation_is_read_from_text_with_accounts_separated_by_semicolons(council: Database) -> None:
    row = {
        "person": STAFF,
        "accounts": f" {X} ; {FACEBOOK};; ",
        "designated_by": ACTOR,
        "designated_on": "2026-06-01",
        "ended_on": "",
    }
    data = officers.parse(row)
    assert data == OfficerData(STAFF, (X, FACEBOOK), ACTOR, date(2026, 6, 1))
    with council.transaction(ACTOR) as session:
        saved = officers.save(session, data, TODAY)
        assert officers.as_row(saved) == row | {"accounts": f"{FACEBOOK};{X}"}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("person", "", "person: is required"),
        ("designated_on", "", "designated_on: is required"),
        ("designated_on", "1 June", "designated_on: '1 June' is not a date; write it as YYYY-MM-DD"),
        ("ended_on", "soon", "ended_on: 'soon' is not a date; write it as YYYY-MM-DD"),
    ],
)
def test_a_bad_value_is_refused_naming_its_field(field: str, value: str, message: str) -> None:
    row = {"person": STAFF, "accounts": FACEBOOK, "designated_by": ACTOR, "designated_on": "2026-06-01"}
    with pytest.raises(ValidationError) as caught:
        officers.parse({**row, field: value})
    assert str(caught.value) == message


def test_the_accounts_and_the_scope_are_kept_in_step(council: Database) -> None:
    # Given in any order and with repeats: one of each, in the order the register lists them.
    designation_id, version = designate(council, accounts=(X, FACEBOOK, "facebook:@towncouncil"))
    saved = load(council, designation_id)
    assert [a.name for a in saved.accounts] == [FACEBOOK, X]
    assert saved.scope == "; ".join(a.name for a in saved.accounts)
    with council.transaction(ACTOR) as session:
        officers.save(
            session,
            officer_data(accounts=(X,)),
            TODAY,
            designation_id=designation_id,
            expected_version=version,
        )
    saved = load(council, designation_id)
    assert ([a.name for a in saved.accounts], saved.scope, saved.version) == ([X], X, 2)
    assert row_counts(council)["designation_accounts"] == 1


def test_saving_the_same_designation_again_changes_nothing(council: Database) -> None:
    designation_id, version = designate(council, accounts=(X, FACEBOOK))
    before = row_counts(council)
    with council.transaction(ACTOR) as session:
        data = officers.parse(officers.as_row(officers.get(session, designation_id)))
        officers.save(session, data, TODAY, designation_id=designation_id, expected_version=version)
    assert row_counts(council) == before  # not even an audit entry
    assert load(council, designation_id).version == version


def test_a_councillor_cannot_be_designated(council: Database) -> None:
    error = refused(council, PolicyViolation, person=COUNCILLOR)
    assert (error.field, error.clause) == ("person", "Thornbury 9.2")
    assert "(Thornbury 9.2)" in str(error)
    # An ended designation is history, and may be recorded.
    designate(council, person=COUNCILLOR, designated_on=date(2024, 1, 8), ended_on=date(2025, 5, 2))


@pytest.mark.parametrize(
    ("designator", "message"),
    [
        (None, "a designation needs the clerk or deputy clerk who approved it"),
        (STAFF, f"a designation is approved by the clerk or deputy clerk; {STAFF} is employee"),
        (COUNCILLOR, f"a designation is approved by the clerk or deputy clerk; {COUNCILLOR} is councillor"),
    ],
)
def test_officers_are_designated_by_the_clerk_or_deputy(
    council: Database, designator: str | None, message: str
) -> None:
    error = refused(council, PolicyViolation, designated_by=designator)
    assert (error.field, error.clause) == ("designated_by", CLAUSE)
    assert str(error) == f"designated_by: {message} ({CLAUSE})"


def test_only_the_clerk_or_deputy_may_designate(council: Database) -> None:
    with (
        pytest.raises(PermissionDenied, match="may designate officers"),
        council.transaction(STAFF) as session,
    ):
        officers.save(session, officer_data(person=DEPUTY), TODAY)
    assert row_counts(council)["designations"] == 0


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (dict(accounts=()), f"accounts: name at least one account the officer may post on ({CLAUSE})"),
        (dict(accounts=(FACEBOOK, "X:@Nobody")), "accounts: 'X:@Nobody' is not in the register"),
        (dict(accounts=(FACEBOOK, CLOSED)), f"accounts: {CLOSED} is closed"),
        (dict(person="Tom Beckett"), "person: Tom Beckett left on 2026-10-01"),
        (dict(person="Nobody Known"), "person: 'Nobody Known' is not in People"),
        (dict(designated_on=date(2026, 11, 22)), "designated_on: is in the future"),
        (dict(ended_on=date(2026, 5, 31)), "ended_on: is before designated_on"),
    ],
)
def test_an_impossible_designation_is_refused(
    council: Database, fields: dict[str, Any], message: str
) -> None:
    assert str(refused(council, ValidationError, **fields)).startswith(message)


def test_history_may_name_closed_accounts_and_leavers(council: Database) -> None:
    designation_id, _ = designate(
        council,
        person="Tom Beckett",
        accounts=(CLOSED,),
        designated_on=date(2024, 1, 8),
        ended_on=date(2026, 10, 1),
    )
    assert not load(council, designation_id).in_force(TODAY)


def test_one_designation_per_person_per_day(council: Database) -> None:
    designate(council)
    error = refused(council, ValidationError, accounts=(X,))
    assert str(error) == f"designated_on: {STAFF} already has a designation made that day"
    designate(council, designated_on=date(2026, 6, 2), accounts=(X,))


def test_ending_a_designation_keeps_it_on_record(council: Database) -> None:
    designation_id, version = designate(council)
    with council.transaction(DEPUTY) as session:
        officers.end(session, designation_id, version, date(2026, 11, 20), TODAY)
    ended = load(council, designation_id)
    assert (ended.ended_on, ended.version) == (date(2026, 11, 20), 2)
    assert [a.name for a in ended.accounts] == [FACEBOOK, X]  # the sites stay on record
    assert ended.in_force(date(2026, 11, 19)) and not ended.in_force(TODAY)
    assert row_counts(council)["designations"] == 1
    with council.read() as session:
        entry = session.execute(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).scalar_one()
    assert (entry.action, entry.actor, json.loads(entry.changes)) == (
        "archive",
        DEPUTY,
        {"ended_on": [None, "2026-11-20"]},
    )
    with pytest.raises(ValidationError, match="already ended"), council.transaction(ACTOR) as session:
        officers.end(session, designation_id, 2, TODAY, TODAY)


def test_a_designation_of_someone_since_elected_can_still_be_ended(council: Database) -> None:
    designation_id, version = designate(council)
    with council.transaction(ACTOR) as session:
        staff = people.by_name(session, STAFF)
        assert staff is not None
        # As in a database from before the rule: the service ends designations when someone is elected.
        staff.role = Role.COUNCILLOR.value
    with council.transaction(ACTOR) as session:
        officers.end(session, designation_id, version, TODAY, TODAY)
    assert load(council, designation_id).ended_on == TODAY


@pytest.mark.parametrize(("ended_on", "message"), [(date(2026, 5, 31), "ended_on: is before designated_on")])
def test_an_end_before_the_start_is_refused(council: Database, ended_on: date, message: str) -> None:
    designation_id, version = designate(council)
    with pytest.raises(ValidationError) as caught, council.transaction(ACTOR) as session:
        officers.end(session, designation_id, version, ended_on, TODAY)
    assert str(caught.value) == message
    assert load(council, designation_id).ended_on is None


def test_ending_from_a_stale_form_is_refused(council: Database) -> None:
    designation_id, version = designate(council)
    with council.transaction(DEPUTY) as session:
        officers.save(session, officer_data(accounts=(X,)), TODAY, designation_id=designation_id)
    with pytest.raises(StaleEditError), council.transaction(ACTOR) as session:
        officers.end(session, designation_id, version, TODAY, TODAY)
    assert load(council, designation_id).ended_on is None


def test_end_all_for_ends_only_that_persons_designations_in_force(council: Database) -> None:
    first, _ = designate(council)
    earlier, _ = designate(council, designated_on=date(2025, 1, 6), ended_on=date(2025, 12, 31))
    other, _ = designate(council, person=DEPUTY)
    with council.transaction(ACTOR) as session:
        staff = people.by_name(session, STAFF)
        assert staff is not None
        assert officers.end_all_for(session, staff, date(2026, 11, 20)) == 1
    assert load(council, first).ended_on == date(2026, 11, 20)
    assert load(council, earlier).ended_on == date(2025, 12, 31)
    assert load(council, other).ended_on is None
