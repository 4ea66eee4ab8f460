"""The public review for the agenda pack, as blocks: made only from ``public_data.PublicReview``, whose
values are each allowed for publication."""

from __future__ import annotations

from clerk_desk.reports import content
from clerk_desk.reports import elections as election_review
from clerk_desk.reports.blocks import Block, Document, Grid, Heading, PageBreak, Paragraph
from clerk_desk.reports.period import long_date, short_date
from clerk_desk.reports.public_data import PublicReview

VERSION = (
    "Public: made only from what may be published. Incidents appear as their month, category, severity, "
    "status and a public summary; security gaps as totals."
)


def document(review: PublicReview) -> Document:
    """The public review of ``review``."""
    today = review.generated_at.date()
    notes = [
        "The register lists every account of the council in use at some time in the period. Designated "
        "officers are listed by job title; incidents if they were reported in the period.",
        f"Findings and the policy's review dates are as they stood on {long_date(today)}, when this review "
        "was generated. Security gaps are given as totals only, never which account or person they concern. "
        "Passwords are never printed.",
    ]
    blocks: list[Block] = [
        content.cover(
            review.council_name,
            review.period,
            review.generated_at,
            review.prepared_by,
            review.meeting,
            VERSION,
            notes,
            review.logo,
        ),
        PageBreak(),
        *content.summary_figures(review.headline, today),
        PageBreak(),
        *_accounts(review),
        *_officers(review),
        PageBreak(),
        *_incidents(review),
        *election_review.blocks(review.elections, public=True),
        PageBreak(),
        *_policy_health(review),
        content.sign_off("6  Sign-off", review.period, review.meeting, review.chair, review.clerk),
    ]
    return content.review_document(
        review.period, review.council_name, review.generated_at, "Public", review.council_name, blocks
    )


def _accounts(review: PublicReview) -> list[Block]:
    blocks: list[Block] = [
        Heading("2  The council's accounts"),
        Paragraph(
            "Every official account of the council in the period, approved by the clerk "
            "(Barling Magna; Stalbridge 4).",
            note=True,
        ),
    ]
    if not review.accounts:
        return [*blocks, Paragraph("No account was in use in the period.")]
    rows = tuple((a.platform, a.handle, a.purpose or "—", short_date(a.approved_on)) for a in review.accounts)
    return [
        *blocks,
        Grid(
            "The council's accounts",
            ("Platform", "Account", "Purpose", "Approved on"),
            rows,
            (18, 28, 36, 18),
        ),
    ]


def _officers(review: PublicReview) -> list[Block]:
    blocks: list[Block] = [
        Heading("3  Designated officers"),
        Paragraph(
            "The officers who may post in the council's name at the end of the period, by job title "
            "(district policy 5a; Thornbury 3).",
            note=True,
        ),
    ]
    if not review.officers:
        return [*blocks, Paragraph("No officer was designated at the end of the period.")]
    rows = tuple((o.job_title, ", ".join(o.accounts) or "—") for o in review.officers)
    return [
        *blocks,
        Grid("Designated officers", ("Job title", "May post on"), rows, (35, 65), row_headers=True),
    ]


def _incidents(review: PublicReview) -> list[Block]:
    blocks: list[Block] = [Heading("4  Incidents")]
    if not review.incidents:
        return [*blocks, Paragraph("No incidents were reported in the period.")]
    blocks += content.charts(review.per_month, review.per_category)
    blocks.append(Heading("Incidents reported in the period", 2))
    rows = tuple((i.month, i.category, i.severity, i.status, i.summary or "—") for i in review.incidents)
    blocks.append(
        Grid(
            "Incidents reported in the period",
            ("Month", "Category", "Severity", "Status", "Summary"),
            rows,
            (16, 22, 11, 15, 36),
        )
    )
    blocks.append(
        Paragraph(
            "Each incident is described only by the summary the clerk wrote for publication; one without "
            "a summary is shown by its category alone.",
            note=True,
        )
    )
    return blocks


def _policy_health(review: PublicReview) -> list[Block]:
    policy = review.policy
    today = review.generated_at.date()
    blocks: list[Block] = [
        Heading("5  Policy health"),
        content.policy_dates(
            policy.version, policy.adopted_on, policy.reviewed_on, policy.next_review, today
        ),
        Heading(f"Gaps on {long_date(today)}", 2),
    ]
    if not review.gaps:
        return [*blocks, Paragraph("None: the register meets the policy.")]
    return [
        *blocks,
        Grid("Security and governance gaps, as totals", ("Gap", "Clause"), tuple(review.gaps), (70, 30)),
    ]
