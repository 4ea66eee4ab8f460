"""The hash-chained audit trail."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text
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
    subject_type: Mapped[str] = mapped_column(String(50), index=True)
    subject_id: Mapped[str] = mapped_column(String(50))
    subject_label: Mapped[str] = mapped_column(String(300))
    changes: Mapped[str] = mapped_column(Text)  # canonical JSON: {field: [before, after]}
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
