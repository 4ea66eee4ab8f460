"""CSV import and export: round trips, all or nothing, errors naming the row and column."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import factories
import pytest
from sqlalchemy import select

from clerk_desk import imports
from clerk_desk.elections import moderation
from clerk_desk.errors import ClerkDeskError, PolicyViolation, ValidationError
from clerk_desk.imports import ImportResult
from clerk_desk.incidents import lifecycle as incidents
from clerk_desk.models import (
    AccountStatus,
    AuditEntry,
    IcoDecision,
    IncidentCategory,
    IncidentStatus,
    ModerationAction,
    RiskLevel,
    Role,
    TwoFactor,
)
from clerk_desk.register import accounts, people
from clerk_desk.storage.clock import FixedClock
from clerk_desk.storage.db import Database
from services.helpers import row_counts

TODAY = date(2026, 11, 21)
NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
ACTOR = "Zoë Hartley"
PEOPLE_HEADER = "name,role,email,job_title,login,started_on,left_on"
ACCOUNTS_HEADER = (
    "platform,handle,url,purpose,status,sign_in_email,two_factor,approved_by,approved_on,business_case,"
    "complaints_info,rotation_days,last_rotated_on,opened_on,closed_on"
)


def csv_text(*lines: str) -> str:
    return "\r\n".join(lines) + "\r\n"


def import_text(db: Database, kind: str, content: str) -> ImportResult:
    with db.transaction(ACTOR) as session:
        return imports.import_rows(session, kind, content, TODAY)


def export_text(db: Database, kind: str) -> str:
    with db.read() as session:
        return imports.export_rows(session, kind)


def rows(content: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content, newline="")))


@pytest.fixture
def staff(db: Database) -> Database:
    with db.transaction(ACTOR) as session:
        factories.person(session, ACTOR, Role.CLERK, email="zoe.hartley@town.gov.uk", login="zhartley")
        factories.person(session, "Łukasz Nowak", Role.DEPUTY_CLERK, login="lnowak")
        factories.person(session, "Cllr Margaret Oduya", Role.COUNCILLOR)
    return db


def snapshot(db: Database) -> tuple[dict[str, int], str, str]:
    """Everything an import could have changed."""
    return row_counts(db), export_text(db, "people"), export_text(db, "accounts")


# --- round trips --------------------------------------------------------------------------------


def fill_council(db: Database) -> None:
    """A council using every column, every status, and text a spreadsheet would take for a formula."""
    with db.transaction(ACTOR) as session:
        factories.person(
            session,
            ACTOR,
            Role.CLERK,
            email="zoe.hartley@town.gov.uk",
            job_title="Town Clerk, RFO",
            login="zhartley",
            started_on=date(2018, 4, 3),
        )
        factories.person(
            session, "Łukasz Nowak", Role.DEPUTY_CLERK, login="lnowak", started_on=date(2022, 9, 1)
        )
        factories.person(session, "Nguyễn Thu Hà", Role.EMPLOYEE, job_title='Comms "digital" officer')
        factories.person(
            session,
            "Ayşe Ağca",
            Role.EMPLOYEE,
            job_title="-Events-",
            started_on=date(2023, 1, 9),
            left_on=date(2026, 10, 12),
        )
        factories.person(session, "Cllr Margaret Oduya", Role.COUNCILLOR, job_title="+Chair of Council")
        factories.person(session, "Priya Shah", Role.CONTRACTOR, email="priya@shahdesign.example")
        factories.person(session, "Tom Beckett", Role.VOLUNTEER, job_title="=Heritage volunteer")
        factories.approved_account(
            session,
            TODAY,
            handle="@LittleAshcombeTC",
            url="https://www.facebook.com/LittleAshcombeTC",
            purpose='=HYPERLINK("https://evil.example","Click")',
            rotation_days=90,
        )
        factories.approved_account(
            session,
            TODAY,
            platform="X",
            handle="@AshcombeTC",
            approver="Łukasz Nowak",
            purpose="Notices; road closures, meeting reminders\nSecond line",
            two_factor=TwoFactor.SMS,
        )
        factories.approved_account(
            session,
            TODAY,
            platform="Nextdoor",
            handle="Little Ashcombe Town Council",
            status=AccountStatus.SUSPENDED,
            suspended_from=date(2026, 11, 11),
            suspended_to=date(2026, 12, 12),
            two_factor=TwoFactor.NOT_OFFERED,
            purpose="@SUM(A1:A9) is not a handle",
        )
        factories.approved_account(
            session,
            TODAY,
            platform="Flickr",
            handle="ashcombe-archive",
            status=AccountStatus.CLOSED,
            approved_on=date(2020, 4, 26),
            opened_on=date(2020, 4, 26),
            last_rotated_on=date(2025, 7, 9),
            closed_on=date(2025, 10, 17),
            complaints_info=False,
            purpose="'=already quoted",
        )
        factories.account(session, TODAY, platform="TikTok", handle="@ashcombeyouth", business_case="Youth")
        factories.approved_account(
            session,
            TODAY,
            platform="Instagram",
            handle="@ŁódźTwinning",
            approved_by=None,
            approved_on=None,
            business_case=None,
            two_factor=None,
            sign_in_email=None,
            last_rotated_on=None,
            opened_on=None,
        )


def test_export_then_import_into_a_fresh_database_gives_the_same_export(
    db: Database, fresh_database: Callable[[], Database]
) -> None:
    fill_council(db)
    people_csv, accounts_csv = export_text(db, "people"), export_text(db, "accounts")
    assert len(rows(people_csv)) == 7
    assert len(rows(accounts_csv)) == 6
    fresh = fresh_database()
    assert import_text(fresh, "people", people_csv) == ImportResult(added=7, updated=0)
    assert import_text(fresh, "accounts", accounts_csv) == ImportResult(added=6, updated=0)
    assert export_text(fresh, "people") == people_csv
    assert export_text(fresh, "accounts") == accounts_csv


def test_importing_an_export_back_changes_nothing(db: Database) -> None:
    fill_council(db)
    before = snapshot(db)
    assert import_text(db, "people", before[1]) == ImportResult(added=0, updated=7)
    assert import_text(db, "accounts", before[2]) == ImportResult(added=0, updated=6)
    assert snapshot(db) == before  # not even an audit entry: nothing changed


def test_the_export_has_the_documented_columns(db: Database) -> None:
    fill_council(db)
    assert export_text(db, "people").splitlines()[0] == PEOPLE_HEADER
    header = export_text(db, "accounts").splitlines()[0].split(",")
    assert header[:15] == ACCOUNTS_HEADER.split(",")


def test_formula_cells_are_escaped_on_export_and_handles_are_not(db: Database) -> None:
    fill_council(db)
    exported = {(r["platform"], r["handle"]): r for r in rows(export_text(db, "accounts"))}
    facebook = exported[("Facebook", "@LittleAshcombeTC")]
    assert facebook["purpose"] == """'=HYPERLINK("https://evil.example","Click")"""
    assert exported[("Nextdoor", "Little Ashcombe Town Council")]["purpose"] == "'@SUM(A1:A9) is not a handle"
    assert exported[("Flickr", "ashcombe-archive")]["purpose"] == "''=already quoted"
    assert ("X", "@AshcombeTC") in exported  # "@handle" stays as it is
    assert ("Instagram", "@ŁódźTwinning") in exported
    by_name = {r["name"]: r for r in rows(export_text(db, "people"))}
    assert by_name["Ayşe Ağca"]["job_title"] == "'-Events-"
    assert by_name["Cllr Margaret Oduya"]["job_title"] == "'+Chair of Council"
    assert by_name["Tom Beckett"]["job_title"] == "'=Heritage volunteer"
    assert by_name["Zoë Hartley"]["job_title"] == "Town Clerk, RFO"


