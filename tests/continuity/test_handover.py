"""The clerk handover: the pack (PDF without secrets, KeePass file for the incoming clerk), and on
confirmation the outgoing clerk leaves and every password is due now, reason "clerk handover"."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import factories
import pytest
from pykeepass import PyKeePass
from services.helpers import give_keys

from clerk_desk.checks import engine as checks
from clerk_desk.continuity import handover, handovers
from clerk_desk.credentials import service as credentials
from clerk_desk.errors import PolicyViolation, ValidationError
from clerk_desk.models import AccountStatus, Role, RotationReason
from clerk_desk.register import accounts, people
from clerk_desk.storage.db import Database

CLERK = "Zoë Hartley"

INCOMING = "Rhiannon Evans"
PASSPHRASE = "ferry lantern oatmeal quartz ñandú"
SECRET = "Handover-ŝecret-7#Qm"


@pytest.fixture
def council_with_successor(council: Database) -> Database:
    with council.transaction(CLERK) as session:
        factories.person(session, INCOMING, Role.EMPLOYEE, login="revans")
        facebook = accounts.by_name(session, "Facebook:@LittleAshcombeTC")
        assert facebook is not None
        credentials.set_password(session, facebook.id, SECRET, changed_on_platform=True)
    return council


def pdf_text(path: Path) -> str:
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "poppler-utils (pdftotext) is needed"
    return subprocess.run(
        [pdftotext, "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_the_pack_holds_the_register_and_the_keepass_file_the_passwords(
    council_with_successor: Database, tmp_path: Path
) -> None:
    db = council_with_successor
    today = db.clock.today()
    with db.transaction(CLERK) as session:
        pack = handover.write_pack(session, INCOMING, tmp_path / "pack", PASSPHRASE, today)
    assert pack.passwords_by == handovers.BY_KEEPASS
    pdf, keepass = pack.files
    text = pdf_text(pdf)
    flat = "".join(text.split())  # narrow cells wrap their text across lines
    for expected in (
        "Clerk handover pack",
        f"From Zoë Hartley to {INCOMING}",
        "Recovery email",
        "Codes kept",
        "Password",
        "01632",
        "INC-2026-",
        "Designated officers",
        "Policy dates",
        "The first week",
        "Change every account",
    ):
        assert "".join(expected.split()) in flat, expected
    with db.read() as session:
        rows = {row[0]: row for row in handover.account_rows(session, today)}
    assert rows["Facebook:@LittleAshcombeTC"][1:7] == [
        "socialmedia@littleashcombe-tc.gov.uk",
        "clerk@littleashcombe-tc.gov.uk",
        "01632 960 111",
        "Authenticator app",
        "A council phone or tablet",
        "Nguyễn Thu Hà, Tom Beckett, Łukasz Nowak",
    ]
    assert rows["X:@AshcombeTC"][5] == "A personal phone"
    assert rows["X:@AshcombeTC"][7].startswith("Now (INC-2026-003")
    assert SECRET not in flat and "".join(PASSPHRASE.split()) not in flat
    kp = PyKeePass(str(keepass), password=PASSPHRASE)
    assert kp.find_entries(title="Facebook:@LittleAshcombeTC", first=True).password == SECRET


def test_confirming_ends_the_outgoing_clerk_and_makes_every_password_due(
    council_with_successor: Database,
) -> None:
    db = council_with_successor
    today = db.clock.today()
    with db.read() as session:
        live = [a.name for a in accounts.all_accounts(session) if a.status != AccountStatus.CLOSED]
        # Dates are days: a password changed on the handover day counts as changed after it.
        changed_today = {a.name for a in accounts.all_accounts(session) if a.last_rotated_on == today}
        assert changed_today == {"Facebook:@LittleAshcombeTC"}
        due_before = {
            a.name
            for a in accounts.all_accounts(session)
            if a.id in checks.load(session, db.clock).rotate_now
        }
        assert due_before == {"Instagram:@littleashcombe", "X:@AshcombeTC"}
    with db.transaction(CLERK) as session:
        done = handovers.confirm(session, INCOMING, today, handovers.BY_KEEPASS)
    assert done.outgoing == CLERK and done.incoming == INCOMING
    assert set(live) <= set(done.accounts)
    with db.read() as session:
        outgoing = people.by_name(session, CLERK)
        incoming = people.by_name(session, INCOMING)
        assert outgoing is not None and outgoing.left_on == today
        assert incoming is not None and incoming.role == Role.CLERK
        register = checks.load(session, db.clock)
        by_id = {a.id: a for a in register.accounts}
        flagged = {
            by_id[i].name
            for i, e in register.rotate_now.items()
            if e.rotation_reason == RotationReason.CLERK_HANDOVER
        }
        assert flagged == set(live) - changed_today
        findings = checks.evaluate(register)
        # A proposal is not yet on its platform, so it is no finding (as for every rotate-now event).
        proposed = {"TikTok:@ashcombeyouth"}
        assert {f.subject for f in findings if f.rule == "rotate-now"} == set(live) - changed_today - proposed
    # A change clears it: the incoming clerk sets a new password.
    with db.transaction(INCOMING) as session:
        x = accounts.by_name(session, "X:@AshcombeTC")
        assert x is not None
        credentials.set_password(session, x.id, "Brand-new-ŝecret-9!x", changed_on_platform=True)
    with db.read() as session:
        register = checks.load(session, db.clock)
        assert x.id not in register.rotate_now


def test_a_councillor_or_a_stranger_cannot_take_over(council_with_successor: Database) -> None:
    db = council_with_successor
    with pytest.raises(PolicyViolation, match=r"Thornbury 9\.2"), db.transaction(CLERK) as session:
        handovers.confirm(session, "Cllr Margaret Oduya", db.clock.today(), handovers.BY_KEEPASS)
    with pytest.raises(ValidationError, match="not in People"), db.transaction(CLERK) as session:
        handovers.confirm(session, "Mallory Quinn", db.clock.today(), handovers.BY_KEEPASS)
    with pytest.raises(ValidationError, match="future"), db.transaction(CLERK) as session:
        handovers.confirm(session, INCOMING, date(2030, 1, 1), handovers.BY_KEEPASS)
    with db.read() as session:
        assert handovers.all_handovers(session) == []
        clerk = people.by_name(session, CLERK)
        assert clerk is not None and clerk.left_on is None


def test_an_incoming_deputy_whose_key_is_approved_needs_no_keepass_file(
    council: Database, tmp_path: Path
) -> None:
    deputy = "Łukasz Nowak"
    give_keys(council, CLERK, deputy)
    today = council.clock.today()
    with council.transaction(CLERK) as session:
        facebook = accounts.by_name(session, "Facebook:@LittleAshcombeTC")
        assert facebook is not None
        credentials.set_password(session, facebook.id, SECRET, changed_on_platform=True)
        pack = handover.write_pack(session, deputy, tmp_path / "pack", None, today)
    assert pack.passwords_by == handovers.BY_KEY
    assert [p.suffix for p in pack.files] == [".pdf"]
    with council.transaction(CLERK) as session:
        handovers.confirm(session, deputy, today, pack.passwords_by)
    # The new clerk reads the password with their own key; the outgoing clerk no longer can.
    with council.transaction(deputy) as session:
        assert credentials.reveal(session, facebook.id) == SECRET


def test_the_key_route_needs_an_approved_key(council_with_successor: Database, tmp_path: Path) -> None:
    db = council_with_successor
    with db.transaction(CLERK) as session:
        pack = handover.write_pack(session, INCOMING, tmp_path / "pack", None, db.clock.today())
    assert pack.passwords_by is None
    with pytest.raises(ValidationError, match="key is not approved"), db.transaction(CLERK) as session:
        handovers.confirm(session, INCOMING, db.clock.today(), handovers.BY_KEY)
