"""The register of authorised accounts and its rules.

Barling Magna: the clerk keeps a register of all authorised accounts, each authorised with the clerk's
approval. Stalbridge 4: proposals approved by the clerk first; accounts may be closed (suspended) for a
period before elections. Closing an account keeps its row.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from clerk_desk import clauses, fields
from clerk_desk.credentials import rotation
from clerk_desk.errors import NotFoundError, PolicyViolation, ValidationError
from clerk_desk.models import (
    APPROVER_ROLES,
    Account,
    AccountStatus,
    Person,
    RotationReason,
    TwoFactor,
    TwoFactorCodes,
)
from clerk_desk.register import authority, lookups, people

APPROVAL_CLAUSE = clauses.APPROVAL
COLUMNS = (
    "platform",
    "handle",
    "url",
    "purpose",
    "status",
    "sign_in_email",
    "two_factor",
    "approved_by",
    "approved_on",
    "business_case",
    "complaints_info",
    "rotation_days",
    "last_rotated_on",
    "opened_on",
    "closed_on",
    "suspended_from",
    "suspended_to",
    "recovery_email",
    "recovery_phone",
    "two_factor_codes",
)
#: Platforms offered in the dialog; any other name may be typed.
PLATFORMS = (
    "Facebook",
    "X",
    "Instagram",
    "YouTube",
    "LinkedIn",
    "TikTok",
    "Nextdoor",
    "Threads",
    "Bluesky",
    "WhatsApp",
    "Mastodon",
    "Flickr",
)


@dataclass(frozen=True)
class AccountData:
    """An account's fields, each checked; rules across fields and records are checked by ``save``."""

    platform: str
    handle: str
    status: AccountStatus = AccountStatus.PROPOSED
    url: str | None = None
    purpose: str | None = None
    sign_in_email: str | None = None
    two_factor: TwoFactor | None = None
    approved_by: str | None = None
    approved_on: date | None = None
    business_case: str | None = None
    complaints_info: bool = False
    rotation_days: int | None = None
    last_rotated_on: date | None = None
    opened_on: date | None = None
    closed_on: date | None = None
    suspended_from: date | None = None
    suspended_to: date | None = None
    recovery_email: str | None = None
    recovery_phone: str | None = None
    two_factor_codes: TwoFactorCodes | None = None

    @property
    def name(self) -> str:
        return f"{self.platform}:{self.handle}"


def parse(values: Mapping[str, str | None]) -> AccountData:
    """Read an account from text (a CSV row or a dialog), naming the field of the first bad value."""
    return AccountData(
        platform=fields.required_text(values, "platform", max_length=100),
        handle=fields.required_text(values, "handle"),
        status=fields.choice(values, "status", AccountStatus),  # type: ignore[arg-type]
        url=fields.url(values, "url"),
        purpose=fields.text(values, "purpose", max_length=2000, multiline=True),
        sign_in_email=fields.email(values, "sign_in_email"),
        two_factor=fields.choice(values, "two_factor", TwoFactor, required=False),
        approved_by=fields.text(values, "approved_by"),
        approved_on=fields.iso_date(values, "approved_on"),
        business_case=fields.text(values, "business_case", max_length=4000, multiline=True),
        complaints_info=fields.boolean(values, "complaints_info"),
        rotation_days=fields.integer(values, "rotation_days", minimum=1, maximum=3650),
        last_rotated_on=fields.iso_date(values, "last_rotated_on"),
        opened_on=fields.iso_date(values, "opened_on"),
        closed_on=fields.iso_date(values, "closed_on"),
        suspended_from=fields.iso_date(values, "suspended_from"),
        suspended_to=fields.iso_date(values, "suspended_to"),
        recovery_email=fields.email(values, "recovery_email"),
        recovery_phone=fields.phone(values, "recovery_phone"),
        two_factor_codes=fields.choice(values, "two_factor_codes", TwoFactorCodes, required=False),
    )


def _iso(value: date | None) -> str:
    return value.isoformat() if value else ""


