"""The council audit key keys the trail's hashes, sealed like the passwords; checkpoints are signed with
the acting key holder's key. A chain recomputed without the key, or a checkpoint altered or signed by a
stranger, is reported."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import factories
import pytest
from sqlalchemy import select, text, update

from clerk_desk.audit import chain, checkpoints, keys, verify
from clerk_desk.models import AuditCheckpoint, AuditEntry, AuditKeyCopy, AuditSigner, Role
from clerk_desk.storage.db import Database
from services.helpers import give_keys

TODAY = date(2026, 11, 21)
CLERK, DEPUTY, STAFF = "Zoë Hartley", "Łukasz Nowak", "Nguyễn Thu Hà"


@pytest.fixture(autouse=True)
def private_anchor_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CLERK_DESK_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture
def council(db: Database) -> Database:
    with db.transaction(CLERK) as session:
        factories.person(session, CLERK, Role.CLERK)
        factories.person(session, DEPUTY, Role.DEPUTY_CLERK)
        factories.person(session, STAFF, Role.EMPLOYEE)
    give_keys(db, CLERK, DEPUTY)
    with db.transaction(CLERK) as session:
        factories.approved_account(session, TODAY)
        factories.account(session, TODAY, platform="X", handle="@Town")
    return db


def trail(db: Database) -> list[AuditEntry]:
    with db.read() as session:
        return list(session.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars())


def report(db: Database, actor: str = CLERK) -> verify.Report:
    with db.read() as session:
        return verify.verify(session, actor)


def test_a_key_holders_entries_are_keyed_and_a_staff_members_are_not(council: Database) -> None:
    from clerk_desk.incidents import lifecycle
    from clerk_desk.models import IncidentCategory

    with council.transaction(STAFF) as session:
        lifecycle.log(session, "Odd login", IncidentCategory.OTHER, "Seen on X.")
    entries = trail(council)
    by_clerk = [e for e in entries if e.actor == CLERK and e.subject_type == "Account"]
    assert by_clerk and all(e.key_id is not None for e in by_clerk)
    assert all(e.key_id is None for e in entries if e.actor == STAFF)
    found = report(council)
    assert found.ok, found.problems
    assert any("keyed with the council audit key" in line for line in found.checked)


def test_the_audit_key_is_stored_only_sealed_to_each_key_and_the_recovery_key(council: Database) -> None:
    with council.transaction(CLERK) as session:
        secret = keys.audit_key(session)
        assert secret is not None
    with council.read() as session:
        copies = list(session.execute(select(AuditKeyCopy)).scalars())
        assert {c.key_id for c in copies} == {secret.key_id}
        assert len([c for c in copies if c.person_key_id is not None]) == 2  # the clerk's and the deputy's
        assert len([c for c in copies if c.recovery_key_id is not None]) == 1
        dump = b"".join(c.sealed for c in copies)
        assert secret.secret not in dump and secret.secret.hex().encode() not in dump
        assert keys.audit_key_holders(session) == {CLERK, DEPUTY}
    # The deputy, on this PC with her own key, can check the keyed hashes too.
    assert report(council, DEPUTY).ok


def _rechain(db: Database, from_seq: int, *, keep_key_id: bool) -> None:
    """Edit an entry and recompute every hash after it with plain SHA-256, as someone without the key."""
    with db.engine.begin() as conn:
        rows = conn.execute(select(AuditEntry.__table__).order_by(AuditEntry.seq)).mappings().all()
        prev = chain.GENESIS
        for row in rows:
            values = dict(row)
            if values["seq"] == from_seq:
                values["changes"] = values["changes"].replace('"proposed"', '"active"')
            values["prev_hash"] = prev
            if values["seq"] >= from_seq:
                values["hash"] = chain.entry_hash(values)
                conn.execute(
                    update(AuditEntry.__table__)
                    .where(AuditEntry.__table__.c.seq == values["seq"])
                    .values(
                        changes=values["changes"],
                        prev_hash=prev,
                        hash=values["hash"],
                        key_id=values["key_id"] if keep_key_id else None,
                    )
                )
            prev = values["hash"]


def _created(db: Database, label: str) -> int:
    return next(e.seq for e in trail(db) if e.subject_label == label and e.action == "create")


def test_a_chain_recomputed_without_the_key_is_detected(council: Database) -> None:
    seq = _created(council, "X:@Town")
    _rechain(council, seq, keep_key_id=True)
    found = report(council)
    assert not found.ok
    assert f"entry {seq} was edited after it was written (its keyed hash does not match)" in found.problems


def test_a_chain_recomputed_as_plain_hashes_is_caught_by_a_signed_checkpoint(council: Database) -> None:
    point = checkpoints.record(council, CLERK, "window closed")
    assert point.signature is not None and point.signer_key is not None
    seq = _created(council, "X:@Town")
    _rechain(council, seq, keep_key_id=False)
    found = report(council)
    assert not found.ok
    assert any(
        f"entry {point.seq} differs from the checkpoint of" in p and "by Zoë Hartley" in p
        for p in found.problems
    ), found.problems
    assert any("have a plain hash" in line for line in found.not_checked)
    assert any(
        "(2 signed by a key holder)" in line or "(1 signed by a key holder)" in line for line in found.checked
    )


def test_a_signed_checkpoint_that_was_altered_is_reported(council: Database) -> None:
    checkpoints.record(council, CLERK, "annual report")
    with council.engine.begin() as conn:
        conn.execute(update(AuditCheckpoint.__table__).values(seq=AuditCheckpoint.__table__.c.seq - 1))
    # The anchor file still holds the true copy; move it aside to see the database's alone.
    checkpoints.anchor_path().unlink()
    found = report(council)
    assert any("has a signature that does not match it: it was altered" in p for p in found.problems)


def test_a_checkpoint_signed_by_a_key_no_holder_registered_is_not_trusted(council: Database) -> None:
    checkpoints.record(council, CLERK, "window closed")
    with council.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_signers"))
    found = report(council)
    assert any(
        "is signed by a key that is not a known key holder's: not trusted" in p for p in found.problems
    )


def test_staff_checkpoints_go_to_the_anchor_file_only_and_unsigned(council: Database) -> None:
    point = checkpoints.record(council, STAFF, "window closed")
    assert point.signature is None
    with council.read() as session:
        assert session.execute(select(AuditCheckpoint)).first() is None
        assert session.execute(select(AuditSigner)).first() is None
        assert len(checkpoints.anchors(checkpoints.identity(session) or "")) == 1
    assert report(council).ok


def test_the_anchor_file_holds_no_secret(council: Database) -> None:
    checkpoints.record(council, CLERK, "window closed")
    with council.transaction(CLERK) as session:
        secret = keys.audit_key(session)
    assert secret is not None
    content = checkpoints.anchor_path().read_text(encoding="utf-8")
    assert secret.secret.hex() not in content
    assert json.loads(content)  # plain JSON a person can read
    assert hashlib.sha256(content.encode()).hexdigest()  # and nothing else to it
