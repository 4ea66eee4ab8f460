"""The policy checks: every rule, listed here, run over a register loaded once.

Each rule has a stable id (design.md, "Policy-finding rule ids") and cites the clause it comes from.
``run`` is what ``clerk-desk check``, the Home page and the annual review all use. The rules are pure
functions in ``core_rules``, ``access.rules``, ``incidents.rules``, ``credentials.rules`` and
``elections.rules``; adding one
means writing it there and naming it in its module's ``RULES`` (docs/architecture.md).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from clerk_desk.access import acknowledgements, officers
from clerk_desk.access import grants as access
from clerk_desk.access import rules as access_rules
from clerk_desk.checks import core_rules
from clerk_desk.checks.core_rules import add_months as add_months
from clerk_desk.checks.core_rules import policy_review_due as policy_review_due
from clerk_desk.checks.core_rules import rotation_due as rotation_due
from clerk_desk.checks.findings import Finding as Finding
from clerk_desk.checks.findings import Register as Register
from clerk_desk.checks.findings import Rule
from clerk_desk.checks.findings import Severity as Severity
from clerk_desk.continuity import handovers
from clerk_desk.continuity import rules as continuity_rules
from clerk_desk.continuity.backup import BackupStatus
from clerk_desk.credentials import copies, holders, rotation
from clerk_desk.credentials import rules as credential_rules
from clerk_desk.credentials.rotation import RotateNowEvent, RotateNowSource
from clerk_desk.credentials.service import VaultSnapshot
from clerk_desk.elections import periods as election_periods
from clerk_desk.elections import rules as election_rules
from clerk_desk.incidents import rules as incident_rules
from clerk_desk.incidents.facts import OpenIncident
from clerk_desk.register import accounts, people
from clerk_desk.register import settings as council_settings
from clerk_desk.storage.clock import Clock

#: Every rule, in the order they are evaluated (the result is sorted by severity afterwards).
RULES: tuple[Rule, ...] = (
    *core_rules.RULES,
    *access_rules.RULES,
    *incident_rules.RULES,
    *credential_rules.RULES,
    *election_rules.RULES,
    *continuity_rules.RULES,
)

#: The kinds of event after which a password is changed at once (Thornbury 9.4).
ROTATE_NOW_SOURCES: list[RotateNowSource] = [
    access.keyholders_gone,
    incident_rules.compromised_accounts,
    holders.flagged,
    handovers.passwords_due,
]


def rotate_now_events(
    session: Session, open_incidents: list[OpenIncident] | None = None
) -> list[RotateNowEvent]:
    """Every event from every source in ``ROTATE_NOW_SOURCES``; given the open incidents already loaded,
    their compromises are taken from them instead of being read again."""
    events: list[RotateNowEvent] = []
    for source in ROTATE_NOW_SOURCES:
        if source is incident_rules.compromised_accounts and open_incidents is not None:
            events += incident_rules.compromise_events(open_incidents)
        else:
            events += source(session)
    return events


def load(
    session: Session, clock: Clock, vault: VaultSnapshot | None = None, backup: BackupStatus | None = None
) -> Register:
    """Everything the rules read; pass a ``credentials.snapshot`` to include the keyring rules, and this
    PC's ``backup.status`` (for a SQLite council) to include the backup rule."""
    registered = accounts.all_accounts(session)
    everyone = people.all_people(session)
    open_incidents = incident_rules.open_for_checks(session, registered)
    return Register(
        today=clock.today(),
        settings=council_settings.load(session),
        accounts=registered,
        people=everyone,
        rotate_now=rotation.outstanding(registered, rotate_now_events(session, open_incidents)),
        vault=vault,
        grants=access.unrevoked(session, everyone, registered),
        designations=officers.all_designations(session),
        acknowledgements=acknowledgements.all_acknowledgements(session),
        incidents=open_incidents,
        keys=copies.summary(session),
        election_periods=election_periods.all_periods(session),
        now=clock.now(),
        backup=backup,
    )


def run(
    session: Session, clock: Clock, vault: VaultSnapshot | None = None, backup: BackupStatus | None = None
) -> list[Finding]:
    """Every finding, most severe first."""
    return evaluate(load(session, clock, vault, backup))


def evaluate(register: Register) -> list[Finding]:
    """Every finding for a register already loaded, most severe first."""
    findings = [finding for check in RULES for finding in check(register)]
    return sorted(findings, key=lambda f: (f.severity.rank, f.rule, f.subject.casefold()))
