"""SQLAlchemy typed models, one module per aggregate. No rules live here; see the services."""

from clerk_desk.models.access import AccessLevel, Acknowledgement, Designation, Grant
from clerk_desk.models.accounts import Account, AccountStatus, TwoFactor
from clerk_desk.models.app_version import AppVersion
from clerk_desk.models.audit import AuditEntry
from clerk_desk.models.base import Base
from clerk_desk.models.credentials import (
    CopyKind,
    KeyState,
    PersonKey,
    RecoveryKey,
    RotateNowFlag,
    SealedCopy,
)
from clerk_desk.models.incidents import (
    Evidence,
    FollowUp,
    IcoDecision,
    Incident,
    IncidentAction,
    IncidentCategory,
    IncidentSeverity,
    IncidentStatus,
)
from clerk_desk.models.people import APPROVER_ROLES, Person, Role
from clerk_desk.models.reports import ReportAssessment
from clerk_desk.models.rotation import PasswordRotation, RotationReason
from clerk_desk.models.settings import CouncilLogo, Setting

__all__ = [
    "APPROVER_ROLES",
    "AccessLevel",
    "Account",
    "AccountStatus",
    "Acknowledgement",
    "AppVersion",
    "AuditEntry",
    "Base",
    "CopyKind",
    "CouncilLogo",
    "Designation",
    "Evidence",
    "FollowUp",
    "Grant",
    "IcoDecision",
    "Incident",
    "IncidentAction",
    "IncidentCategory",
    "IncidentSeverity",
    "IncidentStatus",
    "KeyState",
    "PasswordRotation",
    "Person",
    "PersonKey",
    "RecoveryKey",
    "ReportAssessment",
    "Role",
    "RotateNowFlag",
    "RotationReason",
    "SealedCopy",
    "Setting",
    "TwoFactor",
]
