"""The continuity commands: ``backup``, ``restore``, ``archive``, ``copy``, ``password export|import
--kdbx`` and ``handover``. Passphrases are read from standard input, as ``keepassxc-cli`` users expect."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

from clerk_desk.cli_support import acting_name as _actor
from clerk_desk.cli_support import opened as _open
from clerk_desk.errors import ClerkDeskError
from clerk_desk.storage import config

Handler = Callable[[str, argparse.Namespace], int]


def add_commands(commands: argparse._SubParsersAction, password: argparse._SubParsersAction) -> None:
    """Add the continuity commands, and ``export``/``import`` to the ``password`` command."""
    bak = commands.add_parser("backup", help="make a checked backup of the SQLite database now")
    bak.add_argument("--to", metavar="DIR", type=Path, help="the folder (default: this PC's backups folder)")
    res = commands.add_parser("restore", help="replace the SQLite database with a backup (set aside first)")
    res.add_argument("file", type=Path)
    arc = commands.add_parser("archive", help="write the whole council as one portable zip file")
    arc.add_argument("--out", metavar="FILE", type=Path, required=True)
    cop = commands.add_parser("copy", help="copy the whole council into an empty database (e.g. PostgreSQL)")
    cop.add_argument("--to", metavar="URL", required=True, help="the empty database's URL")
    exp = password.add_parser("export", help="write every stored password to a KeePass file")
    exp.add_argument("--kdbx", metavar="FILE", type=Path, required=True)
    imp = password.add_parser("import", help="store passwords from a KeePass file; all or none")
    imp.add_argument("--kdbx", metavar="FILE", type=Path, required=True)
    imp.add_argument("--allow-weak", action="store_true", help="store easily guessed passwords too")
    imp.add_argument("--dry-run", action="store_true", help="only show what matches; store nothing")
    hand = commands.add_parser("handover", help="write the clerk handover pack; --confirm records it")
    hand.add_argument("--to", dest="incoming", metavar="PERSON", required=True, help="the incoming clerk")
    hand.add_argument("--out", metavar="DIR", type=Path, required=True)
    hand.add_argument(
        "--kdbx",
        action="store_true",
        help="make a KeePass file for them (passphrase on standard input), unless their key is approved",
    )
    hand.add_argument(
        "--confirm",
        action="store_true",
        help="record the handover: the outgoing clerk leaves and every password is due now",
    )
    hand.add_argument("--on", metavar="DATE", help="the handover date, YYYY-MM-DD (default today)")


def read_passphrase() -> str:
    """One line from standard input (a terminal prompts without echo)."""
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass("Passphrase: ")
    line = sys.stdin.readline()
    return line.rstrip("\r\n")


def cmd_backup(url: str, args: argparse.Namespace) -> int:
    from clerk_desk.continuity import backup

    folder = args.to.expanduser() if args.to else config.backup_folder()
    with _open(url) as database:
        try:
            actor: str | None = _actor(database, args.actor)
        except ClerkDeskError:
            actor = None  # a backup is made all the same; only the checkpoint needs someone
        made = backup.make(database, folder, database.clock.now(), checkpoint_as=actor)
    print(f"Backed up to {made.path} (checked: integrity and audit trail).")
    return 0


def cmd_restore(url: str, args: argparse.Namespace) -> int:
    from clerk_desk.continuity import restore
    from clerk_desk.storage.clock import SystemClock
    from clerk_desk.storage.db import sqlite_file

    current = sqlite_file(url)
    if current is None:
        raise ClerkDeskError("Restore replaces a SQLite database; for PostgreSQL use pg_restore or 'copy'.")
    restored = restore.restore(current, args.file, SystemClock().now())
    print(restored.summary())
    if restored.set_aside:
        print(f"The database as it was is kept at {restored.set_aside}.")
    return 0


def cmd_archive(url: str, args: argparse.Namespace) -> int:
    from clerk_desk.continuity import archive

    with _open(url) as database:
        written = archive.write(database, args.out)
    print(
        f"Wrote {written.path}: {written.tables} tables, {written.rows} rows, SHA-256 sums in the manifest."
    )
    return 0


def cmd_copy(url: str, args: argparse.Namespace) -> int:
    from clerk_desk.continuity import transfer

    with _open(url) as database:
        copied = transfer.copy_council(database, args.to)
    print(
        f"Copied {copied.rows} rows to {copied.target}; the audit trail there verifies "
        f"({copied.audit_entries} entries) and every CSV export is equal."
    )
    return 0


def cmd_password_export(url: str, args: argparse.Namespace) -> int:
    from clerk_desk.continuity import kdbx

    passphrase = read_passphrase()
    with _open(url) as database, database.transaction(_actor(database, args.actor)) as session:
        written = kdbx.export(session, args.kdbx, passphrase)
    print(f"Wrote {written.entries} passwords to {written.path} (KeePass, KDBX 4).")
    for name in written.without_password:
        print(f"  no password stored: {name}")
    return 0


def cmd_password_import(url: str, args: argparse.Namespace) -> int:
    from clerk_desk.continuity import kdbx

    passphrase = read_passphrase()
    with _open(url) as database:
        with database.read() as session:
            plan = kdbx.plan_import(session, args.kdbx, passphrase)
        for line in plan.describe():
            print(line)
        if args.dry_run or not plan.matches:
            print("Nothing was stored.")
            return 0
        with database.transaction(_actor(database, args.actor)) as session:
            stored = kdbx.store(session, plan, allow_weak=args.allow_weak)
    print(f"Stored {stored} passwords.")
    return 0


def cmd_handover(url: str, args: argparse.Namespace) -> int:
    from clerk_desk import fields
    from clerk_desk.continuity import handover, handovers

    on = fields.iso_date({"on": args.on}, "on") if args.on else None
    passphrase = read_passphrase() if args.kdbx else None
    with _open(url) as database:
        actor = _actor(database, args.actor)
        handed_over_on: date = on or database.clock.today()
        with database.transaction(actor) as session:
            pack = handover.write_pack(session, args.incoming, args.out, passphrase, handed_over_on)
        for path in pack.files:
            print(f"Wrote {path}")
        if not args.confirm:
            print("Not yet confirmed: run again with --confirm once the incoming clerk has the pack.")
            return 0
        if pack.passwords_by is None:
            raise ClerkDeskError(
                "The handover cannot be confirmed until the incoming clerk can read the passwords: approve "
                "their key (clerk-desk key approve), or add --kdbx to make a KeePass file for them. The pack "
                "was written; nothing else was changed."
            )
        with database.transaction(actor) as session:
            done = handovers.confirm(session, args.incoming, handed_over_on, pack.passwords_by)
    print(
        f"Handover confirmed: {done.outgoing} left on {done.on.isoformat()}; {done.incoming} is the clerk. "
        f"{len(done.accounts)} passwords are due for a change now (clerk handover)."
    )
    return 0


COMMANDS: dict[str, Handler] = {
    "backup": cmd_backup,
    "restore": cmd_restore,
    "archive": cmd_archive,
    "copy": cmd_copy,
    "handover": cmd_handover,
}
PASSWORD_COMMANDS: dict[str, Handler] = {"export": cmd_password_export, "import": cmd_password_import}
