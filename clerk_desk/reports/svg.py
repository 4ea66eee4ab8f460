"""Bar charts as inline SVG for the HTML review: named for screen readers by their title and a text
alternative, with every bar labelled with its figure (no meaning carried by colour alone)."""

from __future__ import annotations

from xml.sax.saxutils import escape

from clerk_desk.reports.blocks import Chart

INK = "#1d2733"
BAR = "#1f4e79"
GRID = "#b8c2cc"


def _scale_top(highest: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if highest / step <= 6:
            return max(step, -(-highest // step) * step)
    return highest


def chart(block: Chart, key: str) -> str:
    """The chart as an ``<svg>`` element whose accessible name is its title and its text alternative."""
    body = _month_bars(block) if block.kind == "month" else _category_bars(block)
    width, height, shapes = body
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'aria-labelledby="{key}-title {key}-desc" focusable="false" class="chart-svg">'
        f'<title id="{key}-title">{escape(block.title)}</title>'
        f'<desc id="{key}-desc">{escape(block.alternative())}</desc>'
        f"{shapes}</svg>"
    )


def _text(x: float, y: float, value: str, anchor: str = "middle", size: int = 14) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" fill="{INK}" '
        f'aria-hidden="true">{escape(value)}</text>'
    )


def _month_bars(block: Chart) -> tuple[int, int, str]:
    counts = list(block.counts) or [("", 0)]
    width, height, left, bottom, top = 760, 280, 16, 40, 28
    top_value = _scale_top(max(c for _, c in counts))
    plot_height = height - bottom - top
    slot = (width - 2 * left) / len(counts)
    every = max(1, -(-len(counts) // 12))
    parts = [
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - left}" y2="{height - bottom}" '
        f'stroke="{GRID}" stroke-width="1"/>'
    ]
    for index, (label, value) in enumerate(counts):
        bar_height = plot_height * value / top_value if top_value else 0
        x = left + index * slot + slot * 0.15
        y = height - bottom - bar_height
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{bar_height:.1f}" fill="{BAR}"/>'
        )
        parts.append(_text(x + slot * 0.35, y - 6, str(value)))
        if index % every == 0:
            parts.append(_text(x + slot * 0.35, height - bottom + 22, label))
    return width, height, "".join(parts)


def _category_bars(block: Chart) -> tuple[int, int, str]:
    counts = list(block.counts) or [("None", 0)]
    row = 34
    label_width = 8 + 8.2 * max(len(label) for label, _ in counts)
    width, height = 760, 12 + row * len(counts)
    top_value = _scale_top(max(c for _, c in counts))
    plot_width = width - label_width - 60
    parts = []
    for index, (label, value) in enumerate(counts):
        y = 6 + index * row
        bar_width = plot_width * value / top_value if top_value else 0
        parts.append(_text(label_width - 8, y + row / 2 + 5, label, anchor="end"))
        parts.append(
            f'<rect x="{label_width:.1f}" y="{y + 5:.1f}" width="{bar_width:.1f}" height="{row - 12}" '
            f'fill="{BAR}"/>'
        )
        parts.append(_text(label_width + bar_width + 6, y + row / 2 + 5, str(value), anchor="start"))
    return width, height, "".join(parts)
