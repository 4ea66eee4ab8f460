"""What both versions of the review print alike: the cover, the headline figures, the incident charts and
matrix, the policy's dates and the sign-off, as blocks."""

from __future__ import annotations

from datetime import date, datetime

from clerk_desk.reports import figures
from clerk_desk.reports.blocks import Block, Chart, Cover, Document, Grid, Heading, Paragraph, SignOff
from clerk_desk.reports.period import Period, long_date, short_date, year_label

TITLE = "Social media annual review"


def count(number: int, noun: str, plural: str | None = None) -> str:
    """``1 finding``, ``2 findings``."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def full_title(period: Period, council: str) -> str:
    """``Social media annual review 2025–26 — Little Ashcombe Town Council``."""
    return f"{TITLE} {year_label(period)} — {council}"


def footnote(period: Period, generated_at: datetime) -> str:
    span = f"{short_date(period.start)} to {short_date(period.end)}"
    return f"{span} · generated {long_date(generated_at.date())}"


def review_document(
    period: Period, council: str, generated_at: datetime, marking: str, author: str, blocks: list[Block]
) -> Document:
    """The annual review's document around its blocks: the same title, footnote and subject for the
    confidential and the public version, but for the marking."""
    return Document(
        title=full_title(period, council),
        heading=TITLE,
        council=council,
        marking=marking,
        footnote=footnote(period, generated_at),
        author=author,
        subject=f"{council}: review of social-media governance, {period.label} ({marking})",
        blocks=tuple(blocks),
    )


def cover(
    council: str,
    period: Period,
    generated_at: datetime,
    prepared_by: str,
    meeting: str,
    version: str,
    notes: list[str],
    logo: bytes | None,
) -> Cover:
    facts = [
        ("Period", period.label),
        ("Prepared by", prepared_by or "—"),
        ("Date", long_date(generated_at.date())),
    ]
    if meeting:
        facts.append(("Meeting", meeting))
    facts.append(("Version", version))
    return Cover(council, TITLE, period.label, tuple(facts), tuple(notes), logo)


REASONS = {
    "first_set": "first set",
    "scheduled": "scheduled",
    "suspected_compromise": "after a suspected compromise",
    "keyholder_left": "after a keyholder left",
    "other": "other",
}


def _reasons(by_reason: dict[str, int]) -> str:
    """`` (4 scheduled, 1 after a suspected compromise)``; nothing when every change had no stated reason."""
    if set(by_reason) <= {"other"}:
        return ""
    return " (" + ", ".join(f"{n} {REASONS.get(r, r)}" for r, n in sorted(by_reason.items())) + ")"


def headline_rows(h: figures.Headline, today: date) -> tuple[tuple[str, ...], ...]:
    """Label and value rows; a one-item row is a group heading."""
    if h.median_days_to_close is None:
        median = "No incident reported in the period has been closed"
    else:
        closed = h.incidents - h.incidents_open
        median = f"{h.median_days_to_close:.1f} days (of {count(closed, 'closed incident')})"
    if h.ico_decisions + h.ico_awaiting == 0:
        ico = "No personal-data breach in the period needed a decision"
    else:
        ico = f"{h.ico_within_72_hours} of {count(h.ico_decisions, 'decision')} made"
        if h.ico_awaiting:
            ico += f"; {h.ico_awaiting} still awaiting a decision"
    findings = " · ".join(f"{s.capitalize()} {n}" for s, n in h.findings_by_severity.items())
    return (
        ("Accounts (Barling Magna; Stalbridge 4)",),
        ("Active at the end of the period", str(h.accounts_active)),
        ("Opened in the period", str(h.accounts_opened)),
        ("Closed in the period", str(h.accounts_closed)),
        ("Designated officers (district policy 5a; Thornbury 3)",),
        ("In post at the end of the period", str(h.officers)),
        ("Designated / ended in the period", f"{h.officers_designated} / {h.officers_ended}"),
        ("Delegated access (Thornbury 9.1)",),
        ("Grants in force at the end of the period", str(h.grants_in_force)),
        (
            "Made / revoked / expired in the period",
            f"{h.grants_made} / {h.grants_revoked} / {h.grants_expired}",
        ),
        ("Passwords (Thornbury 9.4)",),
        ("Changes made in the period", f"{h.password_changes}{_reasons(h.password_changes_by_reason)}"),
        (
            "Changes that fell due in the period",
            f"{h.passwords_due}, of which {h.passwords_due_met} made by the date due",
        ),
        ("Incidents",),
        ("Reported in the period", f"{h.incidents} ({h.incidents_open} not yet closed)"),
        ("Median days from report to closure", median),
        ("ICO decisions within 72 hours (UK GDPR Art. 33)", ico),
        (f"Policy findings on {long_date(today)}",),
        ("Open findings by severity", findings),
    )


def summary_figures(h: figures.Headline, today: date) -> list[Block]:
    """The headline table and the incidents by category and severity."""
    blocks: list[Block] = [
        Heading("1  Summary"),
        Grid(
            "Headline figures",
            ("Figure", "Value"),
            headline_rows(h, today),
            (45, 55),
            row_headers=True,
        ),
        Heading("Incidents by category and severity", 2),
    ]
    if not h.incident_matrix:
        return [*blocks, Paragraph("No incidents were reported in the period.")]
    severities = [s.value for s in figures.SEVERITIES]
    body = [
        (category, *(str(counts.get(s, 0)) for s in severities), str(sum(counts.values())))
        for category, counts in h.incident_matrix.items()
    ]
    totals = [sum(h.incident_matrix[c].get(s, 0) for c in h.incident_matrix) for s in severities]
    body.append(("Total", *(str(t) for t in totals), str(sum(totals))))
    blocks.append(
        Grid(
            "Incidents reported in the period, by category and severity",
            ("Category", *(s.capitalize() for s in severities), "Total"),
            tuple(body),
            (40, 12, 12, 12, 12, 12),
            numeric=(1, 2, 3, 4, 5),
            total=True,
            row_headers=True,
        )
    )
    return blocks


def charts(per_month: list[tuple[str, int]], per_category: list[tuple[str, int]]) -> list[Block]:
    return [
        Chart("Incidents reported per month", "month", tuple(per_month)),
        Chart("Incidents reported per category", "category", tuple(per_category)),
    ]


def policy_dates(
    version: str, adopted_on: date | None, reviewed_on: date | None, next_review: date | None, today: date
) -> Grid:
    due = short_date(next_review)
    if next_review is not None and next_review < today:
        due += " (overdue)"
    return Grid(
        "The social-media policy (Thornbury 10; Stalbridge 5)",
        ("Policy version", "Adopted", "Last reviewed", "Next review due"),
        ((version or "Not set", short_date(adopted_on), short_date(reviewed_on), due),),
        (25, 25, 25, 25),
    )


def sign_off(section: str, period: Period, meeting: str, chair: str, clerk: str) -> SignOff:
    """Name, signature and date for the Chair and the Clerk (Barling Magna)."""
    intro = (
        f"Received by full council as the review of the council's social-media governance for "
        f"{period.label} (Barling Magna; Thornbury 10; Stalbridge 5)."
    )
    if meeting:
        intro += f"\nMeeting: {meeting}"
    return SignOff(section, intro, chair, clerk)
