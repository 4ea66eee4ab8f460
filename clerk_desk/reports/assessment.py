"""The clerk's written assessment for a period, printed on the review's summary page.

One per period (the same start and end), edited before printing; saving keeps the history in the audit
trail and refuses to overwrite a newer version someone else saved.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from clerk_desk import fields
from clerk_desk.errors import StaleEditError
from clerk_desk.models import ReportAssessment
from clerk_desk.register import authority
from clerk_desk.reports.period import Period

MAX_LENGTH = 6000


def get(session: Session, period: Period) -> ReportAssessment | None:
    """The assessment written for exactly this period, if any."""
    return session.execute(
        select(ReportAssessment).where(
            ReportAssessment.period_start == period.start, ReportAssessment.period_end == period.end
        )
    ).scalar_one_or_none()


def save(
    session: Session, period: Period, text: str, expected_version: int | None = None
) -> ReportAssessment:
    """Store the assessment for the period.

    Args:
        expected_version: the version the editor loaded (None when it saw no assessment); a save over
            a version someone else stored since is refused with StaleEditError.
    """
    authority.require_manager(session, "write the annual review's assessment")
    cleaned = fields.text({"assessment": text}, "assessment", max_length=MAX_LENGTH, multiline=True) or ""
    row = get(session, period)
    current = row.version if row is not None else None
    if current != expected_version:
        raise StaleEditError(f"The assessment for {period.label}")
    if row is None:
        row = ReportAssessment(period_start=period.start, period_end=period.end, text=cleaned)
        session.add(row)
    elif row.text == cleaned:
        return row
    row.text = cleaned
    row.updated_by = str(session.info.get("actor") or "") or None
    session.flush()
    return row
