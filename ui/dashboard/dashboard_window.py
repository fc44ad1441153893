"""The lobby dashboard (大堂看板): queue figures per business type and per counter, alerts
with a flexible-window suggestion, satisfaction against the goal, and two charts.

Large type for reading across the lobby; F11 or the button toggles full screen. A live pane
(ui/live_pane.py): refreshes come from the event bridge (queue, complaints and settings topics,
bursts already merged there) and a slow clock (waits grow without events); each refresh reads
the snapshot on the worker thread and updates labels, cells and chart series in place.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import DomainError
from app.domain.kpi import Alert, AlertKind
from app.services.counters import CounterState
from app.services.complaint_reads import ComplaintCounts
from app.services.dashboard import BusinessKpi, CounterKpi, DashboardService, DashboardSnapshot
from app.domain.tickets import TicketStatus
from app.topics import TOPIC_COMPLAINTS, TOPIC_QUEUE, TOPIC_SETTINGS
from ui.context import AppContext
from ui.connection_banner import OutageView
from ui.dashboard.charts import HourlyChart, WaitChart
from ui.labels import counter_label
from ui.errors import describe
from ui.event_bridge import EventBridge
from ui.live_pane import LivePane
from ui.table_model import RIGHT, Column, RecordTableModel
from ui.style import ERROR, ERROR_TEXT, GOOD, GOOD_TEXT, WARNING_TEXT

#: Waits grow between events: re-read at least this often.
CLOCK_REFRESH_MS = 30_000
#: Narrower than this (a 1024-pixel screen, the dashboard tab of a main window), the tables use smaller type.
COMPACT_BELOW_PX = 1400

STYLE = """
QWidget#dashboard { background: #f5f7fa; }
QLabel#title { font-size: 30px; font-weight: bold; color: #0b2447; }
QLabel#clock { font-size: 26px; color: #0b2447; }
QLabel.tileValue, QLabel#satisfactionValue, QLabel#complaintsValue { font-size: 40px; font-weight: bold; }
QLabel#satisfactionCaption, QLabel#alertsCaption { font-size: 20px; color: #333; }
QLabel#alerts { font-size: 22px; color: {ERROR}; font-weight: bold; }
QLabel#noAlerts { font-size: 22px; color: {GOOD}; }
QLabel#staleAlerts { font-size: 22px; color: #7a5200; background: #fff3cd; padding: 4px; }
QLabel#clock[stale="true"] { color: {ERROR}; font-weight: bold; }
QTableView { font-size: 20px; }
QHeaderView::section { font-size: 18px; font-weight: bold; padding: 4px; }
QWidget#dashboard[compact="true"] QTableView { font-size: 15px; }
QWidget#dashboard[compact="true"] QHeaderView::section { font-size: 14px; padding: 2px; }
""".replace("{ERROR}", ERROR).replace("{GOOD}", GOOD)


def _minutes(value: float | None) -> str:
    return "" if value is None else f"{value:.0f}"


class DashboardWindow(LivePane):
    refreshed = Signal(object)  # DashboardSnapshot
    topics = (TOPIC_QUEUE, TOPIC_COMPLAINTS, TOPIC_SETTINGS)

    def __init__(self, context: AppContext, bridge: EventBridge, parent: QWidget | None = None,
                 service: DashboardService | None = None) -> None:
        super().__init__(parent, name="lobby dashboard")
        self.setObjectName("dashboard")
        self.setWindowTitle(self.tr("Lobby dashboard — {branch}").format(branch=context.branch.name))
        self.setStyleSheet(STYLE)
        self._ctx = context
        self._bridge = bridge
        self._language = context.language
        self.service = service or context.services.dashboard
        self.snapshot: DashboardSnapshot | None = None
        self._names: dict[str, str] = {}
        # While the database cannot be reached: a banner, figures stamped "as of", no "no alerts".
        self.outage = OutageView(bridge, self, self._zone(), self.tr(
            "Not connected to the database: the figures below are not live and alerts cannot be checked."))
        self.outage.changed.connect(self._on_connection)

        layout = QVBoxLayout(self)
        layout.addWidget(self.outage.banner)
        layout.addLayout(self._build_header())
        layout.addWidget(self._build_alerts())
        tables = QHBoxLayout()
        tables.addWidget(self._build_business_table(), 3)
        tables.addWidget(self._build_counter_table(), 2)
        layout.addLayout(tables, 3)
        charts = QHBoxLayout()
        self.hourly_chart = HourlyChart()
        self.wait_chart = WaitChart()
        charts.addWidget(self.hourly_chart, 3)
        charts.addWidget(self.wait_chart, 2)
        layout.addLayout(charts, 2)

        QShortcut(QKeySequence(Qt.Key.Key_F11), self, self.toggle_full_screen)
        # Background refreshes (changes, the slow clock): a failure is logged and retried, never a box.
        self.follow(bridge)
        self.every(CLOCK_REFRESH_MS)

    # -- building ----------------------------------------------------------------------

    def _build_header(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.title = QLabel(self.tr("{branch} — lobby").format(branch=self._ctx.branch.name))
        self.title.setObjectName("title")
        self.clock_label = QLabel()
        self.clock_label.setObjectName("clock")
        satisfaction = QFrame()
        box = QGridLayout(satisfaction)
        caption = QLabel(self.tr("Satisfaction today"))
        caption.setObjectName("satisfactionCaption")
        self.satisfaction_value = QLabel("—")
        self.satisfaction_value.setObjectName("satisfactionValue")
        self.satisfaction_detail = QLabel()
        self.satisfaction_detail.setObjectName("satisfactionCaption")
        box.addWidget(caption, 0, 0)
        box.addWidget(self.satisfaction_value, 1, 0)
        box.addWidget(self.satisfaction_detail, 2, 0)
        self.full_screen_button = QPushButton(self.tr("Full screen (F11)"))
        self.full_screen_button.setObjectName("fullScreenButton")
        self.full_screen_button.clicked.connect(self.toggle_full_screen)
        # Title over the time of the figures, the title wrapping if need be: the header fits a
        # 1024-pixel screen (and the dashboard tab a main window of that width).
        self.title.setWordWrap(True)
        heading = QVBoxLayout()
        heading.addWidget(self.title)
        heading.addWidget(self.clock_label)
        row.addLayout(heading, 1)
        row.addSpacing(16)
        row.addWidget(satisfaction)
        row.addSpacing(16)
        row.addWidget(self._build_complaints())
        row.addWidget(self.full_screen_button)
        return row

    def _build_complaints(self) -> QWidget:
        """Complaints open / due within the near-due window / overdue (from the complaints area)."""
        frame = QFrame()
        box = QGridLayout(frame)
        caption = QLabel(self.tr("Complaints"))
        caption.setObjectName("satisfactionCaption")
        self.complaints_value = QLabel("—")
        self.complaints_value.setObjectName("complaintsValue")
        self.complaints_detail = QLabel()
        self.complaints_detail.setObjectName("satisfactionCaption")
        box.addWidget(caption, 0, 0)
        box.addWidget(self.complaints_value, 1, 0)
        box.addWidget(self.complaints_detail, 2, 0)
        return frame

    def _show_complaints(self, counts: ComplaintCounts | None) -> None:
        if counts is None:
            self.complaints_value.setText("—")
            self.complaints_detail.setText("")
            return
        self.complaints_value.setText(self.tr("{open} open").format(open=counts.open))
        self.complaints_detail.setText(self.tr("{soon} due soon · {overdue} overdue").format(
            soon=counts.due_soon, overdue=counts.overdue))
        alarm = ERROR_TEXT if counts.overdue else (WARNING_TEXT if counts.due_soon else GOOD_TEXT)
        self.complaints_value.setStyleSheet(alarm)

    def _build_alerts(self) -> QWidget:
        self.alerts_label = QLabel()
        self.alerts_label.setObjectName("noAlerts")
        self.alerts_label.setWordWrap(True)
        return self.alerts_label

    def _table(self, name: str, model: RecordTableModel) -> QTableView:  # type: ignore[type-arg]
        view = QTableView()
        view.setObjectName(name)
        view.setModel(model)
        view.verticalHeader().hide()
        view.setSelectionMode(QTableView.SelectionMode.NoSelection)
        # Figures share the width; the names (first column) take what they need, up to a third
        # (_fit_names). Headers break over lines ("Avg wait / (min)") to fit narrow screens.
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        return view

    def _fit_names(self) -> None:
        for view in (self.business_view, self.counter_view):
            header = view.horizontalHeader()
            wanted = max(view.sizeHintForColumn(0), header.sectionSizeHint(0)) + 8
            header.resizeSection(0, min(wanted, view.viewport().width() // 3))

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().resizeEvent(event)
        compact = self.width() < COMPACT_BELOW_PX
        if self.property("compact") != compact:
            self.setProperty("compact", compact)
            self.setStyleSheet(STYLE)  # re-applies the [compact] rules to the tables
        self._fit_names()

    def _build_business_table(self) -> QTableView:
        self.business_model: RecordTableModel[BusinessKpi] = RecordTableModel([
            Column(self.tr("Business"), lambda b: b.name(self._language)),
            Column(self.tr("Waiting"), lambda b: b.waiting, RIGHT),
            Column(self.tr("Longest\nwait\n(min)"), lambda b: _minutes(b.longest_wait_minutes), RIGHT),
            Column(self.tr("Avg. wait\n(min)"), lambda b: _minutes(b.average_wait_minutes), RIGHT),
            Column(self.tr("Avg.\nservice\n(min)"), lambda b: _minutes(b.average_service_minutes), RIGHT),
            Column(self.tr("Served"), lambda b: b.served, RIGHT),
            Column(self.tr("Open\ncounters"), lambda b: b.open_counters, RIGHT),
        ], self, key=lambda b: b.code)
        self.business_view = self._table("businessView", self.business_model)
        return self.business_view

    def _build_counter_table(self) -> QTableView:
        self.counter_model: RecordTableModel[CounterKpi] = RecordTableModel([
            Column(self.tr("Counter"), lambda c: counter_label(c.number, c.name)),
            Column(self.tr("State"), self._counter_state),
            Column(self.tr("Ticket"), lambda c: c.current_number or ""),
            Column(self.tr("Time\n(min)"), lambda c: _minutes(c.serving_minutes), RIGHT),
            Column(self.tr("Served"), lambda c: c.served_today, RIGHT),
        ], self, key=lambda c: c.number)
        self.counter_view = self._table("counterView", self.counter_model)
        return self.counter_view

    def _counter_state(self, counter: CounterKpi) -> str:
        if counter.state is CounterState.OPEN:
            if counter.current_status is TicketStatus.SERVING:
                return self.tr("Serving")
            if counter.current_status is TicketStatus.CALLED:
                return self.tr("Calling")
            return self.tr("Idle")
        return self.tr("Paused") if counter.state is CounterState.PAUSED else self.tr("Closed")

    # -- refreshing --------------------------------------------------------------------

    def read_job(self) -> partial[DashboardSnapshot] | None:
        """The snapshot (one read); a hidden dashboard (another tab is in front) waits till shown."""
        if self._ctx.actor is None:
            return None
        return partial(self.service.snapshot, self._ctx.actor, self._ctx.branch.id)

    def show_result(self, snapshot: DashboardSnapshot) -> None:
        self.snapshot = snapshot
        self._names = {b.code: b.name(self._language) for b in snapshot.business}
        self.outage.mark_fresh(snapshot.at)
        self._show_clock()
        self.business_model.update_rows(list(snapshot.business))
        self.counter_model.update_rows(list(snapshot.counters))
        self._fit_names()
        self._show_satisfaction(snapshot)
        self._show_complaints(snapshot.extras.get("complaints"))
        self._show_alerts(snapshot.alerts)
        self.hourly_chart.update_series(snapshot.hourly)
        self.wait_chart.update_series(snapshot.wait_buckets, snapshot.wait_histogram)
        self.refreshed.emit(snapshot)

    def _zone(self):  # type: ignore[no-untyped-def]
        from zoneinfo import ZoneInfo

        return ZoneInfo(self._ctx.branch.timezone)

    def _show_satisfaction(self, snapshot: DashboardSnapshot) -> None:
        s = snapshot.satisfaction
        goal = f"{s.goal * 100:.0f}%"
        if s.rate is None:
            self.satisfaction_value.setText("—")
            self.satisfaction_value.setStyleSheet("color: #555;")
            self.satisfaction_detail.setText(self.tr("No ratings yet · goal {goal}").format(goal=goal))
            return
        self.satisfaction_value.setText(f"{s.rate * 100:.1f}%")
        self.satisfaction_value.setStyleSheet(GOOD_TEXT if s.meets_goal else ERROR_TEXT)
        self.satisfaction_detail.setText(self.tr("{satisfied} of {ratings} ratings · goal {goal}").format(
            satisfied=s.satisfied, ratings=s.ratings, goal=goal))

    def alert_text(self, alert: Alert) -> str:
        name = self._names.get(alert.business_code, alert.business_code)
        if alert.kind is AlertKind.LONG_WAIT:
            text = self.tr("{business}: a customer has waited {minutes:.0f} min (limit {limit:.0f}).").format(
                business=name, minutes=alert.value, limit=alert.threshold)
        else:
            text = self.tr(
                "{business}: {waiting:.0f} waiting, more than the open counters can take ({limit:.0f}).").format(
                business=name, waiting=alert.value, limit=alert.threshold)
        if alert.suggested_counters:
            counters = ", ".join(str(n) for n in alert.suggested_counters)
            text += " " + self.tr("Open a flexible counter: counter {counters} can serve it.").format(counters=counters)
        else:
            text += " " + self.tr("No paused or closed counter serves it; change a counter's services.")
        return text

    def _show_clock(self) -> None:
        """The time of the figures: plain while live, "as of 14:03:12" in red while disconnected."""
        if self.snapshot is None:
            self.clock_label.setText("")
        elif self.outage.online:
            self.clock_label.setText(self.snapshot.at.astimezone(self._zone()).strftime("%Y-%m-%d %H:%M"))
        else:
            self.clock_label.setText(self.outage.stamp)
        self.clock_label.setProperty("stale", not self.outage.online)
        self._repolish(self.clock_label)

    def _show_alerts(self, alerts: tuple[Alert, ...]) -> None:
        lines = ["⚠ " + self.alert_text(a) for a in alerts]
        if not self.outage.online:  # never "no alerts" on figures that are not live
            self.alerts_label.setObjectName("staleAlerts")
            stamp = self.outage.stamp
            self.alerts_label.setText("\n".join([
                self.tr("Alerts cannot be checked while the database is not connected (figures {as_of}).")
                .format(as_of=stamp) if stamp else
                self.tr("Alerts cannot be checked while the database is not connected."), *lines]))
        elif not alerts:
            self.alerts_label.setObjectName("noAlerts")
            self.alerts_label.setText(self.tr("No alerts: every queue is within its limits."))
        else:
            self.alerts_label.setObjectName("alerts")
            self.alerts_label.setText("\n".join(lines))
        self._repolish(self.alerts_label)

    @staticmethod
    def _repolish(widget: QWidget) -> None:
        widget.style().unpolish(widget)
        widget.style().polish(widget)

    def show_refusal(self, error: DomainError) -> None:
        """An explained refusal (not a failure to retry): in the alerts line, unless the outage
        text is there already."""
        if self.outage.online:
            self.alerts_label.setObjectName("alerts")
            self.alerts_label.setText(describe(error))
            self._repolish(self.alerts_label)

    def _on_connection(self, online: bool) -> None:
        if online:
            self.refresh()  # what happened meanwhile
        self._show_clock()
        self._show_alerts(self.snapshot.alerts if self.snapshot is not None else ())

    # -- window ------------------------------------------------------------------------

    def toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self.outage.stop()
        super().closeEvent(event)
