"""The council's own time: moments are stored in UTC and shown and typed in the council's time zone.

One place for every moment a clerk reads or types (tables, dialogs, the PDF, CSV, the command line,
calendar files), so that "02:11" means what the clock on the council's wall said. The zone is the
``time_zone`` setting (default Europe/London); it is passed in, never taken from the PC, so two PCs
set to different zones show the same records the same way.

A typed value with an offset (``+01:00`` or ``Z``) means exactly that moment. One without an offset is
the council's local time; a date alone is local midnight. A local time the clocks skip (spring forward)
or show twice (autumn fall-back) is refused, naming the field, rather than guessed.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from clerk_desk.errors import ValidationError

DEFAULT_ZONE_NAME = "Europe/London"
#: The longest moment anyone types: "2026-07-01T02:11:00.000000+01:00" and some spaces.
_MAX_LENGTH = 60


def zone(name: str, field: str = "time_zone") -> ZoneInfo:
    """The zone called ``name`` (an IANA name such as Europe/London); a ValidationError names the field."""
    raw = name.strip()
    problem = f"'{raw}' is not a time zone name (for example {DEFAULT_ZONE_NAME})"
    # Names are paths in the zone database: refuse anything that could step outside it first.
    if not raw or raw.startswith(("/", ".")) or ".." in raw or "\\" in raw or len(raw) > 60:
        raise ValidationError(field, problem)
    try:
        return ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValidationError(field, problem) from None


def local(moment: datetime, zone: ZoneInfo) -> datetime:
    """The moment on the council's clock (an aware datetime in ``zone``)."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime given where a moment is required")
    return moment.astimezone(zone)


def show(moment: datetime | None, zone: ZoneInfo) -> str:
    """``2026-07-01 02:11`` on the council's clock; blank for no moment. For table cells and fields."""
    return f"{local(moment, zone):%Y-%m-%d %H:%M}" if moment else ""


def show_named(moment: datetime | None, zone: ZoneInfo) -> str:
    """``2026-07-01 02:11 BST``: with the zone's abbreviation, for sentences."""
    if not moment:
        return ""
    at = local(moment, zone)
    return f"{at:%Y-%m-%d %H:%M} {at.tzname()}"


def spoken(moment: datetime | None, zone: ZoneInfo) -> str:
    """``1 Jul 2026 02:11 BST``: as the annual review prints a moment."""
    if not moment:
        return ""
    at = local(moment, zone)
    return f"{at.day} {at:%b %Y %H:%M} {at.tzname()}"


def iso(moment: datetime | None, zone: ZoneInfo) -> str:
    """``2026-07-01T02:11+01:00``: local time with its offset, to the minute, for CSV files."""
    return local(moment, zone).isoformat(timespec="minutes") if moment else ""


def same_minute(first: datetime | None, second: datetime | None) -> bool:
    """Whether two moments fall in the same minute (the precision a moment is typed to)."""
    if first is None or second is None:
        return first is second
    return _minute(first) == _minute(second)


def _minute(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(second=0, microsecond=0)


def local_date(moment: datetime, zone: ZoneInfo) -> date:
    """The day the moment fell on, on the council's calendar."""
    return local(moment, zone).date()


def start_of(day: date, zone: ZoneInfo) -> datetime:
    """The first moment of ``day`` on the council's calendar (midnight, or the first time after a gap)."""
    midnight = datetime.combine(day, time(), tzinfo=zone)
    if _exists(midnight):
        return midnight
    # A zone that springs forward at midnight: the day starts at the moment of the change, which is
    # where midnight by the old offset (fold 0) lands.
    return midnight.astimezone(UTC).astimezone(zone)


def _exists(at: datetime) -> bool:
    """Whether a local wall-clock time (aware, in a ZoneInfo) is one the clocks actually show."""
    back = at.astimezone(UTC).astimezone(at.tzinfo)
    return back.replace(tzinfo=None) == at.replace(tzinfo=None)


def _offset(at: datetime) -> str:
    offset = at.utcoffset() or timedelta()
    sign = "-" if offset < timedelta() else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def parse(raw: str | None, zone: ZoneInfo, field: str) -> datetime | None:
    """A typed moment, timezone-aware; None when blank.

    With an offset (``+01:00``, ``Z``) the value is that moment; without one it is local time in
    ``zone``; a date alone (``YYYY-MM-DD``) is local midnight. A local time that does not exist (the
    hour the clocks go forward) or that happens twice (the hour they go back) is refused, naming the
    field; the second asks for the offset that says which.
    """
    text = (raw or "").strip()
    if not text:
        return None
    if len(text) > _MAX_LENGTH or not text.isprintable():
        raise ValidationError(field, "is not a date and time; write it as YYYY-MM-DD HH:MM")
    if len(text) == 10:
        try:
            day = date.fromisoformat(text)
        except ValueError:
            raise ValidationError(field, f"'{text}' is not a date; write it as YYYY-MM-DD") from None
        return start_of(day, zone)
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise ValidationError(
            field, f"'{text}' is not a date and time; write it as YYYY-MM-DD HH:MM"
        ) from None
    if value.tzinfo is not None:
        return value
    at = value.replace(tzinfo=zone, fold=0)
    when = f"{value:%Y-%m-%d %H:%M}"
    if not _exists(at):
        raise ValidationError(
            field,
            f"{when} does not exist in {zone.key}: the clocks skip it when they go forward on "
            f"{value:%Y-%m-%d}; give the time the clock showed",
        )
    later = at.replace(fold=1)
    if at.utcoffset() != later.utcoffset():
        raise ValidationError(
            field,
            f"{when} happens twice on {value:%Y-%m-%d} in {zone.key}: add {_offset(at)} ({at.tzname()}) "
            f"or {_offset(later)} ({later.tzname()})",
        )
    return at


def hint(zone: ZoneInfo) -> str:
    """What a moment field asks for, e.g. ``YYYY-MM-DD HH:MM (Europe/London)``."""
    return f"YYYY-MM-DD HH:MM ({zone.key})"
