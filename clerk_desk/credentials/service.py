"""Credential actions: set, reveal, copy, rotate (two-phase) and forget an account's password.

Only the clerk and the deputy clerk may do these (Thornbury 9.1). The secret is kept only as sealed
copies (``copies``), one per approved key and one for the recovery key, opened with the acting person's
private key from this PC's keyring; each action is recorded in the audit trail as who, when, which
account and which action — never the secret. A password new on the platform, stored by Set password
(changed on the platform) or by a confirmed Rotate, is an entry in its rotation history (Thornbury 9.4);
the password an account already has, recorded as it is, is not a change.

Rotation is two-phase so that a change that fails on the platform never locks the council out: the new
password waits, sealed, beside the current one until the clerk confirms that the platform accepted it
(design.md, "Credentials and the keyring").
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from nacl.public import PrivateKey
from sqlalchemy.orm import Session, object_session

from clerk_desk import clauses
from clerk_desk.audit import chain as audit
from clerk_desk.credentials import copies, holders, keys, passwords, rotation, upgrade, vault
from clerk_desk.credentials.platforms import SECURITY_PAGES as SECURITY_PAGES  # for the window
from clerk_desk.credentials.platforms import security_page as security_page
from clerk_desk.credentials.vault import VaultState, VaultStatus
from clerk_desk.errors import ClerkDeskError, PermissionDenied
from clerk_desk.models import APPROVER_ROLES, Account, AccountStatus, CopyKind, PersonKey, RotationReason
from clerk_desk.register import accounts, authority
from clerk_desk.storage.clock import clock_of

UNIQUE_CLAUSE = clauses.UNIQUE_PASSWORDS


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


def _holder(session: Session, what: str) -> tuple[PersonKey, PrivateKey]:
    """The acting keyholder's key on this PC (the council's first key is made here if it has none)."""
    require_keyholder(session, what)
    _require_vault()
    holders.sweep(session)
    return keys.holder_key(session, create_first=True)


def _holder_if_stored(session: Session, what: str, account_id: int) -> tuple[PersonKey, PrivateKey] | None:
    """As ``_holder``, but None, making no key, when the council holds no password for the account at all
    (no key yet, and nothing an earlier version left in this PC's keyring)."""
    require_keyholder(session, what)
    _require_vault()
    if not keys.approved_keys(session):
        account = accounts.get(session, account_id)
        if all(vault.get_password(upgrade.legacy_entry(account, kind)) is None for kind in CopyKind):
            return None
    return _holder(session, what)


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


def _stored_secret(session: Session, account: Account, key: PersonKey, private: PrivateKey) -> str | None:
    """The account's password as this key reads it, or as an earlier version left it in the keyring."""
    if copies.exists(session, account.id):
        try:
            return copies.open_copy(session, account, CopyKind.CURRENT, key, private)
        except copies.CopyUnreadable:
            return None
    return vault.get_password(upgrade.legacy_entry(account, CopyKind.CURRENT))


def reused_by(
    session: Session, account: Account, password: str, key: PersonKey, private: PrivateKey
) -> list[str]:
    """The other accounts in use or proposed (by name) whose stored password is this one.

    A closed account is left out, as ``check`` leaves it out: its password no longer opens anything.
    """
    others = []
    with vault.time_limit():  # one limit for the whole comparison, not one per keyring call
        for other in accounts.all_accounts(session):
            if other.id == account.id or other.status == AccountStatus.CLOSED:
                continue
            stored = _stored_secret(session, other, key, private)
            if stored is not None and _same(stored, password):
                others.append(other.name)
    return others


def _store(
    session: Session,
    holder: tuple[PersonKey, PrivateKey],
    account: Account,
    password: str,
    reason: RotationReason | None,
    action: str,
    confirm_reuse: bool,
    *,
    confirm_weak: bool = False,
) -> None:
    """History and audit, then the sealed copies, all in the caller's transaction.

    ``reason`` None stores a password the account already has: it is not a change, so it adds nothing
    to the rotation history and leaves the "last changed" date (and any change still due) as it was.
    """
    if not password:
        raise ClerkDeskError("An empty password cannot be stored.")
    verdict = passwords.strength(password, (account.handle, account.platform, account.sign_in_email or ""))
    if not verdict.acceptable and not confirm_weak:
        raise PasswordWeak(verdict)
    others = reused_by(session, account, password, *holder)
    if others and not confirm_reuse:
        raise PasswordReused(others)
    today = clock_of(session).today()
    details: dict[str, object] = {}
    if reason is not None:
        rotation.record(session, account, today, reason, today)
        details["reason"] = reason.value
    else:
        details["kind"] = EXISTING
    if others:
        details["same_password_as"] = ", ".join(others)
    audit.record(session, action, "Account", str(account.id), account.name, details)
    copies.store(session, account, CopyKind.CURRENT, password)


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

    ``changed_on_platform`` says which of two things the clerk is doing (Thornbury 9.4); the Set
    password dialog and ``password set --changed|--existing`` both ask for it:

    * True: the password is new on the platform (changed there just now). It is a change: an entry in
      the rotation history (``reason``, by default "first set" for an account with no password yet and
      "other" after that), which restarts the interval and settles a change due at once.
    * False: the password the account already has, recorded in Clerk Desk. Nothing changed on the
      platform, so nothing in the history changes: an overdue or rotate-now account stays due (None).
    """
    if not changed_on_platform and reason is not None:
        raise ClerkDeskError(
            "A reason is recorded only for a password changed on the platform; the password the "
            "account already has is not a change."
        )
    holder = _holder(session, "set a password")
    account = accounts.get(session, account_id)
    upgrade.move(session, account, *holder)
    if changed_on_platform and reason is None:
        first = not copies.exists(session, account.id) and not rotation.history(session, account.id)
        reason = RotationReason.FIRST_SET if first else RotationReason.OTHER
    _store(
        session, holder, account, password, reason, "set password", confirm_reuse, confirm_weak=confirm_weak
    )
    return reason


def reveal(session: Session, account_id: int) -> str:
    """The account's password, to show for a moment; the audit trail records that it was revealed."""
    return _read(session, account_id, "reveal password", "reveal a password")


def copy(session: Session, account_id: int) -> str:
    """The account's password, for the clipboard; the audit trail records that it was copied."""
    return _read(session, account_id, "copy password", "copy a password")


def _read(session: Session, account_id: int, action: str, what: str) -> str:
    holder = _holder_if_stored(session, what, account_id)
    account = accounts.get(session, account_id)
    password = None
    if holder is not None:
        upgrade.move(session, account, *holder)
        password = copies.open_copy(session, account, CopyKind.CURRENT, *holder)
    if password is None:
        raise ClerkDeskError(f"No password is stored for {account.name}. Use Set password first.")
    audit.record(session, action, "Account", str(account.id), account.name)
    return password


def forget(session: Session, account_id: int) -> bool:
    """Remove every sealed copy of the account's password (e.g. when the account is closed)."""
    holder = _holder_if_stored(session, "forget a password", account_id)
    if holder is None:
        return False
    account = accounts.get(session, account_id)
    upgrade.move(session, account, *holder)
    removed = copies.drop(session, account.id, CopyKind.CURRENT)
    copies.drop(session, account.id, CopyKind.PENDING)
    if removed:
        audit.record(session, "forget password", "Account", str(account.id), account.name)
    return removed


def pending(session: Session, account_id: int) -> str | None:
    """A rotation's new password still waiting for confirmation, if any."""
    holder = _holder_if_stored(session, "rotate a password", account_id)
    if holder is None:
        return None
    account = accounts.get(session, account_id)
    upgrade.move(session, account, *holder)
    return copies.open_copy(session, account, CopyKind.PENDING, *holder)


def begin_rotation(session: Session, account_id: int, new_password: str) -> None:
    """Phase one: keep the new password beside the current one while the clerk changes it on the platform."""
    holder = _holder(session, "rotate a password")
    account = accounts.get(session, account_id)
    if not new_password:
        raise ClerkDeskError("An empty password cannot be stored.")
    upgrade.move(session, account, *holder)
    audit.record(session, "rotation started", "Account", str(account.id), account.name)
    copies.store(session, account, CopyKind.PENDING, new_password)


def confirm_rotation(
    session: Session,
    account_id: int,
    reason: RotationReason,
    *,
    confirm_reuse: bool = False,
    confirm_weak: bool = False,
) -> None:
    """Phase two: the platform accepted the new password, so it replaces the old one."""
    holder = _holder_if_stored(session, "rotate a password", account_id)
    account = accounts.get(session, account_id)
    new_password = None
    if holder is not None:
        upgrade.move(session, account, *holder)
        new_password = copies.open_copy(session, account, CopyKind.PENDING, *holder)
    if holder is None or new_password is None:
        raise ClerkDeskError(
            f"There is no new password waiting for {account.name}; start the rotation again."
        )
    _store(
        session,
        holder,
        account,
        new_password,
        reason,
        "rotation confirmed",
        confirm_reuse,
        confirm_weak=confirm_weak,
    )
    copies.drop(session, account.id, CopyKind.PENDING)


def cancel_rotation(session: Session, account_id: int) -> None:
    """Abandon a rotation; the current password stays as it is."""
    holder = _holder_if_stored(session, "rotate a password", account_id)
    if holder is None:
        return
    account = accounts.get(session, account_id)
    upgrade.move(session, account, *holder)
    if copies.drop(session, account.id, CopyKind.PENDING):
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


def snapshot(registered: Iterable[Account], session: Session | None = None) -> VaultSnapshot:
    """Read every account's password once and keep only who has one and who shares one.

    "Stored" comes from the sealed copies in the database, so every PC sees the same; a password an
    earlier version left in this PC's keyring, not yet moved, counts too. Reuse is found by opening the
    copies with a key this PC holds. ``session`` reads the copies; by default, the accounts' own.
    """
    with vault.time_limit():  # one limit for the whole snapshot, not one per keyring call
        return _snapshot(registered, session)


def _snapshot(registered: Iterable[Account], session: Session | None) -> VaultSnapshot:
    state = vault.status()
    if not state.ok:
        return VaultSnapshot(state)
    listed = [a for a in registered if a.status != AccountStatus.CLOSED]
    session = session or (object_session(listed[0]) if listed else None)
    if session is None:
        return VaultSnapshot(state)
    digest_key = secrets.token_bytes(32)
    stored: set[str] = set()
    groups: dict[bytes, list[Account]] = defaultdict(list)
    sealed = copies.accounts_with_copies(session)
    try:
        holder = _any_holder_here(session)
        opened = copies.open_all(session, *holder) if holder is not None else {}
        for account in listed:
            if account.id in sealed:
                stored.add(account.uuid)
                password = opened.get(account.id)
            else:
                password = vault.get_password(upgrade.legacy_entry(account, CopyKind.CURRENT))
                if password is not None:
                    stored.add(account.uuid)
            if password is not None:
                groups[hmac.new(digest_key, password.encode("utf-8"), hashlib.sha256).digest()].append(
                    account
                )
    except vault.VaultError as exc:
        return VaultSnapshot(VaultStatus(exc.state, str(exc)))
    reuse = {
        account.uuid: [other.name for other in group if other is not account]
        for group in groups.values()
        if len(group) > 1
        for account in group
    }
    return VaultSnapshot(state, frozenset(stored), reuse)


def _any_holder_here(session: Session) -> tuple[PersonKey, PrivateKey] | None:
    """An approved key whose private half this PC's keyring holds, to compare passwords with."""
    for key in keys.approved_keys(session):
        private = keys.private_key(key)
        if private is not None:
            return key, private
    return None


def readers(session: Session) -> dict[int, list[str]]:
    """Who can read each account's password (by account id): names, and "recovery key"."""
    return copies.readers(session)


UNAVAILABLE = VaultSnapshot(VaultStatus(VaultState.UNAVAILABLE, "The password store has not been checked."))
