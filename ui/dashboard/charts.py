"""The dashboard's two charts (QtCharts). Built once; a refresh replaces values in the
existing series, so the charts never rebuild or flicker while the lobby watches."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QWidget

from app.domain.chart_scale import nice_scale
from app.services.dashboard import HourlySeries

ARRIVALS_COLOR = "#1f5fa8"
SERVED_COLOR = "#2e8b57"
USUAL_COLOR = "#c0392b"


def _chart(title: str, font_px: int) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    font = QFont()
    font.setPixelSize(font_px)
    chart.setTitleFont(font)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    legend_font = QFont()
    legend_font.setPixelSize(max(12, font_px - 4))
    chart.legend().setFont(legend_font)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    return chart


#: Category labels shrink to this size (pixels) before Qt would cut them to "5…".
MIN_LABEL_PX = 9
_LABEL_PX = 14


def _fit_categories(view: QChartView, axis: QBarCategoryAxis) -> None:
    """The bottom axis's labels at a size each fits its category's width: at a narrow chart the
    wait bands read "5…", "1…" instead of 5–10, 10–15 (QtCharts cuts a label well before it
    would touch the next, so its truncation is off and the size is chosen here). Called when
    the plot area changes (a resize has laid the chart out anew) and when the categories do."""
    categories = axis.categories()
    if not categories:
        return
    plot = view.chart().plotArea().width()
    width = (plot if plot > 0 else view.width() * 0.8) / len(categories) - 4
    font = QFont(axis.labelsFont())
    font.setPixelSize(_LABEL_PX)
    longest = max(categories, key=len)
    while font.pixelSize() > MIN_LABEL_PX and QFontMetrics(font).horizontalAdvance(longest) > width:
        font.setPixelSize(font.pixelSize() - 1)
    if font != axis.labelsFont():
        axis.setLabelsFont(font)


def _set_values(bar_set: QBarSet, values: Sequence[float]) -> None:
    """Replace values in place; grow or shrink only at the end."""
    while bar_set.count() > len(values):
        bar_set.remove(bar_set.count() - 1)
    for i, value in enumerate(values):
        if i < bar_set.count():
            if bar_set.at(i) != value:
                bar_set.replace(i, value)
        else:
            bar_set.append(value)


def _scale_to(axis: QValueAxis, top: float) -> None:
    """Whole-number ticks at a nice step, the tallest bar below the frame (app/domain/chart_scale.py)."""
    scale = nice_scale(top)
    axis.setRange(0, scale.maximum)
    axis.setTickCount(scale.tick_count)


class HourlyChart(QChartView):
    """Arrivals and served per hour today (bars) against the usual same weekday (lines)."""

    def __init__(self, parent: QWidget | None = None, font_px: int = 18) -> None:
        super().__init__(parent)
        self.setObjectName("hourlyChart")
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        chart = _chart(self.tr("Arrivals and customers served per hour"), font_px)
        self.arrivals = QBarSet(self.tr("Arrivals today"))
        self.arrivals.setColor(QColor(ARRIVALS_COLOR))
        self.served = QBarSet(self.tr("Served today"))
        self.served.setColor(QColor(SERVED_COLOR))
        self.bars = QBarSeries()
        self.bars.append(self.arrivals)
        self.bars.append(self.served)
        self.usual_arrivals = QLineSeries()
        self.usual_arrivals.setName(self.tr("Usual arrivals (same weekday)"))
        self.usual_arrivals.setPen(QPen(QColor(USUAL_COLOR), 3))
        self.usual_served = QLineSeries()
        self.usual_served.setName(self.tr("Usually served (same weekday)"))
        self.usual_served.setPen(QPen(QColor(USUAL_COLOR), 2, Qt.PenStyle.DashLine))
        chart.addSeries(self.bars)
        chart.addSeries(self.usual_arrivals)
        chart.addSeries(self.usual_served)
        self.hour_axis = QBarCategoryAxis()
        self.hour_axis.setTruncateLabels(False)  # sized to fit instead (_fit_categories)
        self.count_axis = QValueAxis()
        self.count_axis.setLabelFormat("%d")
        _scale_to(self.count_axis, 0)  # whole ticks from the start, before the first read
        chart.addAxis(self.hour_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(self.count_axis, Qt.AlignmentFlag.AlignLeft)
        for series in (self.bars, self.usual_arrivals, self.usual_served):
            series.attachAxis(self.hour_axis)
            series.attachAxis(self.count_axis)
        self.setChart(chart)
        self._hours: tuple[int, ...] = ()
        chart.plotAreaChanged.connect(self._fit_labels)

    def _fit_labels(self, _area: object = None) -> None:
        _fit_categories(self, self.hour_axis)

    def update_series(self, hourly: HourlySeries) -> None:
        if hourly.hours != self._hours:
            self._hours = hourly.hours
            self.hour_axis.setCategories([f"{h:02d}" for h in hourly.hours])
            _fit_categories(self, self.hour_axis)
        _set_values(self.arrivals, hourly.arrivals)
        _set_values(self.served, hourly.served)
        # Line points sit on the category index (0, 1, …) of the bar axis.
        for series, values in ((self.usual_arrivals, hourly.usual_arrivals),
                               (self.usual_served, hourly.usual_served)):
            series.replace([QPointF(i, v) for i, v in enumerate(values or ())])
            series.setVisible(values is not None)
        top = max([*hourly.arrivals, *hourly.served, *(hourly.usual_arrivals or ()), *(hourly.usual_served or ()), 0])
        _scale_to(self.count_axis, top)


class WaitChart(QChartView):
    """How long today's called customers waited: how many in each band of minutes."""

    def __init__(self, parent: QWidget | None = None, font_px: int = 18) -> None:
        super().__init__(parent)
        self.setObjectName("waitChart")
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        chart = _chart(self.tr("Waiting time today (minutes)"), font_px)
        self.counts = QBarSet(self.tr("Customers"))
        self.counts.setColor(QColor(ARRIVALS_COLOR))
        self.bars = QBarSeries()
        self.bars.append(self.counts)
        chart.addSeries(self.bars)
        self.band_axis = QBarCategoryAxis()
        self.band_axis.setTruncateLabels(False)  # sized to fit instead (_fit_categories)
        self.count_axis = QValueAxis()
        self.count_axis.setLabelFormat("%d")
        _scale_to(self.count_axis, 0)  # whole ticks from the start, before the first read
        chart.addAxis(self.band_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(self.count_axis, Qt.AlignmentFlag.AlignLeft)
        self.bars.attachAxis(self.band_axis)
        self.bars.attachAxis(self.count_axis)
        chart.legend().hide()
        self.setChart(chart)
        self._bands: tuple[str, ...] = ()
        chart.plotAreaChanged.connect(self._fit_labels)

    def _fit_labels(self, _area: object = None) -> None:
        _fit_categories(self, self.band_axis)

    def update_series(self, bands: Sequence[str], counts: Sequence[int]) -> None:
        if tuple(bands) != self._bands:
            self._bands = tuple(bands)
            self.band_axis.setCategories(list(bands))
            _fit_categories(self, self.band_axis)
        _set_values(self.counts, counts)
        _scale_to(self.count_axis, max([*counts, 0]))
