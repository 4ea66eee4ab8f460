"""What the checks produce and read: findings, reminders, and the register they are computed from.

The bottom of the checks capability: the rule modules (``core_rules``, ``access.rules``,
``incidents.rules``) import these types, and ``engine`` lists the rules.

Findings and reminders are named tuples: immutable, and cheap to build by the thousand (a large
council's Home page has thousands of each, remade on every reload).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import NamedTuple

from clerk_desk.checks.incident_rows import OpenIncident
from clerk_desk.continuity.backup import BackupStatus
from clerk_desk.credentials.keys import KeySummary
from clerk_desk.credentials.rotation import RotateNowEvent
from clerk_desk.credentials.service import VaultSnapshot
from clerk_desk.models import Account, Acknowledgement, Designation, ElectionPeriod, Grant, Person
from clerk_desk.register.settings import CouncilSettings


class Severity(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANKS[self]


_SEVERITY_RANKS = {Severity.HIGH: 0, Severity.MEDIUM: 1, Severity.LOW: 2}


class Finding(NamedTuple):
    """Something that needs the clerk's attention.

    ``subject_kind`` and ``subject_id`` let the Home page open the record; they are not part of the
    public JSON.
    """

    rule: str
    clause: str
    severity: Severity
    subject: str
    message: str
    subject_kind: str = ""
    subject_id: int | None = None

    def as_json(self) -> dict[str, str]:
        return {key: str(getattr(self, key)) for key in ("rule", "clause", "severity", "subject", "message")}


@dataclass(frozen=True)
class Register:
    """Everything the checks read, loaded once (one query per table)."""

    today: date
    settings: CouncilSettings
    accounts: list[Account]
    people: list[Person]
    #: Each account's password change still due because of an event (rotation.RotateNowEvent), by id.
    rotate_now: dict[int, RotateNowEvent] = field(default_factory=dict)
    #: What the keyring holds; None when the caller did not look (the keyring rules are then skipped).
    vault: VaultSnapshot | None = None
    #: Grants not revoked: in force, or expired and still to be revoked.
    grants: list[Grant] = field(default_factory=list)
    designations: list[Designation] = field(default_factory=list)
    acknowledgements: list[Acknowledgement] = field(default_factory=list)
    #: Incidents not yet closed, as the checks read them.
    incidents: list[OpenIncident] = field(default_factory=list)
    #: Who holds keys to the sealed passwords, and whether there is a recovery key.
    keys: KeySummary = field(default_factory=KeySummary)
    #: Every pre-election period.
    election_periods: list[ElectionPeriod] = field(default_factory=list)
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    #: This PC's backups of a SQLite council; None when there are none to make (PostgreSQL) or not looked.
    backup: BackupStatus | None = None


Rule = Callable[[Register], Iterable[Finding]]


class Urgency(StrEnum):
    NOW = "now"
    OVERDUE = "overdue"
    SOON = "soon"

    @property
    def rank(self) -> int:
        return _URGENCY_RANKS[self]


_URGENCY_RANKS = {Urgency.NOW: 0, Urgency.OVERDUE: 1, Urgency.SOON: 2}


class Reminder(NamedTuple):
    """One thing to do by a date."""

    urgency: Urgency
    due: date
    subject: str
    what: str  # e.g. "Change the password"
    detail: str
    clause: str
    subject_kind: str = ""
    subject_id: int | None = None
    #: Which due date or event this is, the same on every run and every day (an overdue item moves to
    #: today but is still the same event), so a calendar updates its event instead of adding another.
    uid: str = ""
    #: The exact moment it is due, when it is due at a time of day (the ICO's 72 hours), not on a day.
    at: datetime | None = None

    def when(self, today: date) -> str:
        """The due date in words: "now", "3 days overdue", "in 5 days", "today"."""
        if self.urgency == Urgency.NOW:
            return "now"
        days = (self.due - today).days
        if days < 0:
            return f"{-days} day{'s' if days != -1 else ''} overdue"
        if days == 0:
            return "today"
        return f"in {days} day{'s' if days != 1 else ''}"
