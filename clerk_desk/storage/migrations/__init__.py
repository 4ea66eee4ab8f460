"""Alembic migrations, applied on open by ``clerk_desk.storage.db``.

``KNOWN_REVISIONS`` lists every revision this version of the app understands, oldest first, so opening
a database needs no Alembic import unless it must be migrated. A test keeps it equal to the scripts.
"""

from pathlib import Path

KNOWN_REVISIONS: tuple[str, ...] = (
    "0001",
    "0002",
    "0003",
    "0004",
    "0005",
    "0006",
    "0007",
    "0008",
    "0009",
    "0010",
    "0011",
    "0012",
)
HEAD = KNOWN_REVISIONS[-1]
SCRIPT_LOCATION = Path(__file__).parent
