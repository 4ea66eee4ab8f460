"""Sealed credentials across PCs: two PCs (two keyrings) on one database, approval by fingerprint, a
key holder leaving, recovery on a third PC, and the upgrade from passwords kept in the keyring."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import factories
import keyring
import pytest
from conftest import MemoryKeyring
from sqlalchemy import make_url, select

from clerk_desk.access import leaving
from clerk_desk.audit import chain as audit
from clerk_desk.checks import engine as checks
from clerk_desk.credentials import enrolment, keys, sealing, vault
from clerk_desk.credentials import service as credentials
from clerk_desk.errors import ClerkDeskError, PermissionDenied, ValidationError
from clerk_desk.models import AuditEntry, KeyState, Role, RotationReason, SealedCopy
from clerk_desk.register import accounts, people
from clerk_desk.storage.clock import FixedClock
from clerk_desk.storage.db import Database

TODAY = date(2026, 11, 21)
CLERK, DEPUTY, VOLUNTEER = "Zoë Hartley", "Łukasz Nowak", "Tom Beckett"
SECRET = "Zoë-Fb-ñ7#kQ2!vL9wR"
SECOND = "X-acct-Ş4%mP8&tY3zB"


class PCs:
    """Each PC is its own keyring; ``on(n)`` makes PC n's keyring the one in use."""

    def __init__(self) -> None:
        self.keyrings: dict[int, MemoryKeyring] = {}

    def on(self, number: int) -> MemoryKeyring:
        backend = self.keyrings.setdefault(number, MemoryKeyring())
        keyring.set_keyring(backend)
        return backend


@pytest.fixture
def pcs(memory_keyring: MemoryKeyring) -> Iterator[PCs]:
    machines = PCs()
    machines.keyrings[1] = memory_keyring
    yield machines
    keyring.set_keyring(memory_keyring)


@pytest.fixture
def council(db: Database) -> Database:
    with db.transaction(CLERK) as session:
        factories.person(session, CLERK, Role.CLERK)
        factories.person(session, DEPUTY, Role.DEPUTY_CLERK)
        factories.person(session, VOLUNTEER, Role.VOLUNTEER)
        factories.approved_account(session, TODAY)
        factories.approved_account(session, TODAY, platform="X", handle="@Town")
    return db


