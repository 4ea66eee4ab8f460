"""Breach incidents, their follow-up steps, action timeline and evidence files."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from clerk_desk.models.accounts import Account
from clerk_desk.models.base import Base, UTCDateTime
from clerk_desk.models.people import Person


class IncidentCategory(StrEnum):
    ACCOUNT_COMPROMISE = "account_compromise"
    PERSONAL_DATA = "personal_data"
    NON_COUNCIL_DEVICE = "non_council_device"
    IMPERSONATION = "impersonation"
    HARASSMENT = "harassment"
    POLICY_BREACH = "policy_breach"
    CONTENT_REMOVED = "content_removed"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "account_compromise": "Account compromise",
            "personal_data": "Personal data breach",
            "non_council_device": "Access from a non-council device",
            "impersonation": "Impersonation (fraudulent account)",
            "harassment": "Harassment of staff",
            "policy_breach": "Breach of the policy",
            "content_removed": "Content removed or user blocked",
            "other": "Other",
        }[self.value]


class IncidentSeverity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class IncidentStatus(StrEnum):
    OPEN = "open"
    INVESTIGATING = "investigating"
    RESOLVED = "resolved"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class IcoDecision(StrEnum):
    NOTIFY = "notify"
    NOT_NOTIFIABLE = "not_notifiable"


incident_accounts = Table(
    "incident_accounts",
    Base.metadata,
    Column("incident_id", ForeignKey("incidents.id"), primary_key=True),
    Column("account_id", ForeignKey("accounts.id"), primary_key=True),
)

incident_people = Table(
    "incident_people",
    Base.metadata,
    Column("incident_id", ForeignKey("incidents.id"), primary_key=True),
    Column("person_id", ForeignKey("people.id"), primary_key=True),
)


class Incident(Base):
    """A breach or near miss, from the moment it is logged to its closure."""

    __tablename__ = "incidents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    category: Mapped[str] = mapped_column(String(30))
    severity: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text)
    reported_by: Mapped[str] = mapped_column(String(200))
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime)
    occurred_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    discovered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    external_party: Mapped[str | None] = mapped_column(Text)
    personal_data: Mapped[bool] = mapped_column(Boolean, default=False)
    near_miss: Mapped[bool] = mapped_column(Boolean, default=False)
    clerk_is_target: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(Text)
    lessons: Mapped[str | None] = mapped_column(Text)
    #: What the public review may say about the incident, written by the clerk for publication.
    public_summary: Mapped[str | None] = mapped_column(Text)
    ico_decision: Mapped[str | None] = mapped_column(String(20))
    ico_decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ico_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ico_reference: Mapped[str | None] = mapped_column(String(100))
    ico_reason: Mapped[str | None] = mapped_column(Text)
    delay_reasons: Mapped[str | None] = mapped_column(Text)
    # Telling the people affected (UK GDPR Art. 34): how, and how many; the date is the step's.
    subjects_told_how: Mapped[str | None] = mapped_column(Text)
    subjects_told_count: Mapped[int | None] = mapped_column(Integer)
    # The accounts and people involved, in words, so the audit trail shows what changed.
    scope: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    accounts: Mapped[list[Account]] = relationship(
        secondary=incident_accounts, lazy="selectin", order_by="Account.platform_key, Account.handle_key"
    )
    people: Mapped[list[Person]] = relationship(
        secondary=incident_people, lazy="selectin", order_by="Person.name_key"
    )
    steps: Mapped[list[FollowUp]] = relationship(
        back_populates="incident", lazy="selectin", order_by="FollowUp.id", cascade="save-update, merge"
    )
    actions: Mapped[list[IncidentAction]] = relationship(
        back_populates="incident", lazy="selectin", order_by="IncidentAction.at, IncidentAction.id"
    )
    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="incident", lazy="selectin", order_by="Evidence.added_at, Evidence.id"
    )
    #: Every assessment of the risk, oldest first; a reassessment adds an entry, never overwrites one.
    assessments: Mapped[list[IncidentAssessment]] = relationship(
        back_populates="incident",
        lazy="selectin",
        order_by="IncidentAssessment.assessed_at, IncidentAssessment.id",
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    audit_type = "Incident"
    audit_label_field = "reference"
    audit_exclude: frozenset[str] = frozenset()

    def audit_action(self, changes: dict[str, tuple[object, object]]) -> str:
        before, after = changes.get("status", (None, None))
        return "archive" if after == IncidentStatus.CLOSED and before != IncidentStatus.CLOSED else "update"


class FollowUp(Base):
    """One step an incident's category requires before it can be closed: done, or not applicable (why)."""

    __tablename__ = "incident_steps"
    __table_args__ = (UniqueConstraint("incident_id", "step", name="uq_incident_steps_incident_step"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Found by the unique (incident_id, step) index: no index of its own (migration 0012).
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"))
    step: Mapped[str] = mapped_column(String(40))
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_by: Mapped[str | None] = mapped_column(String(200))
    not_applicable: Mapped[str | None] = mapped_column(Text)  # the reason
    note: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    incident: Mapped[Incident] = relationship(back_populates="steps")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    audit_type = "Incident step"
    audit_label_field = "label"
    audit_exclude: frozenset[str] = frozenset({"incident_id"})

    @property
    def label(self) -> str:
        return f"{self.incident.reference}: {self.step}"

    @property
    def settled(self) -> bool:
        return self.done_at is not None or bool(self.not_applicable)

    def audit_action(self, changes: dict[str, tuple[object, object]]) -> str:
        return "update"


class IncidentAction(Base):
    """A dated entry in the incident's timeline, with its author. Only ever added."""

    __tablename__ = "incident_actions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    author: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)

    incident: Mapped[Incident] = relationship(back_populates="actions")

    audit_type = "Incident action"
    audit_label_field = "label"
    audit_exclude: frozenset[str] = frozenset({"incident_id"})

    @property
    def label(self) -> str:
        return self.incident.reference

    def audit_action(self, changes: dict[str, tuple[object, object]]) -> str:
        return "update"


class Evidence(Base):
    """A file kept in the database with its SHA-256, so every PC sees it; never silently replaced.

    Files attached by earlier versions were kept in a PC's data folder (``stored_as``); they are moved
    into ``content`` when the database is upgraded on a PC that has them.
    """

    __tablename__ = "incident_evidence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    stored_as: Mapped[str | None] = mapped_column(String(500))  # relative to the old evidence folder
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str | None] = mapped_column(String(100))
    # Loaded only when the file is opened: a list of evidence never reads the files themselves.
    content: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)
    added_by: Mapped[str] = mapped_column(String(200))

    incident: Mapped[Incident] = relationship(back_populates="evidence")

    audit_type = "Evidence"
    audit_label_field = "label"
    audit_exclude: frozenset[str] = frozenset({"incident_id", "content"})

    @property
    def label(self) -> str:
        return f"{self.incident.reference}: {self.filename}"

    def audit_action(self, changes: dict[str, tuple[object, object]]) -> str:
        return "update"


