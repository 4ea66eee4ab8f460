"""Credential actions: set, reveal, copy, rotate (two-phase) and forget an account's password.

Only the clerk and the deputy clerk may do these (Thornbury 9.1). The secret goes to the OS keyring
through ``vault`` and nowhere else; each action is recorded in the audit trail as who, when, which
account and which action — never the secret. A new password stored for an account, by Set password or
by a confirmed Rotate, is an entry in its rotation history (Thornbury 9.4).

Rotation is two-phase so that a change that fails on the platform never locks the council out: the new
password waits in the keyring beside the current one until the clerk confirms that the platform
accepted it (design.md, "Credentials and the keyring").
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from clerk_desk.audit import chain as audit
from clerk_desk.credentials import passwords, rotation, vault
from clerk_desk.credentials.vault import VaultState, VaultStatus
from clerk_desk.errors import ClerkDeskError, PermissionDenied
from clerk_desk.models import APPROVER_ROLES, Account, AccountStatus, RotationReason
from clerk_desk.register import accounts, authority
from clerk_desk.storage.clock import clock_of

UNIQUE_CLAUSE = "Thornbury 9.3"
#: Where each platform's password is changed; anything else opens the account's own address.
SECURITY_PAGES = {
    "facebook": "https://accountscenter.facebook.com/password_and_security",
    "instagram": "https://accountscenter.instagram.com/password_and_security",
    "threads": "https://accountscenter.instagram.com/password_and_security",
    "x": "https://x.com/settings/password",
    "twitter": "https://x.com/settings/password",
    "youtube": "https://myaccount.google.com/signinoptions/password",
    "linkedin": "https://www.linkedin.com/mypreferences/d/change-password",
    "tiktok": "https://www.tiktok.com/setting",
    "nextdoor": "https://nextdoor.co.uk/settings/",
    "bluesky": "https://bsky.app/settings/account",
    "flickr": "https://www.flickr.com/account",
}


class PasswordReused(ClerkDeskError):
    """The password is already used for other accounts; saving it needs an explicit confirmation."""

    def __init__(self, others: list[str]) -> None:
        self.others = others
        super().__init__(
            f"This password is already used for {', '.join(others)}. Every account should have its own "
            f"password ({UNIQUE_CLAUSE}). Save it anyway only if you mean to."
        )


class PasswordWeak(ClerkDeskError):
    """The password is easy to guess; saving it needs an explicit confirmation."""

    def __init__(self, verdict: passwords.Strength) -> None:
        self.verdict = verdict
        advice = f" {verdict.advice}" if verdict.advice else ""
        super().__init__(
            f"This password is {verdict.label.lower()}: it could be guessed.{advice} Save it anyway only "
            "if the platform will not take a stronger one."
        )


def pending_key(account: Account) -> str:
    """The keyring username of a rotation's new password, waiting for confirmation."""
    return f"{account.uuid}:pending"


def security_page(account: Account) -> str | None:
    """The web page where the account's password is changed."""
    page = SECURITY_PAGES.get(account.platform.strip().casefold())
    if page is None and account.platform.strip().casefold() == "mastodon" and account.url:
        from urllib.parse import urlsplit

        host = urlsplit(account.url).netloc
        page = f"https://{host}/auth/edit" if host else None
    return page or account.url


def may_hold_keys(session: Session, actor: str, today: date) -> bool:
    """Whether the named actor may set, reveal, copy or rotate passwords (the window greys out the rest)."""
    person = authority.acting_person_named(session, actor)
    return person is not None and person.role in APPROVER_ROLES and not person.has_left(today)


def require_keyholder(session: Session, what: str) -> None:
    """Only the clerk or deputy clerk in post may handle credentials (Thornbury 9.1)."""
    person = authority.acting_person(session)
    today = clock_of(session).today()
    if not may_hold_keys(session, str(session.info.get("actor") or ""), today):
        who = person.name if person is not None else f"'{session.info.get('actor')}', who is not in People"
        raise PermissionDenied(
            f"Only the clerk or deputy clerk may {what} (Thornbury 9.1); you are acting as {who}."
        )


