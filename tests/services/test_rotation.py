"""Password rotation history (Thornbury 9.4): every change is an entry, "last changed" comes from it, it is
only ever added to; the events that make a change due now; the upgrade that starts the history."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Callable, Iterable
from contextlib import closing
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import factories
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from clerk_desk import imports
from clerk_desk.audit import chain as audit
from clerk_desk.checks import engine
from clerk_desk.credentials import rotation
from clerk_desk.credentials.rotation import RotateNowEvent, RotateNowSource
from clerk_desk.errors import ValidationError
from clerk_desk.models import Account, AuditEntry, PasswordRotation, Role, RotationReason
from clerk_desk.register import accounts
from clerk_desk.storage.clock import FixedClock
from clerk_desk.storage.db import Database, open_database
from services.helpers import row_counts

DATA = Path(__file__).parent.parent / "data"
TODAY = date(2026, 11, 21)
NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
CLERK, DEPUTY = "Zoë Hartley", "Łukasz Nowak"
FACEBOOK = "Facebook:@TownCouncil"
REGISTER_NOTE = "Recorded in the register (changed outside Clerk Desk)"
ACCOUNTS_HEADER = (
    "platform,handle,url,purpose,status,sign_in_email,two_factor,approved_by,approved_on,business_case,"
    "complaints_info,rotation_days,last_rotated_on,opened_on,closed_on"
)

Register = Callable[[RotateNowSource], RotateNowSource]


@pytest.fixture
def staff(db: Database) -> Database:
    with db.transaction(CLERK) as session:
        factories.person(session, CLERK, Role.CLERK)
        factories.person(session, DEPUTY, Role.DEPUTY_CLERK)
    return db


def add(db: Database, **fields: Any) -> int:
    with db.transaction(CLERK) as session:
        return factories.approved_account(session, TODAY, **fields).id


def history(db: Database, account_id: int) -> list[tuple[date, str, str | None]]:
    with db.read() as session:
        return [(e.rotated_on, e.reason, e.note) for e in rotation.history(session, account_id)]


def last_rotated(db: Database, account_id: int) -> date | None:
    with db.read() as session:
        return accounts.get(session, account_id).last_rotated_on


def save(db: Database, account_id: int, actor: str = CLERK, **changes: Any) -> None:
    """Save the account as the register's form would, with some fields changed."""
    with db.transaction(actor) as session:
        account = accounts.get(session, account_id)
        data = replace(accounts.data_of(account), **changes)
        accounts.save(session, data, TODAY, account_id=account_id, expected_version=account.version)


def record(db: Database, account_id: int, on: date, reason: RotationReason, actor: str = CLERK) -> None:
    with db.transaction(actor) as session:
        rotation.record(session, accounts.get(session, account_id), on, reason, TODAY, note="by hand")


# --- the history --------------------------------------------------------------------------------


def test_an_entry_says_when_who_and_why(staff: Database) -> None:
    account_id = add(staff, last_rotated_on=None)
    record(staff, account_id, date(2026, 11, 2), RotationReason.KEYHOLDER_LEFT, actor=DEPUTY)
    with staff.read() as session:
        [entry] = rotation.history(session, account_id)
    assert (entry.rotated_on, entry.reason, entry.note) == (date(2026, 11, 2), "keyholder_left", "by hand")
    assert (entry.recorded_by, entry.recorded_at, entry.account_name) == (DEPUTY, NOW, FACEBOOK)
    assert RotationReason(entry.reason).label == "Keyholder left"
    assert last_rotated(staff, account_id) == date(2026, 11, 2)


def test_the_history_is_newest_first_and_last_changed_is_its_newest_entry(staff: Database) -> None:
    account_id = add(staff, last_rotated_on=date(2026, 3, 1))
    record(staff, account_id, date(2026, 9, 1), RotationReason.SCHEDULED)
    # An older change recorded late goes into the history but does not move "last changed" back.
    record(staff, account_id, date(2026, 6, 1), RotationReason.SUSPECTED_COMPROMISE)
    assert [(on, reason) for on, reason, _ in history(staff, account_id)] == [
        (date(2026, 9, 1), "scheduled"),
        (date(2026, 6, 1), "suspected_compromise"),
        (date(2026, 3, 1), "other"),
    ]
    assert last_rotated(staff, account_id) == date(2026, 9, 1)


