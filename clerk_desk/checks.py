"""The policy checks: pure functions over a session that return findings.

Each rule has a stable id (design.md, "Policy-finding rule ids") and cites the clause it comes from.
``run`` is what ``clerk-desk check``, the Home page and the annual review all use.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

from sqlalchemy.orm import Session

from clerk_desk import access, accounts, acknowledgements, officers, people, rotation
from clerk_desk import incidents as incident_list
from clerk_desk import settings as council_settings
from clerk_desk.clock import Clock
from clerk_desk.credentials import VaultSnapshot
from clerk_desk.models import (
    Account,
    AccountStatus,
    Acknowledgement,
    Designation,
    Grant,
    Incident,
    Person,
    TwoFactor,
)
from clerk_desk.rotation import RotateNowEvent
from clerk_desk.settings import CouncilSettings


class Severity(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        return {"high": 0, "medium": 1, "low": 2}[self.value]


@dataclass(frozen=True)
class Finding:
    """Something that needs the clerk's attention.

    ``subject_kind`` and ``subject_id`` let the Home page open the record; they are not part of the
    public JSON.
    """

    rule: str
    clause: str
    severity: Severity
    subject: str
    message: str
    subject_kind: str = ""
    subject_id: int | None = None

    def as_json(self) -> dict[str, str]:
        data = asdict(self)
        return {key: str(data[key]) for key in ("rule", "clause", "severity", "subject", "message")}


@dataclass(frozen=True)
class Register:
    """Everything the checks read, loaded once (one query per table)."""

    today: date
    settings: CouncilSettings
    accounts: list[Account]
    people: list[Person]
    #: Each account's password change still due because of an event (rotation.RotateNowEvent), by id.
    rotate_now: dict[int, RotateNowEvent] = field(default_factory=dict)
    #: What the keyring holds; None when the caller did not look (the keyring rules are then skipped).
    vault: VaultSnapshot | None = None
    grants: list[Grant] = field(default_factory=list)
    designations: list[Designation] = field(default_factory=list)
    acknowledgements: list[Acknowledgement] = field(default_factory=list)
    #: Incidents not yet closed.
    incidents: list[Incident] = field(default_factory=list)
    now: datetime = field(default_factory=lambda: datetime.now(UTC))


Rule = Callable[[Register], Iterable[Finding]]
RULES: list[Rule] = []


def rule(func: Rule) -> Rule:
    """Register a check; later capabilities add theirs the same way."""
    RULES.append(func)
    return func


def load(session: Session, clock: Clock, vault: VaultSnapshot | None = None) -> Register:
    """Everything the rules read; pass a ``credentials.snapshot`` to include the keyring rules."""
    registered = accounts.all_accounts(session)
    return Register(
        today=clock.today(),
        settings=council_settings.load(session),
        accounts=registered,
        people=people.all_people(session),
        rotate_now=rotation.outstanding(registered, rotation.rotate_now_events(session)),
        vault=vault,
        grants=access.all_grants(session),
        designations=officers.all_designations(session),
        acknowledgements=acknowledgements.all_acknowledgements(session),
        incidents=incident_list.all_incidents(session, open_only=True),
        now=clock.now(),
    )


def run(session: Session, clock: Clock, vault: VaultSnapshot | None = None) -> list[Finding]:
    """Every finding, most severe first."""
    return evaluate(load(session, clock, vault))


def evaluate(register: Register) -> list[Finding]:
    """Every finding for a register already loaded, most severe first."""
    findings = [finding for check in RULES for finding in check(register)]
    return sorted(findings, key=lambda f: (f.severity.rank, f.rule, f.subject.casefold()))


def _live(register: Register) -> Iterable[Account]:
    """Accounts that exist on their platform: everything but proposals and closed accounts."""
    return (a for a in register.accounts if a.status in (AccountStatus.ACTIVE, AccountStatus.SUSPENDED))


def _account_finding(
    rule_id: str, clause: str, severity: Severity, account: Account, message: str
) -> Finding:
    return Finding(rule_id, clause, severity, account.name, message, "account", account.id)


@rule
def account_unapproved(register: Register) -> Iterable[Finding]:
    """An account in use with no recorded approval by the clerk or deputy (Barling Magna; Stalbridge 4)."""
    for account in _live(register):
        missing = [
            label
            for label, value in (
                ("approver", account.approved_by_id),
                ("approval date", account.approved_on),
                ("business case", account.business_case),
            )
            if not value
        ]
        if missing:
            yield _account_finding(
                "account-unapproved",
                accounts.APPROVAL_CLAUSE,
                Severity.HIGH,
                account,
                f"{account.name} is {account.status} but has no recorded {', '.join(missing)}; "
                "the clerk or deputy clerk must approve every account.",
            )


@rule
def signin_email_not_council(register: Register) -> Iterable[Finding]:
    """Sign-in with a council mailbox not tied to one person (Stalbridge req. 1; Thornbury 9.6)."""
    clause = "Stalbridge req. 1; Thornbury 9.6"
    domains = register.settings.email_domains
    personal = {p.email.casefold(): p.name for p in register.people if p.email}
    live = list(_live(register))  # a proposal has not signed up yet; a closed account is gone
    if live and not domains:
        yield Finding(
            "signin-email-not-council",
            clause,
            Severity.MEDIUM,
            "Settings",
            "No council email domains are set, so sign-in addresses cannot be checked. "
            "Add them under Settings (email_domains).",
            "settings",
        )
        return
    for account in live:
        address = account.sign_in_email
        if not address:
            message = f"{account.name} has no sign-in email recorded."
        elif address.rpartition("@")[2].casefold() not in domains:
            message = f"{account.name} signs in with {address}, which is not a council address."
        elif address.casefold() in personal:
            message = (
                f"{account.name} signs in with {address}, the personal mailbox of "
                f"{personal[address.casefold()]}; use a shared mailbox the clerk and deputy can reach."
            )
        else:
            continue
        yield _account_finding("signin-email-not-council", clause, Severity.MEDIUM, account, message)


@rule
def complaints_info_missing(register: Register) -> Iterable[Finding]:
    """Complaints and feedback information published on each account (Stalbridge req. 2)."""
    for account in _live(register):
        if not account.complaints_info:
            yield _account_finding(
                "complaints-info-missing",
                "Stalbridge req. 2",
                Severity.LOW,
                account,
                f"{account.name} does not publish how to complain or give feedback.",
            )


@rule
def no_two_factor(register: Register) -> Iterable[Finding]:
    """Two-factor authentication wherever the platform offers it (Thornbury 9.5)."""
    for account in _live(register):
        if account.two_factor in (None, TwoFactor.NONE):
            state = "has no two-factor sign-in" if account.two_factor else "has no two-factor method recorded"
            yield _account_finding(
                "no-two-factor",
                "Thornbury 9.5",
                Severity.HIGH,
                account,
                f"{account.name} {state}; turn it on, or record that the platform does not offer it.",
            )


def rotation_due(account: Account, settings: CouncilSettings) -> date | None:
    """When the account's password is next due for a change, from the last change and the interval."""
    base = account.last_rotated_on or account.opened_on
    if base is None:
        return None
    return base + timedelta(days=account.rotation_days or settings.rotation_days)


