"""Queue pane: issue tickets, watch the waiting list live, serve this counter."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import DomainError
from app.domain.roles import Permission, has_permission
from app.domain.tickets import TicketStatus
from app.services.branches import list_business_types, list_counters
from app.services.queue import TicketView
from ui.context import AppContext
from ui.errors import describe
from ui.event_bridge import EventBridge
from ui.printing.preview_dialog import PdfPreviewDialog
from ui.printing.print_job import PrintJob, print_without_dialog
from ui.table_model import Column, RecordTableModel

#: The waiting minutes shown in the list grow with time, not only with events.
CLOCK_REFRESH_MS = 30_000


class QueuePane(QWidget):
    ticket_issued = Signal(object)  # TicketView
    counter_changed = Signal(object)  # TicketView | None after a counter action

    def __init__(self, context: AppContext, bridge: EventBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = context
        self._bridge = bridge
        self._zone = ZoneInfo(context.branch.timezone)
        self.current: TicketView | None = None
        self.last_issued: TicketView | None = None
        self.last_finished: TicketView | None = None
        self.preview: PdfPreviewDialog | None = None

        self._build_issue_box()
        self._build_waiting_list()
        self._build_counter_box()

        left = QVBoxLayout()
        left.addWidget(self.issue_box)
        left.addWidget(self.waiting_box, 1)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 3)
        layout.addWidget(self.counter_box, 2)

        self.message = QLabel()
        self.message.setObjectName("queueMessage")
        self.message.setWordWrap(True)
        left.addWidget(self.message)

        bridge.queue_changed.connect(self.refresh)
        self._clock = QTimer(self)
        self._clock.setInterval(CLOCK_REFRESH_MS)
        self._clock.timeout.connect(self.refresh)
        self._clock.start()
        self.refresh()

    # -- building ----------------------------------------------------------------------

    def _build_issue_box(self) -> None:
        self.issue_box = QGroupBox(self.tr("Issue a ticket"))
        self.business_combo = QComboBox()
        self.business_combo.setObjectName("businessCombo")
        for bt in list_business_types(self._ctx.db):
            self.business_combo.addItem(f"{bt.prefix}  {bt.name(self._ctx.language)}", bt.code)
        self.issue_button = QPushButton(self.tr("Issue ticket"))
        self.issue_button.setObjectName("issueButton")
        self.issue_button.clicked.connect(self.issue_ticket)
        self.issued_label = QLabel()
        self.issued_label.setObjectName("issuedLabel")
        self.print_slip_button = QPushButton(self.tr("Print slip"))
        self.print_slip_button.setObjectName("printSlipButton")
        self.print_slip_button.setEnabled(False)
        self.print_slip_button.clicked.connect(self.print_last_slip)
        self.preview_slip_button = QPushButton(self.tr("Preview slip…"))
        self.preview_slip_button.setObjectName("previewSlipButton")
        self.preview_slip_button.setEnabled(False)
        self.preview_slip_button.clicked.connect(self.preview_last_slip)
        row = QHBoxLayout(self.issue_box)
        row.addWidget(self.business_combo, 1)
        row.addWidget(self.issue_button)
        row.addWidget(self.issued_label, 1)
        row.addWidget(self.print_slip_button)
        row.addWidget(self.preview_slip_button)
        self.issue_box.setVisible(self._allowed(Permission.ISSUE_TICKET))

    def _build_waiting_list(self) -> None:
        self.waiting_box = QGroupBox(self.tr("Waiting"))
        language = self._ctx.language
        self.waiting_model: RecordTableModel[TicketView] = RecordTableModel([
            Column(self.tr("Ticket"), lambda t: t.number),
            Column(self.tr("Business"), lambda t: t.business_name(language)),
            Column(self.tr("Issued"), lambda t: self._local_time(t.issued_at)),
            Column(self.tr("Waiting (min)"), lambda t: self._minutes_since(t.issued_at),
                   Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
        ], self)
        self.waiting_view = QTableView()
        self.waiting_view.setObjectName("waitingView")
        self.waiting_view.setModel(self.waiting_model)
        self.waiting_view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.waiting_view.verticalHeader().hide()
        self.waiting_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.waiting_count = QLabel()
        self.waiting_count.setObjectName("waitingCount")
        box = QVBoxLayout(self.waiting_box)
        box.addWidget(self.waiting_count)
        box.addWidget(self.waiting_view)

    def _build_counter_box(self) -> None:
        self.counter_box = QGroupBox(self.tr("My counter"))
        self.counter_combo = QComboBox()
        self.counter_combo.setObjectName("counterCombo")
        for counter in list_counters(self._ctx.db, self._ctx.branch.id):
            if counter.active:
                self.counter_combo.addItem(counter.name, counter.number)
        if self._ctx.counter_number:
            index = self.counter_combo.findData(self._ctx.counter_number)
            if index >= 0:
                self.counter_combo.setCurrentIndex(index)
            self.counter_combo.setEnabled(False)  # this workstation is bound to its counter
        self.counter_combo.currentIndexChanged.connect(self.refresh)

        self.current_number = QLabel("—")
        self.current_number.setObjectName("currentNumber")
        big = QFont()
        big.setPointSize(40)
        big.setBold(True)
        self.current_number.setFont(big)
        self.current_number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.current_detail = QLabel()
        self.current_detail.setObjectName("currentDetail")
        self.current_detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.current_detail.setWordWrap(True)

        self.call_button = self._action_button(self.tr("Call next (F1)"), "callButton", self.call_next, "F1")
        self.recall_button = self._action_button(self.tr("Recall (F2)"), "recallButton", self.recall, "F2")
        self.serve_button = self._action_button(self.tr("Start (F3)"), "serveButton", self.start_or_finish, "F3")
        self.no_show_button = self._action_button(self.tr("No-show (F4)"), "noShowButton", self.no_show, "F4")

        self.receipt_button = QPushButton(self.tr("Service receipt…"))
        self.receipt_button.setObjectName("receiptButton")
        self.receipt_button.setEnabled(False)
        self.receipt_button.clicked.connect(self.preview_last_receipt)

        grid = QGridLayout()
        grid.addWidget(self.call_button, 0, 0)
        grid.addWidget(self.recall_button, 0, 1)
        grid.addWidget(self.serve_button, 1, 0)
        grid.addWidget(self.no_show_button, 1, 1)
        grid.addWidget(self.receipt_button, 2, 0, 1, 2)
        box = QVBoxLayout(self.counter_box)
        box.addWidget(self.counter_combo)
        box.addWidget(self.current_number)
        box.addWidget(self.current_detail)
        box.addLayout(grid)
        box.addStretch(1)
        self.counter_box.setVisible(self._allowed(Permission.SERVE_AT_COUNTER) and self.counter_combo.count() > 0)

    def _action_button(self, text: str, name: str, slot, key: str) -> QPushButton:  # type: ignore[no-untyped-def]
        button = QPushButton(text)
        button.setObjectName(name)
        button.setMinimumHeight(44)
        button.clicked.connect(slot)
        shortcut = QShortcut(QKeySequence(key), self)
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        shortcut.activated.connect(lambda: button.isEnabled() and button.isVisible() and button.click())
        return button

    # -- helpers -----------------------------------------------------------------------

    def _allowed(self, permission: Permission) -> bool:
        return self._ctx.actor is not None and has_permission(self._ctx.actor.role, permission)

    @property
    def counter_number(self) -> int:
        return int(self.counter_combo.currentData() or 0)

    def _local_time(self, moment: datetime | None) -> str:
        return moment.astimezone(self._zone).strftime("%H:%M:%S") if moment else ""

    def _minutes_since(self, moment: datetime) -> int:
        return max(0, int((self._ctx.queue.clock() - moment).total_seconds() // 60))

    def _run(self, action):  # type: ignore[no-untyped-def]
        """Run a service call; show a refused request as a sentence in the pane."""
        try:
            result = action()
        except DomainError as error:
            self.message.setText(describe(error))
            self.message.setStyleSheet("color: #b00020;")
            return None, False
        self.message.setStyleSheet("")
        return result, True

    # -- actions -----------------------------------------------------------------------

    def issue_ticket(self) -> None:
        code = self.business_combo.currentData()
        ticket, ok = self._run(lambda: self._ctx.queue.issue_ticket(self._ctx.actor, self._ctx.branch.id, code))
        if not ok:
            return
        self.issued_label.setText(self.tr("{number}: {ahead} ahead, about {minutes} min").format(
            number=ticket.number, ahead=ticket.waiting_ahead, minutes=ticket.estimated_wait_minutes))
        self.message.setText(self.tr("Ticket {number} issued.").format(number=ticket.number))
        self.last_issued = ticket
        self.print_slip_button.setEnabled(True)
        self.preview_slip_button.setEnabled(True)
        self.ticket_issued.emit(ticket)
        self.refresh()

    # -- printing ----------------------------------------------------------------------

    def _slip_pdf(self) -> bytes | None:
        if self.last_issued is None:
            return None
        pdf, ok = self._run(lambda: self._ctx.documents.ticket_slip(self._ctx.branch.id, self.last_issued.number,
                                                                    day=self.last_issued.business_day))
        return pdf if ok else None

    def print_last_slip(self) -> PrintJob | None:
        """Straight to the slip printer, as the lobby desk does for every customer."""
        pdf = self._slip_pdf()
        if pdf is None:
            return None
        job = print_without_dialog(pdf, self._ctx.settings.get("printing.slip_printer"), "slip")
        job.failed.connect(self._show_print_failure)
        return job

    def preview_last_slip(self) -> None:
        pdf = self._slip_pdf()
        if pdf is not None:
            self._open_preview(pdf, self.tr("Ticket slip {number}").format(number=self.last_issued.number),
                               "slip", self._ctx.settings.get("printing.slip_printer"))

    def preview_last_receipt(self) -> None:
        ticket = self.last_finished
        if ticket is None:
            return
        pdf, ok = self._run(lambda: self._ctx.documents.service_receipt(self._ctx.branch.id, ticket.number,
                                                                        day=ticket.business_day))
        if ok:
            self._open_preview(pdf, self.tr("Service receipt {number}").format(number=ticket.number), "a4",
                               self._ctx.settings.get("printing.a4_printer"))

    def _open_preview(self, pdf: bytes, title: str, kind: str, printer_name: str) -> None:
        if self.preview is not None:
            self.preview.close()
        self.preview = PdfPreviewDialog(pdf, title, kind, self, printer_name=printer_name)
        self.preview.setModal(False)
        self.preview.show()

    def _show_print_failure(self, reason: str) -> None:
        self.message.setText(self.tr("Printing failed: {reason}").format(reason=reason))
        self.message.setStyleSheet("color: #b00020;")

    def call_next(self) -> None:
        ticket, ok = self._run(lambda: self._ctx.queue.call_next(self._ctx.actor, self._ctx.branch.id,
                                                                 self.counter_number))
        if ok:
            self.message.setText(self.tr("Please {number} to counter {counter}.").format(
                number=ticket.number, counter=self.counter_number) if ticket else self.tr("Nobody is waiting."))
            self._after_counter_action(ticket)

    def recall(self) -> None:
        self._counter_action(self._ctx.queue.recall)

    def start_or_finish(self) -> None:
        if self.current is not None and self.current.status is TicketStatus.SERVING:
            self._counter_action(self._ctx.queue.finish)
        else:
            self._counter_action(self._ctx.queue.start)

    def no_show(self) -> None:
        self._counter_action(self._ctx.queue.no_show)

    def _counter_action(self, method) -> None:  # type: ignore[no-untyped-def]
        ticket, ok = self._run(lambda: method(self._ctx.actor, self._ctx.branch.id, self.counter_number))
        if ok:
            self._after_counter_action(ticket)

    def _after_counter_action(self, ticket: TicketView | None) -> None:
        if ticket is not None and ticket.status is TicketStatus.FINISHED:
            self.last_finished = ticket
            self.receipt_button.setEnabled(True)
            self.receipt_button.setText(self.tr("Service receipt {number}…").format(number=ticket.number))
        self.refresh()
        self.counter_changed.emit(ticket)

    # -- refresh -----------------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read the waiting list and this counter's ticket from the database."""
        try:
            waiting = self._ctx.queue.list_tickets(self._ctx.branch.id, status=TicketStatus.WAITING)
            current = (self._ctx.queue.current_ticket(self._ctx.branch.id, self.counter_number)
                       if self.counter_number else None)
        except DomainError as error:
            self.message.setText(describe(error))
            return
        self.waiting_model.set_rows(waiting)
        self.waiting_count.setText(self.tr("{count} waiting").format(count=len(waiting)))
        self._show_current(current)

    def _show_current(self, ticket: TicketView | None) -> None:
        self.current = ticket
        serving = ticket is not None and ticket.status is TicketStatus.SERVING
        self.current_number.setText(ticket.number if ticket else "—")
        if ticket is None:
            self.current_detail.setText(self.tr("No ticket at this counter."))
        else:
            state = self.tr("Serving since {time}").format(time=self._local_time(ticket.started_at)) if serving \
                else self.tr("Called at {time} ({count}×)").format(time=self._local_time(ticket.called_at),
                                                                   count=ticket.call_count)
            self.current_detail.setText(f"{ticket.business_name(self._ctx.language)}\n{state}")
        self.serve_button.setText(self.tr("Finish (F3)") if serving else self.tr("Start (F3)"))
        self.call_button.setEnabled(ticket is None)
        self.recall_button.setEnabled(ticket is not None and not serving)
        self.serve_button.setEnabled(ticket is not None)
        self.no_show_button.setEnabled(ticket is not None and not serving)

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if self.preview is not None:
            self.preview.close()
        self._clock.stop()
        self._bridge.queue_changed.disconnect(self.refresh)
        super().closeEvent(event)
