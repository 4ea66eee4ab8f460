"""One incident's breach record on one A4 page, for the ICO or the auditor.

It carries what the ICO expects a breach log to hold: what happened and the causes, the personal data
affected and how many people and records, the likely consequences, the steps taken, the reasons for
reporting or not reporting (and for any delay), every assessment and reassessment, and whether the
people affected were told (UK GDPR Arts. 33 and 34). Long texts are shortened so the record stays on
one page; the full text is in the incident and the confidential annual review.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Spacer
from sqlalchemy.orm import Session

from clerk_desk import council_time
from clerk_desk.incidents import assessment
from clerk_desk.incidents import lifecycle as incidents
from clerk_desk.models import Incident, IncidentCategory, IncidentStatus
from clerk_desk.register import settings as council_settings
from clerk_desk.reports.incident_data import _ico, _step, moment_text
from clerk_desk.reports.layout import (
    BOLD,
    CELL_PAD,
    FACT_LABEL_WIDTH,
    FRAME_WIDTH,
    MARGIN,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    fact_table,
    para,
    register_fonts,
    wrap,
)
from clerk_desk.reports.output import check_output, write_atomically
from clerk_desk.reports.pages import Decorations, canvas_maker
from clerk_desk.reports.period import long_date
from clerk_desk.storage.clock import Clock

TITLE = "Breach record"
SIZE = 9
#: Characters of a free text kept on the page.
SHORT = 420
LONG = 900


@dataclass(frozen=True)
class Record:
    """The record's text, read from the database before layout."""

    council: str
    reference: str
    generated_at: datetime
    sections: list[tuple[str, list[tuple[str, str]]]]


def _cut(text: str | None, limit: int = SHORT) -> str:
    text = (text or "").strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _count(value: int | None) -> str:
    return "not known" if value is None else f"{value:,}"


def gather(session: Session, clock: Clock, incident_id: int) -> Record:
    """Everything the page prints about one incident."""
    incident = incidents.get(session, incident_id)
    settings = council_settings.load(session)
    zone = settings.time_zone
    sections = [
        ("What happened", _what(incident, zone)),
        ("Assessment of the risk (ICO self-assessment)", _assessment(incident, zone)),
        ("Reporting to the ICO (UK GDPR Art. 33)", _reporting(incident, zone)),
        ("Telling the people affected (UK GDPR Art. 34)", _told(incident, zone)),
        ("Steps taken", _steps(incident, zone)),
    ]
    council = settings.council_name or "Clerk Desk"
    generated = council_time.local(clock.now(), zone)  # its date is the council's date
    return Record(council, incident.reference, generated, [(t, rows) for t, rows in sections if rows])


def _what(incident: Incident, zone: ZoneInfo) -> list[tuple[str, str]]:
    discovered = moment_text(incidents.discovered(incident), zone)
    if incident.occurred_at:
        discovered += f"; occurred {moment_text(incident.occurred_at, zone)}"
    kind = IncidentCategory(incident.category).label + (" (a near miss)" if incident.near_miss else "")
    return [
        ("Incident", f"{incident.reference}: {_cut(incident.title, 200)}"),
        ("Kind", f"{kind}; severity {incident.severity}; {IncidentStatus(incident.status).label.lower()}"),
        ("Discovered", discovered),
        ("Reported", f"{moment_text(incident.reported_at, zone)} by {incident.reported_by}"),
        ("Accounts", ", ".join(a.name for a in incident.accounts) or "—"),
        ("What and why", _cut(incident.description, LONG)),
    ]


def _assessment(incident: Incident, zone: ZoneInfo) -> list[tuple[str, str]]:
    latest = assessment.current(incident)
    if latest is None:
        personal = assessment.is_personal(incident)
        return [("Assessment", "Not yet recorded." if personal else "No personal data is involved.")]
    rows = [
        ("Living people", "Yes, living people's data is involved" if latest.living_people else "No"),
        (
            "Risk",
            f"likelihood {latest.likelihood}, severity {latest.severity}: risk level "
            f"{latest.risk_level.value.upper()}",
        ),
        ("People", _count(latest.people_affected)),
        ("Records", _count(latest.records_affected)),
        ("Kinds of data", _cut(latest.data_kinds) or "—"),
        ("Likely harm", _cut(latest.consequences) or "—"),
        ("Mitigation", _cut(latest.mitigation) or "Not mitigated"),
    ]
    history = [
        f"{moment_text(a.assessed_at, zone)}, {a.assessed_by}: {a.likelihood}/{a.severity} "
        f"({a.risk_level.value}). {_cut(a.reason, 160)}"
        for a in incident.assessments
    ]
    label = "Assessments" if len(history) > 1 else "Assessed"
    return [*rows, (label, "\n".join(history[-5:]))]


