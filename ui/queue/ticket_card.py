"""The counter's current ticket in large type: number, business type, priority badge, and
two timers ticking each second (waiting since arrival, service since start)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.domain.priority import PriorityClass
from app.domain.tickets import TicketStatus
from app.services.queue import TicketView
from ui.labels import PRIORITY_COLOURS, priority_label

TICK_MS = 1000


def format_duration(seconds: float) -> str:
    """``754`` → ``12 min 34 s`` (12分34秒); an hour or more → ``1 h 02 min``: with units, so a
    wait never reads like a time of day ("17:14")."""
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return QCoreApplication.translate("TicketCard", "{hours} h {minutes:02d} min").format(
            hours=hours, minutes=minutes)
    return QCoreApplication.translate("TicketCard", "{minutes} min {seconds:02d} s").format(
        minutes=minutes, seconds=secs)


class TicketCard(QFrame):
    def __init__(self, clock: Callable[[], datetime], zone: ZoneInfo, language: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ticketCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#ticketCard { background: #f7f9fc; border: 1px solid #c9d3e0; border-radius: 6px; }")
        self._clock = clock
        self._zone = zone
        self._language = language
        self.ticket: TicketView | None = None

        self.number = QLabel("—")
        self.number.setObjectName("currentNumber")
        big = QFont()
        big.setPointSize(48)
        big.setBold(True)
        self.number.setFont(big)
        self.number.setStyleSheet("color: #16365c;")
        self.badge = QLabel()
        self.badge.setObjectName("priorityBadge")
        self.badge.hide()
        self.business = QLabel()
        self.business.setObjectName("currentBusiness")
        medium = QFont()
        medium.setPointSize(16)
        self.business.setFont(medium)
        self.status = QLabel()
        self.status.setObjectName("currentDetail")
        self.status.setStyleSheet("color: #444;")

        self.waiting_time = QLabel()
        self.waiting_time.setObjectName("waitingTime")
        self.service_time = QLabel()
        self.service_time.setObjectName("serviceTime")
        timer_font = QFont()
        timer_font.setPointSize(15)
        timer_font.setBold(True)
        for label in (self.waiting_time, self.service_time):
            label.setFont(timer_font)
        waiting_caption = QLabel(self.tr("Waiting"))
        service_caption = QLabel(self.tr("Service"))
        for caption in (waiting_caption, service_caption):
            caption.setStyleSheet("color: #666;")

        top = QHBoxLayout()
        top.addWidget(self.number)
        top.addSpacing(12)
        top.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignVCenter)
        top.addStretch(1)
        timers = QGridLayout()
        timers.setHorizontalSpacing(28)
        timers.addWidget(waiting_caption, 0, 0)
        timers.addWidget(service_caption, 0, 1)
        timers.addWidget(self.waiting_time, 1, 0)
        timers.addWidget(self.service_time, 1, 1)
        timers.setColumnStretch(2, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 10, 18, 14)
        layout.addLayout(top)
        layout.addWidget(self.business)
        layout.addWidget(self.status)
        layout.addSpacing(6)
        layout.addLayout(timers)

        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self.tick)
        self.show_ticket(None)

    def _local_time(self, moment: datetime | None) -> str:
        return moment.astimezone(self._zone).strftime("%H:%M:%S") if moment else ""

    def show_ticket(self, ticket: TicketView | None, *, counter_open: bool = True) -> None:
        """``counter_open``: False while the counter is paused or closed (F1 would not call)."""
        self.ticket = ticket
        if ticket is None:
            self.number.setText("—")
            self.business.setText(self.tr("No ticket at this counter"))
            self.status.setText(self.tr("Press F1 to call the next customer.") if counter_open else
                                self.tr("The counter is not open: press F6 to resume."))
            self.badge.hide()
            self._timer.stop()
            self.tick()
            return
        self.number.setText(ticket.number)
        self.business.setText(ticket.business_name(self._language))
        label = priority_label(ticket.priority)
        self.badge.setVisible(bool(label))
        if label:
            colour = PRIORITY_COLOURS.get(PriorityClass(ticket.priority), "#555")
            self.badge.setText(label)
            self.badge.setStyleSheet(f"background: {colour}; color: white; border-radius: 4px; padding: 3px 10px; "
                                     "font-weight: bold; font-size: 14px;")
        if ticket.status is TicketStatus.SERVING:
            self.status.setText(self.tr("Serving since {time}").format(time=self._local_time(ticket.started_at)))
        else:
            self.status.setText(self.tr("Called at {time} ({count}×)").format(
                time=self._local_time(ticket.called_at), count=ticket.call_count))
        self.tick()
        if not self._timer.isActive():
            self._timer.start()

    def tick(self) -> None:
        ticket = self.ticket
        if ticket is None:
            self.waiting_time.setText("—")
            self.service_time.setText("—")
            return
        now = self._clock()
        arrival = ticket.arrival_at or ticket.issued_at
        # The wait lasts until service begins; then it stays at what the customer waited.
        self.waiting_time.setText(format_duration(((ticket.started_at or now) - arrival).total_seconds()))
        self.service_time.setText(format_duration((now - ticket.started_at).total_seconds())
                                  if ticket.started_at else "—")

    def stop(self) -> None:
        self._timer.stop()
