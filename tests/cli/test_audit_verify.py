"""``audit --verify`` catches what the chain alone cannot: a trail cut short or emptied, a middle entry
edited and the chain recomputed with plain SHA-256, and a register row changed directly with sqlite3."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from clerk_desk.audit import checkpoints
from clerk_desk.cli import main
from clerk_desk.register import authority
from clerk_desk.storage import db as db_module
from clerk_desk.storage.clock import FixedClock

Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture(autouse=True)
def as_the_clerk(monkeypatch: pytest.MonkeyPatch, clock: FixedClock, tmp_path: Path) -> None:
    """The fixed clock, the clerk's OS login, and a private data folder for the anchor file."""
    monkeypatch.setattr(db_module, "SystemClock", lambda: clock)
    monkeypatch.setattr(authority, "os_login", lambda: "zhartley")
    monkeypatch.setenv("CLERK_DESK_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "council.db"


@pytest.fixture
def cli(path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--database", f"sqlite:///{path}", *args])
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err
        return code, out, err

    code, _, err = run("demo")
    assert (code, err) == (0, "")
    return run


def sql(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path)
    try:
        for statement in statements:
            conn.execute(statement)
        conn.commit()
    finally:
        conn.close()


def found(out: str) -> list[str]:
    return [line.removeprefix("  TAMPERED: ") for line in out.splitlines() if line.startswith("  TAMPERED: ")]


def entries(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT max(seq) FROM audit_entries").fetchone()[0])
    finally:
        conn.close()


def test_an_untouched_council_verifies_and_says_what_it_checked(cli: Cli, path: Path) -> None:
    assert cli("audit", "--checkpoint")[0] == 0
    code, out, _ = cli("audit", "--verify")
    assert code == 0, out
    lines = out.splitlines()
    assert lines[0] == "Checked:"
    assert any(
        line.startswith("  - 1 checkpoint in the database and this PC's anchor file") for line in lines
    )
    assert any("rows in 13 tables (accounts, acknowledgements" in line for line in lines)
    assert "Could not check:" in lines
    assert lines[-1] == f"The audit trail is intact and the register matches it ({entries(path)} entries)."


def test_deleting_the_newest_entry(cli: Cli, path: Path) -> None:
    assert cli("audit", "--checkpoint")[0] == 0
    last = entries(path)
    sql(path, f"DELETE FROM audit_entries WHERE seq = {last}")
    code, out, _ = cli("audit", "--verify")
    assert code == 1
    problems = found(out)
    assert any(
        f"the trail ends at entry {last - 1} but the checkpoint of" in p and f"entry {last} was removed" in p
        for p in problems
    ), problems
    # The row that entry created is still there, with no trail of it.
    assert any("was added outside Clerk Desk: the trail never recorded it" in p for p in problems)


def test_deleting_the_newest_entry_is_caught_by_the_anchor_file_alone(cli: Cli, path: Path) -> None:
    assert cli("audit", "--checkpoint")[0] == 0
    last = entries(path)
    sql(path, f"DELETE FROM audit_entries WHERE seq = {last}", "DELETE FROM audit_checkpoints")
    code, out, _ = cli("audit", "--verify")
    assert code == 1
    assert any(f"{checkpoints.ANCHOR_FILE}" in p and f"entry {last} was removed" in p for p in found(out))


def test_deleting_every_entry(cli: Cli, path: Path) -> None:
    assert cli("audit", "--checkpoint")[0] == 0
    last = entries(path)
    sql(path, "DELETE FROM audit_entries")
    code, out, _ = cli("audit", "--verify")
    assert code == 1
    problems = found(out)
    assert any(
        "the trail ends at entry 0 but the checkpoint" in p and f"entries 1–{last} were removed" in p
        for p in problems
    ), problems
    assert (
        "people record 1 (Zoë Hartley) was added outside Clerk Desk: the trail never recorded it" in problems
    )


def test_deleting_every_entry_with_no_checkpoint_is_still_caught_by_the_replay(cli: Cli, path: Path) -> None:
    sql(path, "DELETE FROM audit_entries")
    code, out, _ = cli("audit", "--verify")
    assert code == 1
    assert (
        "accounts record 1 (Facebook:@LittleAshcombeTC) was added outside Clerk Desk: the trail never "
        "recorded it" in found(out)
    )


def _rechain_with_plain_sha256(path: Path, edit_seq: int, new_changes: str) -> None:
    """What someone without the key does: edit one entry, then recompute every hash after it."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT seq, at, actor, action, subject_type, subject_id, subject_label, changes, prev_hash "
            "FROM audit_entries ORDER BY seq"
        ).fetchall()
        prev = "0" * 64
        for seq, at, actor, action, stype, sid, label, changes, _ in rows:
            if seq == edit_seq:
                changes = new_changes
            moment = datetime.fromisoformat(at).replace(tzinfo=UTC).isoformat()
            payload = json.dumps(
                [seq, moment, actor, action, stype, sid, label, changes, prev],
                ensure_ascii=False,
                separators=(",", ":"),
            )
            digest = hashlib.sha256(payload.encode("utf-8")).hexdigest()
            conn.execute(
                "UPDATE audit_entries SET changes = ?, prev_hash = ?, hash = ?, key_id = NULL WHERE seq = ?",
                (changes, prev, digest, seq),
            )
            prev = digest
        conn.commit()
    finally:
        conn.close()


def _entry_about(path: Path, label: str) -> tuple[int, str]:
    conn = sqlite3.connect(path)
    try:
        seq, changes = conn.execute(
            "SELECT seq, changes FROM audit_entries WHERE subject_label = ? AND action = 'create' "
            "ORDER BY seq",
            (label,),
        ).fetchone()
        return int(seq), str(changes)
    finally:
        conn.close()


def test_editing_a_middle_entry_and_rechaining_with_plain_sha256(cli: Cli, path: Path) -> None:
    assert cli("audit", "--checkpoint")[0] == 0
    seq, changes = _entry_about(path, "Tom Beckett")
    assert seq < entries(path)
    # Make the trail say the volunteer was created as a clerk, and the row too, then cover the tracks.
    edited = changes.replace('"volunteer"', '"clerk"')
    assert edited != changes
    _rechain_with_plain_sha256(path, seq, edited)
    sql(path, "UPDATE people SET role = 'clerk' WHERE name = 'Tom Beckett'")
    code, out, _ = cli("audit", "--verify")
    assert code == 1
    problems = found(out)
    # The chain itself looks consistent, but the last checkpoint saw another hash.
    assert not any("was edited after it was written" in p for p in problems)
    assert any(
        "differs from the checkpoint of" in p and "the trail up to it was rewritten" in p for p in problems
    )


def test_a_direct_update_of_a_role_is_named_by_table_record_and_field(cli: Cli, path: Path) -> None:
    sql(path, "UPDATE people SET role = 'clerk' WHERE name = 'Tom Beckett'")
    code, out, _ = cli("audit", "--verify")
    assert code == 1
    conn = sqlite3.connect(path)
    tom = conn.execute("SELECT id FROM people WHERE name = 'Tom Beckett'").fetchone()[0]
    conn.close()
    assert found(out) == [
        f"people record {tom} (Tom Beckett): role is 'clerk' in the database but 'volunteer' in the trail: "
        "it was changed outside Clerk Desk"
    ]


def test_a_row_deleted_directly_is_named(cli: Cli, path: Path) -> None:
    sql(path, "PRAGMA foreign_keys=OFF", "DELETE FROM settings WHERE key = 'council_name'")
    code, out, _ = cli("audit", "--verify")
    assert code == 1
    assert any(
        p.startswith("settings record council_name (council_name) is in the trail but not in the database")
        for p in found(out)
    ), found(out)


def test_a_checkpoint_signed_by_an_unknown_key_is_not_trusted(cli: Cli, path: Path) -> None:
    sql(
        path,
        "INSERT INTO audit_checkpoints (seq, hash, at, made_by, reason, signer_key, signature) VALUES "
        f"(1, '{'0' * 64}', '2026-11-21 12:00:00', 'Mallory', 'window closed', '{'ab' * 32}', '{'cd' * 64}')",
    )
    code, out, _ = cli("audit", "--verify")
    assert code == 1
    assert any("is signed by a key that is not a known key holder's: not trusted" in p for p in found(out))
