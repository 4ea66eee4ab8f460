"""Sealed credentials: each keyholder's public key, the council's recovery key, the sealed copies of
every password, and the rotate-now flags raised when a key holder leaves or the recovery key is used.

Only public keys and sealed (encrypted) copies are kept here; no private key and no password ever is.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from clerk_desk.models.base import Base, UTCDateTime
from clerk_desk.models.people import Person


class KeyState(StrEnum):
    """Where a person's key stands."""

    AWAITING = "awaiting_approval"
    APPROVED = "approved"
    RETIRED = "retired"

    @property
    def label(self) -> str:
        return {"awaiting_approval": "awaiting approval", "approved": "approved", "retired": "retired"}[
            self.value
        ]


class CopyKind(StrEnum):
    """Which password a sealed copy holds: the account's current one, or a rotation's new one."""

    CURRENT = "current"
    PENDING = "pending"


class PersonKey(Base):
    """A clerk's or deputy clerk's public key; the private key stays in their OS keyring."""

    __tablename__ = "person_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The keyring entry holding the private key is filed under this, never the person's name.
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=lambda: str(uuid.uuid4()))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    fingerprint: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_by: Mapped[str | None] = mapped_column(String(200))
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    retired_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    person: Mapped[Person] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    @property
    def state_enum(self) -> KeyState:
        return KeyState(self.state)


class RecoveryKey(Base):
    """The council's recovery key: only its public half and the salt it is derived with are kept."""

    __tablename__ = "recovery_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    fingerprint: Mapped[str] = mapped_column(String(40))
    salt: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(200))
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class SealedCopy(Base):
    """One account's password sealed to one key (a person's, or the recovery key)."""

    __tablename__ = "sealed_copies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    person_key_id: Mapped[int | None] = mapped_column(ForeignKey("person_keys.id"), index=True)
    recovery_key_id: Mapped[int | None] = mapped_column(ForeignKey("recovery_keys.id"), index=True)
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class RotateNowFlag(Base):
    """An event after which an account's password must be changed at once (Thornbury 9.4)."""

    __tablename__ = "rotate_now_flags"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    raised_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(30))  # a RotationReason value
    detail: Mapped[str] = mapped_column(Text)
    raised_by: Mapped[str] = mapped_column(String(200))
