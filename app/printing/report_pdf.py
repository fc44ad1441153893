"""Branch reports on A4: the shared letterhead and page numbers, one table per section and a
bar chart (reportlab graphics) where the section asks for one.

The builder takes any report shaped like :class:`ReportLike` (app/services/reports.py
makes them), so printing knows nothing of the database.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, Table, TableStyle

from app.domain.chart_scale import nice_scale
from app.printing.a4 import A4_BODY_WIDTH, page_decorator, render_a4
from app.printing.fonts import FONT_NAME, ensure_fonts
from app.printing.layout import a4_styles, format_datetime, para

_CJK_THEN_LATIN = re.compile(r"(?<=[\u4e00-\u9fff])(?=[A-Za-z])")
SERIES_COLORS = (colors.HexColor("#1f5fa8"), colors.HexColor("#2e8b57"), colors.HexColor("#c0392b"))
HEADER_FILL = colors.HexColor("#e8eef6")
MISSING = "—"


class TableLike(Protocol):
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    chart_columns: tuple[int, ...]


class ReportLike(Protocol):
    title: str
    period: str
    branch_names: tuple[str, ...]
    generated_at: datetime
    generated_by: str
    tables: tuple[TableLike, ...]

    @property
    def file_stem(self) -> str: ...


def cell_text(value: Any) -> str:
    """How a value prints: empty measures as a dash, floats with one decimal."""
    if value is None:
        return MISSING
    if isinstance(value, float):
        return f"{value:.2f}" if value != round(value, 1) else f"{value:.1f}"
    return str(value)


def header_lines(title: str) -> str:
    """A column title broken where a reader would break it (等候 / P90 / (分钟)): before its unit,
    and between Chinese and a Latin word, so a narrow column never wraps inside a word like P90."""
    name, bracket, unit = title.partition("(")
    name = _CJK_THEN_LATIN.sub("\n", name)
    return f"{name}\n({unit}" if bracket and name else name


def _table(table: TableLike) -> Table:
    styles = a4_styles()
    size = 8 if len(table.columns) > 6 else 9.5
    header_style = styles.cell.clone("report-head", fontSize=size, leading=size * 1.25)
    data: list[list[Any]] = [[para(header_lines(c), header_style) for c in table.columns]]
    data += [[cell_text(v) for v in row] for row in table.rows]
    first = A4_BODY_WIDTH * (0.22 if len(table.columns) > 4 else 0.34)
    rest = (A4_BODY_WIDTH - first) / max(1, len(table.columns) - 1)
    widths = [first] + [rest] * (len(table.columns) - 1)
    flow = Table(data, colWidths=widths, repeatRows=1)
    flow.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), FONT_NAME),
        ("FONTSIZE", (0, 1), (-1, -1), size),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9aa5b1")),
        ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    return flow


def _chart(table: TableLike) -> Drawing | None:
    if not table.rows or not table.chart_columns:
        return None
    chart = VerticalBarChart()
    chart.data = [[float(row[i] or 0) for row in table.rows] for i in table.chart_columns]
    names = [str(row[0]) for row in table.rows]
    chart.categoryAxis.categoryNames = names
    many = len(table.rows) > 12
    labels = chart.categoryAxis.labels
    labels.fontName, labels.fontSize = FONT_NAME, (6 if many else 7)
    labels.angle = 45 if many or len(table.columns) > 6 else 0
    labels.boxAnchor = "ne" if labels.angle else "n"
    # Room below the axis for the longest label as drawn (slanted ones reach down by width × sin 45°),
    # so no label runs into the table under the chart.
    longest = max((stringWidth(name, FONT_NAME, labels.fontSize) for name in names), default=0.0)
    drop = (longest * math.sin(math.radians(labels.angle)) if labels.angle else labels.fontSize) + 3 * mm
    chart.x, chart.y = 12 * mm, drop
    chart.width, chart.height = A4_BODY_WIDTH - 40 * mm, 38 * mm
    height = chart.y + chart.height + 6 * mm
    drawing = Drawing(A4_BODY_WIDTH, height)
    drawing.initialFontName = FONT_NAME  # the renderer's starting font; Helvetica would be left unembedded
    chart.valueAxis.labels.fontName = FONT_NAME
    chart.valueAxis.labels.fontSize = 7
    scale = nice_scale(max((v for series in chart.data for v in series), default=0))
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, scale.maximum, scale.step
    chart.valueAxis.labelTextFormat = "%d"
    chart.barSpacing = 0.5
    for i in range(len(table.chart_columns)):
        chart.bars[i].fillColor = SERIES_COLORS[i % len(SERIES_COLORS)]
        chart.bars[i].strokeColor = None
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = A4_BODY_WIDTH - 26 * mm, height - 8 * mm
    legend.fontName, legend.fontSize = FONT_NAME, 7
    legend.alignment = "right"
    legend.colorNamePairs = [(SERIES_COLORS[k % len(SERIES_COLORS)], table.columns[i])
                             for k, i in enumerate(table.chart_columns)]
    drawing.add(legend)
    return drawing


def report_story(report: ReportLike) -> list[Flowable]:
    ensure_fonts()
    styles = a4_styles()
    story: list[Flowable] = [
        para(report.title, styles.title),
        para(f"网点：{'、'.join(report.branch_names)}    期间：{report.period}", styles.small),
        para(f"生成：{format_datetime(report.generated_at)}  {report.generated_by}", styles.small),
        Spacer(1, 4 * mm),
    ]
    for table in report.tables:
        section: list[Flowable] = [para(table.title, styles.heading)]
        chart = _chart(table)
        if chart is not None:
            section.append(chart)
        story.append(CondPageBreak(60 * mm))
        story.append(KeepTogether(section[:2]) if chart is not None else section[0])
        story.append(_table(table) if table.rows else para("（无数据）", styles.small))
    return story


def build_report_pdf(report: ReportLike, *, bank_name: str, extra: Sequence[Flowable] = ()) -> bytes:
    """The report as A4 PDF bytes."""
    decorate = page_decorator(bank_name=bank_name, branch_name="、".join(report.branch_names),
                              document_id=report.file_stem, issued_at=report.generated_at)
    return render_a4([*report_story(report), *extra], title=report.title, subject=report.period,
                     decorate=decorate)
