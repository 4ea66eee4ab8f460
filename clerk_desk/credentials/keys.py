"""Each keyholder's key pair: created on their PC, approved by someone who already holds the passwords.

Only a clerk or deputy clerk in post may hold a key (Thornbury 9.1, 9.2). The private key lives only in
that person's OS keyring (``vault``); the public key and its fingerprint are in the database. A new key
reads nothing until a holder approves it after comparing fingerprints; approving seals every password
to it (``copies.reseal``). The very first key of a council needs no approval: there is no one to ask.
"""

from __future__ import annotations

from dataclasses import dataclass

from nacl.public import PrivateKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from clerk_desk.audit import chain as audit
from clerk_desk.credentials import sealing, vault
from clerk_desk.errors import ClerkDeskError, NotFoundError, PermissionDenied
from clerk_desk.models import APPROVER_ROLES, KeyState, Person, PersonKey
from clerk_desk.register import authority, lookups
from clerk_desk.storage.clock import clock_of

CLAUSE = "Thornbury 9.1, 9.2"


class NoKeyOnThisPC(ClerkDeskError):
    """The acting keyholder has no approved key on this PC; the message says what to do."""


def eligible(person: Person, session: Session) -> bool:
    """Whether this person may hold a key today: a clerk or deputy clerk in post."""
    return person.role in APPROVER_ROLES and not person.has_left(clock_of(session).today())


def all_keys(session: Session, *, include_retired: bool = False) -> list[PersonKey]:
    """Keys in the order they were made, in one query."""
    query = select(PersonKey).order_by(PersonKey.id)
    if not include_retired:
        query = query.where(PersonKey.state != KeyState.RETIRED)
    return list(session.execute(query).scalars())


def approved_keys(session: Session) -> list[PersonKey]:
    """The keys that receive a sealed copy of every password: approved, of people who may hold one."""
    return [k for k in all_keys(session) if k.state == KeyState.APPROVED and eligible(k.person, session)]


def keys_of(session: Session, person: Person) -> list[PersonKey]:
    return [k for k in all_keys(session) if k.person_id == person.id]


def private_key(key: PersonKey) -> PrivateKey | None:
    """The key's private half, if this PC's keyring holds it."""
    text = vault.get_private_key(key.uuid)
    return sealing.private_from_text(text) if text is not None else None


def acting_keyholder(session: Session) -> Person:
    """The acting person, refused unless a clerk or deputy clerk in post (Thornbury 9.1, 9.2)."""
    person = authority.acting_person(session)
    if person is None or not eligible(person, session):
        who = person.name if person is not None else f"'{session.info.get('actor')}', who is not in People"
        state = ""
        if person is not None:
            state = " (no longer in post)" if person.has_left(clock_of(session).today()) else ""
            state = state or f" ({person.role_enum.label.lower()})"
        raise PermissionDenied(
            f"Only a clerk or deputy clerk in post may hold a key to the passwords ({CLAUSE}); "
            f"you are acting as {who}{state}."
        )
    return person


def holder_key(session: Session, *, create_first: bool = False) -> tuple[PersonKey, PrivateKey]:
    """The acting person's approved key and its private half on this PC.

    With ``create_first``, the first keyholder of a council that has no key yet gets one made here.
    """
    person = acting_keyholder(session)
    mine = keys_of(session, person)
    for key in mine:
        if key.state == KeyState.APPROVED:
            private = private_key(key)
            if private is not None:
                return key, private
    if create_first and not approved_keys(session):
        key, private = create_key(session, person, approved=True)
        return key, private
    if any(k.state == KeyState.AWAITING for k in mine):
        raise NoKeyOnThisPC(
            f"Your key on this PC is waiting for approval. Ask another keyholder to compare its "
            f"fingerprint and approve it (Give {person.name} the passwords)."
        )
    raise NoKeyOnThisPC(
        "This PC has no key to the council's passwords for you. Set up this PC (clerk-desk key init), "
        "then ask another keyholder to approve your key, or use the recovery key."
    )


def create_key(session: Session, person: Person, *, approved: bool) -> tuple[PersonKey, PrivateKey]:
    private = sealing.new_private_key()
    public = sealing.public_bytes(private)
    now = clock_of(session).now()
    key = PersonKey(
        person_id=person.id,
        person=person,
        public_key=public,
        fingerprint=sealing.fingerprint(public),
        state=KeyState.APPROVED if approved else KeyState.AWAITING,
        created_at=now,
        approved_at=now if approved else None,
        approved_by="first key of the council" if approved else None,
    )
    session.add(key)
    session.flush()
    audit.record(
        session,
        "key created",
        "Key",
        str(key.id),
        person.name,
        {"fingerprint": key.fingerprint, "state": key.state},
    )
    # The database row first (flushed), then the keyring: a keyring failure undoes the row.
    vault.set_private_key(key.uuid, sealing.private_to_text(private))
    return key, private


@dataclass(frozen=True)
class InitResult:
    key: PersonKey
    created: bool

    @property
    def approved(self) -> bool:
        return self.key.state == KeyState.APPROVED


def init_key(session: Session) -> InitResult:
    """Set up this PC for the acting keyholder: their key here, or a new one (awaiting approval, unless
    it is the council's first). Running it again on the same PC changes nothing."""
    person = acting_keyholder(session)
    mine = keys_of(session, person)
    for key in mine:
        if private_key(key) is not None:
            return InitResult(key, created=False)
    key, _ = create_key(session, person, approved=not approved_keys(session))
    return InitResult(key, created=True)


def find_awaiting(session: Session, name: str) -> PersonKey:
    person = lookups.resolve(session, name)
    if person is None:
        raise NotFoundError(f"There is no one called '{name}' in People.")
    waiting = [k for k in keys_of(session, person) if k.state == KeyState.AWAITING]
    if not waiting:
        raise ClerkDeskError(f"{person.name} has no key waiting for approval.")
    return waiting[-1]


def mark_approved(session: Session, key: PersonKey, approver: Person) -> list[PersonKey]:
    """Record the approval; the person's older keys (another PC) stay until retired by hand."""
    if not eligible(key.person, session):
        raise PermissionDenied(
            f"{key.person.name} is not a clerk or deputy clerk in post, so may not hold a key ({CLAUSE})."
        )
    key.state = KeyState.APPROVED
    key.approved_at = clock_of(session).now()
    key.approved_by = approver.name
    audit.record(
        session, "key approved", "Key", str(key.id), key.person.name, {"fingerprint": key.fingerprint}
    )
    return [k for k in keys_of(session, key.person) if k.id != key.id]


def retire(session: Session, key: PersonKey, reason: str) -> None:
    """The key reads nothing from now on; its sealed copies are deleted by the caller."""
    key.state = KeyState.RETIRED
    key.retired_at = clock_of(session).now()
    key.retired_reason = reason
    audit.record(session, "key retired", "Key", str(key.id), key.person.name, {"reason": reason})


@dataclass(frozen=True)
class KeySummary:
    """What the checks need to know of the keys, from the database alone (no keyring)."""

    holders: tuple[str, ...] = ()
    awaiting: tuple[tuple[str, str], ...] = ()  # (name, fingerprint)
    recovery: bool = False
    sealed_accounts: int = 0