def _require_vault() -> None:
    state = vault.status()
    if not state.ok:
        raise vault.VaultError(state.state, state.message)


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


def reused_by(session: Session, account: Account, password: str) -> list[str]:
    """The other accounts in use or proposed (by name) whose stored password is this one.

    A closed account is left out, as ``check`` leaves it out: its password no longer opens anything.
    """
    others = []
    with vault.time_limit():
        for other in accounts.all_accounts(session):
            if other.id == account.id or other.status == AccountStatus.CLOSED:
                continue
            stored = vault.get_password(other.uuid)
            if stored is not None and _same(stored, password):
                others.append(other.name)
    return others


def _store(
    session: Session,
    account: Account,
    password: str,
    reason: RotationReason | None,
    action: str,
    confirm_reuse: bool,
    note: str | None = None,
    *,
    confirm_weak: bool = False,
) -> None:
    """History and audit first (flushed), then the keyring; a keyring failure undoes both.

    ``reason`` None stores a password the account already has: it is not a change, so it adds nothing
    to the rotation history and leaves the "last changed" date (and any change still due) as it was.
    """
    if not password:
        raise ClerkDeskError("An empty password cannot be stored.")
    verdict = passwords.strength(password, (account.handle, account.platform, account.sign_in_email or ""))
    if not verdict.acceptable and not confirm_weak:
        raise PasswordWeak(verdict)
    others = reused_by(session, account, password)
    if others and not confirm_reuse:
        raise PasswordReused(others)
    details: dict[str, object]
    if reason is None:
        details = {"kind": EXISTING}
    else:
        today = clock_of(session).today()
        rotation.record(session, account, today, reason, today, note=note)
        details = {"reason": reason.value}
    if others:
        details["same_password_as"] = ", ".join(others)
    audit.record(session, action, "Account", str(account.id), account.name, details)
    session.flush()
    vault.set_password(account.uuid, password)


#: How the audit trail names a password stored without a change (a change names its reason instead).
EXISTING = "the password the account already has"


def set_password(
    session: Session,
    account_id: int,
    password: str,
    reason: RotationReason | None = None,
    *,
    changed_on_platform: bool,
    confirm_reuse: bool = False,
    confirm_weak: bool = False,
) -> RotationReason | None:
    """Store a password for the account; returns the reason recorded in its history, if any.

    ``changed_on_platform`` says which of two things the clerk is doing (Thornbury 9.4):

    * True: the password is new on the platform (changed there just now). It is a change: an entry in
      the rotation history (``reason``, by default "first set" for an account with no password yet and
      "other" after that), which restarts the interval and settles a change due at once.
    * False: the password the account already has, recorded in Clerk Desk. Nothing changed on the
      platform, so nothing in the history changes: an overdue or rotate-now account stays due.
    """
    require_keyholder(session, "set a password")
    account = accounts.get(session, account_id)
    if not changed_on_platform and reason is not None:
        raise ClerkDeskError(
            "A reason is recorded only for a password changed on the platform; the password the "
            "account already has is not a change."
        )
    _require_vault()
    if changed_on_platform and reason is None:
        first = vault.get_password(account.uuid) is None and not rotation.history(session, account.id)
        reason = RotationReason.FIRST_SET if first else RotationReason.OTHER
    _store(session, account, password, reason, "set password", confirm_reuse, confirm_weak=confirm_weak)
    return reason


def reveal(session: Session, account_id: int) -> str:
    """The account's password, to show for a moment; the audit trail records that it was revealed."""
    return _read(session, account_id, "reveal password", "reveal a password")


def copy(session: Session, account_id: int) -> str:
    """The account's password, for the clipboard; the audit trail records that it was copied."""
    return _read(session, account_id, "copy password", "copy a password")


