"""The monthly complaint analysis as an A4 PDF (summary, a bar chart of reasons, tables) and as CSV."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from app.domain.chart_scale import nice_scale
from app.domain.cell_safety import safe_row
from app.domain.complaint_analysis import MonthlyAnalysis
from app.printing.a4 import A4_BODY_WIDTH, page_decorator, render_a4
from app.printing.data import FormData, FormSection
from app.printing.fonts import FONT_NAME, ensure_fonts
from app.printing.form import form_story

TITLE = "投诉情况月度分析"
DIMENSION_TITLES = {"channel": "按投诉渠道", "business": "按业务类别", "reason": "按投诉原因",
                    "category": "按问题类型", "severity": "按严重程度"}


def _summary(analysis: MonthlyAnalysis) -> list[tuple[str, str]]:
    def days(value: float | int | None) -> str:
        return "—" if value is None else f"{value} 天"

    return [("统计月份", analysis.label), ("投诉总数", str(analysis.total)), ("已作出决定", str(analysis.decided)),
            ("处理中", str(analysis.open)), ("平均处理天数", days(analysis.average_handling_days)),
            ("最长处理天数", days(analysis.max_handling_days)), ("超期件数", str(analysis.overdue)),
            ("超期率", f"{analysis.overdue_rate:.1%}")]


def reason_chart(analysis: MonthlyAnalysis) -> Drawing:
    """Horizontal bars: complaints per JR/T 0169 reason (every reason listed)."""
    rows = analysis.by_dimension["reason"]
    height = 14 * len(rows) + 40
    drawing = Drawing(A4_BODY_WIDTH, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = 150, 10
    chart.width, chart.height = A4_BODY_WIDTH - 170, height - 40
    chart.data = [[count for _, _, count in reversed(rows)]]
    chart.categoryAxis.categoryNames = [label for _, label, _ in reversed(rows)]
    chart.categoryAxis.labels.fontName = FONT_NAME
    chart.categoryAxis.labels.fontSize = 7.5
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.valueAxis.labels.fontName = FONT_NAME
    chart.valueAxis.valueMin = 0
    scale = nice_scale(max((count for _, _, count in rows), default=0))
    chart.valueAxis.valueMax, chart.valueAxis.valueStep = scale.maximum, scale.step
    chart.valueAxis.labelTextFormat = "%d"
    chart.bars[0].fillColor = colors.HexColor("#3d6fb6")
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = FONT_NAME
    chart.barLabels.fontSize = 7
    chart.barLabels.nudge = 7
    drawing.add(chart)
    drawing.add(String(0, height - 12, "投诉原因分布（件）", fontName=FONT_NAME, fontSize=9))
    return drawing


def analysis_form(analysis: MonthlyAnalysis, *, bank_name: str, branch_name: str, branch_code: str,
                  issued_at: datetime) -> FormData:
    sections = [FormSection(heading=DIMENSION_TITLES[name], rows=[(label, str(count)) for _, label, count in rows],
                            column_headers=("分类", "件数"))
                for name, rows in analysis.by_dimension.items()]
    sections.append(FormSection(heading="按被投诉窗口", rows=[(k, str(v)) for k, v in analysis.by_counter],
                                column_headers=("窗口", "件数")))
    sections.append(FormSection(heading="按被投诉人员", rows=[(k, str(v)) for k, v in analysis.by_staff],
                                column_headers=("人员", "件数")))
    return FormData(title=f"{TITLE}（{analysis.label}）", fields=_summary(analysis), sections=sections,
                    signature_labels=["制表人", "网点负责人"], document_id=f"TSFX-{branch_code}-{analysis.label}",
                    bank_name=bank_name, branch_name=branch_name, issued_at=issued_at)


def build_analysis_pdf(analysis: MonthlyAnalysis, *, bank_name: str, branch_name: str, branch_code: str,
                       issued_at: datetime) -> bytes:
    ensure_fonts()
    data = analysis_form(analysis, bank_name=bank_name, branch_name=branch_name, branch_code=branch_code,
                         issued_at=issued_at)
    story: list[Flowable] = form_story(data)
    story.insert(4, Spacer(0, 4 * mm))
    story.insert(5, reason_chart(analysis))
    story.insert(6, Spacer(0, 4 * mm))
    decorate = page_decorator(bank_name=bank_name, branch_name=branch_name, document_id=data.document_id,
                              issued_at=issued_at)
    return render_a4(story, title=data.title, subject=data.title, decorate=decorate)


def analysis_csv(analysis: MonthlyAnalysis) -> str:
    """Long format: section, key, label, value — one row per figure, UTF-8 with BOM for Excel."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["section", "key", "label", "value"])
    for (label, value), key in zip(_summary(analysis), ("month", "total", "decided", "open", "average_handling_days",
                                                       "max_handling_days", "overdue", "overdue_rate")):
        raw = {"average_handling_days": analysis.average_handling_days,
               "max_handling_days": analysis.max_handling_days,
               "overdue_rate": round(analysis.overdue_rate, 4)}.get(key, value)
        writer.writerow(safe_row(["summary", key, label, "" if raw is None else raw]))
    for name, rows in analysis.by_dimension.items():
        for code, label, count in rows:
            writer.writerow(safe_row([name, code, label, count]))
    for key, count in analysis.by_counter:
        writer.writerow(safe_row(["counter", key, key, count]))
    for key, count in analysis.by_staff:
        writer.writerow(safe_row(["staff", key, key, count]))
    return "\ufeff" + out.getvalue()
