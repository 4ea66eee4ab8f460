"""The keys behind the trail: the council audit key that keys each entry's hash, and the signing keys
that sign checkpoints. All cryptography is PyNaCl's (libsodium) and the standard library's HMAC.

- The **council audit key** is 32 random bytes, sealed like the passwords (``credentials.sealing``) to
  every approved key holder's key and to the council's recovery key; only the sealed copies are stored
  (``audit_key_copies``). It is made the first time an approved key holder writes to the trail, and
  sealed to any approved key or recovery key that has no copy yet whenever a holder writes.
- A key holder's **signing key** is an Ed25519 key derived (BLAKE2b, keyed) from their private key, which
  stays in their OS keyring; its public half is registered in ``audit_signers`` the first time they sign.

Staff, councillors and anyone without an approved key on this PC write plain SHA-256 entries and
unsigned checkpoints; ``verify`` says how many.
"""

from __future__ import annotations

import logging
import secrets
import unicodedata
import uuid
from dataclasses import dataclass

import nacl.encoding
import nacl.exceptions
import nacl.hash
import nacl.signing
from nacl.public import PrivateKey
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from clerk_desk.credentials import sealing, vault
from clerk_desk.errors import ClerkDeskError
from clerk_desk.models import AuditKeyCopy, AuditSigner, KeyState, Person, PersonKey, RecoveryKey
from clerk_desk.storage.clock import clock_of

log = logging.getLogger(__name__)

_KIND = "council-audit-key"
_SIGNING_CONTEXT = b"clerk-desk checkpoint signing key"
_CACHE = "audit_keys_for_actor"
#: Keys unsealed in this process: (person key uuid, audit key id) -> secret, so the keyring is asked once.
_UNSEALED: dict[tuple[str, str], bytes] = {}


@dataclass(frozen=True)
class AuditKey:
    """The council audit key, as unsealed for the acting person."""

    key_id: str
    secret: bytes


@dataclass(frozen=True)
class Signer:
    """The acting person's signing key."""

    name: str
    signing_key: nacl.signing.SigningKey

    @property
    def verify_key(self) -> str:
        return bytes(self.signing_key.verify_key).hex()

    def sign(self, message: bytes) -> str:
        return self.signing_key.sign(message).signature.hex()


@dataclass(frozen=True)
class _Holder:
    person: Person
    key: PersonKey
    private: PrivateKey


def _actor(session: Session) -> Person | None:
    actor = session.info.get("actor")
    if not actor:
        return None
    name = unicodedata.normalize("NFC", str(actor)).strip()
    return session.execute(select(Person).where(Person.name == name)).scalar_one_or_none()


def _holder(session: Session) -> _Holder | None:
    """The acting person's approved key whose private half this PC's keyring holds."""
    person = _actor(session)
    if person is None or person.has_left(clock_of(session).today()):
        return None
    keys = session.execute(
        select(PersonKey).where(PersonKey.person_id == person.id, PersonKey.state == KeyState.APPROVED.value)
    ).scalars()
    for key in keys:
        try:
            text = vault.get_private_key(key.uuid)
            if text is not None:
                return _Holder(person, key, sealing.private_from_text(text))
        except ClerkDeskError as exc:  # a locked or missing keyring: this writer holds no key here
            log.info("no audit key for %s on this PC: %s", person.name, exc)
            return None
    return None


def audit_key(session: Session, *, writing: bool = True) -> AuditKey | None:
    """The council audit key for the session's acting person, or None when they hold no approved key on
    this PC. When ``writing``, the first holder to write makes the key, and any approved key or recovery
    key without a copy gets one."""
    if _CACHE in session.info:
        cached = session.info[_CACHE]
        return cached if isinstance(cached, AuditKey) else None
    session.info[_CACHE] = None
    conn = session.connection()
    found = _already_unsealed(session)
    if found is not None:
        if writing:
            _seal_to_missing(session, found)
        session.info[_CACHE] = found
        return found
    holder = _holder(session)
    if holder is None:
        return None
    mine = conn.execute(
        select(AuditKeyCopy.key_id, AuditKeyCopy.sealed).where(AuditKeyCopy.person_key_id == holder.key.id)
    ).first()
    if mine is not None:
        cache_key = (holder.key.uuid, mine.key_id)
        secret = _UNSEALED.get(cache_key)
        if secret is None:
            try:
                secret = bytes.fromhex(sealing.open_sealed(holder.private, mine.sealed, mine.key_id, _KIND))
            except (sealing.SealError, ValueError) as exc:
                log.warning("the audit key sealed to %s cannot be opened: %s", holder.person.name, exc)
                return None
            _UNSEALED[cache_key] = secret
        found = AuditKey(mine.key_id, secret)
    elif not writing or conn.execute(select(AuditKeyCopy.id).limit(1)).first() is not None:
        return None  # none yet, or not yet sealed to this holder: another holder seals it when writing
    else:
        found = AuditKey(uuid.uuid4().hex, secrets.token_bytes(32))
    if writing:
        _seal_to_missing(session, found)
    session.info[_CACHE] = found
    return found


