"""Helpers shared by the service, database and CLI tests."""

from __future__ import annotations

from sqlalchemy import func, select

from clerk_desk.db import Database
from clerk_desk.models import Account, AuditEntry, CouncilLogo, PasswordRotation, Person, Setting

COUNTED = {
    "people": Person,
    "accounts": Account,
    "settings": Setting,
    "council_logo": CouncilLogo,
    "password_rotations": PasswordRotation,
    "audit_entries": AuditEntry,
}


def row_counts(db: Database) -> dict[str, int]:
    """How many rows each table holds, to show that a refused change left nothing behind."""
    with db.read() as session:
        return {
            name: session.execute(select(func.count()).select_from(model)).scalar_one()
            for name, model in COUNTED.items()
        }
