"""The annual review's section on each pre-election period in its dates: the checklist, removals and
exceptions. The public version gives counts only: no content, reasons or names."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from clerk_desk.elections import moderation, periods
from clerk_desk.register import accounts
from clerk_desk.register import settings as council_settings
from clerk_desk.reports.blocks import Block, Grid, Heading, Paragraph
from clerk_desk.reports.content import count
from clerk_desk.reports.incident_data import moment_text
from clerk_desk.reports.period import Period, short_date


@dataclass(frozen=True)
class PeriodSummary:
    """One pre-election period as the review prints it."""

    name: str
    notice_on: date
    poll_on: date
    elections: str
    accounts: int
    notices: int
    reviewed: int
    suspended: int
    partnership: str
    briefing: str
    removals: int
    exceptions: int
    candidates: int
    #: The rest is for the confidential version only (empty in the public one).
    checklist: list[tuple[str, str, str, str]] = field(default_factory=list)
    removal_rows: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    exception_rows: list[tuple[str, str, str, str]] = field(default_factory=list)


def _done(on: date | None) -> str:
    return short_date(on) if on else "not recorded"


def gather(session: Session, period: Period, *, public: bool) -> list[PeriodSummary]:
    """Every pre-election period that overlaps the review's dates."""
    found = [
        p for p in periods.all_periods(session) if p.notice_on <= period.end and p.poll_on >= period.start
    ]
    if not found:
        return []
    registered = accounts.all_accounts(session)
    log = moderation.all_entries(session)
    zone = council_settings.time_zone(session)
    result = []
    for p in sorted(found, key=lambda p: p.notice_on):
        rows = periods.checklist(p, registered)
        removed = moderation.between(log, p.notice_on, p.poll_on, zone)
        result.append(
            PeriodSummary(
                name=p.name,
                notice_on=p.notice_on,
                poll_on=p.poll_on,
                elections=p.elections or "",
                accounts=sum(1 for r in rows if r.needs_notice),
                notices=sum(1 for r in rows if r.needs_notice and r.notice_posted_on),
                reviewed=sum(1 for r in rows if r.posts_reviewed_on),
                suspended=sum(1 for r in rows if not r.needs_notice),
                partnership=_done(p.partnership_handled_on),
                briefing=_done(p.staff_briefed_on),
                removals=len(removed),
                exceptions=len(p.exceptions),
                candidates=len(p.candidates),
                checklist=[]
                if public
                else [
                    (
                        r.account.name,
                        r.state,
                        _done(r.notice_posted_on) if r.needs_notice else "not needed",
                        _done(r.posts_reviewed_on),
                    )
                    for r in rows
                ],
                removal_rows=[]
                if public
                else [
                    (moment_text(e.at, zone), e.account.name, e.action, e.content, e.reason) for e in removed
                ],
                exception_rows=[]
                if public
                else [(short_date(e.approved_on), e.approved_by, e.what, e.reason) for e in p.exceptions],
            )
        )
    return result


def blocks(summaries: list[PeriodSummary], public: bool) -> list[Block]:
    """The section's blocks; nothing when no period falls in the review's dates."""
    if not summaries:
        return []
    result: list[Block] = [Heading("Pre-election periods")]
    for s in summaries:
        result.append(Heading(f"{s.name}: {short_date(s.notice_on)} to {short_date(s.poll_on)}", 2))
        if s.elections:
            result.append(Paragraph(f"Covers: {s.elections}"))
        rows = (
            ("Pre-election notice posted", f"{s.notices} of {count(s.accounts, 'active account')}"),
            ("Scheduled posts reviewed", f"{s.reviewed} of {count(s.accounts + s.suspended, 'account')}"),
            ("Accounts suspended", str(s.suspended)),
            ("Partnership profiles handled", s.partnership),
            ("Staff and officers briefed", s.briefing),
            ("Content removed or hidden in the period", str(s.removals)),
            ("Exceptions approved", str(s.exceptions)),
            ("People standing who were marked", str(s.candidates)),
        )
        result.append(Grid(f"Checklist of {s.name}", ("Checklist", "Done"), rows, (55, 45), row_headers=True))
        if public:
            continue
        if s.checklist:
            result.append(
                Grid(
                    f"Each account during {s.name}",
                    ("Account", "State", "Notice posted", "Posts reviewed"),
                    tuple(s.checklist),
                    (40, 22, 19, 19),
                    row_headers=True,
                )
            )
        if s.removal_rows:
            result.append(
                Grid(
                    f"Moderation log during {s.name}",
                    ("When", "Account", "Action", "Content", "Why"),
                    tuple(s.removal_rows),
                    (18, 20, 10, 27, 25),
                )
            )
        if s.exception_rows:
            result.append(
                Grid(
                    f"Exceptions approved during {s.name}",
                    ("Approved", "By", "What", "Why"),
                    tuple(s.exception_rows),
                    (16, 20, 32, 32),
                )
            )
    return result
