"""The review's charts: incidents per month and per category (reportlab.graphics)."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.pdfbase import pdfmetrics

from clerk_desk.reports.layout import ACCENT, BOLD, FONT, INK, MUTED, RULE

LABEL_SIZE = 9


def _step(highest: int) -> int:
    """A value-axis step giving at most about six gridlines, in whole incidents."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if highest / step <= 6:
            return step
    return max(1, highest // 6)


def _title(drawing: Drawing, text: str, height: float) -> None:
    drawing.add(String(0, height - 10, text, fontName=BOLD, fontSize=10, fillColor=INK))


def per_month(title: str, counts: Sequence[tuple[str, int]], width: float) -> Drawing:
    """A bar for each month of the period; every other label when there are many months."""
    height = 150
    drawing = Drawing(width, height, initialFontName=FONT)
    _title(drawing, title, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 28, 24
    chart.width, chart.height = width - 36, height - 44
    chart.data = [[c for _, c in counts] or [0]]
    chart.categoryAxis.categoryNames = [
        label if len(counts) <= 18 or i % max(1, len(counts) // 12) == 0 else ""
        for i, (label, _) in enumerate(counts)
    ] or [""]
    highest = max((c for _, c in counts), default=0)
    step = _step(highest)
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max(step, -(-highest // step) * step)
    chart.valueAxis.valueStep = step
    chart.valueAxis.labelTextFormat = "%d"
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = RULE
    chart.valueAxis.gridStrokeWidth = 0.3
    chart.valueAxis.strokeColor = RULE
    chart.categoryAxis.strokeColor = RULE
    for labels in (chart.valueAxis.labels, chart.categoryAxis.labels):
        labels.fontName = FONT
        labels.fontSize = LABEL_SIZE
        labels.fillColor = MUTED
    chart.categoryAxis.labels.boxAnchor = "n"
    chart.bars[0].fillColor = ACCENT
    chart.bars[0].strokeColor = None
    chart.barSpacing = 2
    chart.groupSpacing = 6
    drawing.add(chart)
    return drawing


def per_category(title: str, counts: Sequence[tuple[str, int]], width: float) -> Drawing:
    """A horizontal bar for each category that had incidents, labelled with its count."""
    rows = max(1, len(counts))
    height = 38 + rows * 20
    drawing = Drawing(width, height, initialFontName=FONT)
    _title(drawing, title, height)
    label_width = max(
        (pdfmetrics.stringWidth(label, FONT, LABEL_SIZE) for label, _ in counts),
        default=60,
    )
    chart = HorizontalBarChart()
    chart.x = label_width + 8
    chart.y = 18
    chart.width = width - chart.x - 24
    chart.height = rows * 20
    # Drawn from the bottom up: reversed, so the list reads top-down in the category order.
    ordered = list(reversed(counts)) or [("None", 0)]
    chart.data = [[c for _, c in ordered]]
    chart.categoryAxis.categoryNames = [label for label, _ in ordered]
    highest = max((c for _, c in counts), default=0)
    step = _step(highest)
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max(step, -(-highest // step) * step)
    chart.valueAxis.valueStep = step
    chart.valueAxis.labelTextFormat = "%d"
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = RULE
    chart.valueAxis.gridStrokeWidth = 0.3
    chart.valueAxis.strokeColor = RULE
    chart.categoryAxis.strokeColor = RULE
    for labels in (chart.valueAxis.labels, chart.categoryAxis.labels):
        labels.fontName = FONT
        labels.fontSize = LABEL_SIZE
        labels.fillColor = MUTED
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.fillColor = INK
    chart.bars[0].fillColor = ACCENT
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = LABEL_SIZE
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    chart.barSpacing = 2
    drawing.add(chart)
    return drawing
