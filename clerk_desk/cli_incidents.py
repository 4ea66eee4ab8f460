"""The ``incident record`` and ``election`` commands: the one-page breach record, pre-election periods.

Kept apart from ``cli`` so each command family stays small; ``cli`` adds these parsers and handlers.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from clerk_desk.errors import ClerkDeskError


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


def add_parsers(commands: Any) -> None:
    """Add ``incident`` and ``election`` to the subcommands."""
    inc = commands.add_parser("incident", help="one incident's breach record")
    inc_commands = inc.add_subparsers(dest="incident_command", metavar="ACTION", required=True)
    rec = inc_commands.add_parser(
        "record", help="write the one-page breach record PDF, for the ICO or auditor"
    )
    rec.add_argument("reference", help="the incident's reference, e.g. INC-2026-004")
    rec.add_argument("--out", metavar="FILE.pdf", type=Path, required=True, help="the PDF to write")

    ele = commands.add_parser("election", help="pre-election periods and their checklist")
    ele_commands = ele.add_subparsers(dest="election_command", metavar="ACTION", required=True)
    add = ele_commands.add_parser("add", help="add a pre-election period")
    add.add_argument("--notice", metavar="DATE", required=True, help="the notice of election, YYYY-MM-DD")
    add.add_argument("--poll", metavar="DATE", required=True, help="polling day, YYYY-MM-DD")
    add.add_argument("--name", metavar="TEXT", help="what to call it (default: Elections of <polling day>)")
    add.add_argument("--elections", metavar="TEXT", help="the elections it covers")
    ele_commands.add_parser("list", help="the periods, and the open period's checklist")
    notice = ele_commands.add_parser("notice", help="record the pre-election notice posted on an account")
    notice.add_argument("account", help="the account, as Platform:handle")
    notice.add_argument("--on", metavar="DATE", help="the day it was posted (default today)")
    notice.add_argument("--reviewed", action="store_true", help="scheduled posts were reviewed that day too")


def cmd_incident(url: str, args: argparse.Namespace) -> int:
    from clerk_desk.incidents import lifecycle as incidents
    from clerk_desk.reports import breach_record

    with _open(url) as database, database.read() as session:
        incident = incidents.by_reference(session, args.reference)
        if incident is None:
            raise ClerkDeskError(f"There is no incident {args.reference.strip().upper()}")
        written = breach_record.create(session, database.clock, incident.id, args.out)
        print(f"Wrote the breach record of {incident.reference} to {written}.")
    return 0


def cmd_election(url: str, args: argparse.Namespace) -> int:
    return ELECTION_ACTIONS[args.election_command](url, args)


def _add(url: str, args: argparse.Namespace) -> int:
    from clerk_desk.elections import periods

    data = periods.parse(
        {"notice_on": args.notice, "poll_on": args.poll, "name": args.name, "elections": args.elections}
    )
    with _open(url) as database, database.transaction(_actor(database, args.actor)) as session:
        period = periods.save(session, data)
        text = f"{period.name}: notice {period.notice_on.isoformat()}, poll {period.poll_on.isoformat()}"
    print(f"Added the pre-election period {text}.")
    return 0


def _list(url: str, args: argparse.Namespace) -> int:
    from clerk_desk.elections import periods
    from clerk_desk.register import accounts

    with _open(url) as database, database.read() as session:
        today = database.clock.today()
        found = periods.all_periods(session)
        registered = accounts.all_accounts(session)
        if not found:
            print("No pre-election period has been set.")
        for period in found:
            state = "open" if period.covers(today) else "over" if period.poll_on < today else "to come"
            print(f"{period.name}: notice {period.notice_on}, poll {period.poll_on} ({state})")
            if period.covers(today):
                for row in periods.checklist(period, registered):
                    posted = row.notice_posted_on.isoformat() if row.notice_posted_on else "not yet"
                    reviewed = row.posts_reviewed_on.isoformat() if row.posts_reviewed_on else "not yet"
                    print(f"  {row.account.name} ({row.state}): notice {posted}; scheduled posts {reviewed}")
    return 0


def _notice(url: str, args: argparse.Namespace) -> int:
    from clerk_desk import fields
    from clerk_desk.elections import periods

    with _open(url) as database:
        on = fields.iso_date({"on": args.on}, "on") or database.clock.today()
        with database.transaction(_actor(database, args.actor)) as session:
            current = periods.open_periods(periods.all_periods(session), database.clock.today())
            if not current:
                raise ClerkDeskError("No pre-election period is open today")
            check = periods.record_account(
                session,
                current[0].id,
                args.account,
                notice_posted_on=on,
                posts_reviewed_on=on if args.reviewed else None,
            )
            name = check.account.name
    print(f"Recorded the pre-election notice on {name}, posted {on.isoformat()}.")
    return 0


ELECTION_ACTIONS: dict[str, Callable[[str, argparse.Namespace], int]] = {
    "add": _add,
    "list": _list,
    "notice": _notice,
}
COMMANDS: dict[str, Callable[[str, argparse.Namespace], int]] = {
    "incident": cmd_incident,
    "election": cmd_election,
}
