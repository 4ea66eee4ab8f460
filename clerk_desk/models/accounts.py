"""The register of authorised accounts (Barling Magna; Stalbridge 4)."""

from __future__ import annotations

import uuid
from datetime import date
from enum import StrEnum

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from clerk_desk.models.base import Base
from clerk_desk.models.people import Person


class AccountStatus(StrEnum):
    """Where an account stands; the values are the CSV vocabulary."""

    PROPOSED = "proposed"
    ACTIVE = "active"
    SUSPENDED = "suspended"  # e.g. closed for a period before an election (Stalbridge 4)
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class TwoFactor(StrEnum):
    """How the account's sign-in is protected beyond the password (Thornbury 9.5)."""

    NONE = "none"
    SMS = "sms"
    APP = "app"
    HARDWARE_KEY = "hardware_key"
    NOT_OFFERED = "not_offered"

    @property
    def label(self) -> str:
        return {
            "none": "None",
            "sms": "SMS code",
            "app": "Authenticator app",
            "hardware_key": "Hardware key",
            "not_offered": "Not offered by platform",
        }[self.value]


class TwoFactorCodes(StrEnum):
    """Where the account's two-factor codes (or its key) are kept; the council, not a person, should hold
    the way in (Thornbury 9.6)."""

    COUNCIL_DEVICE = "council_device"
    PERSONAL_DEVICE = "personal_device"
    COUNCIL_MAILBOX = "council_mailbox"
    PASSWORD_MANAGER = "password_manager"
    SAFE = "safe"

    @property
    def label(self) -> str:
        return {
            "council_device": "A council phone or tablet",
            "personal_device": "A personal phone",
            "council_mailbox": "The council mailbox",
            "password_manager": "The council's password manager",
            "safe": "Backup codes or key in the council safe",
        }[self.value]


class Account(Base):
    """One official social-media account of the council."""

    __tablename__ = "accounts"
    __table_args__ = (UniqueConstraint("platform_key", "handle_key", name="uq_accounts_platform_handle"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The stable id the keyring entry is filed under; never the handle, which can change.
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=lambda: str(uuid.uuid4()))
    platform: Mapped[str] = mapped_column(String(100))
    handle: Mapped[str] = mapped_column(String(200))
    # Case-folded copies, so "Facebook:@Town" and "facebook:@town" are one account on every database.
    platform_key: Mapped[str] = mapped_column(String(100))
    handle_key: Mapped[str] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(String(1000))
    purpose: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))
    suspended_from: Mapped[date | None] = mapped_column(Date)
    suspended_to: Mapped[date | None] = mapped_column(Date)
    sign_in_email: Mapped[str | None] = mapped_column(String(320))
    two_factor: Mapped[str | None] = mapped_column(String(20))
    recovery_email: Mapped[str | None] = mapped_column(String(320))
    recovery_phone: Mapped[str | None] = mapped_column(String(40))
    two_factor_codes: Mapped[str | None] = mapped_column(String(20))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    approved_on: Mapped[date | None] = mapped_column(Date)
    business_case: Mapped[str | None] = mapped_column(Text)
    complaints_info: Mapped[bool] = mapped_column(Boolean, default=False)
    rotation_days: Mapped[int | None] = mapped_column(Integer)
    last_rotated_on: Mapped[date | None] = mapped_column(Date)
    opened_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    approved_by: Mapped[Person | None] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    audit_label_field = "name"
    audit_exclude: frozenset[str] = frozenset({"platform_key", "handle_key"})

    @property
    def name(self) -> str:
        """The account's name in CSV files and findings: ``Platform:handle``."""
        return f"{self.platform}:{self.handle}"

    def audit_action(self, changes: dict[str, tuple[object, object]]) -> str:
        """'approve' for proposed → active, 'archive' for closing, else 'update'."""
        before, after = changes.get("status", (None, None))
        if before == AccountStatus.PROPOSED and after == AccountStatus.ACTIVE:
            return "approve"
        if after == AccountStatus.CLOSED and before != AccountStatus.CLOSED:
            return "archive"
        return "update"
