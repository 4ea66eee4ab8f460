"""Moments as an incident's record writes and reads them: ISO, UTC, to the minute."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clerk_desk import fields
from clerk_desk.models import Incident


def local_iso(moment: datetime | None) -> str:
    return moment.astimezone(UTC).isoformat(timespec="minutes") if moment else ""


def moment(values: Mapping[str, str | None], field: str) -> datetime | None:
    """An ISO date-time; without a zone it is taken as UTC (a date alone is midnight UTC)."""
    raw = (values.get(field) or "").strip()
    if not raw:
        return None
    if len(raw) == 10:
        day = fields.iso_date(values, field)
        assert day is not None
        return datetime(day.year, day.month, day.day, tzinfo=UTC)
    value = fields.iso_datetime(values, field)
    assert value is not None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def count_in_period(session: Session, start: date, end: date) -> int:
    """How many incidents were reported from ``start`` to ``end``, both days included."""
    return session.execute(
        select(func.count())
        .select_from(Incident)
        .where(
            Incident.reported_at >= datetime(start.year, start.month, start.day, tzinfo=UTC),
            Incident.reported_at < datetime(end.year, end.month, end.day, tzinfo=UTC) + timedelta(days=1),
        )
    ).scalar_one()
