"""The lobby ticket kiosk (取号机): customers take their own number by touch.

Start screen: one large button per business type. Customers aged 65+ may first enter
their resident ID number, so their ticket goes through the green channel; customers
with a booking enter its code to check in. What an ID number earns is the queue service's
decision (``age_priority``); the kiosk only shows it. The slip prints straight to the slip
printer, and a result panel shows the number, the people ahead and the expected wait
for a few seconds before the kiosk returns to the start screen for the next customer.
A slip that cannot be printed is said so on the panel; the ticket stays issued.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent, QFont, QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import DomainError, ValidationError
from app.domain.priority import PriorityClass
from app.services.branches import BusinessTypeView
from app.services.queue import TicketView
from ui.context import AppContext
from ui.display.style import repolish
from ui.errors import describe, describe_unexpected
from ui.kiosk.keypad import Keypad
from ui.kiosk.style import FONT_PX, KIOSK_STYLE
from ui.printing.fonts import app_font_family
from ui.printing.print_job import PrintJob, PrintQueue, print_without_dialog

log = logging.getLogger(__name__)

RESULT_SECONDS = 10.0
IDLE_SECONDS = 60.0
DESIGN_WIDTH = 1920
DESIGN_HEIGHT = 1080
ID_LENGTH = 18
BOOKING_CODE_LENGTH = 6
MAX_COLUMNS_LANDSCAPE = 5
MAX_COLUMNS_PORTRAIT = 2


class _ServiceButton(QPushButton):
    """A large card: the ticket prefix, the Chinese name, and the English name below it."""

    def __init__(self, bt: BusinessTypeView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("serviceButton")
        self.code = bt.code
        self.setAccessibleName(f"{bt.prefix} {bt.name_zh} {bt.name_en}")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.prefix = QLabel(bt.prefix)
        self.prefix.setObjectName("servicePrefix")
        self.prefix.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.name_zh = QLabel(bt.name_zh)
        self.name_zh.setObjectName("serviceNameZh")
        self.name_en = QLabel(bt.name_en)
        self.name_en.setObjectName("serviceNameEn")
        self.name_en.setWordWrap(True)
        for label in (self.prefix, self.name_zh, self.name_en):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.name_zh.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.name_en.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        badge = QHBoxLayout()
        badge.addStretch(1)
        badge.addWidget(self.prefix)
        badge.addStretch(1)
        box = QVBoxLayout(self)
        box.setContentsMargins(14, 18, 14, 14)
        box.setSpacing(8)
        box.addStretch(1)
        box.addLayout(badge)
        box.addSpacing(6)
        box.addWidget(self.name_zh)
        box.addWidget(self.name_en)
        box.addStretch(1)


class KioskWindow(QWidget):
    """The kiosk screen. Buttons, fields and labels are public attributes for tests."""

    #: A ticket was issued (TicketView).
    ticket_issued = Signal(object)
    #: The slip of the last ticket was sent to the printer (True) or could not be printed (False).
    slip_printed = Signal(bool)

    def __init__(self, context: AppContext, parent: QWidget | None = None, *,
                 result_seconds: float = RESULT_SECONDS, idle_seconds: float = IDLE_SECONDS,
                 print_queue: PrintQueue | None = None) -> None:
        super().__init__(parent)
        self._ctx = context
        self._zone = ZoneInfo(context.branch.timezone)
        self._print_queue = print_queue
        self._family = app_font_family()
        self.identified_id: str | None = None
        self.last_ticket: TicketView | None = None
        self.last_print_job: PrintJob | None = None
        self._jobs: dict[PrintJob, int] = {}  # print job → ticket id, until the job finishes
        self._result_ms = max(1, int(result_seconds * 1000))

        self.setObjectName("kiosk")
        self.setWindowTitle(self.tr("Ticket kiosk — {branch}").format(branch=context.branch.name))
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(KIOSK_STYLE)

        self.pages = QStackedWidget()
        self._entry_layouts: list[QBoxLayout] = []
        self._build_start_page()
        self._build_identify_page()
        self._build_booking_page()
        self._build_result_page()
        page = QVBoxLayout(self)
        # The kiosk is sized by its screen, never by its content: type scales to fit instead.
        page.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        page.setContentsMargins(0, 0, 0, 0)
        page.setSpacing(0)
        page.addWidget(self._build_header())
        page.addWidget(self.pages, 1)

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

    # -- building ----------------------------------------------------------------------

    def _single_shot(self, interval: int, slot: Callable[[], None]) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(interval)
        timer.timeout.connect(slot)
        return timer

    @staticmethod
    def _label(name: str, text: str = "", align: Qt.AlignmentFlag | None = None, *, wrap: bool = False) -> QLabel:
        label = QLabel(text)
        label.setObjectName(name)
        label.setWordWrap(wrap)
        if align is not None:
            label.setAlignment(align)
        return label

    @staticmethod
    def _button(name: str, text: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.clicked.connect(slot)
        return button

    def _build_header(self) -> QFrame:
        header = QFrame()
        header.setObjectName("header")
        self.bank_label = self._label("bankName", self._ctx.settings.get("printing.bank_name"))
        self.branch_label = self._label("branchName", self._ctx.branch.name)
        self.clock_label = self._label("clockLabel", "", Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        names = QVBoxLayout()
        names.setSpacing(0)
        names.addWidget(self.bank_label)
        names.addWidget(self.branch_label)
        row = QHBoxLayout(header)
        row.setContentsMargins(48, 12, 48, 12)
        row.addLayout(names, 1)
        row.addWidget(self.clock_label)
        self._header = header
        return header

    def _build_start_page(self) -> None:
        start = QWidget()
        self.start_title = self._label("pageTitle", self.tr("Please choose your service"))
        self.start_hint = self._label("pageHint", self.tr("Touch a service to take a number."))

        self.identified_bar = QFrame()
        self.identified_bar.setObjectName("identifiedBar")
        self.identified_label = self._label("identifiedBanner", "", wrap=True)
        self.cancel_identification_button = self._button("cancelIdentification", self.tr("Cancel"),
                                                         self.clear_identification)
        bar = QHBoxLayout(self.identified_bar)
        bar.setContentsMargins(24, 12, 16, 12)
        bar.addWidget(self.identified_label, 1)
        bar.addWidget(self.cancel_identification_button)
        self.identified_bar.hide()

        self.business_buttons: dict[str, _ServiceButton] = {}
        self._grid = QGridLayout()
        self._grid.setSpacing(18)
        for bt in self._ctx.services.catalog.business_types():
            button = _ServiceButton(bt)
            button.clicked.connect(lambda _checked=False, code=bt.code: self.issue(code))
            self.business_buttons[bt.code] = button
        self._grid_columns = 0
        self._arrange_grid(landscape=True)

        self.identify_button = self._button("priorityButton", self.tr(
            "Aged {age} or over? Enter your ID number for priority service").format(
            age=self._ctx.services.queue.policy.elderly_age), self.open_identify)
        self.booking_button = self._button("bookingButton", self.tr("Have a booking? Check in here"),
                                           self.open_booking)
        for button in (self.identify_button, self.booking_button):
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        options = QHBoxLayout()
        options.setSpacing(18)
        options.addWidget(self.identify_button, 1)
        options.addWidget(self.booking_button, 1)

        self.message = self._label("message", "", Qt.AlignmentFlag.AlignCenter, wrap=True)
        box = QVBoxLayout(start)
        box.setContentsMargins(48, 28, 48, 28)
        box.setSpacing(16)
        box.addWidget(self.start_title)
        box.addWidget(self.start_hint)
        box.addWidget(self.identified_bar)
        box.addLayout(self._grid, 1)
        box.addWidget(self.message)
        box.addLayout(options)
        self.start_page = start
        self.pages.addWidget(start)

    def _arrange_grid(self, *, landscape: bool) -> None:
        """Rows as even as possible: up to five columns on a landscape screen, two on a portrait one."""
        count = max(1, len(self.business_buttons))
        widest = MAX_COLUMNS_LANDSCAPE if landscape else MAX_COLUMNS_PORTRAIT
        rows = -(-count // widest)
        columns = -(-count // rows)
        if columns == self._grid_columns:
            return
        self._grid_columns = columns
        for button in self.business_buttons.values():
            self._grid.removeWidget(button)
        for index, button in enumerate(self.business_buttons.values()):
            self._grid.addWidget(button, index // columns, index % columns)
        for column in range(8):
            self._grid.setColumnStretch(column, 1 if column < columns else 0)

    def _entry_page(self, title: str, hint: str, field: QLineEdit, keypad: Keypad, back: QPushButton,
                    confirm: QPushButton, message: QLabel) -> QWidget:
        page = QWidget()
        left = QVBoxLayout()
        left.setSpacing(18)
        left.addWidget(self._label("pageTitle", title, wrap=True))
        left.addWidget(self._label("pageHint", hint, wrap=True))
        left.addSpacing(12)
        left.addWidget(field)
        left.addWidget(message)
        left.addStretch(1)
        buttons = QHBoxLayout()
        buttons.setSpacing(18)
        buttons.addWidget(back)
        buttons.addStretch(1)
        buttons.addWidget(confirm)
        left.addLayout(buttons)
        row = QBoxLayout(QBoxLayout.Direction.LeftToRight, page)
        row.setContentsMargins(64, 40, 64, 40)
        row.setSpacing(56)
        row.addLayout(left, 3)
        row.addWidget(keypad, 2)
        self._entry_layouts.append(row)
        field.textChanged.connect(self._restart_idle)
        return page

    def _entry_field(self, placeholder: str, length: int) -> QLineEdit:
        field = QLineEdit()
        field.setObjectName("entryField")
        field.setMaxLength(length)
        field.setPlaceholderText(placeholder)
        field.setAlignment(Qt.AlignmentFlag.AlignCenter)
        return field

    def _build_identify_page(self) -> None:
        self.id_field = self._entry_field(self.tr("18-character ID number"), ID_LENGTH)
        self.id_field.returnPressed.connect(self.identify)
        self.id_keypad = Keypad(self.id_field, with_x=True)
        self.id_message = self._label("message", "", wrap=True)
        self.id_back_button = self._button("backButton", self.tr("Back"), self.reset)
        self.id_continue_button = self._button("primaryButton", self.tr("Continue"), self.identify)
        self.identify_page = self._entry_page(
            self.tr("Enter your resident ID number"),
            self.tr("Customers aged {age} and over are served through the green channel. "
                    "The number is used only to issue this ticket and is not shown on it.").format(
                age=self._ctx.services.queue.policy.elderly_age),
            self.id_field, self.id_keypad, self.id_back_button, self.id_continue_button, self.id_message)
        self.pages.addWidget(self.identify_page)

    def _build_booking_page(self) -> None:
        self.booking_field = self._entry_field(self.tr("6-digit booking code"), BOOKING_CODE_LENGTH)
        self.booking_field.returnPressed.connect(self.check_in)
        self.booking_keypad = Keypad(self.booking_field, with_x=False)
        self.booking_message = self._label("message", "", wrap=True)
        self.booking_back_button = self._button("backButton", self.tr("Back"), self.reset)
        self.check_in_button = self._button("primaryButton", self.tr("Check in"), self.check_in)
        self.booking_page = self._entry_page(
            self.tr("Enter your booking code"),
            self.tr("You received the code when you booked. Checking in on time gives you priority."),
            self.booking_field, self.booking_keypad, self.booking_back_button, self.check_in_button,
            self.booking_message)
        self.pages.addWidget(self.booking_page)

    def _build_result_page(self) -> None:
        page = QWidget()
        card = QFrame()
        card.setObjectName("resultCard")
        center = Qt.AlignmentFlag.AlignCenter
        self.result_caption = self._label("resultCaption", self.tr("Your number"), center)
        self.result_number = self._label("resultNumber", "", center)
        self.result_business = self._label("resultBusiness", "", center)
        self.result_priority = self._label("resultPriority", "", center)
        self.result_ahead = self._label("resultDetail", "", center)
        self.result_wait = self._label("resultDetail", "", center)
        self.print_status = self._label("printStatus", "", center, wrap=True)
        self.done_button = self._button("doneButton", self.tr("Done"), self.reset)
        priority_row = QHBoxLayout()
        priority_row.addStretch(1)
        priority_row.addWidget(self.result_priority)
        priority_row.addStretch(1)
        for label in (self.result_caption, self.result_number, self.result_business, self.result_priority,
                      self.result_ahead, self.result_wait, self.print_status):
            label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        box = QVBoxLayout(card)
        box.setContentsMargins(48, 32, 48, 32)
        box.setSpacing(16)
        box.addStretch(1)
        box.addWidget(self.result_caption)
        box.addWidget(self.result_number)
        box.addWidget(self.result_business)
        box.addLayout(priority_row)
        box.addSpacing(12)
        box.addWidget(self.result_ahead)
        box.addWidget(self.result_wait)
        box.addSpacing(12)
        box.addWidget(self.print_status)
        box.addStretch(1)
        done_row = QHBoxLayout()
        done_row.addStretch(1)
        done_row.addWidget(self.done_button)
        done_row.addStretch(1)
        outer = QVBoxLayout(page)
        outer.setContentsMargins(0, 32, 0, 32)
        outer.setSpacing(24)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card, 3)
        row.addStretch(1)
        outer.addLayout(row, 1)
        outer.addLayout(done_row)
        self.result_page = page
        self.pages.addWidget(page)

    # -- scaling -----------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        # Designed for 1920×1080; a portrait screen (1080×1920) is the same design turned.
        long_side, short_side = max(self.width(), self.height()), min(self.width(), self.height())
        scale = max(0.3, min(long_side / DESIGN_WIDTH, short_side / DESIGN_HEIGHT))
        for widget in self.findChildren(QWidget):
            size = FONT_PX.get(widget.objectName())
            if size is not None:
                font = QFont(self._family)
                font.setPixelSize(max(8, round(size[0] * scale)))
                font.setBold(size[1])
                widget.setFont(font)
        for button in self.business_buttons.values():
            button.prefix.setFixedSize(round(84 * scale), round(84 * scale))
            button.setMinimumHeight(round(150 * scale))
        for keypad in (self.id_keypad, self.booking_keypad):
            for key in keypad.keys.values():
                key.setMinimumSize(round(120 * scale), round(96 * scale))
        self._header.setFixedHeight(round(104 * scale))
        landscape = self.width() >= self.height()
        self._arrange_grid(landscape=landscape)
        for layout in self._entry_layouts:  # keypad beside the field, or under it on a portrait screen
            layout.setDirection(QBoxLayout.Direction.LeftToRight if landscape else QBoxLayout.Direction.TopToBottom)

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
            earned = self._ctx.services.queue.age_priority(self._ctx.branch.id, self.id_field.text())
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
        ahead = ticket.waiting_ahead or 0
        minutes = ticket.estimated_wait_minutes
        if ahead == 0:
            self.result_ahead.setText(self.tr("You are next. Please watch the calling display."))
            minutes = None
        else:
            self.result_ahead.setText(self.tr("People ahead of you: {count}").format(count=ahead))
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
