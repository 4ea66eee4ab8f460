"""Many rows of one table in one statement, for an import that writes tens of thousands of records.

SQLAlchemy's ``connection.execute(insert(table), rows)`` builds the parameters of every row through its
general machinery; here the statement is compiled once, each value goes through its column type's own
conversion (the same one SQLAlchemy applies, so a moment is stored as it always is), and the rows go to
the database driver's ``executemany`` as they are.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Table, insert
from sqlalchemy.engine import Dialect

Convert = Callable[[Any], Any]


def insert_rows(
    conn: Connection, table: Table, names: tuple[str, ...], rows: Sequence[tuple[Any, ...]]
) -> None:
    """Insert rows, each a tuple of the values of the columns ``names``, in one statement."""
    if not rows:
        return
    statement, order, convert = _compiled(table, names, conn.dialect)
    params: Sequence[Any] = rows
    if order is None:  # the driver takes named parameters
        params = [dict(zip(names, row, strict=True)) for row in rows]
        for name, process in convert.items():
            converted = _converted([row[name] for row in params], process)
            for row, value in zip(params, converted, strict=True):
                row[name] = value
    elif convert or order != names:  # column by column, converted and in the statement's order
        position = {name: index for index, name in enumerate(names)}
        columns: list[Iterable[Any]] = []
        for name in order:
            column: Iterable[Any] = map(operator.itemgetter(position[name]), rows)
            if name in convert:
                column = _converted(list(column), convert[name])
            columns.append(column)
        params = list(zip(*columns, strict=True))
    conn.exec_driver_sql(statement, params)


def _converted(column: Sequence[Any], process: Convert) -> list[Any]:
    """A column's values converted for the driver, each distinct value once (the moment of every entry of
    one write, a flag): the conversions here (moments, flags) give equal values the same result."""
    try:
        distinct = {value: process(value) for value in set(column)}
    except TypeError:  # a value that cannot be a dictionary's key
        return [process(value) for value in column]
    return list(map(distinct.__getitem__, column))


@functools.lru_cache(maxsize=256)  # a few tables for each database opened
def _compiled(
    table: Table, names: tuple[str, ...], dialect: Dialect
) -> tuple[str, tuple[str, ...] | None, dict[str, Convert]]:
    """The statement's text, the order of its positional parameters (None when they are named), and the
    columns whose type converts a value for this database, each with its conversion."""
    compiled = insert(table).compile(dialect=dialect, column_keys=list(names))
    binds = tuple(compiled.positiontup or ()) if compiled.positional else tuple(compiled.binds)
    if sorted(binds) != sorted(names):
        raise ValueError(f"the insert into {table.name} takes {binds}, not the columns given {names}")
    convert: dict[str, Convert] = {}
    for name in binds:
        process = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None:
            convert[name] = process
    return compiled.string, (binds if compiled.positional else None), convert
