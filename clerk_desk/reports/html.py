"""A review's blocks as one self-contained, accessible HTML file (WCAG 2.2 AA): ``lang="en-GB"``, a title,
headings in order, tables with captions and header scopes, charts as inline SVG with a text alternative
and the same figures as a table, text of at least 4.5:1 contrast, and a style sheet for printing.

Everything printed is escaped: records are shown as text, never as markup.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from clerk_desk.reports import svg
from clerk_desk.reports.blocks import (
    Block,
    Chart,
    Cover,
    Document,
    Facts,
    Grid,
    Heading,
    Paragraph,
    SignOff,
)
from clerk_desk.reports.output import write_atomically

Progress = Callable[[int, str], None]

STYLE = """
:root { color-scheme: light; }
body { margin: 0; background: #ffffff; color: #1d2733; font: 1rem/1.5 "DejaVu Sans", Verdana, sans-serif; }
.masthead, main, .page-foot { max-width: 62rem; margin: 0 auto; padding: 0 1.25rem; }
.masthead { display: flex; flex-wrap: wrap; justify-content: space-between; gap: 0.5rem;
  border-bottom: 2px solid #1f4e79; padding-top: 1rem; padding-bottom: 0.5rem; }
.masthead p { margin: 0; font-weight: bold; }
.marking { letter-spacing: 0.08em; }
.marking-Public { color: #2e6b3a; }
.marking-Confidential { color: #a1262b; }
h1 { font-size: 2rem; line-height: 1.2; margin: 1.5rem 0 0.25rem; }
h2 { font-size: 1.5rem; color: #1f4e79; margin: 2.5rem 0 0.75rem; border-bottom: 1px solid #b8c2cc; }
h3 { font-size: 1.2rem; color: #1f4e79; margin: 1.75rem 0 0.5rem; }
h4 { font-size: 1.05rem; margin: 1.25rem 0 0.4rem; }
.period { font-size: 1.25rem; color: #4a545e; margin-top: 0; }
.note { color: #4a545e; }
.logo { max-width: 14rem; max-height: 8rem; }
.table-scroll { overflow-x: auto; margin: 0.5rem 0 1.25rem; }
.table-scroll:focus-visible { outline: 3px solid #1f4e79; outline-offset: 2px; }
table { border-collapse: collapse; width: 100%; }
th, td { min-width: 4.5rem; }
caption { text-align: left; font-weight: bold; padding: 0.25rem 0; }
th, td { text-align: left; vertical-align: top; padding: 0.35rem 0.5rem; border-bottom: 1px solid #b8c2cc;
  overflow-wrap: break-word; }
thead th { background: #e3eaf2; border-bottom: 2px solid #1f4e79; }
tbody th[scope="rowgroup"] { background: #e3eaf2; }
tbody tr:nth-child(even) td, tbody tr:nth-child(even) th[scope="row"] { background: #f5f7fa; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
tfoot td, tfoot th { font-weight: bold; border-top: 2px solid #1f4e79; }
figure { margin: 1rem 0; }
figcaption { font-weight: bold; }
.chart-svg { width: 100%; height: auto; max-width: 48rem; display: block; }
dl.facts { display: grid; grid-template-columns: minmax(8rem, 12rem) 1fr; gap: 0.25rem 1rem;
  margin: 0 0 1.25rem; }
dl.facts dt { font-weight: bold; grid-column: 1; }
dl.facts dd { margin: 0; grid-column: 2; white-space: pre-line; overflow-wrap: break-word; }
.signoff td { height: 2.5rem; min-width: 12rem; }
.page-foot { border-top: 1px solid #b8c2cc; margin-top: 3rem; padding-top: 0.5rem; padding-bottom: 2rem;
  color: #4a545e; }
@media print {
  @page { size: A4; margin: 16mm; }
  body { font-size: 10pt; color: #000000; }
  .masthead, main, .page-foot { max-width: none; padding: 0; }
  h2 { break-before: page; break-after: avoid; }
  h3, h4, caption { break-after: avoid; }
  .cover-block + h2 { break-before: page; }
  tr, figure, dl.facts { break-inside: avoid; }
  .table-scroll { overflow: visible; }
  thead { display: table-header-group; }
  .signoff td { height: 3rem; }
}
"""


def render(document: Document) -> str:
    """The document as an HTML page."""
    counter = iter(range(1, 1_000_000))
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(document.title)}</title>",
        f'<meta name="author" content={quoteattr(document.author)}>',
        f'<meta name="description" content={quoteattr(document.subject)}>',
        '<meta name="generator" content="Clerk Desk">',
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        '<header class="masthead">',
        f"<p>{escape(document.council)}</p>",
        f'<p class="marking marking-{escape(document.marking)}">{escape(document.marking.upper())}</p>',
        "</header>",
        "<main>",
        f"<h1>{escape(document.heading)}</h1>",
    ]
    for block in document.blocks:
        parts.append(_block(block, lambda: next(counter)))
    parts += [
        "</main>",
        f'<footer class="page-foot"><p>{_text(document.footnote)} · {escape(document.marking)}</p></footer>',
        "</body>",
        "</html>",
    ]
    return "\n".join(part for part in parts if part) + "\n"


def write(document: Document, out: Path, progress: Progress | None = None) -> Path:
    """Write the document to ``out`` as HTML (UTF-8); no partial file is ever left behind."""
    report = progress or (lambda percent, message: None)
    report(10, "Writing the HTML")
    page = render(document).encode("utf-8")

    def put(path: Path) -> None:
        path.write_bytes(page)

    written = write_atomically(out, put)
    report(100, "Done")
    return written


def _text(value: str) -> str:
    """Plain text for HTML: escaped, its line breaks kept."""
    return escape(value).replace("\n", "<br>")


def _block(block: Block, number: Callable[[], int]) -> str:
    if isinstance(block, Cover):
        return _cover(block)
    if isinstance(block, Heading):
        level = min(block.level + 1, 6)
        return f"<h{level}>{escape(block.text)}</h{level}>"
    if isinstance(block, Paragraph):
        return f'<p class="note">{_text(block.text)}</p>' if block.note else f"<p>{_text(block.text)}</p>"
    if isinstance(block, Grid):
        return _grid(block, f"table-{number()}")
    if isinstance(block, Chart):
        return _chart(block, f"chart-{number()}", f"table-{number()}")
    if isinstance(block, Facts):
        return _facts(block)
    if isinstance(block, SignOff):
        return _sign_off(block)
    return ""


def _image_type(data: bytes) -> str | None:
    if data.startswith(b"\x89PNG"):
        return "image/png"
    if data.startswith(b"\xff\xd8"):
        return "image/jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    return None


def _cover(cover: Cover) -> str:
    parts = ['<div class="cover-block">']
    kind = _image_type(cover.logo) if cover.logo else None
    if cover.logo and kind:
        encoded = base64.b64encode(cover.logo).decode("ascii")
        alt = quoteattr(f"{cover.council} logo")
        parts.append(f'<img class="logo" src="data:{kind};base64,{encoded}" alt={alt}>')
    parts.append(f'<p class="period">{escape(cover.period)}</p>')
    rows = "".join(f'<tr><th scope="row">{escape(k)}</th><td>{_text(v)}</td></tr>' for k, v in cover.facts)
    parts.append(f"<table><caption>About this document</caption><tbody>{rows}</tbody></table>")
    parts.append("<h2>About this review</h2>")
    parts += [f'<p class="note">{_text(note)}</p>' for note in cover.notes]
    parts.append("</div>")
    return "\n".join(parts)


def _cell(value: str, column: int, grid: Grid, header: bool) -> str:
    css = ' class="num"' if column in grid.numeric else ""
    if header:
        return f'<th scope="row"{css}>{_text(value)}</th>'
    return f"<td{css}>{_text(value)}</td>"


def _row(row: tuple[str, ...], grid: Grid) -> str:
    cells = "".join(
        _cell(value, column, grid, header=grid.row_headers and column == 0)
        for column, value in enumerate(row)
    )
    return f"<tr>{cells}</tr>"


def _grid(grid: Grid, key: str) -> str:
    """The table, in a region of its own that scrolls sideways (and takes focus to be scrolled from the
    keyboard) when it is wider than the window, as at 200% zoom, rather than the whole page."""
    total = sum(grid.widths) or 1
    columns = "".join(f'<col style="width:{100 * w / total:.1f}%">' for w in grid.widths)
    numeric = ' class="num"'
    head = "".join(
        f'<th scope="col"{numeric if c in grid.numeric else ""}>{_text(h)}</th>'
        for c, h in enumerate(grid.header)
    )
    rows = list(grid.rows)
    foot = ""
    if grid.total and rows:
        foot = f"<tfoot>{_row(rows.pop(), grid)}</tfoot>"
    bodies: list[str] = []
    current: list[str] = []
    for row in rows:
        if len(row) == 1:
            if current:
                bodies.append("<tbody>" + "".join(current) + "</tbody>")
            span = len(grid.header)
            current = [f'<tr><th scope="rowgroup" colspan="{span}">{_text(row[0])}</th></tr>']
        else:
            current.append(_row(row, grid))
    if current:
        bodies.append("<tbody>" + "".join(current) + "</tbody>")
    return (
        f'<div class="table-scroll" role="region" aria-labelledby="{key}" tabindex="0">'
        f'<table><caption id="{key}">{_text(grid.caption)}</caption><colgroup>{columns}</colgroup>'
        f"<thead><tr>{head}</tr></thead>{''.join(bodies)}{foot}</table></div>"
    )


def _chart(block: Chart, key: str, table_key: str) -> str:
    first = "Month" if block.kind == "month" else "Category"
    figures = Grid(
        f"The figures behind the chart: {block.title.lower()}",
        (first, block.unit.capitalize()),
        tuple((label, str(count)) for label, count in block.counts),
        (60, 40),
        numeric=(1,),
        row_headers=True,
    )
    return (
        f'<figure>{svg.chart(block, key)}<figcaption aria-hidden="true">{escape(block.title)}</figcaption>'
        f"</figure>\n{_grid(figures, table_key)}"
    )


def _facts(block: Facts) -> str:
    items = []
    for label, value in block.rows:
        if label:
            items.append(f"<dt>{escape(label)}</dt>")
        items.append(f"<dd>{escape(value)}</dd>")
    return f'<h4>{escape(block.title)}</h4>\n<dl class="facts">{"".join(items)}</dl>'


def _sign_off(block: SignOff) -> str:
    rows = [
        ("Name", block.chair, block.clerk),
        ("Signature", "", ""),
        ("Date", "", ""),
    ]
    body = "".join(
        f'<tr><th scope="row">{label}</th><td>{escape(chair)}</td><td>{escape(clerk)}</td></tr>'
        for label, chair, clerk in rows
    )
    return (
        f"<h2>{escape(block.heading)}</h2>\n<p>{_text(block.intro)}</p>\n"
        '<table class="signoff"><caption>Signatures</caption><thead><tr><th scope="col">Entry</th>'
        '<th scope="col">Chair of Council</th><th scope="col">Clerk</th></tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )
