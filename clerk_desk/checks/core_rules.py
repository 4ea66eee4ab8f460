"""The rules of the register itself: approval, sign-in, complaints information, two-factor sign-in,
passwords and the policy's review (Barling Magna; Stalbridge req. 1, 2, 4, 5; Thornbury 9.3-9.6, 10).

Each rule is a pure function of a loaded ``Register``; ``RULES`` lists them for the engine.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date, timedelta

from clerk_desk import clauses
from clerk_desk.checks.findings import Finding, Register, Severity
from clerk_desk.models import Account, AccountStatus, TwoFactor
from clerk_desk.register.settings import CouncilSettings


def _live(register: Register) -> Iterable[Account]:
    """Accounts that exist on their platform: everything but proposals and closed accounts."""
    return (a for a in register.accounts if a.status in (AccountStatus.ACTIVE, AccountStatus.SUSPENDED))


def _account_finding(
    rule_id: str, clause: str, severity: Severity, account: Account, message: str
) -> Finding:
    return Finding(rule_id, clause, severity, account.name, message, "account", account.id)


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
                clauses.APPROVAL,
                Severity.HIGH,
                account,
                f"{account.name} is {account.status} but has no recorded {', '.join(missing)}; "
                "the clerk or deputy clerk must approve every account.",
            )


def signin_email_not_council(register: Register) -> Iterable[Finding]:
    """Sign-in with a council mailbox not tied to one person (Stalbridge req. 1; Thornbury 9.6)."""
    clause = clauses.COUNCIL_SIGN_IN
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


def complaints_info_missing(register: Register) -> Iterable[Finding]:
    """Complaints and feedback information published on each account (Stalbridge req. 2)."""
    for account in _live(register):
        if not account.complaints_info:
            yield _account_finding(
                "complaints-info-missing",
                clauses.COMPLAINTS_INFO,
                Severity.LOW,
                account,
                f"{account.name} does not publish how to complain or give feedback.",
            )


def no_two_factor(register: Register) -> Iterable[Finding]:
    """Two-factor authentication wherever the platform offers it (Thornbury 9.5)."""
    for account in _live(register):
        if account.two_factor in (None, TwoFactor.NONE):
            state = "has no two-factor sign-in" if account.two_factor else "has no two-factor method recorded"
            yield _account_finding(
                "no-two-factor",
                clauses.TWO_FACTOR,
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


def password_overdue(register: Register) -> Iterable[Finding]:
    """Passwords changed after a significant period (Thornbury 9.4)."""
    for account in _live(register):
        due = rotation_due(account, register.settings)
        if due is None:
            yield _account_finding(
                "password-overdue",
                clauses.ROTATION,
                Severity.MEDIUM,
                account,
                f"{account.name} has no password change recorded; change it and record the date.",
            )
        elif due < register.today:
            days = (register.today - due).days
            yield _account_finding(
                "password-overdue",
                clauses.ROTATION,
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


def policy_review_overdue(register: Register) -> Iterable[Finding]:
    """The policy is reviewed every year (Thornbury 10; Stalbridge 5)."""
    clause = clauses.POLICY_REVIEW
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


def password_missing(register: Register) -> Iterable[Finding]:
    """The clerk holds the keys to every account in use (Thornbury 9.1)."""
    snapshot = register.vault
    if snapshot is None:
        return
    if not snapshot.status.ok:
        # One finding for the whole keyring, not one per account.
        yield Finding(
            "password-missing",
            clauses.CONTROL,
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
                clauses.CONTROL,
                Severity.MEDIUM,
                account,
                f"No password for {account.name} is kept in the password store; use Set password.",
            )


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
                clauses.UNIQUE_PASSWORDS,
                Severity.HIGH,
                account,
                f"{account.name} has the same password as {', '.join(others)}; give each its own.",
            )


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


RULES = (
    account_unapproved,
    signin_email_not_council,
    complaints_info_missing,
    no_two_factor,
    password_overdue,
    policy_review_overdue,
    password_missing,
    password_reused,
    rotate_now,
)
