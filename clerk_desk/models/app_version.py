"""Which version of Clerk Desk last opened the database."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from clerk_desk.models.base import Base, UTCDateTime


class AppVersion(Base):
    """One row: the version of Clerk Desk that last opened this database, and when it first did.

    Written by ``clerk_desk.db`` on open, only when the version changes; it is about the software, not
    the council's records, so it is not in the audit trail.
    """

    __tablename__ = "app_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[str] = mapped_column(String(50))
    since: Mapped[datetime] = mapped_column(UTCDateTime)
