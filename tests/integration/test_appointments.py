"""Appointments (预约) on both databases: booking checks, check-in on time for priority,
early or late for a normal ticket, codes used once, only on the booked day."""

from __future__ import annotations

import dataclasses
import threading
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from app.db.models import Appointment, Ticket
from app.domain.errors import Conflict, DomainError, NotFound, PermissionDenied, ValidationError
from app.domain.priority import PriorityClass
from app.domain.tickets import TicketStatus
from app.services.appointments import AppointmentService, AppointmentStatus
from app.services.queue import QueueService
from app.services.queue_policy import QueuePolicy

P = PriorityClass


@pytest.fixture
def booking(queue) -> AppointmentService:  # type: ignore[no-untyped-def]
    return AppointmentService(queue)


def book(booking, actors, branch, slot: datetime, **changes):  # type: ignore[no-untyped-def]
    fields = {"business_code": "wealth", "customer_name": "张三", "phone": "13800138000", "slot_start": slot}
    fields.update(changes)
    return booking.book(actors.lobby, branch.id, **fields)


def tickets_in(db) -> int:  # type: ignore[no-untyped-def]
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(Ticket))


def bookings_in(db) -> int:  # type: ignore[no-untyped-def]
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(Appointment))


# -- booking -----------------------------------------------------------------------------

def test_book_an_appointment(booking, clock, branch, actors) -> None:  # type: ignore[no-untyped-def]
    slot = clock.now + timedelta(hours=1)
    made = book(booking, actors, branch, slot, customer_name="  李四 ", phone="+86 139 1234 5678",
                slot_minutes=45)
    assert len(made.code) == 6 and made.code.isdigit()
    assert (made.business_code, made.business_name_zh, made.customer_name_masked, made.phone_masked) == (
        "wealth", "理财产品", "李*", "139****5678")
    assert (made.slot_start, made.slot_end, made.status, made.ticket_id) == (
        slot, slot + timedelta(minutes=45), AppointmentStatus.BOOKED, None)
    assert booking.for_day(actors.lobby, branch.id) == [made]
    reveal = lambda field: booking.reveal(actors.teller1, branch.id, made.id, field, "回电确认")  # noqa: E731
    assert (reveal("customer_name"), reveal("phone")) == ("李四", "13912345678")


def test_booking_codes_are_distinct(booking, clock, branch, actors) -> None:  # type: ignore[no-untyped-def]
    codes = {book(booking, actors, branch, clock.now + timedelta(minutes=10 + i)).code for i in range(25)}
    assert len(codes) == 25


def test_landline_numbers_are_accepted(booking, clock, branch, actors) -> None:  # type: ignore[no-untyped-def]
    for phone, masked, full in (("010-12345678", "010****5678", "01012345678"),
                                ("0755 1234567", "075****4567", "07551234567")):
        made = book(booking, actors, branch, clock.now + timedelta(hours=1), phone=phone)
        assert made.phone_masked == masked
        assert booking.reveal(actors.teller1, branch.id, made.id, "phone", "回电确认") == full


@pytest.mark.parametrize("phone", ["", "12345", "1380013800", "12800138000", "138001380001", "phone",
                                   "10-12345678", "+1 415 555 0100"])
def test_bad_phone_is_refused_naming_the_field(booking, clock, branch, actors, phone) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as caught:
        book(booking, actors, branch, clock.now + timedelta(hours=1), phone=phone)
    assert caught.value.params["field"] == "phone"
    assert bookings_in(booking.db) == 0


@pytest.mark.parametrize("name", ["", "   ", "张" * 101])
def test_customer_name_is_required(booking, clock, branch, actors, name) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as caught:
        book(booking, actors, branch, clock.now + timedelta(hours=1), customer_name=name)
    assert caught.value.params["field"] == "customer name"


def test_slot_must_be_in_the_future_and_aware(booking, clock, branch, actors) -> None:  # type: ignore[no-untyped-def]
    for slot in (clock.now - timedelta(seconds=1), clock.now - timedelta(days=3),
                 clock.now.replace(tzinfo=None) + timedelta(hours=1)):
        with pytest.raises(ValidationError) as caught:
            book(booking, actors, branch, slot)
        assert caught.value.params["field"] == "slot"
    assert bookings_in(booking.db) == 0
    assert book(booking, actors, branch, clock.now).slot_start == clock.now  # "now" is not the past


@pytest.mark.parametrize(("minutes", "ok"), [(4, False), (5, True), (240, True), (241, False)])
def test_slot_length(booking, clock, branch, actors, minutes, ok) -> None:  # type: ignore[no-untyped-def]
    slot = clock.now + timedelta(hours=1)
    if ok:
        assert book(booking, actors, branch, slot, slot_minutes=minutes).slot_end == slot + timedelta(minutes=minutes)
    else:
        with pytest.raises(ValidationError) as caught:
            book(booking, actors, branch, slot, slot_minutes=minutes)
        assert caught.value.params["field"] == "slot length"


