"""Booking an appointment at the lobby desk: the booking code, the day's list (masked), a teller
revealing one customer's phone with a reason (audited), refusals in words."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, Qt

from app.services.appointments import AppointmentService
from app.services.audit import AuditFilter, AuditLog
from app.services.auth import authenticate
from app.services.bootstrap import DEMO_PASSWORD
from ui.queue.appointment_dialog import AppointmentDialog, day_slots

LEFT = Qt.MouseButton.LeftButton


def test_lobby_manager_books_and_sees_the_code(qtbot, make_main_window, demo_db):
    db, branch = demo_db
    window = make_main_window("lobby", counter=0)
    pane = window.queue_pane
    qtbot.mouseClick(pane.appointment_button, LEFT)
    dialog = pane.appointment_dialog
    assert isinstance(dialog, AppointmentDialog) and dialog.isVisible()
    assert not dialog.book_button.isEnabled()

    tomorrow = dialog.date_edit.date().addDays(1)
    dialog.date_edit.setDate(tomorrow)
    dialog.business_combo.setCurrentIndex(dialog.business_combo.findData("wealth"))
    dialog.name_edit.setText("王小明")  # QTest types Latin-1 only; an input method would enter this
    qtbot.keyClicks(dialog.phone_edit, "138 1234 5678")
    dialog.slot_combo.setCurrentIndex(2)  # 10:00–10:30
    assert dialog.book_button.isEnabled()
    qtbot.mouseClick(dialog.book_button, LEFT)

    booked = dialog.booked
    assert booked is not None and dialog.result_frame.isVisible()
    assert dialog.code_label.text() == booked.code and len(booked.code) == 6
    assert "138****5678" in dialog.result_detail.text() and "王小明" not in dialog.result_detail.text()
    zone = ZoneInfo(branch.timezone)
    assert booked.slot_start.astimezone(zone).strftime("%H:%M") == "10:00"
    assert booked.slot_start.astimezone(zone).date() == tomorrow.toPython()
    assert [a.code for a in dialog.day_model.rows()] == [booked.code]
    shown = [dialog.day_model.index(0, column).data() for column in range(dialog.day_model.columnCount())]
    assert "王**" in shown and "138****5678" in shown and "王小明" not in shown
    stored = AppointmentService(pane._ctx.services.queue).for_day(pane._ctx.actor, branch.id, tomorrow.toPython())
    assert [(a.code, a.business_code, a.phone_masked) for a in stored] == [(booked.code, "wealth", "138****5678")]
    assert dialog.name_edit.text() == ""  # ready for the next customer
    assert not dialog.reveal_button.isVisible()  # the lobby manager's role may not reveal


def test_a_teller_reveals_a_customers_phone_with_a_reason(qtbot, make_main_window, demo_db):
    db, branch = demo_db
    window = make_main_window("teller1", counter=1)
    window._ctx.settings.set("customers.reveal_seconds", 1)
    dialog = window.queue_pane.book_appointment()
    dialog.date_edit.setDate(dialog.date_edit.date().addDays(1))
    dialog.name_edit.setText("王小明")
    qtbot.keyClicks(dialog.phone_edit, "13812345678")
    qtbot.mouseClick(dialog.book_button, LEFT)
    assert dialog.booked is not None
    assert dialog.reveal_button.isVisible() and not dialog.reveal_button.isEnabled()
    dialog.day_view.selectRow(0)
    assert dialog.reveal_button.isEnabled()

    qtbot.mouseClick(dialog.reveal_button, LEFT)
    reason = dialog.reveal_dialog
    assert reason is not None and not reason.ok_button.isEnabled()
    reason.reason_edit.insert("回电确认预约时间")
    qtbot.mouseClick(reason.ok_button, LEFT)
    assert "13812345678" in dialog.revealed_label.text()
    qtbot.waitUntil(lambda: dialog.revealed_label.text() == "", timeout=3000)  # hidden again
    [entry] = AuditLog(db).entries(authenticate(db, "supervisor", DEMO_PASSWORD), AuditFilter(action="reveal"))
    assert (entry.username, entry.target_type, entry.target_id) == ("teller1", "appointment", str(dialog.booked.id))
    assert entry.detail == {"field": "phone", "reason": "回电确认预约时间"}


def test_a_bad_phone_number_is_refused_in_words(qtbot, make_main_window):
    window = make_main_window("lobby", counter=0)
    dialog = window.queue_pane.book_appointment()
    dialog.date_edit.setDate(dialog.date_edit.date().addDays(1))
    dialog.name_edit.setText("李四")
    qtbot.keyClicks(dialog.phone_edit, "12345abc")  # the letters never reach the field
    assert dialog.phone_edit.text() == "12345"
    qtbot.mouseClick(dialog.book_button, LEFT)
    assert dialog.booked is None
    assert dialog.message.text().startswith("Phone: ")
    assert dialog.fields.marked() == ["phone"] and "11 digits" in dialog.fields.message("phone")  # next to it
    assert not dialog.result_frame.isVisible()
    qtbot.keyClicks(dialog.phone_edit, "678901")
    assert dialog.fields.marked() == [] and dialog.message.text() == ""  # edited: no stale message


def test_the_tools_menu_opens_the_booking_dialog(qtbot, make_main_window):
    window = make_main_window("teller1", counter=1)
    assert window.appointment_action.isVisible()
    window.appointment_action.trigger()
    assert window.queue_pane.appointment_dialog is not None
    assert window.queue_pane.appointment_dialog.isVisible()


def test_day_slots_leave_out_the_past() -> None:
    zone = ZoneInfo("Asia/Shanghai")
    day = QDate(2026, 3, 2).toPython()
    noon = datetime(2026, 3, 2, 12, 10, tzinfo=zone).astimezone(timezone.utc)
    slots = day_slots(day, zone, noon)
    assert slots[0].strftime("%H:%M") == "12:30" and slots[-1].strftime("%H:%M") == "16:30"
    assert day_slots(day, zone, noon + timedelta(days=1)) == []
