"""The evidence for Assertion 10 of the Annual Governance and Accountability Return 2025/26 (digital and
data compliance), from what the register holds: each requirement with its status and the evidence behind
it, and what is still missing, each with the clause it comes from.

The requirements are named as summarised from the Practitioners' Guide 2025, not quoted from the form.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from clerk_desk import clauses, council_time
from clerk_desk.checks import engine as checks
from clerk_desk.credentials import copies
from clerk_desk.incidents import lifecycle as incidents
from clerk_desk.models import Account, AccountStatus, ReportOutput, TwoFactor
from clerk_desk.reports.blocks import Block, Document, Grid, Heading, Paragraph
from clerk_desk.reports.period import Period, long_date, short_date, year_label
from clerk_desk.reports.source import Source

MET = "Met"
NOT_MET = "Not met"
NOT_RECORDED = "Not recorded"
TITLE = "AGAR Assertion 10 evidence"
SOURCE_NOTE = (
    "Assertion 10 of the Annual Governance and Accountability Return 2025/26 (digital and data "
    "compliance). The requirements are as summarised from the Practitioners' Guide 2025, not quoted from "
    "the form; the evidence is what Clerk Desk records."
)


@dataclass(frozen=True)
class Requirement:
    """One requirement: its status, the evidence behind it, and what is still missing."""

    name: str
    clause: str
    status: str
    evidence: str
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class Evidence:
    period: Period
    generated_at: datetime
    council_name: str
    requirements: tuple[Requirement, ...]

    def missing(self) -> list[tuple[str, str, str]]:
        """(what is missing, the requirement, its clause), in the requirements' order."""
        return [(item, r.name, r.clause) for r in self.requirements for item in r.missing]


def evaluate(session: Session, source: Source) -> Evidence:
    """Every requirement's status for the period of ``source``."""
    by_rule: dict[str, list[checks.Finding]] = {}
    for finding in source.findings:
        by_rule.setdefault(finding.rule, []).append(finding)
    live = [a for a in source.all_accounts if a.status in (AccountStatus.ACTIVE, AccountStatus.SUSPENDED)]
    requirements = (
        _mailboxes(live, by_rule.get("signin-email-not-council", [])),
        _policy(source, by_rule.get("policy-review-overdue", [])),
        _acknowledgements(source, by_rule.get("officer-not-acknowledged", [])),
        _two_factor(live, by_rule.get("no-two-factor", [])),
        _breach_log(source),
        _accessible(session, source.period, source.zone),
        _handover(
            session,
            source,
            [
                f
                for rule in ("recovery-key-missing", "passwords-single-holder")
                for f in by_rule.get(rule, [])
            ],
        ),
    )
    return Evidence(source.period, source.generated_at, source.council_name, requirements)


def _status(missing: list[str]) -> str:
    return NOT_MET if missing else MET


def _mailboxes(live: list[Account], findings: list[checks.Finding]) -> Requirement:
    missing = [f.message for f in findings]
    good = len(live) - len({f.subject for f in findings if f.subject_kind == "account"})
    if findings and not any(f.subject_kind == "account" for f in findings):
        good = 0
    return Requirement(
        "Council business is done with email addresses on a domain the council owns",
        clauses.COUNCIL_SIGN_IN,
        _status(missing),
        f"{good} of {len(live)} accounts in use sign in with a shared mailbox on the council's domain.",
        tuple(missing),
    )


def _policy(source: Source, findings: list[checks.Finding]) -> Requirement:
    policy = source.policy
    missing = [f.message for f in findings]
    if not policy.version:
        missing.insert(0, "No policy version is recorded: set policy_version under Settings.")
    if policy.adopted_on is None:
        missing.insert(0, "The date the policy was adopted is not recorded: set policy_adopted_on.")
    evidence = (
        f"Version {policy.version or 'not set'}, adopted {short_date(policy.adopted_on)}, last reviewed "
        f"{short_date(policy.reviewed_on)}; next review due {short_date(policy.next_review)}."
    )
    return Requirement(
        "An IT and social-media policy is adopted, and reviewed at least once a year",
        clauses.POLICY_REVIEW,
        _status(missing),
        evidence,
        tuple(dict.fromkeys(missing)),
    )


def _acknowledgements(source: Source, findings: list[checks.Finding]) -> Requirement:
    today = source.today
    holders = {g.person_id for g in source.register.grants if g.in_force(today)}
    holders |= {d.person_id for d in source.register.designations if d.in_force(today)}
    missing = [f.message for f in findings]
    lacking = {f.subject_id for f in findings if f.subject_kind == "person"}
    return Requirement(
        "Everyone who holds access has acknowledged the policy",
        clauses.ACKNOWLEDGEMENT,
        _status(missing),
        f"{len(holders - lacking)} of {len(holders)} people who hold access or post for the council have "
        f"acknowledged version {source.settings.policy_version or '(not set)'} of the policy.",
        tuple(missing),
    )


def _two_factor(live: list[Account], findings: list[checks.Finding]) -> Requirement:
    on = sum(1 for a in live if a.two_factor not in (None, TwoFactor.NONE, TwoFactor.NOT_OFFERED))
    not_offered = sum(1 for a in live if a.two_factor == TwoFactor.NOT_OFFERED)
    evidence = (
        f"Two-factor sign-in is on for {on} of the {len(live) - not_offered} accounts in use that offer it"
    )
    if not_offered:
        evidence += f"; the platform of {not_offered} more does not offer it"
    return Requirement(
        "Two-factor sign-in is on for every account that offers it",
        clauses.TWO_FACTOR,
        _status([f.message for f in findings]),
        evidence + ".",
        tuple(f.message for f in findings),
    )