def _already_unsealed(session: Session) -> AuditKey | None:
    """The audit key, if this process already opened it with one of the acting person's approved keys
    (the keyring is asked once per process, not at every save)."""
    person = _actor(session)
    if person is None or person.has_left(clock_of(session).today()):
        return None
    rows = session.connection().execute(
        select(PersonKey.uuid, AuditKeyCopy.key_id)
        .join(AuditKeyCopy, AuditKeyCopy.person_key_id == PersonKey.id)
        .where(PersonKey.person_id == person.id, PersonKey.state == KeyState.APPROVED.value)
    )
    for row in rows:
        secret = _UNSEALED.get((row.uuid, row.key_id))
        if secret is not None:
            return AuditKey(row.key_id, secret)
    return None


def _seal_to_missing(session: Session, key: AuditKey) -> None:
    """Seal the audit key to every approved key and the active recovery key that has no copy of it."""
    conn = session.connection()
    have_people = set(
        conn.execute(
            select(AuditKeyCopy.person_key_id).where(
                AuditKeyCopy.key_id == key.key_id, AuditKeyCopy.person_key_id.is_not(None)
            )
        ).scalars()
    )
    have_recovery = set(
        conn.execute(
            select(AuditKeyCopy.recovery_key_id).where(
                AuditKeyCopy.key_id == key.key_id, AuditKeyCopy.recovery_key_id.is_not(None)
            )
        ).scalars()
    )
    now = clock_of(session).now()
    rows = []
    approved = conn.execute(
        select(PersonKey.id, PersonKey.public_key).where(PersonKey.state == KeyState.APPROVED.value)
    )
    for key_row in approved:
        if key_row.id not in have_people:
            sealed = sealing.seal(key_row.public_key, key.key_id, _KIND, key.secret.hex())
            rows.append(
                {
                    "key_id": key.key_id,
                    "person_key_id": key_row.id,
                    "recovery_key_id": None,
                    "sealed": sealed,
                    "created_at": now,
                }
            )
    recovery = conn.execute(
        select(RecoveryKey.id, RecoveryKey.public_key).where(RecoveryKey.retired_at.is_(None))
    ).first()
    if recovery is not None and recovery.id not in have_recovery:
        sealed = sealing.seal(recovery.public_key, key.key_id, _KIND, key.secret.hex())
        rows.append(
            {
                "key_id": key.key_id,
                "person_key_id": None,
                "recovery_key_id": recovery.id,
                "sealed": sealed,
                "created_at": now,
            }
        )
    if rows:
        conn.execute(insert(AuditKeyCopy), rows)


def audit_keys(session: Session) -> dict[str, bytes]:
    """Every council audit key the reader can unseal, by id (for verifying keyed hashes)."""
    key = audit_key(session, writing=False)
    return {key.key_id: key.secret} if key else {}


def audit_key_holders(session: Session) -> set[str]:
    """The names of the people the council audit key is sealed to."""
    rows = session.execute(
        select(Person.name)
        .join(PersonKey, PersonKey.person_id == Person.id)
        .join(AuditKeyCopy, AuditKeyCopy.person_key_id == PersonKey.id)
    ).scalars()
    return set(rows)


def _signing_key(private: PrivateKey) -> nacl.signing.SigningKey:
    seed = nacl.hash.blake2b(
        bytes(private), key=_SIGNING_CONTEXT, digest_size=32, encoder=nacl.encoding.RawEncoder
    )
    return nacl.signing.SigningKey(seed)


def signer(session: Session) -> Signer | None:
    """The acting person's signing key (registered on first use), or None without an approved key here."""
    holder = _holder(session)
    if holder is None:
        return None
    found = Signer(holder.person.name, _signing_key(holder.private))
    registered = session.execute(
        select(AuditSigner.id).where(AuditSigner.verify_key == found.verify_key)
    ).first()
    if registered is None:
        session.add(
            AuditSigner(
                person_key_id=holder.key.id, verify_key=found.verify_key, created_at=clock_of(session).now()
            )
        )
        session.flush()
    return found


def known_signers(session: Session) -> dict[str, str]:
    """Verify keys (hex) registered by key holders, to the holder's name."""
    rows = session.execute(
        select(AuditSigner.verify_key, Person.name)
        .join(PersonKey, PersonKey.id == AuditSigner.person_key_id)
        .join(Person, Person.id == PersonKey.person_id)
    )
    return {row.verify_key: row.name for row in rows}


def verify_signature(verify_key: str, message: bytes, signature: str) -> bool:
    """Whether ``signature`` (hex) is ``verify_key``'s signature of ``message``."""
    try:
        nacl.signing.VerifyKey(bytes.fromhex(verify_key)).verify(message, bytes.fromhex(signature))
    except (nacl.exceptions.BadSignatureError, nacl.exceptions.ValueError, ValueError, TypeError):
        return False
    return True
