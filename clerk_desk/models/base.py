"""Declarative base and column types shared by every model."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, MetaData
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

# Stable constraint names, so Alembic migrations can refer to them on SQLite and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A moment stored as naive UTC and always read back timezone-aware.

    SQLite has no time zones and PostgreSQL converts on read; storing naive UTC gives the same value on
    both, so the audit hash computed on one can be verified on the other.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else _naive_utc(value)

    def bind_processor(self, dialect: Dialect) -> Callable[[Any], Any] | None:
        """On SQLite, a moment is written as its text in one step (an import writes hundreds of
        thousands), provided that text is the one SQLAlchemy's own conversion writes."""
        stored = super().bind_processor(dialect)
        if dialect.name != "sqlite" or stored is None:
            return stored
        sample = datetime(2001, 2, 3, 4, 5, 6, 7, tzinfo=UTC)
        return _sqlite_text if stored(sample) == _sqlite_text(sample) else stored

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def _naive_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("naive datetime given where a UTC moment is required")
    return value.astimezone(UTC).replace(tzinfo=None)


def _sqlite_text(value: datetime | None) -> str | None:
    """A moment as SQLite stores it: naive UTC, ``2026-07-01 01:11:00.000000``."""
    return None if value is None else _naive_utc(value).isoformat(" ", "microseconds")


class Base(DeclarativeBase):
    """Base of every Clerk Desk table."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
