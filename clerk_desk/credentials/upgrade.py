"""Moving passwords that earlier versions kept in the OS keyring into sealed copies, on first use.

The move is two-phase, so nothing is lost if it is interrupted: the password is sealed into the
database and the copy opened again and compared (phase one, in the caller's transaction); only after
that transaction has committed is the old keyring entry removed (phase two). If the program stops in
between, the next use finds both, checks that they agree, and removes the old entry then.
"""

from __future__ import annotations

import logging

from nacl.public import PrivateKey
from sqlalchemy import event
from sqlalchemy.orm import Session

from clerk_desk.audit import chain as audit
from clerk_desk.credentials import copies, vault
from clerk_desk.models import Account, AccountStatus, CopyKind, PersonKey
from clerk_desk.register import accounts

log = logging.getLogger(__name__)
_TO_REMOVE = "clerk_desk.keyring_entries_moved"


def legacy_entry(account: Account, kind: CopyKind) -> str:
    """Where an earlier version kept the password in the keyring."""
    return account.uuid if kind == CopyKind.CURRENT else f"{account.uuid}:pending"


def move(session: Session, account: Account, key: PersonKey, private: PrivateKey) -> None:
    """Phase one for one account: seal what the keyring holds and verify it; phase two after commit."""
    for kind in CopyKind:
        entry = legacy_entry(account, kind)
        old = vault.get_password(entry)
        if old is None:
            continue
        sealed = (
            copies.open_copy(session, account, kind, key, private)
            if copies.exists(session, account.id, kind)
            else None
        )
        if sealed is None:
            copies.store(session, account, kind, old)
            if copies.open_copy(session, account, kind, key, private) != old:
                raise copies.CopyUnreadable(
                    f"The password of {account.name} could not be moved; it was left as it was."
                )
            audit.record(session, "password sealed from keyring", "Account", str(account.id), account.name)
        elif sealed != old:
            # Both exist and differ: the sealed one is what Clerk Desk now uses; the old entry is kept.
            log.warning("an old keyring entry differs from the sealed copy; left in place")
            continue
        _remove_after_commit(session, entry)


def move_all(session: Session, key: PersonKey, private: PrivateKey) -> None:
    """Phase one for every account that is not closed."""
    for account in accounts.all_accounts(session):
        if account.status != AccountStatus.CLOSED:
            move(session, account, key, private)


def _remove_after_commit(session: Session, entry: str) -> None:
    waiting: list[str] = session.info.setdefault(_TO_REMOVE, [])
    if not waiting:
        event.listen(session, "after_commit", _remove_moved, once=True)
        event.listen(session, "after_rollback", _forget_moved, once=True)
    waiting.append(entry)


def _remove_moved(session: Session) -> None:
    for entry in session.info.pop(_TO_REMOVE, []):
        try:
            vault.delete_password(entry)
        except vault.VaultError:
            log.warning("an old keyring entry could not be removed yet; it will be on next use")


def _forget_moved(session: Session) -> None:
    session.info.pop(_TO_REMOVE, None)
