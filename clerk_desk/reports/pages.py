"""Every page's decorations: the council's name and the marking above, the period, the date generated,
the marking and "Page X of Y" below."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from clerk_desk.reports.layout import BOLD, FONT, INK, MARGIN, MARKINGS, MUTED, PAGE_HEIGHT, PAGE_WIDTH, RULE


@dataclass(frozen=True)
class Decorations:
    """What every page carries besides its content."""

    council: str
    marking: str
    title: str
    #: The period and the date generated, at the foot of every page.
    footnote: str

    def header(self, canvas: Canvas, doc: Any) -> None:
        """The council's name, the review's title and the marking, above a rule."""
        canvas.saveState()
        top = PAGE_HEIGHT - 11 * mm
        canvas.setFont(BOLD, 9)
        canvas.setFillColor(INK)
        canvas.drawString(MARGIN, top, self.council)
        canvas.setFont(FONT, 9)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN + pdfmetrics.stringWidth(self.council, BOLD, 9), top, f"  ·  {self.title}")
        canvas.setFont(BOLD, 9)
        canvas.setFillColor(MARKINGS.get(self.marking, INK))
        canvas.drawRightString(PAGE_WIDTH - MARGIN, top, self.marking.upper())
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, top - 2.5 * mm, PAGE_WIDTH - MARGIN, top - 2.5 * mm)
        canvas.restoreState()

    def footer(self, canvas: Canvas, page: int, pages: int) -> None:
        """The period and date generated, the marking, and "Page X of Y"."""
        canvas.saveState()
        bottom = 10 * mm
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, bottom + 4 * mm, PAGE_WIDTH - MARGIN, bottom + 4 * mm)
        canvas.setFont(FONT, 9)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN, bottom, self.footnote)
        page_text = f"Page {page} of {pages}"
        canvas.drawRightString(PAGE_WIDTH - MARGIN, bottom, page_text)
        canvas.setFont(BOLD, 9)
        canvas.setFillColor(MARKINGS.get(self.marking, INK))
        gap = pdfmetrics.stringWidth(page_text, FONT, 9) + 5 * mm
        canvas.drawRightString(PAGE_WIDTH - MARGIN - gap, bottom, self.marking.upper())
        canvas.restoreState()


class NumberedCanvas(Canvas):
    """Holds every page back until the end, so each footer can say how many pages there are.

    Bookmarks are held back with their page, as a page exists in the PDF only once it is written.
    """

    def __init__(self, *args: Any, decorations: Decorations, **kwargs: Any) -> None:
        # Start in the embedded font, so the PDF names no other (reportlab's default is Helvetica).
        kwargs["initialFontName"] = FONT
        super().__init__(*args, **kwargs)
        self._decorations = decorations
        self._pages: list[dict[str, Any]] = []
        self._marks: dict[int, list[tuple[str, int, float]]] = {}

    def mark(self, title: str, level: int, top: float) -> None:
        """Bookmark the current page at the height ``top``, as ``title`` at ``level`` of the outline."""
        self._marks.setdefault(len(self._pages), []).append((title, level, top))

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            for index, (title, level, top) in enumerate(self._marks.get(number - 1, [])):
                key = f"section-{number}-{index}"
                self.bookmarkPage(key, fit="XYZ", left=0, top=top)
                self.addOutlineEntry(title, key, level=level, closed=False)
            self._decorations.footer(self, number, total)
            super().showPage()
        if self._marks:
            self.showOutline()
        # Viewers show the title rather than the file name.
        self.setViewerPreference("DisplayDocTitle", "true")
        super().save()


def canvas_maker(decorations: Decorations) -> Callable[..., Canvas]:
    return partial(NumberedCanvas, decorations=decorations)
