"""Queue pane (the lobby side): issue tickets and print slips, book appointments, watch the
waiting list live. Serving a counter is the teller console's job (ui/queue/teller_console.py)."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from zoneinfo import ZoneInfo

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
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
from app.domain.roles import Permission
from app.domain.tickets import TicketStatus
from app.services.queue import TicketView
from app.topics import TOPIC_QUEUE
from ui.context import AppContext
from ui.errors import describe
from ui.event_bridge import EventBridge
from ui.live_pane import LivePane
from ui.message_bar import MessageBar
from ui.printing.preview_dialog import PdfPreviewDialog, open_preview
from ui.printing.print_job import PrintJob, print_without_dialog
from ui.table_model import RIGHT, Column, RecordTableModel

#: The waiting minutes shown in the list grow with time, not only with events.
CLOCK_REFRESH_MS = 30_000
#: The list's column computed from the clock.
MINUTES_COLUMN = 3


class QueuePane(LivePane):
    """Follows the queue topic and a clock; the list is read on the worker thread."""

    ticket_issued = Signal(object)  # TicketView
    topics = (TOPIC_QUEUE,)

    def __init__(self, context: AppContext, bridge: EventBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent, name="queue pane")
        self._ctx = context
        self._zone = ZoneInfo(context.branch.timezone)
        self.last_issued: TicketView | None = None
        self.preview: PdfPreviewDialog | None = None
        self.appointment_dialog: QDialog | None = None

        self._build_issue_box()
        self._build_waiting_list()

        layout = QVBoxLayout(self)
        layout.addWidget(self.issue_box)
        layout.addWidget(self.waiting_box, 1)
        self.message = MessageBar(name="queueMessage")
        layout.addWidget(self.message)

        self.follow(bridge)
        self.every(CLOCK_REFRESH_MS)
        self.refresh()  # once shown

    # -- building ----------------------------------------------------------------------

    def _build_issue_box(self) -> None:
        self.issue_box = QGroupBox(self.tr("Issue a ticket"))
        self.business_combo = QComboBox()
        self.business_combo.setObjectName("businessCombo")
        for bt in self._ctx.services.catalog.business_types():
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
        self.appointment_button = QPushButton(self.tr("Book appointment…"))
        self.appointment_button.setObjectName("appointmentButton")
        self.appointment_button.clicked.connect(self.book_appointment)
        row = QHBoxLayout(self.issue_box)
        row.addWidget(self.business_combo, 1)
        row.addWidget(self.issue_button)
        row.addWidget(self.issued_label, 1)
        row.addWidget(self.print_slip_button)
        row.addWidget(self.preview_slip_button)
        row.addSpacing(16)
        row.addWidget(self.appointment_button)
        self.issue_box.setVisible(self._allowed(Permission.ISSUE_TICKET))

    def _build_waiting_list(self) -> None:
        self.waiting_box = QGroupBox(self.tr("Waiting"))
        language = self._ctx.language
        self.waiting_model: RecordTableModel[TicketView] = RecordTableModel([
            Column(self.tr("Ticket"), lambda t: t.number),
            Column(self.tr("Business"), lambda t: t.business_name(language)),
            Column(self.tr("Issued"), lambda t: self._local_time(t.issued_at)),
            Column(self.tr("Waiting (min)"), lambda t: self._minutes_since(t.issued_at), RIGHT),
        ], self, key=lambda t: t.id)
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

    # -- helpers -----------------------------------------------------------------------

    def _allowed(self, permission: Permission) -> bool:
        return self._ctx.allows(permission)

    def _local_time(self, moment: datetime | None) -> str:
        return moment.astimezone(self._zone).strftime("%H:%M:%S") if moment else ""

    def _minutes_since(self, moment: datetime) -> int:
        return max(0, int((self._ctx.clock() - moment).total_seconds() // 60))

    def _run(self, action):  # type: ignore[no-untyped-def]
        """Run a service call; show a refused request as a sentence in the pane."""
        return self.message.guarded(action)

    # -- actions -----------------------------------------------------------------------

    def issue_ticket(self) -> None:
        code = self.business_combo.currentData()
        ticket, ok = self._run(lambda: self._ctx.services.queue.issue_ticket(self._ctx.actor, self._ctx.branch.id, code))
        if not ok:
            return
        self.issued_label.setText(
            self.tr("{number}: {ahead} ahead, served shortly").format(number=ticket.number, ahead=ticket.waiting_ahead)
            if not ticket.estimated_wait_minutes else
            self.tr("{number}: {ahead} ahead, about {minutes} min").format(
                number=ticket.number, ahead=ticket.waiting_ahead, minutes=ticket.estimated_wait_minutes))
        self.message.show_info(self.tr("Ticket {number} issued.").format(number=ticket.number))
        self.last_issued = ticket
        self.print_slip_button.setEnabled(True)
        self.preview_slip_button.setEnabled(True)
        self.ticket_issued.emit(ticket)
        self.show_now()

    # -- printing ----------------------------------------------------------------------

    def _slip_pdf(self) -> bytes | None:
        if self.last_issued is None:
            return None
        pdf, ok = self._run(lambda: self._ctx.services.documents.ticket_slip(self._ctx.branch.id, self.last_issued.number,
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

    def _open_preview(self, pdf: bytes, title: str, kind: str, printer_name: str) -> None:
        self.preview = open_preview(self.preview, pdf, title, kind, self, printer_name=printer_name)

    def _show_print_failure(self, reason: str) -> None:
        self.message.show_error(self.tr("Printing failed: {reason}").format(reason=reason))

    def book_appointment(self) -> QDialog:
        """Open the booking dialog (non-blocking); it shows the booking code when done."""
        from ui.queue.appointment_dialog import AppointmentDialog

        if self.appointment_dialog is not None:
            self.appointment_dialog.close()
        self.appointment_dialog = AppointmentDialog(self._ctx, self)
        self.appointment_dialog.show()
        return self.appointment_dialog

    # -- refresh -----------------------------------------------------------------------

    def read_job(self) -> partial[list[TicketView]]:
        return partial(self._ctx.services.queue.list_tickets, self._ctx.branch.id, status=TicketStatus.WAITING)

    def show_result(self, waiting: list[TicketView]) -> None:
        self.waiting_model.update_rows(waiting)  # keyed: the selected ticket stays selected
        self.waiting_model.clock_moved(MINUTES_COLUMN)
        self.waiting_count.setText(self.tr("{count} waiting").format(count=len(waiting)))

    def show_refusal(self, error: DomainError) -> None:
        self.message.show_error(describe(error))

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if self.preview is not None:
            self.preview.close()
        if self.appointment_dialog is not None:
            self.appointment_dialog.close()
        super().closeEvent(event)
