"""The hash-chained audit trail: what is recorded, ``verify``, and reading the trail."""

from __future__ import annotations

import itertools
import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import factories
import pytest
from sqlalchemy import select, text

from clerk_desk.audit import chain as audit
from clerk_desk.audit import reader as audit_log
from clerk_desk.models import AccountStatus, AuditEntry, Role
from clerk_desk.register import accounts, people, settings
from clerk_desk.storage.clock import FixedClock
from clerk_desk.storage.db import Database, open_database

LONDON = ZoneInfo("Europe/London")
TODAY = date(2026, 11, 21)
NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
CLERK, DEPUTY = "Zoë Hartley", "Łukasz Nowak"


def entries(db: Database) -> list[AuditEntry]:
    with db.read() as session:
        return list(session.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars())


def changes(entry: AuditEntry) -> dict[str, list[object]]:
    return json.loads(entry.changes)


def verify(db: Database) -> audit.ChainResult:
    with db.read() as session:
        return audit.verify(session)


@pytest.fixture
def council(db: Database) -> Database:
    """The clerk and the deputy, then a proposed account: three entries."""
    with db.transaction(CLERK) as session:
        factories.person(session, CLERK, Role.CLERK, email="zoe.hartley@town.gov.uk")
        factories.person(session, DEPUTY, Role.DEPUTY_CLERK)
    with db.transaction(DEPUTY) as session:
        factories.account(session, TODAY, purpose="Youth outreach")
    return db


# --- what is recorded ---------------------------------------------------------------------------


def test_a_create_records_actor_time_and_every_field(council: Database) -> None:
    clerk, _, account = entries(council)
    assert (clerk.seq, clerk.actor, clerk.at, clerk.action) == (1, CLERK, NOW, "create")
    assert (clerk.subject_type, clerk.subject_label) == ("Person", CLERK)
    assert changes(clerk) == {
        "name": [None, CLERK],
        "role": [None, "clerk"],
        "email": [None, "zoe.hartley@town.gov.uk"],
    }
    assert (account.actor, account.subject_type, account.subject_label) == (
        DEPUTY,
        "Account",
        "Facebook:@TownCouncil",
    )
    recorded = changes(account)
    assert recorded["status"] == [None, "proposed"]
    assert recorded["purpose"] == [None, "Youth outreach"]
    assert recorded["complaints_info"] == [None, False]
    # Internal columns are not part of the story a clerk reads.
    assert not {"id", "version", "platform_key", "handle_key", "name_key"} & recorded.keys()


def test_an_update_records_only_the_changed_fields_before_and_after(council: Database) -> None:
    with council.transaction(CLERK) as session:
        account = accounts.by_name(session, "Facebook:@TownCouncil")
        data = replace(accounts.data_of(account), purpose="Youth council elections", rotation_days=90)
        accounts.save(session, data, TODAY, account_id=account.id, expected_version=account.version)
    entry = entries(council)[-1]
    assert (entry.action, entry.actor, entry.subject_label) == ("update", CLERK, "Facebook:@TownCouncil")
    assert changes(entry) == {
        "purpose": ["Youth outreach", "Youth council elections"],
        "rotation_days": [None, 90],
    }


def test_an_approval_is_recorded_with_the_approver_by_name(council: Database) -> None:
    with council.transaction(CLERK) as session:
        account = accounts.by_name(session, "Facebook:@TownCouncil")
        accounts.approve(session, account.id, account.version, DEPUTY, date(2026, 11, 20), "News", TODAY)
    entry = entries(council)[-1]
    assert (entry.action, entry.actor, entry.at) == ("approve", CLERK, NOW)
    recorded = changes(entry)
    assert recorded["status"] == ["proposed", "active"]
    assert recorded["approved_by"] == [None, DEPUTY]  # a name, not the person's id
    assert "approved_by_id" not in recorded
    assert recorded["approved_on"] == [None, "2026-11-20"]
    assert recorded["business_case"] == [None, "News"]