def _reporting(incident: Incident, zone: ZoneInfo) -> list[tuple[str, str]]:
    if not incidents.needs_ico_decision(incident):
        reason = "a near miss: no breach occurred" if incident.near_miss else "no personal data involved"
        return [("Decision", f"Not needed ({reason}).")] if assessment.is_personal(incident) else []
    return [("Decision", _cut(_ico(incident, zone), LONG))]


def _told(incident: Incident, zone: ZoneInfo) -> list[tuple[str, str]]:
    if not incidents.needs_subjects_told(incident):
        if assessment.current(incident) is None:
            return []
        return [("Required", "No: the risk to the people affected is not high.")]
    row = incidents.step_row(incident, "subjects_told")
    if row is not None and row.done_at is not None:
        how = incident.subjects_told_how or "—"
        return [
            ("Told", moment_text(row.done_at, zone)),
            ("How", _cut(how)),
            ("How many", _count(incident.subjects_told_count)),
        ]
    if row is not None and row.not_applicable:
        return [("Not required", _cut(row.not_applicable))]
    deadline = assessment.tell_deadline(incident)
    return [
        ("Told", f"Not yet: the risk is high; due without undue delay (by {moment_text(deadline, zone)}).")
    ]


def _steps(incident: Incident, zone: ZoneInfo) -> list[tuple[str, str]]:
    steps = [_step(incident, key, zone) for key in incidents.required_steps(incident)]
    rows = [("Follow-ups", "\n".join(f"{s.label}: {s.state}" for s in steps))] if steps else []
    actions = [f"{moment_text(a.at, zone)}, {a.author}: {_cut(a.text, 160)}" for a in incident.actions[-6:]]
    if actions:
        rows.append(("Actions", "\n".join(actions)))
    if incident.outcome:
        rows.append(("Outcome", _cut(incident.outcome)))
    return rows


def build_story(record: Record) -> list[Flowable]:
    story: list[Flowable] = [para(f"{TITLE}: {record.reference}", "h1")]
    for title, rows in record.sections:
        labelled = [
            (wrap(label, FACT_LABEL_WIDTH - 2 * CELL_PAD, BOLD, SIZE), value) for label, value in rows
        ]
        story += [fact_table(title, labelled, size=SIZE), Spacer(1, 3 * mm)]
    story.append(
        para(
            f"Printed from Clerk Desk on {long_date(record.generated_at.date())}. Confidential: it names "
            "the people who handled the breach.",
            "detail",
        )
    )
    return story


def render(record: Record, out: Path) -> Path:
    """Lay the record out on one page and write it to ``out``."""
    register_fonts()
    decorations = Decorations(
        record.council,
        "Confidential",
        TITLE,
        f"{record.reference} · generated {long_date(record.generated_at.date())}",
    )

    def write(path: Path) -> None:
        frame = Frame(MARGIN, 18 * mm, FRAME_WIDTH, PAGE_HEIGHT - 36 * mm, leftPadding=0, rightPadding=0)
        doc = BaseDocTemplate(
            str(path),
            pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
            title=f"{TITLE} {record.reference} — {record.council}",
            author=record.council,
            subject=f"{record.council}: record of incident {record.reference}",
            creator="Clerk Desk",
            lang="en-GB",
        )
        doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=decorations.header)])
        doc.build(build_story(record), canvasmaker=canvas_maker(decorations))

    return write_atomically(out, write)


def create(session: Session, clock: Clock, incident_id: int, out: Path) -> Path:
    """Write the breach record of one incident to ``out``; no partial file is ever left behind."""
    check_output(out)
    return render(gather(session, clock, incident_id), out)
