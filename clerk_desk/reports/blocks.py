"""A review as a list of plain blocks (headings, paragraphs, tables, charts), laid out twice: as a PDF
(``pdf``) and as accessible HTML (``html``), so both versions always say the same thing.

Blocks hold text only, never markup: each renderer escapes what it prints.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Cover:
    """The first page: the council, the title, the period, a table of facts and notes on the scope."""

    council: str
    title: str
    period: str
    facts: tuple[tuple[str, str], ...]
    notes: tuple[str, ...]
    logo: bytes | None = None


@dataclass(frozen=True)
class Heading:
    """A section (level 1), a part of one (2) or a minor heading (3); levels 1 and 2 are bookmarked."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    text: str
    #: Explanatory text, set apart (muted, but never under 9 pt nor below 4.5:1 contrast).
    note: bool = False


@dataclass(frozen=True)
class Grid:
    """A table. A row of a single cell is a heading for the rows under it."""

    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    #: Column widths as proportions of the page.
    widths: tuple[float, ...]
    #: Columns of figures, aligned right.
    numeric: tuple[int, ...] = ()
    #: The last row is a total.
    total: bool = False
    #: The first cell of each row names the row (a header cell for screen readers).
    row_headers: bool = False


@dataclass(frozen=True)
class Chart:
    """Counts as bars: one per month (``month``) or per category (``category``)."""

    title: str
    kind: str
    counts: tuple[tuple[str, int], ...]
    #: What a count counts, for the text alternative: "3 incidents".
    unit: str = "incidents"

    def alternative(self) -> str:
        """The chart in words, for readers who cannot see it."""
        parts = [f"{label}: {count}" for label, count in self.counts]
        total = sum(count for _, count in self.counts)
        return f"{self.title}. {total} {self.unit} in all. " + "; ".join(parts) + "."


@dataclass(frozen=True)
class Facts:
    """A titled list of labels and values (one incident in full). An empty label continues the one above."""

    title: str
    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class SignOff:
    """Name, signature and date for the Chair and the Clerk."""

    heading: str
    intro: str
    chair: str
    clerk: str


@dataclass(frozen=True)
class PageBreak:
    """A new page in the PDF; nothing in the HTML."""


Block = Cover | Heading | Paragraph | Grid | Chart | Facts | SignOff | PageBreak


@dataclass(frozen=True)
class Document:
    """Everything a renderer needs: the metadata, the marking and the blocks in order."""

    #: The full title, as the PDF viewer's title bar and the HTML title show it.
    title: str
    #: The title as printed on the cover and in each page's header.
    heading: str
    council: str
    #: ``Public`` or ``Confidential``.
    marking: str
    #: The period and the date generated, at the foot of every page.
    footnote: str
    author: str
    subject: str
    blocks: tuple[Block, ...]

    def plain_text(self) -> str:
        """The document's words, in order, as plain text (the Reports page's preview)."""
        lines: list[str] = [f"{self.marking.upper()}", ""]
        for block in self.blocks:
            lines += _text_of(block)
        return "\n".join(lines).strip() + "\n"


def _text_of(block: Block) -> list[str]:
    if isinstance(block, Cover):
        lines = [block.council, block.title, block.period, ""]
        lines += [f"{label}: {value}" for label, value in block.facts]
        return [*lines, "", *block.notes, ""]
    if isinstance(block, Heading):
        return [block.text, "=" * len(block.text) if block.level == 1 else "-" * len(block.text)]
    if isinstance(block, Paragraph):
        return [block.text, ""]
    if isinstance(block, Grid):
        rows = [" | ".join(block.header)] + [" | ".join(row) for row in block.rows]
        return [f"{block.caption}:", *rows, ""]
    if isinstance(block, Chart):
        return [block.alternative(), ""]
    if isinstance(block, Facts):
        return [
            block.title,
            *(f"{label}: {value}" if label else f"  {value}" for label, value in block.rows),
            "",
        ]
    if isinstance(block, SignOff):
        return [
            block.heading,
            block.intro,
            f"Chair: {block.chair or '—'}",
            f"Clerk: {block.clerk or '—'}",
            "",
        ]
    return []
