"""Checklist pane (业务核对): the run for the ticket at this counter, worked step by step.

Shows the progress, every step with its result, the next step's widget, and — in red —
what still blocks finishing the ticket. A teller starts the run here (or from the teller
console); a required step is skipped only through a supervisor's override, signed in on the
spot. The record of a completed run and a blank paper form open in the print preview.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.checklist_runs import StepStatus
from app.domain.checklist_templates import Step, StepKind
from app.domain.errors import DomainError
from app.domain.tickets import TicketStatus
from app.services.checklist_documents import value_words
from app.services.checklists import RunView, StepResultView
from app.services.queue import TicketView
from app.topics import TOPIC_CHECKLISTS, TOPIC_QUEUE
from ui.checklists.step_editor import StepEditor
from ui.checklists.supervisor_dialog import SupervisorDialog
from ui.context import AppContext
from ui.dialogs.base import ask_window_modal
from ui.dialogs.reason_dialog import ReasonDialog
from ui.errors import describe
from ui.event_bridge import EventBridge
from ui.live_pane import LivePane
from ui.printing.preview_dialog import PdfPreviewDialog, open_preview
from ui.table_model import RIGHT, Column, RecordTableModel
from ui.message_bar import MessageBar
from ui.style import ERROR_TEXT_BOLD, GOOD_TEXT_BOLD

StepRow = tuple[int, Step, StepResultView | None, bool, bool]  # number, step, result, applies, is next
#: What a read brings: the ticket at the counter and its run (each None when there is none).
PaneRead = tuple[TicketView | None, RunView | None]


class ChecklistPane(LivePane):
    """Follows the queue (the ticket at the counter) and the checklist runs; changes wait while
    one of its dialogs is open, so a step being confirmed does not move under the teller."""

    topics = (TOPIC_QUEUE, TOPIC_CHECKLISTS)

    def __init__(self, context: AppContext, bridge: EventBridge, counter_number: Callable[[], int],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, name="checklist pane")
        self._ctx = context
        self._counter_number = counter_number
        self._zone = ZoneInfo(context.branch.timezone)
        self._zh = context.language.startswith("zh")
        self.checklists = context.services.checklists
        self.documents = context.services.checklist_documents
        self.ticket: TicketView | None = None
        self.run: RunView | None = None
        self.active_dialog: QDialog | None = None
        self.preview: PdfPreviewDialog | None = None

        self.ticket_label = QLabel()
        self.ticket_label.setObjectName("checklistTicket")
        self.ticket_label.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.age_spin = QSpinBox()
        self.age_spin.setObjectName("customerAge")
        self.age_spin.setRange(0, 150)
        self.age_spin.setSpecialValueText(self.tr("unknown"))
        self.age_spin.setToolTip(self.tr("Customer's age, from the ID; steps for customers 65 or older "
                                         "are added when it is unknown."))
        self.start_button = QPushButton(self.tr("Start checklist"))
        self.start_button.setObjectName("startChecklistButton")
        self.start_button.clicked.connect(lambda: self.start_run())
        self.age_label = QLabel(self.tr("Customer age:"))
        header = QHBoxLayout()
        header.addWidget(self.ticket_label, 1)
        header.addWidget(self.age_label)
        header.addWidget(self.age_spin)
        header.addWidget(self.start_button)

        self.progress = QProgressBar()
        self.progress.setObjectName("checklistProgress")
        self.progress.setFormat(self.tr("%v of %m steps"))
        self.model: RecordTableModel[StepRow] = RecordTableModel([
            Column(self.tr("#"), lambda r: r[0], RIGHT),
            Column(self.tr("Step"), lambda r: r[1].title(context.language)),
            Column(self.tr("Required"), lambda r: self.tr("required") if r[1].required else self.tr("optional")),
            Column(self.tr("Status"), self._status_text),
            Column(self.tr("Result"), self._result_text),
        ], self, key=lambda r: r[1].id)
        self.table = QTableView()
        self.table.setObjectName("checklistSteps")
        self.table.setModel(self.model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)

        self.editor = StepEditor(context.language)
        self.editor.complete_requested.connect(lambda: self.complete_current())
        self.editor.skip_requested.connect(lambda: self.skip_current())
        self.editor.override_requested.connect(lambda: self.override(step=True))

        self.blockers_label = QLabel()
        self.blockers_label.setObjectName("checklistBlockers")
        self.blockers_label.setWordWrap(True)
        self.override_all_button = QPushButton(self.tr("Supervisor override for all open steps…"))
        self.override_all_button.setObjectName("overrideAllButton")
        self.override_all_button.clicked.connect(lambda: self.override(step=False))
        self.print_button = QPushButton(self.tr("Print record…"))
        self.print_button.setObjectName("printChecklistButton")
        self.print_button.clicked.connect(lambda: self.preview_record())
        self.blank_button = QPushButton(self.tr("Blank paper form…"))
        self.blank_button.setObjectName("blankFormButton")
        self.blank_button.clicked.connect(lambda: self.preview_blank())
        actions = QHBoxLayout()
        actions.addWidget(self.override_all_button)
        actions.addStretch(1)
        actions.addWidget(self.blank_button)
        actions.addWidget(self.print_button)
        self.message = MessageBar(name="checklistMessage")

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.progress)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.editor)
        layout.addWidget(self.blockers_label)
        layout.addLayout(actions)
        layout.addWidget(self.message)

        self.follow(bridge)
        self.refresh()  # once shown

    # -- texts -----------------------------------------------------------------------------

    def _status_text(self, row: StepRow) -> str:
        _, _, result, applies, is_next = row
        if result is not None:
            return {StepStatus.DONE: self.tr("✓ done"), StepStatus.SKIPPED: self.tr("skipped"),
                    StepStatus.OVERRIDDEN: self.tr("overridden")}[result.status]
        if not applies:
            return self.tr("does not apply")
        return self.tr("▶ next") if is_next else self.tr("open")

    def _result_text(self, row: StepRow) -> str:
        _, step, result, _, _ = row
        if result is None:
            return ""
        when = result.at.astimezone(self._zone).strftime("%H:%M:%S")
        if result.status is StepStatus.SKIPPED:
            detail = self.tr("reason: {reason}").format(reason=result.reason)
        elif result.status is StepStatus.OVERRIDDEN:
            detail = self.tr("by {supervisor}: {reason}").format(supervisor=result.approved_by_name,
                                                                 reason=result.reason)
        elif step.kind is StepKind.CHOICE and not self._zh:
            detail = next((o.en for o in step.options if o.value == result.value), str(result.value))
        elif step.kind is StepKind.SUPERVISOR:
            detail = self.tr("confirmed by {supervisor}").format(supervisor=result.approved_by_name)
        else:
            detail = value_words(step, result.value)
        return f"{when} {result.user_name}" + (f" · {detail}" if detail else "")

    # -- actions ---------------------------------------------------------------------------

    def _call(self, action: Callable[[], object]) -> tuple[object, bool]:
        return self.message.guarded(action)

    def show_message(self, text: str, *, error: bool = False) -> None:
        self.message.report(text, error=error)

    def _ask(self, dialog: QDialog, on_accept: Callable[[QDialog], None]) -> QDialog:
        return ask_window_modal(self, dialog, on_accept)

    def _changed(self, run: object, ok: bool, message: str = "") -> None:
        if ok:
            self.show_message(message)
            self._show(self.ticket, run)  # type: ignore[arg-type]

    def start_run(self) -> RunView | None:
        """Start (or open) the checklist of the ticket at this counter."""
        if not self.show_now():
            return None
        ticket = self.ticket
        if ticket is None:
            self.show_message(self.tr("No ticket at this counter."), error=True)
            return None
        age = self.age_spin.value() or None
        run, ok = self._call(lambda: self.checklists.start_run(
            self._ctx.actor, ticket.id, facts={"customer_age": age} if age else None))
        self._changed(run, ok, self.tr("Checklist for {number} started.").format(number=ticket.number))
        return run if ok else None  # type: ignore[return-value]

    def complete_current(self) -> QDialog | None:
        run, step = self.run, self.editor.step
        if run is None or step is None:
            return None
        if step.kind is StepKind.SUPERVISOR:
            dialog = SupervisorDialog(self.tr("Supervisor confirmation"),
                                      self.tr("A supervisor must confirm: {step}").format(
                                          step=step.title(self._ctx.language)),
                                      needs_reason=False, parent=self)
            return self._ask(dialog, lambda d: self._changed(*self._call(lambda: self.checklists.complete_step(
                self._ctx.actor, run.id, step.id, supervisor=d.credentials()))))  # type: ignore[attr-defined]
        value = self.editor.value()
        self._changed(*self._call(lambda: self.checklists.complete_step(self._ctx.actor, run.id, step.id, value)))
        return None

    def skip_current(self) -> QDialog | None:
        run, step = self.run, self.editor.step
        if run is None or step is None:
            return None
        dialog = ReasonDialog(self.tr("Skip step"), self.tr("Skip “{step}”. Why?").format(
            step=step.title(self._ctx.language)), placeholder=self.tr("e.g. customer declined"), parent=self)
        return self._ask(dialog, lambda d: self._changed(*self._call(lambda: self.checklists.skip_step(
            self._ctx.actor, run.id, step.id, d.reason()))))  # type: ignore[attr-defined]

    def override(self, *, step: bool) -> QDialog | None:
        """A supervisor overrides the next required step (``step``) or every open required step."""
        run = self.run
        if run is None:
            return None
        current = self.editor.step if step else None
        if step and current is None:
            return None
        heading = (self.tr("Override the required step “{step}”.").format(step=current.title(self._ctx.language))
                   if current is not None else
                   self.tr("Override all open required steps ({count}) so the ticket can be finished.").format(
                       count=len(run.blockers)))
        dialog = SupervisorDialog(self.tr("Supervisor override"), heading, needs_reason=True, parent=self)

        def accepted(d: QDialog) -> None:
            result, ok = self._call(lambda: self.checklists.override(
                self._ctx.actor, run.id, d.credentials(), d.reason(),  # type: ignore[attr-defined]
                step_id=current.id if current is not None else None))
            self._changed(result, ok, self.tr("Override recorded."))
        return self._ask(dialog, accepted)

    def preview_record(self) -> PdfPreviewDialog | None:
        run = self.run
        if run is None:
            return None
        pdf, ok = self._call(lambda: self.documents.run_form(self._ctx.actor, run.id))
        if not ok:
            return None
        return self._preview(pdf, self.tr("Checklist {number}").format(number=run.ticket_number))  # type: ignore[arg-type]

    def preview_blank(self) -> PdfPreviewDialog | None:
        code = self.ticket.business_code if self.ticket is not None else None
        if code is None:
            return None
        version = self.run.template.version if self.run is not None else None
        pdf, ok = self._call(lambda: self.documents.blank_form(self._ctx.branch.id, code, version))
        if not ok:
            return None
        return self._preview(pdf, self.tr("Blank checklist form"))  # type: ignore[arg-type]

    def _preview(self, pdf: bytes, title: str) -> PdfPreviewDialog:
        self.preview = open_preview(self.preview, pdf, title, "a4", self,
                                    printer_name=self._ctx.settings.get("printing.a4_printer"))
        return self.preview

    # -- refresh ---------------------------------------------------------------------------

    def read_job(self) -> partial[PaneRead]:
        return partial(self._read, self._counter_number())

    def _read(self, number: int) -> PaneRead:
        """The counter's ticket and its run (on the worker thread, or in show_now)."""
        ticket = self._ctx.services.queue.current_ticket(self._ctx.branch.id, number) if number else None
        run = self.checklists.run_for_ticket(self._ctx.actor, ticket.id) if ticket is not None else None
        return ticket, run

    def show_result(self, result: PaneRead) -> None:
        self._show(*result)

    def show_refusal(self, error: DomainError) -> None:
        self.show_message(describe(error), error=True)

    def defer_refresh(self) -> bool:
        return self.active_dialog is not None

    def _show(self, ticket: TicketView | None, run: RunView | None) -> None:
        same_step = (self.run is not None and run is not None and self.run.id == run.id
                     and self.run.current_step == run.current_step)
        self.ticket, self.run = ticket, run
        at_counter = ticket is not None and ticket.status in (TicketStatus.CALLED, TicketStatus.SERVING)
        if ticket is None:
            self.ticket_label.setText(self.tr("No ticket at this counter"))
        elif run is None:
            self.ticket_label.setText(self.tr("{number} · {business} — no checklist started").format(
                number=ticket.number, business=ticket.business_name(self._ctx.language)))
        else:
            self.ticket_label.setText(self.tr("{number} · {title} (version {version})").format(
                number=ticket.number, title=run.template.title(self._ctx.language), version=run.template.version))
        for widget in (self.start_button, self.age_spin, self.age_label):
            widget.setVisible(run is None)
        self.start_button.setEnabled(at_counter and run is None)
        rows: list[StepRow] = []
        if run is not None:
            rows = [(i, step, result, applies, step.id == run.current_step)
                    for i, (step, result, applies) in enumerate(run.step_rows(), 1)]
        self.model.update_rows(rows)
        self.progress.setRange(0, run.total if run else 1)
        self.progress.setValue(run.resolved if run else 0)
        current = run.template.step(run.current_step) if run is not None and run.current_step else None
        if not same_step:
            self.editor.set_step(current)
        self.editor.setEnabled(current is not None and at_counter)
        self._show_blockers(run)
        self.override_all_button.setEnabled(run is not None and bool(run.blockers) and at_counter)
        self.print_button.setEnabled(run is not None and run.complete)
        self.blank_button.setEnabled(ticket is not None)

    def _show_blockers(self, run: RunView | None) -> None:
        if run is None:
            self.blockers_label.clear()
            return
        if not run.blockers:
            self.blockers_label.setText(self.tr("No required steps are open: the ticket can be finished."))
            self.blockers_label.setStyleSheet(GOOD_TEXT_BOLD)
            return
        titles = [run.template.step(step_id).title(self._ctx.language) for step_id in run.blockers]
        self.blockers_label.setText(self.tr("Finishing is blocked by {count} required step(s): {steps}").format(
            count=len(titles), steps="; ".join(titles)))
        self.blockers_label.setStyleSheet(ERROR_TEXT_BOLD)

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if self.preview is not None:
            self.preview.close()
        if self.active_dialog is not None:
            self.active_dialog.reject()
        super().closeEvent(event)