def test_unknown_business_type(booking, clock, branch, actors) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFound):
        book(booking, actors, branch, clock.now + timedelta(hours=1), business_code="safe_deposit")
    assert bookings_in(booking.db) == 0


def test_booking_is_for_staff_of_the_branch(booking, clock, branch, other_branch, actors) -> None:  # type: ignore[no-untyped-def]
    slot = clock.now + timedelta(hours=1)
    assert booking.book(actors.teller1, branch.id, business_code="loan", customer_name="王五", phone="13800138000",
                        slot_start=slot).status is AppointmentStatus.BOOKED
    with pytest.raises(PermissionDenied):
        booking.book(other_branch.teller, branch.id, business_code="loan", customer_name="王五",
                     phone="13800138000", slot_start=slot)


# -- check-in ----------------------------------------------------------------------------

SLOT_IN = timedelta(hours=2)  # slots are booked two hours ahead (12:00 in Shanghai)


@pytest.mark.parametrize(("offset", "priority"), [
    (-timedelta(minutes=31), P.NORMAL),  # too early: window opens 30 minutes before
    (-timedelta(minutes=30, seconds=1), P.NORMAL),
    (-timedelta(minutes=30), P.APPOINTMENT),
    (-timedelta(minutes=5), P.APPOINTMENT),
    (timedelta(0), P.APPOINTMENT),
    (timedelta(minutes=10), P.APPOINTMENT),  # still on time 10 minutes after the start
    (timedelta(minutes=10, seconds=1), P.NORMAL),
    (timedelta(hours=3), P.NORMAL),
])
def test_check_in_priority_depends_on_punctuality(booking, clock, branch, actors, offset, priority) -> None:  # type: ignore[no-untyped-def]
    made = book(booking, actors, branch, clock.now + SLOT_IN)
    clock.now = made.slot_start + offset
    ticket = booking.check_in(actors.lobby, branch.id, made.code)
    assert (ticket.priority, ticket.business_code, ticket.status, ticket.number) == (
        priority, "wealth", TicketStatus.WAITING, "D001")
    [after] = booking.for_day(actors.lobby, branch.id)
    assert (after.status, after.ticket_id) == (AppointmentStatus.CHECKED_IN, ticket.id)
    assert booking.queue.get_ticket(branch.id, "D001").priority is priority


def test_check_in_window_is_a_policy(db, clock, branch, actors) -> None:  # type: ignore[no-untyped-def]
    policy = dataclasses.replace(QueuePolicy.defaults(), appointment_early_minutes=5, appointment_late_minutes=0)
    service = AppointmentService(QueueService(db, clock=clock, policy=policy))
    early = book(service, actors, branch, clock.now + SLOT_IN)
    on_time = book(service, actors, branch, clock.now + SLOT_IN)
    late = book(service, actors, branch, clock.now + SLOT_IN)
    clock.now = early.slot_start - timedelta(minutes=6)
    assert service.check_in(actors.lobby, branch.id, early.code).priority is P.NORMAL
    clock.now = on_time.slot_start - timedelta(minutes=5)
    assert service.check_in(actors.lobby, branch.id, on_time.code).priority is P.APPOINTMENT
    clock.now = late.slot_start + timedelta(seconds=1)
    assert service.check_in(actors.lobby, branch.id, late.code).priority is P.NORMAL


def test_a_code_checks_in_once(booking, clock, branch, actors) -> None:  # type: ignore[no-untyped-def]
    made = book(booking, actors, branch, clock.now + timedelta(minutes=10))
    first = booking.check_in(actors.lobby, branch.id, f" {made.code} ")
    with pytest.raises(Conflict) as caught:
        booking.check_in(actors.lobby, branch.id, made.code)
    assert (caught.value.code, caught.value.params["status"]) == ("appointment_used", "checked_in")
    assert tickets_in(booking.db) == 1
    assert booking.for_day(actors.lobby, branch.id)[0].ticket_id == first.id


def test_a_cancelled_code_does_not_check_in(booking, clock, branch, actors) -> None:  # type: ignore[no-untyped-def]
    made = book(booking, actors, branch, clock.now + timedelta(minutes=10))
    assert booking.cancel(actors.lobby, branch.id, made.code).status is AppointmentStatus.CANCELLED
    with pytest.raises(Conflict) as caught:
        booking.check_in(actors.lobby, branch.id, made.code)
    assert (caught.value.code, caught.value.params["status"]) == ("appointment_used", "cancelled")
    with pytest.raises(Conflict):
        booking.cancel(actors.lobby, branch.id, made.code)
    assert tickets_in(booking.db) == 0


def test_an_unknown_code_or_another_branchs_code_is_not_found(booking, clock, branch, other_branch, actors) -> None:  # type: ignore[no-untyped-def]
    made = book(booking, actors, branch, clock.now + timedelta(minutes=10))
    wrong = "000000" if made.code != "000000" else "111111"
    with pytest.raises(NotFound):
        booking.check_in(actors.lobby, branch.id, wrong)
    with pytest.raises(NotFound):
        booking.check_in(other_branch.teller, other_branch.branch.id, made.code)
    with pytest.raises(PermissionDenied):
        booking.check_in(other_branch.teller, branch.id, made.code)
    assert booking.check_in(actors.lobby, branch.id, made.code).priority is P.APPOINTMENT


