"""Moments as an incident's record reads them: typed in the council's time zone (council_time); and how
many incidents were reported in a period of the council's calendar."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clerk_desk import council_time
from clerk_desk.models import Incident


def moment(values: Mapping[str, str | None], field: str, zone: ZoneInfo) -> datetime | None:
    """A typed date and time: with an offset it is that moment, without one it is local time in the
    council's zone (a date alone is local midnight); blank is None."""
    return council_time.parse(values.get(field), zone, field)


def count_in_period(session: Session, start: date, end: date, zone: ZoneInfo) -> int:
    """Incidents reported from ``start`` to ``end`` (both included) on the council's calendar."""
    return session.execute(
        select(func.count())
        .select_from(Incident)
        .where(
            Incident.reported_at >= council_time.start_of(start, zone),
            Incident.reported_at < council_time.start_of(end + timedelta(days=1), zone),
        )
    ).scalar_one()