def test_escaped_cells_are_restored_on_import(staff: Database) -> None:
    content = csv_text(
        ACCOUNTS_HEADER,
        "Facebook,@TownCouncil,,'=1+1,proposed,,,,,,no,,,,",
        "X,'-dashes-,,'@SUM(A1),proposed,,,,,,no,,,,",
        "YouTube,@Meetings,,'plain apostrophe,proposed,,,,,,no,,,,",
        "Bluesky,@Town,,''=quoted formula,proposed,,,,,,no,,,,",
    )
    import_text(staff, "accounts", content)
    with staff.read() as session:
        purposes = {a.name: a.purpose for a in accounts.all_accounts(session)}
    assert purposes == {
        "Facebook:@TownCouncil": "=1+1",
        "X:-dashes-": "@SUM(A1)",
        "YouTube:@Meetings": "'plain apostrophe",
        "Bluesky:@Town": "'=quoted formula",
    }


# --- all or nothing, and errors that name the row and column ------------------------------------


def test_one_bad_date_fails_the_whole_file_naming_row_and_column(staff: Database) -> None:
    before = snapshot(staff)
    content = csv_text(
        PEOPLE_HEADER,
        "Zoë Hartley,clerk,zoe.hartley@town.gov.uk,Proper Officer,zhartley,2018-04-03,",
        "Tom Beckett,volunteer,,Heritage,,21/11/2026,",
        "Priya Shah,contractor,,,,,",
    )
    with pytest.raises(ValidationError) as caught:
        import_text(staff, "people", content)
    assert (caught.value.row, caught.value.field) == (3, "started_on")
    assert str(caught.value).startswith("row 3, column started_on: '21/11/2026' is not a date")
    assert snapshot(staff) == before  # row 2's change to Zoë was rolled back too


def test_an_unknown_role_fails_the_whole_file(staff: Database) -> None:
    before = snapshot(staff)
    content = csv_text(
        PEOPLE_HEADER, "Tom Beckett,volunteer,,,,,", "Priya Shah,contractor,,,,,", "Bob,mayor,,,,,"
    )
    with pytest.raises(ValidationError, match=r"^row 4, column role: 'mayor' is not one of") as caught:
        import_text(staff, "people", content)
    assert (caught.value.row, caught.value.field) == (4, "role")
    assert snapshot(staff) == before


def test_a_councillor_approver_fails_the_whole_file_citing_the_clause(staff: Database) -> None:
    before = snapshot(staff)
    content = csv_text(
        ACCOUNTS_HEADER,
        "Facebook,@Town,,News,active,social@town.gov.uk,app,Zoë Hartley,2026-01-05,News,yes,,,2026-01-05,",
        "X,@Town,,News,active,social@town.gov.uk,app,Cllr Margaret Oduya,2026-01-05,News,yes,,,2026-01-05,",
    )
    with pytest.raises(PolicyViolation) as caught:
        import_text(staff, "accounts", content)
    assert (caught.value.row, caught.value.field) == (3, "approved_by")
    assert caught.value.clause == "Barling Magna; Stalbridge 4"
    assert str(caught.value).startswith("row 3, column approved_by: ")
    assert "(Barling Magna; Stalbridge 4)" in str(caught.value)
    assert snapshot(staff) == before


