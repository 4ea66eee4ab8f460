"""The rules of delegated access, designated officers and acknowledgements (Thornbury 9.1, 9.2, 4.2;
district policy 5a, 5c)."""

from __future__ import annotations

from collections.abc import Iterable

from clerk_desk import clauses
from clerk_desk.access import acknowledgements
from clerk_desk.access import grants as access
from clerk_desk.checks.findings import Finding, Register, Severity
from clerk_desk.models import Grant, Person


def _grant_finding(rule_id: str, clause: str, severity: Severity, grant: Grant, message: str) -> Finding:
    return Finding(rule_id, clause, severity, grant.person.name, message, "grant", grant.id)


def councillor_access(register: Register) -> Iterable[Finding]:
    """No elected member holds direct access (Thornbury 9.2)."""
    for grant in register.grants:
        if grant.revoked_on is None and grant.person.role == "councillor":
            yield _grant_finding(
                "councillor-access",
                access.MEMBER_CLAUSE,
                Severity.HIGH,
                grant,
                f"{grant.person.name} is a councillor and still holds {grant.level} access to "
                f"{grant.account.name}; revoke it.",
            )


def grant_expired(register: Register) -> Iterable[Finding]:
    """A grant past its expiry date that nobody revoked (Thornbury 9.1)."""
    for grant in register.grants:
        if grant.revoked_on is None and grant.expires_on is not None and grant.expires_on <= register.today:
            yield _grant_finding(
                "grant-expired",
                access.CONTROL_CLAUSE,
                Severity.MEDIUM,
                grant,
                f"{grant.person.name}'s access to {grant.account.name} expired on "
                f"{grant.expires_on.isoformat()} but was not revoked; revoke it or grant it again.",
            )


def grant_no_business_case(register: Register) -> Iterable[Finding]:
    """Access is delegated case by case, each with its business case (Thornbury 9.1, 3.1.1)."""
    for grant in register.grants:
        if grant.revoked_on is None and not (grant.business_case or "").strip():
            yield _grant_finding(
                "grant-no-business-case",
                clauses.BUSINESS_CASE,
                Severity.MEDIUM,
                grant,
                f"{grant.person.name}'s access to {grant.account.name} has no business case recorded.",
            )


def keyholder_left(register: Register) -> Iterable[Finding]:
    """Someone who has left still holds access (Thornbury 9.1, 9.4)."""
    for grant in register.grants:
        left = grant.person.left_on
        if grant.revoked_on is None and left is not None and left <= register.today:
            yield _grant_finding(
                "keyholder-left",
                clauses.KEYHOLDER_LEFT,
                Severity.HIGH,
                grant,
                f"{grant.person.name} left on {left.isoformat()} but still holds access to "
                f"{grant.account.name}; revoke it and change the password.",
            )


def officer_not_acknowledged(register: Register) -> Iterable[Finding]:
    """Designated officers and keyholders have read and understood the policy in force (district 5c;
    Thornbury 4.2)."""
    today = register.today
    version = register.settings.policy_version
    roles: dict[int, tuple[Person, str]] = {}
    for designation in register.designations:
        if designation.in_force(today) and not designation.person.has_left(today):
            roles[designation.person_id] = (designation.person, "a designated officer")
    for grant in register.grants:
        if grant.in_force(today) and not grant.person.has_left(today) and grant.person_id not in roles:
            roles[grant.person_id] = (grant.person, "a keyholder")
    if not roles:
        return
    if not version:
        yield Finding(
            "officer-not-acknowledged",
            acknowledgements.CLAUSE,
            Severity.MEDIUM,
            "Settings",
            "No policy version is set, so acknowledgements cannot be checked; set policy_version "
            "under Settings.",
            "settings",
        )
        return
    acknowledged = acknowledgements.latest_by_person(register.acknowledgements, version)
    for person, what in sorted(roles.values(), key=lambda pair: pair[0].name_key):
        if person.id not in acknowledged:
            yield Finding(
                "officer-not-acknowledged",
                acknowledgements.CLAUSE,
                Severity.MEDIUM,
                person.name,
                f"{person.name} is {what} but has not acknowledged version {version} of the policy.",
                "person",
                person.id,
            )


RULES = (
    councillor_access,
    grant_expired,
    grant_no_business_case,
    keyholder_left,
    officer_not_acknowledged,
)
