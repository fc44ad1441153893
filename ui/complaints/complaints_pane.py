"""Complaints pane: filtered list (overdue red, near due amber), detail with timeline, step buttons,
entry form, and printing of the acknowledgement and reply through the shared preview.

Personal values arrive masked from the services; the pane never masks or unmasks anything
itself — a full value is an audited reveal (ui/complaints/personal_view.py). The detail's widgets
are ui/complaints/detail_view.py; what its buttons do is here."""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.complaint_entry import ComplaintEntry
from app.domain.complaints import ComplaintAction
from app.domain.complaints_vocab import CATEGORIES, REASONS, REPLY_METHODS
from app.domain.errors import DomainError
from app.services.complaint_reads import ComplaintFilter, ComplaintRow, ComplaintView
from app.topics import TOPIC_COMPLAINTS
from ui.complaints.detail_view import ComplaintDetail
from ui.complaints.entry_dialog import ComplaintEntryDialog
from ui.complaints.labels import action_labels, status_labels, term_label
from ui.complaints.step_dialog import StepDialog
from ui.complaints.steps import steps
from ui.context import AppContext
from ui.errors import describe
from ui.event_bridge import EventBridge
from ui.live_pane import LivePane
from ui.printing.preview_dialog import PdfPreviewDialog, open_preview
from ui.table_model import Column, RecordTableModel
from ui.message_bar import MessageBar

OVERDUE_COLOUR = QColor("#f8d7da")
NEAR_DUE_COLOUR = QColor("#fff3cd")


class ComplaintTableModel(RecordTableModel[ComplaintRow]):
    """Overdue rows red, near-due rows amber."""

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # type: ignore[override]
        if role == Qt.ItemDataRole.BackgroundRole and index.isValid():
            row = self.row_at(index.row())
            return OVERDUE_COLOUR if row.overdue else NEAR_DUE_COLOUR if row.near_due else None
        return super().data(index, role)


#: What a read of the pane brings: the list, the complaint the read was made for (its id, None)
#: and that complaint's detail (None when nothing was selected or it left the list).
PaneRead = tuple[list[ComplaintRow], int | None, ComplaintView | None]


