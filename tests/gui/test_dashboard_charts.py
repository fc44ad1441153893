"""Issue #18: a narrow wait chart showed its bands as "5…", "1…": the labels shrink to fit."""

from __future__ import annotations

from PySide6.QtGui import QFontMetrics

from ui.dashboard.charts import MIN_LABEL_PX, WaitChart

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
