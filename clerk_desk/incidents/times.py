"""Moments as an incident's record writes and reads them: ISO, UTC, to the minute."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from clerk_desk import fields


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
