"""Moments as an incident's record reads them: typed in the council's time zone (council_time)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

from clerk_desk import council_time


def moment(values: Mapping[str, str | None], field: str, zone: ZoneInfo) -> datetime | None:
    """A typed date and time: with an offset it is that moment, without one it is local time in the
    council's zone (a date alone is local midnight); blank is None."""
    return council_time.parse(values.get(field), zone, field)
