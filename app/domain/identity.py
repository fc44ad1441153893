"""Resident ID numbers (GB 11643-1999), checked with python-stdnum.

``stdnum.cn.ric.validate`` also rejects a number whose region (county) code was created
after the birth year. Real customers hold such numbers: the code is that of the household
registration when the card was first issued, which can be years after birth. So we reject
on length, format, check character and impossible birth dates, and report an unknown or
later region only as a warning (DOMAIN.md, Customers).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.util import isdigits

from app.domain.errors import ValidationError

EARLIEST_BIRTH_YEAR = 1900


@dataclass(frozen=True)
class ResidentId:
    number: str
    birth_date: date
    gender: str  # "male" | "female": odd sequence digit is male
    warnings: tuple[str, ...] = ()


def parse_resident_id(value: str, *, today: date, field: str = "ID number") -> ResidentId:
    number = ric.compact(value or "").upper()
    if len(number) != 18:
        raise ValidationError(field=field, reason="must have 18 characters")
    # ASCII digits only: str.isdigit() also accepts e.g. "²", which the check-digit
    # arithmetic then fails on with a ValueError.
    if not isdigits(number[:17]) or not (isdigits(number[17]) or number[17] == "X"):
        raise ValidationError(field=field, reason="17 digits followed by a digit or X")
    if number[17] != ric.calc_check_digit(number):
        raise ValidationError(field=field, reason="the check character does not match")
    try:
        birth = ric.get_birth_date(number)
    except StdnumError:
        raise ValidationError(field=field, reason="digits 7–14 are not a valid birth date") from None
    if birth > today or birth.year < EARLIEST_BIRTH_YEAR:
        raise ValidationError(field=field, reason="the birth date is impossible")
    warnings: list[str] = []
    try:
        ric.get_birth_place(number)
    except StdnumError:
        warnings.append("region code not in the reference list (may be newer than the birth year)")
    gender = "male" if int(number[16]) % 2 == 1 else "female"
    return ResidentId(number=number, birth_date=birth, gender=gender, warnings=tuple(warnings))


def age_on(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
