"""A review's blocks laid out as a PDF on A4: the council's name and the marking above every page, the
period, the marking and "Page X of Y" below; bookmarks for the sections; the title and language (en-GB)
in the document's metadata. No text is smaller than 9 pt.

reportlab cannot tag a PDF for screen readers: the HTML version (``html``) is the accessible one.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    Image,
    KeepTogether,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import PageBreak as PdfPageBreak
from reportlab.platypus import Paragraph as PdfParagraph

from clerk_desk.reports import charts
from clerk_desk.reports.blocks import (
    Block,
    Chart,
    Cover,
    Document,
    Facts,
    Grid,
    Heading,
    PageBreak,
    Paragraph,
    SignOff,
)
from clerk_desk.reports.layout import (
    ACCENT,
    BOLD,
    FONT,
    FRAME_WIDTH,
    MARGIN,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    RULE,
    STYLES,
    fact_table,
    para,
    register_fonts,
    scaled,
    table,
    wrap,
)
from clerk_desk.reports.output import write_atomically
from clerk_desk.reports.pages import Decorations, canvas_maker

#: Called with a percentage (0–100) and what is being done.
Progress = Callable[[int, str], None]
HEADING_STYLES = {1: "h1", 2: "h2", 3: "h3"}


class _Heading(PdfParagraph):
    """A heading that bookmarks its page in the outline when it is drawn."""

    def __init__(self, text: str, style: str, outline: tuple[str, int] | None) -> None:
        super().__init__(para(text, style).text, STYLES[style])
        self.outline = outline

    def draw(self) -> None:
        if self.outline is not None and hasattr(self.canv, "mark"):
            _, top = self.canv.absolutePosition(0, self.height)
            self.canv.mark(self.outline[0], self.outline[1], top)
        super().draw()


def render(document: Document, out: Path, progress: Progress | None = None) -> Path:
    """Lay the document out and write it to ``out``; no partial file is ever left behind."""
    report = progress or (lambda percent, message: None)
    register_fonts()
    report(10, "Laying out the pages")
    flowables = story(document)
    decorations = Decorations(document.council, document.marking, document.heading, document.footnote)
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
        doc = _template(path, document, decorations)
        doc.setProgressCallBack(on_progress)
        doc.build(flowables, canvasmaker=canvas_maker(decorations))

    written = write_atomically(out, write)
    report(100, "Done")
    return written


def _template(path: Path, document: Document, decorations: Decorations) -> BaseDocTemplate:
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
        title=document.title,
        author=document.author,
        subject=document.subject,
        creator="Clerk Desk",
        keywords=["social media", document.marking],
        lang="en-GB",
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=decorations.header)])
    return doc


def story(document: Document) -> list[Flowable]:
    """Every flowable of the document, in order."""
    flowables: list[Flowable] = []
    for block in document.blocks:
        flowables += _flowables(block)
    return flowables


def _flowables(block: Block) -> list[Flowable]:
    if isinstance(block, Cover):
        return _cover(block)
    if isinstance(block, Heading):
        outline = (block.text, block.level - 1) if block.level <= 2 else None
        return [_Heading(block.text, HEADING_STYLES.get(block.level, "h3"), outline)]
    if isinstance(block, Paragraph):
        return [para(block.text, "small" if block.note else "body")]
    if isinstance(block, Grid):
        return [_grid(block), Spacer(1, 3 * mm)]
    if isinstance(block, Chart):
        draw = charts.per_month if block.kind == "month" else charts.per_category
        return [draw(block.title, block.counts, FRAME_WIDTH), Spacer(1, 5 * mm)]
    if isinstance(block, Facts):
        return [fact_table(block.title, block.rows), Spacer(1, 4 * mm)]
    if isinstance(block, SignOff):
        return [_sign_off(block)]
    if isinstance(block, PageBreak):
        return [PdfPageBreak()]
    raise TypeError(f"no layout for {type(block).__name__}")


def _grid(grid: Grid) -> Table:
    extra: list[tuple[object, ...]] = []
    for column in grid.numeric:
        extra.append(("ALIGN", (column, 0), (column, -1), "RIGHT"))
    if grid.total:
        last = len(grid.rows)
        extra += [
            ("FONT", (0, last), (-1, last), BOLD, 9, 11.5),
            ("LINEABOVE", (0, last), (-1, last), 0.6, ACCENT),
        ]
    return table(grid.header, grid.rows, scaled(grid.widths), size=9, extra=extra)


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


def _cover(cover: Cover) -> list[Flowable]:
    flowables: list[Flowable] = [Spacer(1, 18 * mm)]
    logo = _logo(cover.logo)
    if logo is not None:
        flowables += [logo, Spacer(1, 8 * mm)]
    flowables += [
        para(cover.council, "cover_council"),
        _Heading(cover.title, "cover_title", ("Cover", 0)),
        para(cover.period, "cover_period"),
        Spacer(1, 14 * mm),
    ]
    label_width = 36 * mm
    facts = Table(
        [[label, wrap(value, FRAME_WIDTH - label_width - 8, FONT, 10)] for label, value in cover.facts],
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
    flowables += [facts, Spacer(1, 12 * mm), para("About this review", "h3")]
    flowables += [para(note, "small") for note in cover.notes]
    return flowables


def _sign_off(block: SignOff) -> Flowable:
    """Name, signature and date for the Chair and the Clerk (Barling Magna)."""
    blank = " "
    rows = [
        ["", "Chair of Council", "Clerk"],
        ["Name", block.chair or blank, block.clerk or blank],
        ["Signature", blank, blank],
        ["Date", blank, blank],
    ]
    grid = Table(rows, colWidths=scaled([16, 42, 42]), rowHeights=[18, 34, 44, 34])
    grid.setStyle(
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
    heading = _Heading(block.heading, "h1", (block.heading, 0))
    return KeepTogether([Spacer(1, 6 * mm), heading, para(block.intro), Spacer(1, 6 * mm), grid])