def as_row(account: Account) -> dict[str, str]:
    """The account as CSV text."""
    return {
        "platform": account.platform,
        "handle": account.handle,
        "url": account.url or "",
        "purpose": account.purpose or "",
        "status": account.status,
        "sign_in_email": account.sign_in_email or "",
        "two_factor": account.two_factor or "",
        "approved_by": account.approved_by.name if account.approved_by else "",
        "approved_on": _iso(account.approved_on),
        "business_case": account.business_case or "",
        "complaints_info": "yes" if account.complaints_info else "no",
        "rotation_days": str(account.rotation_days) if account.rotation_days else "",
        "last_rotated_on": _iso(account.last_rotated_on),
        "opened_on": _iso(account.opened_on),
        "closed_on": _iso(account.closed_on),
        "suspended_from": _iso(account.suspended_from),
        "suspended_to": _iso(account.suspended_to),
        "recovery_email": account.recovery_email or "",
        "recovery_phone": account.recovery_phone or "",
        "two_factor_codes": account.two_factor_codes or "",
    }


def all_accounts(session: Session) -> list[Account]:
    """Every account, approver included, in one query."""
    return list(session.execute(select(Account).order_by(Account.platform_key, Account.handle_key)).scalars())


def get(session: Session, account_id: int) -> Account:
    account = session.get(Account, account_id)
    if account is None:
        raise NotFoundError(f"Account {account_id} no longer exists")
    return account


by_name = lookups.account_by_name
_key = lookups.fold


def _approver(session: Session, name: str, field: str = "approved_by") -> Person:
    person = people.by_name(session, name)
    if person is None:
        raise ValidationError(field, f"'{name}' is not in People")
    if person.role not in APPROVER_ROLES:
        raise PolicyViolation(
            field,
            APPROVAL_CLAUSE,
            "accounts are approved by the clerk or deputy clerk; "
            f"{person.name} is {person.role_enum.label.lower()}",
        )
    return person


def _check(data: AccountData, today: date, previous_status: str | None) -> None:
    """Rules across an account's own fields."""
    status = data.status
    if ":" in data.platform:
        # An account is named Platform:handle everywhere (grants, officers, CSV); the first ':' ends the
        # platform, so a platform holding one could never be named again.
        raise ValidationError("platform", "must not contain ':' (accounts are written Platform:handle)")
    if data.approved_by and not data.approved_on:
        raise ValidationError("approved_on", "is required when approved_by is given")
    if data.approved_on and not data.approved_by:
        raise ValidationError("approved_by", "is required when approved_on is given")
    if data.approved_on and data.approved_on > today:
        raise ValidationError("approved_on", "is in the future")
    if data.approved_by and not data.business_case:
        raise PolicyViolation("business_case", APPROVAL_CLAUSE, "an approved account needs its business case")
    if status == AccountStatus.PROPOSED and data.approved_by:
        raise ValidationError("status", "is proposed, but the account has an approver; make it active")
    # A proposal goes live only with approval; a declined one may still be closed (nothing is deleted).
    if (
        previous_status == AccountStatus.PROPOSED
        and status in (AccountStatus.ACTIVE, AccountStatus.SUSPENDED)
        and not data.approved_by
    ):
        raise PolicyViolation(
            "approved_by",
            APPROVAL_CLAUSE,
            "a proposed account becomes active only when the clerk or deputy clerk approves it",
        )
    if data.last_rotated_on and data.last_rotated_on > today:
        raise ValidationError("last_rotated_on", "is in the future")
    if status == AccountStatus.CLOSED:
        if not data.closed_on:
            raise ValidationError("closed_on", "is required for a closed account")
    elif data.closed_on:
        raise ValidationError(
            "closed_on", f"must be blank unless the status is closed (it is {status.value})"
        )
    if data.opened_on and data.closed_on and data.closed_on < data.opened_on:
        raise ValidationError("closed_on", "is before opened_on")
    if status == AccountStatus.SUSPENDED:
        if not data.suspended_from:
            raise ValidationError("suspended_from", "is required for a suspended account (Stalbridge 4)")
        if data.suspended_to and data.suspended_to < data.suspended_from:
            raise ValidationError("suspended_to", "is before suspended_from")
    elif data.suspended_from or data.suspended_to:
        field = "suspended_from" if data.suspended_from else "suspended_to"
        raise ValidationError(field, f"must be blank unless the status is suspended (it is {status.value})")


