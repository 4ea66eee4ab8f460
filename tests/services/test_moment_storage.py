"""A moment is stored on SQLite as exactly the text SQLAlchemy's own conversion writes, however it is
made: stored moments are compared as text, and the audit trail hashes what was stored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import DateTime
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeEngine

from clerk_desk.models.base import UTCDateTime

SQLITE = sqlite.dialect()
MOMENTS = [
    datetime(2026, 7, 1, 2, 11, tzinfo=ZoneInfo("Europe/London")),
    datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=ZoneInfo("Europe/London")),
    datetime(2026, 1, 1, 0, 0, 0, 999_999, tzinfo=timezone(timedelta(hours=-9, minutes=-30))),
    datetime(1, 1, 1, 12, tzinfo=UTC),
    datetime(999, 12, 31, 23, 59, 59, 1, tzinfo=UTC),
    datetime(9999, 12, 31, 23, 59, tzinfo=UTC),
]


def _library_text(moment: datetime) -> object:
    naive_utc = moment.astimezone(UTC).replace(tzinfo=None)
    process = DateTime().dialect_impl(SQLITE).bind_processor(SQLITE)
    assert process is not None
    return process(naive_utc)


@pytest.mark.parametrize("moment", MOMENTS, ids=str)
def test_a_moment_is_stored_as_the_library_writes_it(moment: datetime) -> None:
    process = UTCDateTime().dialect_impl(SQLITE).bind_processor(SQLITE)
    assert process is not None
    assert process(moment) == _library_text(moment)
    assert process(None) is None


def test_a_moment_without_a_zone_is_refused() -> None:
    process = UTCDateTime().dialect_impl(SQLITE).bind_processor(SQLITE)
    assert process is not None
    with pytest.raises(ValueError, match="naive datetime"):
        process(datetime(2026, 1, 1, 12))


def test_a_storage_format_of_its_own_is_written_by_the_library() -> None:
    class Slashed(UTCDateTime):
        cache_ok = True

        def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
            return sqlite.DATETIME(storage_format="%(year)04d/%(month)02d/%(day)02d %(hour)02d:%(minute)02d")

    process = Slashed().dialect_impl(SQLITE).bind_processor(SQLITE)
    assert process is not None
    assert process(datetime(2026, 7, 1, 2, 11, tzinfo=UTC)) == "2026/07/01 02:11"


def test_postgresql_is_given_the_moment_itself() -> None:
    dialect = postgresql.dialect()
    process = UTCDateTime().dialect_impl(dialect).bind_processor(dialect)
    assert process is not None
    assert process(datetime(2026, 7, 1, 2, 11, tzinfo=ZoneInfo("Europe/London"))) == datetime(
        2026, 7, 1, 1, 11
    )
