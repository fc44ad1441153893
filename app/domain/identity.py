"""Resident ID numbers (GB 11643-1999), checked with python-stdnum.

``stdnum.cn.ric.validate`` also rejects a number whose region (county) code was created
after the birth year. Real customers hold such numbers: the code is that of the household
registration when the card was first issued, which can be years after birth. So we reject
on length, format, check character and impossible birth dates, and report an unknown or
later region only as a warning (DOMAIN.md, Customers).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from stdnum.cn import ric, uscc
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
    raw = (value or "").strip()
    # Fast path for the common, already-clean input; stdnum's clean() (full-width digits,
    # separators) is most of the cost of a bulk import otherwise.
    number = raw.upper() if len(raw) == 18 and raw.isascii() and raw.isalnum() else ric.compact(raw).upper()
    if len(number) != 18:
        raise ValidationError(field=field, reason="exact_length", length=18)
    # ASCII digits only: str.isdigit() also accepts e.g. "²", which the check-digit
    # arithmetic then fails on with a ValueError.
    if not isdigits(number[:17]) or not (isdigits(number[17]) or number[17] == "X"):
        raise ValidationError(field=field, reason="resident_id_format")
    if number[17] != ric.calc_check_digit(number):
        raise ValidationError(field=field, reason="check_character")
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))  # as ric.get_birth_date
    except ValueError:
        raise ValidationError(field=field, reason="resident_id_birth_date") from None
    if birth > today or birth.year < EARLIEST_BIRTH_YEAR:
        raise ValidationError(field=field, reason="birth_date_impossible")
    warnings: list[str] = []
    if not _region_known(number[:6], birth.year):
        warnings.append("region code not in the reference list (may be newer than the birth year)")
    gender = "male" if int(number[16]) % 2 == 1 else "female"
    return ResidentId(number=number, birth_date=birth, gender=gender, warnings=tuple(warnings))


@lru_cache(maxsize=8192)
def _region_known(region: str, birth_year: int) -> bool:
    """stdnum's region lookup (a walk through its data file) is most of the cost of checking an
    ID number; a bulk import sees the same few thousand (region, year) pairs over and over."""
    probe = f"{region}{birth_year:04d}0101" + "0000"
    try:
        ric.get_birth_place(probe)
    except StdnumError:
        return False
    return True


def birth_date_in(number: str) -> date | None:
    """The birth date digits 7–14 of a stored (already validated, 18-character) resident ID hold.

    The database keeps no birth date of its own: beside the masked ID (digits 1–6 and 15–18
    shown) a plaintext birth date rebuilt the whole number. Whoever needs it decrypts the ID."""
    if len(number) != 18:
        return None
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def age_on(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


# -- corporate: unified social credit code (GB 32100-2015) ------------------------------

_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@dataclass(frozen=True)
class CreditCode:
    """A credit code that has the right shape. ``check_ok`` False means only a supervisor's
    override (with a reason) may store it: the check character does not match."""

    number: str
    check_ok: bool


def parse_uscc(value: str, *, field: str = "credit code") -> CreditCode:
    """Length and format are refused outright (as ``stdnum.cn.uscc.validate`` refuses them);
    a failed check character is reported, not raised, so the caller can ask for an override."""
    number = uscc.compact(value or "")
    if len(number) != 18:
        raise ValidationError(field=field, reason="exact_length", length=18)
    if not isdigits(number[:8]) or any(c not in _USCC_ALPHABET for c in number[8:]):
        raise ValidationError(field=field, reason="credit_code_format")
    return CreditCode(number=number, check_ok=number[-1] == uscc.calc_check_digit(number))


def require_check_ok(code: CreditCode, *, field: str = "credit code") -> None:
    if not code.check_ok:
        raise ValidationError(field=field, reason="check_character")


# -- phones ---------------------------------------------------------------------------

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
#: A landline with its area code: 010 and 02x take 8-digit numbers, the 4-digit codes (03xx–09xx)
#: 7 or 8, so "010-123456789" is one digit too many rather than area code 0101.
_LANDLINE = re.compile(r"^(?:0(?:10|2\d)\d{8}|0[3-9]\d{2}\d{7,8})$")


@dataclass(frozen=True)
class Phone:
    """``number`` is the canonical form (digits only, no +86, no separators): what the
    blind index is computed over, so ``138 1234 1234`` and ``+86-13812341234`` match."""

    number: str
    kind: str  # "mobile" | "landline"


def parse_phone(value: str, *, field: str = "phone") -> Phone:
    if len(value or "") == 11 and value.isascii() and value.isdigit() and _MOBILE.match(value):
        return Phone(value, "mobile")  # the common case, without the clean-up below
    raw = (value or "").strip()
    digits = "".join(ch for ch in raw if ch not in " -()\u3000\t")
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    if not isdigits(digits):
        raise ValidationError(field=field, reason="phone_format")
    if _MOBILE.match(digits):
        return Phone(digits, "mobile")
    if _LANDLINE.match(digits):
        return Phone(digits, "landline")
    raise ValidationError(field=field, reason="phone_format")
