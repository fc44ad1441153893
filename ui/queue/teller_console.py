"""Teller console (柜员叫号台): the counter's current ticket and everything a teller does with it.

F1 call next · F2 recall · F3 start / finish · F4 no-show · F5 transfer… · F6 pause / resume.
Dialogs open window-modal with ``open()`` (never a nested event loop); the one on screen
is ``active_dialog``, so tests and keyboard users fill it and press its OK button.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from zoneinfo import ZoneInfo

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.domain.errors import DomainError
from app.domain.roles import Permission
from app.domain.tickets import TicketStatus
from app.services.counter_view import CounterSnapshot
from app.services.counters import CounterState, CounterStatus
from app.services.queue import TicketView
from app.services.satisfaction import RatingSource
from app.topics import TOPIC_QUEUE
from ui.context import AppContext
from ui.dialogs.finish_dialog import FinishDialog
from ui.dialogs.pause_dialog import PauseDialog
from ui.dialogs.base import ask_window_modal
from ui.dialogs.transfer_dialog import TransferDialog
from ui.connection_banner import OutageView
from ui.errors import describe
from ui.event_bridge import EventBridge
from ui.live_pane import LivePane
from ui.printing.preview_dialog import PdfPreviewDialog, open_preview
from ui.queue.counter_actions import CounterActions
from ui.queue.counter_state import CounterStateLabel, counter_chooser
from ui.queue.counter_dialogs import call_out_of_turn_dialog, park_dialog, requeue_dialog
from ui.queue.rating_buttons import RatingBox
from ui.queue.teller_lists import CounterStatsBox, ParkedBox, PreviewBox
from ui.queue.ticket_card import TicketCard
from ui.message_bar import MessageBar


class TellerConsole(LivePane):
    """Follows the queue topic: another counter's call re-reads this counter's snapshot (one read
    transaction) on the worker thread; the teller's own actions re-read at once (show_now)."""

    topics = (TOPIC_QUEUE,)

    counter_changed = Signal(object)  # TicketView | None after a counter action
    checklist_requested = Signal()  # the teller wants the checklist of the ticket being served
    complaint_requested = Signal(int)  # ticket id: record a complaint about this service
    customer_requested = Signal(int)  # customer id: show the profile of the customer being served
    front_requested = Signal()  # an F-key was pressed while another tab was in front

    def __init__(self, context: AppContext, bridge: EventBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent, name="teller console")
        self._ctx = context
        self._zone = ZoneInfo(context.branch.timezone)
        self.desk = context.services.counter_desk
        self.view = context.services.counter_view
        self.satisfaction = context.services.satisfaction
        self.allowed = context.allows(Permission.SERVE_AT_COUNTER)
        self.current: TicketView | None = None
        self.counter_status: CounterStatus | None = None
        self.last_finished: TicketView | None = None
        self.active_dialog: QDialog | None = None
        self.preview: PdfPreviewDialog | None = None

        self.card = TicketCard(context.clock, self._zone, context.language)
        self.preview_box = PreviewBox(context.language, context.clock)
        self.preview_box.call_button.clicked.connect(lambda: self.call_specific())
        self.preview_box.view.doubleClicked.connect(lambda _index: self.call_specific())
        self.parked_box = ParkedBox(context.language, self._zone)
        self.parked_box.resume_button.clicked.connect(lambda: self.resume_parked())
        self.stats_box = CounterStatsBox()

        left = QVBoxLayout()
        left.addLayout(self._build_header())
        left.addWidget(self.card)
        left.addWidget(self._build_actions())
        left.addWidget(self._build_rating_box())
        self.message = MessageBar(name="consoleMessage")
        self.message.setMinimumHeight(36)
        left.addWidget(self.message)
        left.addStretch(1)
        left.addWidget(self.stats_box)
        right = QVBoxLayout()
        right.addWidget(self.preview_box, 1)
        right.addWidget(self.parked_box)
        # While the database cannot be reached: a banner, and the counter's actions held.
        self.outage = OutageView(bridge, self, self._zone, self.tr(
            "Not connected to the database: calling and serving are paused until the connection is back."))
        self.outage.changed.connect(self._on_connection)
        columns = QHBoxLayout()
        columns.addLayout(left, 5)
        columns.addLayout(right, 4)
        layout = QVBoxLayout(self)
        layout.addWidget(self.outage.banner)
        layout.addLayout(columns, 1)
        if not self.allowed:
            self.setEnabled(False)  # the main window does not show it; the services refuse anyway

        self.follow(bridge)
        self.refresh()  # once shown

    # -- building ----------------------------------------------------------------------

    def _build_header(self) -> QHBoxLayout:
        self.counter_combo = counter_chooser(self._ctx.services.catalog.counters(self._ctx.branch.id),
                                             self._ctx.counter_number)
        self.counter_combo.currentIndexChanged.connect(self.show_now)
        self.state_label = CounterStateLabel()
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Counter:")))
        row.addWidget(self.counter_combo)
        row.addSpacing(12)
        row.addWidget(self.state_label, 1)
        return row

    def _build_actions(self) -> CounterActions:
        panel = self.action_panel = CounterActions()
        for button, slot in ((panel.call_button, self.call_next), (panel.recall_button, self.recall),
                             (panel.serve_button, self.start_or_finish), (panel.no_show_button, self.no_show),
                             (panel.transfer_button, self.transfer), (panel.pause_button, self.toggle_pause),
                             (panel.finish_note_button, self.finish_with_note), (panel.requeue_button, self.requeue),
                             (panel.park_button, self.park), (panel.receipt_button, self.preview_last_receipt),
                             (panel.checklist_button, self.checklist_requested.emit),
                             (panel.complaint_button, self.request_complaint),
                             (panel.customer_button, self.request_customer)):
            button.clicked.connect(lambda _checked=False, slot=slot: slot())
        # The console's own names for the buttons (tests press them).
        self.call_button, self.recall_button = panel.call_button, panel.recall_button
        self.serve_button, self.no_show_button = panel.serve_button, panel.no_show_button
        self.transfer_button, self.pause_button = panel.transfer_button, panel.pause_button
        self.finish_note_button, self.requeue_button = panel.finish_note_button, panel.requeue_button
        self.park_button, self.receipt_button = panel.park_button, panel.receipt_button
        self.checklist_button, self.complaint_button = panel.checklist_button, panel.complaint_button
        self.customer_button = panel.customer_button
        return panel

    def press_f_key(self, key: str) -> None:
        """An F-key pressed anywhere in the window: the console comes to the front (re-read at
        once, so the key acts on the counter as it is) and the key's button is pressed if the
        counter's state allows it (a held or disabled action stays held from the keyboard too)."""
        if not self.isVisible():
            self.front_requested.emit()
            if not self.isVisible():  # (the workstation is locked)
                return
            self.show_now()
        button = self.action_panel.f_keys[key]
        if button.isEnabled():
            button.click()
        elif button.toolTip():  # held for a reason it names (e.g. recalls still needed): say it
            self.show_message(button.toolTip(), error=True)

    def _build_rating_box(self) -> RatingBox:
        self.rating_box = RatingBox()
        self.rating_box.rated.connect(self.rate)
        self.rating_buttons = self.rating_box.buttons
        return self.rating_box

    # -- helpers -----------------------------------------------------------------------

    @property
    def counter_number(self) -> int:
        return int(self.counter_combo.currentData() or 0)

    def _run(self, action: Callable[[], object]) -> tuple[object, bool]:
        """Run a service call; show a refused request as a sentence."""
        return self.message.guarded(action)

    def show_message(self, text: str, *, error: bool = False) -> None:
        self.message.report(text, error=error)

    def _ask(self, dialog: QDialog, on_accept: Callable[[QDialog], None]) -> QDialog:
        return ask_window_modal(self, dialog, on_accept)

    def _args(self) -> tuple:  # type: ignore[type-arg]
        return self._ctx.actor, self._ctx.branch.id, self.counter_number

    # -- the F-keys --------------------------------------------------------------------

    def call_next(self) -> None:
        ticket, ok = self._run(lambda: self._ctx.services.queue.call_next(*self._args()))
        if ok:
            self.show_message(self.tr("Called {number} to counter {counter}.").format(
                number=ticket.number, counter=self.counter_number) if ticket else self.tr("Nobody is waiting."))
            self._after_action(ticket)

    def recall(self) -> None:
        self._counter_action(self._ctx.services.queue.recall)

    def start_or_finish(self) -> None:
        if self.current is not None and self.current.status is TicketStatus.SERVING:
            self._counter_action(self._ctx.services.queue.finish)
        else:
            self._counter_action(self._ctx.services.queue.start)

    def no_show(self) -> None:
        self._counter_action(self._ctx.services.queue.no_show)

    def transfer(self) -> QDialog | None:
        ticket = self.current
        if ticket is None:
            return None
        dialog = TransferDialog(ticket.number, ticket.business_code, self._ctx.services.catalog.business_types(),
                                self._ctx.services.catalog.counters(self._ctx.branch.id), self.counter_number,
                                self._ctx.language, self)

        def accepted(d: QDialog) -> None:
            choice = d.choice()  # type: ignore[attr-defined]
            moved, ok = self._run(lambda: self._ctx.services.queue.transfer(
                *self._args(), to_business=choice.to_business, to_counter=choice.to_counter,
                position=choice.position, reason=choice.reason))
            if ok:
                self.show_message(
                    self.tr("{number} transferred: {ahead} ahead, served shortly.").format(
                        number=moved.number, ahead=moved.waiting_ahead) if not moved.estimated_wait_minutes else
                    self.tr("{number} transferred: {ahead} ahead, about {minutes} min.").format(
                        number=moved.number, ahead=moved.waiting_ahead, minutes=moved.estimated_wait_minutes))
                self._after_action(None)
        return self._ask(dialog, accepted)

    def toggle_pause(self) -> QDialog | None:
        if self.counter_status is not None and self.counter_status.state is not CounterState.OPEN:
            status, ok = self._run(lambda: self.desk.resume(*self._args()))
            if ok:
                self.show_message(self.tr("Counter {counter} is open again.").format(counter=self.counter_number))
                self._after_action(None)
            return None
        dialog = PauseDialog(self.counter_combo.currentText(), self)

        def accepted(d: QDialog) -> None:
            _, ok = self._run(lambda: self.desk.pause(*self._args(), d.reason(), d.note()))  # type: ignore[attr-defined]
            if ok:
                self.show_message(self.tr("Counter {counter} is paused.").format(counter=self.counter_number))
                self._after_action(None)
        return self._ask(dialog, accepted)

    # -- the rest ----------------------------------------------------------------------

    def finish_with_note(self) -> QDialog | None:
        if self.current is None:
            return None

        def accepted(d: QDialog) -> None:
            self._counter_action(lambda *args: self._ctx.services.queue.finish(
                *args, outcome=d.outcome(), note=d.note()))  # type: ignore[attr-defined]
        return self._ask(FinishDialog(self.current.number, self), accepted)

    def requeue(self) -> QDialog | None:
        if self.current is None:
            return None
        return self._ask(requeue_dialog(self.current.number, self), lambda d: self._counter_action(
            lambda *args: self._ctx.services.queue.requeue(*args, reason=d.reason())))  # type: ignore[attr-defined]

    def park(self) -> QDialog | None:
        if self.current is None:
            return None
        return self._ask(park_dialog(self.current.number, self), lambda d: self._counter_action(
            lambda *args: self._ctx.services.queue.park(*args, reason=d.reason())))  # type: ignore[attr-defined]

    def resume_parked(self, number: str | None = None) -> None:
        number = number or self.parked_box.selected_number()
        if number is None:
            return
        ticket, ok = self._run(lambda: self._ctx.services.queue.resume(*self._args(), number))
        if ok:
            self.show_message(self.tr("{number} resumed.").format(number=ticket.number))
            self._after_action(ticket)

    def call_specific(self, number: str | None = None) -> QDialog | None:
        if not self.outage.online:
            return None  # (a double click in the list: its button is held)
        number = number or self.preview_box.selected_number()
        if number is None:
            self.show_message(self.tr("Select a ticket in the list first."), error=True)
            return None
        dialog = call_out_of_turn_dialog(number, self)

        def accepted(d: QDialog) -> None:
            ticket, ok = self._run(lambda: self._ctx.services.queue.call_ticket(*self._args(), number,
                                                                        d.reason()))  # type: ignore[attr-defined]
            if ok:
                self.show_message(self.tr("Called {number} to counter {counter}.").format(
                    number=ticket.number, counter=self.counter_number))
                self._after_action(ticket)
        return self._ask(dialog, accepted)

    def rate(self, rating: int) -> None:
        ticket = self.last_finished
        if ticket is None:
            return
        _, ok = self._run(lambda: self.satisfaction.rate(self._ctx.actor, self._ctx.branch.id, ticket.id, rating,
                                                         RatingSource.TELLER))
        if ok:
            self.show_message(self.tr("Rating for {number} recorded.").format(number=ticket.number))
        self.rating_box.hide()
        self.show_now()

    def _counter_action(self, method: Callable[..., TicketView]) -> None:
        ticket, ok = self._run(lambda: method(*self._args()))
        if ok:
            self.show_message(self._done_text(ticket))  # (a finish says so in _after_action)
            self._after_action(ticket)

    def _done_text(self, ticket: TicketView) -> str:
        """The short line every counter action leaves, so no older line stays up."""
        return {
            TicketStatus.CALLED: self.tr("{number} called again."),
            TicketStatus.SERVING: self.tr("Serving {number}."),
            TicketStatus.NO_SHOW: self.tr("{number} marked a no-show."),
            TicketStatus.WAITING: self.tr("{number} is back in the queue."),
            TicketStatus.PARKED: self.tr("{number} parked."),
        }.get(ticket.status, "").format(number=ticket.number)

    def _after_action(self, ticket: TicketView | None) -> None:
        if ticket is not None and ticket.status is TicketStatus.FINISHED:
            self.last_finished = ticket
            self.action_panel.offer_receipt(ticket.number)
            self.rating_box.ask(ticket.number)
            self.show_message(self.tr("{number} finished.").format(number=ticket.number))
        elif ticket is not None and ticket.status in (TicketStatus.CALLED, TicketStatus.SERVING):
            self.rating_box.hide()
        self.show_now()
        self.counter_changed.emit(ticket)

    def request_customer(self) -> None:
        """The profile of the customer identified for the ticket at the counter."""
        if self.current is not None and self.current.customer_id is not None:
            self.customer_requested.emit(self.current.customer_id)

    def request_complaint(self) -> None:
        """A complaint about the ticket at the counter, or else the one just finished."""
        ticket = self.current or self.last_finished
        if ticket is None:
            self.show_message(self.tr("Call or finish a ticket first."), error=True)
            return
        self.complaint_requested.emit(ticket.id)

    # -- receipt -----------------------------------------------------------------------

    def preview_last_receipt(self) -> None:
        ticket = self.last_finished
        if ticket is None:
            return
        pdf, ok = self._run(lambda: self._ctx.services.documents.service_receipt(self._ctx.branch.id, ticket.number,
                                                                        day=ticket.business_day))
        if not ok:
            return
        self.preview = open_preview(self.preview, pdf, self.tr("Service receipt {number}").format(number=ticket.number),
                                    "a4", self, printer_name=self._ctx.settings.get("printing.a4_printer"))

    # -- refresh -----------------------------------------------------------------------

    def read_job(self) -> Callable[[], CounterSnapshot | None]:
        """This counter's ticket and state, what F1 brings, parked tickets, today's figures (one read)."""
        number = self.counter_number
        if not number:
            return lambda: None
        return partial(self.view.snapshot, self._ctx.branch.id, number,
                       teller_id=self._ctx.actor.user_id if self._ctx.actor else None,
                       rated_ticket_id=self.last_finished.id if self.last_finished else None)

    def show_refusal(self, error: DomainError) -> None:
        self.show_message(describe(error), error=True)  # (the database is away…): shown, not retried by timer

    def show_result(self, snapshot: CounterSnapshot | None) -> None:
        if snapshot is None:
            self._show(None, None)
            return
        if snapshot.counter_number != self.counter_number:
            return  # the teller chose another counter meanwhile; that read is on its way
        self.preview_box.set_rows(snapshot.preview)
        self.parked_box.set_rows(snapshot.parked)
        self.stats_box.show_stats(snapshot.stats)
        self.outage.mark_fresh(snapshot.read_at)
        if snapshot.last_rating is not None:
            self.rating_box.hide()
        self._show(snapshot.current, snapshot.status)

    def _show(self, ticket: TicketView | None, status: CounterStatus | None) -> None:
        self.current = ticket
        self.counter_status = status
        open_ = status is not None and status.state is CounterState.OPEN
        self.card.show_ticket(ticket, counter_open=open_ or status is None)
        self.state_label.show_status(status)
        self.action_panel.show_state(ticket, status,
                                     recalls_before_no_show=self._ctx.services.queue.policy.recalls_before_no_show)
        self.preview_box.call_button.setEnabled(ticket is None and open_ and self.preview_box.has_rows())
        self.parked_box.resume_button.setEnabled(ticket is None and open_ and self.parked_box.has_rows())
        self.outage.hold(self.counter_actions(), self.tr("Not possible while the database is not connected."))

    def counter_actions(self) -> tuple[QPushButton, ...]:
        """What changes a ticket or the counter: held during an outage (their F-keys with them)."""
        return (*self.action_panel.counter_actions(), self.preview_box.call_button, self.parked_box.resume_button)

    def _on_connection(self, online: bool) -> None:
        if online:  # re-read what happened meanwhile at once (rare); enables what the state allows
            self.live.run(self.show_now)
        else:
            self._show(self.current, self.counter_status)

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if self.preview is not None:
            self.preview.close()
        if self.active_dialog is not None:
            self.active_dialog.reject()
        self.card.stop()
        self.outage.stop()
        super().closeEvent(event)