def test_a_change_of_approver_is_recorded_by_both_names(council: Database) -> None:
    with council.transaction(CLERK) as session:
        account = accounts.by_name(session, "Facebook:@TownCouncil")
        accounts.approve(session, account.id, account.version, DEPUTY, date(2026, 11, 20), "News", TODAY)
    with council.transaction(CLERK) as session:
        account = accounts.by_name(session, "Facebook:@TownCouncil")
        accounts.save(
            session, replace(accounts.data_of(account), approved_by=CLERK), TODAY, account_id=account.id
        )
    assert changes(entries(council)[-1]) == {"approved_by": [DEPUTY, CLERK]}


def test_closing_an_account_and_a_person_leaving_are_archive_entries(council: Database) -> None:
    with council.transaction(CLERK) as session:
        account = accounts.by_name(session, "Facebook:@TownCouncil")
        accounts.close(session, account.id, account.version, date(2026, 11, 20), TODAY)
        deputy = people.by_name(session, DEPUTY)
        people.record_leaving(session, deputy.id, deputy.version, date(2026, 11, 21))
    closed, left = entries(council)[-2:]
    assert (closed.action, closed.subject_label) == ("archive", "Facebook:@TownCouncil")
    assert changes(closed) == {"status": ["proposed", "closed"], "closed_on": [None, "2026-11-20"]}
    assert (left.action, left.subject_label, left.actor) == ("archive", DEPUTY, CLERK)
    assert changes(left) == {"left_on": [None, "2026-11-21"]}


def test_a_save_that_changes_nothing_writes_no_entry(council: Database) -> None:
    count = len(entries(council))
    with council.transaction(CLERK) as session:
        account = accounts.by_name(session, "Facebook:@TownCouncil")
        accounts.save(session, accounts.data_of(account), TODAY, account_id=account.id)
        settings.update(session, {"rotation_days": "180"})  # the default, never stored
    assert len(entries(council)) == count


def test_record_keeps_an_action_that_changes_no_row(council: Database) -> None:
    with council.transaction(CLERK) as session:
        account = accounts.by_name(session, "Facebook:@TownCouncil")
        audit.record(
            session, "reveal", "Account", str(account.id), account.name, {"when": NOW, "shown": True}
        )
    entry = entries(council)[-1]
    assert (entry.action, entry.subject_label, entry.actor) == ("reveal", "Facebook:@TownCouncil", CLERK)
    assert changes(entry) == {"when": [None, "2026-11-21T12:00:00+00:00"], "shown": [None, True]}
    assert verify(council).ok


def test_entries_take_their_time_from_the_clock(council: Database, clock: FixedClock) -> None:
    clock.moment = datetime(2027, 1, 4, 9, 30, 15, 123456, tzinfo=UTC)
    with council.transaction(CLERK) as session:
        factories.person(session, "Tom Beckett", Role.VOLUNTEER)
    assert entries(council)[-1].at == clock.moment
    assert verify(council).ok  # microseconds survive the round trip on every backend


# --- verify -------------------------------------------------------------------------------------


def test_an_untouched_trail_verifies(council: Database) -> None:
    result = verify(council)
    assert result.ok
    assert (result.entries, result.problems) == (3, [])


def test_an_empty_trail_verifies(db: Database) -> None:
    result = verify(db)
    assert (result.ok, result.entries, result.head_seq) == (True, 0, 0)


def tamper(db: Database, sql: str, **params: object) -> None:
    """Change the trail behind the app's back, as someone with the database file could."""
    with db.engine.begin() as conn:
        conn.execute(text(sql), params)


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("changes", '{"email": [null, "someone.else@example.org"]}'),
        ("actor", "Cllr Margaret Oduya"),
        ("action", "update"),
        ("subject_label", "Tom Beckett"),
        ("at", datetime(2026, 11, 20, 12, 0)),
    ],
)
def test_editing_an_entry_is_detected_and_named(council: Database, column: str, value: object) -> None:
    tamper(council, f"UPDATE audit_entries SET {column} = :value WHERE seq = 2", value=value)
    result = verify(council)
    assert not result.ok
    assert result.problems == ["entry 2 was edited after it was written"]
    assert result.entries == 3


