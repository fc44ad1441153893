"""Appointments (预约): booked by phone or at the desk, checked in at the kiosk with the code.

The customer's name and phone are personal data (PIPL): stored AES-GCM encrypted with the
workstation's data key (app/keys.py, the key customers use), the phone with a blind index for
any look-up by number (kind ``phone``, over the same digits as customers' phones), both with a
masked form (``张*``, ``138****1234``) that lists read without the key. Every view this service
returns carries the masked forms only; the full value of one comes from :meth:`reveal`, which
needs ``REVEAL_SENSITIVE`` and a reason and writes its audit entry in the same transaction.
Listing needs ``VIEW_CUSTOMERS`` (the rows are customers' personal data, masked as in customer
search) and the branch's own staff.

Rows from before revision 0011 hold the plaintext, which a migration cannot encrypt (it never
sees the key). The migration fills their masked forms; :func:`seal_plaintext` encrypts each such
row and clears its plaintext. It runs the first time a service on a workstation with the key
books, lists or reveals (one cheap query finds nothing to do once every row is sealed), so after
the upgrade and the first keyed use no plaintext remains. Past appointments are sealed too: the
rule is the same for every row, and the history stays readable through an audited reveal.
Check-in at the kiosk finds the booking by its code and never needs the key.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from app.db.engine import Database
from app.db.models import Appointment, BusinessType
from app.domain.appointments import (
    NAME_FIELD,
    PHONE_FIELD,
    check_in_priority,
    new_booking_code,
    normalise_phone,
    phone_index_form,
    reveal_reason,
)
from app.domain.business_day import business_day, utcnow
from app.domain.errors import Conflict, NotFound, ValidationError
from app.domain.masking import mask_name, mask_phone
from app.domain.roles import Permission
from app.events import TOPIC_APPOINTMENTS, TOPIC_QUEUE, publish
from app.keys import FieldCipher
from app.services.audit import AuditAction, record_in, require
from app.services.actor import Actor
from app.services.data_keys import open_cipher
from app.services.queue import QueueService, TicketView
from app.services.queue_session import branch_of

log = logging.getLogger(__name__)

MAX_CODE_ATTEMPTS = 20


class AppointmentStatus(StrEnum):
    BOOKED = "booked"
    CHECKED_IN = "checked_in"
    CANCELLED = "cancelled"


#: What :meth:`AppointmentService.reveal` shows in full.
REVEAL_FIELDS = ("customer_name", "phone")
_SEAL_BATCH = 500
_PLAINTEXT = or_(Appointment.legacy_name.is_not(None), Appointment.legacy_phone.is_not(None))


@dataclass(frozen=True)
class AppointmentView:
    """One booking as lists show it: the customer's name and phone masked."""

    id: int
    code: str
    business_code: str
    business_name_zh: str
    customer_name_masked: str
    phone_masked: str
    slot_start: datetime
    slot_end: datetime
    status: AppointmentStatus
    ticket_id: int | None


def _view(a: Appointment) -> AppointmentView:
    """Times in UTC, as they read back (a booking just made still holds the caller's zone)."""
    return AppointmentView(a.id, a.code, a.business_type.code, a.business_type.name_zh, a.name_masked,
                           a.phone_masked, a.slot_start.astimezone(timezone.utc), a.slot_end.astimezone(timezone.utc),
                           AppointmentStatus(a.status), a.ticket_id)


def _seal_name(a: Appointment, cipher: FieldCipher, name: str) -> None:
    a.name_cipher, a.name_masked, a.legacy_name = cipher.encrypt(NAME_FIELD, name), mask_name(name), None


def _seal_phone(a: Appointment, cipher: FieldCipher, phone: str) -> None:
    a.phone_cipher, a.phone_masked, a.legacy_phone = cipher.encrypt(PHONE_FIELD, phone), mask_phone(phone), None
    a.phone_index = cipher.index("phone", phone_index_form(phone))


def has_plaintext(db: Database) -> bool:
    """Whether some row still holds the plaintext of before revision 0011."""
    with db.read() as session:
        return session.scalar(select(Appointment.id).where(_PLAINTEXT).limit(1)) is not None


