"""Delegated access: grants with a business case and an approver, revocation that keeps the history,
no councillor holding keys (Thornbury 9.2), and the leaver step."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from typing import Any

import factories
import pytest
from sqlalchemy import select

from clerk_desk.access import grants as access
from clerk_desk.access import leaving
from clerk_desk.access.grants import GrantData
from clerk_desk.checks import engine as checks
from clerk_desk.credentials import service as credentials
from clerk_desk.errors import PermissionDenied, PolicyViolation, StaleEditError, ValidationError
from clerk_desk.models import AccessLevel, AccountStatus, AuditEntry, Grant, Person, Role
from clerk_desk.register import people
from clerk_desk.storage.clock import FixedClock
from clerk_desk.storage.db import Database
from services.helpers import give_keys, row_counts

TODAY = date(2026, 11, 21)
ACTOR = "Zoë Hartley"
DEPUTY = "Łukasz Nowak"
STAFF = "Nguyễn Thu Hà"
COUNCILLOR = "Cllr Margaret Oduya"
FACEBOOK = "Facebook:@TownCouncil"
X = "X:@Town"
INSTAGRAM = "Instagram:@town"
CLOSED = "Flickr:archive"


@pytest.fixture
def council(db: Database) -> Database:
    """The clerk and deputy, a member of staff, a volunteer and a councillor; three accounts in use (their
    passwords last changed 2026-10-01) and one closed."""
    with db.transaction(ACTOR) as session:
        factories.person(session, ACTOR, Role.CLERK, login="zhartley")
        factories.person(session, DEPUTY, Role.DEPUTY_CLERK, login="lnowak")
        factories.person(session, STAFF, Role.EMPLOYEE)
        factories.person(session, "Tom Beckett", Role.VOLUNTEER)
        factories.person(session, COUNCILLOR, Role.COUNCILLOR)
        factories.approved_account(session, TODAY)
        factories.approved_account(session, TODAY, platform="X", handle="@Town")
        factories.approved_account(session, TODAY, platform="Instagram", handle="@town")
        factories.approved_account(
            session,
            TODAY,
            platform="Flickr",
            handle="archive",
            status=AccountStatus.CLOSED,
            closed_on=date(2026, 3, 1),
        )
    return db


def grant_data(**fields: Any) -> GrantData:
    data = GrantData(
        person=STAFF,
        account=FACEBOOK,
        level=AccessLevel.POST,
        business_case="Posts news and events",
        approved_by=ACTOR,
        granted_on=date(2026, 6, 1),
    )
    return replace(data, **fields)


def grant(db: Database, actor: str = ACTOR, **fields: Any) -> tuple[int, int]:
    with db.transaction(actor) as session:
        saved = access.save(session, grant_data(**fields), TODAY)
        return saved.id, saved.version


def load(db: Database, grant_id: int) -> Grant:
    with db.read() as session:
        return access.get(session, grant_id)


def refused(db: Database, error: type[Exception], **fields: Any) -> Any:
    """The error a grant with these fields is refused with; nothing at all is saved."""
    before = row_counts(db)
    with pytest.raises(error) as caught, db.transaction(ACTOR) as session:
        access.save(session, grant_data(**fields), TODAY)
    assert row_counts(db) == before
    return caught.value


def audit_trail(db: Database) -> list[AuditEntry]:
    with db.read() as session:
        return list(session.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars())


def findings(db: Database, clock: FixedClock, *rules: str) -> list[tuple[str, str]]:
    with db.read() as session:
        return [(f.rule, f.subject) for f in checks.run(session, clock) if f.rule in rules]


# --- a grant ------------------------------------------------------------------------------------


def test_a_grant_is_recorded_with_its_business_case_approver_and_dates(council: Database) -> None:
    grant_id, version = grant(
        council, level=AccessLevel.MANAGE, approved_by=DEPUTY, expires_on=date(2027, 6, 1)
    )
    saved = load(council, grant_id)
    assert (saved.person.name, saved.account.name, saved.level) == (STAFF, FACEBOOK, "manage")
    assert (saved.business_case, saved.approved_by.name if saved.approved_by else None) == (
        "Posts news and events",
        DEPUTY,
    )
    assert (saved.granted_on, saved.expires_on) == (date(2026, 6, 1), date(2027, 6, 1))
    assert (saved.revoked_on, saved.revoked_by, saved.revoke_reason, version) == (None, None, None, 1)
    assert saved.label == f"{STAFF} → {FACEBOOK}"
    assert saved.in_force(TODAY) and not saved.in_force(date(2026, 5, 31))
    assert not saved.in_force(date(2027, 6, 1))
    entry = audit_trail(council)[-1]
    assert (entry.action, entry.subject_type, entry.subject_label, entry.actor) == (
        "create",
        "Grant",
        f"{STAFF} → {FACEBOOK}",
        ACTOR,
    )
    assert json.loads(entry.changes)["business_case"] == [None, "Posts news and events"]


def test_a_grant_is_read_from_text_and_written_back_the_same(council: Database) -> None:
    row = {
        "person": f"  {STAFF} ",
        "account": FACEBOOK,
        "level": "Manage",
        "business_case": "Posts news",
        "approved_by": ACTOR,
        "granted_on": "2026-06-01",
        "expires_on": "2027-01-31",
        "revoked_on": "",
        "revoke_reason": "",
    }
    data = access.parse(row)
    assert data == GrantData(
        STAFF, FACEBOOK, AccessLevel.MANAGE, "Posts news", ACTOR, date(2026, 6, 1), date(2027, 1, 31)
    )
    with council.transaction(ACTOR) as session:
        saved = access.save(session, data, TODAY)
        assert access.as_row(saved) == row | {"person": STAFF, "level": "manage"}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("person", "", "is required"),
        ("account", " ", "is required"),
        ("level", "owner", "'owner' is not one of post, manage"),
        ("level", "", "is required; one of post, manage"),
        ("granted_on", "", "is required"),
        ("granted_on", "01/06/2026", "'01/06/2026' is not a date; write it as YYYY-MM-DD"),
        ("expires_on", "next year", "'next year' is not a date"),
        ("revoked_on", "2026-13-01", "'2026-13-01' is not a date"),
    ],
)
def test_a_bad_value_is_refused_naming_its_field(field: str, value: str, message: str) -> None:
    row = {"person": STAFF, "account": FACEBOOK, "level": "post", "granted_on": "2026-06-01", field: value}
    with pytest.raises(ValidationError) as caught:
        access.parse(row)
    assert caught.value.field == field
    assert str(caught.value).startswith(f"{field}: {message}")


# --- Thornbury 9.2: no elected member holds direct access ---------------------------------------


@pytest.mark.parametrize("level", list(AccessLevel))
def test_a_grant_to_a_councillor_is_refused_citing_9_2(council: Database, level: AccessLevel) -> None:
    error = refused(council, PolicyViolation, person=COUNCILLOR, level=level)
    assert (error.field, error.clause) == ("person", "Thornbury 9.2")
    assert str(error) == (
        "person: elected members may not hold direct access to council accounts; "
        f"{COUNCILLOR} is a councillor (Thornbury 9.2)"
    )


def test_a_revoked_historic_grant_of_someone_now_a_councillor_is_accepted(
    council: Database, clock: FixedClock
) -> None:
    grant_id, _ = grant(
        council,
        person=COUNCILLOR,
        granted_on=date(2024, 1, 8),
        revoked_on=date(2025, 5, 2),
        revoke_reason="Elected to the council in May 2025",
    )
    saved = load(council, grant_id)
    assert (saved.person.name, saved.revoked_on) == (COUNCILLOR, date(2025, 5, 2))
    assert findings(council, clock, "councillor-access") == []


def test_a_keyholder_becomes_a_councillor_only_with_their_grants_revoked(council: Database) -> None:
    facebook_id, _ = grant(council)
    x_id, _ = grant(council, account=X, level=AccessLevel.MANAGE)
    with council.read() as session:
        person = people.by_name(session, STAFF)
        assert person is not None
        person_id, version = person.id, person.version
    elected = people.PersonData(STAFF, Role.COUNCILLOR)
    before = row_counts(council)
    with pytest.raises(PolicyViolation) as caught, council.transaction(ACTOR) as session:
        people.save(session, elected, person_id=person_id, expected_version=version)
    assert (caught.value.field, caught.value.clause) == ("role", "Thornbury 9.2")
    assert str(caught.value) == (
        f"role: {STAFF} holds access to {FACEBOOK}, {X}; a councillor may not, so revoke it in the same "
        "step (Thornbury 9.2)"
    )
    assert row_counts(council) == before
    with council.read() as session:
        assert people.get(session, person_id).role == "employee"
    assert load(council, facebook_id).revoked_on is None

    with council.transaction(DEPUTY) as session:
        leaving.save_person(
            session, elected, person_id=person_id, expected_version=version, revoke_grants=True
        )
    with council.read() as session:
        assert people.get(session, person_id).role == "councillor"
    for grant_id in (facebook_id, x_id):
        revoked = load(council, grant_id)
        assert revoked.revoked_on == TODAY
        assert revoked.revoke_reason == "Became a councillor (Thornbury 9.2)"
        assert revoked.revoked_by is not None and revoked.revoked_by.name == DEPUTY
    # One transaction: the new role and both revocations, one audit entry each, naming who revoked.
    entries = audit_trail(council)[-3:]
    assert sorted((e.action, e.subject_type) for e in entries) == [
        ("archive", "Grant"),
        ("archive", "Grant"),
        ("update", "Person"),
    ]
    assert [json.loads(e.changes)["revoked_by"] for e in entries if e.subject_type == "Grant"] == [
        [None, DEPUTY],
        [None, DEPUTY],
    ]
    assert row_counts(council)["grants"] == 2  # revoking keeps the rows


def test_becoming_a_councillor_and_the_revocations_are_undone_together(council: Database) -> None:
    grant_id, _ = grant(council)
    before = row_counts(council)
    with pytest.raises(RuntimeError), council.transaction(ACTOR) as session:
        person = people.by_name(session, STAFF)
        assert person is not None
        leaving.save_person(
            session, people.PersonData(STAFF, Role.COUNCILLOR), person_id=person.id, revoke_grants=True
        )
        session.flush()
        raise RuntimeError("the power went off")
    assert row_counts(council) == before
    assert load(council, grant_id).revoked_on is None


def test_someone_without_access_becomes_a_councillor_without_being_asked(council: Database) -> None:
    grant(council, revoked_on=date(2026, 7, 1), revoke_reason="Project finished")
    with council.transaction(ACTOR) as session:
        person = people.by_name(session, STAFF)
        assert person is not None
        people.save(session, people.PersonData(STAFF, Role.COUNCILLOR), person_id=person.id)
    with council.read() as session:
        assert people.by_name(session, STAFF).role == "councillor"  # type: ignore[union-attr]


def test_a_designated_officer_becomes_a_councillor_only_with_the_designation_ended(council: Database) -> None:
    with council.transaction(ACTOR) as session:
        factories.designation(session, TODAY, person=STAFF, accounts=(FACEBOOK,))
    with pytest.raises(PolicyViolation) as caught, council.transaction(ACTOR) as session:
        person = people.by_name(session, STAFF)
        assert person is not None
        people.save(session, people.PersonData(STAFF, Role.COUNCILLOR), person_id=person.id)
    assert str(caught.value) == (
        f"role: {STAFF} is a designated officer for {FACEBOOK}; a councillor may not, so revoke it in the "
        "same step (Thornbury 9.2)"
    )
    with council.transaction(ACTOR) as session:
        person = people.by_name(session, STAFF)
        assert person is not None
        leaving.save_person(
            session, people.PersonData(STAFF, Role.COUNCILLOR), person_id=person.id, revoke_grants=True
        )
    with council.read() as session:
        from clerk_desk.access import officers

        assert [d.ended_on for d in officers.all_designations(session)] == [TODAY]


# --- the business case and the approver (Thornbury 9.1, 3.1.1) ----------------------------------


@pytest.mark.parametrize("business_case", [None, ""])
def test_a_grant_needs_a_business_case(council: Database, business_case: str | None) -> None:
    error = refused(council, PolicyViolation, business_case=business_case)
    assert (error.field, error.clause) == ("business_case", "Thornbury 9.1; Thornbury 3.1.1")
    assert str(error) == (
        "business_case: access is delegated case by case, each with its business case "
        "(Thornbury 9.1; Thornbury 3.1.1)"
    )


@pytest.mark.parametrize(
    ("approver", "message"),
    [
        (None, "access needs the clerk or deputy clerk who approved it"),
        (STAFF, f"access is approved by the clerk or deputy clerk; {STAFF} is employee"),
        (COUNCILLOR, f"access is approved by the clerk or deputy clerk; {COUNCILLOR} is councillor"),
    ],
)
def test_access_is_approved_by_the_clerk_or_deputy(
    council: Database, approver: str | None, message: str
) -> None:
    error = refused(council, PolicyViolation, approved_by=approver)
    assert (error.field, error.clause) == ("approved_by", "Thornbury 9.1")
    assert str(error) == f"approved_by: {message} (Thornbury 9.1)"


def test_an_approver_not_in_people_is_refused(council: Database) -> None:
    error = refused(council, ValidationError, approved_by="Nobody Known")
    assert str(error) == "approved_by: 'Nobody Known' is not in People"


def test_an_approver_who_has_since_changed_role_stays_on_the_grant(council: Database) -> None:
    grant_id, version = grant(council, approved_by=DEPUTY)
    with council.transaction(ACTOR) as session:
        deputy = people.by_name(session, DEPUTY)
        assert deputy is not None
        people.save(session, people.PersonData(DEPUTY, Role.EMPLOYEE, login="lnowak"), person_id=deputy.id)
    with council.transaction(ACTOR) as session:
        access.save(
            session,
            grant_data(approved_by=DEPUTY.upper(), expires_on=date(2027, 1, 1)),
            TODAY,
            grant_id=grant_id,
            expected_version=version,
        )
    saved = load(council, grant_id)
    assert saved.expires_on == date(2027, 1, 1)
    assert saved.approved_by is not None and saved.approved_by.name == DEPUTY
    # A new approver must be the clerk or deputy now.
    with pytest.raises(PolicyViolation), council.transaction(ACTOR) as session:
        access.save(session, grant_data(approved_by=STAFF), TODAY, grant_id=grant_id)


def test_only_the_clerk_or_deputy_may_grant_access(council: Database) -> None:
    before = row_counts(council)
    with pytest.raises(PermissionDenied) as caught, council.transaction(STAFF) as session:
        access.save(session, grant_data(person="Tom Beckett"), TODAY)
    assert str(caught.value) == (
        f"Only the clerk or deputy clerk may grant or change access (Thornbury 9.1); {STAFF} is employee."
    )
    assert row_counts(council) == before


# --- dates, accounts and people -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            dict(granted_on=date(2026, 11, 22)),
            "granted_on",
            "is in the future; record a grant when it is made",
        ),
        (dict(expires_on=date(2026, 6, 1)), "expires_on", "must be after granted_on"),
        (dict(expires_on=date(2026, 5, 1)), "expires_on", "must be after granted_on"),
        (
            dict(revoked_on=date(2026, 5, 31), revoke_reason="Mistake"),
            "revoked_on",
            "is before granted_on",
        ),
        (dict(revoked_on=date(2026, 11, 22), revoke_reason="Planned"), "revoked_on", "is in the future"),
        (dict(revoked_on=date(2026, 7, 1)), "revoke_reason", "is required when access is revoked"),
        (dict(revoke_reason="Left"), "revoke_reason", "must be blank unless revoked_on is given"),
    ],
)
def test_impossible_dates_are_refused(
    council: Database, fields: dict[str, Any], field: str, message: str
) -> None:
    error = refused(council, ValidationError, **fields)
    assert str(error) == f"{field}: {message}"


def test_the_boundary_dates_are_accepted(council: Database) -> None:
    grant_id, _ = grant(council, granted_on=TODAY, expires_on=date(2026, 11, 22))
    assert load(council, grant_id).in_force(TODAY)
    grant_id, _ = grant(
        council, account=X, granted_on=date(2026, 6, 1), revoked_on=date(2026, 6, 1), revoke_reason="Typo"
    )
    assert load(council, grant_id).revoked_on == date(2026, 6, 1)


def test_a_closed_account_cannot_be_granted(council: Database) -> None:
    error = refused(council, ValidationError, account=CLOSED)
    assert str(error) == f"account: {CLOSED} is closed"
    # Its history can still be recorded.
    grant(
        council,
        account=CLOSED,
        granted_on=date(2025, 1, 6),
        revoked_on=date(2026, 3, 1),
        revoke_reason="Closed",
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (dict(person="Nobody Known"), "person: 'Nobody Known' is not in People"),
        (
            dict(account="Facebook:@SomeoneElse"),
            "account: 'Facebook:@SomeoneElse' is not in the register (write it as Platform:handle)",
        ),
    ],
)
def test_unknown_people_and_accounts_are_refused(
    council: Database, fields: dict[str, Any], message: str
) -> None:
    assert str(refused(council, ValidationError, **fields)) == message


@pytest.mark.parametrize("granted_on", [date(2026, 10, 1), date(2026, 11, 1)])
def test_someone_who_has_left_cannot_be_granted_access(council: Database, granted_on: date) -> None:
    with council.transaction(ACTOR) as session:
        tom = people.by_name(session, "Tom Beckett")
        assert tom is not None
        people.record_leaving(session, tom.id, tom.version, date(2026, 10, 1))
    error = refused(council, ValidationError, person="Tom Beckett", granted_on=granted_on)
    assert str(error) == "person: Tom Beckett left on 2026-10-01"


def test_the_same_person_account_and_day_is_one_grant(council: Database) -> None:
    grant(council)
    error = refused(council, ValidationError, person=STAFF.upper(), level=AccessLevel.MANAGE)
    assert str(error) == f"granted_on: {STAFF} already has a grant to {FACEBOOK} made that day"
    grant(council, granted_on=date(2026, 6, 2))
    assert row_counts(council)["grants"] == 2


def test_an_edit_from_a_stale_form_is_refused(council: Database) -> None:
    grant_id, version = grant(council)
    with council.transaction(DEPUTY) as session:
        access.save(
            session, grant_data(level=AccessLevel.MANAGE), TODAY, grant_id=grant_id, expected_version=version
        )
    before = row_counts(council)
    with (
        pytest.raises(StaleEditError, match="changed by someone else"),
        council.transaction(ACTOR) as session,
    ):
        access.save(
            session,
            grant_data(expires_on=date(2027, 1, 1)),
            TODAY,
            grant_id=grant_id,
            expected_version=version,
        )
    assert row_counts(council) == before
    saved = load(council, grant_id)
    assert (saved.level, saved.expires_on, saved.version) == ("manage", None, 2)


# --- revoking -----------------------------------------------------------------------------------


def test_revoking_records_who_when_and_why_and_keeps_the_row(council: Database) -> None:
    grant_id, version = grant(council)
    with council.transaction(DEPUTY) as session:
        access.revoke(session, grant_id, version, date(2026, 11, 20), "  No longer posts for us ", TODAY)
    revoked = load(council, grant_id)
    assert (revoked.revoked_on, revoked.revoke_reason) == (date(2026, 11, 20), "No longer posts for us")
    assert revoked.revoked_by is not None and revoked.revoked_by.name == DEPUTY
    assert (revoked.business_case, revoked.version) == ("Posts news and events", 2)
    assert not revoked.in_force(TODAY)
    assert row_counts(council)["grants"] == 1
    entry = audit_trail(council)[-1]
    assert (entry.action, entry.subject_type, entry.actor) == ("archive", "Grant", DEPUTY)
    changes = json.loads(entry.changes)
    assert changes["revoked_on"] == [None, "2026-11-20"]
    assert changes["revoked_by"] == [None, DEPUTY]


@pytest.mark.parametrize(
    ("revoked_on", "reason", "message"),
    [
        (TODAY, "   ", "revoke_reason: is required when access is revoked"),
        (date(2026, 5, 1), "Mistake", "revoked_on: is before granted_on"),
        (date(2026, 11, 22), "Leaving", "revoked_on: is in the future"),
    ],
)
def test_a_revocation_needs_a_reason_and_a_possible_date(
    council: Database, revoked_on: date, reason: str, message: str
) -> None:
    grant_id, version = grant(council)
    before = row_counts(council)
    with pytest.raises(ValidationError) as caught, council.transaction(ACTOR) as session:
        access.revoke(session, grant_id, version, revoked_on, reason, TODAY)
    assert str(caught.value) == message
    assert row_counts(council) == before


def test_a_grant_is_revoked_once(council: Database) -> None:
    grant_id, version = grant(council)
    with council.transaction(ACTOR) as session:
        access.revoke(session, grant_id, version, TODAY, "Done", TODAY)
    with pytest.raises(ValidationError) as caught, council.transaction(ACTOR) as session:
        access.revoke(session, grant_id, version + 1, TODAY, "Again", TODAY)
    assert str(caught.value) == f"revoked_on: {STAFF} → {FACEBOOK} was already revoked on 2026-11-21"


def test_revoking_from_a_stale_form_is_refused(council: Database) -> None:
    grant_id, version = grant(council)
    with council.transaction(ACTOR) as session:
        access.save(session, grant_data(expires_on=date(2027, 1, 1)), TODAY, grant_id=grant_id)
    with pytest.raises(StaleEditError), council.transaction(DEPUTY) as session:
        access.revoke(session, grant_id, version, TODAY, "No longer needed", TODAY)
    assert load(council, grant_id).revoked_on is None


def test_a_grant_made_before_the_rules_can_still_be_revoked(council: Database, clock: FixedClock) -> None:
    """A grant with no business case (from before Clerk Desk) is revoked as the finding asks."""
    with council.transaction(ACTOR) as session:
        staff = people.by_name(session, STAFF)
        clerk = people.by_name(session, ACTOR)
        facebook = access.resolve_account(session, FACEBOOK)
        session.add(
            Grant(
                person=staff, account=facebook, level="post", approved_by=clerk, granted_on=date(2025, 1, 6)
            )
        )
    assert findings(council, clock, "grant-no-business-case") == [("grant-no-business-case", STAFF)]
    with council.read() as session:
        (old,) = access.all_grants(session)
        grant_id, version = old.id, old.version
    with council.transaction(ACTOR) as session:
        access.revoke(session, grant_id, version, TODAY, "No business case on record", TODAY)
    assert findings(council, clock, "grant-no-business-case") == []


# --- leaving ------------------------------------------------------------------------------------


def person_named(db: Database, name: str) -> Person:
    with db.read() as session:
        person = people.by_name(session, name)
        assert person is not None
        return person


def test_the_leaver_step_revokes_ends_and_names_the_passwords_to_change(council: Database) -> None:
    from clerk_desk.access import officers

    facebook_id, _ = grant(council)
    x_id, _ = grant(council, account=X, expires_on=date(2027, 1, 1))
    # Access to Instagram ended last year, and its password has been changed since.
    grant(
        council,
        account=INSTAGRAM,
        granted_on=date(2025, 1, 6),
        revoked_on=date(2025, 6, 30),
        revoke_reason="Done",
    )
    with council.transaction(ACTOR) as session:
        factories.designation(session, TODAY, accounts=(FACEBOOK, X))
    staff = person_named(council, STAFF)
    entries_before = row_counts(council)["audit_entries"]
    with council.transaction(DEPUTY) as session:
        result = leaving.record_leaving(session, staff.id, staff.version, date(2026, 11, 20))
        assert (result.person.name, result.person.left_on) == (STAFF, date(2026, 11, 20))
        assert (result.grants_revoked, result.designations_ended) == (2, 1)
        assert result.accounts_to_change == [FACEBOOK, X]
    for grant_id in (facebook_id, x_id):
        revoked = load(council, grant_id)
        assert (revoked.revoked_on, revoked.revoke_reason) == (date(2026, 11, 20), "Left the council")
        assert revoked.revoked_by is not None and revoked.revoked_by.name == DEPUTY
    with council.read() as session:
        (designation,) = officers.all_designations(session)
        assert designation.ended_on == date(2026, 11, 20)
        assert [a.name for a in designation.accounts] == [FACEBOOK, X]
    # One audit entry for each record archived, each revocation naming who revoked it.
    entries = audit_trail(council)[entries_before:]
    assert sorted((e.action, e.subject_type, e.actor) for e in entries) == [
        ("archive", "Designation", DEPUTY),
        ("archive", "Grant", DEPUTY),
        ("archive", "Grant", DEPUTY),
        ("archive", "Person", DEPUTY),
    ]
    assert all(
        json.loads(e.changes)["revoked_by"] == [None, DEPUTY] for e in entries if e.subject_type == "Grant"
    )


def test_a_leaver_without_revoking_still_names_the_accounts_held(council: Database) -> None:
    grant(council)
    staff = person_named(council, STAFF)
    with council.transaction(ACTOR) as session:
        result = leaving.record_leaving(session, staff.id, staff.version, TODAY, revoke_access=False)
        assert (result.grants_revoked, result.designations_ended, result.accounts_to_change) == (
            0,
            0,
            [FACEBOOK],
        )
    with council.read() as session:
        (kept,) = access.all_grants(session)
        assert kept.revoked_on is None


def test_a_leavers_accounts_show_rotate_now_and_keyholder_left_until_revoked_and_changed(
    council: Database, clock: FixedClock, memory_keyring: Any
) -> None:
    """Done when: a leaver's accounts show rotate-now and keyholder-left until their grants are revoked and
    the passwords changed."""
    facebook_id, _ = grant(council)
    x_id, _ = grant(council, account=X, level=AccessLevel.MANAGE)
    staff = person_named(council, STAFF)
    with council.transaction(ACTOR) as session:
        leaving.record_leaving(session, staff.id, staff.version, date(2026, 11, 18), revoke_access=False)
    rules = ("keyholder-left", "rotate-now")
    assert findings(council, clock, *rules) == [
        ("keyholder-left", STAFF),
        ("keyholder-left", STAFF),
        ("rotate-now", FACEBOOK),
        ("rotate-now", X),
    ]
    with council.read() as session:
        rotate = [f for f in checks.run(session, clock) if f.rule == "rotate-now"]
    assert rotate[0].message == (
        f"Change the password of {FACEBOOK} now: {STAFF}, who held access, left on 2026-11-18, "
        "and it has not been changed since."
    )
    for grant_id in (facebook_id, x_id):
        with council.transaction(ACTOR) as session:
            access.revoke(session, grant_id, load(council, grant_id).version, TODAY, "Left", TODAY)
    assert findings(council, clock, *rules) == [("rotate-now", FACEBOOK), ("rotate-now", X)]
    give_keys(council, ACTOR, DEPUTY)
    with council.transaction(ACTOR) as session:
        credentials.set_password(
            session, access.resolve_account(session, FACEBOOK).id, "Fresh-Start-41!", changed_on_platform=True
        )
    assert findings(council, clock, *rules) == [("rotate-now", X)]
    with council.transaction(DEPUTY) as session:
        credentials.set_password(
            session, access.resolve_account(session, X).id, "Another-One-73?", changed_on_platform=True
        )
    assert findings(council, clock, *rules) == []
    # The passwords were sealed, and never went into the audit trail.
    trail = " ".join(f"{e.subject_label} {e.changes}" for e in audit_trail(council))
    assert "Fresh-Start-41!" not in trail and "Another-One-73?" not in trail
    assert "set password" in {e.action for e in audit_trail(council)}


def test_someone_who_left_cannot_leave_again(council: Database) -> None:
    staff = person_named(council, STAFF)
    with council.transaction(ACTOR) as session:
        leaving.record_leaving(session, staff.id, staff.version, TODAY)
    staff = person_named(council, STAFF)
    with pytest.raises(ValidationError) as caught, council.transaction(ACTOR) as session:
        leaving.record_leaving(session, staff.id, staff.version, TODAY)
    assert str(caught.value) == f"left_on: {STAFF} already left on 2026-11-21"


def test_the_leaver_step_from_a_stale_form_changes_nothing(council: Database) -> None:
    grant(council)
    staff = person_named(council, STAFF)
    with council.transaction(ACTOR) as session:
        people.save(session, people.PersonData(STAFF, Role.EMPLOYEE, job_title="Comms"), person_id=staff.id)
    before = row_counts(council)
    with pytest.raises(StaleEditError), council.transaction(ACTOR) as session:
        leaving.record_leaving(session, staff.id, staff.version, TODAY)
    assert row_counts(council) == before


# --- when access ends, and what expires ---------------------------------------------------------


@pytest.mark.parametrize(
    ("revoked_on", "left_on", "expires_on", "end"),
    [
        (None, None, None, None),
        (None, None, date(2026, 12, 1), None),  # expires later
        (date(2026, 11, 1), None, None, (date(2026, 11, 1), f"{STAFF}'s access was revoked")),
        (None, date(2026, 11, 2), None, (date(2026, 11, 2), f"{STAFF}, who held access, left")),
        (None, None, date(2026, 11, 3), (date(2026, 11, 3), f"{STAFF}'s access expired")),
        # The earliest end counts: any password change after it covers the rest.
        (
            date(2026, 11, 10),
            date(2026, 11, 2),
            date(2026, 11, 5),
            (date(2026, 11, 2), f"{STAFF}, who held access, left"),
        ),
        (None, date(2026, 12, 31), None, None),  # leaving later
    ],
)
def test_when_access_ended(
    revoked_on: date | None, left_on: date | None, expires_on: date | None, end: tuple[date, str] | None
) -> None:
    person = Person(name=STAFF, role="employee", left_on=left_on)
    held = Grant(person=person, granted_on=date(2026, 1, 5), revoked_on=revoked_on, expires_on=expires_on)
    assert access.access_end(held, TODAY) == end


def test_expiring_lists_grants_in_force_that_expire_within_the_window(council: Database) -> None:
    grant(council, expires_on=date(2026, 12, 5))  # in 14 days
    grant(council, account=X, expires_on=date(2026, 12, 6))  # in 15 days
    grant(council, account=INSTAGRAM, expires_on=date(2026, 11, 1))  # expired, not revoked
    grant(
        council,
        person="Tom Beckett",
        expires_on=date(2026, 11, 30),
        revoked_on=date(2026, 11, 2),
        revoke_reason="x",
    )
    grant(council, person="Tom Beckett", account=X)  # no expiry
    with council.read() as session:
        soon = access.expiring(access.all_grants(session), TODAY, 14)
    assert sorted((g.account.name, g.expires_on) for g in soon) == [
        (FACEBOOK, date(2026, 12, 5)),
        (INSTAGRAM, date(2026, 11, 1)),
    ]


def test_all_grants_come_newest_first_in_one_query(council: Database) -> None:
    grant(council, granted_on=date(2026, 1, 5))
    grant(council, account=X, granted_on=date(2026, 9, 1))
    grant(council, person="Tom Beckett", granted_on=date(2026, 4, 1))
    with council.read() as session:
        assert [g.granted_on for g in access.all_grants(session)] == [
            date(2026, 9, 1),
            date(2026, 4, 1),
            date(2026, 1, 5),
        ]