def test_rewriting_an_entry_and_its_hash_breaks_the_next_link(council: Database) -> None:
    # Someone who recomputes the edited entry's hash still cannot hide it: the next entry names the old one.
    with council.read() as session:
        entry = session.execute(select(AuditEntry).where(AuditEntry.seq == 2)).scalar_one()
        row = {
            c: getattr(entry, c)
            for c in (
                "seq",
                "at",
                "actor",
                "action",
                "subject_type",
                "subject_id",
                "subject_label",
                "changes",
                "prev_hash",
            )
        }
    row["actor"] = "Someone else"
    tamper(
        council,
        "UPDATE audit_entries SET actor = :actor, hash = :hash WHERE seq = 2",
        actor=row["actor"],
        hash=audit.entry_hash(row),
    )
    assert verify(council).problems == ["entry 3 does not follow the entry before it"]


def test_deleting_a_middle_entry_is_detected_and_named(council: Database) -> None:
    tamper(council, "DELETE FROM audit_entries WHERE seq = 2")
    result = verify(council)
    assert not result.ok
    assert result.entries == 2
    assert "entries 2–2 are missing (removed)" in result.problems
    assert "entry 3 does not follow the entry before it" in result.problems


def test_changing_prev_hash_is_detected_and_named(council: Database) -> None:
    tamper(council, "UPDATE audit_entries SET prev_hash = :value WHERE seq = 3", value="f" * 64)
    result = verify(council)
    assert "entry 3 does not follow the entry before it" in result.problems
    assert "entry 3 was edited after it was written" in result.problems


def test_renumbering_entries_is_detected(council: Database) -> None:
    tamper(council, "UPDATE audit_entries SET seq = seq + 10 WHERE seq = 3")
    result = verify(council)
    assert "entries 3–12 are missing (removed)" in result.problems
    assert "entry 13 was edited after it was written" in result.problems


def test_the_chain_stays_consistent_across_many_transactions(db: Database, clock: FixedClock) -> None:
    with db.transaction(CLERK) as session:
        factories.person(session, CLERK, Role.CLERK)
        factories.person(session, DEPUTY, Role.DEPUTY_CLERK)
    for day in range(20):
        clock.moment = NOW + timedelta(hours=day)
        actor = CLERK if day % 2 else DEPUTY
        with db.transaction(actor) as session:
            account = factories.account(session, TODAY, handle=f"@Ward{day}", status=AccountStatus.PROPOSED)
            if day % 3 == 0:
                accounts.approve(session, account.id, account.version, actor, TODAY, "Ward news", TODAY)
    # A second Database on the same file or server carries the chain on.
    other = open_database(db.url, clock)
    try:
        with other.transaction(CLERK) as session:
            settings.update(session, {"council_name": "Little Ashcombe Town Council", "rotation_days": "90"})
    finally:
        other.dispose()
    trail = entries(db)
    assert [e.seq for e in trail] == list(range(1, len(trail) + 1))
    assert len(trail) == 2 + 20 + 7 + 2
    assert trail[0].prev_hash == audit.GENESIS
    for before, after in itertools.pairwise(trail):
        assert after.prev_hash == before.hash
    assert len({e.hash for e in trail}) == len(trail)
    result = verify(db)
    assert result.ok and result.entries == len(trail)


def test_a_rolled_back_transaction_leaves_no_entries_and_no_gap(council: Database) -> None:
    with pytest.raises(RuntimeError), council.transaction(CLERK) as session:
        factories.person(session, "Tom Beckett", Role.VOLUNTEER)
        session.flush()
        raise RuntimeError("power cut")
    assert len(entries(council)) == 3
    with council.transaction(CLERK) as session:
        factories.person(session, "Tom Beckett", Role.VOLUNTEER)
    assert [e.seq for e in entries(council)] == [1, 2, 3, 4]
    assert verify(council).ok


# --- reading the trail --------------------------------------------------------------------------