def test_a_change_in_the_future_is_refused(staff: Database) -> None:
    account_id = add(staff)
    counts = row_counts(staff)
    with pytest.raises(ValidationError) as caught:
        record(staff, account_id, date(2026, 11, 22), RotationReason.SCHEDULED)
    assert (caught.value.field, caught.value.message) == ("last_rotated_on", "is in the future")
    assert row_counts(staff) == counts


def test_each_entry_is_in_the_audit_trail(staff: Database) -> None:
    account_id = add(staff, last_rotated_on=None)
    record(staff, account_id, date(2026, 11, 2), RotationReason.SCHEDULED, actor=DEPUTY)
    with staff.read() as session:
        trail = list(session.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars())[-2:]
    created, updated = trail
    assert (created.action, created.subject_type, created.subject_label, created.actor) == (
        "create",
        "Password change",
        FACEBOOK,
        DEPUTY,
    )
    assert json.loads(created.changes)["reason"] == [None, "scheduled"]
    assert (updated.action, updated.subject_type) == ("update", "Account")
    assert json.loads(updated.changes) == {"last_rotated_on": [None, "2026-11-02"]}


# --- rotate-now events --------------------------------------------------------------------------


def event(
    account_id: int, since: date, reason: str = "INC-2026-004, a suspected compromise"
) -> RotateNowEvent:
    return RotateNowEvent(account_id, since, reason, RotationReason.SUSPECTED_COMPROMISE)


def accounts_changed_on(**last: date | None) -> list[Account]:
    """Accounts (not saved) with ids 1, 2, … and these last-changed dates."""
    return [Account(id=i, last_rotated_on=on) for i, on in enumerate(last.values(), start=1)]


def test_an_event_is_outstanding_until_the_password_is_changed_on_or_after_it() -> None:
    since = date(2026, 11, 10)
    before, same_day, after, never = accounts_changed_on(
        before=date(2026, 11, 9), same_day=since, after=date(2026, 11, 15), never=None
    )
    events = [event(a.id, since) for a in (before, same_day, after, never)]
    outstanding = rotation.outstanding([before, same_day, after, never], events)
    assert set(outstanding) == {before.id, never.id}
    assert outstanding[before.id] == events[0]


def test_the_latest_event_not_yet_acted_on_is_the_one_reported() -> None:
    [account] = accounts_changed_on(one=date(2026, 10, 1))
    older = event(1, date(2026, 10, 20), "INC-2026-001, a suspected compromise")
    newer = event(1, date(2026, 11, 3), "Ayşe Ağca, who held access, left")
    assert rotation.outstanding([account], [newer, older]) == {1: newer}
    assert rotation.outstanding([account], [older, newer]) == {1: newer}
    # Changed between the two: only the newer one is still outstanding.
    [changed] = accounts_changed_on(one=date(2026, 10, 25))
    assert rotation.outstanding([changed], [older, newer]) == {1: newer}


def test_an_event_for_an_account_not_in_the_list_is_ignored() -> None:
    assert rotation.outstanding(accounts_changed_on(one=None), [event(99, date(2026, 11, 1))]) == {}


def test_events_come_from_every_registered_source(staff: Database, rotate_now_sources: Register) -> None:
    first, second = add(staff), add(staff, platform="X", handle="@Town")
    seen: list[Session] = []

    @rotate_now_sources
    def incidents(session: Session) -> Iterable[RotateNowEvent]:
        seen.append(session)
        return [event(first, date(2026, 11, 10))]

    @rotate_now_sources
    def leavers(session: Session) -> Iterable[RotateNowEvent]:
        yield event(second, date(2026, 11, 12), "Ayşe Ağca, who held access, left")

    with staff.read() as session:
        found = engine.rotate_now_events(session)
        assert seen == [session]
    assert [(e.account_id, e.since, e.clause) for e in found] == [
        (first, date(2026, 11, 10), "Thornbury 9.4"),
        (second, date(2026, 11, 12), "Thornbury 9.4"),
    ]