def _breach_log(source: Source) -> Requirement:
    found = source.incidents
    needing = [i for i in found if incidents.needs_ico_decision(i)]
    missing = []
    in_time = 0
    for incident in needing:
        deadline = incidents.discovered(incident) + timedelta(hours=incidents.ICO_HOURS)
        if incident.ico_decided_at is None:
            missing.append(f"{incident.reference}: the decision on notifying the ICO is still to be made.")
        elif incident.ico_decided_at <= deadline:
            in_time += 1
        else:
            missing.append(f"{incident.reference}: the ICO decision was made after the 72-hour deadline.")
    personal = sum(1 for i in found if i.personal_data)
    evidence = (
        f"The breach log holds {len(found)} incidents reported in the period, {personal} involving personal "
        f"data; {in_time} of {len(needing)} decisions on notifying the ICO were made within 72 hours."
    )
    return Requirement(
        "UK GDPR is complied with, including a log of data breaches",
        clauses.ICO_NOTIFICATION,
        _status(missing),
        evidence,
        tuple(missing),
    )


def _accessible(session: Session, period: Period, zone: ZoneInfo) -> Requirement:
    written = session.execute(
        select(ReportOutput)
        .where(
            ReportOutput.period_start == period.start,
            ReportOutput.period_end == period.end,
            ReportOutput.version == "public",
            ReportOutput.format == "html",
        )
        .order_by(ReportOutput.written_at.desc())
        .limit(1)
    ).scalar_one_or_none()
    if written is None:
        return Requirement(
            "The council's published documents are accessible",
            clauses.ACCESSIBILITY,
            NOT_MET,
            "No accessible (HTML) public review has been written for this period.",
            (
                f"Write the accessible public review for {period.label}: "
                f"clerk-desk report --public --html FILE (or Reports, HTML).",
            ),
        )
    on = long_date(council_time.local_date(written.written_at, zone))
    return Requirement(
        "The council's published documents are accessible",
        clauses.ACCESSIBILITY,
        MET,
        f"The public review for this period was written as accessible HTML ({written.filename}) on "
        f"{on} by {written.written_by or 'an unknown person'}; "
        f"SHA-256 {written.sha256[:16]}.",
    )


def _handover(session: Session, source: Source, findings: list[checks.Finding]) -> Requirement:
    """A new clerk can take the passwords over: a recovery key for the council's safe, and who holds keys.

    Clerk Desk records the keys and the recovery key, not a handover meeting itself; the evidence says so.
    """
    name = "Credentials are handed over when the clerk changes"
    keys = source.register.keys
    holders = ", ".join(keys.holders) or "nobody"
    recovery = copies.active_recovery(session)
    missing = [f.message for f in findings]
    if keys.sealed_accounts == 0 and recovery is None:
        return Requirement(
            name,
            clauses.CONTROL,
            NOT_RECORDED,
            "No passwords are kept in Clerk Desk and no recovery key has been made, so no handover of "
            "credentials can be shown from the register.",
            (
                "Keep the passwords in Clerk Desk (sealed for the clerk, the deputy and a recovery key), "
                "or keep the signed handover record for the auditor.",
            ),
        )
    held = (
        f"The passwords of {keys.sealed_accounts} accounts are sealed for the people who hold a key "
        f"({holders})"
    )
    if recovery is None:
        return Requirement(
            name, clauses.CONTROL, NOT_MET, f"{held}, and there is no recovery key.", tuple(missing)
        )
    made = f"{long_date(council_time.local_date(recovery.created_at, source.zone))} by {recovery.created_by}"
    return Requirement(
        name,
        clauses.CONTROL,
        MET,
        f"{held} and for the council's recovery key (fingerprint {recovery.fingerprint}, made {made}), "
        "whose emergency sheet lets a new clerk take them over. The handover meeting itself is not recorded.",
        tuple(missing),
    )


# --- as blocks ------------------------------------------------------------------------------------------


def blocks(evidence: Evidence, section: str) -> list[Block]:
    """The evidence under a section heading: the requirements, then what is still missing."""
    rows = tuple((r.name, r.status, f"{r.evidence} ({r.clause})") for r in evidence.requirements)
    result: list[Block] = [
        Heading(section),
        Paragraph(SOURCE_NOTE, note=True),
        Grid(
            f"Assertion 10 requirements, {evidence.period.label}",
            ("Requirement", "Status", "Evidence"),
            rows,
            (30, 13, 57),
            row_headers=True,
        ),
        Heading("What is still missing", 2),
    ]
    missing = evidence.missing()
    if not missing:
        return [*result, Paragraph("Nothing: every requirement is met from the register.")]
    return [
        *result,
        Grid(
            "What is still missing, with the clause it comes from",
            ("What is missing", "Requirement", "Clause"),
            tuple(missing),
            (50, 30, 20),
        ),
    ]


def document(evidence: Evidence, prepared_by: str) -> Document:
    """The evidence on its own, for the internal auditor."""
    generated = long_date(evidence.generated_at.date())
    intro = Paragraph(
        f"{evidence.council_name}, for {evidence.period.label}. Prepared by {prepared_by or '—'} on "
        f"{generated}. Statuses: {MET}, {NOT_MET}, or {NOT_RECORDED} where Clerk Desk holds no record."
    )
    return Document(
        title=f"{TITLE} {year_label(evidence.period)} — {evidence.council_name}",
        heading=TITLE,
        council=evidence.council_name,
        marking="Confidential",
        footnote=f"{short_date(evidence.period.start)} to {short_date(evidence.period.end)} · "
        f"generated {generated}",
        author=prepared_by or evidence.council_name,
        subject=f"{evidence.council_name}: AGAR 2025/26 Assertion 10, digital and data compliance",
        blocks=(intro, *blocks(evidence, "Assertion 10: digital and data compliance")),
    )
