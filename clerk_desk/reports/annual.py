"""The annual review for full council, confidential or public, as a PDF to print or accessible HTML.

``prepare`` gathers everything the review prints (on the caller's session) into a plain ``Document``;
``write`` lays it out as a PDF or HTML without reading the database, so the window can run it on a worker
thread; ``record`` notes in the database that a review was written (the Assertion 10 evidence shows the
accessible version exists). ``create`` does the first two, for scripts and the command line.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from clerk_desk import fields
from clerk_desk.collector import fewer_collections
from clerk_desk.credentials.service import VaultSnapshot
from clerk_desk.models import ReportOutput
from clerk_desk.reports import confidential, data, public_data
from clerk_desk.reports import public as public_version
from clerk_desk.reports.blocks import Document
from clerk_desk.reports.output import check_output
from clerk_desk.reports.period import Period
from clerk_desk.storage.clock import Clock

#: Called with a percentage (0–100) and what is being done.
Progress = Callable[[int, str], None]
FORMATS = ("pdf", "html")


@dataclass(frozen=True)
class Prepared:
    """A review ready to write: plain values only, safe to hand to another thread."""

    document: Document
    period: Period
    public: bool

    @property
    def version(self) -> str:
        return "public" if self.public else "confidential"


def prepare(
    session: Session,
    clock: Clock,
    period: Period,
    *,
    outs: Sequence[Path] = (),
    public: bool = False,
    meeting: str = "",
    prepared_by: str = "",
    vault: VaultSnapshot | None = None,
) -> Prepared:
    """Gather the review for ``period``, after checking the meeting reference and each path in ``outs``.

    Raises ValidationError (``meeting`` or ``out``) before reading anything else.
    """
    meeting = fields.text({"meeting": meeting}, "meeting", max_length=200) or ""
    for out in outs:
        check_output(out)  # before the work, so a mistyped folder is reported at once
    with fewer_collections():
        if public:
            document = public_version.document(
                public_data.gather(
                    session, clock, period, meeting=meeting, prepared_by=prepared_by, vault=vault
                )
            )
        else:
            document = confidential.document(
                data.gather(session, clock, period, meeting=meeting, prepared_by=prepared_by, vault=vault)
            )
    return Prepared(document, period, public)


def format_of(out: Path) -> str:
    """``html`` for a file named .html or .htm, else ``pdf``."""
    return "html" if Path(out).suffix.lower() in (".html", ".htm") else "pdf"


def write(
    prepared: Prepared | Document, out: Path, fmt: str = "pdf", progress: Progress | None = None
) -> Path:
    """Lay the review out as ``fmt`` (``pdf`` or ``html``) and write it to ``out``; returns the path."""
    document = prepared.document if isinstance(prepared, Prepared) else prepared
    with fewer_collections():
        if fmt == "html":
            from clerk_desk.reports import html

            return html.write(document, out, progress)
        from clerk_desk.reports import pdf

        return pdf.render(document, out, progress)


def record(session: Session, prepared: Prepared, written: Path, fmt: str, by: str) -> ReportOutput:
    """Note that the review was written to ``written`` (its name and SHA-256, never its contents)."""
    row = ReportOutput(
        period_start=prepared.period.start,
        period_end=prepared.period.end,
        version=prepared.version,
        format=fmt,
        filename=Path(written).name[:500],
        sha256=hashlib.sha256(Path(written).read_bytes()).hexdigest(),
        written_at=session.info["clock"].now(),
        written_by=by or None,
    )
    session.add(row)
    session.flush()
    return row


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
    """Write the review for ``period`` to ``out`` (HTML if it is named .html, else PDF); returns the path.

    Raises ValidationError for a bad output path or meeting reference, ClerkDeskError when the file cannot
    be written; no partial file is ever left behind.
    """
    report = progress or (lambda percent, message: None)
    report(2, "Gathering the figures")
    prepared = prepare(
        session,
        clock,
        period,
        outs=[out],
        public=public,
        meeting=meeting,
        prepared_by=prepared_by,
        vault=vault,
    )
    return write(prepared, out, format_of(out), progress)
