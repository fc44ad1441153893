"""Appointment rules without a database: the check-in window and phone numbers."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.appointments import CODE_LENGTH, check_in_priority, new_booking_code, normalise_phone
from app.domain.errors import ValidationError
from app.domain.priority import PriorityClass

SLOT = datetime(2026, 11, 23, 2, 30, tzinfo=timezone.utc)  # 10:30 in Shanghai
EARLY, LATE = 30, 10
SECOND = timedelta(seconds=1)


@pytest.mark.parametrize(("offset", "expected"), [
    (-timedelta(minutes=EARLY) - SECOND, PriorityClass.NORMAL),  # too early
    (-timedelta(minutes=EARLY), PriorityClass.APPOINTMENT),  # first moment of the window
    (-timedelta(minutes=1), PriorityClass.APPOINTMENT),
    (timedelta(0), PriorityClass.APPOINTMENT),  # the slot start itself
    (timedelta(minutes=LATE), PriorityClass.APPOINTMENT),  # last moment of the window
    (timedelta(minutes=LATE) + SECOND, PriorityClass.NORMAL),  # late
    (timedelta(hours=3), PriorityClass.NORMAL),
    (-timedelta(days=1), PriorityClass.NORMAL),
])
def test_check_in_window_boundaries(offset: timedelta, expected: PriorityClass) -> None:
    assert check_in_priority(SLOT + offset, SLOT, EARLY, LATE) is expected


def test_zero_tolerance_window_is_the_slot_start_only() -> None:
    assert check_in_priority(SLOT, SLOT, 0, 0) is PriorityClass.APPOINTMENT
    assert check_in_priority(SLOT - SECOND, SLOT, 0, 0) is PriorityClass.NORMAL
    assert check_in_priority(SLOT + SECOND, SLOT, 0, 0) is PriorityClass.NORMAL


def test_window_compares_instants_not_wall_clocks() -> None:
    shanghai = timezone(timedelta(hours=8))
    same_instant = SLOT.astimezone(shanghai)
    assert check_in_priority(same_instant + timedelta(minutes=LATE), SLOT, EARLY, LATE) is PriorityClass.APPOINTMENT
    assert check_in_priority(same_instant + timedelta(minutes=LATE, seconds=1), SLOT, EARLY, LATE) \
        is PriorityClass.NORMAL


@given(offset_s=st.integers(min_value=-6 * 3600, max_value=6 * 3600),
       early=st.integers(min_value=0, max_value=120), late=st.integers(min_value=0, max_value=120))
def test_check_in_window_property(offset_s: int, early: int, late: int) -> None:
    result = check_in_priority(SLOT + timedelta(seconds=offset_s), SLOT, early, late)
    on_time = -early * 60 <= offset_s <= late * 60
    assert result is (PriorityClass.APPOINTMENT if on_time else PriorityClass.NORMAL)


# -- phone numbers -----------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "expected"), [
    ("13800138000", "13800138000"),
    ("19912345678", "19912345678"),
    ("15000000000", "15000000000"),
    (" 138 0013 8000 ", "13800138000"),
    ("+8613800138000", "13800138000"),
    ("+86 138 0013 8000", "13800138000"),
    ("010-12345678", "01012345678"),  # Beijing: 3-digit area code, 8-digit number (stored as digits)
    ("0755-1234567", "07551234567"),  # 4-digit area code, 7-digit number
    ("138-0013-8000", "13800138000"),  # separators as customers' phones allow (one check per kind)
    ("0755 12345678", "075512345678"),
    ("02112345678", "02112345678"),
])
def test_valid_phone_numbers(raw: str, expected: str) -> None:
    assert normalise_phone(raw) == expected


@pytest.mark.parametrize("raw", [
    "",
    "   ",
    "1380013800",  # 10 digits
    "138001380000",  # 12 digits
    "12800138000",  # no mainland mobile starts 12
    "23800138000",
    "1380013800a",
    "86 13800138000",  # country code without the plus
    "+85213800138000",
    "010-123456",  # landline number too short
    "010-123456789",  # too long
    "10-12345678",  # area code without the leading 0
    "400-123-4567",
    "１３８００１３８０００",  # full-width digits are not what we store
])
def test_invalid_phone_numbers_name_the_field(raw: str) -> None:
    with pytest.raises(ValidationError) as caught:
        normalise_phone(raw)
    assert caught.value.params["field"] == "phone"


def test_missing_phone_is_a_validation_error_and_the_field_name_is_configurable() -> None:
    with pytest.raises(ValidationError) as caught:
        normalise_phone(None, field="contact phone")  # type: ignore[arg-type]
    assert caught.value.params["field"] == "contact phone"


@given(st.text(max_size=20))
def test_phone_either_normalises_or_raises_validation_error(raw: str) -> None:
    try:
        phone = normalise_phone(raw)
    except ValidationError as refused:
        assert refused.params["field"] == "phone"
    else:
        assert phone.isascii() and phone.replace("-", "").isdigit()
        assert normalise_phone(phone) == phone  # idempotent


# -- booking codes ---------------------------------------------------------------------

def test_booking_codes_are_six_digits_and_vary() -> None:
    codes = {new_booking_code() for _ in range(200)}
    assert all(len(code) == CODE_LENGTH == 6 and code.isdigit() for code in codes)
    assert len(codes) > 150
