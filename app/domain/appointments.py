"""Appointments (预约): booking checks and the priority an appointment earns at check-in."""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta

from app.domain.errors import ValidationError
from app.domain.priority import PriorityClass

#: Mainland mobile numbers, or a landline with its area code (010-12345678, 0755 1234567).
_PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}[- ]?\d{7,8})$")
CODE_LENGTH = 6


def normalise_phone(value: str, field: str = "phone") -> str:
    phone = (value or "").strip().replace(" ", "")
    if phone.startswith("+86"):
        phone = phone[3:]
    if not _PHONE.match(phone):
        raise ValidationError(field=field, reason="a mainland mobile number (11 digits) or a landline with area code")
    return phone


def new_booking_code() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(CODE_LENGTH))


def check_in_priority(now: datetime, slot_start: datetime, early_minutes: int, late_minutes: int) -> PriorityClass:
    """On time (from ``early_minutes`` before to ``late_minutes`` after the slot start) earns
    appointment priority; earlier or later, the customer queues like everyone else."""
    if slot_start - timedelta(minutes=early_minutes) <= now <= slot_start + timedelta(minutes=late_minutes):
        return PriorityClass.APPOINTMENT
    return PriorityClass.NORMAL
