"""Book an appointment (预约) for a customer at the lobby desk; shows the booking code the
customer gives at the kiosk, and what is already booked that day (names and phones masked).
Staff allowed to reveal show one booking's full phone (to call the customer) for a few seconds,
with a reason the service writes to the audit log."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.roles import Permission
from app.services.appointments import AppointmentStatus, AppointmentView
from ui.context import AppContext
from ui.reveal import RevealDialog
from ui.table_model import Column, RecordTableModel
from ui.field_inputs import date_input, phone_input
from ui.field_messages import FieldMessages
from ui.message_bar import MessageBar
from ui.style import ERROR_TEXT_BOLD, GOOD

#: Bookable slots: half-hour slots from the first to the last start time of the day.
SLOT_MINUTES = 30
FIRST_SLOT = time(9, 0)
LAST_SLOT = time(16, 30)
#: How far ahead the desk books.
BOOKING_DAYS_AHEAD = 30


def day_slots(day: date, zone: ZoneInfo, now: datetime) -> list[datetime]:
    """The slot starts of a day still in the future."""
    start = datetime.combine(day, FIRST_SLOT, zone)
    last = datetime.combine(day, LAST_SLOT, zone)
    slots = []
    while start <= last:
        if start > now:
            slots.append(start)
        start += timedelta(minutes=SLOT_MINUTES)
    return slots


class AppointmentDialog(QDialog):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = context
        self._zone = ZoneInfo(context.branch.timezone)
        self.service = context.services.appointments
        self.booked: AppointmentView | None = None
        self.reveal_dialog: RevealDialog | None = None
        self.setWindowTitle(self.tr("Book an appointment"))
        self.setMinimumWidth(560)

        self.business_combo = QComboBox()
        self.business_combo.setObjectName("appointmentBusiness")
        self._business_names: dict[str, str] = {}
        for bt in context.services.catalog.business_types():
            self.business_combo.addItem(f"{bt.prefix}  {bt.name(context.language)}", bt.code)
            self._business_names[bt.code] = bt.name(context.language)
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("appointmentName")
        self.name_edit.setMaxLength(100)
        self.phone_edit = QLineEdit()
        self.phone_edit.setObjectName("appointmentPhone")
        phone_input(self.phone_edit)
        today = self._today()
        first = today if day_slots(today, self._zone, context.clock()) else today + timedelta(days=1)
        self.date_edit = date_input(first)
        self.date_edit.setObjectName("appointmentDate")
        self.date_edit.setMinimumDate(QDate(today.year, today.month, today.day))
        self.date_edit.setMaximumDate(QDate(today.year, today.month, today.day).addDays(BOOKING_DAYS_AHEAD))
        self.slot_combo = QComboBox()
        self.slot_combo.setObjectName("appointmentSlot")
        when = QHBoxLayout()
        when.addWidget(self.date_edit)
        when.addWidget(self.slot_combo, 1)

        form = QFormLayout()
        form.setVerticalSpacing(10)
        form.addRow(self.tr("Business type:"), self.business_combo)
        self.fields = FieldMessages(self)
        form.addRow(self.tr("Customer name:"), self.fields.wrap("customer name", self.name_edit))
        form.addRow(self.tr("Phone:"), self.fields.wrap("phone", self.phone_edit))
        form.addRow(self.tr("Date and time:"), when)

        self.message = MessageBar(name="appointmentMessage")
        self.fields.all_cleared.connect(self.message.clear)
        self.result_frame = self._build_result()
        self.day_box = self._build_day_list()

        self.book_button = QPushButton(self.tr("Book"))
        self.book_button.setObjectName("bookButton")
        self.book_button.setDefault(True)
        self.book_button.clicked.connect(self.book)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.book_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.result_frame)
        layout.addWidget(self.day_box, 1)
        layout.addWidget(buttons)

        self.date_edit.dateChanged.connect(self._date_changed)
        for edit in (self.name_edit, self.phone_edit):
            edit.textChanged.connect(self._update_book)
        self._date_changed()

    def _build_result(self) -> QFrame:
        frame = QFrame()
        frame.setObjectName("bookingResult")
        frame.setStyleSheet("#bookingResult { background: #eef6ee; border: 1px solid #9cc79c; border-radius: 6px; }")
        self.code_label = QLabel()
        self.code_label.setObjectName("bookingCode")
        self.code_label.setStyleSheet(f"font-size: 30px; font-weight: bold; color: {GOOD}; letter-spacing: 4px;")
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result_detail = QLabel()
        self.result_detail.setWordWrap(True)
        caption = QLabel(self.tr("Booking code — the customer enters it at the kiosk on arrival:"))
        box = QVBoxLayout(frame)
        box.addWidget(caption)
        box.addWidget(self.code_label)
        box.addWidget(self.result_detail)
        frame.hide()
        return frame

    def _build_day_list(self) -> QGroupBox:
        box = QGroupBox(self.tr("Bookings that day"))
        self.day_model: RecordTableModel[AppointmentView] = RecordTableModel([
            Column(self.tr("Time"), lambda a: a.slot_start.astimezone(self._zone).strftime("%H:%M")),
            Column(self.tr("Code"), lambda a: a.code),
            Column(self.tr("Business"), lambda a: self._business_names.get(a.business_code, a.business_name_zh)),
            Column(self.tr("Customer"), lambda a: a.customer_name_masked),
            Column(self.tr("Phone"), lambda a: a.phone_masked),
            Column(self.tr("Status"), lambda a: self._status_label(a.status)),
        ], self)
        self.day_view = QTableView()
        self.day_view.setObjectName("appointmentDayView")
        self.day_view.setModel(self.day_model)
        self.day_view.verticalHeader().hide()
        self.day_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.day_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.day_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.day_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.day_view.horizontalHeader().setStretchLastSection(True)
        self.day_view.setMinimumHeight(120)
        self.day_view.selectionModel().selectionChanged.connect(self._update_reveal)
        self.reveal_button = QPushButton(self.tr("Show phone…"))
        self.reveal_button.setObjectName("revealPhoneButton")
        self.reveal_button.setToolTip(self.tr("Show the selected customer's full phone number, to call them"))
        self.reveal_button.setVisible(self._ctx.allows(Permission.REVEAL_SENSITIVE))
        self.reveal_button.clicked.connect(self.ask_reveal_phone)
        self.revealed_label = QLabel()
        self.revealed_label.setObjectName("revealedPhone")
        self.revealed_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.revealed_label.setStyleSheet(ERROR_TEXT_BOLD)
        self.reveal_timer = QTimer(self)
        self.reveal_timer.setSingleShot(True)
        self.reveal_timer.timeout.connect(self.revealed_label.clear)
        reveal_row = QHBoxLayout()
        reveal_row.addWidget(self.reveal_button)
        reveal_row.addWidget(self.revealed_label, 1)
        layout = QVBoxLayout(box)
        layout.addWidget(self.day_view)
        layout.addLayout(reveal_row)
        return box

    def _status_label(self, status: AppointmentStatus) -> str:
        return {AppointmentStatus.BOOKED: self.tr("Booked"), AppointmentStatus.CHECKED_IN: self.tr("Checked in"),
                AppointmentStatus.CANCELLED: self.tr("Cancelled")}[status]

    def _today(self) -> date:
        return self._ctx.clock().astimezone(self._zone).date()

    def chosen_day(self) -> date:
        return self.date_edit.date().toPython()

    def _date_changed(self) -> None:
        self.slot_combo.clear()
        for slot in day_slots(self.chosen_day(), self._zone, self._ctx.clock()):
            end = slot + timedelta(minutes=SLOT_MINUTES)
            self.slot_combo.addItem(f"{slot:%H:%M}–{end:%H:%M}", slot)
        if self.slot_combo.count() == 0:
            self.slot_combo.addItem(self.tr("No free slot left that day"), None)
        rows, ok = self.message.guarded(
            lambda: self.service.for_day(self._ctx.actor, self._ctx.branch.id, self.chosen_day())  # type: ignore[arg-type]
            if self._ctx.actor is not None else [])
        if ok:
            self.day_model.set_rows(rows)
        self._update_book()
        self._update_reveal()

    def selected_booking(self) -> AppointmentView | None:
        rows = self.day_view.selectionModel().selectedRows()
        return self.day_model.row_at(rows[0].row()) if rows else None

    def _update_reveal(self) -> None:
        self.reveal_button.setEnabled(self.selected_booking() is not None)

    def ask_reveal_phone(self) -> RevealDialog | None:
        """Ask why the selected booking's full phone is needed; shown when the reason is given."""
        booking = self.selected_booking()
        if booking is None:
            return None
        dialog = RevealDialog(parent=self)
        dialog.accepted.connect(lambda: self._reveal_phone(booking, dialog.reason() or ""))
        self.reveal_dialog = dialog
        dialog.open()
        return dialog

    def _reveal_phone(self, booking: AppointmentView, reason: str) -> None:
        if self._ctx.actor is None:
            return
        actor = self._ctx.actor
        phone, ok = self.message.guarded(
            lambda: self.service.reveal(actor, self._ctx.branch.id, booking.id, "phone", reason))
        if not ok:
            return
        self._show("")
        self.revealed_label.setText(self.tr("{name} ({code}): {phone}").format(
            name=booking.customer_name_masked, code=booking.code, phone=phone))
        self.reveal_timer.start(max(1, self._ctx.settings.get("customers.reveal_seconds")) * 1000)

    def _update_book(self) -> None:
        self.book_button.setEnabled(bool(self.name_edit.text().strip()) and bool(self.phone_edit.text().strip())
                                    and self.slot_combo.currentData() is not None)

    def _show(self, text: str, *, error: bool = False) -> None:
        self.message.report(text, error=error)

    def book(self) -> AppointmentView | None:
        slot = self.slot_combo.currentData()
        if slot is None:
            return None
        booked, ok = self.message.guarded(lambda: self.service.book(
            self._ctx.actor, self._ctx.branch.id, business_code=self.business_combo.currentData(),  # type: ignore[arg-type]
            customer_name=self.name_edit.text(), phone=self.phone_edit.text(),
            slot_start=slot, slot_minutes=SLOT_MINUTES), refused=self.fields.show)
        if not ok:
            return None
        self.booked = booked
        self._show("")
        self.code_label.setText(booked.code)
        self.result_detail.setText(self.tr("{name}, {phone} — {business}, {day} {start}–{end}").format(
            name=booked.customer_name_masked, phone=booked.phone_masked,
            business=self._business_names.get(booked.business_code, booked.business_name_zh),
            day=booked.slot_start.astimezone(self._zone).strftime("%Y-%m-%d"),
            start=booked.slot_start.astimezone(self._zone).strftime("%H:%M"),
            end=booked.slot_end.astimezone(self._zone).strftime("%H:%M")))
        self.result_frame.show()
        self.name_edit.clear()
        self.phone_edit.clear()
        self._date_changed()
        return booked
