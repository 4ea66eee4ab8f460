"""Sealed copies: each account's password (and a rotation's new one) sealed to every approved key and
to the council's recovery key. Only these copies are stored; the password itself never is.
"""

from __future__ import annotations

from collections import defaultdict

from nacl.public import PrivateKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from clerk_desk.credentials import keys, sealing
from clerk_desk.errors import ClerkDeskError
from clerk_desk.models import Account, CopyKind, KeyState, PersonKey, RecoveryKey, SealedCopy
from clerk_desk.storage.clock import clock_of


class CopyUnreadable(ClerkDeskError):
    """A sealed copy that exists but cannot be opened; never shown as "no password"."""


def active_recovery(session: Session) -> RecoveryKey | None:
    """The council's recovery key in use, if it has one."""
    return session.execute(
        select(RecoveryKey).where(RecoveryKey.retired_at.is_(None)).order_by(RecoveryKey.id.desc()).limit(1)
    ).scalar_one_or_none()


def copies_of(session: Session, account_id: int, kind: CopyKind) -> list[SealedCopy]:
    return list(
        session.execute(
            select(SealedCopy).where(SealedCopy.account_id == account_id, SealedCopy.kind == kind)
        ).scalars()
    )


def exists(session: Session, account_id: int, kind: CopyKind = CopyKind.CURRENT) -> bool:
    return bool(copies_of(session, account_id, kind))


def accounts_with_copies(session: Session) -> set[int]:
    """The accounts that have a password stored, in one query."""
    return set(
        session.execute(
            select(SealedCopy.account_id).where(SealedCopy.kind == CopyKind.CURRENT).distinct()
        ).scalars()
    )


def store(session: Session, account: Account, kind: CopyKind, secret: str) -> int:
    """Seal the secret to every approved key and the recovery key, replacing the copies there were.

    Returns how many copies were made.
    """
    if not secret:
        raise ClerkDeskError("An empty password cannot be stored.")
    recipients: list[tuple[PersonKey | None, RecoveryKey | None]] = [
        (key, None) for key in keys.approved_keys(session)
    ]
    recovery = active_recovery(session)
    if recovery is not None:
        recipients.append((None, recovery))
    if not recipients:
        raise ClerkDeskError(
            "No one holds a key yet, so the password could not be kept. Set up this PC first."
        )
    drop(session, account.id, kind)
    now = clock_of(session).now()
    for person_key, recovery_key in recipients:
        public = person_key.public_key if person_key else recovery_key.public_key  # type: ignore[union-attr]
        session.add(
            SealedCopy(
                account_id=account.id,
                kind=kind,
                person_key_id=person_key.id if person_key else None,
                recovery_key_id=recovery_key.id if recovery_key else None,
                sealed=sealing.seal(public, account.uuid, kind, secret),
                created_at=now,
            )
        )
    session.flush()
    return len(recipients)


def open_copy(
    session: Session, account: Account, kind: CopyKind, key: PersonKey, private: PrivateKey
) -> str | None:
    """The secret sealed for this key; None when the account has no such password at all."""
    copies = copies_of(session, account.id, kind)
    if not copies:
        return None
    mine = [c for c in copies if c.person_key_id == key.id]
    if not mine:
        raise CopyUnreadable(
            f"The password of {account.name} is stored, but not for your key on this PC. Ask another "
            "keyholder to give you the passwords."
        )
    return _open(account, mine[0], kind, private)


def _open(account: Account, copy: SealedCopy, kind: CopyKind, private: PrivateKey) -> str:
    try:
        return sealing.open_sealed(private, copy.sealed, account.uuid, kind)
    except sealing.SealError as exc:
        raise CopyUnreadable(f"The stored password of {account.name} could not be opened: {exc}.") from None


def open_all(session: Session, key: PersonKey, private: PrivateKey) -> dict[int, str]:
    """Every current password this key opens, by account id, in one query; copies that fail are left out."""
    accounts = {a.id: a for a in session.execute(select(Account)).scalars()}
    opened: dict[int, str] = {}
    query = select(SealedCopy).where(SealedCopy.kind == CopyKind.CURRENT, SealedCopy.person_key_id == key.id)
    for copy in session.execute(query).scalars():
        account = accounts.get(copy.account_id)
        if account is None:
            continue
        try:
            opened[account.id] = sealing.open_sealed(private, copy.sealed, account.uuid, CopyKind.CURRENT)
        except sealing.SealError:
            continue
    return opened


def drop(session: Session, account_id: int, kind: CopyKind) -> bool:
    """Delete every copy of one password; False when there was none."""
    found = copies_of(session, account_id, kind)
    for copy in found:
        session.delete(copy)
    session.flush()
    return bool(found)


def delete_for_key(session: Session, key: PersonKey) -> set[int]:
    """Delete the copies sealed to one person's key; returns the accounts it could read."""
    accounts = set(
        session.execute(select(SealedCopy.account_id).where(SealedCopy.person_key_id == key.id)).scalars()
    )
    for copy in session.execute(select(SealedCopy).where(SealedCopy.person_key_id == key.id)).scalars():
        session.delete(copy)
    return accounts


def reseal_to(
    session: Session,
    opener: PersonKey | RecoveryKey,
    private: PrivateKey,
    target: PersonKey | RecoveryKey,
) -> int:
    """Seal every password the opener's copies hold to the target key too; returns how many."""
    field = SealedCopy.person_key_id if isinstance(opener, PersonKey) else SealedCopy.recovery_key_id
    rows = list(session.execute(select(SealedCopy).where(field == opener.id)).scalars())
    accounts = {a.id: a for a in session.execute(select(Account)).scalars()}
    now = clock_of(session).now()
    for copy in rows:
        account = accounts[copy.account_id]
        secret = _open(account, copy, CopyKind(copy.kind), private)
        session.add(
            SealedCopy(
                account_id=account.id,
                kind=copy.kind,
                person_key_id=target.id if isinstance(target, PersonKey) else None,
                recovery_key_id=target.id if isinstance(target, RecoveryKey) else None,
                sealed=sealing.seal(target.public_key, account.uuid, copy.kind, secret),
                created_at=now,
            )
        )
    session.flush()
    return len(rows)


def readers(session: Session) -> dict[int, list[str]]:
    """Who can read each account's current password: the people whose keys hold a copy, by name,
    and "recovery key" when the council's recovery key holds one."""
    names: dict[int, set[str]] = defaultdict(set)
    key_people = {k.id: k.person.name for k in keys.all_keys(session)}
    for account_id, person_key_id, recovery_key_id in session.execute(
        select(SealedCopy.account_id, SealedCopy.person_key_id, SealedCopy.recovery_key_id).where(
            SealedCopy.kind == CopyKind.CURRENT
        )
    ):
        if person_key_id in key_people:
            names[account_id].add(key_people[person_key_id])
        elif recovery_key_id is not None:
            names[account_id].add("recovery key")
    return {
        account_id: sorted(people, key=lambda n: (n == "recovery key", n.casefold()))
        for account_id, people in names.items()
    }


def summary(session: Session) -> keys.KeySummary:
    """Who holds an approved key, whose key waits, whether there is a recovery key, how many passwords."""
    current = keys.all_keys(session)
    holders = sorted({k.person.name for k in keys.approved_keys(session)}, key=str.casefold)
    awaiting = tuple(
        (k.person.name, k.fingerprint)
        for k in current
        if k.state == KeyState.AWAITING and keys.eligible(k.person, session)
    )
    return keys.KeySummary(
        tuple(holders),
        awaiting,
        active_recovery(session) is not None,
        len(accounts_with_copies(session)),
    )