def test_another_days_booking_is_refused(booking, clock, branch, actors) -> None:  # type: ignore[no-untyped-def]
    tomorrow = book(booking, actors, branch, clock.now + timedelta(days=1))
    with pytest.raises(Conflict) as caught:
        booking.check_in(actors.lobby, branch.id, tomorrow.code)
    assert (caught.value.code, caught.value.params["day"]) == ("appointment_other_day", "2026-11-24")
    assert tickets_in(booking.db) == 0
    # A customer who missed yesterday's slot is refused too.
    today = book(booking, actors, branch, clock.now + timedelta(hours=1))
    clock.advance(days=1)
    with pytest.raises(Conflict) as caught:
        booking.check_in(actors.lobby, branch.id, today.code)
    assert (caught.value.code, caught.value.params["day"]) == ("appointment_other_day", "2026-11-23")
    # On its own day the first booking checks in.
    assert booking.check_in(actors.lobby, branch.id, tomorrow.code).priority is P.APPOINTMENT
    assert [a.status for a in booking.for_day(actors.lobby, branch.id)] == [AppointmentStatus.CHECKED_IN]


def test_the_booked_day_is_the_branch_day_not_the_utc_day(booking, clock, branch, actors) -> None:  # type: ignore[no-untyped-def]
    clock.set("2026-11-23T15:00:00+00:00")  # 23:00 in Shanghai
    slot = datetime(2026, 11, 23, 16, 5, tzinfo=timezone.utc)  # 00:05 on the 24th in Shanghai
    made = book(booking, actors, branch, slot)
    with pytest.raises(Conflict) as caught:
        booking.check_in(actors.lobby, branch.id, made.code)
    assert caught.value.params["day"] == "2026-11-24"
    clock.set("2026-11-23T16:01:00+00:00")  # 00:01 on the 24th in Shanghai, still the 23rd in UTC
    assert booking.check_in(actors.lobby, branch.id, made.code).priority is P.APPOINTMENT


def test_appointments_are_called_after_green_before_vip(booking, clock, branch, actors) -> None:  # type: ignore[no-untyped-def]
    queue = booking.queue
    made = book(booking, actors, branch, clock.now + timedelta(minutes=20))
    queue.issue_ticket(actors.lobby, branch.id, "wealth")
    queue.issue_ticket(actors.lobby, branch.id, "wealth", priority=P.VIP_DIAMOND)
    clock.advance(minutes=1)
    appointment = booking.check_in(actors.lobby, branch.id, made.code)
    assert appointment.waiting_ahead == 0
    green = queue.issue_ticket(actors.lobby, branch.id, "wealth", priority=P.GREEN)
    called = []
    while (ticket := queue.call_next(actors.teller1, branch.id, 1)) is not None:
        called.append(ticket.number)
        queue.finish(actors.teller1, branch.id, 1)
    assert called == [green.number, appointment.number, "D002", "D001"]


def test_for_day_lists_the_days_bookings_in_slot_order(booking, clock, branch, other_branch, actors) -> None:  # type: ignore[no-untyped-def]
    late = book(booking, actors, branch, clock.now + timedelta(hours=5))
    early = book(booking, actors, branch, clock.now + timedelta(minutes=30))
    book(booking, actors, branch, clock.now + timedelta(days=1))
    booking.book(other_branch.teller, other_branch.branch.id, business_code="loan", customer_name="赵六",
                 phone="13800138000", slot_start=clock.now + timedelta(hours=1))
    assert [a.code for a in booking.for_day(actors.lobby, branch.id)] == [early.code, late.code]
    assert len(booking.for_day(actors.lobby, branch.id, (clock.now + timedelta(days=1)).date())) == 1
    assert len(booking.for_day(other_branch.teller, other_branch.branch.id)) == 1
    with pytest.raises(PermissionDenied) as caught:  # another branch's staff see none of ours
        booking.for_day(other_branch.teller, branch.id)
    assert caught.value.params["action"] == "work for another branch"


def test_two_kiosks_checking_in_one_code_get_one_ticket(booking, clock, branch, actors) -> None:  # type: ignore[no-untyped-def]
    made = book(booking, actors, branch, clock.now + timedelta(minutes=10))
    kiosks = 4
    start = threading.Barrier(kiosks)
    outcomes: list[object] = []

    def check_in() -> None:
        start.wait(timeout=30)
        try:
            outcomes.append(booking.check_in(actors.lobby, branch.id, made.code))
        except DomainError as refused:
            outcomes.append(refused)

    threads = [threading.Thread(target=check_in) for _ in range(kiosks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(outcomes) == kiosks
    issued = [o for o in outcomes if not isinstance(o, DomainError)]
    refused = [o for o in outcomes if isinstance(o, DomainError)]
    assert len(issued) == 1
    assert all(isinstance(r, Conflict) and r.code == "appointment_used" for r in refused)
    assert tickets_in(booking.db) == 1
