"""The confidential review for councillors and officers, as blocks: everything the register holds for the
period, each incident in full, every finding, and the Assertion 10 evidence."""

from __future__ import annotations

from clerk_desk.reports import assertion10, content
from clerk_desk.reports import elections as election_review
from clerk_desk.reports.blocks import Block, Document, Facts, Grid, Heading, PageBreak, Paragraph
from clerk_desk.reports.data import Review
from clerk_desk.reports.incident_data import IncidentRow, moment_text
from clerk_desk.reports.period import long_date, short_date

VERSION = "Confidential: for councillors and officers; not for publication."


def document(review: Review) -> Document:
    """The confidential review of ``review``."""
    today = review.generated_at.date()
    blocks: list[Block] = [
        content.cover(
            review.council_name,
            review.period,
            review.generated_at,
            review.prepared_by,
            review.meeting,
            VERSION,
            _scope_notes(review),
            review.logo,
        ),
        PageBreak(),
        *content.summary_figures(review.headline, today),
        *_assessment(review),
        PageBreak(),
        *_register(review),
        PageBreak(),
        *_access(review),
        PageBreak(),
        *_incidents(review),
        *election_review.blocks(review.elections, public=False),
        PageBreak(),
        *_policy_health(review),
        PageBreak(),
        *assertion10.blocks(review.assertion10, section="6  Assertion 10 evidence"),
        content.sign_off("7  Sign-off", review.period, review.meeting, review.chair, review.clerk),
    ]
    return content.review_document(
        review.period,
        review.council_name,
        review.generated_at,
        "Confidential",
        review.prepared_by or review.council_name,
        blocks,
    )


def _scope_notes(review: Review) -> list[str]:
    return [
        "The register lists every account that existed at some time in the period: accounts closed before "
        "it began are left out, and proposals awaiting approval are included. Grants and designations are "
        "listed if they were in force at some time in the period; incidents if they were reported in it.",
        f"Findings, the policy's review dates and each account's next password change are as they stood "
        f"on {long_date(review.generated_at.date())}, when this review was generated. Passwords are kept in "
        "the password store and never appear in this review. Policy health prints the audit trail's newest "
        "entry, so that a later check (clerk-desk audit --verify) can show nothing recorded before this "
        "review was changed or removed.",
    ]


def _assessment(review: Review) -> list[Block]:
    blocks: list[Block] = [Heading("The clerk's assessment", 2)]
    if not review.assessment.strip():
        return [*blocks, Paragraph("No assessment has been written for this period.", note=True)]
    blocks += [Paragraph(part.strip()) for part in review.assessment.split("\n\n") if part.strip()]
    if review.assessment_by:
        blocks.append(Paragraph(f"— {review.assessment_by}", note=True))
    return blocks


def _register(review: Review) -> list[Block]:
    """Section 2: every account of the period, how it is approved and secured; never a secret."""
    blocks: list[Block] = [
        Heading("2  Register of authorised accounts"),
        Paragraph(
            "Every official account of the council in the period, who approved it and how it is secured "
            "(Barling Magna; Stalbridge 4, req. 1 and 2; Thornbury 9.4–9.6). Passwords are never printed.",
            note=True,
        ),
    ]
    if not review.accounts:
        return [*blocks, Paragraph("No account existed in the period.")]
    rows = tuple(
        (
            f"{a.platform}\n{a.handle}",
            a.purpose,
            a.status,
            f"{a.approved_by}\n{short_date(a.approved_on)}" if a.approved_on else a.approved_by,
            f"2FA: {a.two_factor}\n2FA codes kept: {a.codes_kept}\nCouncil mailbox: {a.council_mailbox}\n"
            f"Recovery: {a.recovery}\nComplaints info: {a.complaints_info}",
            f"Last: {short_date(a.last_changed)}\nNext: {a.next_due}",
        )
        for a in review.accounts
    )
    header = (
        "Account",
        "Purpose",
        "Status",
        "Approved by and on",
        "Sign-in and complaints",
        "Password change",
    )
    return [*blocks, Grid("Accounts in the period", header, rows, (18, 15, 12, 15, 23, 17), row_headers=True)]


def _access(review: Review) -> list[Block]:
    """Section 3: designated officers, delegated access, and what changed in the period."""
    blocks: list[Block] = [
        Heading("3  Designated officers and delegated access"),
        Heading("Designated officers (district policy 5a; Thornbury 3)", 2),
    ]
    if review.officers:
        rows = tuple(
            (
                o.person,
                "\n".join(o.accounts) or "—",
                o.designated_by,
                short_date(o.designated_on),
                short_date(o.ended_on) if o.ended_on else "In post",
            )
            for o in review.officers
        )
        blocks.append(
            Grid(
                "Designated officers in the period",
                ("Officer", "May post on", "Designated by", "Designated", "Ended"),
                rows,
                (20, 29, 18, 16, 17),
                row_headers=True,
            )
        )
    else:
        blocks.append(Paragraph("No officer was designated in the period."))
    blocks.append(Heading("Delegated access (Thornbury 9.1, 3.1.1)", 2))
    if review.grants:
        grant_rows = tuple(
            (
                g.person,
                g.account,
                g.level,
                g.business_case,
                g.approved_by,
                short_date(g.granted_on),
                _grant_end(g.expires_on, g.revoked_on),
            )
            for g in review.grants
        )
        blocks.append(
            Grid(
                "Grants of delegated access in force in the period",
                ("Person", "Account", "Level", "Business case", "Approved by", "Granted", "Ends or ended"),
                grant_rows,
                (15, 20, 10, 20, 13, 11, 11),
            )
        )
    else:
        blocks.append(Paragraph("Nobody held delegated access in the period."))
    blocks.append(Heading("Changes in the period", 2))
    if review.changes:
        change_rows = tuple((short_date(c.on), c.what, c.detail) for c in review.changes)
        blocks.append(Grid("Changes in the period", ("Date", "Change", "Details"), change_rows, (14, 20, 66)))
    else:
        blocks.append(Paragraph("Nothing changed in the period."))
    return blocks


