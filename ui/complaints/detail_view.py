"""The complaints pane's lower half: the open complaint's summary, its personal values (masked,
revealed on request), the buttons for the steps it allows, and its timeline of steps.

:class:`ComplaintDetail` shows a :class:`ComplaintView` and only shows it: what a button does is
:class:`ui.complaints.complaints_pane.ComplaintsPane`'s, which connects them.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from app.domain.complaint_notes import NOT_SATISFIED, SATISFIED
from app.domain.complaints import ACTION_PERMISSION, DECIDED_STATES, ComplaintAction, ComplaintStatus
from app.domain.complaints_vocab import REPLY_METHODS
from app.services.complaint_reads import ComplaintEventView, ComplaintReads, ComplaintView
from ui.complaints.labels import action_labels, status_labels, term_label
from ui.complaints.personal_view import ComplaintPersonal
from ui.complaints.steps import steps
from ui.context import AppContext
from ui.table_model import Column, RecordTableModel


class ComplaintDetail(QWidget):
    """The widgets are public attributes (``detail``, ``timeline``, ``action_buttons``…). A step's
    button shows only when the complaint allows the step and the user may take it."""

    def __init__(self, context: AppContext, reads: ComplaintReads, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = context
        self._zone = ZoneInfo(context.branch.timezone)
        self._statuses = status_labels()
        self._actions = action_labels()
        column = QVBoxLayout(self)
        self.detail = QLabel()
        self.detail.setObjectName("complaintDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.personal = ComplaintPersonal(context, reads)
        self.timeline = RecordTableModel[ComplaintEventView]([
            Column(self.tr("Time"), lambda e: e.at.astimezone(self._zone).strftime("%Y-%m-%d %H:%M")),
            Column(self.tr("Step"), lambda e: self._actions.get(e.action, e.action)),
            Column(self.tr("From"), lambda e: self._statuses.get(e.from_status or "", e.from_status or "")),
            Column(self.tr("To"), lambda e: self._statuses.get(e.to_status, e.to_status)),
            Column(self.tr("By"), lambda e: e.user_name),
            Column(self.tr("Note"), self._note_text),
        ], self)
        self.timeline_view = QTableView()
        self.timeline_view.setObjectName("timelineView")
        self.timeline_view.setModel(self.timeline)
        self.timeline_view.verticalHeader().hide()
        self.timeline_view.horizontalHeader().setStretchLastSection(True)
        self.action_row = QHBoxLayout()
        self.action_buttons: dict[ComplaintAction, QPushButton] = {}
        for action in steps():
            button = QPushButton(self._actions[action] + "…")
            button.setObjectName(f"action_{action.value}")
            button.hide()
            self.action_buttons[action] = button
            self.action_row.addWidget(button)
        self.edit_draft_button = QPushButton(self.tr("Complete draft…"))
        self.edit_draft_button.setObjectName("editDraftButton")
        self.ack_button = QPushButton(self.tr("Acknowledgement…"))
        self.ack_button.setObjectName("printAckButton")
        self.reply_button = QPushButton(self.tr("Reply letter…"))
        self.reply_button.setObjectName("printReplyButton")
        self.action_row.addStretch(1)
        for button in (self.edit_draft_button, self.ack_button, self.reply_button):
            button.hide()
            self.action_row.addWidget(button)
        column.addWidget(self.detail)
        column.addWidget(self.personal)
        column.addLayout(self.action_row)
        column.addWidget(self.timeline_view, 1)

    def show_view(self, view: ComplaintView | None) -> None:
        """Show a complaint (None: nothing selected)."""
        self.timeline.set_rows(view.events if view else [])
        self.detail.setText(self._describe(view) if view else self.tr("Select a complaint to see its history."))
        self.personal.show_view(view)
        allowed = set(view.allowed) if view else set()
        for action, button in self.action_buttons.items():
            button.setVisible(action in allowed and self._ctx.allows(ACTION_PERMISSION[action]))
        status = view.row.status if view else None
        self.edit_draft_button.setVisible(status == ComplaintStatus.DRAFT.value)
        self.ack_button.setVisible(view is not None and view.row.reference is not None)
        self.reply_button.setVisible(status in {s.value for s in DECIDED_STATES})

    def _note_text(self, event: ComplaintEventView) -> str:
        """The step's note, its outcome in words first (书面 / 满意), never the stored code."""
        if event.outcome in (SATISFIED, NOT_SATISFIED):
            outcome = self.tr("Satisfied") if event.outcome == SATISFIED else self.tr("Not satisfied")
        elif event.outcome:
            outcome = term_label(REPLY_METHODS, event.outcome, self._ctx.language)
        else:
            return event.note or ""
        return f"{outcome}: {event.note}" if event.note else outcome

    def _describe(self, view: ComplaintView) -> str:
        f, row = view.fields, view.row
        lines = [
            self.tr("{reference} — {state}").format(reference=row.reference or self.tr("Draft #{id}").format(
                id=row.id), state=self._statuses.get(row.status, row.status)),
            self.tr("Received {received}, due {due}; first contact {owner}, handler {handler}").format(
                received=row.received_on or "—", due=row.due_on or "—", owner=row.owner_name or "—",
                handler=row.handler_name or "—"),
            self.tr("Request: {text}").format(text=f["request"] or "—"),
            self.tr("Facts and reasons: {text}").format(text=f["facts"] or "—"),
        ]
        if row.overdue:
            lines.insert(1, self.tr("Overdue"))
        elif row.near_due:
            lines.insert(1, self.tr("Due soon"))
        if view.ticket_number:
            lines.append(self.tr("Ticket: {number}").format(number=view.ticket_number))
        if f["decision"]:
            lines.append(self.tr("Decision: {text}").format(text=f["decision"]))
        return "\n".join(lines)
