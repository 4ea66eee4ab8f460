"""Who holds the keys and who may speak for the council.

Delegated access (Thornbury 9.1, 3.1.1), designated officers (district policy 5a; Thornbury 3) and
policy acknowledgements (district policy 5c; Thornbury 4.2; Barling Magna on training).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlalchemy import Column, Date, ForeignKey, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from clerk_desk.models.accounts import Account
from clerk_desk.models.base import Base
from clerk_desk.models.people import Person


class AccessLevel(StrEnum):
    POST = "post"
    MANAGE = "manage"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class Grant(Base):
    """Delegated access of one person to one account; revoking keeps the row (the history stays)."""

    __tablename__ = "grants"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    level: Mapped[str] = mapped_column(String(20))
    business_case: Mapped[str | None] = mapped_column(Text)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    granted_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date)
    revoked_on: Mapped[date | None] = mapped_column(Date)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    revoke_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    person: Mapped[Person] = relationship(foreign_keys=[person_id], lazy="joined")
    account: Mapped[Account] = relationship(lazy="joined")
    approved_by: Mapped[Person | None] = relationship(foreign_keys=[approved_by_id], lazy="joined")
    revoked_by: Mapped[Person | None] = relationship(foreign_keys=[revoked_by_id], lazy="joined")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    audit_type = "Grant"
    audit_label_field = "label"
    audit_exclude: frozenset[str] = frozenset()

    @property
    def label(self) -> str:
        return f"{self.person.name} → {self.account.name}"

    def audit_action(self, changes: dict[str, tuple[object, object]]) -> str:
        before, after = changes.get("revoked_on", (None, None))
        return "archive" if before is None and after is not None else "update"

    def in_force(self, on: date) -> bool:
        """Granted, not revoked and not expired on this date."""
        return (
            self.granted_on <= on
            and (self.revoked_on is None or self.revoked_on > on)
            and (self.expires_on is None or self.expires_on > on)
        )


designation_accounts = Table(
    "designation_accounts",
    Base.metadata,
    Column("designation_id", ForeignKey("designations.id"), primary_key=True),
    Column("account_id", ForeignKey("accounts.id"), primary_key=True),
)


class Designation(Base):
    """A designated officer: may post in the council's name on these accounts (district policy 5a)."""

    __tablename__ = "designations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    designated_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    designated_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    # The accounts in words, kept with the row so the audit trail shows what changed.
    scope: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    person: Mapped[Person] = relationship(foreign_keys=[person_id], lazy="joined")
    designated_by: Mapped[Person | None] = relationship(foreign_keys=[designated_by_id], lazy="joined")
    accounts: Mapped[list[Account]] = relationship(
        secondary=designation_accounts, lazy="selectin", order_by="Account.platform_key, Account.handle_key"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    audit_type = "Designation"
    audit_label_field = "label"
    audit_exclude: frozenset[str] = frozenset()

    @property
    def label(self) -> str:
        return f"{self.person.name} (designated officer)"

    def audit_action(self, changes: dict[str, tuple[object, object]]) -> str:
        before, after = changes.get("ended_on", (None, None))
        return "archive" if before is None and after is not None else "update"

    def in_force(self, on: date) -> bool:
        return self.designated_on <= on and (self.ended_on is None or self.ended_on > on)


class Acknowledgement(Base):
    """A person's written acknowledgement that they read and understood a version of the policy."""

    __tablename__ = "acknowledgements"
    __table_args__ = (
        UniqueConstraint("person_id", "policy_version", name="uq_acknowledgements_person_version"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    policy_version: Mapped[str] = mapped_column(String(50))
    acknowledged_on: Mapped[date] = mapped_column(Date)
    training_on: Mapped[date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    person: Mapped[Person] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    audit_type = "Acknowledgement"
    audit_label_field = "label"
    audit_exclude: frozenset[str] = frozenset()

    @property
    def label(self) -> str:
        return f"{self.person.name}: policy {self.policy_version}"

    def audit_action(self, changes: dict[str, tuple[object, object]]) -> str:
        return "update"
