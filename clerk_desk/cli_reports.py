"""``clerk-desk assertion10``: the AGAR 2025/26 Assertion 10 evidence, on screen and as a file."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def _open(url: str) -> Iterator[Any]:
    from clerk_desk.storage.db import open_database

    database = open_database(url)
    try:
        yield database
    finally:
        database.dispose()


def _actor(database: Any, given: str | None) -> str:
    from clerk_desk.register.authority import resolve_actor

    with database.read() as session:
        return resolve_actor(session, database.url, given).name


def cmd_assertion10(url: str, args: argparse.Namespace) -> int:
    from clerk_desk.register import settings
    from clerk_desk.reports import annual, assertion10, period, source

    with _open(url) as database:
        today = database.clock.today()
        actor = _actor(database, args.actor)
        with database.read() as session:
            if args.start is None and args.end is None:
                chosen = period.last_municipal_year(today, settings.load(session).year_start_month)
            else:
                chosen = period.parse(args.start, args.end, today)
            if args.out is not None:
                from clerk_desk.reports.output import check_output

                check_output(args.out)
            evidence = assertion10.evaluate(session, source.load(session, database.clock, chosen))
    print(f"{assertion10.TITLE}, {evidence.council_name}, {chosen.label}")
    print(f"({assertion10.SOURCE_NOTE})")
    for requirement in evidence.requirements:
        print(f"\n[{requirement.status}] {requirement.name} ({requirement.clause})")
        print(f"    {requirement.evidence}")
    missing = evidence.missing()
    print(f"\nStill missing: {len(missing)}" if missing else "\nNothing is missing.")
    for item, requirement_name, clause in missing:
        print(f"  - {item} ({clause}; {requirement_name})")
    if args.out is not None:
        written = annual.write(assertion10.document(evidence, actor), args.out, annual.format_of(args.out))
        print(f"\nWrote the Assertion 10 evidence to {written}.")
    return 0
