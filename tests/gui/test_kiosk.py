"""The lobby ticket kiosk, touched through its real buttons, on real services."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from PySide6.QtCore import Qt
from stdnum.cn import ric

from app.domain.priority import PriorityClass
from app.domain.tickets import TicketStatus
from app.services.branch_settings import BranchSettings
from app.services.auth import authenticate
from app.services.bootstrap import DEMO_PASSWORD
from app.settings import Settings
from app.services.queue_reads import AgePriority
from app.services.registry import Services
from ui.context import AppContext
from ui.kiosk.kiosk_window import KioskWindow
from ui.printing.print_job import PrintQueue

#: 10:00 in Shanghai: bookings and check-ins fall on one business day whenever the tests run.
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc)
WAIT_MS = 10_000


def resident_id(first17: str) -> str:
    return first17 + ric.calc_check_digit(first17 + "0")


BORN_1950 = resident_id("11010519500101123")  # 76 on NOW: green channel
BORN_1990 = resident_id("11010519900307123")


@pytest.fixture
def make_kiosk(qtbot, demo_db):  # type: ignore[no-untyped-def]
    db, branch = demo_db
    built: list[tuple[KioskWindow, PrintQueue]] = []

    def make(*, result_seconds: float = 30.0, printer: str = "No Such Printer") -> KioskWindow:
        settings = Settings()
        settings.set("printing.slip_printer", printer)  # nothing real is printed
        settings.use_branch_values(BranchSettings(db).values(branch.id))  # as a sign-in does
        context = AppContext(Services(db, settings, lambda: NOW, zone=branch.timezone), branch, language="en",
                             actor=authenticate(db, "lobby", DEMO_PASSWORD))
        queue = PrintQueue()
        kiosk = KioskWindow(context, result_seconds=result_seconds, print_queue=queue)
        qtbot.addWidget(kiosk)
        kiosk.resize(1280, 720)
        kiosk.show()
        built.append((kiosk, queue))
        return kiosk

    yield make
    for kiosk, queue in built:
        assert queue.wait_for_done(5000)
        kiosk.close()


def type_on_keypad(qtbot, keypad, text: str) -> None:  # type: ignore[no-untyped-def]
    for char in text:
        qtbot.mouseClick(keypad.keys[char], Qt.MouseButton.LeftButton)


def click(qtbot, button) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def tickets(kiosk: KioskWindow) -> list:  # type: ignore[type-arg]
    return kiosk._ctx.services.queue.list_tickets(kiosk._ctx.branch.id)


def test_identified_customer_aged_65_plus_gets_the_green_channel(qtbot, make_kiosk) -> None:  # type: ignore[no-untyped-def]
    kiosk = make_kiosk()
    click(qtbot, kiosk.identify_button)
    assert kiosk.pages.currentWidget() is kiosk.identify_page
    type_on_keypad(qtbot, kiosk.id_keypad, BORN_1950)
    assert kiosk.id_field.value() == BORN_1950
    assert kiosk.id_field.text() == "•" * 14 + BORN_1950[-4:]  # a public screen: masked as typed
    click(qtbot, kiosk.id_continue_button)

    assert kiosk.pages.currentWidget() is kiosk.start_page
    assert kiosk.identified_bar.isVisible()
    assert "110105********" in kiosk.identified_label.text()  # birth date never shown
    assert BORN_1950 not in kiosk.identified_label.text()

    click(qtbot, kiosk.business_buttons["deposit_withdrawal"])
    assert kiosk.pages.currentWidget() is kiosk.result_page
    assert kiosk.result_number.text() == "B001"
    assert kiosk.result_priority.isVisible() and "Green channel" in kiosk.result_priority.text()
    [ticket] = tickets(kiosk)
    assert (ticket.number, ticket.priority) == ("B001", PriorityClass.GREEN)
    assert kiosk.identified_id is None  # one ticket only; nothing of the customer is kept
    assert not kiosk.identified_bar.isVisible()


def test_bad_id_number_shows_a_message_and_issues_nothing(qtbot, make_kiosk) -> None:  # type: ignore[no-untyped-def]
    kiosk = make_kiosk()
    click(qtbot, kiosk.identify_button)
    wrong_check = BORN_1950[:17] + ("1" if BORN_1950[17] != "1" else "2")
    type_on_keypad(qtbot, kiosk.id_keypad, wrong_check)
    click(qtbot, kiosk.id_continue_button)
    assert kiosk.pages.currentWidget() is kiosk.identify_page
    assert "check character" in kiosk.id_message.text()
    assert kiosk.identified_id is None

    qtbot.mouseClick(kiosk.id_keypad.keys["⌫"], Qt.MouseButton.LeftButton)
    type_on_keypad(qtbot, kiosk.id_keypad, "X")
    kiosk.id_field.setText("1101051950")
    click(qtbot, kiosk.id_continue_button)
    assert "18 characters" in kiosk.id_message.text()
    assert tickets(kiosk) == []

    click(qtbot, kiosk.id_back_button)
    assert kiosk.pages.currentWidget() is kiosk.start_page
    assert kiosk.id_field.value() == kiosk.id_field.text() == ""  # the next customer sees none of it


def test_an_id_refused_by_the_service_is_shown_as_a_sentence(qtbot, make_kiosk) -> None:  # type: ignore[no-untyped-def]
    kiosk = make_kiosk()
    kiosk.identified_id = "12345"  # e.g. read from a damaged card
    click(qtbot, kiosk.business_buttons["loan"])
    assert kiosk.pages.currentWidget() is kiosk.start_page
    assert "ID number" in kiosk.message.text()
    assert tickets(kiosk) == []


def test_younger_customer_is_told_and_not_remembered(qtbot, make_kiosk) -> None:  # type: ignore[no-untyped-def]
    kiosk = make_kiosk()
    click(qtbot, kiosk.identify_button)
    type_on_keypad(qtbot, kiosk.id_keypad, BORN_1990)
    click(qtbot, kiosk.id_continue_button)
    assert kiosk.pages.currentWidget() is kiosk.start_page
    assert kiosk.identified_id is None
    assert "65" in kiosk.message.text()
    click(qtbot, kiosk.business_buttons["loan"])
    [ticket] = tickets(kiosk)
    assert ticket.priority == PriorityClass.NORMAL


def _enter_id(qtbot, kiosk: KioskWindow, number: str) -> None:  # type: ignore[no-untyped-def]
    click(qtbot, kiosk.identify_button)
    type_on_keypad(qtbot, kiosk.id_keypad, number)
    click(qtbot, kiosk.id_continue_button)


def test_the_kiosk_shows_what_the_queue_service_decides(qtbot, make_kiosk,
                                                        monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """No age rule in the widget: it passes the number as typed and follows the service's answer."""
    kiosk = make_kiosk()
    queue = kiosk._ctx.services.queue
    asked: list[tuple[int, str]] = []
    masked = BORN_1990[:6] + "********" + BORN_1990[14:]

    def green(branch_id: int, typed: str) -> AgePriority:
        asked.append((branch_id, typed))
        return AgePriority(BORN_1990, masked, PriorityClass.GREEN, 60)

    monkeypatch.setattr(queue, "age_priority", green)
    _enter_id(qtbot, kiosk, BORN_1990)
    assert asked == [(kiosk._ctx.branch.id, BORN_1990)]
    assert kiosk.identified_id == BORN_1990 and masked in kiosk.identified_label.text()

    monkeypatch.setattr(queue, "age_priority",
                        lambda branch_id, typed: AgePriority(BORN_1950, "", PriorityClass.NORMAL, 80))
    _enter_id(qtbot, kiosk, BORN_1950)
    assert kiosk.pages.currentWidget() is kiosk.start_page
    assert kiosk.identified_id is None and not kiosk.identified_bar.isVisible()
    assert "80" in kiosk.message.text()  # the age the service gave, not one the kiosk read