@pytest.mark.parametrize(
    ("line", "column"),
    [
        ("Facebook,@Town,,,retired,,,,,,no,,,,", "status"),
        ("Facebook,@Town,,,active,,,,,,perhaps,,,,", "complaints_info"),
        ("Facebook,@Town,,,active,,,,,,no,0,,,", "rotation_days"),
        ("Facebook,@Town,,,active,not-an-email,,,,,no,,,,", "sign_in_email"),
        ("Facebook,@Town,,,closed,,,,,,no,,,,", "closed_on"),
        ("Facebook,@Town,,,active,,,Nobody Known,2026-01-05,News,no,,,,", "approved_by"),
        (",@Town,,,active,,,,,,no,,,,", "platform"),
    ],
)
def test_a_bad_account_row_names_its_row_and_column(staff: Database, line: str, column: str) -> None:
    content = csv_text(ACCOUNTS_HEADER, "YouTube,@Meetings,,,proposed,,,,,,no,,,,", line)
    with pytest.raises(ValidationError) as caught:
        import_text(staff, "accounts", content)
    assert (caught.value.row, caught.value.field) == (3, column)
    assert str(caught.value).startswith(f"row 3, column {column}: ")
    assert row_counts(staff)["accounts"] == 0


def test_an_unknown_column_is_refused(staff: Database) -> None:
    with pytest.raises(ValidationError) as caught:
        import_text(
            staff, "people", csv_text(PEOPLE_HEADER + ",nickname", "Tom Beckett,volunteer,,,,,,Tommy")
        )
    assert (caught.value.row, caught.value.field) == (1, "nickname")
    assert "is not a column of this file" in str(caught.value)
    assert row_counts(staff)["people"] == 3


@pytest.mark.parametrize(
    ("kind", "header", "missing"),
    [("people", "name,email", "role"), ("accounts", "platform,status", "handle")],
)
def test_a_missing_column_is_refused(staff: Database, kind: str, header: str, missing: str) -> None:
    with pytest.raises(ValidationError) as caught:
        import_text(staff, kind, csv_text(header, ","))
    assert (caught.value.row, caught.value.field) == (1, missing)
    assert str(caught.value) == f"row 1, column {missing}: is missing from the header row"


def test_optional_columns_may_be_left_out(staff: Database) -> None:
    result = import_text(staff, "people", csv_text("role,name", "volunteer,Tom Beckett"))
    assert result == ImportResult(added=1, updated=0)
    result = import_text(staff, "accounts", csv_text("platform,handle,status", "Facebook,@Town,proposed"))
    assert result == ImportResult(added=1, updated=0)


def test_an_empty_file_is_refused(staff: Database) -> None:
    with pytest.raises(ValidationError, match="the file is empty") as caught:
        import_text(staff, "people", "")
    assert caught.value.row == 1


def test_a_row_with_more_cells_than_the_header_is_refused(staff: Database) -> None:
    with pytest.raises(ValidationError, match="more cells than the header") as caught:
        import_text(staff, "people", csv_text(PEOPLE_HEADER, "Tom Beckett,volunteer,,,,,,surplus"))
    assert caught.value.row == 2


def test_a_name_repeated_in_one_file_is_refused(staff: Database) -> None:
    content = csv_text(PEOPLE_HEADER, "Tom Beckett,volunteer,,,,,", "TOM BECKETT,employee,,,,,")
    with pytest.raises(ValidationError, match="repeats row 2") as caught:
        import_text(staff, "people", content)
    assert (caught.value.row, caught.value.field) == (3, "name")
    assert row_counts(staff)["people"] == 3


def test_a_clash_with_another_record_names_the_row(staff: Database) -> None:
    content = csv_text(PEOPLE_HEADER, "Tom Beckett,volunteer,,,,,", "Lena Nowak,employee,,,LNOWAK,,")
    with pytest.raises(ValidationError) as caught:
        import_text(staff, "people", content)
    assert (caught.value.row, caught.value.field) == (3, "login")


def test_an_unknown_kind_is_refused(staff: Database) -> None:
    with pytest.raises(ClerkDeskError, match="'minutes' cannot be imported or exported"):
        import_text(staff, "minutes", csv_text("a,b", "1,2"))
    with pytest.raises(ClerkDeskError, match="the kinds are people, accounts"):
        export_text(staff, "minutes")


# --- updating what exists -----------------------------------------------------------------------


def test_existing_rows_are_updated_not_duplicated(staff: Database) -> None:
    content = csv_text(
        PEOPLE_HEADER,
        "ZOË HARTLEY,clerk,zoe.hartley@town.gov.uk,Proper Officer,zhartley,2018-04-03,",
        "łukasz nowak,deputy_clerk,,,lnowak,,",
        "Tom Beckett,volunteer,,,,,",
    )
    assert import_text(staff, "people", content) == ImportResult(added=1, updated=2)
    with staff.read() as session:
        everyone = people.all_people(session)
        zoe = people.by_login(session, "zhartley")
        trail = list(session.execute(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(3)).scalars())
    assert len(everyone) == 4
    assert (zoe.name, zoe.job_title, zoe.started_on) == ("ZOË HARTLEY", "Proper Officer", date(2018, 4, 3))
    assert [e.action for e in trail] == ["create", "update", "update"]
    assert json.loads(trail[2].changes)["job_title"] == [None, "Proper Officer"]


