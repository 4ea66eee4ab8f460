"""The register, the officers and delegated access as the review prints them, and what changed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from clerk_desk.checks import engine as checks
from clerk_desk.models import (
    Account,
    AccountStatus,
    Acknowledgement,
    Designation,
    Grant,
    Person,
    TwoFactor,
    TwoFactorCodes,
)
from clerk_desk.register import settings as council_settings
from clerk_desk.reports import figures
from clerk_desk.reports.period import Period, short_date


@dataclass(frozen=True)
class AccountRow:
    platform: str
    handle: str
    purpose: str
    status: str
    approved_by: str
    approved_on: date | None
    two_factor: str
    codes_kept: str
    recovery: str
    council_mailbox: str
    complaints_info: str
    last_changed: date | None
    next_due: str


@dataclass(frozen=True)
class OfficerRow:
    person: str
    accounts: tuple[str, ...]
    designated_by: str
    designated_on: date
    ended_on: date | None


@dataclass(frozen=True)
class GrantRow:
    person: str
    account: str
    level: str
    business_case: str
    approved_by: str
    granted_on: date
    expires_on: date | None
    revoked_on: date | None
    revoke_reason: str


@dataclass(frozen=True)
class Change:
    """Something that changed who holds the keys or speaks for the council."""

    on: date
    what: str
    detail: str


def acknowledgements_in(session: Session, period: Period) -> list[Acknowledgement]:
    """Acknowledgements of the policy made in the period."""
    return list(
        session.execute(
            select(Acknowledgement).where(
                Acknowledgement.acknowledged_on >= period.start, Acknowledgement.acknowledged_on <= period.end
            )
        )
        .unique()
        .scalars()
    )


# --- the register of accounts --------------------------------------------------------------------------


def _status(account: Account) -> str:
    if account.status == AccountStatus.CLOSED:
        return f"Closed {short_date(account.closed_on)}" if account.closed_on else "Closed"
    if account.status == AccountStatus.SUSPENDED and account.suspended_from:
        until = f" to {short_date(account.suspended_to)}" if account.suspended_to else ""
        return f"Suspended {short_date(account.suspended_from)}{until}"
    return AccountStatus(account.status).label


def council_mailbox(account: Account, domains: list[str], personal: set[str]) -> str:
    """Whether the sign-in mailbox is a shared council one (Stalbridge req. 1; Thornbury 9.6)."""
    address = (account.sign_in_email or "").casefold()
    if not address:
        return "Not recorded"
    if address.rpartition("@")[2] not in domains:
        return "No (not a council address)"
    if address in personal:
        return "No (a personal mailbox)"
    return "Yes"


def account_row(
    account: Account, register: checks.Register, settings: council_settings.CouncilSettings
) -> AccountRow:
    """The account's line in the register: how it is approved and secured, and when its password is due."""
    personal = {p.email.casefold() for p in register.people if p.email}
    domains = [d.casefold() for d in settings.email_domains]
    live = account.status in (AccountStatus.ACTIVE, AccountStatus.SUSPENDED)
    next_due = "—"
    if live:
        event = register.rotate_now.get(account.id)
        due = checks.rotation_due(account, settings)
        if event is not None:
            next_due = f"Now (since {short_date(event.since)})"
        elif due is not None:
            next_due = short_date(due)
        else:
            next_due = "Not recorded"
    return AccountRow(
        platform=account.platform,
        handle=account.handle,
        purpose=account.purpose or "",
        status=_status(account),
        approved_by=account.approved_by.name if account.approved_by else "Not approved",
        approved_on=account.approved_on,
        two_factor=TwoFactor(account.two_factor).label if account.two_factor else "Not recorded",
        codes_kept=TwoFactorCodes(account.two_factor_codes).label
        if account.two_factor_codes
        else "Not recorded",
        recovery="; ".join(v for v in (account.recovery_email, account.recovery_phone) if v)
        or "Not recorded",
        council_mailbox=council_mailbox(account, domains, personal),
        complaints_info="Yes" if account.complaints_info else "No",
        last_changed=account.last_rotated_on,
        next_due=next_due,
    )


# --- officers and access ------------------------------------------------------------------------------


def officer_row(designation: Designation) -> OfficerRow:
    """A designated officer and the accounts they may post on."""
    return OfficerRow(
        designation.person.name,
        tuple(a.name for a in designation.accounts),
        designation.designated_by.name if designation.designated_by else "",
        designation.designated_on,
        designation.ended_on,
    )


def grant_row(grant: Grant) -> GrantRow:
    """A grant of delegated access."""
    return GrantRow(
        grant.person.name,
        grant.account.name,
        grant.level.capitalize(),
        grant.business_case or "",
        grant.approved_by.name if grant.approved_by else "",
        grant.granted_on,
        grant.expires_on,
        grant.revoked_on,
        grant.revoke_reason or "",
    )


def changes(
    period: Period,
    grants: list[Grant],
    designations: list[Designation],
    everyone: list[Person],
    acks: list[Acknowledgement],
) -> list[Change]:
    found: list[Change] = []
    for g in grants:
        what = f"{g.person.name} → {g.account.name}"
        if period.contains(g.granted_on):
            found.append(
                Change(g.granted_on, "Access granted", f"{what} ({g.level}): {g.business_case or ''}")
            )
        if period.contains(g.revoked_on):
            assert g.revoked_on is not None
            found.append(Change(g.revoked_on, "Access revoked", f"{what}: {g.revoke_reason or ''}"))
        elif figures.expired_in(g, period):
            assert g.expires_on is not None
            found.append(Change(g.expires_on, "Access expired", what))
    for d in designations:
        scope = ", ".join(a.name for a in d.accounts)
        if period.contains(d.designated_on):
            found.append(Change(d.designated_on, "Officer designated", f"{d.person.name}: {scope}"))
        if period.contains(d.ended_on):
            assert d.ended_on is not None
            found.append(Change(d.ended_on, "Designation ended", d.person.name))
    keyholders = {g.person_id for g in grants} | {d.person_id for d in designations}
    for person in everyone:
        if person.id in keyholders and period.contains(person.left_on):
            assert person.left_on is not None
            found.append(Change(person.left_on, "Left the council", person.name))
    for ack in acks:
        found.append(
            Change(
                ack.acknowledged_on, "Policy acknowledged", f"{ack.person.name}: version {ack.policy_version}"
            )
        )
    return sorted(found, key=lambda c: (c.on, c.what, c.detail))
