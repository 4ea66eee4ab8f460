"""The policy checks: each rule fires in its case, with its clause and severity, and not otherwise."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import factories
import keyring
import keyring.errors
import pytest
from conftest import MemoryKeyring
from keyring.backends import fail
from sqlalchemy.orm import Session

from clerk_desk.access import acknowledgements, leaving
from clerk_desk.access import grants as access
from clerk_desk.checks import engine as checks
from clerk_desk.checks.engine import Finding, Severity
from clerk_desk.credentials import rotation, vault
from clerk_desk.credentials import service as credentials
from clerk_desk.errors import ClerkDeskError
from clerk_desk.incidents import lifecycle as incidents
from clerk_desk.models import (
    AccessLevel,
    AccountStatus,
    Grant,
    IcoDecision,
    IncidentCategory,
    IncidentStatus,
    Role,
    RotationReason,
    TwoFactor,
)
from clerk_desk.register import accounts, people, settings
from clerk_desk.storage.clock import FixedClock
from clerk_desk.storage.db import Database
from services.helpers import give_keys

TODAY = date(2026, 11, 21)
ACTOR = "Zoë Hartley"
GOOD_SETTINGS = {
    "council_name": "Little Ashcombe Town Council",
    "email_domains": "town.gov.uk; parish.org.uk",
    "policy_adopted_on": "2024-05-01",
    "policy_reviewed_on": "2026-05-14",
}


@pytest.fixture
def council(db: Database) -> Database:
    """A council whose register meets every rule: the clerk, settings, and nothing else yet."""
    with db.transaction(ACTOR) as session:
        factories.person(session, ACTOR, Role.CLERK, email="zoe.hartley@town.gov.uk")
        settings.update(session, GOOD_SETTINGS)
    return db


def run(db: Database, clock: FixedClock) -> list[Finding]:
    with db.read() as session:
        return checks.run(session, clock)


def with_account(db: Database, clock: FixedClock, **fields: Any) -> list[Finding]:
    """The findings once an otherwise compliant account with these fields is in the register."""
    with db.transaction(ACTOR) as session:
        factories.approved_account(session, TODAY, **fields)
    return run(db, clock)


def with_settings(db: Database, clock: FixedClock, **values: str) -> list[Finding]:
    with db.transaction(ACTOR) as session:
        settings.update(session, values)
    return run(db, clock)


def only(findings: list[Finding]) -> Finding:
    assert len(findings) == 1, findings
    return findings[0]


def test_a_compliant_council_has_no_findings(council: Database, clock: FixedClock) -> None:
    assert with_account(council, clock) == []


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param(dict(status=AccountStatus.SUSPENDED, suspended_from=date(2026, 11, 1)), id="suspended"),
        pytest.param(dict(two_factor=TwoFactor.NOT_OFFERED), id="2fa-not-offered"),
        pytest.param(dict(two_factor=TwoFactor.SMS), id="2fa-sms"),
        pytest.param(dict(two_factor=TwoFactor.HARDWARE_KEY), id="2fa-hardware-key"),
        pytest.param(dict(sign_in_email="Social@PARISH.org.uk"), id="second-council-domain-any-case"),
        pytest.param(dict(approver="Łukasz Nowak"), id="approved-by-deputy"),
    ],
)
def test_compliant_variations_have_no_findings(
    council: Database, clock: FixedClock, fields: dict[str, Any]
) -> None:
    with council.transaction(ACTOR) as session:
        factories.person(session, "Łukasz Nowak", Role.DEPUTY_CLERK)
    assert with_account(council, clock, **fields) == []


# --- account-unapproved -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "missing"),
    [
        (dict(approved_by=None, approved_on=None), "approver, approval date"),
        (
            dict(approved_by=None, approved_on=None, business_case=None),
            "approver, approval date, business case",
        ),
        (
            dict(approved_by=None, approved_on=None, status=AccountStatus.SUSPENDED, suspended_from=TODAY),
            "approver, approval date",
        ),
    ],
)
def test_an_account_in_use_without_approval_is_a_high_finding(
    council: Database, clock: FixedClock, fields: dict[str, Any], missing: str
) -> None:
    finding = only(with_account(council, clock, **fields))
    assert finding.rule == "account-unapproved"
    assert finding.clause == "Barling Magna; Stalbridge 4"
    assert finding.severity is Severity.HIGH
    assert finding.subject == "Facebook:@TownCouncil"
    assert f"has no recorded {missing};" in finding.message
    assert (finding.subject_kind, finding.subject_id) == ("account", 1)


# --- closed and proposed accounts ---------------------------------------------------------------


BAD_EVERYWHERE: dict[str, Any] = dict(
    approved_by=None,
    approved_on=None,
    business_case=None,
    sign_in_email="clerk.at.home@gmail.com",
    two_factor=TwoFactor.NONE,
    complaints_info=False,
    last_rotated_on=None,
    opened_on=None,
    rotation_days=1,
)


def test_a_proposed_account_raises_no_account_findings(council: Database, clock: FixedClock) -> None:
    assert with_account(council, clock, **BAD_EVERYWHERE | dict(status=AccountStatus.PROPOSED)) == []


def test_a_closed_account_raises_no_account_findings(council: Database, clock: FixedClock) -> None:
    fields = BAD_EVERYWHERE | dict(status=AccountStatus.CLOSED, closed_on=date(2025, 1, 1))
    assert with_account(council, clock, **fields) == []


def test_the_same_account_live_raises_every_account_finding(council: Database, clock: FixedClock) -> None:
    findings = with_account(council, clock, **BAD_EVERYWHERE)
    assert [(f.rule, f.severity) for f in findings] == [
        ("account-unapproved", Severity.HIGH),
        ("no-two-factor", Severity.HIGH),
        ("password-overdue", Severity.MEDIUM),
        ("signin-email-not-council", Severity.MEDIUM),
        ("complaints-info-missing", Severity.LOW),
    ]
    assert {f.subject for f in findings} == {"Facebook:@TownCouncil"}


# --- signin-email-not-council -------------------------------------------------------------------

SIGNIN_CLAUSE = "Stalbridge req. 1; Thornbury 9.6"


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("townclerk@gmail.com", "signs in with townclerk@gmail.com, which is not a council address"),
        ("social@town.gov.uk.example.com", "which is not a council address"),
        ("social@sub.town.gov.uk", "which is not a council address"),
        (None, "has no sign-in email recorded"),
    ],
)
def test_a_sign_in_address_off_the_council_domains_is_a_finding(
    council: Database, clock: FixedClock, address: str | None, message: str
) -> None:
    finding = only(with_account(council, clock, sign_in_email=address))
    assert (finding.rule, finding.clause, finding.severity) == (
        "signin-email-not-council",
        SIGNIN_CLAUSE,
        Severity.MEDIUM,
    )
    assert finding.subject == "Facebook:@TownCouncil"
    assert message in finding.message


@pytest.mark.parametrize("address", ["zoe.hartley@town.gov.uk", "Zoe.Hartley@Town.GOV.uk"])
def test_signing_in_with_a_persons_own_mailbox_is_a_finding(
    council: Database, clock: FixedClock, address: str
) -> None:
    finding = only(with_account(council, clock, sign_in_email=address))
    assert (finding.rule, finding.clause, finding.severity) == (
        "signin-email-not-council",
        SIGNIN_CLAUSE,
        Severity.MEDIUM,
    )
    assert f"the personal mailbox of {ACTOR}" in finding.message


def test_a_leavers_mailbox_is_still_a_persons_mailbox(council: Database, clock: FixedClock) -> None:
    with council.transaction(ACTOR) as session:
        factories.person(
            session, "Ayşe Ağca", Role.EMPLOYEE, email="ayse.agca@town.gov.uk", left_on=date(2026, 10, 1)
        )
    finding = only(with_account(council, clock, sign_in_email="ayse.agca@town.gov.uk"))
    assert "the personal mailbox of Ayşe Ağca" in finding.message


def test_no_council_domains_is_one_finding_about_settings(council: Database, clock: FixedClock) -> None:
    with council.transaction(ACTOR) as session:
        factories.approved_account(session, TODAY)
        factories.approved_account(session, TODAY, platform="X", handle="@Town")
    finding = only(with_settings(council, clock, email_domains=""))
    assert (finding.rule, finding.clause, finding.severity) == (
        "signin-email-not-council",
        SIGNIN_CLAUSE,
        Severity.MEDIUM,
    )
    assert finding.subject == "Settings"
    assert finding.subject_kind == "settings"
    assert "No council email domains are set" in finding.message


def test_no_council_domains_is_no_finding_without_live_accounts(council: Database, clock: FixedClock) -> None:
    with council.transaction(ACTOR) as session:
        factories.account(session, TODAY, business_case="Youth outreach")
        factories.approved_account(
            session, TODAY, platform="Flickr", handle="archive", status=AccountStatus.CLOSED, closed_on=TODAY
        )
    assert with_settings(council, clock, email_domains="") == []


# --- complaints-info-missing and no-two-factor --------------------------------------------------


def test_no_published_complaints_information_is_a_low_finding(council: Database, clock: FixedClock) -> None:
    finding = only(with_account(council, clock, complaints_info=False))
    assert (finding.rule, finding.clause, finding.severity) == (
        "complaints-info-missing",
        "Stalbridge req. 2",
        Severity.LOW,
    )
    assert finding.subject == "Facebook:@TownCouncil"


@pytest.mark.parametrize(
    ("method", "message"),
    [(TwoFactor.NONE, "has no two-factor sign-in"), (None, "has no two-factor method recorded")],
)
def test_no_two_factor_is_a_high_finding(
    council: Database, clock: FixedClock, method: TwoFactor | None, message: str
) -> None:
    finding = only(with_account(council, clock, two_factor=method))
    assert (finding.rule, finding.clause, finding.severity) == (
        "no-two-factor",
        "Thornbury 9.5",
        Severity.HIGH,
    )
    assert message in finding.message


# --- password-overdue ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "council_days", "due"),
    [
        # The account's own interval: changed 2026-10-01, every 30 days → due 2026-10-31.
        (dict(last_rotated_on=date(2026, 10, 1), rotation_days=30), None, "2026-10-31"),
        # The council's default interval, when the account has none.
        (dict(last_rotated_on=date(2026, 10, 1)), "30", "2026-10-31"),
        # The default 180 days.
        (dict(last_rotated_on=date(2026, 5, 24)), None, "2026-11-20"),
        # Never changed: counted from the day the account opened.
        (dict(last_rotated_on=None, opened_on=date(2026, 1, 5)), None, "2026-07-04"),
        # The account's interval wins over the council's.
        (dict(last_rotated_on=date(2026, 10, 1), rotation_days=30), "365", "2026-10-31"),
    ],
)
def test_a_password_past_its_interval_is_overdue(
    council: Database, clock: FixedClock, fields: dict[str, Any], council_days: str | None, due: str
) -> None:
    if council_days:
        with council.transaction(ACTOR) as session:
            settings.update(session, {"rotation_days": council_days})
    finding = only(with_account(council, clock, **fields))
    assert (finding.rule, finding.clause, finding.severity) == (
        "password-overdue",
        "Thornbury 9.4",
        Severity.MEDIUM,
    )
    assert f"was due for a change on {due}" in finding.message
    assert finding.subject == "Facebook:@TownCouncil"


@pytest.mark.parametrize(
    ("fields", "council_days"),
    [
        (dict(last_rotated_on=date(2026, 10, 22), rotation_days=30), None),  # due today: not yet overdue
        (dict(last_rotated_on=date(2026, 10, 1), rotation_days=60), None),
        (dict(last_rotated_on=date(2026, 10, 1)), "60"),
        (dict(last_rotated_on=date(2026, 5, 25)), None),  # 180 days: due today
        (dict(last_rotated_on=date(2025, 1, 1), rotation_days=3650), "30"),
    ],
)
def test_a_password_within_its_interval_is_not_overdue(
    council: Database, clock: FixedClock, fields: dict[str, Any], council_days: str | None
) -> None:
    if council_days:
        with council.transaction(ACTOR) as session:
            settings.update(session, {"rotation_days": council_days})
    assert with_account(council, clock, **fields) == []


def test_a_password_never_changed_on_an_account_with_no_dates_is_a_finding(
    council: Database, clock: FixedClock
) -> None:
    finding = only(with_account(council, clock, last_rotated_on=None, opened_on=None))
    assert (finding.rule, finding.severity) == ("password-overdue", Severity.MEDIUM)
    assert "has no password change recorded" in finding.message


def test_the_interval_moves_with_the_clock(council: Database, clock: FixedClock) -> None:
    assert with_account(council, clock, last_rotated_on=date(2026, 10, 22), rotation_days=30) == []
    clock.moment = clock.moment.replace(day=22)
    finding = only(run(council, clock))
    assert finding.rule == "password-overdue"
    assert "(1 days ago)" in finding.message


# --- policy-review-overdue ----------------------------------------------------------------------

REVIEW_CLAUSE = "Thornbury 10; Stalbridge 5"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"policy_adopted_on": "", "policy_reviewed_on": ""}, "No adoption or review date is recorded"),
        ({"policy_reviewed_on": "2025-11-20"}, "was due for review on 2026-11-20"),
        ({"policy_adopted_on": "2025-11-20", "policy_reviewed_on": ""}, "was due for review on 2026-11-20"),
        (
            {"policy_reviewed_on": "2024-11-21", "review_interval_months": "23"},
            "was due for review on 2026-10-21",
        ),
    ],
)
def test_an_overdue_policy_review_is_a_finding(
    council: Database, clock: FixedClock, values: dict[str, str], message: str
) -> None:
    finding = only(with_settings(council, clock, **values))
    assert (finding.rule, finding.clause, finding.severity) == (
        "policy-review-overdue",
        REVIEW_CLAUSE,
        Severity.MEDIUM,
    )
    assert finding.subject == "Settings"
    assert message in finding.message


@pytest.mark.parametrize(
    "values",
    [
        {"policy_reviewed_on": "2025-11-21"},  # due today
        {"policy_adopted_on": "2025-11-21", "policy_reviewed_on": ""},
        {"policy_reviewed_on": "2024-11-21", "review_interval_months": "24"},
        # The last review counts, not the adoption.
        {"policy_adopted_on": "2019-01-01", "policy_reviewed_on": "2026-01-31"},
    ],
)
def test_a_policy_review_not_yet_due_is_no_finding(
    council: Database, clock: FixedClock, values: dict[str, str]
) -> None:
    assert with_settings(council, clock, **values) == []


def test_review_due_dates_clamp_to_the_end_of_a_short_month() -> None:
    assert checks.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert checks.add_months(date(2027, 12, 31), 2) == date(2028, 2, 29)
    assert checks.add_months(date(2026, 11, 21), 12) == date(2027, 11, 21)


# --- the whole run ------------------------------------------------------------------------------


def test_an_empty_database_asks_for_the_policy_dates_only(db: Database, clock: FixedClock) -> None:
    finding = only(run(db, clock))
    assert finding.rule == "policy-review-overdue"


def test_findings_come_most_severe_first_then_by_rule_and_subject(
    council: Database, clock: FixedClock
) -> None:
    with council.transaction(ACTOR) as session:
        factories.approved_account(session, TODAY, platform="X", handle="@b", complaints_info=False)
        factories.approved_account(session, TODAY, platform="X", handle="@a", two_factor=TwoFactor.NONE)
        factories.approved_account(session, TODAY, platform="Bluesky", handle="@c", two_factor=TwoFactor.NONE)
        factories.approved_account(session, TODAY, platform="Y", handle="@d", sign_in_email="d@gmail.com")
    findings = with_settings(council, clock, policy_reviewed_on="2025-01-01")
    assert [(f.severity.value, f.rule, f.subject) for f in findings] == [
        ("high", "no-two-factor", "Bluesky:@c"),
        ("high", "no-two-factor", "X:@a"),
        ("medium", "policy-review-overdue", "Settings"),
        ("medium", "signin-email-not-council", "Y:@d"),
        ("low", "complaints-info-missing", "X:@b"),
    ]


def test_every_finding_has_a_known_rule_and_the_public_json_shape(
    council: Database, clock: FixedClock
) -> None:
    findings = with_account(council, clock, **BAD_EVERYWHERE)
    findings += with_settings(council, clock, email_domains="", policy_reviewed_on="", policy_adopted_on="")
    known = {
        "account-unapproved",
        "signin-email-not-council",
        "complaints-info-missing",
        "no-two-factor",
        "password-missing",
        "password-reused",
        "password-overdue",
        "rotate-now",
        "councillor-access",
        "grant-expired",
        "grant-no-business-case",
        "officer-not-acknowledged",
        "keyholder-left",
        "policy-review-overdue",
        "ico-deadline",
        "chair-not-informed",
        "platform-not-notified",
    }
    for finding in findings:
        assert finding.rule in known
        data = finding.as_json()
        assert list(data) == ["rule", "clause", "severity", "subject", "message"]
        assert all(isinstance(value, str) for value in data.values())
        assert data["severity"] in ("high", "medium", "low")


# --- the keyring: password-missing and password-reused ------------------------------------------


def run_with_keyring(db: Database, clock: FixedClock) -> list[Finding]:
    """The findings as ``clerk-desk check`` and the Home page see them: with what the keyring holds."""
    with db.read() as session:
        snapshot = credentials.snapshot(accounts.all_accounts(session))
        return checks.run(session, clock, snapshot)


def keep(db: Database, memory_keyring: MemoryKeyring, **passwords: str) -> None:
    """Put passwords in the keyring by account name (``Platform:handle`` with ``_`` for ``:``)."""
    with db.read() as session:
        for name, password in passwords.items():
            account = accounts.by_name(session, name.replace("_", ":", 1))
            assert account is not None, name
            memory_keyring.entries[(vault.SERVICE, account.uuid)] = password


def test_the_keyring_rules_run_only_when_the_keyring_was_read(council: Database, clock: FixedClock) -> None:
    assert with_account(council, clock) == []
    finding = only(run_with_keyring(council, clock))
    assert finding.rule == "password-missing"


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({}, id="active"),
        pytest.param(dict(status=AccountStatus.SUSPENDED, suspended_from=date(2026, 11, 1)), id="suspended"),
    ],
)
def test_an_account_in_use_without_a_stored_password_is_a_finding(
    council: Database, clock: FixedClock, fields: dict[str, Any]
) -> None:
    with council.transaction(ACTOR) as session:
        account_id = factories.approved_account(session, TODAY, **fields).id
    finding = only(run_with_keyring(council, clock))
    assert (finding.rule, finding.clause, finding.severity) == (
        "password-missing",
        "Thornbury 9.1",
        Severity.MEDIUM,
    )
    assert finding.subject == "Facebook:@TownCouncil"
    assert finding.message == (
        "No password for Facebook:@TownCouncil is kept in the password store; use Set password."
    )
    assert (finding.subject_kind, finding.subject_id) == ("account", account_id)


def test_proposed_and_closed_accounts_need_no_stored_password(council: Database, clock: FixedClock) -> None:
    with council.transaction(ACTOR) as session:
        factories.account(session, TODAY, platform="TikTok", handle="@youth", business_case="Youth outreach")
        factories.approved_account(
            session, TODAY, platform="Flickr", handle="archive", status=AccountStatus.CLOSED, closed_on=TODAY
        )
    assert run_with_keyring(council, clock) == []


def test_a_compliant_council_with_its_passwords_stored_has_no_findings(
    council: Database, clock: FixedClock, memory_keyring: MemoryKeyring
) -> None:
    with council.transaction(ACTOR) as session:
        factories.approved_account(session, TODAY)
        factories.approved_account(session, TODAY, platform="X", handle="@Town")
    keep(council, memory_keyring, **{"Facebook_@TownCouncil": "first-password-1", "X_@Town": "second-pw-2"})
    assert run_with_keyring(council, clock) == []


def test_a_rotation_waiting_for_confirmation_is_not_a_stored_password(
    council: Database, clock: FixedClock, memory_keyring: MemoryKeyring
) -> None:
    with council.transaction(ACTOR) as session:
        account_id = factories.approved_account(session, TODAY).id
    with council.transaction(ACTOR) as session:
        credentials.begin_rotation(session, account_id, "Waiting-on-the-platform-1")
    assert only(run_with_keyring(council, clock)).rule == "password-missing"


def test_two_accounts_sharing_a_password_are_each_a_high_finding(
    council: Database, clock: FixedClock, memory_keyring: MemoryKeyring
) -> None:
    with council.transaction(ACTOR) as session:
        factories.approved_account(session, TODAY)
        factories.approved_account(session, TODAY, platform="X", handle="@Town")
        factories.approved_account(session, TODAY, platform="Instagram", handle="@town")
    keep(
        council,
        memory_keyring,
        **{
            "Facebook_@TownCouncil": "Shared-pw-1!",
            "X_@Town": "Shared-pw-1!",
            "Instagram_@town": "Own-pw-2!",
        },
    )
    findings = run_with_keyring(council, clock)
    assert [(f.rule, f.clause, f.severity, f.subject) for f in findings] == [
        ("password-reused", "Thornbury 9.3", Severity.HIGH, "Facebook:@TownCouncil"),
        ("password-reused", "Thornbury 9.3", Severity.HIGH, "X:@Town"),
    ]
    assert findings[0].message == "Facebook:@TownCouncil has the same password as X:@Town; give each its own."
    assert findings[1].message == "X:@Town has the same password as Facebook:@TownCouncil; give each its own."
    assert "Shared-pw-1!" not in repr(findings)


def test_three_accounts_sharing_a_password_each_name_the_other_two(
    council: Database, clock: FixedClock, memory_keyring: MemoryKeyring
) -> None:
    with council.transaction(ACTOR) as session:
        factories.approved_account(session, TODAY)
        factories.approved_account(session, TODAY, platform="X", handle="@Town")
        factories.approved_account(session, TODAY, platform="Instagram", handle="@town")
    keep(
        council,
        memory_keyring,
        **{n: "Same-1!" for n in ("Facebook_@TownCouncil", "X_@Town", "Instagram_@town")},
    )
    findings = {f.subject: f.message for f in run_with_keyring(council, clock)}
    assert findings == {
        "Facebook:@TownCouncil": "Facebook:@TownCouncil has the same password as Instagram:@town, X:@Town; "
        "give each its own.",
        "Instagram:@town": "Instagram:@town has the same password as Facebook:@TownCouncil, X:@Town; "
        "give each its own.",
        "X:@Town": "X:@Town has the same password as Facebook:@TownCouncil, Instagram:@town; "
        "give each its own.",
    }


def test_a_closed_accounts_old_password_is_not_reuse(
    council: Database, clock: FixedClock, memory_keyring: MemoryKeyring
) -> None:
    with council.transaction(ACTOR) as session:
        factories.approved_account(session, TODAY)
        factories.approved_account(
            session, TODAY, platform="Flickr", handle="archive", status=AccountStatus.CLOSED, closed_on=TODAY
        )
    keep(council, memory_keyring, **{"Facebook_@TownCouncil": "Same-1!", "Flickr_archive": "Same-1!"})
    assert run_with_keyring(council, clock) == []


@pytest.mark.parametrize(
    ("broken", "state"),
    [
        pytest.param("missing", "No password store is available on this PC", id="no-keyring"),
        pytest.param("locked", "The password store is locked. Unlock it", id="locked"),
    ],
)
def test_an_unusable_keyring_is_one_finding_not_one_per_account(
    council: Database,
    clock: FixedClock,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    broken: str,
    state: str,
) -> None:
    with council.transaction(ACTOR) as session:
        factories.approved_account(session, TODAY)
        factories.approved_account(session, TODAY, platform="X", handle="@Town", two_factor=TwoFactor.NONE)
        factories.approved_account(session, TODAY, platform="Instagram", handle="@town")
    keep(council, memory_keyring, **{"Facebook_@TownCouncil": "Same-1!", "X_@Town": "Same-1!"})
    if broken == "missing":
        keyring.set_keyring(fail.Keyring())
    else:

        def locked(*args: object) -> None:
            raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

        monkeypatch.setattr(memory_keyring, "get_password", locked)
    findings = run_with_keyring(council, clock)
    # The other rules still run; the keyring is one finding, and no account is called missing or reused.
    assert [(f.rule, f.subject) for f in findings] == [
        ("no-two-factor", "X:@Town"),
        ("password-missing", "Password store"),
    ]
    finding = findings[1]
    assert (finding.clause, finding.severity, finding.subject_kind) == (
        "Thornbury 9.1",
        Severity.HIGH,
        "vault",
    )
    assert finding.message.startswith(f"Passwords could not be checked: {state}")


# --- rotate-now ---------------------------------------------------------------------------------

Register = Callable[[rotation.RotateNowSource], rotation.RotateNowSource]
SINCE = date(2026, 11, 10)
REASON = "INC-2026-004, a suspected compromise"


@pytest.fixture
def compromised(council: Database, rotate_now_sources: Register) -> int:
    """Facebook, last changed 2026-10-01, named by a suspected compromise on 2026-11-10."""
    with council.transaction(ACTOR) as session:
        account_id = factories.approved_account(session, TODAY).id

    @rotate_now_sources
    def incident(session: Session) -> Iterable[rotation.RotateNowEvent]:
        return [rotation.RotateNowEvent(account_id, SINCE, REASON, RotationReason.SUSPECTED_COMPROMISE)]

    return account_id


def test_an_account_named_by_an_event_must_be_changed_now(
    council: Database, clock: FixedClock, compromised: int
) -> None:
    finding = only(run(council, clock))
    assert (finding.rule, finding.clause, finding.severity) == ("rotate-now", "Thornbury 9.4", Severity.HIGH)
    assert (finding.subject, finding.subject_kind, finding.subject_id) == (
        "Facebook:@TownCouncil",
        "account",
        compromised,
    )
    assert finding.message == (
        f"Change the password of Facebook:@TownCouncil now: {REASON} on 2026-11-10, "
        "and it has not been changed since."
    )


@pytest.mark.parametrize(
    ("changed_on", "still_due"),
    [(date(2026, 11, 9), True), (SINCE, False), (date(2026, 11, 15), False)],
)
def test_a_change_on_or_after_the_event_clears_it(
    council: Database, clock: FixedClock, compromised: int, changed_on: date, still_due: bool
) -> None:
    with council.transaction(ACTOR) as session:
        account = accounts.get(session, compromised)
        data = replace(accounts.data_of(account), last_rotated_on=changed_on)
        accounts.save(session, data, TODAY, account_id=compromised, expected_version=account.version)
    assert [f.rule for f in run(council, clock)] == (["rotate-now"] if still_due else [])


def test_setting_a_new_password_in_clerk_desk_clears_it(
    council: Database, clock: FixedClock, compromised: int
) -> None:
    give_keys(council, ACTOR)  # the clerk sets up first: a key and the council's recovery key
    with council.transaction(ACTOR) as session:
        credentials.begin_rotation(session, compromised, "After-the-breach-9!")
    assert [f.rule for f in run_with_keyring(council, clock)] == ["rotate-now", "password-missing"]
    with council.transaction(ACTOR) as session:
        credentials.confirm_rotation(session, compromised, RotationReason.SUSPECTED_COMPROMISE)
    assert run_with_keyring(council, clock) == []


@pytest.mark.parametrize("reason", [None, RotationReason.SUSPECTED_COMPROMISE])
def test_storing_the_password_the_account_already_has_does_not_clear_it(
    council: Database, clock: FixedClock, compromised: int, reason: RotationReason | None
) -> None:
    """Recording the existing password changes nothing on the platform, so the change is still due."""
    give_keys(council, ACTOR)  # the clerk sets up first: a key and the council's recovery key
    if reason is None:
        with council.transaction(ACTOR) as session:
            credentials.set_password(session, compromised, "Still-the-old-one-4!", changed_on_platform=False)
        assert [f.rule for f in run_with_keyring(council, clock)] == ["rotate-now"]
    else:
        with (
            pytest.raises(ClerkDeskError, match="only for a password changed on the platform"),
            council.transaction(ACTOR) as session,
        ):
            credentials.set_password(
                session, compromised, "Still-the-old-one-4!", reason, changed_on_platform=False
            )
    with council.transaction(ACTOR) as session:
        credentials.set_password(session, compromised, "Changed-on-the-site-5!", changed_on_platform=True)
    assert run_with_keyring(council, clock) == []


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param(dict(status=AccountStatus.CLOSED, closed_on=TODAY), id="closed"),
        pytest.param(dict(status=AccountStatus.PROPOSED, approved_by=None, approved_on=None), id="proposed"),
    ],
)
def test_an_account_not_in_use_need_not_be_changed_now(
    council: Database, clock: FixedClock, rotate_now_sources: Register, fields: dict[str, Any]
) -> None:
    with council.transaction(ACTOR) as session:
        account_id = factories.approved_account(session, TODAY, **fields).id

    @rotate_now_sources
    def incident(session: Session) -> Iterable[rotation.RotateNowEvent]:
        yield rotation.RotateNowEvent(account_id, SINCE, REASON, RotationReason.SUSPECTED_COMPROMISE)

    assert run(council, clock) == []


def test_the_newest_event_not_acted_on_is_the_one_reported(
    council: Database, clock: FixedClock, compromised: int, rotate_now_sources: Register
) -> None:
    @rotate_now_sources
    def leaver(session: Session) -> Iterable[rotation.RotateNowEvent]:
        yield rotation.RotateNowEvent(
            compromised, date(2026, 11, 18), "Ayşe Ağca, who held access, left", RotationReason.KEYHOLDER_LEFT
        )

    finding = only(run(council, clock))
    assert "Ayşe Ağca, who held access, left on 2026-11-18" in finding.message


# --- delegated access, designated officers, acknowledgements ------------------------------------

DEPUTY = "Łukasz Nowak"
STAFF = "Nguyễn Thu Hà"
FACEBOOK = "Facebook:@TownCouncil"


@pytest.fixture
def keys(council: Database) -> Database:
    """The compliant council with one account (its password changed 2026-10-01), the deputy and a member of
    staff, and policy version 2.1 in force, acknowledged by all three."""
    with council.transaction(ACTOR) as session:
        factories.person(session, DEPUTY, Role.DEPUTY_CLERK)
        factories.person(session, STAFF, Role.EMPLOYEE)
        factories.approved_account(session, TODAY)
        settings.update(session, {"policy_version": "2.1"})
        for name in (ACTOR, DEPUTY, STAFF):
            acknowledgements.save(
                session, acknowledgements.AcknowledgementData(name, "2.1", date(2026, 2, 1)), TODAY
            )
    return council


def give(db: Database, **fields: Any) -> int:
    with db.transaction(ACTOR) as session:
        return factories.grant(session, TODAY, **fields).id


def test_keys_held_as_the_policy_asks_raise_no_findings(keys: Database, clock: FixedClock) -> None:
    give(keys)
    give(keys, person=DEPUTY, expires_on=date(2026, 11, 22))
    with keys.transaction(ACTOR) as session:
        factories.designation(session, TODAY)
        factories.designation(session, TODAY, person=DEPUTY)
    assert run(keys, clock) == []


def test_a_keyholder_made_a_councillor_behind_the_services_back_is_a_high_finding(
    keys: Database, clock: FixedClock
) -> None:
    grant_id = give(keys)
    give(keys, person=STAFF, granted_on=date(2026, 1, 5), revoked_on=date(2026, 3, 1), revoke_reason="Old")
    with keys.transaction(ACTOR) as session:
        person = people.by_name(session, STAFF)
        assert person is not None
        person.role = Role.COUNCILLOR.value  # elected, and changed directly in the database
    finding = only(run(keys, clock))
    assert (finding.rule, finding.clause, finding.severity) == (
        "councillor-access",
        "Thornbury 9.2",
        Severity.HIGH,
    )
    assert (finding.subject, finding.subject_kind, finding.subject_id) == (STAFF, "grant", grant_id)
    assert finding.message == f"{STAFF} is a councillor and still holds post access to {FACEBOOK}; revoke it."


def test_a_grant_past_its_expiry_and_not_revoked_is_a_finding(keys: Database, clock: FixedClock) -> None:
    grant_id = give(keys, expires_on=date(2026, 11, 10))
    findings = run(keys, clock)
    assert [(f.rule, f.clause, f.severity, f.subject) for f in findings] == [
        # Whoever held it lost access on 2026-11-10, and the password is older than that.
        ("rotate-now", "Thornbury 9.4", Severity.HIGH, FACEBOOK),
        ("grant-expired", "Thornbury 9.1", Severity.MEDIUM, STAFF),
    ]
    assert findings[0].message == (
        f"Change the password of {FACEBOOK} now: {STAFF}'s access expired on 2026-11-10, "
        "and it has not been changed since."
    )
    assert findings[1].message == (
        f"{STAFF}'s access to {FACEBOOK} expired on 2026-11-10 but was not revoked; "
        "revoke it or grant it again."
    )
    with keys.transaction(ACTOR) as session:
        access.revoke(session, grant_id, None, TODAY, "Expired", TODAY)
    assert [f.rule for f in run(keys, clock)] == ["rotate-now"]


@pytest.mark.parametrize(("expires_on", "expired"), [(TODAY, True), (TODAY + timedelta(days=1), False)])
def test_a_grant_expires_at_the_start_of_its_expiry_date(
    keys: Database, clock: FixedClock, expires_on: date, expired: bool
) -> None:
    give(keys, expires_on=expires_on)
    assert ("grant-expired" in {f.rule for f in run(keys, clock)}) is expired


@pytest.mark.parametrize("business_case", [None, "   "])
def test_a_grant_without_a_business_case_is_a_finding(
    keys: Database, clock: FixedClock, business_case: str | None
) -> None:
    with keys.transaction(ACTOR) as session:
        # Made before Clerk Desk kept the register: the service would refuse it.
        session.add(
            Grant(
                person=people.by_name(session, STAFF),
                account=accounts.by_name(session, FACEBOOK),
                level="post",
                business_case=business_case,
                approved_by=people.by_name(session, ACTOR),
                granted_on=date(2025, 6, 1),
            )
        )
    finding = only(run(keys, clock))
    assert (finding.rule, finding.clause, finding.severity, finding.subject) == (
        "grant-no-business-case",
        "Thornbury 9.1; Thornbury 3.1.1",
        Severity.MEDIUM,
        STAFF,
    )
    assert finding.message == f"{STAFF}'s access to {FACEBOOK} has no business case recorded."


def test_someone_who_left_still_holding_access_is_a_high_finding(keys: Database, clock: FixedClock) -> None:
    give(keys)
    with keys.transaction(ACTOR) as session:
        person = people.by_name(session, STAFF)
        assert person is not None
        leaving.record_leaving(session, person.id, person.version, date(2026, 11, 18), revoke_access=False)
    findings = run(keys, clock)
    assert [(f.rule, f.clause, f.severity, f.subject) for f in findings] == [
        ("keyholder-left", "Thornbury 9.1; 9.4", Severity.HIGH, STAFF),
        ("rotate-now", "Thornbury 9.4", Severity.HIGH, FACEBOOK),
    ]
    assert findings[0].message == (
        f"{STAFF} left on 2026-11-18 but still holds access to {FACEBOOK}; revoke it and change the password."
    )


def test_a_leaving_date_still_to_come_is_not_a_finding_yet(keys: Database, clock: FixedClock) -> None:
    give(keys)
    with keys.transaction(ACTOR) as session:
        person = people.by_name(session, STAFF)
        assert person is not None
        people.record_leaving(session, person.id, person.version, date(2026, 11, 30))
    assert run(keys, clock) == []
    clock.moment += timedelta(days=9)
    assert {f.rule for f in run(keys, clock)} >= {"keyholder-left", "rotate-now"}


ACK_CLAUSE = "district policy 5c; Thornbury 4.2"


def test_an_officer_or_keyholder_who_has_not_acknowledged_the_policy_in_force_is_a_finding(
    keys: Database, clock: FixedClock
) -> None:
    with keys.transaction(ACTOR) as session:
        factories.person(session, "Tom Beckett", Role.VOLUNTEER)
        factories.person(session, "Priya Shah", Role.CONTRACTOR)
        # Both acknowledged the version before this one only.
        for name in ("Tom Beckett", "Priya Shah"):
            acknowledgements.save(
                session, acknowledgements.AcknowledgementData(name, "2.0", date(2025, 2, 1)), TODAY
            )
        factories.designation(session, TODAY, person="Tom Beckett")
        factories.grant(session, TODAY, person="Tom Beckett")  # an officer and a keyholder: one finding
        factories.grant(session, TODAY, person="Priya Shah", level=AccessLevel.MANAGE)
    findings = run(keys, clock)
    assert [(f.rule, f.clause, f.severity, f.subject, f.subject_kind) for f in findings] == [
        ("officer-not-acknowledged", ACK_CLAUSE, Severity.MEDIUM, "Priya Shah", "person"),
        ("officer-not-acknowledged", ACK_CLAUSE, Severity.MEDIUM, "Tom Beckett", "person"),
    ]
    assert [f.message for f in findings] == [
        "Priya Shah is a keyholder but has not acknowledged version 2.1 of the policy.",
        "Tom Beckett is a designated officer but has not acknowledged version 2.1 of the policy.",
    ]
    with keys.transaction(ACTOR) as session:
        acknowledgements.save(
            session, acknowledgements.AcknowledgementData("Tom Beckett", "2.1", TODAY), TODAY
        )
    assert [f.subject for f in run(keys, clock)] == ["Priya Shah"]


def test_only_officers_and_keyholders_in_force_need_to_acknowledge(keys: Database, clock: FixedClock) -> None:
    with keys.transaction(ACTOR) as session:
        for name in ("Tom Beckett", "Priya Shah", "Ayşe Ağca"):
            factories.person(session, name, Role.EMPLOYEE)
        factories.designation(
            session, TODAY, person="Tom Beckett", designated_on=date(2025, 1, 6), ended_on=TODAY
        )
        factories.grant(
            session, TODAY, person="Priya Shah", revoked_on=date(2026, 7, 1), revoke_reason="Done"
        )
        factories.grant(session, TODAY, person="Ayşe Ağca", expires_on=date(2026, 9, 1))
    # Only Ayşe's expired key is found (the password was changed after it expired, so none is due now).
    assert [(f.rule, f.subject) for f in run(keys, clock)] == [("grant-expired", "Ayşe Ağca")]


def test_without_a_policy_version_there_is_one_finding_about_settings(
    keys: Database, clock: FixedClock
) -> None:
    give(keys)
    with keys.transaction(ACTOR) as session:
        factories.designation(session, TODAY, person=DEPUTY)
    finding = only(with_settings(keys, clock, policy_version=""))
    assert (finding.rule, finding.clause, finding.severity) == (
        "officer-not-acknowledged",
        ACK_CLAUSE,
        Severity.MEDIUM,
    )
    assert (finding.subject, finding.subject_kind) == ("Settings", "settings")
    assert finding.message == (
        "No policy version is set, so acknowledgements cannot be checked; set policy_version under Settings."
    )


def test_without_officers_or_keyholders_no_policy_version_is_needed(
    keys: Database, clock: FixedClock
) -> None:
    assert with_settings(keys, clock, policy_version="") == []


# --- incidents ----------------------------------------------------------------------------------


def log_incident(
    db: Database, clock: FixedClock, category: IncidentCategory, title: str, hours_ago: float = 0
) -> int:
    """An incident logged, and so discovered, some hours ago; the clock is put back."""
    now = clock.moment
    clock.moment = now - timedelta(hours=hours_ago)
    try:
        with db.transaction(ACTOR) as session:
            return incidents.log(session, title, category, "What happened, as reported.").id
    finally:
        clock.moment = now


def incident_findings(db: Database, clock: FixedClock) -> list[Finding]:
    return [f for f in run(db, clock) if f.subject_kind == "incident"]


ICO = "UK GDPR Art. 33"
BREACH = "Residents' list sent to the wrong group"


def test_a_personal_data_breach_shows_the_hours_left_to_decide_on_the_ico(
    council: Database, clock: FixedClock
) -> None:
    """Done when: discovered 30 hours ago with no ICO decision, it shows "42 hours left"."""
    incident_id = log_incident(council, clock, IncidentCategory.PERSONAL_DATA, BREACH, hours_ago=30)
    finding = only(run(council, clock))
    assert (finding.rule, finding.clause, finding.severity) == ("ico-deadline", ICO, Severity.HIGH)
    assert (finding.subject, finding.subject_kind, finding.subject_id) == (
        "INC-2026-001",
        "incident",
        incident_id,
    )
    assert finding.message == (
        f"INC-2026-001 ({BREACH}): decide whether to notify the ICO — 42 hours left "
        "(deadline 2026-11-23 06:00 GMT)."
    )
    clock.moment += timedelta(hours=50)  # 80 hours after discovery
    assert only(incident_findings(council, clock)).message == (
        f"INC-2026-001 ({BREACH}): decide whether to notify the ICO — 8 hours overdue "
        "(deadline 2026-11-23 06:00 GMT)."
    )
    with council.transaction(ACTOR) as session:
        incidents.record_ico_decision(
            session,
            incident_id,
            IcoDecision.NOTIFY,
            clock.now(),
            notified_at=clock.now(),
            ico_reference="IC-123456",
            delay_reasons="The list's owner was away",
        )
    assert incident_findings(council, clock) == []


def test_a_near_miss_has_no_ico_deadline(council: Database, clock: FixedClock) -> None:
    incident_id = log_incident(council, clock, IncidentCategory.PERSONAL_DATA, BREACH, hours_ago=80)
    with council.transaction(ACTOR) as session:
        incidents.get(session, incident_id).near_miss = True
    assert run(council, clock) == []


def test_personal_data_in_any_category_starts_the_ico_clock(council: Database, clock: FixedClock) -> None:
    incident_id = log_incident(council, clock, IncidentCategory.OTHER, "Laptop left on the bus", hours_ago=1)
    assert incident_findings(council, clock) == []
    with council.transaction(ACTOR) as session:
        incidents.get(session, incident_id).personal_data = True
    assert "71 hours left" in only(incident_findings(council, clock)).message


DEVICE = "Council Instagram used on a personal phone"


def test_a_non_council_device_incident_names_the_chair_until_informed(
    council: Database, clock: FixedClock
) -> None:
    incident_id = log_incident(council, clock, IncidentCategory.NON_COUNCIL_DEVICE, DEVICE)
    finding = only(run(council, clock))
    assert (finding.rule, finding.clause, finding.severity, finding.subject) == (
        "chair-not-informed",
        "Thornbury 9.7.1",
        Severity.HIGH,
        "INC-2026-001",
    )
    assert finding.message == f"INC-2026-001 ({DEVICE}): the Chair of Council has not been informed."
    with council.transaction(ACTOR) as session:
        incidents.settle_step(session, incident_id, "clerk_notified", done_at=clock.now())
    assert only(run(council, clock)).rule == "chair-not-informed"
    with council.transaction(ACTOR) as session:
        incidents.settle_step(session, incident_id, "chair_informed", not_applicable="The Chair was the user")
    assert run(council, clock) == []


@pytest.mark.parametrize(("clerk_is_target", "found"), [(True, True), (False, False)])
def test_harassment_of_the_clerk_goes_to_the_chair(
    council: Database, clock: FixedClock, clerk_is_target: bool, found: bool
) -> None:
    incident_id = log_incident(council, clock, IncidentCategory.HARASSMENT, "Threats to the clerk")
    with council.transaction(ACTOR) as session:
        incident = incidents.get(session, incident_id)
        incident.clerk_is_target = clerk_is_target
        incidents.sync_steps(incident)
    findings = [(f.rule, f.clause) for f in run(council, clock)]
    assert findings == ([("chair-not-informed", "Ottery 7.4; Thornbury 5.3")] if found else [])
    if found:
        with council.transaction(ACTOR) as session:
            incidents.settle_step(session, incident_id, "reported_to_chair", done_at=clock.now())
        assert run(council, clock) == []


def test_an_impersonating_account_not_reported_to_the_platform_is_a_finding(
    council: Database, clock: FixedClock
) -> None:
    incident_id = log_incident(council, clock, IncidentCategory.IMPERSONATION, "Fake council page")
    with council.transaction(ACTOR) as session:
        incidents.get(session, incident_id).external_party = "facebook.com/FakeTownCouncil"
    finding = only(run(council, clock))
    assert (finding.rule, finding.clause, finding.severity, finding.subject) == (
        "platform-not-notified",
        "Thornbury 8",
        Severity.HIGH,
        "INC-2026-001",
    )
    assert finding.message == (
        "INC-2026-001: the impersonating account (facebook.com/FakeTownCouncil) has not been reported to the "
        "platform."
    )
    with council.transaction(ACTOR) as session:
        incidents.settle_step(session, incident_id, "platform_notified", done_at=clock.now())
    assert run(council, clock) == []  # telling the public is a step to close it, not a finding


@pytest.mark.parametrize(
    ("days", "status", "found"),
    [
        (28, IncidentStatus.OPEN, False),
        (29, IncidentStatus.OPEN, True),
        (40, IncidentStatus.INVESTIGATING, True),
        (40, IncidentStatus.RESOLVED, False),
        (40, IncidentStatus.CLOSED, False),
    ],
)
def test_an_incident_left_open_over_28_days_is_a_finding(
    council: Database, clock: FixedClock, days: int, status: IncidentStatus, found: bool
) -> None:
    incident_id = log_incident(council, clock, IncidentCategory.OTHER, "Phishing email", hours_ago=24 * days)
    if status != IncidentStatus.OPEN:
        with council.transaction(ACTOR) as session:
            incidents.set_status(session, incident_id, None, status, outcome="Deleted")
    findings = run(council, clock)
    if not found:
        assert findings == []
        return
    finding = only(findings)
    assert (finding.rule, finding.clause, finding.severity, finding.subject) == (
        "incident-open-too-long",
        "Thornbury 6; Stalbridge 3",
        Severity.MEDIUM,
        "INC-2026-001",
    )
    assert finding.message == (
        f"INC-2026-001 (Phishing email) has been {status.value} for {days} days; follow it up, or resolve "
        "and close it."
    )


def test_a_suspected_compromise_makes_its_accounts_passwords_due_now(
    council: Database, clock: FixedClock
) -> None:
    with council.transaction(ACTOR) as session:
        factories.approved_account(session, TODAY)
        factories.approved_account(
            session, TODAY, platform="X", handle="@Town", last_rotated_on=date(2026, 11, 20)
        )
    incident_id = log_incident(council, clock, IncidentCategory.ACCOUNT_COMPROMISE, "Odd login", hours_ago=24)
    with council.transaction(ACTOR) as session:
        incident = incidents.get(session, incident_id)
        incidents.set_involved(incident, [accounts.by_name(session, n) for n in (FACEBOOK, "X:@Town")], [])  # type: ignore[misc]
    # X was changed on the day it was discovered: only Facebook is due.
    finding = only(run(council, clock))
    assert (finding.rule, finding.clause, finding.severity, finding.subject) == (
        "rotate-now",
        "Thornbury 9.4",
        Severity.HIGH,
        FACEBOOK,
    )
    assert finding.message == (
        f"Change the password of {FACEBOOK} now: INC-2026-001, a suspected compromise on 2026-11-20, and it "
        "has not been changed since."
    )
    with council.transaction(ACTOR) as session:
        incidents.set_status(session, incident_id, None, IncidentStatus.RESOLVED, outcome="Signed out")
    assert only(run(council, clock)).rule == "rotate-now"  # resolved is not closed
    give_keys(council, ACTOR)  # the clerk's key and the council's recovery key
    with council.transaction(ACTOR) as session:
        credentials.set_password(
            session,
            accounts.by_name(session, FACEBOOK).id,  # type: ignore[union-attr]
            "After-The-Login-58!",
            changed_on_platform=True,
        )
    assert run(council, clock) == []


def test_a_closed_compromise_no_longer_asks_for_a_change(council: Database, clock: FixedClock) -> None:
    with council.transaction(ACTOR) as session:
        factories.approved_account(session, TODAY)
    incident_id = log_incident(council, clock, IncidentCategory.ACCOUNT_COMPROMISE, "Odd login")
    with council.transaction(ACTOR) as session:
        incident = incidents.get(session, incident_id)
        incidents.set_involved(incident, [accounts.by_name(session, FACEBOOK)], [])  # type: ignore[list-item]
    assert only(run(council, clock)).rule == "rotate-now"
    with council.transaction(ACTOR) as session:
        incidents.settle_step(session, incident_id, "change_passwords", not_applicable="A false alarm from X")
        incidents.settle_step(session, incident_id, "review_access", done_at=clock.now())
        incidents.set_status(session, incident_id, None, IncidentStatus.CLOSED, outcome="False alarm")
    assert run(council, clock) == []


def test_every_incident_finding_names_a_known_rule(council: Database, clock: FixedClock) -> None:
    for category in IncidentCategory:
        log_incident(council, clock, category, f"A {category.value} incident", hours_ago=24 * 40)
    found = incident_findings(council, clock)
    assert {f.rule for f in found} == {
        "ico-deadline",
        "chair-not-informed",
        "platform-not-notified",
        "incident-open-too-long",
    }
    assert all(f.subject.startswith("INC-2026-") for f in found)
    assert [f.severity.rank for f in found] == sorted(f.severity.rank for f in found)
