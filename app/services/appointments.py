"""Appointments (预约): booked by phone or at the desk, checked in at the kiosk with the code."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.db.engine import Database
from app.db.models import Appointment, BusinessType
from app.domain.appointments import check_in_priority, new_booking_code, normalise_phone
from app.domain.business_day import business_day, utcnow
from app.domain.errors import Conflict, NotFound, ValidationError
from app.domain.roles import Permission
from app.events import TOPIC_QUEUE, publish
from app.services.audit import require
from app.services.actor import Actor
from app.services.queue import QueueService, TicketView
from app.services.queue_session import branch_of, check_branch

MAX_CODE_ATTEMPTS = 20


class AppointmentStatus(StrEnum):
    BOOKED = "booked"
    CHECKED_IN = "checked_in"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class AppointmentView:
    id: int
    code: str
    business_code: str
    business_name_zh: str
    customer_name: str
    phone: str
    slot_start: datetime
    slot_end: datetime
    status: AppointmentStatus
    ticket_id: int | None


def _view(a: Appointment) -> AppointmentView:
    return AppointmentView(a.id, a.code, a.business_type.code, a.business_type.name_zh, a.customer_name, a.phone,
                           a.slot_start, a.slot_end, AppointmentStatus(a.status), a.ticket_id)


class AppointmentService:
    def __init__(self, queue: QueueService, clock: Callable[[], datetime] | None = None) -> None:
        self.queue = queue
        self.db: Database = queue.db
        self.clock = clock or queue.clock or utcnow

    def book(self, actor: Actor, branch_id: int, *, business_code: str, customer_name: str, phone: str,
             slot_start: datetime, slot_minutes: int = 30) -> AppointmentView:
        require(self.db, actor, Permission.ISSUE_TICKET, clock=self.clock)
        check_branch(actor, branch_id)
        name = customer_name.strip()
        if not name or len(name) > 100:
            raise ValidationError(field="customer name", reason="1 to 100 characters")
        number = normalise_phone(phone)
        if slot_start.tzinfo is None:
            raise ValidationError(field="slot", reason="needs a time zone")
        if slot_start < self.clock():
            raise ValidationError(field="slot", reason="must be in the future")
        if not 5 <= slot_minutes <= 240:
            raise ValidationError(field="slot length", reason="5 to 240 minutes")
        for _ in range(MAX_CODE_ATTEMPTS):
            try:
                with self.db.write() as session:
                    branch_of(session, branch_id)
                    bt = session.scalar(select(BusinessType).where(BusinessType.code == business_code,
                                                                   BusinessType.active))
                    if bt is None:
                        raise NotFound(what="Business type", key=business_code)
                    booking = Appointment(branch_id=branch_id, business_type_id=bt.id, code=new_booking_code(),
                                          customer_name=name, phone=number, slot_start=slot_start,
                                          slot_end=slot_start + timedelta(minutes=slot_minutes),
                                          status=AppointmentStatus.BOOKED.value, created_at=self.clock(),
                                          created_by_id=actor.user_id)
                    booking.business_type = bt
                    session.add(booking)
                    session.flush()
                    return _view(booking)
            except IntegrityError:
                continue  # the random code was taken: draw another
        raise Conflict(reason="no free booking code; try again")

    def check_in(self, actor: Actor, branch_id: int, code: str) -> TicketView:
        """Issue the appointment's ticket: priority when on time, a normal ticket when early or late."""
        require(self.db, actor, Permission.ISSUE_TICKET, clock=self.clock)
        check_branch(actor, branch_id)
        now = self.clock()
        with self.db.write() as session:
            branch = branch_of(session, branch_id)
            booking = session.scalar(select(Appointment).where(Appointment.branch_id == branch_id,
                                                               Appointment.code == code.strip())
                                     .with_for_update())
            if booking is None:
                raise NotFound(what="Appointment", key=code)
            if booking.status != AppointmentStatus.BOOKED.value:
                raise Conflict(code="appointment_used", template="Appointment {booking} is already {status}.",
                               booking=booking.code, status=booking.status)
            if business_day(booking.slot_start, branch.timezone) != business_day(now, branch.timezone):
                raise Conflict(code="appointment_other_day", template="Appointment {booking} is for {day}.",
                               booking=booking.code, day=business_day(booking.slot_start, branch.timezone).isoformat())
            policy = self.queue.policy
            priority = check_in_priority(now, booking.slot_start, policy.appointment_early_minutes,
                                         policy.appointment_late_minutes)
            ticket = self.queue.new_ticket_in(session, actor, branch_id, booking.business_type.code, priority, now,
                                            branch.timezone)
            booking.status, booking.ticket_id, booking.checked_in_at = \
                AppointmentStatus.CHECKED_IN.value, ticket.id, now
            publish(session, TOPIC_QUEUE, branch_id)
            return self.queue.position_view_in(session, ticket)

    def cancel(self, actor: Actor, branch_id: int, code: str) -> AppointmentView:
        require(self.db, actor, Permission.ISSUE_TICKET, clock=self.clock)
        check_branch(actor, branch_id)
        with self.db.write() as session:
            booking = session.scalar(select(Appointment).where(Appointment.branch_id == branch_id,
                                                               Appointment.code == code.strip()))
            if booking is None:
                raise NotFound(what="Appointment", key=code)
            if booking.status != AppointmentStatus.BOOKED.value:
                raise Conflict(code="appointment_used", template="Appointment {booking} is already {status}.",
                               booking=booking.code, status=booking.status)
            booking.status = AppointmentStatus.CANCELLED.value
            return _view(booking)

    def for_day(self, branch_id: int, day: date | None = None) -> list[AppointmentView]:
        with self.db.read() as session:
            branch = branch_of(session, branch_id)
            zone = ZoneInfo(branch.timezone)
            day = day or business_day(self.clock(), branch.timezone)
            start = datetime.combine(day, time.min, zone)
            rows = session.scalars(select(Appointment).where(
                Appointment.branch_id == branch_id, Appointment.slot_start >= start,
                Appointment.slot_start < start + timedelta(days=1)).order_by(Appointment.slot_start))
            return [_view(a) for a in rows]
