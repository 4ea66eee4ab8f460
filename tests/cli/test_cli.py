"""The ``clerk-desk`` command line: exit codes, messages and the public JSON."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from pathlib import Path

import keyring
import pytest
from acting import act_as
from conftest import MemoryKeyring
from icalendar import Calendar
from keyring.backends import fail
from services.helpers import row_counts, tiny_png
from sqlalchemy.orm import Session

from clerk_desk.cli import main
from clerk_desk.credentials import vault
from clerk_desk.credentials.rotation import RotateNowEvent
from clerk_desk.models import RotationReason
from clerk_desk.register import accounts, authority
from clerk_desk.storage import db as db_module
from clerk_desk.storage.clock import FixedClock
from clerk_desk.storage.db import open_database

PEOPLE_CSV = """name,role,email,job_title,login,started_on,left_on
Zoë Hartley,clerk,zoe.hartley@town.gov.uk,Town Clerk,zhartley,2018-04-03,
Łukasz Nowak,deputy_clerk,lukasz.nowak@town.gov.uk,Deputy Town Clerk,lnowak,2022-09-01,
Cllr Margaret Oduya,councillor,,Chair of Council,,,
"""
ACCOUNTS_CSV = """platform,handle,url,purpose,status,sign_in_email,two_factor,approved_by,approved_on,\
business_case,complaints_info,rotation_days,last_rotated_on,opened_on,closed_on
Facebook,@TownCouncil,https://www.facebook.com/TownCouncil,News,active,social@town.gov.uk,app,\
Zoë Hartley,2026-01-05,Residents' news,yes,,2026-10-01,2026-01-05,
TikTok,@TownYouth,,Youth outreach,proposed,,,,,Youth council elections,no,,,,
"""
CLEAN_SETTINGS = {
    "council_name": "Little Ashcombe Town Council",
    "email_domains": "town.gov.uk",
    "policy_reviewed_on": "2026-05-14",
}
FINDING_KEYS = {"rule", "clause", "severity", "subject", "message"}
#: The demo council's accounts that are in use (TikTok is only proposed, Flickr is closed).
DEMO_LIVE_ACCOUNTS = {
    "Facebook:@LittleAshcombeTC",
    "Instagram:@littleashcombe",
    "LinkedIn:Little Ashcombe Town Council",
    "Nextdoor:Little Ashcombe Town Council",
    "X:@AshcombeTC",
    "YouTube:Little Ashcombe Council Meetings",
}

#: What ``check`` finds in the demo council apart from the keyring: (severity, rule, clause, subject).
DEMO_REGISTER_FINDINGS = [
    ("high", "account-unapproved", "Barling Magna; Stalbridge 4", "LinkedIn:Little Ashcombe Town Council"),
    # INC-2026-004, a non-council device: the clerk was notified, the Chair not yet.
    ("high", "chair-not-informed", "Thornbury 9.7.1", "INC-2026-004"),
    # INC-2026-006, a personal-data breach discovered 30 hours ago with no ICO decision.
    ("high", "ico-deadline", "UK GDPR Art. 33", "INC-2026-006"),
    # Ayşe Ağca left 40 days ago and her Instagram grant was never revoked.
    ("high", "keyholder-left", "Thornbury 9.1; 9.4", "Ayşe Ağca"),
    ("high", "no-two-factor", "Thornbury 9.5", "Instagram:@littleashcombe"),
    # Her leaving, and the suspected compromise INC-2026-003, are not followed by a password change.
    ("high", "rotate-now", "Thornbury 9.4", "Instagram:@littleashcombe"),
    ("high", "rotate-now", "Thornbury 9.4", "X:@AshcombeTC"),
    # No backup of the demo database has been made on this PC yet.
    ("medium", "backup-overdue", "AGAR 2025/26 Assertion 10", "Backups"),
    # A designated officer who acknowledged 2.0 only; the policy in force is 2.1.
    ("medium", "officer-not-acknowledged", "district policy 5c; Thornbury 4.2", "Nguyễn Thu Hà"),
    ("medium", "password-overdue", "Thornbury 9.4", "X:@AshcombeTC"),
    ("medium", "policy-review-overdue", "Thornbury 10; Stalbridge 5", "Settings"),
    (
        "medium",
        "signin-email-not-council",
        "Stalbridge req. 1; Thornbury 9.6",
        "YouTube:Little Ashcombe Council Meetings",
    ),
    # The X account's SMS codes go to a personal phone.
    ("medium", "two-factor-personal-device", "Thornbury 9.6", "X:@AshcombeTC"),
    ("low", "complaints-info-missing", "Stalbridge req. 2", "Instagram:@littleashcombe"),
]
#: The demo's audit trail: first the register (5 settings, 8 people, 8 accounts and their 7 recorded
#: password changes), then 7 grants, 3 designations, 4 acknowledgements, and for the 6 incidents 7 entries
#: (6 created, each with the status it was saved with, and 1 closed afterwards), 11 for their follow-up
#: steps (8 created, 3 settled) and 1 timeline entry; then the by-election: the period, its five account
#: checks, the briefing, an exception and a moderation entry (9), the breach's assessment (1) and the
#: Art. 34 step it brings (1).
DEMO_REGISTER_ENTRIES = 5 + 8 + 8 + 7
DEMO_AUDIT_ENTRIES = DEMO_REGISTER_ENTRIES + 7 + 3 + 4 + 7 + 11 + 1 + 9 + 1 + 1

Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture(autouse=True)
def fixed_time_and_user(monkeypatch: pytest.MonkeyPatch, clock: FixedClock) -> None:
    """The CLI runs on the tests' fixed clock, as the OS user ``zhartley``."""
    monkeypatch.setattr(db_module, "SystemClock", lambda: clock)
    monkeypatch.setattr(authority, "os_login", lambda: "zhartley")


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'council.db'}"


def runner(url: str, capsys: pytest.CaptureFixture[str]) -> Cli:
    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--database", url, *args])
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err
        return code, out, err

    run.url = url  # type: ignore[attr-defined]
    return run


