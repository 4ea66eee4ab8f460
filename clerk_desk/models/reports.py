"""The annual review's written assessment, kept per reporting period (Thornbury 10; Stalbridge 5)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from clerk_desk.models.base import Base


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
