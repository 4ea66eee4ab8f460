"""The ``clerk-desk`` command: the GUI by default, and subcommands for scripting.

Qt is imported only when the GUI opens, so ``check`` and ``import`` start fast and run on a machine
without a screen.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from clerk_desk import cli_admin, cli_credentials, cli_incidents, cli_install, cli_reports
from clerk_desk.cli_support import ProgressLine
from clerk_desk.cli_support import acting_name as resolve_actor
from clerk_desk.cli_support import opened as _open
from clerk_desk.errors import ClerkDeskError
from clerk_desk.storage import config

log = logging.getLogger("clerk_desk")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="clerk-desk",
        description="Keep the council's social-media governance in order. With no command, opens the window.",
    )
    parser.add_argument(
        "--database",
        metavar="URL",
        help=f"database URL (default: ${config.DATABASE_ENV}, else {config.default_database_url()})",
    )
    parser.add_argument(
        "--actor",
        metavar="NAME",
        help="who is acting: a person's name or login (default: the person whose login is yours)",
    )
    cli_install.add_options(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    imp = commands.add_parser("import", help="import a CSV file; all rows or none")
    imp.add_argument(
        "kind",
        help="people, accounts, grants, officers, incidents, acknowledgements, assessments or moderation",
    )
    imp.add_argument("file", type=Path)
    exp = commands.add_parser("export", help="export a CSV file with the same columns ('-' for the screen)")
    exp.add_argument(
        "kind", help="people, accounts, grants, officers, incidents, acknowledgements or moderation"
    )
    exp.add_argument("file")

    chk = commands.add_parser("check", help="list policy findings; exit 1 if there are any")
    chk.add_argument("--json", action="store_true", help="print the findings as JSON")

    rem = commands.add_parser("reminders", help="what is due and when; optionally an iCalendar file")
    rem.add_argument("--ics", metavar="FILE", type=Path, help="also write the reminders as an .ics calendar")
    rem.add_argument("--days", type=int, default=14, help="how far ahead to look (default 14 days)")

    rep = commands.add_parser(
        "report", help="write the annual review for full council as a PDF and/or accessible HTML"
    )
    rep.add_argument("--from", dest="start", metavar="DATE", required=True, help="first day, YYYY-MM-DD")
    rep.add_argument("--to", dest="end", metavar="DATE", required=True, help="last day, YYYY-MM-DD")
    rep.add_argument("--out", metavar="FILE.pdf", type=Path, help="the PDF to write")
    rep.add_argument("--html", metavar="FILE.html", type=Path, help="the accessible HTML version to write")
    rep.add_argument(
        "--public",
        action="store_true",
        help="the version to publish: only counts, accounts, job titles and incidents' public summaries",
    )
    rep.add_argument("--meeting", metavar="TEXT", default="", help="the meeting or agenda reference")

    a10 = commands.add_parser(
        "assertion10", help="the AGAR 2025/26 Assertion 10 evidence (digital and data compliance)"
    )
    a10.add_argument(
        "--from", dest="start", metavar="DATE", help="first day (default: the last municipal year)"
    )
    a10.add_argument("--to", dest="end", metavar="DATE", help="last day, YYYY-MM-DD")
    a10.add_argument("--out", metavar="FILE.pdf|FILE.html", type=Path, help="also write it as a PDF or HTML")

    sett = commands.add_parser(
        "settings", help="show or set the council's settings (KEY 'logo' takes a file)"
    )
    sett.add_argument("key", nargs="?")
    sett.add_argument("value", nargs="?")

    aud = commands.add_parser("audit", help="show the audit trail")
    aud.add_argument(
        "--verify",
        action="store_true",
        help="check the chain, the checkpoints and the register against the trail; exit 1 if tampered with",
    )
    aud.add_argument(
        "--checkpoint",
        action="store_true",
        help="record the head of the chain now (signed if you hold a key)",
    )
    aud.add_argument("--person", help="only entries by this person")
    aud.add_argument("--subject", help="only entries about this record (name contains)")
    aud.add_argument("--limit", type=int, default=50, help="how many of the newest entries (default 50)")

    commands.add_parser("demo", help="fill an empty database with a small example council")
    cli_credentials.add_commands(commands)
    cli_incidents.add_parsers(commands)

    from clerk_desk import cli_continuity

    cli_continuity.add_commands(commands, password_subcommands(commands))
    cli_admin.add_commands(commands)
    cli_install.add_commands(commands)
    return parser


def password_subcommands(commands: argparse._SubParsersAction) -> argparse._SubParsersAction:
    """The ``password`` command's actions (``args.action``), made once and shared by every module that
    adds one; ``cmd_password`` dispatches them through ``PASSWORD_COMMANDS``."""
    existing = commands.choices.get("password")
    if existing is None:
        existing = commands.add_parser("password", help="passwords from scripts; secrets on standard input")
        existing.add_subparsers(dest="action", metavar="ACTION", required=True)
    return next(a for a in existing._actions if isinstance(a, argparse._SubParsersAction))


def cmd_password(url: str, args: argparse.Namespace) -> int:
    return PASSWORD_COMMANDS[args.action](url, args)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 findings or tampering, 2 error)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    url = config.resolve_database_url(args.database)
    if args.command is None:
        from clerk_desk.app import run_gui

        return run_gui(url, args.actor, smoke_test=args.smoke_test)
    from clerk_desk.credentials import vault

    try:
        # One time limit for all the keyring calls of the command, however many there are.
        with vault.time_limit(vault.DEFAULT_TIMEOUT):
            return COMMANDS[args.command](url, args)
    except ClerkDeskError as exc:
        print(f"clerk-desk: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def cmd_import(url: str, args: argparse.Namespace) -> int:
    from clerk_desk import imports

    content = imports.read_csv(args.file)
    progress = ProgressLine(sys.stderr, f"Importing {args.kind}")
    with _open(url) as database:
        try:
            with database.transaction(resolve_actor(database, args.actor)) as session:
                result = imports.import_rows(session, args.kind, content, database.clock.today(), progress)
        finally:
            progress.end()
        print(f"Imported {args.file}: {result.added} added, {result.updated} updated.")
        return 0


def cmd_export(url: str, args: argparse.Namespace) -> int:
    from clerk_desk import imports

    imports.kind_of(args.kind)
    with _open(url) as database:
        with database.read() as session:
            content = imports.export_rows(session, args.kind)
        if args.file == "-":
            sys.stdout.write(content)
        else:
            imports.write_csv(Path(args.file), content)
            print(f"Exported {args.kind} to {args.file}.")
        return 0


def cmd_check(url: str, args: argparse.Namespace) -> int:
    from clerk_desk.checks import engine as checks
    from clerk_desk.continuity import backup
    from clerk_desk.credentials import service as credentials
    from clerk_desk.register import accounts

    with _open(url) as database:
        with database.read() as session:
            snapshot = credentials.snapshot(accounts.all_accounts(session))
            findings = checks.run(session, database.clock, snapshot, backup.status_for(database.url))
        if args.json:
            print(json.dumps([f.as_json() for f in findings], indent=2, ensure_ascii=False))
        elif not findings:
            print("No findings: the register meets the policy.")
        else:
            for f in findings:
                print(f"[{f.severity}] {f.rule} ({f.clause}) {f.subject}: {f.message}")
            print(f"{len(findings)} finding{'s' if len(findings) != 1 else ''}.")
        return 1 if findings else 0


def cmd_settings(url: str, args: argparse.Namespace) -> int:
    from clerk_desk.register import settings

    with _open(url) as database:
        if args.key == "logo":
            if args.value is None:
                with database.read() as session:
                    logo = settings.get_logo(session)
                print(f"logo = {logo.filename} ({len(logo.data)} bytes)" if logo else "logo = (none)")
                return 0
            with database.transaction(resolve_actor(database, args.actor)) as session:
                logo = settings.set_logo(session, Path(args.value))
            print(f"logo = {logo.filename}")
            return 0
        if args.key is not None and args.value is not None:
            with database.transaction(resolve_actor(database, args.actor)) as session:
                stored = settings.update(session, {args.key: args.value})
            print(f"{args.key} = {stored[args.key]}")
            return 0
        if args.key is not None:
            settings.check_key(args.key)
        with database.read() as session:
            current = settings.load(session)
            logo = settings.get_logo(session)
        keys = [args.key] if args.key else list(settings.SPECS)
        for key in keys:
            print(f"{key} = {current[key]}")
        if not args.key:
            print(f"logo = {logo.filename if logo else '(none)'}")
        return 0


def cmd_audit(url: str, args: argparse.Namespace) -> int:
    from clerk_desk import council_time
    from clerk_desk.audit import reader as audit_log
    from clerk_desk.register import settings as council_settings

    with _open(url) as database:
        if args.checkpoint:
            from clerk_desk.audit import checkpoints

            actor = resolve_actor(database, args.actor)
            point = checkpoints.record(database, actor, "checkpoint command")
            signed = "signed" if point.signature else "not signed (no signing key on this PC)"
            print(f"Checkpoint at entry {point.seq}, {signed}, kept in {checkpoints.anchor_path()}.")
            return 0
        with database.read() as session:
            if args.verify:
                from clerk_desk.audit import verify

                report = verify.verify(session, resolve_actor(database, args.actor))
                print("\n".join(report.lines()))
                return 0 if report.ok else 1
            entries = audit_log.search(session, person=args.person, subject=args.subject, limit=args.limit)
            zone = council_settings.time_zone(session)
        for entry in reversed(entries):
            line = (
                f"{council_time.show(entry.at, zone)} {entry.actor}: {entry.action} {entry.subject_type} "
                f"{entry.subject_label} {audit_log.summary(entry)}"
            )
            print(audit_log.one_line(line))
        return 0


def cmd_demo(url: str, args: argparse.Namespace) -> int:
    from clerk_desk import demo

    with _open(url) as database:
        from clerk_desk.register.authority import database_user, os_login

        # Who runs the demo is its clerk: the OS user on SQLite, the database user on PostgreSQL.
        with database.read() as session:
            login = database_user(session) or os_login() or None
        with database.transaction(args.actor or "Clerk Desk demo") as session:
            added_people, added_accounts = demo.fill(session, database.clock.today(), login)
        print(
            f"Added a demo council to {database.display_url}: "
            f"{added_people} people, {added_accounts} accounts."
        )
        if login:
            print(f"You ({login}) act as the clerk, Zoë Hartley.")
        return 0


COMMANDS = {
    "import": cmd_import,
    "export": cmd_export,
    "check": cmd_check,
    **cli_reports.COMMANDS,
    "settings": cmd_settings,
    "audit": cmd_audit,
    "demo": cmd_demo,
    "postgres": cli_admin.cmd_postgres,
    **cli_credentials.COMMANDS,
    **cli_incidents.COMMANDS,
    # After the credential commands: ``password`` dispatches each action through PASSWORD_COMMANDS.
    "password": cmd_password,
    **cli_install.COMMANDS,
}
#: ``password ACTION`` handlers, by action; filled by the modules that add the actions.
PASSWORD_COMMANDS: dict[str, Callable[[str, argparse.Namespace], int]] = {}


def _register_commands() -> None:
    from clerk_desk import cli_continuity

    COMMANDS.update(cli_continuity.COMMANDS)
    PASSWORD_COMMANDS.update(dict.fromkeys(("set", "get", "status"), cli_credentials.cmd_password))
    PASSWORD_COMMANDS.update(cli_continuity.PASSWORD_COMMANDS)


_register_commands()
