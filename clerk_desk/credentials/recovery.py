"""The council's recovery key: made at set-up, printed on the emergency sheet, typed back in when no
key holder can open the passwords (a PC died, the clerk left).

Every password is sealed to it as well as to each approved key. Recovering gives the acting clerk or
deputy a key on this PC with every password re-sealed to it, and flags every account rotate-now: the
recovery key has been out of the safe.
"""

from __future__ import annotations

from dataclasses import dataclass

from nacl.public import PrivateKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from clerk_desk.audit import chain as audit
from clerk_desk.credentials import copies, holders, keys, sealing
from clerk_desk.errors import ClerkDeskError
from clerk_desk.models import (
    Account,
    AccountStatus,
    KeyState,
    PersonKey,
    RecoveryKey,
    RotationReason,
    SealedCopy,
)
from clerk_desk.storage.clock import clock_of


@dataclass(frozen=True)
class NewRecoveryKey:
    """A recovery key just made: ``text`` is shown once and printed; only its public half is kept."""

    text: str
    fingerprint: str


def create(session: Session, opener: PersonKey, private: PrivateKey) -> NewRecoveryKey:
    """Make a recovery key (retiring the one in use, if any) and seal every password to it."""
    text = sealing.new_recovery_key()
    salt = sealing.new_salt()
    public = sealing.public_bytes(sealing.recovery_private_key(sealing.parse_recovery_key(text), salt))
    old = copies.active_recovery(session)
    new = RecoveryKey(
        public_key=public,
        fingerprint=sealing.fingerprint(public),
        salt=salt,
        created_at=clock_of(session).now(),
        created_by=str(session.info.get("actor") or "unknown"),
    )
    session.add(new)
    session.flush()
    copies.reseal_to(session, opener, private, new)
    if old is not None:
        for copy in session.execute(select(SealedCopy).where(SealedCopy.recovery_key_id == old.id)).scalars():
            session.delete(copy)
        old.retired_at = clock_of(session).now()
    audit.record(
        session,
        "recovery key replaced" if old is not None else "recovery key created",
        "Recovery key",
        str(new.id),
        "Recovery key",
        {"fingerprint": new.fingerprint, **({"retired": old.fingerprint} if old is not None else {})},
    )
    session.flush()
    return NewRecoveryKey(text, new.fingerprint)


@dataclass(frozen=True)
class Recovered:
    """The outcome of typing a recovery key in: ``ok`` False means nothing changed but the audit entry."""

    ok: bool
    message: str
    key: PersonKey | None = None
    passwords: int = 0


def recover(session: Session, typed: str) -> Recovered:
    """Open every password with the recovery key and seal it to the acting keyholder's key on this PC.

    A wrong key changes nothing but the audit trail, which records the attempt; the caller commits it.
    """
    person = keys.acting_keyholder(session)
    recovery = copies.active_recovery(session)
    if recovery is None:
        raise ClerkDeskError("This council has no recovery key, so there is nothing to recover with.")
    try:
        derived = sealing.recovery_private_key(sealing.parse_recovery_key(typed), recovery.salt)
    except ClerkDeskError as exc:
        return _refused(session, person.name, str(exc))
    if sealing.public_bytes(derived) != recovery.public_key:
        return _refused(
            session,
            person.name,
            f"That is not the council's recovery key (fingerprint {recovery.fingerprint}). "
            "Nothing was changed.",
        )
    key = _key_here(session, person)
    count = copies.reseal_to(session, recovery, derived, key)
    live = session.execute(select(Account.id).where(Account.status != AccountStatus.CLOSED)).scalars()
    holders.raise_flags(session, live, RotationReason.RECOVERED, holders.RECOVERED)
    audit.record(
        session,
        "recovered with recovery key",
        "Key",
        str(key.id),
        person.name,
        {"fingerprint": key.fingerprint, "recovery_key": recovery.fingerprint, "passwords": count},
    )
    return Recovered(True, f"{person.name} can now read the council's passwords on this PC.", key, count)


def _key_here(session: Session, person: object) -> PersonKey:
    """The acting person's key on this PC, approved by the recovery key; made if there is none."""
    for key in keys.keys_of(session, person):  # type: ignore[arg-type]
        if keys.private_key(key) is not None:
            if key.state == KeyState.APPROVED:
                copies.delete_for_key(session, key)  # re-sealed below from the recovery copies
            key.state = KeyState.APPROVED
            key.approved_at = clock_of(session).now()
            key.approved_by = "recovery key"
            session.flush()
            return key
    key, _ = keys.create_key(session, person, approved=True)  # type: ignore[arg-type]
    key.approved_by = "recovery key"
    return key


def _refused(session: Session, name: str, message: str) -> Recovered:
    audit.record(session, "recovery key refused", "Recovery key", "", "Recovery key", {"by": name})
    return Recovered(False, message)