def test_the_registry_starts_empty_of_test_sources(rotate_now_sources: Register) -> None:
    """The fixture puts the registry back, so another test's sources never leak into this one."""
    assert not [s for s in engine.ROTATE_NOW_SOURCES if s.__module__ == __name__]


# --- the "last changed" date typed in the register ----------------------------------------------


def test_a_later_date_typed_in_the_register_is_a_change_in_the_history(staff: Database) -> None:
    account_id = add(staff, last_rotated_on=date(2026, 10, 1))
    assert history(staff, account_id) == [(date(2026, 10, 1), "other", REGISTER_NOTE)]
    save(staff, account_id, actor=DEPUTY, last_rotated_on=date(2026, 11, 14))
    assert history(staff, account_id) == [
        (date(2026, 11, 14), "other", REGISTER_NOTE),
        (date(2026, 10, 1), "other", REGISTER_NOTE),
    ]
    with staff.read() as session:
        assert rotation.history(session, account_id)[0].recorded_by == DEPUTY
    assert last_rotated(staff, account_id) == date(2026, 11, 14)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (date(2026, 9, 30), "is before the last recorded change (2026-10-01); history is only added to"),
        (None, "cannot be cleared; the rotation history keeps every change"),
    ],
)
def test_an_earlier_or_cleared_date_is_refused(staff: Database, typed: date | None, message: str) -> None:
    account_id = add(staff, last_rotated_on=date(2026, 10, 1))
    counts = row_counts(staff)
    with pytest.raises(ValidationError) as caught:
        save(staff, account_id, last_rotated_on=typed, purpose="Also changed")
    assert (caught.value.field, caught.value.message) == ("last_rotated_on", message)
    assert str(caught.value).startswith("last_rotated_on: ")
    assert row_counts(staff) == counts
    assert last_rotated(staff, account_id) == date(2026, 10, 1)


def test_a_date_before_a_password_set_in_clerk_desk_is_refused(staff: Database) -> None:
    account_id = add(staff, last_rotated_on=date(2026, 10, 1))
    record(staff, account_id, TODAY, RotationReason.SCHEDULED)
    with pytest.raises(ValidationError, match=r"before the last recorded change \(2026-11-21\)"):
        save(staff, account_id, last_rotated_on=date(2026, 10, 1))


def test_saving_an_account_without_changing_the_date_adds_nothing(staff: Database) -> None:
    account_id = add(staff, last_rotated_on=date(2026, 10, 1))
    counts = row_counts(staff)
    save(staff, account_id)  # unchanged
    assert row_counts(staff) == counts
    save(staff, account_id, purpose="Residents' news and road closures", rotation_days=90)
    assert row_counts(staff)["password_rotations"] == counts["password_rotations"]
    assert len(history(staff, account_id)) == 1


def test_a_new_account_without_a_date_has_no_history(staff: Database) -> None:
    account_id = add(staff, last_rotated_on=None)
    assert history(staff, account_id) == []
    assert last_rotated(staff, account_id) is None
    # Approving and closing go through the same save and add nothing either.
    with staff.transaction(CLERK) as session:
        account = accounts.get(session, account_id)
        accounts.close(session, account_id, account.version, TODAY, TODAY)
    assert history(staff, account_id) == []


def test_approving_a_proposal_keeps_its_history(staff: Database) -> None:
    with staff.transaction(CLERK) as session:
        proposal = factories.account(session, TODAY, last_rotated_on=date(2026, 10, 1))
        account_id, version = proposal.id, proposal.version
    with staff.transaction(CLERK) as session:
        accounts.approve(session, account_id, version, CLERK, TODAY, "Residents' news", TODAY)
    assert history(staff, account_id) == [(date(2026, 10, 1), "other", REGISTER_NOTE)]


# --- the same date in a CSV import --------------------------------------------------------------


def csv_import(db: Database, last_rotated_on: str) -> imports.ImportResult:
    content = (
        f"{ACCOUNTS_HEADER}\r\nFacebook,@TownCouncil,,News,active,social@town.gov.uk,app,{CLERK},2026-01-05,"
        f"Residents' news,yes,,{last_rotated_on},2026-01-05,\r\n"
    )
    with db.transaction(CLERK) as session:
        return imports.import_rows(session, "accounts", content, TODAY)


