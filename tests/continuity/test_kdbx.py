"""KeePass files: written with pykeepass, read back by KeePassXC's own keepassxc-cli, and imported from
a file keepassxc-cli made; a wrong passphrase or a damaged file stores nothing."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import MemoryKeyring
from pykeepass import PyKeePass
from sqlalchemy import select

from clerk_desk.continuity import kdbx
from clerk_desk.credentials import service as credentials
from clerk_desk.errors import ClerkDeskError, PermissionDenied, ValidationError
from clerk_desk.models import Account, AccountStatus, AuditEntry
from clerk_desk.register import accounts
from clerk_desk.storage.db import Database

CLERK = "Zoë Hartley"

PASSPHRASE = "correct horse battery staple ñandú"
KEEPASSXC = shutil.which("keepassxc-cli")
needs_keepassxc = pytest.mark.skipif(
    KEEPASSXC is None, reason="keepassxc-cli is not installed (apt keepassxc)"
)


def secrets_for(db: Database) -> dict[str, str]:
    """A distinct password for every account that is not closed, stored by the clerk."""
    stored = {}
    with db.transaction(CLERK) as session:
        for account in accounts.all_accounts(session):
            if account.status == AccountStatus.CLOSED:
                continue
            secret = f"Pw-{account.id}-ŝ#{'k' * account.id}Q9!z"
            credentials.set_password(session, account.id, secret, changed_on_platform=True)
            stored[account.name] = secret
    return stored


def cli(*args: str, stdin: str) -> subprocess.CompletedProcess[str]:
    assert KEEPASSXC is not None
    return subprocess.run(
        [KEEPASSXC, *args], input=stdin, capture_output=True, text=True, timeout=60, check=False
    )


@needs_keepassxc
def test_the_exported_file_opens_in_pykeepass_and_keepassxc_with_every_password(
    council: Database, tmp_path: Path
) -> None:
    stored = secrets_for(council)
    out = tmp_path / "council.kdbx"
    with council.transaction(CLERK) as session:
        written = kdbx.export(session, out, PASSPHRASE)
    assert written.entries == len(stored) == 7
    kp = PyKeePass(str(out), password=PASSPHRASE)
    assert kp.version == (4, 0) or kp.version[0] == 4
    group = kp.find_groups(name="Little Ashcombe Town Council", first=True)
    assert group is not None
    assert {e.title: e.password for e in group.entries} == stored
    facebook = kp.find_entries(title="Facebook:@LittleAshcombeTC", first=True)
    assert facebook.username == "socialmedia@littleashcombe-tc.gov.uk"
    assert facebook.url == "https://www.facebook.com/LittleAshcombeTC"
    assert "Business case: Main channel for residents" in facebook.notes
    assert "Two-factor: Authenticator app" in facebook.notes

    listed = cli("ls", "-R", "-f", str(out), stdin=PASSPHRASE + "\n")
    assert listed.returncode == 0, listed.stderr
    for name in stored:
        assert name in listed.stdout
    for name, secret in list(stored.items())[:2]:
        shown = cli("show", "-s", str(out), f"Little Ashcombe Town Council/{name}", stdin=PASSPHRASE + "\n")
        assert shown.returncode == 0, shown.stderr
        assert f"Password: {secret}" in shown.stdout
    wrong = cli("ls", str(out), stdin="not the passphrase\n")
    assert wrong.returncode != 0


def test_export_records_who_without_the_secrets(council: Database, tmp_path: Path) -> None:
    stored = secrets_for(council)
    with council.transaction(CLERK) as session:
        kdbx.export(session, tmp_path / "c.kdbx", PASSPHRASE)
    with council.read() as session:
        trail = session.execute(select(AuditEntry)).scalars().all()
    text = " ".join(f"{e.action} {e.subject_label} {e.changes}" for e in trail)
    assert "export passwords" in text
    for secret in (*stored.values(), PASSPHRASE):
        assert secret not in text


@pytest.mark.parametrize("passphrase", ["", "password", "council2026"])
def test_a_weak_passphrase_is_refused_and_nothing_is_written(
    council: Database, tmp_path: Path, passphrase: str
) -> None:
    secrets_for(council)
    with pytest.raises(ValidationError) as caught, council.transaction(CLERK) as session:
        kdbx.export(session, tmp_path / "c.kdbx", passphrase)
    assert caught.value.field == "passphrase"
    assert not list(tmp_path.glob("*kdbx*"))


def test_only_the_clerk_or_deputy_may_export(council: Database, tmp_path: Path) -> None:
    secrets_for(council)
    with pytest.raises(PermissionDenied), council.transaction("Tom Beckett") as session:
        kdbx.export(session, tmp_path / "c.kdbx", PASSPHRASE)
    assert not (tmp_path / "c.kdbx").exists()


@needs_keepassxc
def test_import_stores_the_matched_passwords_of_a_keepassxc_file(council: Database, tmp_path: Path) -> None:
    path = tmp_path / "safe.kdbx"
    made = cli("db-create", "-p", str(path), stdin=f"{PASSPHRASE}\n{PASSPHRASE}\n")
    assert made.returncode == 0, made.stderr
    entries = {
        # by title
        "Facebook:@LittleAshcombeTC": ("", "Kx-Facebook-9#tR2!mq"),
        # by URL only, under another title
        "Council X account": ("https://x.com/AshcombeTC/", "Kx-Twitter-4&pL7?zw"),
        "Bank": ("https://bank.example", "Kx-Bank-1!aa"),
    }
    for title, (url, secret) in entries.items():
        args = ["add", "-p", str(path), title, "-u", "socialmedia"] + (["--url", url] if url else [])
        added = cli(*args, stdin=f"{PASSPHRASE}\n{secret}\n")
        assert added.returncode == 0, added.stderr
    with council.read() as session:
        plan = kdbx.plan_import(session, path, PASSPHRASE)
    assert [(m.entry, m.account) for m in plan.matches] == [
        ("Facebook:@LittleAshcombeTC", "Facebook:@LittleAshcombeTC"),
        ("Council X account", "X:@AshcombeTC"),
    ]
    assert plan.unmatched_entries == ["Bank"]
    assert all("Kx-" not in line for line in plan.describe())
    with council.transaction(CLERK) as session:
        assert kdbx.store(session, plan) == 2
    with council.transaction(CLERK) as session:
        by_name = {a.name: a.id for a in accounts.all_accounts(session)}
        assert credentials.reveal(session, by_name["Facebook:@LittleAshcombeTC"]) == "Kx-Facebook-9#tR2!mq"
        assert credentials.reveal(session, by_name["X:@AshcombeTC"]) == "Kx-Twitter-4&pL7?zw"


def test_a_round_trip_through_a_file_stores_the_same_passwords(
    council: Database, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    stored = secrets_for(council)
    with council.transaction(CLERK) as session:
        kdbx.export(session, tmp_path / "c.kdbx", PASSPHRASE)
        for account in accounts.all_accounts(session):
            if account.name in stored:
                credentials.set_password(
                    session, account.id, f"Changed-{account.id}-ŝ!9q", changed_on_platform=True
                )
    with council.read() as session:
        plan = kdbx.plan_import(session, tmp_path / "c.kdbx", PASSPHRASE)
    with council.transaction(CLERK) as session:
        kdbx.store(session, plan)
        assert {
            a.name: credentials.reveal(session, a.id)
            for a in session.execute(select(Account)).scalars()
            if a.name in stored
        } == stored


def test_a_wrong_passphrase_or_a_damaged_file_is_refused(council: Database, tmp_path: Path) -> None:
    secrets_for(council)
    path = tmp_path / "c.kdbx"
    with council.transaction(CLERK) as session:
        kdbx.export(session, path, PASSPHRASE)
    with pytest.raises(kdbx.KeePassError, match=r"passphrase .* is wrong"), council.read() as session:
        kdbx.plan_import(session, path, "wrong wrong wrong wrong")
    damaged = tmp_path / "damaged.kdbx"
    damaged.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
    with pytest.raises(kdbx.KeePassError, match="damaged"), council.read() as session:
        kdbx.plan_import(session, damaged, PASSPHRASE)
    foreign = tmp_path / "notes.kdbx"
    foreign.write_text("just some text", encoding="utf-8")
    with pytest.raises(kdbx.KeePassError, match="damaged"), council.read() as session:
        kdbx.plan_import(session, foreign, PASSPHRASE)


def test_a_password_shared_by_two_entries_stores_none(
    council: Database, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    path = tmp_path / "shared.kdbx"
    kp = kdbx_file(path)
    kp.add_entry(kp.root_group, "Facebook:@LittleAshcombeTC", "u", "Same-Password-1!x")
    kp.add_entry(kp.root_group, "X:@AshcombeTC", "u", "Same-Password-1!x")
    kp.save()
    with council.read() as session:
        plan = kdbx.plan_import(session, path, PASSPHRASE)
    with pytest.raises(ClerkDeskError, match=r"Thornbury 9\.3"), council.transaction(CLERK) as session:
        kdbx.store(session, plan)
    with council.transaction(CLERK) as session:
        assert not credentials.snapshot(accounts.all_accounts(session), session).stored


def kdbx_file(path: Path) -> PyKeePass:
    from pykeepass import create_database

    return create_database(str(path), password=PASSPHRASE)


def test_a_weak_password_in_the_file_is_stored_only_when_allowed(
    council: Database, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    path = tmp_path / "weak.kdbx"
    kp = kdbx_file(path)
    kp.add_entry(kp.root_group, "Facebook:@LittleAshcombeTC", "u", "Password1!")
    kp.save()
    with council.read() as session:
        plan = kdbx.plan_import(session, path, PASSPHRASE)
    with (
        pytest.raises(ClerkDeskError, match="could be guessed") as caught,
        council.transaction(CLERK) as session,
    ):
        kdbx.store(session, plan)
    assert "Password1!" not in str(caught.value) and "--allow-weak" in str(caught.value)
    with council.transaction(CLERK) as session:
        assert not credentials.snapshot(accounts.all_accounts(session), session).stored
        assert kdbx.store(session, plan, allow_weak=True) == 1
    with council.transaction(CLERK) as session:
        facebook = accounts.by_name(session, "Facebook:@LittleAshcombeTC")
        assert facebook is not None and credentials.reveal(session, facebook.id) == "Password1!"
