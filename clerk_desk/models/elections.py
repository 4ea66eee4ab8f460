"""The pre-election period: its checklist, the candidates, approved exceptions and the moderation log.

From the notice of election to the close of poll, council publicity is restricted (the Code of
Recommended Practice on Local Authority Publicity; the LGA's guidance on social media in the
pre-election period); Stalbridge 4 lets accounts be closed for it.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from clerk_desk.models.accounts import Account
from clerk_desk.models.base import Base, UTCDateTime
from clerk_desk.models.people import Person


class ElectionPeriod(Base):
    """From the notice of election to polling day, with the checks done once for the whole period."""

    __tablename__ = "election_periods"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    notice_on: Mapped[date] = mapped_column(Date)
    poll_on: Mapped[date] = mapped_column(Date)
    #: The elections it covers, e.g. "Town council; county council".
    elections: Mapped[str | None] = mapped_column(Text)
    partnership_handled_on: Mapped[date | None] = mapped_column(Date)
    partnership_note: Mapped[str | None] = mapped_column(Text)
    staff_briefed_on: Mapped[date | None] = mapped_column(Date)
    staff_briefed_note: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    checks: Mapped[list[AccountCheck]] = relationship(
        back_populates="period", lazy="selectin", order_by="AccountCheck.id"
    )
    candidates: Mapped[list[Candidacy]] = relationship(
        back_populates="period", lazy="selectin", order_by="Candidacy.id"
    )
    exceptions: Mapped[list[ElectionException]] = relationship(
        back_populates="period",
        lazy="selectin",
        order_by="ElectionException.approved_on, ElectionException.id",
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    audit_type = "Pre-election period"
    audit_label_field = "name"
    audit_exclude: frozenset[str] = frozenset()

    def covers(self, day: date) -> bool:
        return self.notice_on <= day <= self.poll_on

    def audit_action(self, changes: dict[str, tuple[object, object]]) -> str:
        return "update"


class AccountCheck(Base):
    """One account's part of the checklist: the pre-election notice posted, scheduled posts reviewed."""

    __tablename__ = "election_account_checks"
    __table_args__ = (UniqueConstraint("period_id", "account_id", name="uq_election_account_checks_pair"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("election_periods.id"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    notice_posted_on: Mapped[date | None] = mapped_column(Date)
    posts_reviewed_on: Mapped[date | None] = mapped_column(Date)
    recorded_by: Mapped[str | None] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    period: Mapped[ElectionPeriod] = relationship(back_populates="checks")
    account: Mapped[Account] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    audit_type = "Pre-election checklist"
    audit_label_field = "label"
    audit_exclude: frozenset[str] = frozenset({"period_id"})

    @property
    def label(self) -> str:
        return f"{self.period.name}: {self.account.name}"

    def audit_action(self, changes: dict[str, tuple[object, object]]) -> str:
        return "update"


class Candidacy(Base):
    """A person marked as standing for election in a period."""

    __tablename__ = "election_candidates"
    __table_args__ = (UniqueConstraint("period_id", "person_id", name="uq_election_candidates_pair"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("election_periods.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    marked_on: Mapped[date] = mapped_column(Date)
    marked_by: Mapped[str] = mapped_column(String(200))

    period: Mapped[ElectionPeriod] = relationship(back_populates="candidates")
    person: Mapped[Person] = relationship(lazy="joined")

    audit_type = "Standing for election"
    audit_label_field = "label"
    audit_exclude: frozenset[str] = frozenset({"period_id"})

    @property
    def label(self) -> str:
        return f"{self.period.name}: {self.person.name}"

    def audit_action(self, changes: dict[str, tuple[object, object]]) -> str:
        return "update"


class ElectionException(Base):
    """Publicity the clerk approved during the period despite the restrictions, with the reason."""

    __tablename__ = "election_exceptions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("election_periods.id"), index=True)
    what: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    approved_on: Mapped[date] = mapped_column(Date)
    approved_by: Mapped[str] = mapped_column(String(200))

    period: Mapped[ElectionPeriod] = relationship(back_populates="exceptions")

    audit_type = "Pre-election exception"
    audit_label_field = "label"
    audit_exclude: frozenset[str] = frozenset({"period_id"})

    @property
    def label(self) -> str:
        return f"{self.period.name}: {self.what[:60]}"

    def audit_action(self, changes: dict[str, tuple[object, object]]) -> str:
        return "update"


class ModerationAction(StrEnum):
    REMOVED = "removed"
    HIDDEN = "hidden"


class ModerationEntry(Base):
    """Content removed or hidden on a council account: when, by whom and why. Kept at any time."""

    __tablename__ = "moderation_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    action: Mapped[str] = mapped_column(String(20))
    content: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    done_by: Mapped[str] = mapped_column(String(200))

    account: Mapped[Account] = relationship(lazy="joined")

    audit_type = "Moderation"
    audit_label_field = "label"
    audit_exclude: frozenset[str] = frozenset()

    @property
    def label(self) -> str:
        return f"{self.account.name}: {self.action}"

    def audit_action(self, changes: dict[str, tuple[object, object]]) -> str:
        return "update"
