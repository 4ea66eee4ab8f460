"""The keys behind the trail: the council audit key that keys each entry's hash, and the signing keys
that sign checkpoints.

Both come from the sealed credentials (``clerk_desk.credentials``): the audit key is sealed, like the
passwords, to every approved key holder and the council's recovery key; a person's signing key is kept
with their private key in their OS keyring. Until a person's key is set up and approved on this PC,
``audit_key`` is None and entries get a plain SHA-256, and checkpoints are unsigned.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session


@dataclass(frozen=True)
class AuditKey:
    """The council audit key, as unsealed for the acting person."""

    key_id: str
    secret: bytes


@dataclass(frozen=True)
class Signer:
    """The acting person's signing key: ``sign(message)`` gives a hex signature."""

    name: str
    verify_key: str  # hex

    def sign(self, message: bytes) -> str:
        raise NotImplementedError


_CACHE = "audit_key"


def audit_key(session: Session) -> AuditKey | None:
    """The council audit key for the session's acting person, or None when they cannot unseal it."""
    if _CACHE not in session.info:
        session.info[_CACHE] = None
    cached = session.info[_CACHE]
    return cached if isinstance(cached, AuditKey) else None


def audit_keys(session: Session) -> dict[str, bytes]:
    """Every council audit key the reader can unseal, by id (for verifying keyed hashes)."""
    key = audit_key(session)
    return {key.key_id: key.secret} if key else {}


def audit_key_holders(session: Session) -> set[str]:
    """The names of the people the council audit key is sealed to."""
    return set()


def signer(session: Session) -> Signer | None:
    """The acting person's signing key, or None when they have none on this PC."""
    return None


def known_signers(session: Session) -> dict[str, str]:
    """Verify keys (hex) of every approved key holder, to the holder's name."""
    return {}


def verify_signature(verify_key: str, message: bytes, signature: str) -> bool:
    """Whether ``signature`` (hex) is ``verify_key``'s signature of ``message``."""
    return False