@pytest.fixture
def history(db: Database, clock: FixedClock) -> Database:
    """Entries on three days by two people."""
    clock.moment = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
    with db.transaction(CLERK) as session:
        factories.person(session, CLERK, Role.CLERK)
        factories.person(session, DEPUTY, Role.DEPUTY_CLERK)
    clock.moment = datetime(2026, 11, 10, 23, 59, tzinfo=UTC)
    with db.transaction(DEPUTY) as session:
        factories.account(session, TODAY, platform="Instagram", handle="@ŁódźTC")
    clock.moment = datetime(2026, 11, 21, 0, 0, tzinfo=UTC)
    with db.transaction(CLERK) as session:
        settings.update(session, {"council_name": "Little Ashcombe Town Council"})
    return db


def labels(found: list[AuditEntry]) -> list[str]:
    return [e.subject_label for e in found]


def test_search_returns_everything_newest_first(history: Database) -> None:
    with history.read() as session:
        assert labels(audit_log.search(session)) == ["council_name", "Instagram:@ŁódźTC", DEPUTY, CLERK]
        assert labels(audit_log.search(session, limit=2)) == ["council_name", "Instagram:@ŁódźTC"]


def test_search_by_person(history: Database) -> None:
    with history.read() as session:
        assert labels(audit_log.search(session, person=DEPUTY)) == ["Instagram:@ŁódźTC"]
        assert labels(audit_log.search(session, person=" zoë hartley ")) == ["council_name", DEPUTY, CLERK]
        assert audit_log.search(session, person="Tom Beckett") == []
        assert audit_log.actors(session) == sorted([CLERK, DEPUTY])


def test_search_by_subject_name_or_kind(history: Database) -> None:
    with history.read() as session:
        assert labels(audit_log.search(session, subject="instagram")) == ["Instagram:@ŁódźTC"]
        assert labels(audit_log.search(session, subject="@ŁódźTC")) == ["Instagram:@ŁódźTC"]
        assert labels(audit_log.search(session, subject="person")) == [DEPUTY, CLERK]
        assert labels(audit_log.search(session, subject="Nowak")) == [DEPUTY]
        assert audit_log.search(session, subject="Facebook") == []


def test_search_by_date_includes_whole_days(history: Database) -> None:
    with history.read() as session:
        assert labels(audit_log.search(session, since=date(2026, 11, 10), zone=LONDON)) == [
            "council_name",
            "Instagram:@ŁódźTC",
        ]
        assert labels(audit_log.search(session, until=date(2026, 11, 10), zone=LONDON)) == [
            "Instagram:@ŁódźTC",
            DEPUTY,
            CLERK,
        ]
        assert labels(
            audit_log.search(session, since=date(2026, 11, 2), until=date(2026, 11, 20), zone=LONDON)
        ) == ["Instagram:@ŁódźTC"]
        assert audit_log.search(session, since=date(2026, 11, 22), zone=LONDON) == []


def test_search_filters_combine(history: Database) -> None:
    with history.read() as session:
        found = audit_log.search(
            session, person=CLERK, subject="person", since=date(2026, 11, 1), zone=LONDON
        )
        assert labels(found) == [DEPUTY, CLERK]
        assert audit_log.search(session, person=DEPUTY, subject="person") == []


def test_summary_describes_an_entry_in_words(history: Database, clock: FixedClock) -> None:
    with history.transaction(CLERK) as session:
        account = accounts.by_name(session, "Instagram:@ŁódźTC")
        accounts.approve(session, account.id, account.version, DEPUTY, TODAY, "Events", TODAY)
    with history.read() as session:
        approve, setting, created = audit_log.search(session, limit=3)
    text_ = audit_log.summary(approve)
    assert "status: proposed → active" in text_
    assert f"approved_by: — → {DEPUTY}" in text_
    assert audit_log.summary(setting) == "key: council_name; value: Little Ashcombe Town Council"
    assert "complaints_info: no" in audit_log.summary(created)
    assert "platform: Instagram" in audit_log.summary(created)


def test_search_treats_wildcards_literally(history: Database) -> None:
    with history.read() as session:
        assert labels(audit_log.search(session, subject="council_name")) == ["council_name"]
        assert audit_log.search(session, subject="council%name") == []
        assert audit_log.search(session, subject="council_nam_") == []
