"""Report charts (issue #18): whole ticks, no bar past the axis, slanted labels kept above the
table, column titles broken before their unit and never inside P90."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reportlab.graphics.charts.barcharts import VerticalBarChart

from app.printing.fonts import ensure_fonts
from app.printing.report_pdf import _chart, header_lines


@dataclass(frozen=True)
class Table:
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    chart_columns: tuple[int, ...]


def bar_chart(table: Table) -> tuple[VerticalBarChart, float]:
    ensure_fonts()  # (the label widths are measured in the embedded font)
    drawing = _chart(table)
    assert drawing is not None
    [chart] = [shape for shape in drawing.contents if isinstance(shape, VerticalBarChart)]
    return chart, drawing.height


def test_the_value_axis_has_whole_ticks_above_every_bar() -> None:
    days = tuple((f"11-{d:02d}", 70 if d < 4 else 0, 40) for d in range(1, 31))
    chart, _ = bar_chart(Table("按日", ("日期", "取号", "办结"), days, (1, 2)))
    axis = chart.valueAxis
    assert (axis.valueMin, axis.valueMax, axis.valueStep, axis.labelTextFormat) == (0, 80, 20, "%d")


def test_slanted_labels_get_the_room_they_reach_down() -> None:
    short, short_height = bar_chart(Table("t", ("类型", "取号"), (("存取款", 3),), (1,)))
    many = tuple((f"对公开户及变更业务{n}", n) for n in range(14))  # slanted: more than 12
    slanted, slanted_height = bar_chart(Table("t", ("类型", "取号"), many, (1,)))
    assert slanted.categoryAxis.labels.angle == 45 and short.categoryAxis.labels.angle == 0
    assert slanted.y > short.y + 20 and slanted_height > short_height  # the labels end above the drawing's foot


def test_column_titles_break_before_the_unit_and_around_latin_words() -> None:
    assert header_lines("等候P90(分钟)") == "等候\nP90\n(分钟)"
    assert header_lines("平均等候(分钟)") == "平均等候\n(分钟)"
    assert header_lines("取号") == "取号"
