"""The hash-chained audit trail and its signed checkpoints."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from clerk_desk.models.base import Base, UTCDateTime


class AuditEntry(Base):
    """Who did what to which record, and when; each entry carries the hash of the one before.

    Entries are written only by ``clerk_desk.audit.chain`` and never updated.
    """

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Consecutive from 1 under a lock; a gap means an entry was removed (PostgreSQL ids may have gaps).
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    actor: Mapped[str] = mapped_column(String(200), index=True)
    action: Mapped[str] = mapped_column(String(30))
    subject_type: Mapped[str] = mapped_column(String(50))  # filtered in lower case: no index serves it
    subject_id: Mapped[str] = mapped_column(String(50))
    subject_label: Mapped[str] = mapped_column(String(300))
    changes: Mapped[str] = mapped_column(Text)  # canonical JSON: {field: [before, after]}
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    # The council audit key the hash was keyed with (an HMAC), or None for a plain SHA-256: entries
    # written before the key existed, or by someone who does not hold it.
    key_id: Mapped[str | None] = mapped_column(String(64))


class AuditCheckpoint(Base):
    """The head of the chain (sequence number and hash) at a moment, signed by the manager who made it.

    Written by ``clerk_desk.audit.checkpoints`` at each annual report and on closing the window; a copy
    is kept in an anchor file in each PC's data folder. Never updated.
    """

    __tablename__ = "audit_checkpoints"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)  # 0: the trail was empty
    hash: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    made_by: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(String(60))
    # The signer's public verify key (hex) and the signature of ``checkpoints.message`` (hex), or None
    # when whoever made it held no signing key.
    signer_key: Mapped[str | None] = mapped_column(String(64))
    signature: Mapped[str | None] = mapped_column(String(128))


class DatabaseIdentity(Base):
    """A random identity given to each database when it is created, so a PC's anchor file knows which
    database its checkpoints belong to (and notices one that was replaced)."""

    __tablename__ = "database_identity"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36))


class AuditKeyCopy(Base):
    """The council audit key (32 random bytes that key the trail's hashes), sealed to one approved key
    holder's key or to the recovery key, as the passwords are. Only sealed copies are ever stored."""

    __tablename__ = "audit_key_copies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key_id: Mapped[str] = mapped_column(String(64), index=True)  # random; names the key, reveals nothing
    person_key_id: Mapped[int | None] = mapped_column(ForeignKey("person_keys.id"), index=True)
    recovery_key_id: Mapped[int | None] = mapped_column(ForeignKey("recovery_keys.id"), index=True)
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AuditSigner(Base):
    """A key holder's checkpoint signing key (Ed25519, derived from their private key): the public half,
    registered by its holder the first time they sign."""

    __tablename__ = "audit_signers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_key_id: Mapped[int] = mapped_column(ForeignKey("person_keys.id"), index=True)
    verify_key: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