def act(db: Database, actor: str, action: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    with db.transaction(actor) as session:
        return action(session, *args, **kwargs)


def account_id(db: Database, name: str) -> int:
    with db.read() as session:
        found = accounts.by_name(session, name)
        assert found is not None
        return found.id


def rules_for(db: Database, clock: FixedClock, subject: str | None = None) -> list[tuple[str, str]]:
    with db.read() as session:
        snapshot = credentials.snapshot(accounts.all_accounts(session))
        return [
            (f.rule, f.subject)
            for f in checks.run(session, clock, snapshot)
            if subject is None or f.subject == subject
        ]


def set_up_two_pcs(db: Database, pcs: PCs) -> tuple[str, int]:
    """The clerk sets up PC 1 and stores a password; the deputy enrols on PC 2 and is approved on PC 1."""
    pcs.on(1)
    first = act(db, CLERK, enrolment.set_up)
    assert first.approved and first.recovery is not None
    facebook = account_id(db, "Facebook:@TownCouncil")
    act(db, CLERK, credentials.set_password, facebook, SECRET, changed_on_platform=True)
    pcs.on(2)
    second = act(db, DEPUTY, enrolment.set_up)
    assert second.created and second.key.state == KeyState.AWAITING
    with pytest.raises(keys.NoKeyOnThisPC, match="waiting for approval"):
        act(db, DEPUTY, credentials.reveal, facebook)
    pcs.on(1)
    act(db, CLERK, enrolment.approve, DEPUTY, second.key.fingerprint.lower().replace("-", " "))
    return first.recovery.text, facebook


def test_a_password_set_on_one_pc_opens_on_the_other_after_approval(council: Database, pcs: PCs) -> None:
    _, facebook = set_up_two_pcs(council, pcs)
    pcs.on(2)
    assert act(council, DEPUTY, credentials.reveal, facebook) == SECRET
    # A rotation begun on PC 2 is confirmed on PC 1.
    act(council, DEPUTY, credentials.begin_rotation, facebook, SECOND)
    pcs.on(1)
    assert act(council, CLERK, credentials.pending, facebook) == SECOND
    act(council, CLERK, credentials.confirm_rotation, facebook, RotationReason.SCHEDULED)
    pcs.on(2)
    assert act(council, DEPUTY, credentials.copy, facebook) == SECOND
    with council.read() as session:
        assert credentials.readers(session)[facebook] == [CLERK, DEPUTY, "recovery key"]


def test_approval_needs_the_right_fingerprint(council: Database, pcs: PCs) -> None:
    pcs.on(1)
    act(council, CLERK, enrolment.set_up)
    pcs.on(2)
    waiting = act(council, DEPUTY, enrolment.set_up).key
    pcs.on(1)
    wrong = sealing.fingerprint(sealing.public_bytes(sealing.new_private_key()))
    with pytest.raises(ValidationError, match="is not the fingerprint of Łukasz Nowak's key"):
        act(council, CLERK, enrolment.approve, DEPUTY, wrong)
    with council.read() as session:
        assert [k.state for k in keys.all_keys(session)] == [KeyState.APPROVED, KeyState.AWAITING]
    assert waiting.fingerprint not in wrong


def test_only_a_clerk_or_deputy_may_hold_a_key(council: Database, pcs: PCs) -> None:
    with pytest.raises(PermissionDenied, match=r"\(Thornbury 9.1, 9.2\); you are acting as Tom Beckett"):
        act(council, VOLUNTEER, enrolment.set_up)
    assert pcs.on(1).entries == {}


def test_no_byte_of_the_password_reaches_the_database_file(
    council: Database, pcs: PCs, database_url: str
) -> None:
    set_up_two_pcs(council, pcs)
    if council.engine.dialect.name != "sqlite":
        with council.engine.connect() as conn:
            for table in ("sealed_copies", "audit_entries", "person_keys", "recovery_keys"):
                dump = " ".join(str(row) for row in conn.exec_driver_sql(f"SELECT * FROM {table}"))
                assert SECRET not in dump
        return
    path = Path(make_url(database_url).database or "")
    blobs = [p.read_bytes() for p in (path, path.with_name(path.name + "-wal")) if p.exists()]
    assert any(b"Facebook" in blob for blob in blobs)
    for blob in blobs:
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            assert SECRET.encode(encoding) not in blob


def test_the_deputy_leaving_removes_their_copies_and_flags_rotate_now(
    council: Database, pcs: PCs, clock: FixedClock
) -> None:
    _, facebook = set_up_two_pcs(council, pcs)
    with council.read() as session:
        deputy_key = next(k for k in keys.all_keys(session) if k.person.name == DEPUTY).id
        deputy = people.by_name(session, DEPUTY)
        assert deputy is not None
    clock.moment = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    act(council, CLERK, leaving.record_leaving, deputy.id, deputy.version, date(2026, 11, 24))
    with council.read() as session:
        left = session.execute(select(SealedCopy).where(SealedCopy.person_key_id == deputy_key)).all()
        assert left == []
    assert ("rotate-now", "Facebook:@TownCouncil") in rules_for(council, clock)
    with council.read() as session:
        [finding] = [f for f in checks.run(session, clock) if f.rule == "rotate-now"]
    assert "key holder left (Łukasz Nowak)" in finding.message
    pcs.on(2)
    with pytest.raises(PermissionDenied):
        act(council, DEPUTY, credentials.reveal, facebook)


def test_a_third_pc_recovers_with_the_recovery_key(council: Database, pcs: PCs, clock: FixedClock) -> None:
    recovery_text, facebook = set_up_two_pcs(council, pcs)
    with council.transaction(CLERK) as session:
        factories.person(session, "Nia Evans", Role.CLERK)
    pcs.on(3)
    refused = act(council, "Nia Evans", enrolment.recover, "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH")
    assert not refused.ok and "not the council's recovery key" in refused.message
    with council.read() as session:
        last = session.execute(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).scalar_one()
        assert last.action == "recovery key refused"
        assert [k.person.name for k in keys.all_keys(session)] == [CLERK, DEPUTY]
    clock.moment = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    result = act(council, "Nia Evans", enrolment.recover, recovery_text.lower().replace("-", " "))
    assert result.ok and result.passwords >= 1
    assert act(council, "Nia Evans", credentials.reveal, facebook) == SECRET
    found = rules_for(council, clock)
    assert ("rotate-now", "Facebook:@TownCouncil") in found and ("rotate-now", "X:@Town") in found
    with council.read() as session:
        assert audit.verify(session).ok


def test_passwords_kept_in_the_keyring_by_an_earlier_version_are_moved_on_first_use(
    council: Database, pcs: PCs
) -> None:
    backend = pcs.on(1)
    facebook = account_id(council, "Facebook:@TownCouncil")
    with council.read() as session:
        uuid = accounts.get(session, facebook).uuid
    backend.entries[(vault.SERVICE, uuid)] = SECRET
    backend.entries[(vault.SERVICE, f"{uuid}:pending")] = SECOND
    # Still counted as stored before the move.
    assert ("password-missing", "Facebook:@TownCouncil") not in rules_for(
        council, FixedClock(datetime.now(UTC))
    )

    class Interrupted(Exception):
        pass

    # Interrupted before the transaction commits: the keyring entries stay, nothing is sealed.
    with pytest.raises(Interrupted), council.transaction(CLERK) as session:
        assert credentials.reveal(session, facebook) == SECRET
        raise Interrupted
    assert backend.entries[(vault.SERVICE, uuid)] == SECRET
    with council.read() as session:
        assert session.execute(select(SealedCopy)).all() == []
    # Done: sealed, verified, and only then removed from the keyring.
    assert act(council, CLERK, credentials.reveal, facebook) == SECRET
    assert (vault.SERVICE, uuid) not in backend.entries
    assert (vault.SERVICE, f"{uuid}:pending") not in backend.entries
    assert act(council, CLERK, credentials.pending, facebook) == SECOND


def test_a_damaged_copy_is_named_never_shown_as_no_password(council: Database, pcs: PCs) -> None:
    pcs.on(1)
    act(council, CLERK, enrolment.set_up)
    facebook = account_id(council, "Facebook:@TownCouncil")
    act(council, CLERK, credentials.set_password, facebook, SECRET, changed_on_platform=True)
    with council.transaction(CLERK) as session:
        for copy in session.execute(select(SealedCopy)).scalars():
            copy.sealed = copy.sealed[:-1] + bytes([copy.sealed[-1] ^ 1])
    with pytest.raises(ClerkDeskError, match="stored password of Facebook:@TownCouncil could not be opened"):
        act(council, CLERK, credentials.reveal, facebook)


def test_replacing_the_recovery_key_retires_the_old_one(council: Database, pcs: PCs) -> None:
    pcs.on(1)
    old = act(council, CLERK, enrolment.set_up).recovery
    facebook = account_id(council, "Facebook:@TownCouncil")
    act(council, CLERK, credentials.set_password, facebook, SECRET, changed_on_platform=True)
    new = act(council, CLERK, enrolment.replace_recovery_key)
    assert new.fingerprint != old.fingerprint
    with council.transaction(CLERK) as session:
        factories.person(session, "Nia Evans", Role.DEPUTY_CLERK)
    pcs.on(3)
    assert not act(council, "Nia Evans", enrolment.recover, old.text).ok
    assert act(council, "Nia Evans", enrolment.recover, new.text).ok
    assert act(council, "Nia Evans", credentials.reveal, facebook) == SECRET


def key_rules(db: Database, clock: FixedClock) -> list[tuple[str, str, str]]:
    wanted = {"passwords-single-holder", "key-awaiting-approval", "recovery-key-missing"}
    with db.read() as session:
        return [(f.rule, f.severity, f.subject) for f in checks.run(session, clock) if f.rule in wanted]


def test_the_key_findings(council: Database, pcs: PCs, clock: FixedClock) -> None:
    pcs.on(1)
    facebook = account_id(council, "Facebook:@TownCouncil")
    assert key_rules(council, clock) == []  # nothing stored yet
    # A password set before anyone set up: the clerk's key is made, but there is no recovery key.
    act(council, CLERK, credentials.set_password, facebook, SECRET, changed_on_platform=True)
    assert key_rules(council, clock) == [
        ("recovery-key-missing", "high", "Recovery key"),
        ("passwords-single-holder", "medium", CLERK),
    ]
    made = act(council, CLERK, enrolment.set_up)
    assert made.recovery is not None and not made.created  # the key was there; the recovery key is new
    assert key_rules(council, clock) == []
    pcs.on(2)
    waiting = act(council, DEPUTY, enrolment.set_up).key
    assert key_rules(council, clock) == [("key-awaiting-approval", "low", DEPUTY)]
    with council.read() as session:
        [finding] = [f for f in checks.run(session, clock) if f.rule == "key-awaiting-approval"]
    assert waiting.fingerprint in finding.message and finding.clause == "Thornbury 9.1"


def test_a_deputy_who_stops_being_deputy_loses_their_copies_in_the_same_save(
    council: Database, pcs: PCs, clock: FixedClock
) -> None:
    set_up_two_pcs(council, pcs)
    clock.moment = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    with council.transaction(CLERK) as session:
        deputy = people.by_name(session, DEPUTY)
        assert deputy is not None
        data = replace(people.parse(people.as_row(deputy)), role=Role.EMPLOYEE)
        people.save(session, data, person_id=deputy.id, expected_version=deputy.version)
    with council.read() as session:
        [key] = [k for k in keys.all_keys(session, include_retired=True) if k.person.name == DEPUTY]
        assert key.state == KeyState.RETIRED and "no longer a clerk or deputy clerk" in (
            key.retired_reason or ""
        )
        left = session.execute(select(SealedCopy).where(SealedCopy.person_key_id == key.id)).all()
        assert left == []
    assert ("rotate-now", "Facebook:@TownCouncil") in rules_for(council, clock)
    # The clerk still reads it.
    pcs.on(1)
    assert act(council, CLERK, credentials.reveal, account_id(council, "Facebook:@TownCouncil")) == SECRET


def test_looking_for_a_password_before_anyone_set_up_makes_no_key(council: Database, pcs: PCs) -> None:
    backend = pcs.on(1)
    facebook = account_id(council, "Facebook:@TownCouncil")
    with pytest.raises(ClerkDeskError, match="No password is stored for Facebook:@TownCouncil"):
        act(council, CLERK, credentials.reveal, facebook)
    assert act(council, CLERK, credentials.pending, facebook) is None
    assert act(council, CLERK, credentials.forget, facebook) is False
    assert backend.entries == {}
    with council.read() as session:
        assert keys.all_keys(session) == []