def test_existing_accounts_are_matched_ignoring_case(staff: Database) -> None:
    import_text(staff, "accounts", csv_text("platform,handle,status", "Instagram,@ŁódźTC,proposed"))
    result = import_text(
        staff, "accounts", csv_text("platform,handle,status,purpose", "INSTAGRAM,@łódźtc,proposed,Twinning")
    )
    assert result == ImportResult(added=0, updated=1)
    with staff.read() as session:
        (account,) = accounts.all_accounts(session)
    assert (account.name, account.purpose) == ("INSTAGRAM:@łódźtc", "Twinning")


def test_blank_rows_are_skipped(staff: Database) -> None:
    content = csv_text(PEOPLE_HEADER, ",,,,,,", "Tom Beckett,volunteer,,,,,", "   ,  ,,,,,")
    assert import_text(staff, "people", content) == ImportResult(added=1, updated=0)


# --- files --------------------------------------------------------------------------------------


def test_a_file_saved_by_excel_with_a_bom_and_windows_line_ends_is_read(
    staff: Database, tmp_path: Path
) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes(
        ("\ufeff" + csv_text(PEOPLE_HEADER, "Nguyễn Thu Hà,employee,,,,2024-12-30,")).encode("utf-8")
    )
    content = imports.read_csv(path)
    assert content.startswith("name,")
    assert import_text(staff, "people", content) == ImportResult(added=1, updated=0)
    with staff.read() as session:
        assert people.by_name(session, "Nguyễn Thu Hà").started_on == date(2024, 12, 30)


def test_a_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes(csv_text(PEOPLE_HEADER, "Zoë Hartley,clerk,,,,,").encode("cp1252"))
    with pytest.raises(ClerkDeskError, match="save it from the spreadsheet as 'CSV UTF-8'"):
        imports.read_csv(path)


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ClerkDeskError, match="Cannot read"):
        imports.read_csv(tmp_path / "nowhere.csv")


def test_write_csv_writes_the_whole_file(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("old contents", encoding="utf-8")
    imports.write_csv(path, csv_text(PEOPLE_HEADER, "Zoë Hartley,clerk,,,,,"))
    expected = csv_text(PEOPLE_HEADER, "Zoë Hartley,clerk,,,,,")
    # With a byte-order mark, so that Excel reads it as UTF-8 ("Zoë", not "ZoÃ«").
    assert path.read_bytes() == b"\xef\xbb\xbf" + expected.encode("utf-8")
    assert imports.read_csv(path) == expected
    assert [p.name for p in tmp_path.iterdir()] == ["people.csv"]


def test_write_csv_to_an_impossible_place_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ClerkDeskError, match="Cannot write"):
        imports.write_csv(tmp_path / "no such folder" / "people.csv", "name\r\n")


# --- grants, officers and incidents -------------------------------------------------------------

GRANTS_HEADER = (
    "person,account,level,business_case,approved_by,granted_on,expires_on,revoked_on,revoke_reason"
)
OFFICERS_HEADER = "person,accounts,designated_by,designated_on,ended_on"


@pytest.fixture
def keys(staff: Database) -> Database:
    """The staff, two more people and two accounts in use."""
    with staff.transaction(ACTOR) as session:
        factories.person(session, "Nguyễn Thu Hà", Role.EMPLOYEE)
        factories.person(session, "Tom Beckett", Role.VOLUNTEER)
        factories.approved_account(session, TODAY)
        factories.approved_account(session, TODAY, platform="X", handle="@Town")
    return staff


GRANTS_CSV = csv_text(
    GRANTS_HEADER,
    "Łukasz Nowak,Facebook:@TownCouncil,manage,Shares access control,Zoë Hartley,2023-05-01,,,",
    "Nguyễn Thu Hà,Facebook:@TownCouncil,post,Posts news,Zoë Hartley,2025-03-01,,,",
    "Nguyễn Thu Hà,X:@Town,post,Road closures,Łukasz Nowak,2025-04-01,2027-04-01,,",
    "Tom Beckett,Facebook:@TownCouncil,post,Open days,Zoë Hartley,2026-06-01,2026-09-30,2026-09-30,Ended",
    # A councillor's access from before the election is history, revoked, and may be recorded.
    "Cllr Margaret Oduya,X:@Town,post,Ran the account,Zoë Hartley,2024-01-08,,2025-05-02,Elected",
)


def test_a_grants_file_round_trips(keys: Database, fresh_database: Callable[[], Database]) -> None:
    assert import_text(keys, "grants", GRANTS_CSV) == ImportResult(added=5, updated=0)
    exported = export_text(keys, "grants")
    assert exported.splitlines()[0] == GRANTS_HEADER
    assert sorted(exported.splitlines()[1:]) == sorted(GRANTS_CSV.splitlines()[1:])
    before = row_counts(keys)
    assert import_text(keys, "grants", exported) == ImportResult(added=0, updated=5)
    assert row_counts(keys) == before  # nothing changed, so not even an audit entry
    people_csv, accounts_csv = export_text(keys, "people"), export_text(keys, "accounts")
    fresh = fresh_database()  # on PostgreSQL, the same server wiped: export first
    import_text(fresh, "people", people_csv)
    import_text(fresh, "accounts", accounts_csv)
    assert import_text(fresh, "grants", exported) == ImportResult(added=5, updated=0)
    assert export_text(fresh, "grants") == exported