@rule
def password_overdue(register: Register) -> Iterable[Finding]:
    """Passwords changed after a significant period (Thornbury 9.4)."""
    for account in _live(register):
        due = rotation_due(account, register.settings)
        if due is None:
            yield _account_finding(
                "password-overdue",
                "Thornbury 9.4",
                Severity.MEDIUM,
                account,
                f"{account.name} has no password change recorded; change it and record the date.",
            )
        elif due < register.today:
            days = (register.today - due).days
            yield _account_finding(
                "password-overdue",
                "Thornbury 9.4",
                Severity.MEDIUM,
                account,
                f"{account.name}'s password was due for a change on {due.isoformat()} ({days} days ago).",
            )


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, clamped to the end of a shorter month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def policy_review_due(settings: CouncilSettings) -> date | None:
    """When the policy is next due for review (Thornbury 10; Stalbridge 5)."""
    base = settings.policy_reviewed_on or settings.policy_adopted_on
    return add_months(base, settings.review_interval_months) if base else None


@rule
def policy_review_overdue(register: Register) -> Iterable[Finding]:
    """The policy is reviewed every year (Thornbury 10; Stalbridge 5)."""
    clause = "Thornbury 10; Stalbridge 5"
    due = policy_review_due(register.settings)
    if due is None:
        yield Finding(
            "policy-review-overdue",
            clause,
            Severity.MEDIUM,
            "Settings",
            "No adoption or review date is recorded for the social-media policy. Record them under Settings.",
            "settings",
        )
    elif due < register.today:
        yield Finding(
            "policy-review-overdue",
            clause,
            Severity.MEDIUM,
            "Settings",
            f"The social-media policy was due for review on {due.isoformat()}.",
            "settings",
        )


@rule
def password_missing(register: Register) -> Iterable[Finding]:
    """The clerk holds the keys to every account in use (Thornbury 9.1)."""
    snapshot = register.vault
    if snapshot is None:
        return
    if not snapshot.status.ok:
        # One finding for the whole keyring, not one per account.
        yield Finding(
            "password-missing",
            "Thornbury 9.1",
            Severity.HIGH,
            "Password store",
            f"Passwords could not be checked: {snapshot.status.message}",
            "vault",
        )
        return
    for account in _live(register):
        if account.uuid not in snapshot.stored:
            yield _account_finding(
                "password-missing",
                "Thornbury 9.1",
                Severity.MEDIUM,
                account,
                f"No password for {account.name} is kept in the password store; use Set password.",
            )


@rule
def password_reused(register: Register) -> Iterable[Finding]:
    """Every account has its own password (Thornbury 9.3)."""
    snapshot = register.vault
    if snapshot is None or not snapshot.status.ok:
        return
    for account in _live(register):
        others = snapshot.reuse.get(account.uuid)
        if others:
            yield _account_finding(
                "password-reused",
                "Thornbury 9.3",
                Severity.HIGH,
                account,
                f"{account.name} has the same password as {', '.join(others)}; give each its own.",
            )


@rule
def rotate_now(register: Register) -> Iterable[Finding]:
    """A password is changed at once after a suspected breach or a keyholder leaving (Thornbury 9.4)."""
    live = {a.id: a for a in _live(register)}
    for account_id, event in register.rotate_now.items():
        account = live.get(account_id)
        if account is not None:
            yield _account_finding(
                "rotate-now",
                event.clause,
                Severity.HIGH,
                account,
                f"Change the password of {account.name} now: {event.reason} on {event.since.isoformat()}, "
                "and it has not been changed since.",
            )


# The access and incident rules live beside their capabilities; importing them here registers them.
from clerk_desk import access_rules, incident_rules  # noqa: E402, F401
