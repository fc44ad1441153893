"""The lobby ticket kiosk (取号机): customers take their own number by touch.

Start screen: one large button per business type. Customers aged 65+ may first enter
their resident ID number, so their ticket goes through the green channel; customers
with a booking enter its code to check in. What an ID number earns is the queue service's
decision (``age_priority``); the kiosk only shows it. The slip prints straight to the slip
printer, and a result panel shows the number, the people ahead and the expected wait
for a few seconds before the kiosk returns to the start screen for the next customer.
A slip that cannot be printed is said so on the panel; the ticket stays issued.
The screens themselves (pages, cards, keypads, scaling) are ui/kiosk/screens.py.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QWidget

from app.domain.errors import DomainError, ValidationError
from app.domain.priority import PriorityClass
from app.services.queue import TicketView
from ui.context import AppContext
from ui.display.style import repolish
from ui.errors import describe, describe_unexpected
from ui.kiosk.screens import BOOKING_CODE_LENGTH, DESIGN_HEIGHT, DESIGN_WIDTH, KioskScreens
from ui.printing.print_job import PrintJob, PrintQueue, print_without_dialog

log = logging.getLogger(__name__)

RESULT_SECONDS = 10.0
IDLE_SECONDS = 60.0


class KioskWindow(KioskScreens):
    """The kiosk screen. Buttons, fields and labels are public attributes for tests."""

    #: A ticket was issued (TicketView).
    ticket_issued = Signal(object)
    #: The slip of the last ticket was sent to the printer (True) or could not be printed (False).
    slip_printed = Signal(bool)

    def __init__(self, context: AppContext, parent: QWidget | None = None, *,
                 result_seconds: float = RESULT_SECONDS, idle_seconds: float = IDLE_SECONDS,
                 print_queue: PrintQueue | None = None) -> None:
        super().__init__(context, parent)
        self._zone = ZoneInfo(context.branch.timezone)
        self._print_queue = print_queue
        self.identified_id: str | None = None
        self.last_ticket: TicketView | None = None
        self.last_print_job: PrintJob | None = None
        self._jobs: dict[PrintJob, int] = {}  # print job → ticket id, until the job finishes
        self._result_ms = max(1, int(result_seconds * 1000))
        self._connect()

        self._result_timer = self._single_shot(self._result_ms, self.reset)
        self._idle_timer = self._single_shot(max(1, int(idle_seconds * 1000)), self._on_idle)
        self._clock = QTimer(self)
        self._clock.setInterval(1000)
        self._clock.timeout.connect(self._tick_clock)
        self._clock.start()
        self._tick_clock()
        if context.actor is None:
            self._show_message(self.tr("This kiosk is not signed in. Please ask our staff for a ticket."))
            for button in self.business_buttons.values():
                button.setEnabled(False)
        self.reset()
        self.resize(DESIGN_WIDTH // 2, DESIGN_HEIGHT // 2)

    def _connect(self) -> None:
        """What each touch on the screens does."""
        for code, button in self.business_buttons.items():
            button.clicked.connect(lambda _checked=False, code=code: self.issue(code))
        for button, slot in ((self.cancel_identification_button, self.clear_identification),
                             (self.identify_button, self.open_identify), (self.booking_button, self.open_booking),
                             (self.id_back_button, self.reset), (self.id_continue_button, self.identify),
                             (self.booking_back_button, self.reset), (self.check_in_button, self.check_in),
                             (self.done_button, self.reset)):
            button.clicked.connect(slot)
        self.id_field.returnPressed.connect(self.identify)
        self.booking_field.returnPressed.connect(self.check_in)
        for field in (self.id_field, self.booking_field):
            field.textChanged.connect(self._restart_idle)

    def _single_shot(self, interval: int, slot: Callable[[], None]) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(interval)
        timer.timeout.connect(slot)
        return timer

    # -- flow --------------------------------------------------------------------------

    def reset(self) -> None:
        """Back to the start screen for the next customer; nothing of the last one stays."""
        self._result_timer.stop()
        self._idle_timer.stop()
        self.id_field.clear()
        self.booking_field.clear()
        self.id_message.clear()
        self.booking_message.clear()
        if self.identified_id is None and self._ctx.actor is not None:
            self._show_message("")
        self.pages.setCurrentWidget(self.start_page)
        if self.identified_id is not None:
            self._idle_timer.start()  # an identified customer who walks away is forgotten

    def clear_identification(self) -> None:
        self.identified_id = None
        self.identified_bar.hide()
        self._idle_timer.stop()

    def _on_idle(self) -> None:
        self.clear_identification()
        self.reset()

    def _restart_idle(self) -> None:
        if self.pages.currentWidget() is not self.result_page:
            self._idle_timer.start()

    def open_identify(self) -> None:
        self.clear_identification()
        self._show_message("")
        self.pages.setCurrentWidget(self.identify_page)
        self.id_field.setFocus()
        self._idle_timer.start()

    def open_booking(self) -> None:
        self._show_message("")
        self.pages.setCurrentWidget(self.booking_page)
        self.booking_field.setFocus()
        self._idle_timer.start()

    def identify(self) -> None:
        """Pass the entered ID number to the queue service, which decides what the customer's age earns;
        a number earning the green channel is remembered for one ticket."""
        try:
            earned = self._ctx.services.queue.age_priority(self._ctx.branch.id, self.id_field.value())
        except ValidationError as error:
            self.id_message.setText(self.tr("Please check the ID number and try again.") + "\n" + describe(error))
            return
        except DomainError as error:
            self.id_message.setText(describe(error))
            return
        except Exception as error:  # noqa: BLE001 - the kiosk must stay usable; the log has the details
            self.id_message.setText(self.tr("A ticket could not be issued. Please ask our staff. {detail}").format(
                detail=describe_unexpected(error)))
            return
        self.reset()
        if earned.priority is not PriorityClass.GREEN:
            # Not needed for the ticket, so not kept (collect only what is needed).
            self._show_message(self.tr("Priority service is for customers aged {age} and over. "
                                       "Please choose your service.").format(age=earned.elderly_age), info=True)
            return
        self.identified_id = earned.number
        self.identified_label.setText(self.tr("ID {masked}: priority service. Please choose your service.")
                                      .format(masked=earned.masked))
        self.identified_bar.show()
        self._idle_timer.start()

    def issue(self, business_code: str) -> TicketView | None:
        """Issue a ticket for the business type (with the identified customer's ID, if any) and print it."""
        resident_id = self.identified_id
        ticket = self._run(lambda: self._ctx.services.queue.issue_ticket(
            self._ctx.actor, self._ctx.branch.id, business_code, resident_id=resident_id), self._show_message)
        if ticket is not None:
            self.clear_identification()
            self._issued(ticket)
        return ticket

    def check_in(self) -> TicketView | None:
        code = self.booking_field.text().strip()
        if len(code) != BOOKING_CODE_LENGTH or not code.isdigit():
            self.booking_message.setText(self.tr("A booking code has 6 digits."))
            return None
        ticket = self._run(lambda: self._ctx.services.appointments.check_in(self._ctx.actor, self._ctx.branch.id, code),
                           self.booking_message.setText)
        if ticket is not None:
            self._issued(ticket)
        return ticket

    def _run(self, action: Callable[[], TicketView], show: Callable[[str], None]) -> TicketView | None:
        if self._ctx.actor is None:
            show(self.tr("This kiosk is not signed in. Please ask our staff for a ticket."))
            return None
        try:
            return action()
        except DomainError as error:
            show(describe(error))
        except Exception as error:  # noqa: BLE001 - the kiosk must stay usable; the log has the details
            show(self.tr("A ticket could not be issued. Please ask our staff. {detail}").format(
                detail=describe_unexpected(error)))
        return None

    def _show_message(self, text: str, *, info: bool = False) -> None:
        self.message.setText(text)
        self.message.setProperty("info", info)
        repolish(self.message)

    # -- result and slip -----------------------------------------------------------------

    def _issued(self, ticket: TicketView) -> None:
        self.last_ticket = ticket
        language = self._ctx.language
        self.result_number.setText(ticket.number)
        self.result_business.setText(ticket.business_name(language))
        priority = {PriorityClass.GREEN: self.tr("Green channel: priority service"),
                    PriorityClass.APPOINTMENT: self.tr("Booking checked in: priority service")}.get(ticket.priority, "")
        self.result_priority.setText(priority)
        self.result_priority.setVisible(bool(priority))
        ahead = ticket.waiting_ahead
        minutes = ticket.estimated_wait_minutes
        if ahead is None:  # issued, but its place could not be read (the database went away)
            self.result_ahead.setText(self.tr("Please watch the calling display."))
        elif ahead == 0:
            self.result_ahead.setText(self.tr("You are next. Please watch the calling display."))
        else:
            self.result_ahead.setText(self.tr("People ahead of you: {count}").format(count=ahead))
        if not minutes:  # 0: a counter is free for you; never "about 0 min"
            minutes = None
        self.result_wait.setText(self.tr("Estimated wait: about {minutes} min").format(minutes=minutes)
                                 if minutes is not None else "")
        self.result_wait.setVisible(minutes is not None)
        self._set_print_status(self.tr("Printing your ticket…"), failed=False)
        self._idle_timer.stop()
        self.pages.setCurrentWidget(self.result_page)
        self._result_timer.start(self._result_ms)
        self.ticket_issued.emit(ticket)
        self._print_slip(ticket)

    def _print_slip(self, ticket: TicketView) -> None:
        try:
            pdf = self._ctx.services.documents.ticket_slip(self._ctx.branch.id, ticket.number, day=ticket.business_day)
        except DomainError as error:
            self._slip_failed(ticket.id, describe(error))
            return
        except Exception as error:  # noqa: BLE001 - a slip problem must not lose the ticket
            self._slip_failed(ticket.id, describe_unexpected(error))
            return
        job = print_without_dialog(pdf, self._ctx.settings.get("printing.slip_printer"), "slip", self._print_queue)
        self.last_print_job = job
        self._jobs[job] = ticket.id
        # Bound slots (not lambdas): the job reports from a worker thread, and Qt queues
        # the call to this widget's (the GUI) thread only for a receiver it knows.
        job.failed.connect(self._on_print_failed)
        job.finished.connect(self._on_print_finished)

    @Slot(str)
    def _on_print_failed(self, reason: str) -> None:
        ticket_id = self._jobs.get(self.sender())  # type: ignore[call-overload]
        if ticket_id is not None:
            self._slip_failed(ticket_id, reason)

    @Slot(bool)
    def _on_print_finished(self, ok: bool) -> None:
        ticket_id = self._jobs.pop(self.sender(), None)  # type: ignore[call-overload]
        if ticket_id is not None:
            self._slip_finished(ticket_id, ok)

    def _slip_failed(self, ticket_id: int, reason: str) -> None:
        log.warning("Kiosk slip for ticket %s not printed: %s", ticket_id, reason)
        if self.last_ticket is None or self.last_ticket.id != ticket_id:
            return
        self._set_print_status(self.tr("Your ticket could not be printed. Please remember your number {number}, "
                                       "or ask our staff.").format(number=self.last_ticket.number) + "\n" + reason,
                               failed=True)
        if self.pages.currentWidget() is self.result_page:
            self._result_timer.start(self._result_ms * 2)  # time to note the number down
        self.slip_printed.emit(False)

    def _slip_finished(self, ticket_id: int, ok: bool) -> None:
        if ok and self.last_ticket is not None and self.last_ticket.id == ticket_id:
            self._set_print_status(self.tr("Please take your ticket below."), failed=False)
            self.slip_printed.emit(True)

    def _set_print_status(self, text: str, *, failed: bool) -> None:
        self.print_status.setText(text)
        self.print_status.setProperty("failed", failed)
        repolish(self.print_status)

    # -- clock -------------------------------------------------------------------------

    def _tick_clock(self) -> None:
        now: datetime = self._ctx.clock().astimezone(self._zone)
        self.clock_label.setText(now.strftime("%H:%M"))

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        for timer in (self._result_timer, self._idle_timer, self._clock):
            timer.stop()
        super().closeEvent(event)