def test_a_grants_file_with_one_councillor_row_fails_as_a_whole_naming_the_row_and_9_2(
    keys: Database,
) -> None:
    """Done when: a grants file with one councillor row fails as a whole, and the message names the row
    and 9.2."""
    before = row_counts(keys)
    content = csv_text(
        GRANTS_HEADER,
        "Nguyễn Thu Hà,Facebook:@TownCouncil,post,Posts news,Zoë Hartley,2025-03-01,,,",
        "Cllr Margaret Oduya,Facebook:@TownCouncil,post,Posts council news,Zoë Hartley,2026-11-01,,,",
        "Tom Beckett,X:@Town,post,Open days,Zoë Hartley,2026-06-01,,,",
    )
    with pytest.raises(PolicyViolation) as caught:
        import_text(keys, "grants", content)
    assert (caught.value.row, caught.value.field, caught.value.clause) == (3, "person", "Thornbury 9.2")
    assert str(caught.value) == (
        "row 3, column person: elected members may not hold direct access to council accounts; "
        "Cllr Margaret Oduya is a councillor (Thornbury 9.2)"
    )
    assert row_counts(keys) == before  # row 2 was not kept either


@pytest.mark.parametrize(
    ("line", "column", "message"),
    [
        (
            "Tom Beckett,X:@Town,post,,Zoë Hartley,2026-06-01,,,",
            "business_case",
            "(Thornbury 9.1; Thornbury 3.1.1)",
        ),
        ("Tom Beckett,X:@Town,post,Open days,Nguyễn Thu Hà,2026-06-01,,,", "approved_by", "(Thornbury 9.1)"),
        ("Tom Beckett,X:@Town,owner,Open days,Zoë Hartley,2026-06-01,,,", "level", "'owner' is not one of"),
        (
            "Tom Beckett,X:@Nowhere,post,Open days,Zoë Hartley,2026-06-01,,,",
            "account",
            "is not in the register",
        ),
        ("Tom Beckett,X:@Town,post,Open days,Zoë Hartley,2026-12-01,,,", "granted_on", "is in the future"),
        ("Tom Beckett,X:@Town,post,Open days,Zoë Hartley,01/06/2026,,,", "granted_on", "is not a date"),
        (
            "Tom Beckett,X:@Town,post,Open days,Zoë Hartley,2026-06-01,,2026-07-01,",
            "revoke_reason",
            "is required",
        ),
    ],
)
def test_a_bad_grant_row_fails_the_whole_file_naming_row_and_column(
    keys: Database, line: str, column: str, message: str
) -> None:
    before = row_counts(keys)
    content = csv_text(
        GRANTS_HEADER, "Nguyễn Thu Hà,Facebook:@TownCouncil,post,Posts news,Zoë Hartley,2025-03-01,,,", line
    )
    with pytest.raises(ValidationError) as caught:
        import_text(keys, "grants", content)
    assert (caught.value.row, caught.value.field) == (3, column)
    assert str(caught.value).startswith(f"row 3, column {column}: ")
    assert message in str(caught.value)
    assert row_counts(keys) == before


def test_a_grant_repeated_in_one_file_is_refused(keys: Database) -> None:
    line = "Tom Beckett,X:@Town,post,Open days,Zoë Hartley,2026-06-01,,,"
    with pytest.raises(ValidationError, match="repeats row 2") as caught:
        import_text(keys, "grants", csv_text(GRANTS_HEADER, line, line.replace("post", "manage")))
    assert caught.value.row == 3


def test_an_officers_file_with_several_accounts_per_officer_round_trips(
    keys: Database, fresh_database: Callable[[], Database]
) -> None:
    content = csv_text(
        OFFICERS_HEADER,
        "Zoë Hartley,X:@Town;Facebook:@TownCouncil,Zoë Hartley,2023-05-01,",
        "Nguyễn Thu Hà,Facebook:@TownCouncil,Łukasz Nowak,2025-03-01,",
        "Tom Beckett, X:@Town ; Facebook:@TownCouncil ,Zoë Hartley,2026-06-01,2026-09-30",
    )
    assert import_text(keys, "officers", content) == ImportResult(added=3, updated=0)
    exported = export_text(keys, "officers")
    assert rows(exported) == [
        {
            "person": "Tom Beckett",
            "accounts": "Facebook:@TownCouncil;X:@Town",
            "designated_by": ACTOR,
            "designated_on": "2026-06-01",
            "ended_on": "2026-09-30",
        },
        {
            "person": "Nguyễn Thu Hà",
            "accounts": "Facebook:@TownCouncil",
            "designated_by": "Łukasz Nowak",
            "designated_on": "2025-03-01",
            "ended_on": "",
        },
        {
            "person": ACTOR,
            "accounts": "Facebook:@TownCouncil;X:@Town",
            "designated_by": ACTOR,
            "designated_on": "2023-05-01",
            "ended_on": "",
        },
    ]
    before = row_counts(keys)
    assert import_text(keys, "officers", exported) == ImportResult(added=0, updated=3)
    assert row_counts(keys) == before
    people_csv, accounts_csv = export_text(keys, "people"), export_text(keys, "accounts")
    fresh = fresh_database()  # on PostgreSQL, the same server wiped: export first
    import_text(fresh, "people", people_csv)
    import_text(fresh, "accounts", accounts_csv)
    assert import_text(fresh, "officers", exported) == ImportResult(added=3, updated=0)
    assert export_text(fresh, "officers") == exported