class ComplaintsPane(LivePane):
    """Follows the complaints topic: another workstation's step re-reads the list and the open
    complaint on the worker thread (a hidden pane once it is shown); the user's own steps and
    filters re-read at once."""

    topics = (TOPIC_COMPLAINTS,)

    def __init__(self, context: AppContext, bridge: EventBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent, name="complaints pane")
        self._ctx = context
        self.service = context.services.complaints
        self.reads = context.services.complaint_reads
        self.documents = context.services.complaint_documents
        self.current: ComplaintView | None = None
        self.entry_dialog: ComplaintEntryDialog | None = None
        self.step_dialog: StepDialog | None = None
        self.preview: PdfPreviewDialog | None = None
        self._statuses = status_labels()
        self._actions = action_labels()

        layout = QVBoxLayout(self)
        layout.addLayout(self._build_filters())
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self._build_list())
        splitter.addWidget(self._build_detail())
        layout.addWidget(splitter, 1)
        self.message = MessageBar(name="complaintsMessage")
        layout.addWidget(self.message)
        self.follow(bridge)
        self.refresh()  # once shown

    # -- building ----------------------------------------------------------------------

    def _build_filters(self) -> QHBoxLayout:
        self.new_button = QPushButton(self.tr("New complaint…"))
        self.new_button.setObjectName("newComplaintButton")
        self.new_button.clicked.connect(lambda: self.record())
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("statusFilter")
        self.status_filter.addItem(self.tr("All states"), None)
        for status, label in self._statuses.items():
            self.status_filter.addItem(label, str(status))
        self.overdue_filter = QCheckBox(self.tr("Overdue"))
        self.overdue_filter.setObjectName("overdueFilter")
        self.due_soon_filter = QCheckBox(self.tr("Due within 3 days"))
        self.due_soon_filter.setObjectName("dueSoonFilter")
        self.category_filter = QComboBox()
        self.category_filter.setObjectName("categoryFilter")
        self.category_filter.addItem(self.tr("All categories"), None)
        for term in CATEGORIES.terms:
            self.category_filter.addItem(term_label(CATEGORIES, term.code, self._ctx.language), term.code)
        self.handler_filter = QComboBox()
        self.handler_filter.setObjectName("handlerFilter")
        self.handler_filter.addItem(self.tr("All handlers"), None)
        for uid, name in self.reads.branch_staff(self._ctx.branch.id):
            self.handler_filter.addItem(name, uid)
        for combo in (self.status_filter, self.category_filter, self.handler_filter):
            combo.currentIndexChanged.connect(self.show_now)
        for box in (self.overdue_filter, self.due_soon_filter):
            box.toggled.connect(self.show_now)
        row = QHBoxLayout()
        for widget in (self.new_button, self.status_filter, self.overdue_filter, self.due_soon_filter,
                       self.category_filter, self.handler_filter):
            row.addWidget(widget)
        row.addStretch(1)
        return row

    def _build_list(self) -> QWidget:
        language = self._ctx.language
        self.model = ComplaintTableModel([
            Column(self.tr("Reference"), lambda r: r.reference or self.tr("Draft #{id}").format(id=r.id)),
            Column(self.tr("State"), lambda r: self._statuses.get(r.status, r.status)
                   + (self.tr(" (paused)") if r.paused else "")),
            Column(self.tr("Received"), lambda r: r.received_on),
            Column(self.tr("Due"), lambda r: r.due_on),
            Column(self.tr("Complainant"), lambda r: r.complainant),
            Column(self.tr("Reason"), lambda r: term_label(REASONS, r.reason, language)),
            Column(self.tr("Category"), lambda r: term_label(CATEGORIES, r.category, language)),
            Column(self.tr("Handler"), lambda r: r.handler_name),
        ], self, key=lambda r: r.id)
        self.table = QTableView()
        self.table.setObjectName("complaintsView")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(lambda current, _: self._select_row(current.row()))
        return self.table

    def _build_detail(self) -> ComplaintDetail:
        self.detail_view = view = ComplaintDetail(self._ctx, self.reads)
        view.personal.failed.connect(self._fail)
        for action, button in view.action_buttons.items():
            button.clicked.connect(lambda _=False, a=action: self.start_step(a))
        view.edit_draft_button.clicked.connect(self.edit_draft)
        view.ack_button.clicked.connect(self.preview_acknowledgement)
        view.reply_button.clicked.connect(self.preview_reply)
        # The pane's own names for the detail's widgets (tests read and press them).
        self.detail, self.personal, self.timeline = view.detail, view.personal, view.timeline
        self.action_buttons = view.action_buttons
        self.edit_draft_button, self.ack_button, self.reply_button = \
            view.edit_draft_button, view.ack_button, view.reply_button
        return view

    # -- helpers -----------------------------------------------------------------------

    def _run(self, action):  # type: ignore[no-untyped-def]
        return self.message.guarded(action)

    def _fail(self, text: str) -> None:
        self.message.show_error(text)

    def current_filter(self) -> ComplaintFilter:
        return ComplaintFilter(status=self.status_filter.currentData(), overdue=self.overdue_filter.isChecked(),
                               due_within_days=self.reads.policy.deadlines.near_due_days
                               if self.due_soon_filter.isChecked() else None,
                               category=self.category_filter.currentData(),
                               handler_id=self.handler_filter.currentData())

    # -- list and detail ---------------------------------------------------------------

    def read_job(self) -> partial[PaneRead]:
        return partial(self._read, self.current_filter(), self.current.row.id if self.current else None)

    def _read(self, chosen: ComplaintFilter, selected: int | None) -> PaneRead:
        """On the worker thread (or in show_now): one list and the open complaint's detail."""
        rows = self.reads.list(self._ctx.actor, self._ctx.branch.id, chosen)
        keep = selected is not None and any(r.id == selected for r in rows)
        return rows, selected, self.reads.get(self._ctx.actor, selected) if keep else None

    def show_result(self, result: PaneRead) -> None:
        rows, selected, view = result
        self.model.update_rows(rows)  # keyed: the selected row and the scroll position stay
        if (self.current.row.id if self.current else None) != selected:
            return  # the user opened another complaint while this was read; that one stays
        self._show_view(view)
        if view is not None:
            self._mark_selected(view.row.id)

    def show_refusal(self, error: DomainError) -> None:
        self.message.show_error(describe(error))

    def _mark_selected(self, complaint_id: int) -> None:
        """Select the complaint's row without reading it again."""
        row = self.model.row_of(complaint_id)
        if row is not None and self.table.currentIndex().row() != row:
            blocked = self.table.selectionModel().blockSignals(True)
            self.table.selectRow(row)
            self.table.selectionModel().blockSignals(blocked)

    def _select_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.show_complaint(self.model.row_at(row).id)

    def select(self, complaint_id: int) -> None:
        self._mark_selected(complaint_id)
        self.show_complaint(complaint_id)

    def show_complaint(self, complaint_id: int | None) -> None:
        """Open a complaint the user chose (read at once: they wait for it)."""
        view = None
        if complaint_id is not None:
            view, _ok = self._run(lambda: self.reads.get(self._ctx.actor, complaint_id))
        self._show_view(view)

    def _show_view(self, view: ComplaintView | None) -> None:
        self.current = view
        self.detail_view.show_view(view)

    # -- entry -------------------------------------------------------------------------

    def record(self, entry: ComplaintEntry | None = None, complaint_id: int | None = None) -> ComplaintEntryDialog:
        """Open the entry form (non-blocking); a saved draft or a submission refreshes the list."""
        if self.entry_dialog is not None:
            self.entry_dialog.close()
        dialog = ComplaintEntryDialog(self._ctx, self.service, self.reads, entry, complaint_id, self)
        dialog.saved.connect(lambda _id: self.show_now())
        dialog.submitted.connect(self._submitted)
        self.entry_dialog = dialog
        dialog.show()
        return dialog

    def record_for_ticket(self, ticket_id: int) -> ComplaintEntryDialog | None:
        entry, ok = self._run(lambda: self.reads.entry_for_ticket(self._ctx.actor, ticket_id))
        return self.record(entry) if ok else None

    def edit_draft(self) -> ComplaintEntryDialog | None:
        if self.current is None:
            return None
        return self.record(self.current.entry, self.current.row.id)

    def _submitted(self, reference: str) -> None:
        self.message.show_info(self.tr("Complaint {reference} recorded.").format(reference=reference))
        self.show_now()
        match = [r.id for r in self.model.rows() if r.reference == reference]
        if match:
            self.select(match[0])

    # -- steps -------------------------------------------------------------------------

    def start_step(self, action: ComplaintAction) -> StepDialog | None:
        if self.current is None:
            return None
        step = steps()[action]
        complaint_id, reference = self.current.row.id, self.current.row.reference or ""
        choices: list[tuple[str, object]] = []
        if action is ComplaintAction.ASSIGN:
            choices = [(name, uid) for uid, name in self.reads.branch_staff(self._ctx.branch.id)]
        elif action is ComplaintAction.SEND_REPLY:
            choices = [(term_label(REPLY_METHODS, t.code, self._ctx.language), t.code) for t in REPLY_METHODS.terms]
        elif action is ComplaintAction.CLOSE:
            choices = [(self.tr("Satisfied"), True), (self.tr("Not satisfied"), False)]
        elif action is ComplaintAction.MERGE:
            choices = [(r.reference or "", r.id) for r in self.model.rows()
                       if r.id != complaint_id and r.reference and r.status in ("received", "accepted",
                                                                               "investigating", "extended")]
        if self.step_dialog is not None:
            self.step_dialog.close()
        dialog = StepDialog(self._actions[action], self.tr("{step}: {reference}").format(
            step=self._actions[action], reference=reference), text_label=step.text_label,
            text_required=step.text_required, choice_label=step.choice_label, choices=choices, parent=self)
        self.step_dialog = dialog

        def done(result: int) -> None:
            if result == QDialog.DialogCode.Accepted:
                _, ok = self._run(lambda: step.run(self.service, self._ctx.actor, complaint_id, dialog.text(),
                                                   dialog.chosen()))
                if ok:
                    self.message.show_info(self.tr("{step}: done.").format(step=self._actions[action]))
                self.show_now()

        dialog.finished.connect(done)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.open()
        return dialog

    # -- printing ----------------------------------------------------------------------

    def preview_acknowledgement(self) -> PdfPreviewDialog | None:
        if self.current is None:
            return None
        cid = self.current.row.id
        pdf, ok = self._run(lambda: self.documents.acknowledgement(self._ctx.actor, cid))
        return self._preview(pdf, self.tr("Acknowledgement {reference}")) if ok else None

    def preview_reply(self) -> PdfPreviewDialog | None:
        if self.current is None:
            return None
        cid = self.current.row.id
        pdf, ok = self._run(lambda: self.documents.reply_letter(self._ctx.actor, cid))
        return self._preview(pdf, self.tr("Reply letter {reference}")) if ok else None

    def _preview(self, pdf: bytes, title: str) -> PdfPreviewDialog:
        reference = self.current.row.reference if self.current else ""
        self.preview = open_preview(self.preview, pdf, title.format(reference=reference), "a4", self,
                                    printer_name=self._ctx.settings.get("printing.a4_printer"))
        return self.preview

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        for dialog in (self.preview, self.entry_dialog, self.step_dialog, self.personal.reveal_dialog):
            if dialog is not None:
                dialog.close()
        super().closeEvent(event)
