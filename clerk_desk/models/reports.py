"""The annual review's written assessment, kept per reporting period (Thornbury 10; Stalbridge 5)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from clerk_desk.models.base import Base, UTCDateTime


class ReportAssessment(Base):
    """The clerk's short written assessment for one period, printed on the review's summary page."""

    __tablename__ = "report_assessments"
    __table_args__ = (UniqueConstraint("period_start", "period_end", name="uq_report_assessments_period"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text, default="")
    # Who wrote the latest version, so the printed review can say whose words they are.
    updated_by: Mapped[str | None] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    audit_type = "Annual review assessment"
    audit_label_field = "label"
    audit_exclude: frozenset[str] = frozenset()

    @property
    def label(self) -> str:
        return f"{self.period_start.isoformat()} to {self.period_end.isoformat()}"

    def audit_action(self, changes: dict[str, tuple[object, object]]) -> str:
        return "update"


class ReportOutput(Base):
    """A review written to a file: which period, which version and format, when and by whom.

    Kept so the Assertion 10 evidence can show that an accessible (HTML) version was produced.
    """

    __tablename__ = "report_outputs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    #: ``public`` or ``confidential``.
    version: Mapped[str] = mapped_column(String(20))
    #: ``pdf`` or ``html``.
    format: Mapped[str] = mapped_column(String(10))
    filename: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    written_at: Mapped[datetime] = mapped_column(UTCDateTime)
    written_by: Mapped[str | None] = mapped_column(String(200))

    audit_type = "Review written"
    audit_label_field = "label"
    audit_exclude: frozenset[str] = frozenset()

    @property
    def label(self) -> str:
        return (
            f"{self.version} {self.format}, {self.period_start.isoformat()} to {self.period_end.isoformat()}"
        )

    def audit_action(self, changes: dict[str, tuple[object, object]]) -> str:
        return "create"
