"""Clerk handovers: the outgoing clerk's way in passes to the incoming one, and every password is due."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from clerk_desk.models.base import Base, UTCDateTime
from clerk_desk.models.people import Person


class Handover(Base):
    """A confirmed clerk handover; rows are only ever added."""

    __tablename__ = "handovers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    outgoing_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    incoming_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    handed_over_on: Mapped[date] = mapped_column(Date)
    #: How the incoming clerk receives the passwords: "kdbx" (a KeePass file made for them) or "key".
    passwords_by: Mapped[str] = mapped_column(String(20))
    confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    confirmed_by: Mapped[str] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    #: Both names as they were, so the audit trail reads well.
    label: Mapped[str] = mapped_column(String(420))

    outgoing: Mapped[Person] = relationship(foreign_keys=[outgoing_id], lazy="joined")
    incoming: Mapped[Person] = relationship(foreign_keys=[incoming_id], lazy="joined")

    audit_type = "Clerk handover"
    audit_label_field = "label"
    audit_exclude: frozenset[str] = frozenset({"outgoing_id", "incoming_id"})

    def audit_action(self, changes: dict[str, tuple[object, object]]) -> str:
        return "update"
