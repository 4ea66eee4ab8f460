"""Injectable time, so reminders and deadlines can be tested without waiting for a date."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Protocol, cast

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


class Clock(Protocol):
    """Anything that can tell the current time."""

    def now(self) -> datetime:
        """The current moment, timezone-aware in UTC."""
        ...

    def today(self) -> date:
        """The current local calendar date."""
        ...


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        return date.today()


class FixedClock:
    """A clock that stands still until moved; used by tests and benchmarks."""

    def __init__(self, moment: datetime) -> None:
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        self.moment = moment

    def now(self) -> datetime:
        return self.moment

    def today(self) -> date:
        return self.moment.date()


def attach_clock(session: Session, clock: Clock) -> None:
    """Give a session the clock its services tell the time by (``Database`` does this)."""
    session.info["clock"] = clock


def session_clock(session: Session) -> Clock | None:
    """The clock attached to a session, if any."""
    return cast("Clock | None", session.info.get("clock"))


def clock_of(session: Session) -> Clock:
    """The clock of the database a session belongs to, or the real one; the one way a service that is
    given only a session tells the time."""
    return session_clock(session) or SystemClock()