class RiskLevel(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        return {"low": 0, "medium": 1, "high": 2}[self.value]


class IncidentAssessment(Base):
    """One answer to the ICO's self-assessment of a personal-data breach, with who gave it, when and why.

    Only ever added: new facts make a new entry, so the history of the assessment is kept.
    """

    __tablename__ = "incident_assessments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    assessed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    assessed_by: Mapped[str] = mapped_column(String(200))
    living_people: Mapped[bool] = mapped_column(Boolean, default=True)
    likelihood: Mapped[str] = mapped_column(String(10))
    severity: Mapped[str] = mapped_column(String(10))
    mitigation: Mapped[str | None] = mapped_column(Text)
    people_affected: Mapped[int | None] = mapped_column(Integer)
    records_affected: Mapped[int | None] = mapped_column(Integer)
    data_kinds: Mapped[str | None] = mapped_column(Text)
    consequences: Mapped[str | None] = mapped_column(Text)
    #: Why it was (re)assessed: the new facts.
    reason: Mapped[str] = mapped_column(Text)

    incident: Mapped[Incident] = relationship(back_populates="assessments")

    audit_type = "Incident assessment"
    audit_label_field = "label"
    audit_exclude: frozenset[str] = frozenset({"incident_id"})

    @property
    def label(self) -> str:
        return self.incident.reference

    @property
    def risk_level(self) -> RiskLevel:
        """Likelihood and severity together: high when one is high and the other at least medium."""
        score = RiskLevel(self.likelihood).rank + RiskLevel(self.severity).rank
        if not self.living_people:
            return RiskLevel.LOW
        return RiskLevel.HIGH if score >= 3 else RiskLevel.MEDIUM if score == 2 else RiskLevel.LOW

    def audit_action(self, changes: dict[str, tuple[object, object]]) -> str:
        return "update"