def _read(session: Session, account_id: int, action: str, what: str) -> str:
    require_keyholder(session, what)
    account = accounts.get(session, account_id)
    password = vault.get_password(account.uuid)
    if password is None:
        raise ClerkDeskError(f"No password is stored for {account.name}. Use Set password first.")
    audit.record(session, action, "Account", str(account.id), account.name)
    return password


def forget(session: Session, account_id: int) -> bool:
    """Remove the account's password from the keyring (e.g. when the account is closed)."""
    require_keyholder(session, "forget a password")
    account = accounts.get(session, account_id)
    removed = vault.delete_password(account.uuid)
    vault.delete_password(pending_key(account))
    if removed:
        audit.record(session, "forget password", "Account", str(account.id), account.name)
    return removed


def pending(session: Session, account_id: int) -> str | None:
    """A rotation's new password still waiting for confirmation, if any."""
    require_keyholder(session, "rotate a password")
    return vault.get_password(pending_key(accounts.get(session, account_id)))


def begin_rotation(session: Session, account_id: int, new_password: str) -> None:
    """Phase one: keep the new password beside the current one while the clerk changes it on the platform."""
    require_keyholder(session, "rotate a password")
    _require_vault()
    account = accounts.get(session, account_id)
    if not new_password:
        raise ClerkDeskError("An empty password cannot be stored.")
    audit.record(session, "rotation started", "Account", str(account.id), account.name)
    session.flush()
    vault.set_password(pending_key(account), new_password)


def confirm_rotation(
    session: Session,
    account_id: int,
    reason: RotationReason,
    *,
    confirm_reuse: bool = False,
    confirm_weak: bool = False,
) -> None:
    """Phase two: the platform accepted the new password, so it replaces the old one."""
    require_keyholder(session, "rotate a password")
    account = accounts.get(session, account_id)
    new_password = vault.get_password(pending_key(account))
    if new_password is None:
        raise ClerkDeskError(
            f"There is no new password waiting for {account.name}; start the rotation again."
        )
    _store(
        session, account, new_password, reason, "rotation confirmed", confirm_reuse, confirm_weak=confirm_weak
    )
    vault.delete_password(pending_key(account))


def cancel_rotation(session: Session, account_id: int) -> None:
    """Abandon a rotation; the current password stays as it is."""
    require_keyholder(session, "rotate a password")
    account = accounts.get(session, account_id)
    if vault.delete_password(pending_key(account)):
        audit.record(session, "rotation cancelled", "Account", str(account.id), account.name)


@dataclass(frozen=True)
class VaultSnapshot:
    """What the checks need to know of the keyring, without holding any secret.

    ``reuse`` maps an account's UUID to the names of the other accounts sharing its password; passwords
    are compared by a keyed hash whose key lives only for this snapshot.
    """

    status: VaultStatus
    stored: frozenset[str] = frozenset()
    reuse: dict[str, list[str]] = field(default_factory=dict)


def snapshot(registered: Iterable[Account]) -> VaultSnapshot:
    """Read every account's password once and keep only who has one and who shares one."""
    with vault.time_limit():
        return _snapshot(registered)


def _snapshot(registered: Iterable[Account]) -> VaultSnapshot:
    state = vault.status()
    if not state.ok:
        return VaultSnapshot(state)
    key = secrets.token_bytes(32)
    stored: set[str] = set()
    groups: dict[bytes, list[Account]] = defaultdict(list)
    try:
        for account in registered:
            if account.status == AccountStatus.CLOSED:
                continue
            password = vault.get_password(account.uuid)
            if password is None:
                continue
            stored.add(account.uuid)
            groups[hmac.new(key, password.encode("utf-8"), hashlib.sha256).digest()].append(account)
    except vault.VaultError as exc:
        return VaultSnapshot(VaultStatus(exc.state, str(exc)))
    reuse = {
        account.uuid: [other.name for other in group if other is not account]
        for group in groups.values()
        if len(group) > 1
        for account in group
    }
    return VaultSnapshot(state, frozenset(stored), reuse)


UNAVAILABLE = VaultSnapshot(VaultStatus(VaultState.UNAVAILABLE, "The password store has not been checked."))