def save(
    session: Session,
    data: AccountData,
    today: date,
    *,
    account_id: int | None = None,
    expected_version: int | None = None,
) -> Account:
    """Add an account to the register, or update one that has not changed since ``expected_version``."""
    authority.require_manager(session, "change the register of accounts")
    account = get(session, account_id) if account_id is not None else None
    if account is not None:
        people.check_version(account, expected_version, f"The account {account.name}")
    _check(data, today, account.status if account is not None else None)
    approver = None
    if data.approved_by:
        unchanged = (
            account is not None
            and account.approved_by is not None
            and (account.approved_by.name.casefold() == data.approved_by.casefold())
        )
        # An approval already given stands even if the approver has since changed role or left.
        approver = (
            account.approved_by if unchanged and account is not None else _approver(session, data.approved_by)
        )
    clash = by_name(session, data.name)
    if clash is not None and clash is not account:
        raise ValidationError("handle", f"{clash.name} is already in the register")
    if account is None:
        account = Account(platform=data.platform, handle=data.handle)
        session.add(account)
    account.platform = data.platform
    account.handle = data.handle
    account.platform_key = _key(data.platform)
    account.handle_key = _key(data.handle)
    account.url = data.url
    account.purpose = data.purpose
    account.status = data.status.value
    account.sign_in_email = data.sign_in_email
    account.two_factor = data.two_factor.value if data.two_factor else None
    account.approved_by = approver
    account.approved_on = data.approved_on
    account.business_case = data.business_case
    account.complaints_info = data.complaints_info
    account.rotation_days = data.rotation_days
    account.opened_on = data.opened_on
    account.closed_on = data.closed_on
    account.suspended_from = data.suspended_from
    account.suspended_to = data.suspended_to
    account.recovery_email = data.recovery_email
    account.recovery_phone = data.recovery_phone
    account.two_factor_codes = data.two_factor_codes.value if data.two_factor_codes else None
    previous_rotation = account.last_rotated_on
    _check_rotation_date(previous_rotation, data.last_rotated_on)
    account.last_rotated_on = data.last_rotated_on
    session.flush()
    if data.last_rotated_on is not None and data.last_rotated_on != previous_rotation:
        # A "last changed" date typed in the register (or a CSV) is a change made outside Clerk Desk;
        # it goes into the rotation history like any other.
        rotation.record(
            session,
            account,
            data.last_rotated_on,
            RotationReason.OTHER,
            today,
            note="Recorded in the register (changed outside Clerk Desk)",
        )
    return account


def _check_rotation_date(previous: date | None, given: date | None) -> None:
    """The rotation history is only ever added to."""
    if previous is None or given == previous:
        return
    if given is None:
        raise ValidationError("last_rotated_on", "cannot be cleared; the rotation history keeps every change")
    if given < previous:
        raise ValidationError(
            "last_rotated_on",
            f"is before the last recorded change ({previous.isoformat()}); history is only added to",
        )


def data_of(account: Account) -> AccountData:
    """An account's current fields, to change a few and save."""
    return parse(as_row(account))


def approve(
    session: Session,
    account_id: int,
    expected_version: int | None,
    approver: str,
    approved_on: date,
    business_case: str,
    today: date,
) -> Account:
    """Approve a proposed account: it becomes active (Barling Magna; Stalbridge 4)."""
    account = get(session, account_id)
    people.check_version(account, expected_version, f"The account {account.name}")
    if account.status != AccountStatus.PROPOSED:
        raise ValidationError(
            "status", f"{account.name} is {account.status}, not proposed; only proposals are approved"
        )
    if not business_case.strip():
        raise PolicyViolation("business_case", APPROVAL_CLAUSE, "approval needs the business case")
    data = replace(
        data_of(account),
        status=AccountStatus.ACTIVE,
        approved_by=approver,
        approved_on=approved_on,
        business_case=business_case.strip(),
        opened_on=account.opened_on or approved_on,
    )
    return save(session, data, today, account_id=account.id, expected_version=account.version)


def close(
    session: Session, account_id: int, expected_version: int | None, closed_on: date, today: date
) -> Account:
    """Close an account; its row, approval and history stay in the register."""
    account = get(session, account_id)
    people.check_version(account, expected_version, f"The account {account.name}")
    if account.status == AccountStatus.CLOSED:
        raise ValidationError("status", f"{account.name} is already closed")
    if closed_on > today:
        raise ValidationError("closed_on", "is in the future")
    data = replace(
        data_of(account),
        status=AccountStatus.CLOSED,
        closed_on=closed_on,
        suspended_from=None,
        suspended_to=None,
    )
    return save(session, data, today, account_id=account.id, expected_version=account.version)
