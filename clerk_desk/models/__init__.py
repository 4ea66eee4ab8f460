"""SQLAlchemy typed models, one module per aggregate. No rules live here; see the services."""

from clerk_desk.models.access import AccessLevel, Acknowledgement, Designation, Grant
from clerk_desk.models.accounts import Account, AccountStatus, TwoFactor, TwoFactorCodes
from clerk_desk.models.audit import (
    AuditCheckpoint,
    AuditEntry,
    AuditKeyCopy,
    AuditSigner,
    DatabaseIdentity,
)
from clerk_desk.models.base import Base
from clerk_desk.models.continuity import Handover
from clerk_desk.models.credentials import (
    CopyKind,
    KeyState,
    PersonKey,
    RecoveryKey,
    RotateNowFlag,
    SealedCopy,
)
from clerk_desk.models.elections import (
    AccountCheck,
    Candidacy,
    ElectionException,
    ElectionPeriod,
    ModerationAction,
    ModerationEntry,
)
from clerk_desk.models.incidents import (
    Evidence,
    FollowUp,
    IcoDecision,
    Incident,
    IncidentAction,
    IncidentAssessment,
    IncidentCategory,
    IncidentSeverity,
    IncidentStatus,
    RiskLevel,
)
from clerk_desk.models.people import APPROVER_ROLES, Person, Role
from clerk_desk.models.reports import ReportAssessment, ReportOutput
from clerk_desk.models.rotation import PasswordRotation, RotationReason
from clerk_desk.models.settings import CouncilLogo, Setting

__all__ = [
    "APPROVER_ROLES",
    "AccessLevel",
    "Account",
    "AccountCheck",
    "AccountStatus",
    "Acknowledgement",
    "AuditCheckpoint",
    "AuditEntry",
    "AuditKeyCopy",
    "AuditSigner",
    "Base",
    "Candidacy",
    "CopyKind",
    "CouncilLogo",
    "DatabaseIdentity",
    "Designation",
    "ElectionException",
    "ElectionPeriod",
    "Evidence",
    "FollowUp",
    "Grant",
    "Handover",
    "IcoDecision",
    "Incident",
    "IncidentAction",
    "IncidentAssessment",
    "IncidentCategory",
    "IncidentSeverity",
    "IncidentStatus",
    "KeyState",
    "ModerationAction",
    "ModerationEntry",
    "PasswordRotation",
    "Person",
    "PersonKey",
    "RecoveryKey",
    "ReportAssessment",
    "ReportOutput",
    "RiskLevel",
    "Role",
    "RotateNowFlag",
    "RotationReason",
    "SealedCopy",
    "Setting",
    "TwoFactor",
    "TwoFactorCodes",
]
