"""``clerk-desk self-test``: is everything this installation needs present and working?

Checks what a frozen build can lose without anyone noticing until the day it is needed: the database
upgrade scripts, the report's fonts, the window's style sheet and icon, and the password store (with a
throwaway entry that is stored, read back and removed). No database is opened.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from clerk_desk.errors import ClerkDeskError
from clerk_desk.storage import app_version


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def _version() -> str:
    found = app_version.version()
    if not found:
        raise ClerkDeskError("the version could not be read from the package metadata")
    return f"Clerk Desk {found} ({'installed build' if app_version.is_frozen() else 'running from source'})"


def _migrations() -> str:
    from alembic.script import ScriptDirectory

    from clerk_desk.storage.migrations import HEAD, KNOWN_REVISIONS, SCRIPT_LOCATION

    if not (SCRIPT_LOCATION / "env.py").is_file():
        raise ClerkDeskError(f"env.py is missing from {SCRIPT_LOCATION}")
    script = ScriptDirectory(str(SCRIPT_LOCATION))
    scripted = tuple(reversed([revision.revision for revision in script.walk_revisions()]))
    if scripted != KNOWN_REVISIONS or script.get_current_head() != HEAD:
        raise ClerkDeskError(f"found {', '.join(scripted) or 'none'}, expected {', '.join(KNOWN_REVISIONS)}")
    return f"{len(scripted)} upgrade scripts, {scripted[0]} to {HEAD}, in {SCRIPT_LOCATION}"


def _fonts() -> str:
    from clerk_desk.reports import layout

    layout.register_fonts()
    return f"{layout.FONT} and {layout.BOLD} from {layout.resources_dir() / 'fonts'}"


def _window_resources() -> str:
    from clerk_desk.reports.layout import resources_dir

    folder = resources_dir()
    for name in ("style.qss", "clerk-desk.png"):
        path = folder / name
        if not path.is_file() or path.stat().st_size == 0:
            raise ClerkDeskError(f"{path} is missing")
    return f"style sheet and icon in {folder}"


def _password_store() -> str:
    from clerk_desk.credentials import vault

    name = vault.round_trip()
    return f"{name}: a test entry was stored, read back and removed"


CHECKS: list[tuple[str, Callable[[], str]]] = [
    ("version", _version),
    ("database upgrades", _migrations),
    ("report fonts", _fonts),
    ("window style", _window_resources),
    ("password store", _password_store),
]


def run() -> list[Check]:
    """Every check, each one run even when an earlier one failed."""
    results = []
    for name, check in CHECKS:
        try:
            results.append(Check(name, True, check()))
        except Exception as exc:  # a diagnostic: whatever went wrong is the answer
            results.append(Check(name, False, str(exc) or type(exc).__name__))
    return results
