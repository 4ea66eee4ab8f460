"""What every command module shares: the database for one command, who is acting in it, and a progress
line for the long ones."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from clerk_desk.storage.db import Database


@contextmanager
def opened(url: str) -> Iterator[Database]:
    """The database for one command, closed afterwards (main() may be called many times in one process)."""
    from clerk_desk.storage.db import open_database

    database = open_database(url)
    try:
        yield database
    finally:
        database.dispose()


def acting_name(database: Database, given: str | None) -> str:
    """The name the audit trail records for this command."""
    from clerk_desk.register.authority import resolve_actor as resolve

    with database.read() as session:
        return resolve(session, database.url, given).name


def count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


class ProgressLine:
    """How far a long command has got, on one line of a terminal: "Importing: 12,000 of 50,000 rows
    (24%)", redrawn in place at most ten times a second. Nothing is written when the stream is not a
    terminal (a file, a pipe), so a log holds only the result."""

    INTERVAL = 0.1

    def __init__(self, stream: TextIO, label: str, clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream
        self.label = label
        self.clock = clock
        self.shown = False
        self._last = -self.INTERVAL
        self.on = stream.isatty()

    def __call__(self, done: int, total: int) -> None:
        now = self.clock()
        if not self.on or (done < total and now - self._last < self.INTERVAL):
            return
        self._last = now
        share = f" ({done * 100 // total}%)" if total else ""
        self.stream.write(f"\r{self.label}: {done:,} of {total:,} rows{share}")
        self.stream.flush()
        self.shown = True

    def end(self) -> None:
        """End the line, so what is printed next starts on a line of its own."""
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()
            self.shown = False
