"""Appointments (预约): booking checks, the priority an appointment earns at check-in, and the
reason a reveal of the customer's full name or phone needs."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from app.domain.errors import ValidationError
from app.domain.identity import parse_phone
from app.domain.priority import PriorityClass

CODE_LENGTH = 6
#: Associated data of the sealed name and phone (a value copied into another column does not
#: decrypt there); key rotation re-encrypts them too (app/services/key_rotation.py ENCRYPTED_COLUMNS).
NAME_FIELD = "appointment.customer_name"
PHONE_FIELD = "appointment.phone"
#: A reveal's reason is kept in the audit log: required, and at most this long (the reason dialog's limit).
MAX_REVEAL_REASON = 500


def normalise_phone(value: str, field: str = "phone") -> str:
    """A mainland mobile, or a landline with its area code, checked as customers' phones are
    (one check per field kind: app/domain/identity.py), in its canonical digits-only form."""
    return parse_phone(value, field=field).number


def phone_index_form(phone: str) -> str:
    """A normalised phone as its blind index is computed: digits only, the customers' canonical form
    (app/domain/identity.py ``parse_phone``), so one number has one index in both tables (bookings
    stored before the shared check may hold ``010-12345678``)."""
    return phone.replace("-", "")


def reveal_reason(text: str | None) -> str:
    """Why a full value is shown, with runs of white space made one space."""
    reason = " ".join((text or "").split())
    if len(reason) < 2:
        raise ValidationError(field="reason", reason="required")
    if len(reason) > MAX_REVEAL_REASON:
        raise ValidationError(field="reason", reason="max_length", limit=MAX_REVEAL_REASON)
    return reason


def new_booking_code() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(CODE_LENGTH))


def check_in_priority(now: datetime, slot_start: datetime, early_minutes: int, late_minutes: int) -> PriorityClass:
    """On time (from ``early_minutes`` before to ``late_minutes`` after the slot start) earns
    appointment priority; earlier or later, the customer queues like everyone else."""
    if slot_start - timedelta(minutes=early_minutes) <= now <= slot_start + timedelta(minutes=late_minutes):
        return PriorityClass.APPOINTMENT
    return PriorityClass.NORMAL
