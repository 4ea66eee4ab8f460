"""``clerk-desk postgres setup`` and ``clerk-desk postgres grant PERSON``: the roles PostgreSQL enforces.

Both are run by the database owner (an administrator of the server), not through the app's own roles.
"""

from __future__ import annotations

import argparse

from clerk_desk.errors import ClerkDeskError


def add_commands(commands: argparse._SubParsersAction) -> None:
    pg = commands.add_parser(
        "postgres", help="set up the roles PostgreSQL enforces (run by the database owner)"
    )
    actions = pg.add_subparsers(dest="postgres_command", metavar="ACTION", required=True)
    actions.add_parser(
        "setup", help="create the group roles, grants, row-level security and append-only trail"
    )
    grant = actions.add_parser(
        "grant",
        help="create or update a person's login role from their role in People (revoked once they left)",
    )
    grant.add_argument("person", metavar="PERSON", help="the person's name as People spells it")


def cmd_postgres(url: str, args: argparse.Namespace) -> int:
    from sqlalchemy.exc import DBAPIError

    from clerk_desk.register import authority
    from clerk_desk.storage import postgres_roles
    from clerk_desk.storage.db import open_database

    database = open_database(url)
    try:
        if database.engine.dialect.name != "postgresql":
            raise postgres_roles.RoleError(
                "Database roles exist only on PostgreSQL; a SQLite file is protected by the PC's own "
                "accounts."
            )
        try:
            if args.postgres_command == "setup":
                with database.engine.begin() as conn:
                    done = postgres_roles.setup(conn)
                for line in done:
                    print(f"- {line}")
                print("The roles are set up. Give each person a login with: clerk-desk postgres grant PERSON")
                return 0
            with database.read() as session:
                person = authority.person_named(session, args.person)
                if person is None:
                    raise ClerkDeskError(
                        f"PERSON: '{args.person}' is not in People (write the name as People does)"
                    )
                session.expunge(person)
            with database.engine.begin() as conn:
                granted = postgres_roles.grant(conn, person, database.clock.today())
            print(granted.describe(person.name))
            return 0
        except DBAPIError as exc:
            detail = getattr(getattr(exc.orig, "diag", None), "message_primary", None) or str(exc.orig)
            raise ClerkDeskError(
                f"PostgreSQL refused: {detail}. Run this as the database owner (a user who may create roles)."
            ) from exc
    finally:
        database.dispose()
