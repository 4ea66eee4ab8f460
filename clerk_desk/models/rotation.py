"""Password rotation history: one row each time a new password is stored for an account."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from clerk_desk.models.base import Base, UTCDateTime


class RotationReason(StrEnum):
    """Why a password was changed (Thornbury 9.4)."""

    FIRST_SET = "first_set"
    SCHEDULED = "scheduled"
    SUSPECTED_COMPROMISE = "suspected_compromise"
    KEYHOLDER_LEFT = "keyholder_left"
    CLERK_HANDOVER = "clerk_handover"
    RECOVERED = "recovered"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "first_set": "First set",
            "scheduled": "Scheduled change",
            "suspected_compromise": "Suspected compromise",
            "keyholder_left": "Keyholder left",
            "clerk_handover": "Clerk handover",
            "recovered": "Recovered with the recovery key",
            "other": "Other",
        }[self.value]


class PasswordRotation(Base):
    """A password change; rows are only ever added. Never holds the password."""

    __tablename__ = "password_rotations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    rotated_on: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(String(30))
    note: Mapped[str | None] = mapped_column(Text)
    # The account's name when recorded, so the audit trail reads well.
    account_name: Mapped[str] = mapped_column(String(310))

    audit_type = "Password change"
    audit_label_field = "account_name"
    audit_exclude: frozenset[str] = frozenset({"account_id"})

    def audit_action(self, changes: dict[str, tuple[object, object]]) -> str:
        return "update"
