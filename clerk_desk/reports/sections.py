"""The review's sections after the summary: the register, officers and access, incidents, policy health
and the sign-off block."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Spacer,
    Table,
    TableStyle,
)

from clerk_desk.reports import charts
from clerk_desk.reports.data import Review
from clerk_desk.reports.incident_data import IncidentRow, moment_text
from clerk_desk.reports.layout import (
    ACCENT,
    BOLD,
    FONT,
    FRAME_WIDTH,
    RULE,
    count,
    fact_table,
    para,
    scaled,
    table,
)
from clerk_desk.reports.period import long_date, short_date


def register(review: Review) -> list[Flowable]:
    """Section 2: every account of the period, how it is approved and secured; never a secret."""
    story: list[Flowable] = [
        para("2  Register of authorised accounts", "h1"),
        para(
            "Every official account of the council in the period, who approved it and how it is secured "
            "(Barling Magna; Stalbridge 4, req. 1 and 2; Thornbury 9.4–9.6). Passwords are never printed.",
            "small",
        ),
        Spacer(1, 2 * mm),
    ]
    if not review.accounts:
        return [*story, para("No account existed in the period."), PageBreak()]
    rows = [
        [
            f"{a.platform}\n{a.handle}",
            a.purpose,
            a.status,
            f"{a.approved_by}\n{short_date(a.approved_on)}" if a.approved_on else a.approved_by,
            f"2FA: {a.two_factor}\n2FA codes kept: {a.codes_kept}\nCouncil mailbox: {a.council_mailbox}\n"
            + ("" if review.public else f"Recovery: {a.recovery}\n")
            + f"Complaints info: {a.complaints_info}",
            f"Last: {short_date(a.last_changed)}\nNext: {a.next_due}",
        ]
        for a in review.accounts
    ]
    header = [
        "Account",
        "Purpose",
        "Status",
        "Approved by and on",
        "Sign-in and complaints",
        "Password change",
    ]
    story.append(table(header, rows, scaled([18, 17, 11, 14, 23, 17]), size=7.5))
    story.append(PageBreak())
    return story


def access(review: Review) -> list[Flowable]:
    """Section 3: designated officers, delegated access, and what changed in the period."""
    story: list[Flowable] = [
        para("3  Designated officers and delegated access", "h1"),
        para("Designated officers (district policy 5a; Thornbury 3)", "h2"),
    ]
    if review.officers:
        rows = [
            [
                o.person,
                "\n".join(o.accounts),
                o.designated_by,
                short_date(o.designated_on),
                short_date(o.ended_on),
            ]
            for o in review.officers
        ]
        story.append(
            table(
                ["Officer", "Accounts", "Designated by", "From", "Until"], rows, scaled([21, 39, 18, 11, 11])
            )
        )
    else:
        story.append(para("No officer was designated in the period."))
    story.append(para("Delegated access (Thornbury 9.1, 3.1.1)", "h2"))
    if review.grants:
        rows = [
            [
                g.person,
                g.account,
                g.level,
                g.business_case,
                g.approved_by,
                short_date(g.granted_on),
                _grant_end(g.expires_on, g.revoked_on),
            ]
            for g in review.grants
        ]
        story.append(
            table(
                ["Person", "Account", "Level", "Business case", "Approved by", "Granted", "Ends or ended"],
                rows,
                scaled([15, 21, 8, 22, 13, 10, 11]),
            )
        )
    else:
        story.append(para("Nobody held delegated access in the period."))
    story.append(para("Changes in the period", "h2"))
    if review.changes:
        rows = [[short_date(c.on), c.what, c.detail] for c in review.changes]
        story.append(table(["Date", "Change", "Details"], rows, scaled([12, 17, 71])))
    else:
        story.append(para("Nothing changed in the period."))
    story.append(PageBreak())
    return story


def _grant_end(expires_on: object, revoked_on: object) -> str:
    if revoked_on is not None:
        return f"Revoked\n{short_date(revoked_on)}"  # type: ignore[arg-type]
    if expires_on is not None:
        return f"Expires\n{short_date(expires_on)}"  # type: ignore[arg-type]
    return "—"


def incidents(review: Review) -> list[Flowable]:
    """Section 4: charts, the table of incidents, and (confidential version) each incident in full."""
    story: list[Flowable] = [para("4  Incidents", "h1")]
    if not review.incidents:
        return [*story, para("No incidents were reported in the period."), PageBreak()]
    story += [
        charts.per_month(review.per_month, FRAME_WIDTH),
        Spacer(1, 5 * mm),
        charts.per_category(review.per_category, FRAME_WIDTH),
        para("Incidents reported in the period", "h2"),
    ]
    rows = [
        [
            i.reference,
            short_date(i.reported_on),
            i.title,
            f"{i.category}\nSeverity: {i.severity}",
            f"{i.status}\n{short_date(i.closed_on)}" if i.closed_on else i.status,
            i.outcome,
        ]
        for i in review.incidents
    ]
    story.append(
        table(
            ["Reference", "Reported", "Title", "Category", "Status", "Outcome"],
            rows,
            scaled([14, 11, 20, 18, 13, 24]),
            size=7.5,
        )
    )
    if review.public:
        story += [
            Spacer(1, 3 * mm),
            para(
                "This public version leaves out each incident's description, follow-ups and actions, "
                "external parties, evidence and the names of the people involved.",
                "small",
            ),
        ]
    else:
        story.append(CondPageBreak(60 * mm))
        story.append(para("Incident details", "h2"))
        for incident in review.incidents:
            story += incident_details(incident)
    story.append(PageBreak())
    return story


def incident_details(incident: IncidentRow) -> list[Flowable]:
    """One incident in full, for the confidential version: a table of facts under its reference."""
    details = incident.details
    assert details is not None
    discovered = moment_text(details.discovered_at)
    if details.occurred_at:
        discovered += f"; occurred {moment_text(details.occurred_at)}"
    rows: list[tuple[str, str]] = [
        ("Reported", f"{moment_text(details.reported_at)} by {details.reported_by}"),
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
    rows += _listed("Follow-ups", [f"{s.label} ({s.clause}): {s.state}" for s in details.steps])
    rows += _listed("Actions", [f"{moment_text(a.at)}, {a.author}: {a.text}" for a in details.actions])
    rows += _listed(
        "Evidence",
        [
            f"{e.filename}, SHA-256 {e.sha256}, added {moment_text(e.added_at)} by {e.added_by}"
            for e in details.evidence
        ],
    )
    rows += [
        (label, value)
        for label, value in (("Outcome", incident.outcome), ("Lessons", details.lessons))
        if value
    ]
    return [fact_table(f"{incident.reference} · {incident.title}", rows), Spacer(1, 4 * mm)]


def _listed(label: str, items: list[str]) -> list[tuple[str, str]]:
    """One row per item, the label on the first only."""
    return [(label if index == 0 else "", item) for index, item in enumerate(items)]


def policy_health(review: Review) -> list[Flowable]:
    """Section 5: the policy's dates, the audit trail, and every finding grouped by rule."""
    policy = review.policy
    today = review.generated_at.date()
    due = short_date(policy.next_review)
    if policy.next_review is not None and policy.next_review < today:
        due += " (overdue)"
    trail = count(policy.audit_entries, "entry", "entries")
    if policy.audit_head is not None:
        number, digest = policy.audit_head
        trail += f"; the newest is no. {number}, hash {digest[:16]}"
    story: list[Flowable] = [
        para("5  Policy health", "h1"),
        table(
            ["Policy version", "Adopted", "Last reviewed", "Next review due", "Audit trail"],
            [
                [
                    policy.version or "Not set",
                    short_date(policy.adopted_on),
                    short_date(policy.reviewed_on),
                    due,
                    trail,
                ]
            ],
            scaled([14, 14, 14, 18, 40]),
        ),
        para(f"Findings on {long_date(today)}, grouped by rule", "h2"),
    ]
    if not review.findings:
        story.append(para("No findings: the register meets the policy."))
    for group in review.findings:
        story.append(para(f"{group.rule} · {group.clause} · {count(len(group.findings), 'finding')}", "h3"))
        rows = [[f.severity, f.subject, f.message] for f in group.findings]
        story.append(table(["Severity", "Subject", "Finding"], rows, scaled([10, 24, 66])))
    return story


def sign_off(review: Review) -> list[Flowable]:
    """Section 6: name, signature and date for the Chair and the Clerk (Barling Magna)."""
    blank = " "
    rows = [
        ["", "Chair of Council", "Clerk"],
        ["Name", review.chair or blank, review.clerk or blank],
        ["Signature", blank, blank],
        ["Date", blank, blank],
    ]
    block = Table(rows, colWidths=scaled([16, 42, 42]), rowHeights=[18, 34, 44, 34])
    block.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 10, 13),
                ("FONT", (0, 0), (-1, 0), BOLD, 10, 13),
                ("FONT", (0, 1), (0, -1), BOLD, 10, 13),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LINEBELOW", (1, 1), (-1, -1), 0.6, RULE),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 14),
            ]
        )
    )
    intro = (
        f"Received by full council as the review of the council's social-media governance for "
        f"{review.period.label} (Barling Magna; Thornbury 10; Stalbridge 5)."
    )
    if review.meeting:
        intro += f"\nMeeting: {review.meeting}"
    return [
        KeepTogether([Spacer(1, 6 * mm), para("6  Sign-off", "h1"), para(intro), Spacer(1, 6 * mm), block])
    ]
