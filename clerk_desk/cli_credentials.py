"""``clerk-desk key``, ``password`` and ``evidence``: sealed credentials and evidence from scripts.

Secrets are read from standard input (with a terminal, a prompt that does not echo), as ``pass`` and
``keepassxc-cli`` users expect. The acting person is the one the app recognises (their login is the
OS user), as for every other command.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from clerk_desk.cli_support import acting_name
from clerk_desk.cli_support import opened as _open
from clerk_desk.errors import ClerkDeskError, NotFoundError


def add_commands(commands: Any) -> None:
    """Add the key, password and evidence commands to the ``clerk-desk`` parser."""
    key = commands.add_parser("key", help="your key to the council's passwords on this PC")
    key_commands = key.add_subparsers(dest="action", metavar="ACTION", required=True)
    init = key_commands.add_parser("init", help="set up this PC: make your key (prints its fingerprint)")
    init.add_argument("--emergency-sheet", metavar="FILE", type=Path, help="write the recovery key's PDF")
    approve = key_commands.add_parser("approve", help="give PERSON's new key the passwords")
    approve.add_argument("person")
    approve.add_argument("--fingerprint", metavar="FP", required=True, help="as PERSON's PC shows it")
    key_commands.add_parser("list", help="every key, its fingerprint and state")
    key_commands.add_parser("recover", help="type the recovery key in (on standard input)")
    replace = key_commands.add_parser("replace-recovery", help="make a new recovery key; the old one stops")
    replace.add_argument("--emergency-sheet", metavar="FILE", type=Path, help="write the recovery key's PDF")

    password = commands.add_parser("password", help="set, get and list the accounts' passwords")
    password_commands = password.add_subparsers(dest="action", metavar="ACTION", required=True)
    set_ = password_commands.add_parser("set", help="store ACCOUNT's password, read from standard input")
    set_.add_argument("account", help="Platform:handle")
    kind = set_.add_mutually_exclusive_group(required=True)
    kind.add_argument("--changed", action="store_true", help="a password just changed on the platform")
    kind.add_argument("--existing", action="store_true", help="the password the account already has")
    set_.add_argument(
        "--allow-reuse", action="store_true", help="store it even if another account has the same one"
    )
    set_.add_argument("--allow-weak", action="store_true", help="store it even if it is easily guessed")
    get = password_commands.add_parser("get", help="print ACCOUNT's password (recorded as a reveal)")
    get.add_argument("account", help="Platform:handle")
    password_commands.add_parser("status", help="which passwords are stored, and who can read each")

    ev = commands.add_parser("evidence", help="an incident's evidence files, kept in the database")
    ev_commands = ev.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = ev_commands.add_parser("add", help="attach FILE to incident REF")
    add.add_argument("reference")
    add.add_argument("file", type=Path)
    listed = ev_commands.add_parser("list", help="incident REF's evidence files")
    listed.add_argument("reference")
    get_ev = ev_commands.add_parser("get", help="write incident REF's file NAME to --out, checked")
    get_ev.add_argument("reference")
    get_ev.add_argument("name")
    get_ev.add_argument("--out", metavar="FILE", type=Path, required=True)


def _actor(database: Any, args: argparse.Namespace) -> str:
    return acting_name(database, args.actor)


def _secret(prompt: str) -> str:
    """A secret from standard input: one line (its line ending removed), or a prompt without echo."""
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    line = sys.stdin.readline()
    return line.removesuffix("\n").removesuffix("\r")


def _account_id(session: Any, name: str) -> int:
    from clerk_desk.register import accounts

    account = accounts.by_name(session, name)
    if account is None:
        raise NotFoundError(f"There is no account {name} in the register (name it as Platform:handle).")
    return int(account.id)


# --- key ---------------------------------------------------------------------------------------


def cmd_key(url: str, args: argparse.Namespace) -> int:
    actions: dict[str, Callable[[Any, argparse.Namespace], int]] = {
        "init": _key_init,
        "approve": _key_approve,
        "list": _key_list,
        "recover": _key_recover,
        "replace-recovery": _key_replace_recovery,
    }
    with _open(url) as database:
        return actions[args.action](database, args)


def _sheet(session: Any, out: Path, recovery: Any, actor: str) -> None:
    from clerk_desk.register import settings
    from clerk_desk.reports import emergency
    from clerk_desk.storage.clock import clock_of

    council = settings.load(session).council_name
    emergency.write(out, council, clock_of(session).today(), recovery.text, recovery.fingerprint, actor)


def _key_init(database: Any, args: argparse.Namespace) -> int:
    from clerk_desk.credentials import enrolment

    actor = _actor(database, args)
    with database.transaction(actor) as session:
        result = enrolment.set_up(session)
        if result.recovery is not None and args.emergency_sheet:
            _sheet(session, args.emergency_sheet, result.recovery, actor)
    print(f"Fingerprint: {result.key.fingerprint}")
    if result.approved:
        print("Your key on this PC is approved: you can read the council's passwords here.")
    else:
        print(
            "Your key is waiting for approval. Ask the clerk or deputy to compare this fingerprint and run "
            f"clerk-desk key approve '{result.key.person.name}' --fingerprint {result.key.fingerprint}"
        )
    if result.recovery is not None:
        print(f"Recovery key: {result.recovery.text}")
        print(
            "This is the council's recovery key; it is shown only now. Print the emergency sheet and "
            "keep it in the council's safe."
        )
        if args.emergency_sheet:
            print(f"Wrote the emergency sheet to {args.emergency_sheet}.")
    elif args.emergency_sheet:
        print(
            "The recovery key was made earlier and is not kept anywhere, so its sheet cannot be printed "
            "again; make a new one with: clerk-desk key replace-recovery --emergency-sheet FILE",
            file=sys.stderr,
        )
    return 0


def _key_approve(database: Any, args: argparse.Namespace) -> int:
    from clerk_desk.credentials import enrolment

    with database.transaction(_actor(database, args)) as session:
        key = enrolment.approve(session, args.person, args.fingerprint)
        name, fingerprint = key.person.name, key.fingerprint
    print(f"Approved {name}'s key {fingerprint}: every password is now sealed to it too.")
    return 0


def _key_list(database: Any, args: argparse.Namespace) -> int:
    from clerk_desk.credentials import enrolment

    with database.read() as session:
        rows = enrolment.list_keys(session)
        recovery = enrolment.recovery_fingerprint(session)
    if not rows:
        print("No one holds a key yet: the clerk sets up first with clerk-desk key init.")
    for row in rows:
        here = " (this PC)" if row.on_this_pc else ""
        print(f"{row.person}  {row.fingerprint}  {row.state.label}{here}")
    print(f"Recovery key  {recovery}  in use" if recovery else "Recovery key: none")
    return 0


def _key_recover(database: Any, args: argparse.Namespace) -> int:
    from clerk_desk.credentials import enrolment

    typed = _secret("Recovery key: ")
    with database.transaction(_actor(database, args)) as session:
        result = enrolment.recover(session, typed)
        fingerprint = result.key.fingerprint if result.key is not None else ""
    if not result.ok:
        print(f"clerk-desk: {result.message}", file=sys.stderr)
        return 2
    print(f"Fingerprint: {fingerprint}")
    print(result.message)
    print(
        "Every account is now due for a password change. Then make a new recovery key: "
        "clerk-desk key replace-recovery --emergency-sheet FILE"
    )
    return 0


def _key_replace_recovery(database: Any, args: argparse.Namespace) -> int:
    from clerk_desk.credentials import enrolment

    actor = _actor(database, args)
    with database.transaction(actor) as session:
        made = enrolment.replace_recovery_key(session)
        if args.emergency_sheet:
            _sheet(session, args.emergency_sheet, made, actor)
    print(f"Fingerprint: {made.fingerprint}")
    print(f"Recovery key: {made.text}")
    print("The old recovery key opens nothing from now on; destroy its emergency sheet.")
    if args.emergency_sheet:
        print(f"Wrote the emergency sheet to {args.emergency_sheet}.")
    return 0


# --- password ----------------------------------------------------------------------------------


def cmd_password(url: str, args: argparse.Namespace) -> int:
    from clerk_desk.credentials import service as credentials

    with _open(url) as database:
        actor = _actor(database, args)
        if args.action == "set":
            secret = _secret(f"New password for {args.account}: ")
            with database.transaction(actor) as session:
                account_id = _account_id(session, args.account)
                credentials.set_password(
                    session,
                    account_id,
                    secret,
                    changed_on_platform=args.changed,
                    confirm_reuse=args.allow_reuse,
                    confirm_weak=args.allow_weak,
                )
            what = "a change" if args.changed else "the password it already has (not a change)"
            print(f"Stored the password of {args.account}, as {what}.")
            return 0
        if args.action == "get":
            with database.transaction(actor) as session:
                password = credentials.reveal(session, _account_id(session, args.account))
            print(password)
            return 0
        return _password_status(database)


def _password_status(database: Any) -> int:
    from clerk_desk.credentials import service as credentials
    from clerk_desk.models import AccountStatus
    from clerk_desk.register import accounts

    with database.read() as session:
        registered = [a for a in accounts.all_accounts(session) if a.status != AccountStatus.CLOSED]
        snapshot = credentials.snapshot(registered)
        readers = credentials.readers(session)
    if not snapshot.status.ok:
        print(f"clerk-desk: {snapshot.status.message}", file=sys.stderr)
    for account in registered:
        who = readers.get(account.id)
        if who:
            print(f"{account.name}  stored  readable by: {', '.join(who)}")
        elif account.uuid in snapshot.stored:
            print(f"{account.name}  stored  only in this PC's keyring (moved into sealed copies on next use)")
        else:
            print(f"{account.name}  not stored")
    return 0


# --- evidence ----------------------------------------------------------------------------------


def cmd_evidence(url: str, args: argparse.Namespace) -> int:
    from clerk_desk import council_time
    from clerk_desk.incidents import evidence, lifecycle
    from clerk_desk.register import settings as council_settings

    with _open(url) as database:
        if args.action == "add":
            with database.transaction(_actor(database, args)) as session:
                incident = lifecycle.by_reference(session, args.reference)
                if incident is None:
                    raise NotFoundError(f"There is no incident {args.reference}.")
                item = evidence.attach(session, incident.id, args.file)
                line = (
                    f"Attached {item.filename} to {args.reference}: {item.size} bytes, SHA-256 {item.sha256}."
                )
            print(line)
            return 0
        with database.read() as session:
            if args.action == "list":
                zone = council_settings.time_zone(session)
                for item in evidence.for_incident(session, args.reference):
                    print(
                        f"{item.filename}  {item.size} bytes  SHA-256 {item.sha256}  "
                        f"added {council_time.show(item.added_at, zone)} by {item.added_by}"
                    )
                return 0
            item = evidence.named(session, args.reference, args.name)
            if args.out.is_dir():
                raise ClerkDeskError(f"{args.out} is a folder; give the name of the file to write")
            evidence.write_copy(session, item.id, args.out)
            print(f"Wrote {item.filename} to {args.out} (SHA-256 {item.sha256}, checked).")
            return 0


COMMANDS: dict[str, Callable[[str, argparse.Namespace], int]] = {
    "key": cmd_key,
    "password": cmd_password,
    "evidence": cmd_evidence,
}
