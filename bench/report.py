"""Annual review benchmark: a year with 1,000 incidents against a plain reportlab table of the same rows.

usage (from the project root):
    uv run python bench/report.py [--runs 5] [--incidents 1000]

Builds the demo council and a year of incidents in a temporary SQLite file, through the services (so
every row is audited and checked as in real use), then, in one process and interleaved so machine noise
hits both alike, times several times each:

- Clerk Desk's annual review (confidential and public), from reading the database to the written PDF;
- the public review's floor: the same incident rows read with sqlite3 into one plain platypus Table
  (reference, title, reported, closed, category, severity, status, outcome) in reportlab's default font
  (Helvetica, which is not embedded), and for comparison the same table in the embedded DejaVu Sans the
  review must use so that every name renders;
- the confidential review's floor: the same pages' text, that is everything the review prints (each
  incident's facts, follow-ups, timeline and outcome, and the list of incidents), read back from its PDF
  with poppler's ``pdftotext -layout`` and laid out as plain paragraphs in the embedded DejaVu Sans,
  with none of the review's tables;
- for comparison, a smaller floor: only the incidents' own prose as paragraphs (a heading per incident,
  its description, its outcome and its timeline entries), about a third of the review's pages.

It prints the medians, then the ratios last (design.md's budget: 2× each floor).
"""

from __future__ import annotations

import argparse
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
ROWS_SQL = (
    "SELECT reference, title, reported_at, closed_at, category, severity, status, outcome "
    "FROM incidents WHERE reported_at >= ? AND reported_at < ? ORDER BY reported_at, id"
)
WORDS = [
    "residents",
    "council",
    "page",
    "account",
    "message",
    "comment",
    "post",
    "reported",
    "removed",
    "platform",
    "password",
    "staff",
    "volunteer",
    "event",
    "meeting",
    "notice",
    "complaint",
    "clerk",
    "deputy",
    "market",
    "allotment",
    "park",
    "library",
]


def _text(i: int, words: int) -> str:
    return " ".join(WORDS[(i * 7 + k * 3) % len(WORDS)] for k in range(words)).capitalize() + "."


def build(path: Path, count: int) -> str:
    """The demo council plus ``count`` incidents spread over the year before NOW."""
    from clerk_desk import demo
    from clerk_desk.incidents import lifecycle as incidents
    from clerk_desk.incidents import records as incident_records
    from clerk_desk.models import IncidentCategory, IncidentSeverity, IncidentStatus
    from clerk_desk.storage.clock import FixedClock
    from clerk_desk.storage.db import open_database

    url = f"sqlite:///{path}"
    clock = FixedClock(NOW)
    database = open_database(url, clock)
    with database.transaction("Bench setup") as session:
        demo.fill(session, NOW.date(), "bench-clerk")
    categories = [IncidentCategory.CONTENT_REMOVED, IncidentCategory.OTHER, IncidentCategory.HARASSMENT]
    categories += [IncidentCategory.POLICY_BREACH, IncidentCategory.IMPERSONATION]
    accounts = ("Facebook:@LittleAshcombeTC", "X:@AshcombeTC", "Instagram:@littleashcombe")
    people = ("Tom Beckett", "Nguyễn Thu Hà", "Łukasz Nowak")
    for start in range(0, count, 200):
        with database.transaction("Łukasz Nowak") as session:
            for i in range(start, min(count, start + 200)):
                reported = NOW - timedelta(days=360 * (i + 1) / (count + 1), hours=i % 11)
                category = categories[i % len(categories)]
                closed = i % 3 != 0
                data = incident_records.IncidentData(
                    category,
                    f"{_text(i, 4)[:-1]} ({i})",
                    _text(i + 1, 40),
                    list(IncidentSeverity)[i % 4],
                    reported_at=reported,
                    discovered_at=reported,
                    accounts=(accounts[i % 3],),
                    people=(people[i % 3],) if i % 2 else (),
                    clerk_is_target=False,
                    external_party=f"facebook.com/profile/example.{i}" if i % 5 == 0 else None,
                    outcome=_text(i + 2, 12) if closed else None,
                    reported_by="Łukasz Nowak",
                )
                incident = incident_records.save(session, data)
                for key in incidents.outstanding_steps(incident):
                    if closed:
                        incidents.settle_step(
                            session, incident.id, key, done_at=reported + timedelta(hours=5)
                        )
                if i % 4 == 0:
                    incidents.add_action(session, incident.id, _text(i + 3, 15))
                if closed:
                    incidents.set_status(session, incident.id, None, IncidentStatus.CLOSED)
    database.dispose()
    return url