def seal_plaintext(db: Database, cipher: FieldCipher, *, batch: int = _SEAL_BATCH) -> int:
    """Encrypt the rows an upgrade left in plaintext and clear it, one batch per transaction;
    returns how many. Rows locked (PostgreSQL) so two workstations sealing at once do each row once."""
    total = 0
    while True:
        with db.write() as session:
            rows = session.scalars(select(Appointment).where(_PLAINTEXT).order_by(Appointment.id)
                                   .limit(batch).with_for_update()).all()
            for a in rows:
                if a.legacy_name is not None:
                    _seal_name(a, cipher, a.legacy_name)
                if a.legacy_phone is not None:
                    _seal_phone(a, cipher, a.legacy_phone)
        if not rows:
            break
        total += len(rows)
    if total:
        log.info("sealed the name and phone of %d appointment(s) stored in plaintext before revision 0011", total)
    return total


class AppointmentService:
    def __init__(self, queue: QueueService, clock: Callable[[], datetime] | None = None, *,
                 cipher: FieldCipher | None = None, key_file: str = "") -> None:
        """``key_file``: the workstation's data key (setting ``customers.key_file``), opened on first
        use as CustomerService does; ``cipher`` given instead (tests, tools)."""
        self.queue = queue
        self.db: Database = queue.db
        self.clock = clock or queue.clock or utcnow
        self._cipher = cipher
        self._key_file = key_file
        self._lock = threading.RLock()  # the GUI's background jobs may ask first at the same moment
        self._sealed = False

    @property
    def cipher(self) -> FieldCipher:
        with self._lock:
            if self._cipher is None:
                self._cipher = open_cipher(self.db, self._key_file)
            return self._cipher

    def _seal_legacy(self) -> None:
        """Seal what an upgrade left in plaintext, once per service: the key is opened only when some
        row needs it. Outside any transaction of ours (opening the key may record it: data_keys.py)."""
        with self._lock:
            if not self._sealed:
                if has_plaintext(self.db):
                    seal_plaintext(self.db, self.cipher)
                self._sealed = True

    def book(self, actor: Actor, branch_id: int, *, business_code: str, customer_name: str, phone: str,
             slot_start: datetime, slot_minutes: int = 30) -> AppointmentView:
        require(self.db, actor, Permission.ISSUE_TICKET, clock=self.clock, branch_id=branch_id)
        name = customer_name.strip()
        if not name or len(name) > 100:
            raise ValidationError(field="customer name", reason="length_range", minimum=1, maximum=100)
        number = normalise_phone(phone)
        if slot_start.tzinfo is None:
            raise ValidationError(field="slot", reason="time_zone_needed")
        if slot_start < self.clock():
            raise ValidationError(field="slot", reason="must_be_future")
        if not 5 <= slot_minutes <= 240:
            raise ValidationError(field="slot length", reason="minutes_range", minimum=5, maximum=240)
        self._seal_legacy()
        cipher = self.cipher  # read and check the key before the write transaction
        for _ in range(MAX_CODE_ATTEMPTS):
            try:
                with self.db.write() as session:
                    branch_of(session, branch_id)
                    bt = session.scalar(select(BusinessType).where(BusinessType.code == business_code,
                                                                   BusinessType.active))
                    if bt is None:
                        raise NotFound(what="Business type", key=business_code)
                    booking = Appointment(branch_id=branch_id, business_type_id=bt.id, code=new_booking_code(),
                                          slot_start=slot_start, slot_end=slot_start + timedelta(minutes=slot_minutes),
                                          status=AppointmentStatus.BOOKED.value, created_at=self.clock(),
                                          created_by_id=actor.user_id)
                    _seal_name(booking, cipher, name)
                    _seal_phone(booking, cipher, number)
                    booking.business_type = bt
                    session.add(booking)
                    session.flush()
                    publish(session, TOPIC_APPOINTMENTS, branch_id)
                    return _view(booking)
            except IntegrityError:
                continue  # the random code was taken: draw another
        raise Conflict(reason="booking_codes_used_up")

    def check_in(self, actor: Actor, branch_id: int, code: str) -> TicketView:
        """Issue the appointment's ticket: priority when on time, a normal ticket when early or late."""
        require(self.db, actor, Permission.ISSUE_TICKET, clock=self.clock, branch_id=branch_id)
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
                raise Conflict(code="appointment_other_day",
                               template="Appointment {booking} is for {day}, not today.",
                               booking=booking.code, day=business_day(booking.slot_start, branch.timezone).isoformat())
            policy = self.queue.policy
            priority = check_in_priority(now, booking.slot_start, policy.appointment_early_minutes,
                                         policy.appointment_late_minutes)
            ticket = self.queue.new_ticket_in(session, actor, branch_id, booking.business_type.code, priority, now,
                                            branch.timezone)
            booking.status, booking.ticket_id, booking.checked_in_at = \
                AppointmentStatus.CHECKED_IN.value, ticket.id, now
            publish(session, TOPIC_QUEUE, branch_id)
            publish(session, TOPIC_APPOINTMENTS, branch_id)
            return self.queue.position_view_in(session, ticket)

    def cancel(self, actor: Actor, branch_id: int, code: str) -> AppointmentView:
        require(self.db, actor, Permission.ISSUE_TICKET, clock=self.clock, branch_id=branch_id)
        with self.db.write() as session:
            booking = session.scalar(select(Appointment).where(Appointment.branch_id == branch_id,
                                                               Appointment.code == code.strip()))
            if booking is None:
                raise NotFound(what="Appointment", key=code)
            if booking.status != AppointmentStatus.BOOKED.value:
                raise Conflict(code="appointment_used", template="Appointment {booking} is already {status}.",
                               booking=booking.code, status=booking.status)
            booking.status = AppointmentStatus.CANCELLED.value
            publish(session, TOPIC_APPOINTMENTS, branch_id)
            return _view(booking)

    def for_day(self, actor: Actor, branch_id: int, day: date | None = None) -> list[AppointmentView]:
        """The branch's bookings of a day (default today), in slot order, masked."""
        require(self.db, actor, Permission.VIEW_CUSTOMERS, clock=self.clock, branch_id=branch_id)
        self._seal_legacy()
        with self.db.read() as session:
            branch = branch_of(session, branch_id)
            zone = ZoneInfo(branch.timezone)
            day = day or business_day(self.clock(), branch.timezone)
            start = datetime.combine(day, time.min, zone)
            rows = session.scalars(select(Appointment).where(
                Appointment.branch_id == branch_id, Appointment.slot_start >= start,
                Appointment.slot_start < start + timedelta(days=1)).order_by(Appointment.slot_start))
            return [_view(a) for a in rows]

    def reveal(self, actor: Actor, branch_id: int, appointment_id: int, field: str, reason: str) -> str:
        """The full ``customer_name`` or ``phone`` of one booking (to call the customer, say).

        Needs REVEAL_SENSITIVE and a reason; the audit entry (who, when, which booking, which
        field, why) commits in the same transaction as the read, or the value is not returned."""
        require(self.db, actor, Permission.REVEAL_SENSITIVE, clock=self.clock, branch_id=branch_id)
        if field not in REVEAL_FIELDS:
            raise ValidationError(field="field", reason="one_of", choices=REVEAL_FIELDS)
        reason = reveal_reason(reason)
        self._seal_legacy()
        cipher = self.cipher
        with self.db.write() as session:
            booking = session.get(Appointment, appointment_id)
            if booking is None or booking.branch_id != branch_id:
                raise NotFound(what="Appointment", key=appointment_id)
            token = booking.name_cipher if field == "customer_name" else booking.phone_cipher
            if token is None:  # cannot happen once sealed; never fall back to a plaintext column
                raise NotFound(what="Appointment", key=appointment_id)
            value = cipher.decrypt(NAME_FIELD if field == "customer_name" else PHONE_FIELD, token)
            record_in(session, actor, AuditAction.REVEAL, at=self.clock(), target_type="appointment",
                      target_id=booking.id, branch_id=branch_id,
                      detail={"field": field, "reason": reason})
        return value