@pytest.mark.parametrize(
    ("line", "column", "message"),
    [
        ("Cllr Margaret Oduya,X:@Town,Zoë Hartley,2026-06-01,", "person", "(Thornbury 9.2)"),
        ("Tom Beckett,,Zoë Hartley,2026-06-01,", "accounts", "name at least one account"),
        (
            "Tom Beckett,X:@Town;X:@Nowhere,Zoë Hartley,2026-06-01,",
            "accounts",
            "'X:@Nowhere' is not in the register",
        ),
        ("Tom Beckett,X:@Town,Tom Beckett,2026-06-01,", "designated_by", "(district policy 5a; Thornbury 3)"),
        ("Tom Beckett,X:@Town,Zoë Hartley,2026-06-01,2026-05-01", "ended_on", "is before designated_on"),
    ],
)
def test_a_bad_officer_row_fails_the_whole_file(keys: Database, line: str, column: str, message: str) -> None:
    before = row_counts(keys)
    content = csv_text(OFFICERS_HEADER, "Nguyễn Thu Hà,Facebook:@TownCouncil,Zoë Hartley,2025-03-01,", line)
    with pytest.raises(ValidationError) as caught:
        import_text(keys, "officers", content)
    assert (caught.value.row, caught.value.field) == (3, column)
    assert message in str(caught.value)
    assert row_counts(keys) == before


INCIDENTS_HEADER = (
    "reference,category,severity,title,description,reported_by,reported_at,occurred_at,discovered_at,accounts,"
    "people,personal_data,near_miss,status,resolved_at,outcome,ico_decision,ico_notified_at,clerk_notified_at,"
    "chair_informed_at,platform_notified_at,public_notified_at"
)


def fill_incidents(db: Database, clock: FixedClock) -> None:
    """A year of incidents of every kind, some closed, with steps done and steps not applicable."""
    with db.transaction(ACTOR) as session:
        factories.person(session, "Nguyễn Thu Hà", Role.EMPLOYEE)
        factories.approved_account(session, TODAY)
        factories.approved_account(session, TODAY, platform="X", handle="@Town")
    moments = iter(datetime(2026, month, 3, 9, 30, tzinfo=UTC) for month in range(2, 12))

    def logged(category: IncidentCategory, title: str) -> int:
        clock.moment = next(moments)
        with db.transaction("Łukasz Nowak") as session:
            return incidents.log(session, title, category, f"{title}, as reported at once.").id

    harassment = logged(IncidentCategory.HARASSMENT, "Threats to the clerk")
    compromise = logged(IncidentCategory.ACCOUNT_COMPROMISE, "Login from abroad")
    device = logged(IncidentCategory.NON_COUNCIL_DEVICE, "Council page on a personal phone")
    breach = logged(IncidentCategory.PERSONAL_DATA, "List sent to the wrong group")
    referral = logged(IncidentCategory.POLICY_BREACH, "Political post from the council account")
    fake = logged(IncidentCategory.IMPERSONATION, "Fake council page")
    logged(IncidentCategory.OTHER, "=Phishing email")
    clock.moment = NOW
    with db.transaction(ACTOR) as session:
        incident = incidents.get(session, harassment)
        incident.clerk_is_target = True
        incident.external_party = "facebook.com/resident.example"
        incidents.sync_steps(incident)
        incidents.settle_step(
            session, harassment, "reported_to_chair", done_at=datetime(2026, 2, 3, 11, 0, tzinfo=UTC)
        )
        incidents.set_status(session, harassment, None, IncidentStatus.CLOSED, outcome="Blocked; police told")
        incidents.set_involved(
            incidents.get(session, compromise),
            [accounts.by_name(session, "X:@Town"), accounts.by_name(session, "Facebook:@TownCouncil")],  # type: ignore[list-item]
            [people.by_name(session, "Nguyễn Thu Hà")],  # type: ignore[list-item]
        )
        incidents.settle_step(
            session, compromise, "change_passwords", not_applicable="A false alarm; no access"
        )
        incidents.settle_step(
            session, compromise, "review_access", done_at=datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
        )
        incidents.set_status(
            session, compromise, None, IncidentStatus.CLOSED, outcome="False alarm", lessons="x"
        )
        incidents.settle_step(
            session, device, "clerk_notified", done_at=datetime(2026, 4, 3, 10, 0, tzinfo=UTC)
        )
        incidents.set_status(session, device, None, IncidentStatus.INVESTIGATING)
        incidents.record_ico_decision(
            session,
            breach,
            IcoDecision.NOTIFY,
            datetime(2026, 5, 4, 9, 0, tzinfo=UTC),
            notified_at=datetime(2026, 5, 4, 10, 0, tzinfo=UTC),
            ico_reference="IC-123456",
        )
        incidents.set_status(session, breach, None, IncidentStatus.RESOLVED, outcome="Recipients deleted it")
        incidents.settle_step(session, referral, "referral", done_at=datetime(2026, 6, 10, 9, 0, tzinfo=UTC))
        incidents.settle_step(
            session, fake, "platform_notified", done_at=datetime(2026, 7, 3, 10, 0, tzinfo=UTC)
        )


def test_an_incidents_file_round_trips_into_a_fresh_database_keeping_the_references(
    staff: Database, clock: FixedClock, fresh_database: Callable[[], Database]
) -> None:
    db = staff
    fill_incidents(db, clock)
    exported = export_text(db, "incidents")
    assert exported.splitlines()[0].startswith(INCIDENTS_HEADER + ",")
    by_reference = {r["reference"]: r for r in rows(exported)}
    assert sorted(by_reference) == [f"INC-2026-00{n}" for n in range(1, 8)]
    assert by_reference["INC-2026-001"]["reported_to_chair_at"] == "2026-02-03T11:00+00:00"
    assert by_reference["INC-2026-002"]["change_passwords_at"] == "not applicable: A false alarm; no access"
    assert by_reference["INC-2026-007"]["title"] == "'=Phishing email"
    people_csv, accounts_csv = export_text(db, "people"), export_text(db, "accounts")
    fresh = fresh_database()
    import_text(fresh, "people", people_csv)
    import_text(fresh, "accounts", accounts_csv)
    assert import_text(fresh, "incidents", exported) == ImportResult(added=7, updated=0)
    assert export_text(fresh, "incidents") == exported
    with fresh.read() as session:
        closed = incidents.by_reference(session, "INC-2026-001")
        assert closed is not None and (closed.status, closed.reported_by) == ("closed", "Łukasz Nowak")
        assert incidents.next_reference(session, 2026) == "INC-2026-008"


