"""Helpers shared by the service, database and CLI tests."""

from __future__ import annotations

import struct
import zlib
from typing import Any

from sqlalchemy import func, select

from clerk_desk.models import (
    Account,
    AccountCheck,
    Acknowledgement,
    AuditEntry,
    Candidacy,
    CouncilLogo,
    Designation,
    ElectionException,
    ElectionPeriod,
    Evidence,
    FollowUp,
    Grant,
    Incident,
    IncidentAction,
    IncidentAssessment,
    ModerationEntry,
    PasswordRotation,
    Person,
    Setting,
)
from clerk_desk.models.access import designation_accounts
from clerk_desk.models.incidents import incident_accounts, incident_people
from clerk_desk.storage.db import Database

COUNTED: dict[str, Any] = {
    "people": Person,
    "accounts": Account,
    "settings": Setting,
    "council_logo": CouncilLogo,
    "password_rotations": PasswordRotation,
    "grants": Grant,
    "designations": Designation,
    "designation_accounts": designation_accounts,
    "acknowledgements": Acknowledgement,
    "incidents": Incident,
    "incident_accounts": incident_accounts,
    "incident_people": incident_people,
    "incident_steps": FollowUp,
    "incident_actions": IncidentAction,
    "incident_evidence": Evidence,
    "incident_assessments": IncidentAssessment,
    "election_periods": ElectionPeriod,
    "election_account_checks": AccountCheck,
    "election_candidates": Candidacy,
    "election_exceptions": ElectionException,
    "moderation_log": ModerationEntry,
    "audit_entries": AuditEntry,
}


def row_counts(db: Database) -> dict[str, int]:
    """How many rows each table holds, to show that a refused change left nothing behind."""
    with db.read() as session:
        return {
            name: session.execute(select(func.count()).select_from(model)).scalar_one()
            for name, model in COUNTED.items()
        }


def tiny_png(width: int = 2, height: int = 2) -> bytes:
    """A real, valid PNG picture."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def give_keys(db: Database, approver: str, *others: str) -> None:
    """Keys to the passwords on this PC's keyring: the approver's (the council's first), and each
    other's, approved by the approver after comparing fingerprints."""
    from clerk_desk.credentials import enrolment

    with db.transaction(approver) as session:
        enrolment.set_up(session)
    for name in others:
        with db.transaction(name) as session:
            fingerprint = enrolment.set_up(session).key.fingerprint
        with db.transaction(approver) as session:
            enrolment.approve(session, name, fingerprint)
