"""``clerk-desk key``, ``password`` and ``evidence`` on one database shared by two PCs (two keyrings),
and a third PC that recovers with the recovery key (issue 10, "Done when")."""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import pytest
from conftest import MemoryKeyring
from sqlalchemy import create_engine, make_url, text

from clerk_desk.cli import main
from clerk_desk.incidents import lifecycle
from clerk_desk.register import authority
from clerk_desk.storage import db as db_module
from clerk_desk.storage.clock import FixedClock
from clerk_desk.storage.db import open_database

SECRET = "Zoë-Fb-ñ7#kQ2!vL9wR"
FACEBOOK = "Facebook:@LittleAshcombeTC"
CLERK, DEPUTY = "Zoë Hartley", "Łukasz Nowak"

Cli = Callable[..., tuple[int, str, str]]


class Office:
    """PCs sharing one database: each has its own keyring and its own OS user."""

    def __init__(self, url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
        self.url, self.capsys, self.monkeypatch = url, capsys, monkeypatch
        self.keyrings: dict[int, MemoryKeyring] = {}
        self.roles: list[str] = []

    def run(self, pc: int, login: str, *args: str, stdin: str | None = None) -> tuple[int, str, str]:
        keyring.set_keyring(self.keyrings.setdefault(pc, MemoryKeyring()))
        self.monkeypatch.setattr(authority, "os_login", lambda: login)
        if stdin is not None:
            self.monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = main(["--database", self.url_as(login), *args])
        out, err = self.capsys.readouterr()
        assert "Traceback" not in out + err
        return code, out, err

    def url_as(self, login: str) -> str:
        """On PostgreSQL the database user is who is acting: each PC signs in as its own user (made
        here with every right, as these tests are about the keys, not the server's roles)."""
        if not self.url.startswith("postgresql"):
            return self.url
        if login not in self.roles:
            engine = create_engine(self.url)
            with engine.begin() as conn:
                if not conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": login}).first():
                    conn.execute(text(f'CREATE ROLE "{login}" LOGIN SUPERUSER'))
            engine.dispose()
            self.roles.append(login)
        return make_url(self.url).set(username=login).render_as_string(hide_password=False)

    def drop_roles(self) -> None:
        if not self.roles:
            return
        engine = create_engine(self.url)
        with engine.begin() as conn:
            for role in self.roles:
                conn.execute(text(f'DROP OWNED BY "{role}"'))
                conn.execute(text(f'DROP ROLE "{role}"'))
        engine.dispose()


@pytest.fixture
def office(
    database_url: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    clock: FixedClock,
    memory_keyring: MemoryKeyring,
) -> Iterator[Office]:
    monkeypatch.setattr(db_module, "SystemClock", lambda: clock)
    place = Office(database_url, capsys, monkeypatch)
    place.keyrings[1] = memory_keyring
    code, _, err = place.run(1, "zhartley", "demo")
    assert (code, err) == (0, "")
    yield place
    keyring.set_keyring(memory_keyring)
    place.drop_roles()


def line(out: str, label: str) -> str:
    [value] = re.findall(rf"^{label}: (.+)$", out, flags=re.MULTILINE)
    return value


def test_two_pcs_share_passwords_and_a_third_recovers(office: Office, tmp_path: Path) -> None:
    sheet = tmp_path / "emergency.pdf"
    code, out, _ = office.run(1, "zhartley", "key", "init", "--emergency-sheet", str(sheet))
    assert code == 0
    clerk_fp, recovery = line(out, "Fingerprint"), line(out, "Recovery key")
    assert re.fullmatch(r"[0-9A-F]{4}(-[0-9A-F]{4}){4}", clerk_fp)
    assert re.fullmatch(r"[A-Z2-7]{4}(-[A-Z2-7]{4}){7}", recovery)
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(sheet), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "emergency sheet" in text and recovery.split("-")[0] in text
        assert "Little Ashcombe Town Council" in text and "2026-11-21" in text
        # The recovery key's fingerprint, as key list shows it.
        recovery_fp = office.run(1, "zhartley", "key", "list")[1].splitlines()[-1].split()[2]
        assert recovery_fp in text
    # Running it again on the same PC changes nothing and never shows the recovery key again.
    code, again, _ = office.run(1, "zhartley", "key", "init")
    assert (code, line(again, "Fingerprint")) == (0, clerk_fp) and "Recovery key" not in again

    # 1. The clerk sets a password on PC 1 (from standard input).
    code, out, _ = office.run(1, "zhartley", "password", "set", FACEBOOK, "--changed", stdin=SECRET + "\n")
    assert (code, out) == (0, f"Stored the password of {FACEBOOK}, as a change.\n")

    # 2. The deputy enrols on PC 2 and is approved on PC 1 after comparing fingerprints.
    code, out, _ = office.run(2, "lnowak", "key", "init")
    deputy_fp = line(out, "Fingerprint")
    assert code == 0 and "waiting for approval" in out and "Recovery key" not in out
    code, out, err = office.run(2, "lnowak", "password", "get", FACEBOOK)
    assert code == 2 and "waiting for approval" in err and SECRET not in out + err
    code, _, err = office.run(1, "zhartley", "key", "approve", DEPUTY, "--fingerprint", clerk_fp)
    assert code == 2 and "is not the fingerprint of Łukasz Nowak's key" in err
    code, _, _ = office.run(1, "zhartley", "key", "approve", DEPUTY, "--fingerprint", deputy_fp)
    assert code == 0
    code, out, _ = office.run(1, "zhartley", "key", "list")
    assert f"{CLERK}  {clerk_fp}  approved (this PC)" in out.splitlines()
    assert f"{DEPUTY}  {deputy_fp}  approved" in out.splitlines()

    # 3. password get on PC 2 prints the same password.
    assert office.run(2, "lnowak", "password", "get", FACEBOOK) == (0, SECRET + "\n", "")
    code, out, _ = office.run(2, "lnowak", "password", "status")
    assert f"{FACEBOOK}  stored  readable by: {CLERK}, {DEPUTY}, recovery key" in out.splitlines()
    assert "X:@AshcombeTC  not stored" in out.splitlines()

    # 4. No byte sequence of it is in the database file or its WAL.
    _assert_not_stored(office.url, SECRET)

    # Evidence attached on PC 1 opens on PC 2 with the same SHA-256.
    shot = tmp_path / "fake page.png"
    shot.write_bytes(b"\x89PNG\r\n\x1a\n" + "Zoë's screenshot".encode() * 50)
    reference = _first_incident(office.url)
    code, out, _ = office.run(1, "zhartley", "evidence", "add", reference, str(shot))
    assert code == 0 and hashlib.sha256(shot.read_bytes()).hexdigest() in out
    code, out, _ = office.run(2, "lnowak", "evidence", "list", reference)
    assert "fake page.png" in out
    got = tmp_path / "on-pc2.png"
    assert office.run(2, "lnowak", "evidence", "get", reference, "fake page.png", "--out", str(got))[0] == 0
    assert hashlib.sha256(got.read_bytes()).hexdigest() == hashlib.sha256(shot.read_bytes()).hexdigest()

    # A third PC with an empty keyring: a wrong recovery key changes nothing; the right one recovers.
    code, _, err = office.run(
        3, "zhartley", "key", "recover", stdin="AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH\n"
    )
    assert code == 2 and "not the council's recovery key" in err
    code, out, _ = office.run(3, "zhartley", "audit", "--limit", "1")
    assert "recovery key refused" in out
    code, out, _ = office.run(3, "zhartley", "key", "recover", stdin=recovery.lower() + "\n")
    assert code == 0 and line(out, "Fingerprint") not in (clerk_fp, deputy_fp)
    assert office.run(3, "zhartley", "password", "get", FACEBOOK) == (0, SECRET + "\n", "")
    code, out, _ = office.run(3, "zhartley", "check", "--json")
    assert '"rule": "rotate-now"' in out and "recovered with the recovery key" in out
    assert recovery not in out and SECRET not in out


def _first_incident(url: str) -> str:
    database = open_database(url)
    try:
        with database.read() as session:
            return lifecycle.all_incidents(session)[0].reference
    finally:
        database.dispose()


def _assert_not_stored(url: str, secret: str) -> None:
    database = open_database(url)
    try:
        if database.engine.dialect.name == "sqlite":
            path = Path(make_url(url).database or "")
            blobs = [p.read_bytes() for p in (path, path.with_name(path.name + "-wal")) if p.exists()]
            assert any(FACEBOOK.encode() in blob for blob in blobs)
        else:
            with database.engine.connect() as conn:
                blobs = [
                    repr(conn.exec_driver_sql(f"SELECT * FROM {table}").all()).encode()
                    for table in (
                        "sealed_copies",
                        "audit_entries",
                        "person_keys",
                        "recovery_keys",
                        "accounts",
                    )
                ]
    finally:
        database.dispose()
    for blob in blobs:
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            assert secret.encode(encoding) not in blob


def test_password_set_needs_changed_or_existing(office: Office) -> None:
    with pytest.raises(SystemExit) as caught:
        office.run(1, "zhartley", "password", "set", FACEBOOK, stdin=SECRET)
    assert caught.value.code == 2
    assert "one of the arguments --changed --existing is required" in office.capsys.readouterr().err


def test_a_weak_password_is_stored_only_with_allow_weak(office: Office) -> None:
    office.run(1, "zhartley", "key", "init")
    code, out, err = office.run(1, "zhartley", "password", "set", FACEBOOK, "--changed", stdin="Password1!")
    assert (code, out) == (2, "")
    assert "could be guessed" in err and "Password1!" not in err
    code, out, _ = office.run(
        1, "zhartley", "password", "set", FACEBOOK, "--changed", "--allow-weak", stdin="Password1!"
    )
    assert (code, out) == (0, f"Stored the password of {FACEBOOK}, as a change.\n")
    assert office.run(1, "zhartley", "password", "get", FACEBOOK)[1] == "Password1!\n"


def test_an_existing_password_is_recorded_without_counting_as_a_change(office: Office) -> None:
    office.run(1, "zhartley", "key", "init")
    before = office.run(1, "zhartley", "audit", "--subject", FACEBOOK, "--limit", "100")[1]
    code, out, _ = office.run(1, "zhartley", "password", "set", FACEBOOK, "--existing", stdin=SECRET)
    assert (code, out) == (
        0,
        f"Stored the password of {FACEBOOK}, as the password it already has (not a change).\n",
    )
    after = office.run(1, "zhartley", "audit", "--subject", FACEBOOK, "--limit", "100")[1]
    added = after.splitlines()[len(before.splitlines()) :]
    assert [entry for entry in added if "Password change" in entry] == []
    assert office.run(1, "zhartley", "password", "get", FACEBOOK)[1] == SECRET + "\n"


def test_an_unknown_account_or_incident_is_named(office: Office, tmp_path: Path) -> None:
    office.run(1, "zhartley", "key", "init")
    code, _, err = office.run(1, "zhartley", "password", "get", "Facebook:@nobody")
    assert code == 2 and "There is no account Facebook:@nobody in the register" in err
    code, _, err = office.run(1, "zhartley", "evidence", "list", "INC-1999-999")
    assert (code, err) == (2, "clerk-desk: There is no incident INC-1999-999.\n")


def test_someone_who_is_not_clerk_or_deputy_may_not_make_a_key(office: Office) -> None:
    code, _, err = office.run(2, "nobody-here", "key", "init")
    assert code == 2 and "Thornbury 9.1, 9.2" in err
    assert office.keyrings[2].entries == {}
