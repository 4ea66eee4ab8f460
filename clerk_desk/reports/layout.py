"""The review's look: the embedded font, paragraph styles and fast plain-text tables."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, Table, TableStyle
from reportlab.platypus.tables import CellStyle

from clerk_desk.errors import ClerkDeskError

FONT = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN

INK = colors.HexColor("#1d2733")
ACCENT = colors.HexColor("#1f4e79")
MUTED = colors.HexColor("#5b6670")
RULE = colors.HexColor("#b8c2cc")
HEADER_FILL = colors.HexColor("#e3eaf2")
STRIPE = colors.HexColor("#f5f7fa")
MARKINGS = {"Confidential": colors.HexColor("#a1262b"), "Public": colors.HexColor("#2e6b3a")}

CELL_PAD = 3.5
_SOFT_BREAKS = (":", "/", "-", ".", "_")


def resources_dir() -> Path:
    """``resources/`` in a source checkout, or its copy inside an installed package."""
    package = Path(__file__).resolve().parent.parent
    source = package.parent / "resources"
    return source if source.is_dir() else package / "_resources"


def register_fonts() -> None:
    """Register DejaVu Sans (shipped in resources/fonts) once; reportlab embeds the glyphs used."""
    if BOLD in pdfmetrics.getRegisteredFontNames():
        return
    folder = resources_dir() / "fonts"
    try:
        pdfmetrics.registerFont(TTFont(FONT, str(folder / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD, str(folder / "DejaVuSans-Bold.ttf")))
    except Exception as exc:  # reportlab raises TTFError, or OSError for a missing file
        raise ClerkDeskError(
            f"The report's font could not be loaded from {folder} ({exc}); reinstall Clerk Desk."
        ) from exc
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)


def _style(name: str, **kwargs: Any) -> ParagraphStyle:
    base: dict[str, Any] = dict(fontName=FONT, fontSize=9.5, leading=13, textColor=INK)
    base.update(kwargs)
    return ParagraphStyle(name, **base)


STYLES = {
    "body": _style("body", spaceAfter=5),
    "small": _style("small", fontSize=9, leading=12, textColor=MUTED),
    "h1": _style(
        "h1",
        fontName=BOLD,
        fontSize=16,
        leading=20,
        textColor=ACCENT,
        spaceBefore=2,
        spaceAfter=8,
        keepWithNext=1,
    ),
    "h2": _style(
        "h2",
        fontName=BOLD,
        fontSize=12,
        leading=15,
        textColor=ACCENT,
        spaceBefore=10,
        spaceAfter=5,
        keepWithNext=1,
    ),
    "h3": _style("h3", fontName=BOLD, fontSize=10, leading=13, spaceBefore=9, spaceAfter=3, keepWithNext=1),
    "cover_council": _style("cover_council", fontName=BOLD, fontSize=22, leading=28, textColor=ACCENT),
    "cover_title": _style("cover_title", fontName=BOLD, fontSize=28, leading=34, spaceBefore=6),
    "cover_period": _style("cover_period", fontSize=14, leading=19, textColor=MUTED, spaceBefore=4),
    "detail": _style("detail", fontSize=9, leading=12, spaceAfter=3),
}


@lru_cache(maxsize=65536)
def text_width(text: str, font: str = FONT, size: float = 8) -> float:
    """The width of a word in points; cached, as the same words recur in every table."""
    return pdfmetrics.stringWidth(text, font, size)


def wrap(text: str, width: float, font: str = FONT, size: float = 8) -> str:
    """Text broken into lines that fit ``width`` points, for a plain (fast) table cell.

    Words longer than the width (addresses, hashes) are broken, after a ':', '/', '-' or '.' if one is
    near enough to the end (``Facebook:`` | ``@Town``), else between letters.
    """
    space = text_width(" ", font, size)
    lines: list[str] = []
    for paragraph in (text or "").split("\n"):
        line: list[str] = []
        used = 0.0
        for word in paragraph.split(" "):
            needed = text_width(word, font, size)
            if used + needed + (space if line else 0) <= width:
                used += needed + (space if line else 0)
                line.append(word)
                continue
            if line:
                lines.append(" ".join(line))
            if needed > width and len(word) > 1:
                *pieces, word = _break_word(word, width, font, size)
                lines.extend(pieces)
                needed = text_width(word, font, size)
            line, used = [word], needed
        lines.append(" ".join(line))
    return "\n".join(lines)


def _break_word(word: str, width: float, font: str, size: float) -> list[str]:
    """A word too wide for ``width`` in pieces that fit, in time linear in its length.

    Each character's width is measured once (a font's widths add up: no kerning here) and the pieces are
    cut from running sums; a piece ends after a ':', '/', '-' or '.' when one is in its last two thirds.
    """
    advances = [_char_width(ch, font, size) for ch in word]
    pieces: list[str] = []
    start = 0
    while start < len(word):
        used, end = 0.0, start
        while end < len(word) and (end == start or used + advances[end] <= width):
            used += advances[end]
            end += 1
        if end < len(word):
            soft = max(word.rfind(mark, start, end) for mark in _SOFT_BREAKS) + 1
            if soft - start > (end - start) // 3:
                end = soft
        pieces.append(word[start:end])
        start = end
    return pieces


@lru_cache(maxsize=65536)
def _char_width(ch: str, font: str, size: float) -> float:
    return pdfmetrics.stringWidth(ch, font, size)


class FastTable(Table):
    """A Table that draws its plain-text cells as one text object.

    reportlab draws a cell of several lines as one text object per line; with an embedded font that
    overhead dominates a long table. Here every plain cell of the table goes into a single text object,
    each cell placed at its own origin, drawn before the table's rules. Other cells (flowables, other
    alignments) are drawn as usual.
    """

    _text: Any = None
    _text_style: Any = None

    def draw(self) -> None:
        self._text = self._text_style = None
        super().draw()

    def _drawLines(self) -> None:
        if self._text is not None:
            self.canv.drawText(self._text)
            self._text = self._text_style = None
        super()._drawLines()

    def _drawCell(
        self, cellval: Any, cellstyle: Any, pos: tuple[float, float], size: tuple[float, float]
    ) -> None:
        plain = (
            isinstance(cellval, str)
            and cellstyle.alignment == "LEFT"
            and cellstyle.valign == "TOP"
            and not (cellstyle.href or cellstyle.destination)
            and not (getattr(cellstyle, "direction", None) or getattr(cellstyle, "shaping", None))
        )
        if not plain:
            super()._drawCell(cellval, cellstyle, pos, size)
            return
        if not cellval:
            return
        text = self._text
        if text is None:
            text = self._text = self.canv.beginText()
        current = self._text_style
        if current is not cellstyle:
            # As reportlab does: set only what differs from the cell drawn before.
            if current is None or cellstyle.color != current.color:
                text.setFillColor(cellstyle.color)
            if current is None or (cellstyle.fontname, cellstyle.fontsize, cellstyle.leading) != (
                current.fontname,
                current.fontsize,
                current.leading,
            ):
                text.setFont(cellstyle.fontname, cellstyle.fontsize, cellstyle.leading)
            self._text_style = cellstyle
        text.setTextOrigin(
            pos[0] + cellstyle.leftPadding,
            pos[1] + size[1] - cellstyle.topPadding - cellstyle.fontsize,
        )
        for line in cellval.split("\n"):
            text.textLine(line)

    def settle_heights(self) -> FastTable:
        """Work out every row's height once, now that the styles are set.

        reportlab otherwise measures the rows left each time a long table is split across a page.
        Only for tables of plain text, as the measure is the same: lines × leading plus padding.
        """
        if any(not isinstance(value, str) for row in self._cellvalues for value in row):
            return self
        heights = [
            max(
                (style.leading or 1.2 * style.fontsize) * (value.count("\n") + 1)
                + style.topPadding
                + style.bottomPadding
                for value, style in zip(values, styles, strict=True)
            )
            for values, styles in zip(self._cellvalues, self._cellStyles, strict=True)
        ]
        self._argH = self._rowHeights = heights
        return self


#: Lines of a cell per table row; a longer record carries on in the next row, so it can cross a page.
TABLE_LINES = 40


def table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    *,
    size: float = 9,
    extra: Sequence[tuple[Any, ...]] = (),
) -> Table:
    """A striped table whose cells wrap to their column; the header repeats on every page.

    A row of a single cell is a heading spanning the table.
    """
    inner = [w - 2 * CELL_PAD for w in widths]
    data = [[wrap(h, w, BOLD, size) for h, w in zip(header, inner, strict=True)]]
    for row in rows:
        if len(row) == 1:  # a heading across the whole table
            data.append(
                [wrap(str(row[0]), sum(widths) - 2 * CELL_PAD, BOLD, size)] + [""] * (len(widths) - 1)
            )
            index = len(data) - 1
            extra = [
                *extra,
                ("SPAN", (0, index), (-1, index)),
                ("FONT", (0, index), (-1, index), BOLD, size, size + 2.5),
                ("BACKGROUND", (0, index), (-1, index), HEADER_FILL),
            ]
        else:
            cells = [wrap(str(c), w, FONT, size).split("\n") for c, w in zip(row, inner, strict=True)]
            tallest = max(len(lines) for lines in cells)
            first = len(data)
            # A record taller than a page cannot be laid out: its text runs on in rows that read as one.
            for start in range(0, tallest, TABLE_LINES):
                if start:
                    index = len(data)
                    fill = colors.white if (first - 1) % 2 == 0 else STRIPE
                    extra = [
                        *extra,
                        ("BACKGROUND", (0, index), (-1, index), fill),
                        ("LINEBELOW", (0, index - 1), (-1, index - 1), 0.25, fill),
                        ("BOTTOMPADDING", (0, index - 1), (-1, index - 1), 0),
                        ("TOPPADDING", (0, index), (-1, index), 0),
                    ]
                data.append(["\n".join(lines[start : start + TABLE_LINES]) for lines in cells])
    result = FastTable(data, colWidths=list(widths), repeatRows=1)
    result.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, size, size + 2.5),
                ("FONT", (0, 0), (-1, 0), BOLD, size, size + 2.5),
                ("TEXTCOLOR", (0, 0), (-1, -1), INK),
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, STRIPE]),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
                ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                *extra,
            ]
        )
    )
    return result.settle_heights()


#: Lines of a long text per row of a fact table, so a long description can run on to the next page.
FACT_LINES = 14
FACT_LABEL_WIDTH = 32 * mm  # "People involved" in bold; a wider label widens its own table


def fact_table(title: str, rows: Sequence[tuple[str, str]], size: float = 9) -> Table:
    """A titled list of label and value, as one table (far quicker to lay out than paragraphs); the
    title repeats when it runs on to another page.

    Cells that look alike share one cell style, made here, rather than reportlab making one per cell and
    applying each style command to every cell in turn (a review prints a thousand of these tables).
    """
    # The label column fits the widest label ("People involved" in bold is wider than the default).
    label_width = max(
        [
            FACT_LABEL_WIDTH,
            *(pdfmetrics.stringWidth(label, BOLD, size) + 2 * CELL_PAD + 1 for label, _ in rows),
        ]
    )
    value_width = FRAME_WIDTH - label_width
    heading = _cell_style(BOLD, 9, 11.5, INK, 3, 3.5)
    label_styles: dict[tuple[float, float], CellStyle] = {}
    value_styles: dict[tuple[float, float], CellStyle] = {}
    data = [[wrap(title, FRAME_WIDTH - 2 * CELL_PAD, BOLD, 9), ""]]
    paddings: list[list[float]] = []  # each row's top and bottom padding
    for label, value in rows:
        lines = wrap(value, value_width - 2 * CELL_PAD, FONT, size).split("\n")
        for start in range(0, len(lines), FACT_LINES):
            if start:  # the same text carried on: no gap between the two rows
                paddings[-1][1] = 0
            paddings.append([0 if start else 1.2, 1.8])
            data.append([label if start == 0 else "", "\n".join(lines[start : start + FACT_LINES])])
    styles = [[heading, heading]]
    for top, bottom in paddings:
        key = (top, bottom)
        if key not in label_styles:
            label_styles[key] = _cell_style(BOLD, size, size + 2.5, MUTED, top, bottom)
            value_styles[key] = _cell_style(FONT, size, size + 2.5, INK, top, bottom)
        styles.append([label_styles[key], value_styles[key]])
    result = FastTable(data, colWidths=[label_width, value_width], repeatRows=1, cellStyles=styles)
    result.setStyle(
        TableStyle(
            [
                ("SPAN", (0, 0), (-1, 0)),
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
                ("LINEBELOW", (0, -1), (-1, -1), 0.25, RULE),
            ]
        )
    )
    return result.settle_heights()


def _cell_style(
    font: str, size: float, leading: float, color: colors.Color, top: float, bottom: float
) -> CellStyle:
    """A plain text cell's style: top-aligned, padded ``CELL_PAD`` at the sides."""
    style = CellStyle(f"{font} {size} {top} {bottom}")
    style.fontname, style.fontsize, style.leading, style.color = font, size, leading, color
    style.valign = "TOP"
    style.leftPadding = style.rightPadding = CELL_PAD
    style.topPadding, style.bottomPadding = top, bottom
    return style


def scaled(widths: Sequence[float]) -> list[float]:
    """Column widths given as proportions, scaled to the frame."""
    total = sum(widths)
    return [FRAME_WIDTH * w / total for w in widths]


def para(text: str, style: str = "body") -> Paragraph:
    """A paragraph of plain text: escaped, its line breaks kept."""
    return Paragraph(escape(text).replace("\n", "<br/>"), STYLES[style])


def fact(label: str, value: str) -> str:
    """``<b>Label:</b> value`` for a paragraph, both escaped."""
    return f"<b>{escape(label)}:</b> {escape(value)}".replace("\n", "<br/>")
