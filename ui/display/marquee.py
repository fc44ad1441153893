"""A notice line that scrolls from right to left, driven by a QTimer."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

TICK_MS = 30
#: Scroll speed in pixels per second at 1080 lines; scaled with the font.
SPEED_PX_PER_S = 120.0
#: Space between the end of the text and its next start, in multiples of the font height.
GAP_EMS = 4.0


class Marquee(QWidget):
    """Paints ``text`` and moves it left each tick; a text that fits is simply centred."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = text
        self.offset = 0.0
        self._color = QColor("#ffffff")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, False)
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    def text(self) -> str:
        return self._text

    def set_text(self, text: str) -> None:
        self._text = text
        self.offset = 0.0
        self.update()

    def set_color(self, color: QColor | str) -> None:
        self._color = QColor(color)
        self.update()

    @property
    def scrolling(self) -> bool:
        return self._text_width() > self.width()

    def stop(self) -> None:
        self._timer.stop()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(400, int(QFontMetricsF(self.font()).height() * 1.5))

    def _text_width(self) -> float:
        return QFontMetricsF(self.font()).horizontalAdvance(self._text)

    def _period(self) -> float:
        return self._text_width() + GAP_EMS * QFontMetricsF(self.font()).height()

    def _tick(self) -> None:
        if not self._text or not self.isVisible() or not self.scrolling:
            return
        step = SPEED_PX_PER_S * TICK_MS / 1000 * max(1.0, QFontMetricsF(self.font()).height() / 40)
        self.offset = (self.offset + step) % self._period()
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        if not self._text:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.setPen(self._color)
        painter.setFont(self.font())
        height = float(self.height())
        flags = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
        if not self.scrolling:
            painter.drawText(QRectF(0, 0, self.width(), height), Qt.AlignmentFlag.AlignCenter, self._text)
            return
        width = self._text_width()
        x = self.width() - self.offset
        # Draw as many copies as needed to fill the line while the text wraps around.
        while x > -width:
            x -= self._period()
        while x < self.width():
            painter.drawText(QRectF(x, 0, width + 2, height), flags, self._text)
            x += self._period()
        painter.end()