def time_clerk_desk(url: str, out: Path, *, public: bool) -> float:
    from clerk_desk.reports import annual, period
    from clerk_desk.storage.clock import FixedClock
    from clerk_desk.storage.db import open_database

    database = open_database(url, FixedClock(NOW))
    try:
        chosen = period.Period(NOW.date() - timedelta(days=364), NOW.date())
        start = time.perf_counter()
        with database.read() as session:
            annual.create(session, database.clock, chosen, out, public=public, prepared_by="Zoë Hartley")
        return time.perf_counter() - start
    finally:
        database.dispose()


def time_plain_table(path: Path, out: Path, font: str | None = None) -> float:
    """The plain table, in reportlab's default font, or in ``font`` (the review's embedded one)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

    start = time.perf_counter()
    first = (NOW - timedelta(days=364)).replace(hour=0, minute=0, tzinfo=None)
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            ROWS_SQL, (first.isoformat(" "), (NOW + timedelta(days=1)).isoformat(" "))
        ).fetchall()
    data = [["Reference", "Title", "Reported", "Closed", "Category", "Severity", "Status", "Outcome"]]
    data += [[str(c or "") for c in row] for row in rows]
    table = Table(data, repeatRows=1)
    style = [("GRID", (0, 0), (-1, -1), 0.25, colors.grey), ("FONTSIZE", (0, 0), (-1, -1), 6)]
    if font:
        style.append(("FONTNAME", (0, 0), (-1, -1), font))
    table.setStyle(TableStyle(style))
    SimpleDocTemplate(str(out), pagesize=A4).build([table])
    elapsed = time.perf_counter() - start
    assert len(rows) > 0
    return elapsed


TEXT_SQL = (
    "SELECT i.id, i.reference, i.title, i.description, i.outcome FROM incidents i "
    "WHERE i.reported_at >= ? AND i.reported_at < ? ORDER BY i.reported_at, i.id"
)
ACTIONS_SQL = "SELECT incident_id, text FROM incident_actions ORDER BY at, id"


def time_plain_text(path: Path, out: Path) -> float:
    """Every incident's own prose as plain paragraphs, in DejaVu Sans (a third of the review's pages)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate
    from reportlab.platypus.flowables import Spacer

    start = time.perf_counter()
    first = (NOW - timedelta(days=364)).replace(hour=0, minute=0, tzinfo=None)
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            TEXT_SQL, (first.isoformat(" "), (NOW + timedelta(days=1)).isoformat(" "))
        ).fetchall()
        actions: dict[int, list[str]] = {}
        for incident_id, text in conn.execute(ACTIONS_SQL):
            actions.setdefault(incident_id, []).append(text)
    body = ParagraphStyle("body", fontName="DejaVuSans", fontSize=9, leading=12)
    heading = ParagraphStyle("heading", parent=body, fontSize=11, leading=14)
    story = []
    for incident_id, reference, title, description, outcome in rows:
        story.append(Paragraph(f"{reference} {title}", heading))
        for text in (description, outcome, *actions.get(incident_id, [])):
            if text:
                story.append(Paragraph(text, body))
        story.append(Spacer(0, 6))
    SimpleDocTemplate(str(out), pagesize=A4).build(story)
    elapsed = time.perf_counter() - start
    assert len(rows) > 0
    return elapsed


