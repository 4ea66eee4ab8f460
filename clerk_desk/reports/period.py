"""The period an annual review covers, and the presets the Reports page offers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from clerk_desk import council_time
from clerk_desk.errors import ValidationError

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def long_date(day: date) -> str:
    """``1 May 2026``, as a council paper writes a date."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def short_date(day: date | None) -> str:
    """``1 May 2026`` in tables (``—`` for no date)."""
    if day is None:
        return "—"
    return f"{day.day} {MONTHS[day.month - 1][:3]} {day.year}"


@dataclass(frozen=True)
class Period:
    """From ``start`` to ``end``, both days included; a moment is in it by its date on the council's
    calendar (its time zone)."""

    start: date
    end: date

    @property
    def label(self) -> str:
        return f"{long_date(self.start)} to {long_date(self.end)}"

    def first_moment(self, zone: ZoneInfo) -> datetime:
        """The period's first moment: local midnight at its start."""
        return council_time.start_of(self.start, zone)

    def after_moment(self, zone: ZoneInfo) -> datetime:
        """The first moment after the period (local midnight after its last day)."""
        return council_time.start_of(self.end + timedelta(days=1), zone)

    def contains(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end

    def contains_moment(self, moment: datetime | None, zone: ZoneInfo) -> bool:
        return moment is not None and self.first_moment(zone) <= moment < self.after_moment(zone)

    def months(self) -> list[tuple[int, int]]:
        """Every (year, month) the period touches, in order."""
        year, month = self.start.year, self.start.month
        found = []
        while (year, month) <= (self.end.year, self.end.month):
            found.append((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return found


#: The earliest year a review may start in.
EARLIEST_YEAR = 1900


def check(start: date | None, end: date | None, today: date) -> Period:
    """The period from two dates, or a ValidationError naming ``from`` or ``to``.

    A period is refused when a date is missing, when it ends before it starts (reversed), when it is
    a single day or starts after today (empty: nothing can have happened in it yet).
    """
    if start is None:
        raise ValidationError("from", "is required (the first day the review covers, YYYY-MM-DD)")
    if end is None:
        raise ValidationError("to", "is required (the last day the review covers, YYYY-MM-DD)")
    if end < start:
        raise ValidationError(
            "to", f"{end.isoformat()} is before the start {start.isoformat()}: the period is reversed"
        )
    if end == start:
        raise ValidationError("to", "is the same day as the start: the period is empty")
    if end.year > today.year + 1:
        raise ValidationError(
            "to", f"{end.isoformat()} is more than a year ahead; a review covers days up to next year"
        )
    if start.year < EARLIEST_YEAR:
        raise ValidationError(
            "from", f"{start.isoformat()} is before {EARLIEST_YEAR}; no council record is that old"
        )
    if start > today:
        raise ValidationError(
            "from", f"{start.isoformat()} is after today: the period is empty, nothing has happened in it"
        )
    return Period(start, end)


def parse(start: str | None, end: str | None, today: date) -> Period:
    """The period from text written YYYY-MM-DD (the CLI and the Reports page)."""
    return check(_day(start, "from"), _day(end, "to"), today)


def _day(raw: str | None, field: str) -> date | None:
    text = (raw or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(field, f"'{text}' is not a date; write it as YYYY-MM-DD") from None


def municipal_year(containing: date, start_month: int) -> Period:
    """The municipal year (from the first of ``start_month``) that a day falls in."""
    year = containing.year if containing.month >= start_month else containing.year - 1
    start = date(year, start_month, 1)
    end = date(year + 1, start_month, 1) - timedelta(days=1)
    return Period(start, end)


def last_municipal_year(today: date, start_month: int) -> Period:
    """The last complete municipal year before the one ``today`` falls in."""
    current = municipal_year(today, start_month)
    return municipal_year(current.start - timedelta(days=1), start_month)


def year_label(period: Period) -> str:
    """``2025–26`` for a municipal year, ``2025`` for a calendar year, else the dates in short."""
    if period.start.month == 1 and period.start.day == 1 and period.end == date(period.start.year, 12, 31):
        return str(period.start.year)
    if period.start.day == 1 and period.end == municipal_year(period.start, period.start.month).end:
        return f"{period.start.year}–{str(period.end.year)[2:]}"
    return f"{short_date(period.start)} to {short_date(period.end)}"


@dataclass(frozen=True)
class Preset:
    """A period offered on the Reports page."""

    key: str
    label: str
    period: Period


def presets(today: date, year_start_month: int) -> list[Preset]:
    """The last complete municipal year first (the one full council reviews), then the current one
    to date, the calendar years, and the last twelve months."""
    current = municipal_year(today, year_start_month)
    last = municipal_year(current.start - timedelta(days=1), year_start_month)
    found = [
        Preset("municipal-last", f"Municipal year {year_label(last)}", last),
    ]
    if current.start < today:
        found.append(
            Preset(
                "municipal-current",
                f"Municipal year {year_label(current)} to date",
                Period(current.start, today),
            )
        )
    calendar_last = Period(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))
    found.append(Preset("calendar-last", f"Calendar year {calendar_last.start.year}", calendar_last))
    if today > date(today.year, 1, 1):
        found.append(
            Preset(
                "calendar-current",
                f"Calendar year {today.year} to date",
                Period(date(today.year, 1, 1), today),
            )
        )
    twelve = Period(_year_before(today) + timedelta(days=1), today)
    found.append(Preset("last-12-months", "The last 12 months", twelve))
    return found


def _year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)