def people_csv(run: Cli) -> str:
    """The people file, with the clerk's login as the identity the backend establishes: the OS user on
    SQLite, the database user on PostgreSQL (Clerk Desk never takes a name on trust)."""
    url = getattr(run, "url", "")
    if url.startswith("postgresql"):
        from sqlalchemy import make_url

        return PEOPLE_CSV.replace(",zhartley,", f",{make_url(url).username},")
    return PEOPLE_CSV


@pytest.fixture
def cli(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> Cli:
    return runner(sqlite_url, capsys)


@pytest.fixture
def demo(cli: Cli) -> Cli:
    code, _, err = cli("demo")
    assert (code, err) == (0, "")
    return cli


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def keep_passwords(url: str, memory_keyring: MemoryKeyring, passwords: dict[str, str]) -> None:
    """Put passwords in the (in-memory) keyring the way Clerk Desk files them: by account UUID."""
    database = open_database(url)
    try:
        with database.read() as session:
            for name, password in passwords.items():
                account = accounts.by_name(session, name)
                assert account is not None, name
                memory_keyring.entries[(vault.SERVICE, account.uuid)] = password
    finally:
        database.dispose()


def clean_council(run: Cli, tmp_path: Path) -> None:
    for key, value in CLEAN_SETTINGS.items():
        assert run("settings", key, value)[0] == 0
    assert run("import", "people", str(write(tmp_path / "people.csv", people_csv(run))))[0] == 0
    assert run("import", "accounts", str(write(tmp_path / "accounts.csv", ACCOUNTS_CSV)))[0] == 0
    # A SQLite council has a fresh backup; a PostgreSQL one is backed up by its server (pg_dump).
    code, out, err = run("backup")
    assert (code == 0 and "Backed up to" in out) or (code == 2 and "pg_dump" in err), err


# --- help ---------------------------------------------------------------------------------------


def test_help_exits_0_and_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--help"])
    assert caught.value.code == 0
    out = capsys.readouterr().out
    for command in ("import", "export", "check", "settings", "audit", "demo", "--database", "--actor"):
        assert command in out


def test_python_m_clerk_desk_help_runs() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "clerk_desk", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: clerk-desk")
    assert result.stderr == ""


def test_check_runs_without_qt_or_reportlab(sqlite_url: str) -> None:
    script = (
        "import sys\n"
        "from clerk_desk.cli import main\n"
        f"code = main(['--database', {sqlite_url!r}, 'check'])\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'reportlab'))\n"
        "assert not heavy, heavy\n"
        "sys.exit(code)\n"
    )
    # A fresh process would find the developer's own keyring; it gets none, as on a PC without one.
    env = os.environ | {
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False, env=env
    )
    assert result.returncode == 1, result.stderr  # a new council: the policy dates are missing
    assert "policy-review-overdue" in result.stdout
    assert "[high] password-missing (Thornbury 9.1) Password store: Passwords could not be checked" in (
        result.stdout
    )
    assert "Traceback" not in result.stderr


# --- demo ---------------------------------------------------------------------------------------


def test_demo_fills_an_empty_database_once(cli: Cli) -> None:
    code, out, err = cli("demo")
    assert (code, err) == (0, "")
    assert "8 people, 8 accounts" in out
    assert "You (zhartley) act as the clerk, Zoë Hartley." in out
    code, out, err = cli("demo")
    assert code == 2
    assert out == ""
    assert err == (
        "clerk-desk: The demo fills only an empty database; this one already has people or accounts.\n"
    )


def test_demo_on_postgresql(database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    run = runner(database_url, capsys)
    assert run("demo")[0] == 0
    assert run("demo")[0] == 2
    code, out, _ = run("audit", "--verify")
    assert code == 0
    assert f"{DEMO_AUDIT_ENTRIES} entries" in out


# --- check --------------------------------------------------------------------------------------


def test_check_exits_1_with_findings(demo: Cli) -> None:
    code, out, err = demo("check")
    assert (code, err) == (1, "")
    lines = out.splitlines()
    # Fourteen findings about the register and its backups (DEMO_REGISTER_FINDINGS), and six accounts in
    # use whose password is not in the (empty) keyring; the proposed and the closed account need none.
    assert lines[-1] == "20 findings."
    expected = sorted(
        DEMO_REGISTER_FINDINGS
        + [("medium", "password-missing", "Thornbury 9.1", name) for name in DEMO_LIVE_ACCOUNTS],
        key=lambda f: ({"high": 0, "medium": 1, "low": 2}[f[0]], f[1], f[3].casefold()),
    )
    assert len(lines[:-1]) == len(expected)
    for line, (severity, rule, clause, subject) in zip(lines[:-1], expected, strict=True):
        assert line.startswith(f"[{severity}] {rule} ({clause}) {subject}: "), line
    assert lines[0].startswith("[high] account-unapproved (Barling Magna; Stalbridge 4) LinkedIn:")
    assert any(
        line.startswith("[medium] policy-review-overdue (Thornbury 10; Stalbridge 5) Settings:")
        for line in lines
    )
    missing = [line for line in lines if " password-missing " in line]
    assert missing == [
        f"[medium] password-missing (Thornbury 9.1) {name}: No password for {name} is kept in the "
        "password store; use Set password."
        for name in sorted(DEMO_LIVE_ACCOUNTS, key=str.casefold)
    ]


def test_check_without_password_findings_once_the_keyring_holds_them(
    demo: Cli, sqlite_url: str, memory_keyring: MemoryKeyring
) -> None:
    _, empty_keyring, _ = demo("check")
    names = sorted(DEMO_LIVE_ACCOUNTS)
    keep_passwords(sqlite_url, memory_keyring, {name: f"own-password-{i}" for i, name in enumerate(names)})
    code, out, _ = demo("check")
    assert code == 1
    # Exactly the six password-missing findings are gone; every other finding is as it was.
    before, after = empty_keyring.splitlines()[:-1], out.splitlines()[:-1]
    assert after == [line for line in before if " password-missing " not in line]
    assert len(before) - len(after) == len(DEMO_LIVE_ACCOUNTS)
    assert out.splitlines()[-1] == f"{len(after)} findings."
    assert "password-missing" not in out and "password-reused" not in out
    # Two of them sharing a password: each is a high finding naming the other.
    keep_passwords(sqlite_url, memory_keyring, {"X:@AshcombeTC": "own-password-0"})
    _, out, _ = demo("check")
    reused = [line for line in out.splitlines() if " password-reused " in line]
    assert reused == [
        "[high] password-reused (Thornbury 9.3) Facebook:@LittleAshcombeTC: Facebook:@LittleAshcombeTC has "
        "the same password as X:@AshcombeTC; give each its own.",
        "[high] password-reused (Thornbury 9.3) X:@AshcombeTC: X:@AshcombeTC has the same password as "
        "Facebook:@LittleAshcombeTC; give each its own.",
    ]


def test_check_json_gives_the_public_objects(demo: Cli) -> None:
    code, out, _ = demo("check", "--json")
    assert code == 1
    findings = json.loads(out)
    assert isinstance(findings, list) and len(findings) == 20
    for finding in findings:
        assert set(finding) == FINDING_KEYS
        assert all(isinstance(value, str) for value in finding.values())
        assert finding["severity"] in ("high", "medium", "low")
    assert {f["rule"] for f in findings} == {
        "account-unapproved",
        "chair-not-informed",
        "ico-deadline",
        "keyholder-left",
        "no-two-factor",
        "rotate-now",
        "officer-not-acknowledged",
        "password-missing",
        "password-overdue",
        "policy-review-overdue",
        "signin-email-not-council",
        "complaints-info-missing",
        "backup-overdue",
        "two-factor-personal-device",
    }
    assert [
        (f["severity"], f["rule"], f["clause"], f["subject"])
        for f in findings
        if f["rule"] != ("password-missing")
    ] == [tuple(f) for f in DEMO_REGISTER_FINDINGS]
    assert {f["subject"] for f in findings if f["rule"] == "password-missing"} == DEMO_LIVE_ACCOUNTS
    assert {
        "rule": "password-missing",
        "clause": "Thornbury 9.1",
        "severity": "medium",
        "subject": "X:@AshcombeTC",
        "message": "No password for X:@AshcombeTC is kept in the password store; use Set password.",
    } in findings
    assert {
        "rule": "no-two-factor",
        "clause": "Thornbury 9.5",
        "severity": "high",
        "subject": "Instagram:@littleashcombe",
        "message": "Instagram:@littleashcombe has no two-factor sign-in; turn it on, or record that the "
        "platform does not offer it.",
    } in findings


def test_check_on_a_clean_council_exits_0(
    database_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    run = runner(database_url, capsys)
    clean_council(run, tmp_path)
    # The active account's password is in the keyring; the proposed one needs none yet.
    keep_passwords(database_url, memory_keyring, {"Facebook:@TownCouncil": "its-own-password"})
    code, out, err = run("check")
    assert (code, out, err) == (0, "No findings: the register meets the policy.\n", "")
    code, out, _ = run("check", "--json")
    assert (code, json.loads(out)) == (0, [])


def test_check_without_a_keyring_is_one_finding_about_the_password_store(
    database_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Done when: with no usable keyring, ``check`` still runs, and says so once, not once per account."""
    run = runner(database_url, capsys)
    clean_council(run, tmp_path)
    assert run("import", "accounts", str(write(tmp_path / "more.csv", MORE_ACCOUNTS_CSV)))[0] == 0
    keyring.set_keyring(fail.Keyring())
    code, out, err = run("check")
    assert (code, err) == (1, "")
    lines = out.splitlines()
    # Four accounts in use and none of their passwords can be read: one finding about the store. The
    # rules that need no keyring still run (YouTube's password is overdue).
    assert lines == [
        "[high] password-missing (Thornbury 9.1) Password store: Passwords could not be checked: "
        f"{vault.status().message}",
        "[medium] password-overdue (Thornbury 9.4) YouTube:@TownMeetings: YouTube:@TownMeetings's password "
        "was due for a change on 2026-10-31 (21 days ago).",
        "2 findings.",
    ]
    assert "install and start GNOME Keyring" in lines[0]
    code, out, err = run("check", "--json")
    assert (code, err) == (1, "")
    assert [f for f in json.loads(out) if f["rule"] == "password-missing"] == [
        {
            "rule": "password-missing",
            "clause": "Thornbury 9.1",
            "severity": "high",
            "subject": "Password store",
            "message": f"Passwords could not be checked: {vault.status().message}",
        }
    ]
    assert [f["rule"] for f in json.loads(out)] == ["password-missing", "password-overdue"]
    # Nothing else needs the keyring.
    assert run("reminders")[0] == 0
    assert run("export", "accounts", "-")[0] == 0


#: Accounts changed every 30 days: overdue, due in 10 days, due in 20 days; and a proposal.
MORE_ACCOUNTS_CSV = """platform,handle,status,sign_in_email,two_factor,approved_by,approved_on,\
business_case,complaints_info,rotation_days,last_rotated_on,opened_on
X,@Town,active,news@town.gov.uk,app,Zoë Hartley,2026-01-05,Residents' news,yes,30,2026-11-01,2026-01-05
Instagram,@town,active,photos@town.gov.uk,app,Zoë Hartley,2026-01-05,Photos,yes,30,2026-11-11,2026-01-05
YouTube,@TownMeetings,active,mtg@town.gov.uk,app,Zoë Hartley,2026-01-05,Meetings,yes,30,2026-10-01,2026-01-05
TikTok,@TownYouth2,proposed,,,,,Youth council,no,30,2025-01-01,
"""


@pytest.fixture
def reminding(cli: Cli, tmp_path: Path) -> Cli:
    clean_council(cli, tmp_path)
    assert cli("import", "accounts", str(write(tmp_path / "more.csv", MORE_ACCOUNTS_CSV)))[0] == 0
    return cli


OVERDUE_LINE = (
    " 21 days overdue  2026-10-31  Change the password: YouTube:@TownMeetings "
    "(last changed 2026-10-01; every 30 days; Thornbury 9.4)"
)
SOON_LINE = (
    "      in 10 days  2026-12-01  Change the password: X:@Town (last changed 2026-11-01; every 30 days; "
    "Thornbury 9.4)"
)
LATER_LINE = (
    "      in 20 days  2026-12-11  Change the password: Instagram:@town (last changed 2026-11-11; "
    "every 30 days; Thornbury 9.4)"
)


def test_reminders_prints_what_is_due_and_writes_an_ics_file(reminding: Cli, tmp_path: Path) -> None:
    calendar_file = tmp_path / "due.ics"
    code, out, err = reminding("reminders", "--ics", str(calendar_file))
    assert (code, err) == (0, "")
    assert out.splitlines() == [OVERDUE_LINE, SOON_LINE, f"Wrote 2 events to {calendar_file}."]
    calendar = Calendar.from_ical(calendar_file.read_bytes())
    assert str(calendar["X-WR-CALNAME"]) == "Little Ashcombe Town Council: social media reminders"
    events = {str(e["SUMMARY"]): e.decoded("DTSTART") for e in calendar.walk("VEVENT")}
    assert events == {
        "Change the password: YouTube:@TownMeetings (overdue)": date(2026, 11, 21),
        "Change the password: X:@Town": date(2026, 12, 1),
    }
    # Further ahead on request; without --ics no file is written.
    calendar_file.unlink()
    code, out, _ = reminding("reminders", "--days", "30")
    assert code == 0
    assert out.splitlines() == [OVERDUE_LINE, SOON_LINE, LATER_LINE]
    assert not calendar_file.exists()


def test_reminders_lists_a_password_to_change_now_first(
    reminding: Cli, rotate_now_sources: Callable[..., object]
) -> None:
    @rotate_now_sources
    def incident(session: Session) -> Iterable[RotateNowEvent]:
        account = accounts.by_name(session, "Facebook:@TownCouncil")
        assert account is not None
        yield RotateNowEvent(
            account.id,
            date(2026, 11, 10),
            "INC-2026-004, a suspected compromise",
            RotationReason.SUSPECTED_COMPROMISE,
        )

    code, out, _ = reminding("reminders")
    assert code == 0
    assert out.splitlines() == [
        "             now  2026-11-21  Change the password now: Facebook:@TownCouncil "
        "(INC-2026-004, a suspected compromise on 2026-11-10; Thornbury 9.4)",
        OVERDUE_LINE,
        SOON_LINE,
    ]
    code, out, _ = reminding("check")
    assert "[high] rotate-now (Thornbury 9.4) Facebook:@TownCouncil: Change the password of " in out


def test_reminders_with_nothing_due(cli: Cli, tmp_path: Path) -> None:
    calendar_file = tmp_path / "due.ics"
    assert cli("reminders") == (0, "Nothing is due in the next 14 days.\n", "")
    code, out, err = cli("reminders", "--days", "3", "--ics", str(calendar_file))
    assert (code, err) == (0, "")
    assert out == f"Nothing is due in the next 3 days.\nWrote 0 events to {calendar_file}.\n"
    assert list(Calendar.from_ical(calendar_file.read_bytes()).walk("VEVENT")) == []


def test_reminders_that_cannot_write_the_file_exits_2(reminding: Cli, tmp_path: Path) -> None:
    code, _, err = reminding("reminders", "--ics", str(tmp_path / "no-such-folder" / "due.ics"))
    assert code == 2
    assert err.startswith("clerk-desk: Cannot write ")


# --- import and export --------------------------------------------------------------------------


def test_import_then_export_on_every_backend(
    database_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    run = runner(database_url, capsys)
    people_file = write(tmp_path / "people.csv", people_csv(run))
    code, out, err = run("import", "people", str(people_file))
    assert (code, err) == (0, "")
    assert out == f"Imported {people_file}: 3 added, 0 updated.\n"
    code, out, _ = run("import", "accounts", str(write(tmp_path / "accounts.csv", ACCOUNTS_CSV)))
    assert out.endswith(": 2 added, 0 updated.\n")
    code, out, _ = run("export", "people", "-")
    assert code == 0
    exported_lines = out.split("\r\n")
    expected_lines = people_csv(run).split("\n")
    assert exported_lines[0] == expected_lines[0]
    assert sorted(exported_lines[1:]) == sorted(expected_lines[1:])
    exported = tmp_path / "out" / "accounts.csv"
    exported.parent.mkdir()
    code, out, _ = run("export", "accounts", str(exported))
    assert (code, out) == (0, f"Exported accounts to {exported}.\n")
    assert exported.read_text(encoding="utf-8").splitlines()[1].startswith("Facebook,@TownCouncil,")
    # Importing the same people again updates them: no duplicates.
    code, out, _ = run("import", "people", str(people_file))
    assert out == f"Imported {people_file}: 0 added, 3 updated.\n"


def test_a_bad_import_exits_2_naming_the_row_and_column_and_changes_nothing(
    database_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    run = runner(database_url, capsys)
    run("import", "people", str(write(tmp_path / "people.csv", people_csv(run))))
    bad = write(
        tmp_path / "bad.csv",
        "name,role,started_on\nTom Beckett,volunteer,2026-01-01\nPriya Shah,contractor,01/02/2026\n",
    )
    code, out, err = run("import", "people", str(bad))
    assert (code, out) == (2, "")
    assert err == (
        "clerk-desk: row 3, column started_on: '01/02/2026' is not a date; write it as YYYY-MM-DD\n"
    )
    database = open_database(database_url)
    try:
        assert row_counts(database)["people"] == 3
    finally:
        database.dispose()


def test_a_councillor_approver_in_an_import_names_the_clause(cli: Cli, tmp_path: Path) -> None:
    cli("import", "people", str(write(tmp_path / "people.csv", PEOPLE_CSV)))
    bad = ACCOUNTS_CSV.replace("Zoë Hartley,2026-01-05", "Cllr Margaret Oduya,2026-01-05")
    code, _, err = cli("import", "accounts", str(write(tmp_path / "accounts.csv", bad)))
    assert code == 2
    assert err.startswith(
        "clerk-desk: row 2, column approved_by: accounts are approved by the clerk or deputy"
    )
    assert err.endswith("(Barling Magna; Stalbridge 4)\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("import", "minutes", "people.csv"), "'minutes' cannot be imported or exported"),
        (("export", "minutes", "-"), "'minutes' cannot be imported or exported"),
        (("import", "people", "missing.csv"), "Cannot read missing.csv"),
    ],
)
def test_import_and_export_errors_exit_2(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "people.csv", PEOPLE_CSV)
    code, out, err = cli(*args)
    assert (code, out) == (2, "")
    assert err.startswith("clerk-desk: ")
    assert message in err


def test_an_import_by_someone_who_may_not_change_people_is_refused(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli("import", "people", str(write(tmp_path / "people.csv", PEOPLE_CSV)))
    act_as(monkeypatch, cli.url, "Cllr Margaret Oduya")
    code, _, err = cli("import", "people", str(tmp_path / "people.csv"))
    assert code == 2
    assert "Only the clerk or deputy clerk may change People (Thornbury 9.1)" in err


def counts_at(url: str) -> dict[str, int]:
    database = open_database(url)
    try:
        return row_counts(database)
    finally:
        database.dispose()


@pytest.mark.parametrize("actor", ["Not In People", "Zoe\u0308 Hartley", "Zoë  Hartley", "zhartley"])
@pytest.mark.parametrize("os_user", ["zhartley", "someone-else"])
def test_actor_with_any_name_cannot_change_a_council_that_has_a_clerk(
    demo: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, actor: str, os_user: str
) -> None:
    monkeypatch.setattr(authority, "os_login", lambda: os_user)
    before = counts_at(demo.url)
    promote = "name,role\nTom Beckett,clerk\n"
    code, out, err = demo("--actor", actor, "import", "people", str(write(tmp_path / "p.csv", promote)))
    if os_user == "zhartley" and actor in ("Zoe\u0308 Hartley", "zhartley"):
        # Naming yourself (the clerk, established by the OS login) is harmless; the change is hers.
        assert code == 0
        return
    assert (code, out) == (2, "")
    assert err.startswith("clerk-desk: --actor is only for setting up a council that has no clerk yet")
    assert counts_at(demo.url) == before


# --- settings -----------------------------------------------------------------------------------


def test_settings_show_and_set(cli: Cli) -> None:
    code, out, _ = cli("settings")
    assert code == 0
    assert out.splitlines() == [
        "council_name = ",
        "email_domains = ",
        "rotation_days = 180",
        "policy_version = ",
        "policy_adopted_on = ",
        "policy_reviewed_on = ",
        "review_interval_months = 12",
        "year_start_month = 5",
        "evidence_max_mib = 50",
        "time_zone = Europe/London",
        "logo = (none)",
    ]
    assert cli("settings", "email_domains", "@Town.GOV.uk; parish.org.uk") == (
        0,
        "email_domains = town.gov.uk;parish.org.uk\n",
        "",
    )
    assert cli("settings", "email_domains") == (0, "email_domains = town.gov.uk;parish.org.uk\n", "")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("rotation_days", "0"), "clerk-desk: rotation_days: must be between 1 and 3650\n"),
        (("year_start_month", "13"), "clerk-desk: year_start_month: must be between 1 and 12\n"),
        (
            ("policy_reviewed_on", "21/11/2026"),
            "clerk-desk: policy_reviewed_on: '21/11/2026' is not a date; write it as YYYY-MM-DD\n",
        ),
        (("email_domains", "town"), "clerk-desk: email_domains: 'town' is not an email domain"),
        (
            ("time_zone", "Europe/Londn"),
            "clerk-desk: time_zone: 'Europe/Londn' is not a time zone name (for example Europe/London)\n",
        ),
        (("colour",), "clerk-desk: key: 'colour' is not a setting"),
        (("colour", "green"), "clerk-desk: key: 'colour' is not a setting"),
    ],
)
def test_an_invalid_setting_exits_2_with_a_message(cli: Cli, args: tuple[str, ...], message: str) -> None:
    code, out, err = cli("settings", *args)
    assert (code, out) == (2, "")
    assert err.startswith(message)
    assert cli("settings", "rotation_days")[1] == "rotation_days = 180\n"


def test_the_logo_is_set_and_shown(cli: Cli, tmp_path: Path) -> None:
    logo = tmp_path / "crest.png"
    logo.write_bytes(tiny_png())
    assert cli("settings", "logo", str(logo)) == (0, "logo = crest.png\n", "")
    assert cli("settings", "logo") == (0, f"logo = crest.png ({len(tiny_png())} bytes)\n", "")
    assert cli("settings")[1].splitlines()[-1] == "logo = crest.png"
    code, _, err = cli("settings", "logo", str(write(tmp_path / "notes.txt", "not a picture")))
    assert code == 2
    assert err == "clerk-desk: logo: notes.txt is not a PNG or JPEG picture\n"


def test_the_database_comes_from_the_environment(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setenv("CLERK_DESK_DATABASE", sqlite_url)
    assert main(["settings", "council_name", "Little Ashcombe Town Council"]) == 0
    capsys.readouterr()
    # A bare file path is a SQLite database too.
    assert main(["--database", str(tmp_path / "council.db"), "settings", "council_name"]) == 0
    assert capsys.readouterr().out == "council_name = Little Ashcombe Town Council\n"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "mysql://clerk@localhost/council",
            "clerk-desk: Clerk Desk works with SQLite or PostgreSQL, not mysql\n",
        ),
        ("postgresql+psycopg://clerk@/council?host=/nonexistent-clerk-desk", "could not be reached"),
    ],
)
def test_a_database_that_cannot_be_used_exits_2(
    url: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = runner(url, capsys)("check")
    assert (code, out) == (2, "")
    assert message in err


def test_a_newer_database_exits_2_untouched(cli: Cli, tmp_path: Path) -> None:
    cli("demo")
    path = tmp_path / "council.db"
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    code, _, err = cli("check")
    assert code == 2
    assert "written by a newer version of Clerk Desk (schema 9999)" in err
    assert path.read_bytes() == before


# --- audit --------------------------------------------------------------------------------------


def test_audit_lists_the_newest_entries_oldest_first(demo: Cli) -> None:
    code, out, _ = demo("audit", "--limit", "14")
    assert code == 0
    lines = out.splitlines()[:3]
    # The demo's incidents end with the impersonation reported to the platform, then the personal-data
    # breach logged with its ICO decision still to make; the by-election and the breach's assessment
    # (11 entries) follow.
    assert "create Incident assessment INC-2026-006" in out.splitlines()[-2]
    assert lines == [
        "2026-11-21 12:00 Clerk Desk demo: update Incident step INC-2026-005: platform_notified "
        "done_at: — → 2026-11-18T14:00:00+00:00; done_by: — → Clerk Desk demo; "
        "note: — → Reported through Facebook's impersonation form",
        "2026-11-21 12:00 Clerk Desk demo: create Incident INC-2026-006 category: personal_data; "
        "clerk_is_target: no; description: The allotment waiting list, with names and email addresses, "
        "was sent to the market traders' list.; discovered_at: 2026-11-20T06:00:00+00:00; near_miss: no; "
        "personal_data: yes; reference: INC-2026-006; reported_at: 2026-11-20T06:00:00+00:00; "
        "reported_by: Łukasz Nowak; scope: —; severity: high; status: open; "
        "title: Residents' email list sent to the wrong group",
        "2026-11-21 12:00 Clerk Desk demo: create Incident step INC-2026-006: ico_decision "
        "step: ico_decision",
    ]
    # Further back: the last entry of the register, the closed Flickr account's recorded password change.
    code, out, _ = demo("audit", "--limit", str(DEMO_AUDIT_ENTRIES - DEMO_REGISTER_ENTRIES + 1))
    first = out.splitlines()[0]
    assert first.startswith(
        "2026-11-21 12:00 Clerk Desk demo: create Password change Flickr:ashcombe-archive"
    )
    assert "reason: other" in first


def test_audit_lines_are_on_the_councils_clock(demo: Cli) -> None:
    """The demo's last change was at 12:00 UTC on 21 November: 12:00 GMT, or 07:00 in New York."""
    assert demo("audit", "--limit", "1")[1].startswith("2026-11-21 12:00 Clerk Desk demo: ")
    assert demo("settings", "time_zone", "America/New_York") == (0, "time_zone = America/New_York\n", "")
    code, out, _ = demo("audit", "--limit", "1")
    assert code == 0
    assert out.startswith("2026-11-21 07:00 ") and "time_zone" in out


def test_audit_filters_by_person_and_subject(demo: Cli) -> None:
    assert demo("settings", "rotation_days", "90")[0] == 0
    code, out, _ = demo("audit", "--person", "zoë hartley")
    assert code == 0
    assert out == "2026-11-21 12:00 Zoë Hartley: create Setting rotation_days key: rotation_days; value: 90\n"
    code, out, _ = demo("audit", "--subject", "łukasz")
    # His record, then his grant, his designation and his acknowledgement (each labelled with his name).
    assert out.splitlines() == [
        "2026-11-21 12:00 Clerk Desk demo: create Person Łukasz Nowak "
        "email: lukasz.nowak@littleashcombe-tc.gov.uk; job_title: Deputy Town Clerk; login: lnowak; "
        "name: Łukasz Nowak; role: deputy_clerk; started_on: 2022-10-13",
        "2026-11-21 12:00 Clerk Desk demo: create Grant Łukasz Nowak → Facebook:@LittleAshcombeTC "
        "account_id: 1; approved_by: Zoë Hartley; business_case: Shares access control with the clerk "
        "(Thornbury 9.1); granted_on: 2023-05-01; level: manage; person: Łukasz Nowak",
        "2026-11-21 12:00 Clerk Desk demo: create Designation Łukasz Nowak (designated officer) "
        "designated_by: Zoë Hartley; designated_on: 2023-08-09; person: Łukasz Nowak; "
        "scope: Facebook:@LittleAshcombeTC; X:@AshcombeTC",
        "2026-11-21 12:00 Clerk Desk demo: create Acknowledgement Łukasz Nowak: policy 2.1 "
        "acknowledged_on: 2024-12-21; person: Łukasz Nowak; policy_version: 2.1; training_on: 2024-12-31",
    ]


def test_audit_verify_exits_0_then_1_after_tampering(demo: Cli, tmp_path: Path) -> None:
    code, out, _ = demo("audit", "--verify")
    assert code == 0
    assert out.splitlines()[-1] == (
        f"The audit trail is intact and the register matches it ({DEMO_AUDIT_ENTRIES} entries)."
    )
    assert f"  - {DEMO_AUDIT_ENTRIES} entries, each chained to the one before by its hash" in out
    conn = sqlite3.connect(tmp_path / "council.db")
    conn.execute("UPDATE audit_entries SET changes = '{}' WHERE seq = 5")
    conn.commit()
    conn.close()
    code, out, _ = demo("audit", "--verify")
    assert code == 1
    assert "  TAMPERED: entry 5 was edited after it was written" in out.splitlines()
    assert out.splitlines()[-1].startswith("The audit trail or the register has been altered: ")


# --- access, officers and incidents -------------------------------------------------------------

GRANTS_CSV = """person,account,level,business_case,approved_by,granted_on,expires_on,revoked_on,revoke_reason
Łukasz Nowak,Facebook:@TownCouncil,manage,Shares access control,Zoë Hartley,2023-05-01,,,
Cllr Margaret Oduya,Facebook:@TownCouncil,post,Council news,Zoë Hartley,2026-11-01,,,
"""


def test_a_grants_file_with_a_councillor_row_exits_2_naming_the_row_and_9_2(
    database_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Done when: a grants file with one councillor row fails as a whole, and the message names the row
    and 9.2."""
    run = runner(database_url, capsys)
    clean_council(run, tmp_path)
    database = open_database(database_url)
    try:
        before = row_counts(database)
    finally:
        database.dispose()
    code, out, err = run("import", "grants", str(write(tmp_path / "grants.csv", GRANTS_CSV)))
    assert (code, out) == (2, "")
    assert err == (
        "clerk-desk: row 3, column person: elected members may not hold direct access to council accounts; "
        "Cllr Margaret Oduya is a councillor (Thornbury 9.2)\n"
    )
    database = open_database(database_url)
    try:
        assert row_counts(database) == before  # not even Łukasz's grant on row 2
    finally:
        database.dispose()
    fixed = GRANTS_CSV.splitlines()[:2]
    code, out, _ = run("import", "grants", str(write(tmp_path / "grants.csv", "\n".join(fixed) + "\n")))
    assert (code, out) == (0, f"Imported {tmp_path / 'grants.csv'}: 1 added, 0 updated.\n")


def test_the_ico_countdown_is_in_check(demo: Cli, clock: FixedClock) -> None:
    """Done when: a personal-data incident discovered 30 hours ago with no ICO decision shows "42 hours
    left" in ``check``."""
    ico = (
        "[high] ico-deadline (UK GDPR Art. 33) INC-2026-006: INC-2026-006 (Residents' email list sent to the "
        "wrong group): decide whether to notify the ICO — "
    )
    deadline = "(deadline 2026-11-23 06:00 GMT)."
    _, out, _ = demo("check")
    assert f"{ico}42 hours left {deadline}" in out.splitlines()
    clock.moment += timedelta(hours=50)
    _, out, _ = demo("check")
    assert f"{ico}8 hours overdue {deadline}" in out.splitlines()
    _, out, _ = demo("check", "--json")
    [finding] = [f for f in json.loads(out) if f["rule"] == "ico-deadline"]
    assert (finding["severity"], finding["subject"]) == ("high", "INC-2026-006")
    assert "8 hours overdue" in finding["message"]


def test_the_demo_reminds_of_an_expiring_grant_and_the_ico_deadline(demo: Cli) -> None:
    code, out, _ = demo("reminders")
    assert code == 0
    lines = out.splitlines()
    assert (
        "             now  2026-11-23  Decide on notifying the ICO: INC-2026-006 "
        "(Residents' email list sent to the wrong group; UK GDPR Art. 33)"
    ) in lines
    assert (
        "       in 9 days  2026-11-30  Access expires: Tom Beckett → Facebook:@LittleAshcombeTC "
        "(post access granted 2026-09-22; Thornbury 9.1)"
    ) in lines
    assert any("Change the password now: Instagram:@littleashcombe" in line for line in lines)


INCIDENT_CSV = """category,title,description
other,Phishing message to the council inbox,Clicked by nobody; reported at once.
"""


def test_an_imported_incident_gets_a_reference_and_the_actor_as_reporter(
    demo: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(authority, "os_login", lambda: "lnowak")
    code, out, err = demo("import", "incidents", str(write(tmp_path / "incident.csv", INCIDENT_CSV)))
    assert (code, err) == (0, "")
    assert out.endswith(": 1 added, 0 updated.\n")
    code, out, _ = demo("export", "incidents", "-")
    rows = {r["reference"]: r for r in csv.DictReader(io.StringIO(out))}
    assert sorted(rows) == [f"INC-2026-00{n}" for n in range(1, 8)]
    new = rows["INC-2026-007"]
    assert (new["title"], new["reported_by"], new["reported_at"], new["status"]) == (
        "Phishing message to the council inbox",
        "Łukasz Nowak",
        "2026-11-21T12:00+00:00",
        "open",
    )


def test_every_kind_exported_from_the_demo_imports_into_an_empty_database(
    demo: Cli, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kinds = ("people", "accounts", "grants", "officers", "acknowledgements", "incidents")
    exported = {}
    for kind in kinds:
        code, out, _ = demo("export", kind, "-")
        assert code == 0
        exported[kind] = out
    fresh = runner(f"sqlite:///{tmp_path / 'fresh.db'}", capsys)
    for kind in kinds:
        code, out, err = fresh("import", kind, str(write(tmp_path / f"{kind}.csv", exported[kind])))
        assert (code, err) == (0, ""), kind
        assert out.endswith(f": {len(exported[kind].splitlines()) - 1} added, 0 updated.\n")
    for kind in kinds:
        again = fresh("export", kind, "-")[1].split("\r\n")
        before = exported[kind].split("\r\n")
        # The same rows; records of the same day may come out in another order.
        assert (again[0], sorted(again[1:])) == (before[0], sorted(before[1:])), kind
    # With the settings copied across too, the new database has the same findings.
    for line in demo("settings")[1].splitlines():
        key, _, value = line.partition(" = ")
        if key != "logo":
            assert fresh("settings", key, value)[0] == 0
    assert fresh("check")[1] == demo("check")[1]


def test_an_officers_file_round_trips_through_the_command_line(demo: Cli, tmp_path: Path) -> None:
    _, out, _ = demo("export", "officers", "-")
    assert out.splitlines() == [
        "person,accounts,designated_by,designated_on,ended_on",
        "Nguyễn Thu Hà,Facebook:@LittleAshcombeTC;Instagram:@littleashcombe;X:@AshcombeTC,Zoë Hartley,"
        "2025-03-31,",
        "Łukasz Nowak,Facebook:@LittleAshcombeTC;X:@AshcombeTC,Zoë Hartley,2023-08-09,",
        "Zoë Hartley,Facebook:@LittleAshcombeTC;Instagram:@littleashcombe;X:@AshcombeTC;"
        "YouTube:Little Ashcombe Council Meetings,Zoë Hartley,2023-05-01,",
    ]
    _, before, _ = demo("audit", "--verify")
    code, out, _ = demo(
        "import", "officers", str(write(tmp_path / "officers.csv", out.replace("\r\n", "\n")))
    )
    assert code == 0
    assert out.endswith(": 0 added, 3 updated.\n")
    assert demo("audit", "--verify")[1] == before  # nothing changed, so nothing was recorded


# --- nothing a clerk can type ends in a traceback -----------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("report", "--from", "2026-01-01", "--to", "9999-12-31", "--out", "r.pdf"),
            "to: 9999-12-31 is more than a year ahead",
        ),
        (
            ("report", "--from", "0001-01-01", "--to", "2026-01-01", "--out", "r.pdf"),
            "from: 0001-01-01 is before 1900",
        ),
        (("reminders", "--days", "3000000"), "days: must be between 0 and 3660"),
        (("reminders", "--days", "99999999999"), "days: must be between 0 and 3660"),
        (("reminders", "--days", "-1"), "days: must be between 0 and 3660"),
        (("import", "people", "/dev/zero"), "Cannot read /dev/zero: /dev/zero is not a file"),
        (("settings", "logo", "/dev/zero"), "logo: /dev/zero is not a file"),
    ],
)
def test_out_of_range_values_and_devices_exit_2_with_one_line(
    demo: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    before = row_counts_of(demo)
    code, out, err = demo(*args)
    assert (code, out) == (2, "")
    assert err.startswith(f"clerk-desk: {message}") and err.count("\n") == 1
    assert row_counts_of(demo) == before
    assert not (tmp_path / "r.pdf").exists()


def row_counts_of(run: Cli) -> str:
    return run("export", "people", "-")[1] + run("audit", "--limit", "1")[1]


def test_a_csv_cell_over_the_csv_limit_exits_2_naming_the_row(demo: Cli, tmp_path: Path) -> None:
    huge = tmp_path / "people.csv"
    huge.write_text(
        "name,role,job_title\nTom Beckett,volunteer," + "x" * (200 * 1024) + "\n", encoding="utf-8"
    )
    code, out, err = demo("import", "people", str(huge))
    assert (code, out) == (2, "")
    assert (
        err
        == "clerk-desk: row 2: cannot be read as CSV (a cell is longer than 128 KB; no field is that long)\n"
    )


def test_a_link_is_not_read_as_an_import(demo: Cli, tmp_path: Path) -> None:
    target = write(tmp_path / "people.csv", PEOPLE_CSV)
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    code, _, err = demo("import", "people", str(link))
    assert code == 2 and "is a link; choose the file itself" in err


def test_a_png_header_followed_by_garbage_is_not_a_logo(cli: Cli, tmp_path: Path) -> None:
    fake = tmp_path / "crest.png"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(92))
    assert cli("settings", "logo", str(fake)) == (
        2,
        "",
        "clerk-desk: logo: crest.png is not a PNG or JPEG picture\n",
    )
    assert cli("settings", "logo") == (0, "logo = (none)\n", "")


def test_a_multi_line_description_cannot_forge_a_line_in_the_audit_listing(demo: Cli, tmp_path: Path) -> None:
    forged = "2026-11-21 09:00 Zoë Hartley: delete Account Facebook:@LittleAshcombeTC"
    content = f'category,title,description\r\nother,Odd post,"Seen at 9.\n{forged}\u2028{forged}"\r\n'
    assert demo("import", "incidents", str(write(tmp_path / "incidents.csv", content)))[0] == 0
    code, out, _ = demo("audit", "--limit", "1")
    assert code == 0
    [line] = out.splitlines()
    assert "Seen at 9. ⏎ 2026-11-21 09:00" in line
    bad_title = 'category,title,description\r\nother,"Odd\npost",Seen\r\n'
    code, _, err = demo("import", "incidents", str(write(tmp_path / "bad.csv", bad_title)))
    assert (code, err) == (
        2,
        "clerk-desk: row 2, column title: must be a single line (it contains a line break)\n",
    )


def test_a_slow_keyring_cannot_make_check_take_longer_than_its_time_limit(
    demo: Cli, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each call answers inside its own limit; the command as a whole still stops at the limit."""
    import time

    monkeypatch.setattr(vault, "DEFAULT_TIMEOUT", 1.5)
    real_get = memory_keyring.get_password

    def slow_get(service: str, username: str) -> str | None:
        time.sleep(0.6)
        return real_get(service, username)

    monkeypatch.setattr(memory_keyring, "get_password", slow_get)
    started = time.monotonic()
    code, out, err = demo("check")
    elapsed = time.monotonic() - started
    assert (code, err) == (1, "")
    assert "Password store: Passwords could not be checked: The password store did not answer" in out
    assert elapsed < 3.0  # six accounts at 0.6 s each, plus the status probe, would take over 4 s


def test_the_ico_deadline_is_a_timed_event_with_alarms_in_the_ics(demo: Cli, tmp_path: Path) -> None:
    from datetime import UTC, datetime

    path = tmp_path / "due.ics"
    assert demo("reminders", "--ics", str(path))[0] == 0
    calendar = Calendar.from_ical(path.read_bytes())
    [ico] = [e for e in calendar.walk("VEVENT") if str(e["uid"]).startswith("ico-INC-2026-006")]
    start = ico.decoded("dtstart")
    assert isinstance(start, datetime) and start.tzinfo is not None
    assert start.astimezone(UTC).date() == date(2026, 11, 23)
    triggers = sorted(alarm.decoded("trigger") for alarm in ico.walk("VALARM"))
    assert triggers == [-timedelta(hours=24), -timedelta(hours=4)]
    # The rest are still all-day events.
    others = [e for e in calendar.walk("VEVENT") if e is not ico]
    assert others and all(not isinstance(e.decoded("dtstart"), datetime) for e in others)