def imported_history(db: Database) -> list[tuple[date, str, str | None]]:
    with db.read() as session:
        account = accounts.by_name(session, FACEBOOK)
        assert account is not None
        account_id = account.id
    return history(db, account_id)


def test_a_date_imported_from_csv_goes_through_the_history(staff: Database) -> None:
    assert csv_import(staff, "2026-10-01") == imports.ImportResult(1, 0)
    assert imported_history(staff) == [(date(2026, 10, 1), "other", REGISTER_NOTE)]
    # The same file again changes nothing.
    assert csv_import(staff, "2026-10-01") == imports.ImportResult(0, 1)
    assert len(imported_history(staff)) == 1
    # A later date is another change.
    csv_import(staff, "2026-11-20")
    assert [on for on, _, _ in imported_history(staff)] == [date(2026, 11, 20), date(2026, 10, 1)]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2026-09-01", "is before the last recorded change (2026-10-01)"),
        ("", "cannot be cleared"),
        ("2026-11-22", "is in the future"),
    ],
)
def test_an_import_that_would_rewrite_the_history_is_refused_whole(
    staff: Database, value: str, message: str
) -> None:
    csv_import(staff, "2026-10-01")
    counts = row_counts(staff)
    with pytest.raises(ValidationError) as caught:
        csv_import(staff, value)
    assert (caught.value.row, caught.value.field) == (2, "last_rotated_on")
    assert message in caught.value.message
    assert row_counts(staff) == counts


# --- the upgrade that starts the history (migration 0002) ---------------------------------------


def test_upgrading_a_0001_database_turns_each_recorded_date_into_history(
    tmp_path: Path, clock: FixedClock
) -> None:
    path = tmp_path / "council.db"
    shutil.copyfile(DATA / "schema_0001.db", path)  # never the kept file itself
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?immutable=1", uri=True)) as conn:
        recorded = {
            f"{platform}:{handle}": date.fromisoformat(on)
            for platform, handle, on in conn.execute(
                "SELECT platform, handle, last_rotated_on FROM accounts WHERE last_rotated_on IS NOT NULL"
            )
        }
        all_accounts = conn.execute("SELECT count(*) FROM accounts").fetchone()[0]
    assert len(recorded) == 7 and all_accounts == 8  # the proposed TikTok account has no date

    database = open_database(f"sqlite:///{path}", clock)
    try:
        with database.read() as session:
            rows = list(session.execute(select(PasswordRotation)).scalars())
            assert {row.account_name: row.rotated_on for row in rows} == recorded
            assert len(rows) == len(recorded)
            for row in rows:
                assert (row.reason, row.recorded_by) == ("other", "Clerk Desk upgrade")
                assert row.note == "Recorded in the register before rotation history was kept"
            for account in accounts.all_accounts(session):
                changes = rotation.history(session, account.id)
                # "Last changed" keeps its value, and is now the newest entry of the history.
                assert account.last_rotated_on == recorded.get(account.name)
                assert [c.rotated_on for c in changes] == (
                    [account.last_rotated_on] if account.last_rotated_on else []
                )
            assert audit.verify(session).ok
        # The upgraded register takes new changes like any other.
        with database.transaction(CLERK) as session:
            x = accounts.by_name(session, "X:@AshcombeTC")
            assert x is not None
            rotation.record(session, x, TODAY, RotationReason.SCHEDULED, TODAY)
        with database.read() as session:
            assert [c.reason for c in rotation.history(session, x.id)] == ["scheduled", "other"]
    finally:
        database.dispose()


def test_the_kept_0002_database_keeps_its_history_as_it_is(tmp_path: Path, clock: FixedClock) -> None:
    path = tmp_path / "council.db"
    shutil.copyfile(DATA / "schema_0002.db", path)
    database = open_database(f"sqlite:///{path}", clock)
    try:
        # Written after 0002 ran, so the history is already there and nothing is added twice.
        assert row_counts(database)["password_rotations"] == 7
    finally:
        database.dispose()