def test_importing_an_incidents_export_back_changes_nothing(staff: Database, clock: FixedClock) -> None:
    db = staff
    fill_incidents(db, clock)
    exported = export_text(db, "incidents")
    before = row_counts(db)
    clock.moment = NOW + timedelta(days=3)
    assert import_text(db, "incidents", exported) == ImportResult(added=0, updated=7)
    assert row_counts(db) == before  # not even an audit entry
    assert export_text(db, "incidents") == exported


@pytest.mark.parametrize(
    ("line", "column", "message"),
    [
        (",burglary,high,Break-in,Laptop taken,,,,,,,,,,,,,,,,,", "category", "'burglary' is not one of"),
        (",other,high,Spam,Spam,,,,,Facebook:@Nowhere,,,,,,,,,,,,", "accounts", "is not in the register"),
        (",other,high,Spam,Spam,,2026-12-01T09:00,,,,,,,,,,,,,,,", "reported_at", "is in the future"),
        (",other,high,Spam,Spam,,,,,,,,,,,,,,2026-11-22,,,", "clerk_notified_at", "is in the future"),
        (",other,high,Spam,Spam,,,,,,Nobody Known,,,,,,,,,,,", "people", "is not in People"),
        (
            ",non_council_device,high,Phone,Phone,,,,,,,,,closed,,Done,,,2026-11-01,,,",
            "status",
            "(Thornbury 9.7.1)",
        ),
    ],
)
def test_a_bad_incident_row_fails_the_whole_file_naming_row_and_column(
    keys: Database, line: str, column: str, message: str
) -> None:
    before = row_counts(keys)
    content = csv_text(
        INCIDENTS_HEADER,
        "INC-2026-001,other,low,Phishing,Nobody clicked,Łukasz Nowak,2026-11-01T09:00,,,,,no,no,open,,,,,,,,",
        ",impersonation,high,Fake page,Bank details,,,,,,,,,,,,,,,,2026-11-20T10:00,",
        line,
    )
    with pytest.raises(ValidationError) as caught:
        import_text(keys, "incidents", content)
    assert (caught.value.row, caught.value.field) == (4, column)
    assert str(caught.value).startswith(f"row 4, column {column}: ")
    assert message in str(caught.value)
    assert row_counts(keys) == before  # rows 2 and 3, and their audit entries, were not kept


def test_an_incident_row_without_a_reference_gets_the_next_one_and_the_importer_as_reporter(
    keys: Database, clock: FixedClock
) -> None:
    content = csv_text(
        INCIDENTS_HEADER,
        "INC-2026-007,other,low,Phishing,Nobody clicked,Łukasz Nowak,2026-11-01T09:00,,,,,no,no,open,,,,,,,,",
        ",impersonation,high,Fake page,Bank details,,2026-11-20T09:00,,,,,,,,,,,,,,2026-11-20T10:00,",
        ",non_council_device,medium,Phone,Signed in at the fete,,2025-07-01,,,Facebook:@TownCouncil;X:@Town,"
        "Tom Beckett,,,investigating,,,,,2025-07-01T10:00,2025-07-01T11:30,,",
    )
    assert import_text(keys, "incidents", content) == ImportResult(added=3, updated=0)
    with keys.read() as session:
        found = {i.reference: i for i in incidents.all_incidents(session)}
    assert sorted(found) == ["INC-2025-001", "INC-2026-007", "INC-2026-008"]
    fake, phone = found["INC-2026-008"], found["INC-2025-001"]
    assert (fake.reported_by, fake.reported_at) == (ACTOR, datetime(2026, 11, 20, 9, 0, tzinfo=UTC))
    # The step columns are follow-ups done at that time.
    assert incidents.outstanding_steps(fake) == ["public_notified"]
    # Typed without an offset, in July: British Summer Time, an hour ahead of UTC.
    assert {s.step: s.done_at for s in phone.steps} == {
        "clerk_notified": datetime(2025, 7, 1, 9, 0, tzinfo=UTC),
        "chair_informed": datetime(2025, 7, 1, 10, 30, tzinfo=UTC),
    }
    assert (phone.status, [a.name for a in phone.accounts], [p.name for p in phone.people]) == (
        "investigating",
        ["Facebook:@TownCouncil", "X:@Town"],
        ["Tom Beckett"],
    )


def test_an_incidents_file_needs_only_the_category_title_and_description(keys: Database) -> None:
    result = import_text(
        keys, "incidents", csv_text("title,category,description", "Spam,other,Comments removed")
    )
    assert result == ImportResult(added=1, updated=0)
    with pytest.raises(ValidationError) as caught:
        import_text(keys, "incidents", csv_text("title,category", "Spam,other"))
    assert str(caught.value) == "row 1, column description: is missing from the header row"


# --- columns left out of a file -----------------------------------------------------------------

ACKS_CSV = csv_text(
    "person,policy_version,acknowledged_on,training_on",
    "Zoë Hartley,2026.1,2026-01-10,2026-01-12",
    "Nguyễn Thu Hà,2026.1,2026-02-01,2026-02-03",
)
OFFICERS_CSV = csv_text(
    OFFICERS_HEADER,
    "Zoë Hartley,X:@Town;Facebook:@TownCouncil,Zoë Hartley,2023-05-01,",
    "Tom Beckett,X:@Town,Zoë Hartley,2026-06-01,2026-09-30",
)