def _grant_end(expires_on: object, revoked_on: object) -> str:
    if revoked_on is not None:
        return f"Revoked\n{short_date(revoked_on)}"  # type: ignore[arg-type]
    if expires_on is not None:
        return f"Expires\n{short_date(expires_on)}"  # type: ignore[arg-type]
    return "—"


def _incidents(review: Review) -> list[Block]:
    """Section 4: charts, the table of incidents, and each incident in full."""
    blocks: list[Block] = [Heading("4  Incidents")]
    if not review.incidents:
        return [*blocks, Paragraph("No incidents were reported in the period.")]
    blocks += content.charts(review.per_month, review.per_category)
    blocks.append(Heading("Incidents reported in the period", 2))
    rows = tuple(
        (
            i.reference,
            short_date(i.reported_on),
            i.title,
            f"{i.category}\nSeverity: {i.severity}",
            f"{i.status}\n{short_date(i.closed_on)}" if i.closed_on else i.status,
            i.outcome,
        )
        for i in review.incidents
    )
    blocks.append(
        Grid(
            "Incidents reported in the period",
            ("Reference", "Reported", "Title", "Category", "Status", "Outcome"),
            rows,
            (15, 12, 20, 18, 12, 23),
            row_headers=True,
        )
    )
    blocks.append(Heading("Incident details", 2))
    for incident in review.incidents:
        blocks.append(incident_details(incident))
    return blocks


def incident_details(incident: IncidentRow) -> Facts:
    """One incident in full: its facts under its reference and title."""
    details = incident.details
    assert details is not None
    zone = details.zone
    discovered = moment_text(details.discovered_at, zone)
    if details.occurred_at:
        discovered += f"; occurred {moment_text(details.occurred_at, zone)}"
    rows: list[tuple[str, str]] = [
        ("Reported", f"{moment_text(details.reported_at, zone)} by {details.reported_by}"),
        ("Discovered", discovered),
        ("Category", f"{incident.category}; severity {incident.severity.lower()}; {incident.status.lower()}"),
    ]
    optional = (
        ("Accounts", ", ".join(details.accounts)),
        ("People involved", ", ".join(details.people)),
        ("External party", details.external_party),
        ("Notes", details.flags),
        ("ICO", details.ico),
        ("Description", details.description),
    )
    rows += [(label, value) for label, value in optional if value]
    rows += _listed("ICO assessment", list(details.assessments))
    rows += _listed("Follow-ups", [f"{s.label} ({s.clause}): {s.state}" for s in details.steps])
    rows += _listed("Actions", [f"{moment_text(a.at, zone)}, {a.author}: {a.text}" for a in details.actions])
    rows += _listed(
        "Evidence",
        [
            f"{e.filename}, SHA-256 {e.sha256}, added {moment_text(e.added_at, zone)} by {e.added_by}"
            for e in details.evidence
        ],
    )
    closing = (
        ("Outcome", incident.outcome),
        ("Lessons", details.lessons),
        ("Public summary", details.public_summary),
    )
    rows += [(label, value) for label, value in closing if value]
    return Facts(f"{incident.reference} · {incident.title}", tuple(rows))


def _listed(label: str, items: list[str]) -> list[tuple[str, str]]:
    """One row per item, the label on the first only."""
    return [(label if index == 0 else "", item) for index, item in enumerate(items)]


def _policy_health(review: Review) -> list[Block]:
    """Section 5: the policy's dates, the audit trail, and every finding grouped by rule."""
    policy = review.policy
    today = review.generated_at.date()
    trail = f"The audit trail holds {content.count(policy.audit_entries, 'entry', 'entries')}"
    if policy.audit_head is not None:
        number, digest = policy.audit_head
        trail += f"; the newest is no. {number}, hash {digest[:16]}"
    blocks: list[Block] = [
        Heading("5  Policy health"),
        content.policy_dates(
            policy.version, policy.adopted_on, policy.reviewed_on, policy.next_review, today
        ),
        Paragraph(trail + "."),
        Heading(f"Findings on {long_date(today)}, grouped by rule", 2),
    ]
    if not review.findings:
        blocks.append(Paragraph("No findings: the register meets the policy."))
    for group in review.findings:
        title = f"{group.rule} · {group.clause} · {content.count(len(group.findings), 'finding')}"
        blocks.append(Heading(title, 3))
        rows = tuple((f.severity, f.subject, f.message) for f in group.findings)
        blocks.append(Grid(title, ("Severity", "Subject", "Finding"), rows, (12, 24, 64)))
    return blocks
