"""The register of authorised accounts and its rules (Barling Magna; Stalbridge 4)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from typing import Any

import factories
import pytest
from sqlalchemy import select

from clerk_desk.errors import NotFoundError, PolicyViolation, StaleEditError, ValidationError
from clerk_desk.models import Account, AccountStatus, AuditEntry, Role, TwoFactor, TwoFactorCodes
from clerk_desk.register import accounts, people
from clerk_desk.register.accounts import APPROVAL_CLAUSE, AccountData
from clerk_desk.storage.db import Database
from services.helpers import row_counts

TODAY = date(2026, 11, 21)
ACTOR = "Zoë Hartley"
CLERK, DEPUTY, COUNCILLOR, EMPLOYEE = "Zoë Hartley", "Łukasz Nowak", "Cllr Margaret Oduya", "Tom Beckett"


@pytest.fixture
def staff(db: Database) -> Database:
    """The clerk, the deputy clerk, a councillor and an employee."""
    with db.transaction(ACTOR) as session:
        factories.person(session, CLERK, Role.CLERK)
        factories.person(session, DEPUTY, Role.DEPUTY_CLERK)
        factories.person(session, COUNCILLOR, Role.COUNCILLOR)
        factories.person(session, EMPLOYEE, Role.EMPLOYEE)
    return db


def add(db: Database, **fields: Any) -> tuple[int, int]:
    """Save a new account in its own transaction; returns its id and version."""
    with db.transaction(ACTOR) as session:
        account = factories.account(session, TODAY, **fields)
        return account.id, account.version


def load(db: Database, account_id: int) -> Account:
    with db.read() as session:
        return accounts.get(session, account_id)


def approval(approver: str = CLERK, **more: Any) -> dict[str, Any]:
    fields: dict[str, Any] = dict(
        status=AccountStatus.ACTIVE,
        approved_by=approver,
        approved_on=date(2026, 3, 2),
        business_case="Residents' news and events",
    )
    return fields | more


def last_audit_entry(db: Database) -> AuditEntry:
    with db.read() as session:
        return session.execute(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).scalar_one()


# --- rules across an account's own fields -------------------------------------------------------

BROKEN = [
    pytest.param(
        dict(status=AccountStatus.ACTIVE, approved_by=CLERK, business_case="News"),
        "approved_on",
        id="approver-without-date",
    ),
    pytest.param(
        dict(status=AccountStatus.ACTIVE, approved_on=date(2026, 3, 2)),
        "approved_by",
        id="date-without-approver",
    ),
    pytest.param(approval(approved_on=date(2026, 11, 22)), "approved_on", id="approved-in-the-future"),
    pytest.param(approval(business_case=None), "business_case", id="approved-without-business-case"),
    pytest.param(approval(status=AccountStatus.PROPOSED), "status", id="proposed-with-approver"),
    pytest.param(dict(last_rotated_on=date(2026, 11, 22)), "last_rotated_on", id="rotated-in-the-future"),
    pytest.param(dict(status=AccountStatus.CLOSED), "closed_on", id="closed-without-date"),
    pytest.param(approval(closed_on=date(2026, 6, 1)), "closed_on", id="closed-on-while-active"),
    pytest.param(
        approval(status=AccountStatus.CLOSED, opened_on=date(2026, 5, 1), closed_on=date(2026, 4, 1)),
        "closed_on",
        id="closed-before-opened",
    ),
    pytest.param(approval(status=AccountStatus.SUSPENDED), "suspended_from", id="suspended-without-start"),
    pytest.param(
        approval(
            status=AccountStatus.SUSPENDED, suspended_from=date(2026, 11, 1), suspended_to=date(2026, 10, 1)
        ),
        "suspended_to",
        id="suspension-ends-before-it-starts",
    ),
    pytest.param(
        approval(suspended_from=date(2026, 11, 1)), "suspended_from", id="suspended-from-while-active"
    ),
    pytest.param(approval(suspended_to=date(2026, 12, 1)), "suspended_to", id="suspended-to-while-active"),
    pytest.param(approval(approver="Nobody Known"), "approved_by", id="approver-not-in-people"),
]


@pytest.mark.parametrize(("fields", "field"), BROKEN)
def test_an_account_breaking_a_rule_is_refused_naming_the_field(
    staff: Database, fields: dict[str, Any], field: str
) -> None:
    before = row_counts(staff)
    with pytest.raises(ValidationError) as caught, staff.transaction(ACTOR) as session:
        factories.account(session, TODAY, **fields)
    assert caught.value.field == field
    assert str(caught.value).startswith(f"{field}: ")
    assert row_counts(staff) == before


def test_an_approval_without_a_business_case_cites_the_clause(staff: Database) -> None:
    with pytest.raises(PolicyViolation) as caught, staff.transaction(ACTOR) as session:
        factories.account(session, TODAY, **approval(business_case=None))
    assert caught.value.clause == APPROVAL_CLAUSE
    assert "Barling Magna; Stalbridge 4" in str(caught.value)


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param(approval(), id="active"),
        pytest.param(
            approval(status=AccountStatus.SUSPENDED, suspended_from=date(2026, 11, 1), suspended_to=None),
            id="suspended-open-ended",
        ),
        pytest.param(
            approval(
                status=AccountStatus.SUSPENDED,
                suspended_from=date(2026, 11, 1),
                suspended_to=date(2027, 5, 8),
            ),
            id="suspended-before-election",
        ),
        pytest.param(
            approval(status=AccountStatus.CLOSED, opened_on=date(2026, 3, 2), closed_on=date(2026, 3, 2)),
            id="closed",
        ),
        pytest.param(dict(status=AccountStatus.PROPOSED, business_case="Youth outreach"), id="proposed"),
        pytest.param(approval(approver=DEPUTY), id="approved-by-deputy"),
        pytest.param(approval(approved_on=TODAY, last_rotated_on=TODAY), id="approved-and-rotated-today"),
    ],
)
def test_an_account_meeting_the_rules_is_saved(staff: Database, fields: dict[str, Any]) -> None:
    account_id, version = add(staff, **fields)
    account = load(staff, account_id)
    assert account.status == fields["status"].value
    assert version == 1
    assert len(account.uuid) == 36


# --- approval -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("approver", "role"), [(COUNCILLOR, "councillor"), (EMPLOYEE, "employee")])
def test_only_the_clerk_or_deputy_may_approve(staff: Database, approver: str, role: str) -> None:
    with pytest.raises(PolicyViolation) as caught, staff.transaction(ACTOR) as session:
        factories.account(session, TODAY, **approval(approver=approver))
    assert caught.value.field == "approved_by"
    assert caught.value.clause == "Barling Magna; Stalbridge 4"
    assert "(Barling Magna; Stalbridge 4)" in str(caught.value)
    assert f"{approver} is {role}" in str(caught.value)
    assert row_counts(staff)["accounts"] == 0


def test_the_approver_is_found_ignoring_case(staff: Database) -> None:
    account_id, _ = add(staff, **approval(approver="ŁUKASZ NOWAK"))
    assert load(staff, account_id).approved_by.name == DEPUTY


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(dict(status=AccountStatus.ACTIVE), id="to-active"),
        pytest.param(
            dict(status=AccountStatus.SUSPENDED, suspended_from=date(2026, 11, 1)), id="to-suspended"
        ),
    ],
)
def test_a_proposal_goes_live_only_with_approval(staff: Database, change: dict[str, Any]) -> None:
    account_id, version = add(staff, business_case="Youth outreach")
    with pytest.raises(PolicyViolation) as caught, staff.transaction(ACTOR) as session:
        data = replace(accounts.data_of(accounts.get(session, account_id)), **change)
        accounts.save(session, data, TODAY, account_id=account_id, expected_version=version)
    assert caught.value.field == "approved_by"
    assert caught.value.clause == APPROVAL_CLAUSE
    account = load(staff, account_id)
    assert (account.status, account.version) == ("proposed", version)


def test_a_declined_proposal_can_be_closed_without_approval(staff: Database) -> None:
    account_id, version = add(staff, business_case="Youth outreach")
    with staff.transaction(ACTOR) as session:
        accounts.close(session, account_id, version, date(2026, 11, 20), TODAY)
    account = load(staff, account_id)
    assert (account.status, account.closed_on, account.approved_by) == ("closed", date(2026, 11, 20), None)


def test_approve_makes_a_proposal_active(staff: Database) -> None:
    account_id, version = add(staff, business_case=None, purpose="Youth council outreach")
    with staff.transaction(ACTOR) as session:
        account = accounts.approve(
            session, account_id, version, "łukasz nowak", date(2026, 11, 20), "  Youth elections  ", TODAY
        )
        assert account.version == version + 1
    account = load(staff, account_id)
    assert account.status == "active"
    assert account.approved_by.name == DEPUTY
    assert account.approved_on == date(2026, 11, 20)
    assert account.business_case == "Youth elections"
    assert account.opened_on == date(2026, 11, 20)  # opened when approved, unless already recorded
    assert account.purpose == "Youth council outreach"
    entry = last_audit_entry(staff)
    assert (entry.action, entry.subject_label) == ("approve", "Facebook:@TownCouncil")
    assert json.loads(entry.changes)["status"] == ["proposed", "active"]


def test_approve_keeps_an_opening_date_already_recorded(staff: Database) -> None:
    account_id, version = add(staff, opened_on=date(2025, 1, 1))
    with staff.transaction(ACTOR) as session:
        accounts.approve(session, account_id, version, CLERK, date(2026, 11, 20), "News", TODAY)
    assert load(staff, account_id).opened_on == date(2025, 1, 1)


@pytest.mark.parametrize(
    ("approver", "approved_on", "business_case", "error", "field"),
    [
        (COUNCILLOR, date(2026, 11, 20), "News", PolicyViolation, "approved_by"),
        (EMPLOYEE, date(2026, 11, 20), "News", PolicyViolation, "approved_by"),
        ("Nobody Known", date(2026, 11, 20), "News", ValidationError, "approved_by"),
        (CLERK, date(2026, 11, 20), "   ", PolicyViolation, "business_case"),
        (CLERK, date(2026, 11, 22), "News", ValidationError, "approved_on"),
    ],
)
def test_a_refused_approval_changes_nothing(
    staff: Database,
    approver: str,
    approved_on: date,
    business_case: str,
    error: type[ValidationError],
    field: str,
) -> None:
    account_id, version = add(staff)
    before = row_counts(staff)
    with pytest.raises(error) as caught, staff.transaction(ACTOR) as session:
        accounts.approve(session, account_id, version, approver, approved_on, business_case, TODAY)
    assert caught.value.field == field
    if error is PolicyViolation:
        assert APPROVAL_CLAUSE in str(caught.value)
    account = load(staff, account_id)
    assert (account.status, account.approved_by, account.version) == ("proposed", None, version)
    assert row_counts(staff) == before


def test_only_a_proposal_is_approved(staff: Database) -> None:
    account_id, version = add(staff, **approval())
    with (
        pytest.raises(ValidationError, match="is active, not proposed") as caught,
        staff.transaction(ACTOR) as session,
    ):
        accounts.approve(session, account_id, version, CLERK, TODAY, "News", TODAY)
    assert caught.value.field == "status"


def test_approving_from_a_stale_form_is_refused(staff: Database) -> None:
    account_id, version = add(staff)
    with staff.transaction(DEPUTY) as session:
        accounts.approve(session, account_id, version, DEPUTY, TODAY, "Deputy's reasons", TODAY)
    with pytest.raises(StaleEditError), staff.transaction(ACTOR) as session:
        accounts.approve(session, account_id, version, CLERK, TODAY, "Clerk's reasons", TODAY)
    account = load(staff, account_id)
    assert (account.approved_by.name, account.business_case) == (DEPUTY, "Deputy's reasons")


def test_an_approval_given_stands_when_the_approver_changes_role(staff: Database) -> None:
    account_id, version = add(staff, **approval(approver=DEPUTY))
    with staff.transaction(ACTOR) as session:
        deputy = people.by_name(session, DEPUTY)
        people.save(session, people.PersonData(DEPUTY, Role.EMPLOYEE), person_id=deputy.id)
    with staff.transaction(ACTOR) as session:
        data = replace(accounts.data_of(accounts.get(session, account_id)), purpose="Events")
        accounts.save(session, data, TODAY, account_id=account_id, expected_version=version)
    account = load(staff, account_id)
    assert (account.purpose, account.approved_by.name) == ("Events", DEPUTY)
    # But a new approval must still come from the clerk or deputy in post.
    with pytest.raises(PolicyViolation), staff.transaction(ACTOR) as session:
        data = replace(accounts.data_of(accounts.get(session, account_id)), approved_by=COUNCILLOR)
        accounts.save(session, data, TODAY, account_id=account_id)


# --- closing, suspending ------------------------------------------------------------------------


def test_close_keeps_the_row_and_its_approval(staff: Database) -> None:
    account_id, version = add(
        staff,
        **approval(
            status=AccountStatus.SUSPENDED, suspended_from=date(2026, 11, 1), opened_on=date(2026, 3, 2)
        ),
    )
    with staff.transaction(ACTOR) as session:
        accounts.close(session, account_id, version, date(2026, 11, 20), TODAY)
    account = load(staff, account_id)
    assert account.status == "closed"
    assert account.closed_on == date(2026, 11, 20)
    assert (account.suspended_from, account.suspended_to) == (None, None)
    assert account.approved_by.name == CLERK
    assert account.business_case == "Residents' news and events"
    assert row_counts(staff)["accounts"] == 1
    entry = last_audit_entry(staff)
    assert entry.action == "archive"
    assert json.loads(entry.changes)["status"] == ["suspended", "closed"]


def test_close_refuses_a_closed_account_a_future_date_and_a_stale_form(staff: Database) -> None:
    account_id, version = add(staff, **approval())
    with pytest.raises(ValidationError) as caught, staff.transaction(ACTOR) as session:
        accounts.close(session, account_id, version, date(2026, 11, 22), TODAY)
    assert caught.value.field == "closed_on"
    with staff.transaction(ACTOR) as session:
        accounts.close(session, account_id, version, TODAY, TODAY)
    with pytest.raises(StaleEditError), staff.transaction(ACTOR) as session:
        accounts.close(session, account_id, version, TODAY, TODAY)
    with pytest.raises(ValidationError, match="already closed"), staff.transaction(ACTOR) as session:
        accounts.close(session, account_id, version + 1, TODAY, TODAY)


def test_nothing_in_the_register_can_be_deleted() -> None:
    assert not [name for name in dir(accounts) if name.startswith(("delete", "remove", "purge"))]


def test_a_closed_account_can_be_reopened_as_active(staff: Database) -> None:
    account_id, version = add(staff, **approval(status=AccountStatus.CLOSED, closed_on=date(2026, 6, 1)))
    with staff.transaction(ACTOR) as session:
        data = replace(
            accounts.data_of(accounts.get(session, account_id)), status=AccountStatus.ACTIVE, closed_on=None
        )
        accounts.save(session, data, TODAY, account_id=account_id, expected_version=version)
    assert load(staff, account_id).status == "active"


# --- names are unique -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("Facebook", "@TownCouncil"), ("FACEBOOK", "@towncouncil")),
        (("Instagram", "@ŁódźTownCouncil"), ("instagram", "@łÓDŹtOWNcOUNCIL")),
        (("Nextdoor", "Straße Gemeinde"), ("Nextdoor", "STRASSE GEMEINDE")),
        (("X", "@Town"), (" x ", " @TOWN ")),
    ],
)
def test_platform_and_handle_are_unique_ignoring_case(
    staff: Database, first: tuple[str, str], second: tuple[str, str]
) -> None:
    add(staff, platform=first[0], handle=first[1])
    with (
        pytest.raises(ValidationError, match="already in the register") as caught,
        staff.transaction(ACTOR) as session,
    ):
        factories.account(session, TODAY, platform=second[0], handle=second[1])
    assert caught.value.field == "handle"
    assert f"{first[0]}:{first[1]}" in str(caught.value)
    assert row_counts(staff)["accounts"] == 1


def test_an_account_may_change_the_case_of_its_own_name(staff: Database) -> None:
    account_id, version = add(staff, platform="Facebook", handle="@towncouncil")
    with staff.transaction(ACTOR) as session:
        data = replace(accounts.data_of(accounts.get(session, account_id)), handle="@TownCouncil")
        accounts.save(session, data, TODAY, account_id=account_id, expected_version=version)
    account = load(staff, account_id)
    assert account.name == "Facebook:@TownCouncil"


def test_an_account_cannot_take_another_accounts_name(staff: Database) -> None:
    add(staff, platform="Facebook", handle="@Town")
    account_id, version = add(staff, platform="Facebook", handle="@Parish")
    with (
        pytest.raises(ValidationError, match="Facebook:@Town is already"),
        staff.transaction(ACTOR) as session,
    ):
        data = replace(accounts.data_of(accounts.get(session, account_id)), handle="@TOWN")
        accounts.save(session, data, TODAY, account_id=account_id, expected_version=version)


def test_by_name_finds_an_account_ignoring_case(staff: Database) -> None:
    add(staff, platform="Instagram", handle="@ŁódźTC")
    with staff.read() as session:
        assert accounts.by_name(session, "instagram:@łódźtc").name == "Instagram:@ŁódźTC"
        assert accounts.by_name(session, "Instagram @ŁódźTC") is None
        assert accounts.by_name(session, "Facebook:@ŁódźTC") is None


def test_the_keyring_id_stays_when_the_handle_changes(staff: Database) -> None:
    account_id, version = add(staff, handle="@OldName")
    before = load(staff, account_id).uuid
    with staff.transaction(ACTOR) as session:
        data = replace(accounts.data_of(accounts.get(session, account_id)), handle="@NewName")
        accounts.save(session, data, TODAY, account_id=account_id, expected_version=version)
    assert load(staff, account_id).uuid == before


def test_a_missing_account_is_not_found(staff: Database) -> None:
    with staff.read() as session, pytest.raises(NotFoundError):
        accounts.get(session, 4242)


def test_all_accounts_are_in_name_order_with_their_approver(staff: Database) -> None:
    add(staff, platform="YouTube", handle="Meetings", **approval())
    add(staff, platform="facebook", handle="@b")
    add(staff, platform="Facebook", handle="@A")
    with staff.read() as session:
        listed = accounts.all_accounts(session)
        session.expunge_all()
    assert [a.name for a in listed] == ["Facebook:@A", "facebook:@b", "YouTube:Meetings"]
    assert listed[2].approved_by.name == CLERK  # loaded with the accounts, usable after the session


# --- reading from text --------------------------------------------------------------------------

GOOD_ROW = {
    "platform": "Facebook",
    "handle": "@TownCouncil",
    "url": "https://www.facebook.com/TownCouncil",
    "purpose": "News",
    "status": "Active",
    "sign_in_email": "social@town.gov.uk",
    "two_factor": "hardware key",
    "approved_by": CLERK,
    "approved_on": "2026-03-02",
    "business_case": "News",
    "complaints_info": "yes",
    "rotation_days": "90",
    "last_rotated_on": "2026-10-01",
    "opened_on": "2026-03-02",
    "closed_on": "",
    "suspended_from": "",
    "suspended_to": "",
    "recovery_email": "clerk@town.gov.uk",
    "recovery_phone": "+44 1632 960000",
    "two_factor_codes": "council_device",
}


def test_parse_reads_every_field() -> None:
    data = accounts.parse(GOOD_ROW)
    assert data == AccountData(
        platform="Facebook",
        handle="@TownCouncil",
        status=AccountStatus.ACTIVE,
        url="https://www.facebook.com/TownCouncil",
        purpose="News",
        sign_in_email="social@town.gov.uk",
        two_factor=TwoFactor.HARDWARE_KEY,
        approved_by=CLERK,
        approved_on=date(2026, 3, 2),
        business_case="News",
        complaints_info=True,
        rotation_days=90,
        last_rotated_on=date(2026, 10, 1),
        opened_on=date(2026, 3, 2),
        recovery_email="clerk@town.gov.uk",
        recovery_phone="+44 1632 960000",
        two_factor_codes=TwoFactorCodes.COUNCIL_DEVICE,
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("platform", ""),
        ("handle", "   "),
        ("status", "retired"),
        ("status", ""),
        ("two_factor", "carrier pigeon"),
        ("url", "facebook.com/TownCouncil"),
        ("sign_in_email", "social at town.gov.uk"),
        ("approved_on", "02/03/2026"),
        ("complaints_info", "maybe"),
        ("rotation_days", "0"),
        ("rotation_days", "3651"),
        ("rotation_days", "ninety"),
        ("last_rotated_on", "2026-02-30"),
        ("purpose", "x" * 2001),
        ("handle", "@Town\x00Council"),
        ("recovery_email", "clerk at town"),
        ("recovery_phone", "call the clerk"),
        ("recovery_phone", "12"),
        ("two_factor_codes", "under the mat"),
    ],
)
def test_parse_names_the_field_of_a_bad_value(field: str, value: str) -> None:
    with pytest.raises(ValidationError) as caught:
        accounts.parse(GOOD_ROW | {field: value})
    assert caught.value.field == field


def test_an_account_reads_back_as_the_text_it_was_saved_from(staff: Database) -> None:
    with staff.transaction(ACTOR) as session:
        account = accounts.save(session, accounts.parse(GOOD_ROW), TODAY)
        row = accounts.as_row(account)
    assert row == GOOD_ROW | {"status": "active", "two_factor": "hardware_key"}
    with staff.read() as session:
        account = session.execute(select(Account)).scalar_one()
        assert accounts.data_of(account) == accounts.parse(GOOD_ROW)


def test_a_platform_containing_a_colon_is_refused(staff: Database) -> None:
    """Accounts are named Platform:handle; a ':' in the platform would make the name ambiguous."""
    from clerk_desk import imports

    before = row_counts(staff)
    with pytest.raises(ValidationError) as caught, staff.transaction(ACTOR) as session:
        factories.account(session, TODAY, platform="Mastodon:social", handle="@town")
    assert str(caught.value) == "platform: must not contain ':' (accounts are written Platform:handle)"
    content = "platform,handle,status\r\nFacebook,@Town,proposed\r\nhttps://x.com,@Town,proposed\r\n"
    with pytest.raises(ValidationError) as caught, staff.transaction(ACTOR) as session:
        imports.import_rows(session, "accounts", content, TODAY)
    assert (caught.value.row, caught.value.field) == (3, "platform")
    assert row_counts(staff) == before