def test_a_failed_check_keeps_the_kiosk_usable(qtbot, make_kiosk, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    kiosk = make_kiosk()

    def broken(branch_id: int, typed: str) -> AgePriority:
        raise RuntimeError("connection lost")

    monkeypatch.setattr(kiosk._ctx.services.queue, "age_priority", broken)
    _enter_id(qtbot, kiosk, BORN_1950)
    assert kiosk.pages.currentWidget() is kiosk.identify_page
    assert "ask our staff" in kiosk.id_message.text() and "connection lost" not in kiosk.id_message.text()
    assert kiosk.identified_id is None
    click(qtbot, kiosk.id_back_button)
    click(qtbot, kiosk.business_buttons["loan"])
    [ticket] = tickets(kiosk)
    assert ticket.priority == PriorityClass.NORMAL


def test_booking_checked_in_on_time_gets_appointment_priority(qtbot, make_kiosk) -> None:  # type: ignore[no-untyped-def]
    kiosk = make_kiosk()
    ctx = kiosk._ctx
    booking = ctx.services.appointments.book(
        ctx.actor, ctx.branch.id, business_code="wealth", customer_name="王芳", phone="13800001234",
        slot_start=NOW + timedelta(minutes=10))
    click(qtbot, kiosk.booking_button)
    assert kiosk.pages.currentWidget() is kiosk.booking_page
    type_on_keypad(qtbot, kiosk.booking_keypad, booking.code)
    click(qtbot, kiosk.check_in_button)

    assert kiosk.pages.currentWidget() is kiosk.result_page
    assert kiosk.result_number.text() == "D001"
    assert "Booking checked in" in kiosk.result_priority.text()
    [ticket] = tickets(kiosk)
    assert ticket.priority == PriorityClass.APPOINTMENT


def test_unknown_or_short_booking_code(qtbot, make_kiosk) -> None:  # type: ignore[no-untyped-def]
    kiosk = make_kiosk()
    click(qtbot, kiosk.booking_button)
    type_on_keypad(qtbot, kiosk.booking_keypad, "123")
    click(qtbot, kiosk.check_in_button)
    assert "6 digits" in kiosk.booking_message.text()
    type_on_keypad(qtbot, kiosk.booking_keypad, "456")
    click(qtbot, kiosk.check_in_button)
    assert "123456" in kiosk.booking_message.text()  # "Appointment 123456 does not exist."
    assert kiosk.pages.currentWidget() is kiosk.booking_page
    assert tickets(kiosk) == []


def test_slip_goes_to_the_slip_printer_and_a_failure_keeps_the_ticket(qtbot, make_kiosk) -> None:  # type: ignore[no-untyped-def]
    kiosk = make_kiosk(result_seconds=1.0)
    with qtbot.waitSignal(kiosk.slip_printed, timeout=WAIT_MS) as printed:
        click(qtbot, kiosk.business_buttons["account_opening"])
        assert kiosk.last_print_job is not None  # printing was attempted, without a dialog
    assert printed.args == [False]
    assert "could not be printed" in kiosk.print_status.text()
    assert "No Such Printer" in kiosk.print_status.text()
    assert "A001" in kiosk.print_status.text()
    [ticket] = tickets(kiosk)
    assert (ticket.number, ticket.status) == ("A001", TicketStatus.WAITING)
    assert kiosk.result_ahead.text()
    # The panel stays longer after a failure (to note the number), then the next customer's turn.
    qtbot.waitUntil(lambda: kiosk.pages.currentWidget() is kiosk.start_page, timeout=WAIT_MS)


def test_result_panel_shows_people_ahead_and_wait_then_returns(qtbot, make_kiosk, demo_db) -> None:  # type: ignore[no-untyped-def]
    db, branch = demo_db
    kiosk = make_kiosk(result_seconds=0.3)
    teller = authenticate(db, "teller1", DEMO_PASSWORD)
    for counter in range(2, 7):  # one counter open: the one ahead is served first
        kiosk._ctx.services.counter_desk.pause(teller, branch.id, counter, "break")
    click(qtbot, kiosk.business_buttons["deposit_withdrawal"])
    assert kiosk.result_ahead.text() == "You are next. Please watch the calling display."
    assert not kiosk.result_wait.isVisibleTo(kiosk)  # a counter is free: no "about 0 min"
    qtbot.waitUntil(lambda: kiosk.pages.currentWidget() is kiosk.start_page, timeout=WAIT_MS)
    click(qtbot, kiosk.business_buttons["deposit_withdrawal"])
    assert kiosk.result_number.text() == "B002"
    assert kiosk.result_ahead.text() == "People ahead of you: 1"
    assert kiosk.result_wait.text().startswith("Estimated wait: about")
    click(qtbot, kiosk.done_button)
    assert kiosk.pages.currentWidget() is kiosk.start_page


def test_kiosk_without_a_signed_in_user_issues_nothing(qtbot, demo_db) -> None:  # type: ignore[no-untyped-def]
    db, branch = demo_db
    kiosk = KioskWindow(AppContext(Services(db, Settings(), zone=branch.timezone), branch, language="en", actor=None))
    qtbot.addWidget(kiosk)
    assert not kiosk.business_buttons["loan"].isEnabled()
    assert kiosk.message.text()
    assert kiosk.issue("loan") is None
    kiosk.close()


def test_the_id_number_typed_on_the_keyboard_is_masked_and_cannot_be_edited_inside(qtbot, make_kiosk) -> None:  # type: ignore[no-untyped-def]
    kiosk = make_kiosk()
    click(qtbot, kiosk.identify_button)
    field = kiosk.id_field
    qtbot.keyClicks(field, BORN_1950[:10] + "ab")  # letters other than X are not part of an ID number
    assert field.value() == BORN_1950[:10] and field.text() == "•" * 6 + BORN_1950[6:10]
    for key in (Qt.Key.Key_Home, Qt.Key.Key_Left):
        qtbot.keyClick(field, key)
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)  # select all: nothing to select
    qtbot.keyClicks(field, BORN_1950[10:17])
    qtbot.keyClick(field, Qt.Key.Key_Backspace)
    qtbot.keyClicks(field, BORN_1950[16:] + "9")  # one past the 18 characters is dropped
    assert field.value() == BORN_1950
    assert BORN_1950[:14] not in field.text() and field.displayText().endswith(BORN_1950[-4:])
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert kiosk.identified_bar.isVisible()


def test_the_header_names_the_bank_of_the_branch(make_kiosk, demo_db) -> None:  # type: ignore[no-untyped-def]
    from app.services.actor import SYSTEM

    assert not make_kiosk().bank_label.isVisible()  # not set: the branch's name alone
    db, branch = demo_db
    BranchSettings(db).change(SYSTEM, branch.id, {"printing.bank_name": "东方银行"})  # as the setup wizard does
    kiosk = make_kiosk()
    assert kiosk.bank_label.isVisible() and kiosk.bank_label.text() == "东方银行"
