"""The commands that write what the council reads: the annual review, the Assertion 10 evidence and the
reminders (with their calendar file)."""

from __future__ import annotations

import argparse

from clerk_desk.cli_support import acting_name, count, opened


def cmd_reminders(url: str, args: argparse.Namespace) -> int:
    from clerk_desk import imports
    from clerk_desk.checks import engine as checks
    from clerk_desk.checks import reminders

    with opened(url) as database, database.read() as session:
        today = database.clock.today()
        register = checks.load(session, database.clock)
        due = reminders.due(session, register, within_days=args.days)
        now = database.clock.now()
    if not due:
        print(f"Nothing is due in the next {args.days} days.")
    for item in due:
        print(
            f"{item.when(today):>16}  {item.due.isoformat()}  {item.what}: {item.subject} "
            f"({item.detail}; {item.clause})"
        )
    if args.ics:
        imports.write_bytes(
            args.ics,
            reminders.to_ics(due, register.settings.council_name, today, now, register.settings.time_zone),
        )
        print(f"Wrote {count(len(due), 'event')} to {args.ics}.")
    return 0


def cmd_report(url: str, args: argparse.Namespace) -> int:
    # reportlab is imported only when a PDF is laid out, so the other commands start without it.
    from clerk_desk.credentials import service as credentials
    from clerk_desk.errors import ValidationError
    from clerk_desk.register import accounts
    from clerk_desk.reports import annual, period

    outputs = [(out, fmt) for out, fmt in ((args.out, "pdf"), (args.html, "html")) if out is not None]
    if not outputs:
        raise ValidationError("out", "give --out FILE.pdf, --html FILE.html, or both")
    with opened(url) as database:
        chosen = period.parse(args.start, args.end, database.clock.today())
        actor = acting_name(database, args.actor)
        with database.read() as session:
            snapshot = credentials.snapshot(accounts.all_accounts(session))
            prepared = annual.prepare(
                session,
                database.clock,
                chosen,
                outs=[out for out, _ in outputs],
                public=args.public,
                meeting=args.meeting,
                prepared_by=actor,
                vault=snapshot,
            )
        for out, fmt in outputs:
            written = annual.write(prepared, out, fmt)
            with database.transaction(actor) as session:
                annual.record(session, prepared, written, fmt, actor)
            kind = "public" if args.public else "confidential"
            what = "accessible HTML" if fmt == "html" else "PDF"
            print(f"Wrote the {kind} annual review for {chosen.label} ({what}) to {written}.")
        from clerk_desk.audit import checkpoints

        checkpoints.record(database, actor, "annual report")
    return 0


def cmd_assertion10(url: str, args: argparse.Namespace) -> int:
    from clerk_desk.register import settings
    from clerk_desk.reports import annual, assertion10, period, source

    with opened(url) as database:
        today = database.clock.today()
        actor = acting_name(database, args.actor)
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


COMMANDS = {"report": cmd_report, "assertion10": cmd_assertion10, "reminders": cmd_reminders}
