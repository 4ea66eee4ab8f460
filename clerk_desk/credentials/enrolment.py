"""Setting up a PC, approving a new key, the recovery key: what ``clerk-desk key`` and the window's
"Set up this PC" and "Give X the passwords" do (design.md, "Credentials and the keyring").
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from clerk_desk.credentials import copies, holders, keys, recovery, sealing, upgrade, vault
from clerk_desk.credentials.recovery import NewRecoveryKey, Recovered
from clerk_desk.errors import ClerkDeskError, ValidationError
from clerk_desk.models import KeyState, PersonKey


def _require_vault() -> None:
    state = vault.status()
    if not state.ok:
        raise vault.VaultError(state.state, state.message)


@dataclass(frozen=True)
class SetUp:
    """This PC's key for the acting person, and the council's recovery key if it was made just now."""

    key: PersonKey
    created: bool
    recovery: NewRecoveryKey | None = None

    @property
    def approved(self) -> bool:
        return self.key.state == KeyState.APPROVED


def set_up(session: Session) -> SetUp:
    """Give the acting clerk or deputy a key on this PC.

    The council's first key is approved at once; any other waits for a keyholder's approval. A keyholder
    whose key is approved also moves the passwords an earlier version kept in this PC's keyring into
    sealed copies, and makes the council's recovery key if it has none.
    """
    _require_vault()
    holders.sweep(session)
    result = keys.init_key(session)
    made = None
    if result.approved:
        private = keys.private_key(result.key)
        if private is None:
            raise ClerkDeskError("The key just made could not be read back from this PC's password store.")
        upgrade.move_all(session, result.key, private)
        if copies.active_recovery(session) is None:
            made = recovery.create(session, result.key, private)
    return SetUp(result.key, result.created, made)


def approve(session: Session, name: str, fingerprint: str) -> PersonKey:
    """Give the person's waiting key the passwords, after comparing its fingerprint."""
    _require_vault()
    holders.sweep(session)
    key = keys.find_awaiting(session, name)
    if not sealing.same_fingerprint(fingerprint, key.fingerprint):
        raise ValidationError(
            "fingerprint",
            f"{fingerprint.strip() or '(none)'} is not the fingerprint of {key.person.name}'s key waiting "
            f"for approval; compare it again with what {key.person.name}'s PC shows",
        )
    mine, private = keys.holder_key(session)
    upgrade.move_all(session, mine, private)
    approver = keys.acting_keyholder(session)
    older = keys.mark_approved(session, key, approver)
    copies.reseal_to(session, mine, private, key)
    for old in older:
        # The same person's key on another PC: retired, but nothing is due, as no one new could read it.
        holders.retire_key(session, old, "replaced by a newer key of the same person", flag=False)
    return key


def replace_recovery_key(session: Session) -> NewRecoveryKey:
    """A new recovery key with every password sealed to it; the old one opens nothing from now on."""
    _require_vault()
    mine, private = keys.holder_key(session)
    upgrade.move_all(session, mine, private)
    return recovery.create(session, mine, private)


def recover(session: Session, typed: str) -> Recovered:
    """Type the recovery key in to get the passwords on this PC (see ``recovery.recover``)."""
    _require_vault()
    keys.acting_keyholder(session)
    holders.sweep(session)
    return recovery.recover(session, typed)


@dataclass(frozen=True)
class KeyRow:
    """One key as ``key list`` and the window show it."""

    person: str
    fingerprint: str
    state: KeyState
    on_this_pc: bool


def list_keys(session: Session, *, look_here: bool = True) -> list[KeyRow]:
    """Every key not retired, with whether this PC holds its private half."""
    rows = []
    for key in keys.all_keys(session):
        here = False
        if look_here:
            try:
                here = vault.get_private_key(key.uuid) is not None
            except vault.VaultError:
                here = False
        rows.append(KeyRow(key.person.name, key.fingerprint, key.state_enum, here))
    return rows


def recovery_fingerprint(session: Session) -> str | None:
    found = copies.active_recovery(session)
    return found.fingerprint if found else None