def review_paragraphs(pdf: Path) -> list[str]:
    """The text of a PDF as ``pdftotext -layout`` reads it, a paragraph per block between blank lines,
    escaped for reportlab's Paragraph markup."""
    text = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    blocks = (" ".join(block.split()) for block in re.split(r"\n\s*\n", text.replace("\f", "\n\n")))
    return [escape(block) for block in blocks if block]


def time_plain_paragraphs(paragraphs: list[str], out: Path) -> float:
    """Given paragraphs laid out plainly in DejaVu Sans: the confidential review's floor, given its text."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    start = time.perf_counter()
    body = ParagraphStyle("body", fontName="DejaVuSans", fontSize=9, leading=12, spaceAfter=4)
    SimpleDocTemplate(str(out), pagesize=A4).build([Paragraph(p, body) for p in paragraphs])
    return time.perf_counter() - start


def _list(times: list[float]) -> str:
    return ", ".join(f"{t:.3f}" for t in times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--incidents", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["CLERK_DESK_DATA_DIR"] = tmp
        folder = Path(tmp)
        path = folder / "year.db"
        started = time.perf_counter()
        url = build(path, args.incidents)
        print(
            f"built the demo council and {args.incidents} incidents in {time.perf_counter() - started:.1f} s"
        )
        from clerk_desk.reports import layout

        layout.register_fonts()
        # One warm-up of each, so none pays for importing reportlab or loading the font.
        time_plain_table(path, folder / "plain.pdf")
        time_clerk_desk(url, folder / "review.pdf", public=False)
        time_plain_table(path, folder / "plain-dejavu.pdf", "DejaVuSans")
        time_plain_text(path, folder / "plain-text.pdf")
        review_text = review_paragraphs(folder / "review.pdf")
        time_plain_paragraphs(review_text, folder / "plain-review-text.pdf")
        confidential, public, plain, plain_dejavu, plain_text, plain_review = [], [], [], [], [], []
        for _ in range(args.runs):
            plain.append(time_plain_table(path, folder / "plain.pdf"))
            confidential.append(time_clerk_desk(url, folder / "review.pdf", public=False))
            public.append(time_clerk_desk(url, folder / "review-public.pdf", public=True))
            plain_dejavu.append(time_plain_table(path, folder / "plain-dejavu.pdf", "DejaVuSans"))
            plain_text.append(time_plain_text(path, folder / "plain-text.pdf"))
            plain_review.append(time_plain_paragraphs(review_text, folder / "plain-review-text.pdf"))
        plain_s, dejavu_s = statistics.median(plain), statistics.median(plain_dejavu)
        text_s, review_text_s = statistics.median(plain_text), statistics.median(plain_review)
        public_s, confidential_s = statistics.median(public), statistics.median(confidential)
        print(f"plain reportlab table (Helvetica): median {plain_s:.3f} s ({_list(plain)})")
        print(f"the same in embedded DejaVu Sans:  median {dejavu_s:.3f} s ({_list(plain_dejavu)})")
        print(f"the incidents' prose (DejaVu):     median {text_s:.3f} s ({_list(plain_text)})")
        print(f"the review's whole text (DejaVu):  median {review_text_s:.3f} s ({_list(plain_review)})")
        print(f"annual review, public:       median {public_s:.3f} s ({_list(public)})")
        print(f"annual review, confidential: median {confidential_s:.3f} s ({_list(confidential)})")
        names = ("review.pdf", "review-public.pdf", "plain.pdf", "plain-text.pdf", "plain-review-text.pdf")
        for name in names:
            pages = (folder / name).read_bytes().count(b"/Type /Page\n")
            print(f"{name}: {(folder / name).stat().st_size // 1024} KB, {pages} pages")
        print(f"ratio, public review to the plain table: {public_s / plain_s:.2f}x (budget 2x)")
        print(
            "for comparison, confidential review to the incidents' prose alone: "
            f"{confidential_s / text_s:.2f}x"
        )
        print(
            "ratio, confidential review to its own whole text as plain paragraphs: "
            f"{confidential_s / review_text_s:.2f}x (budget 2x)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
