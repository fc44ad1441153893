"""Issue #18: a narrow wait chart showed its bands as "5…", "1…": the labels shrink to fit."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontMetrics

from ui.dashboard.charts import MIN_LABEL_PX, WaitChart
from ui.printing.fonts import install_app_font

BANDS = ["0–5", "5–10", "10–15", "15–20", "20–30", "30+"]


def test_band_labels_fit_their_categories_at_a_narrow_width(qtbot) -> None:  # type: ignore[no-untyped-def]
    chart = WaitChart()
    qtbot.addWidget(chart)
    chart.resize(900, 300)
    chart.show()
    chart.update_series(BANDS, [150, 3, 0, 0, 0, 0])
    wide = chart.band_axis.labelsFont().pixelSize()
    chart.resize(290, 300)  # the dashboard's right column at 800 pixels
    qtbot.wait(20)
    font = chart.band_axis.labelsFont()
    room = chart.chart().plotArea().width() / len(BANDS)
    assert MIN_LABEL_PX <= font.pixelSize() < wide
    assert QFontMetrics(font).horizontalAdvance("10–15") <= room


def test_on_the_dashboard_at_800_pixels_the_bands_are_not_cut(qtbot, qapp, make_dashboard) -> None:  # type: ignore[no-untyped-def]
    """As the soak's screenshot showed it: the wait chart in the dashboard's right column, in
    the app's embedded font."""
    font = QFont(qapp.font())
    install_app_font(qapp)
    try:
        dashboard = make_dashboard("zh_CN")
        dashboard.resize(800, 800)
        qtbot.wait(50)
        chart = dashboard.wait_chart
        categories = chart.band_axis.categories()
        room = chart.chart().plotArea().width() / len(categories)
        widest = max(QFontMetrics(chart.band_axis.labelsFont()).horizontalAdvance(c) for c in categories)
        assert widest + 4 <= room
        # QtCharts would still cut a label with room to spare ("5…" at 28 of 41 px): it must not.
        assert not chart.band_axis.truncateLabels() and not dashboard.hourly_chart.hour_axis.truncateLabels()
    finally:
        qapp.setFont(font)