def _filled(kind: str, db: Database, clock: FixedClock) -> None:
    """A database holding records of ``kind`` with every optional column filled in somewhere."""
    if kind in ("people", "accounts"):
        fill_council(db)
        return
    with db.transaction(ACTOR) as session:
        factories.person(session, ACTOR, Role.CLERK, email="zoe.hartley@town.gov.uk", login="zhartley")
        factories.person(session, "Łukasz Nowak", Role.DEPUTY_CLERK, login="lnowak")
        factories.person(session, "Cllr Margaret Oduya", Role.COUNCILLOR)
    if kind in ("incidents", "assessments"):
        fill_incidents(db, clock)
        if kind == "assessments":  # two entries for one breach, every optional column filled in
            _assessed(db, clock)
        return
    with db.transaction(ACTOR) as session:
        factories.person(session, "Nguyễn Thu Hà", Role.EMPLOYEE)
        factories.person(session, "Tom Beckett", Role.VOLUNTEER)
        factories.approved_account(session, TODAY)
        factories.approved_account(session, TODAY, platform="X", handle="@Town")
    if kind == "moderation":
        with db.transaction(ACTOR) as session:
            for hours, content in ((3, "Party leaflet"), (2, "Abuse of a councillor")):
                moderation.record(
                    session,
                    moderation.EntryData(
                        "Facebook:@TownCouncil",
                        NOW - timedelta(hours=hours),
                        ModerationAction.HIDDEN,
                        content,
                        "Against the policy",
                        done_by="Łukasz Nowak",
                    ),
                )
        return
    content = {"grants": GRANTS_CSV, "officers": OFFICERS_CSV, "acknowledgements": ACKS_CSV}[kind]
    import_text(db, kind, content)


def _assessed(db: Database, clock: FixedClock) -> None:
    from clerk_desk.incidents import assessment
    from clerk_desk.incidents.assessment import AssessmentData

    with db.read() as session:
        (breach,) = [i.id for i in incidents.all_incidents(session) if i.category == "personal_data"]
    for hours, severity, reason in ((6, RiskLevel.LOW, "First look"), (1, RiskLevel.HIGH, "More recipients")):
        clock.moment = NOW - timedelta(hours=hours)
        data = AssessmentData(
            living_people=True,
            likelihood=RiskLevel.HIGH,
            severity=severity,
            mitigation="Asked the recipients to delete it",
            people_affected=212,
            records_affected=230,
            data_kinds="names; email addresses",
            consequences="Unwanted contact",
            reason=reason,
        )
        with db.transaction(ACTOR) as session:
            assessment.assess(session, breach, data, by="Łukasz Nowak")
    clock.moment = NOW


@pytest.mark.parametrize("kind", list(imports.KINDS))
def test_a_column_left_out_of_the_file_keeps_what_is_stored(
    db: Database, clock: FixedClock, kind: str
) -> None:
    """Importing only the columns that identify each record (and the required ones) changes nothing."""
    _filled(kind, db, clock)
    before = export_text(db, kind)
    spec = imports.KINDS[kind]
    needed = [c for c in spec.columns if c not in spec.optional or c == "reference"]
    assert len(needed) < len(spec.columns)
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=needed, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows(before))
    result = import_text(db, kind, out.getvalue())
    assert (result.added, result.updated) == (0, len(rows(before)))
    assert export_text(db, kind) == before


def test_a_people_file_of_names_and_roles_keeps_email_title_login_and_start(staff: Database) -> None:
    with staff.transaction(ACTOR) as session:
        factories.person(
            session,
            "Nguyễn Thu Hà",
            Role.EMPLOYEE,
            email="ha@town.gov.uk",
            job_title="Comms",
            login="nha",
            started_on=date(2024, 12, 30),
        )
    result = import_text(
        staff, "people", csv_text("name,role", "Nguyễn Thu Hà,employee", "Zoë Hartley,clerk")
    )
    assert result == ImportResult(added=0, updated=2)
    with staff.read() as session:
        ha = people.by_name(session, "Nguyễn Thu Hà")
        zoe = people.by_name(session, ACTOR)
    assert ha is not None and zoe is not None
    assert (ha.email, ha.job_title, ha.login, ha.started_on) == (
        "ha@town.gov.uk",
        "Comms",
        "nha",
        date(2024, 12, 30),
    )
    assert (zoe.email, zoe.login) == ("zoe.hartley@town.gov.uk", "zhartley")
    # An empty cell in a column the file has still clears the value.
    import_text(staff, "people", csv_text("name,role,email", "Nguyễn Thu Hà,employee,"))
    with staff.read() as session:
        ha = people.by_name(session, "Nguyễn Thu Hà")
    assert ha is not None and (ha.email, ha.job_title, ha.login) == (None, "Comms", "nha")


@pytest.mark.parametrize("header", ["name,role,email,email", "name, role ,role"])
def test_a_header_that_repeats_a_column_is_refused(staff: Database, header: str) -> None:
    before = snapshot(staff)
    with pytest.raises(ValidationError) as caught:
        import_text(staff, "people", csv_text(header, "Zoë Hartley,clerk,a@b.example,c@d.example"))
    repeated = header.split(",")[-1].strip()
    assert (caught.value.row, caught.value.field) == (1, repeated)
    assert str(caught.value) == f"row 1, column {repeated}: appears more than once in the header row"
    assert snapshot(staff) == before
