"""The annual review PDF for full council: cover, summary, register, officers and access, incidents,
policy health and sign-off, on A4 with the council's name, the marking and "Page X of Y" on every page.

``create`` is what the CLI and the Reports page call. It gathers the figures (``data.gather``) and lays
them out (``render``); ``render`` reads no database, so the window can run it on a worker thread.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    Image,
    PageBreak,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)
from sqlalchemy.orm import Session

from clerk_desk import fields
from clerk_desk.credentials.service import VaultSnapshot
from clerk_desk.reports import data, figures, sections
from clerk_desk.reports.layout import (
    ACCENT,
    BOLD,
    FONT,
    FRAME_WIDTH,
    MARGIN,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    RULE,
    count,
    para,
    register_fonts,
    scaled,
    table,
    wrap,
)
from clerk_desk.reports.output import check_output, write_atomically
from clerk_desk.reports.pages import Decorations, canvas_maker
from clerk_desk.reports.period import Period, long_date, short_date, year_label
from clerk_desk.storage.clock import Clock

#: Called with a percentage (0–100) and what is being done.
Progress = Callable[[int, str], None]
TITLE = "Social media annual review"


def create(
    session: Session,
    clock: Clock,
    period: Period,
    out: Path,
    *,
    public: bool = False,
    meeting: str = "",
    prepared_by: str = "",
    vault: VaultSnapshot | None = None,
    progress: Progress | None = None,
) -> Path:
    """Write the review for ``period`` to ``out``; returns the path written.

    Raises ValidationError for a bad output path or meeting reference, ClerkDeskError when the file cannot
    be written; no partial file is ever left behind.
    """
    report = _progress(progress)
    meeting = fields.text({"meeting": meeting}, "meeting", max_length=200) or ""
    check_output(out)  # before the work, so a mistyped folder is reported at once
    report(2, "Gathering the figures")
    review = data.gather(
        session, clock, period, public=public, meeting=meeting, prepared_by=prepared_by, vault=vault
    )
    return render(review, out, progress)


def render(review: data.Review, out: Path, progress: Progress | None = None) -> Path:
    """Lay the review out and write it to ``out``."""
    report = _progress(progress)
    register_fonts()
    report(10, "Laying out the pages")
    story = build_story(review)
    span = f"{short_date(review.period.start)} to {short_date(review.period.end)}"
    generated = long_date(review.generated_at.date())
    decorations = Decorations(review.council_name, review.marking, TITLE, f"{span} · generated {generated}")

    # reportlab reports each flowable laid out; pass on only whole steps of a percent.
    state = {"total": 1, "shown": -1}

    def on_progress(kind: str, value: int) -> None:
        if kind == "SIZE_EST":
            state["total"] = max(1, value)
        elif kind == "PROGRESS":
            percent = 12 + int(83 * min(1.0, value / state["total"]))
            if percent > state["shown"]:
                state["shown"] = percent
                report(percent, "Laying out the pages")

    def write(path: Path) -> None:
        doc = _document(path, review, decorations)
        doc.setProgressCallBack(on_progress)
        doc.build(story, canvasmaker=canvas_maker(decorations))

    written = write_atomically(out, write)
    report(100, "Done")
    return written


def _progress(progress: Progress | None) -> Progress:
    return progress or (lambda percent, message: None)


def _document(path: Path, review: data.Review, decorations: Decorations) -> BaseDocTemplate:
    frame = Frame(
        MARGIN, 18 * mm, FRAME_WIDTH, PAGE_HEIGHT - 36 * mm, id="body", leftPadding=0, rightPadding=0
    )
    doc = BaseDocTemplate(
        str(path),
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=f"{TITLE} {year_label(review.period)} — {review.council_name}",
        author=review.prepared_by or review.council_name,
        subject=(
            f"{review.council_name}: review of social-media governance, {review.period.label} "
            f"({review.marking})"
        ),
        creator="Clerk Desk",
        keywords=["social media", "annual review", review.marking],
        lang="en-GB",
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=decorations.header)])
    return doc


def build_story(review: data.Review) -> list[Flowable]:
    """Every flowable of the review, in order."""
    story: list[Flowable] = []
    story += _cover(review)
    story += _summary(review)
    story += sections.register(review)
    story += sections.access(review)
    story += sections.incidents(review)
    story += sections.policy_health(review)
    story += sections.sign_off(review)
    return story


# --- cover ----------------------------------------------------------------------------------------------


def _logo(data_bytes: bytes | None) -> Flowable | None:
    if not data_bytes:
        return None
    try:
        image = Image(io.BytesIO(data_bytes))
    except Exception:  # a logo reportlab cannot read is left off rather than failing the review
        return None
    scale = min(55 * mm / image.imageWidth, 32 * mm / image.imageHeight)
    image.drawWidth, image.drawHeight = image.imageWidth * scale, image.imageHeight * scale
    image.hAlign = "LEFT"
    return image


def _cover(review: data.Review) -> list[Flowable]:
    story: list[Flowable] = [Spacer(1, 18 * mm)]
    logo = _logo(review.logo)
    if logo is not None:
        story += [logo, Spacer(1, 8 * mm)]
    story += [
        para(review.council_name, "cover_council"),
        para(TITLE, "cover_title"),
        para(review.period.label, "cover_period"),
        Spacer(1, 14 * mm),
    ]
    version = (
        "Public: incident descriptions, external parties, evidence and the names of the people involved "
        "in incidents are left out."
        if review.public
        else "Confidential: for councillors and officers; not for publication."
    )
    rows = [
        ("Period", review.period.label),
        ("Prepared by", review.prepared_by or "—"),
        ("Date", long_date(review.generated_at.date())),
    ]
    if review.meeting:
        rows.append(("Meeting", review.meeting))
    rows.append(("Version", version))
    label_width = 36 * mm
    facts = Table(
        [[label, wrap(value, FRAME_WIDTH - label_width - 8, FONT, 10)] for label, value in rows],
        colWidths=[label_width, FRAME_WIDTH - label_width],
    )
    facts.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 10, 13),
                ("FONT", (0, 0), (0, -1), BOLD, 10, 13),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEABOVE", (0, 0), (-1, 0), 0.8, ACCENT),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    story += [facts, Spacer(1, 12 * mm), para("About this review", "h3")]
    story += [para(note, "small") for note in _scope_notes(review)]
    story.append(PageBreak())
    return story


def _scope_notes(review: data.Review) -> list[str]:
    notes = [
        "The register lists every account that existed at some time in the period: accounts closed before "
        "it began are left out, and proposals awaiting approval are included. Grants and designations are "
        "listed if they were in force at some time in the period; incidents if they were reported in it.",
        f"Findings, the policy's review dates and each account's next password change are as they stood "
        f"on {long_date(review.generated_at.date())}, when this review was generated. Passwords are kept in "
        "the password store and never appear in this review. Policy health prints the audit trail's newest "
        "entry, so that a later check (clerk-desk audit --verify) can show nothing recorded before this "
        "review was changed or removed.",
    ]
    if review.public:
        notes.append(
            "In this public version, names of people involved in incidents and external parties are shown "
            "as [withheld] where they appear in a title, outcome or finding."
        )
    return notes


# --- summary ---------------------------------------------------------------------------------------------


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


def _headline_rows(h: figures.Headline, today: date) -> list[tuple[str, ...]]:
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
    return [
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
    ]


def _summary(review: data.Review) -> list[Flowable]:
    h = review.headline
    rows = _headline_rows(h, review.generated_at.date())
    headline_table = table(["Headline figures", ""], rows, scaled([45, 55]), size=8.5)
    story: list[Flowable] = [para("1  Summary", "h1"), headline_table]
    story.append(para("Incidents by category and severity", "h2"))
    if h.incident_matrix:
        severities = [s.value for s in figures.SEVERITIES]
        body = []
        for category, counts in h.incident_matrix.items():
            body.append([category, *(str(counts.get(s, 0)) for s in severities), str(sum(counts.values()))])
        totals = [sum(h.incident_matrix[c].get(s, 0) for c in h.incident_matrix) for s in severities]
        body.append(["Total", *(str(t) for t in totals), str(sum(totals))])
        last = len(body)
        story.append(
            table(
                ["Category", *(s.capitalize() for s in severities), "Total"],
                body,
                scaled([40, 12, 12, 12, 12, 12]),
                extra=[
                    ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                    ("FONT", (0, last), (-1, last), BOLD, 8, 10.5),
                    ("LINEABOVE", (0, last), (-1, last), 0.6, ACCENT),
                ],
            )
        )
    else:
        story.append(para("No incidents were reported in the period."))
    story.append(para("The clerk's assessment", "h2"))
    if review.assessment.strip():
        story += [para(part.strip()) for part in review.assessment.split("\n\n") if part.strip()]
        if review.assessment_by:
            story.append(para(f"— {review.assessment_by}", "small"))
    else:
        story.append(para("No assessment has been written for this period.", "small"))
    story.append(PageBreak())
    return story


__all__ = ["Progress", "build_story", "create", "render"]
