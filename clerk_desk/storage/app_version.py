"""The version of Clerk Desk that is running, and the note in the database of which one last opened it."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from clerk_desk.models import AppVersion
from clerk_desk.storage.clock import Clock

DISTRIBUTION = "clerk-desk"

log = logging.getLogger(__name__)


def version() -> str:
    """The version of Clerk Desk that is running (from its package metadata; ``pyproject.toml`` in a
    source checkout that was never installed). Empty if neither can be read."""
    # Imported here: the package metadata is slow to import, and few commands need it early.
    import tomllib
    from importlib import metadata

    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        pyproject = Path(__file__).resolve().parent.parent.parent / "pyproject.toml"
        try:
            return str(tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"])
        except (OSError, KeyError, tomllib.TOMLDecodeError):
            return ""


def is_frozen() -> bool:
    """Whether this is the installed app (a frozen build) rather than Python running the source."""
    return bool(getattr(sys, "frozen", False))


def note(factory: sessionmaker[Session], clock: Clock) -> None:
    """Note in the database which version of Clerk Desk opened it, when it is not the one already noted.

    A database that cannot be written (a read-only file) still opens for reading.
    """
    current = version()
    if not current:
        return
    try:
        with factory() as session, session.begin():
            row = session.get(AppVersion, 1)
            if row is None:
                session.add(AppVersion(id=1, version=current, since=clock.now()))
            elif row.version != current:
                row.version, row.since = current, clock.now()
    except OperationalError as exc:
        log.warning("could not note version %s in the database: %s", current, exc.orig or exc)
