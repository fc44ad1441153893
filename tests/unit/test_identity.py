"""Resident ID numbers (GB 11643-1999) without a database: what is refused, what only warns, and age."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric

from app.domain.errors import ValidationError
from app.domain.identity import ResidentId, age_on, parse_resident_id

TODAY = date(2026, 11, 23)


def resident_id(region: str = "110101", birth: str = "19900307", sequence: str = "123") -> str:
    """A number with a correct check character (calc_check_digit ignores the last character)."""
    body = region + birth + sequence
    return body + ric.calc_check_digit(body + "0")


def with_wrong_check(number: str) -> str:
    wrong = "0" if number[-1] != "0" else "1"
    return number[:-1] + wrong


def reason_of(value: str, today: date = TODAY) -> str:
    with pytest.raises(ValidationError) as caught:
        parse_resident_id(value, today=today)
    assert caught.value.params["field"] == "ID number"
    return caught.value.params["reason"]


# -- accepted ----------------------------------------------------------------------------

def test_valid_number() -> None:
    number = resident_id("110101", "19900307", "123")
    parsed = parse_resident_id(number, today=TODAY)
    assert parsed == ResidentId(number=number, birth_date=date(1990, 3, 7), gender="male", warnings=())


def test_even_sequence_is_female() -> None:
    assert parse_resident_id(resident_id(sequence="124"), today=TODAY).gender == "female"


def test_check_character_x_in_either_case() -> None:
    number = resident_id("440305", "19900101", "123")
    assert number.endswith("X")
    assert parse_resident_id(number, today=TODAY).number == number
    assert parse_resident_id(number.lower(), today=TODAY).number == number
    assert parse_resident_id(f"  {number.lower()} ", today=TODAY).number == number


def test_full_width_digits_are_read_as_digits() -> None:
    number = resident_id()
    full_width = number.translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
    assert parse_resident_id(full_width, today=TODAY).number == number


def test_born_today_is_possible() -> None:
    assert parse_resident_id(resident_id(birth="20261123"), today=TODAY).birth_date == TODAY


def test_the_field_name_is_configurable() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_resident_id("123", today=TODAY, field="guardian ID")
    assert caught.value.params["field"] == "guardian ID"


# -- region codes: a warning, never an error -------------------------------------------------

def test_region_created_after_the_birth_year_is_only_a_warning() -> None:
    # 330106 (Hangzhou Xihu) was created after 1965; real customers born then hold such numbers.
    number = resident_id("330106", "19650101", "123")
    assert number == "330106196501011232"
    with pytest.raises(Exception):
        ric.validate(number)  # the library itself refuses it...
    parsed = parse_resident_id(number, today=TODAY)  # ...we do not
    assert parsed.birth_date == date(1965, 1, 1)
    assert len(parsed.warnings) == 1 and "region" in parsed.warnings[0]


def test_the_same_region_for_a_later_birth_year_has_no_warning() -> None:
    assert parse_resident_id(resident_id("330106", "20000101"), today=TODAY).warnings == ()


def test_region_unknown_altogether_is_only_a_warning() -> None:
    parsed = parse_resident_id(resident_id("999999", "19800101"), today=TODAY)
    assert parsed.birth_date == date(1980, 1, 1)
    assert parsed.warnings


# -- refused -----------------------------------------------------------------------------

def test_bad_check_character() -> None:
    assert "check_character" == reason_of(with_wrong_check(resident_id()))
    assert "check_character" == reason_of(with_wrong_check(resident_id("330106", "19650101")))


def test_x_where_a_digit_is_due() -> None:
    number = resident_id()
    assert not number.endswith("X")
    assert "check_character" == reason_of(number[:-1] + "X")


@pytest.mark.parametrize("birth", ["19650230", "19901301", "19900001", "19900100", "20250229", "00000000"])
def test_impossible_birth_date(birth: str) -> None:
    assert "resident_id_birth_date" == reason_of(resident_id(birth=birth))


@pytest.mark.parametrize("birth", ["20261124", "20300101", "29991231"])
def test_birth_in_the_future(birth: str) -> None:
    assert "birth_date_impossible" == reason_of(resident_id(birth=birth))


def test_birth_before_1900() -> None:
    assert "birth_date_impossible" == reason_of(resident_id(birth="18991231"))
    assert parse_resident_id(resident_id(birth="19000101"), today=TODAY).birth_date == date(1900, 1, 1)


@pytest.mark.parametrize("value", ["", "11010119900307123", "1101011990030712345", "110101900307123"])
def test_wrong_length(value: str) -> None:
    assert "exact_length" == reason_of(value)


@pytest.mark.parametrize("value", ["11010119900307A233", "1101011990030712-3", "X10101199003071233",
                                   "11010119900307123Y"])
def test_wrong_format(value: str) -> None:
    assert "resident_id_format" == reason_of(value)


def test_unicode_digits_that_are_not_decimal_are_a_validation_error() -> None:
    """'²' passes str.isdigit() but is no digit of an ID number: refused like any other bad
    character, not with an unexpected ValueError."""
    number = resident_id()
    assert "resident_id_format" == reason_of("²" + number[1:])
    assert "resident_id_format" == reason_of(number[:10] + "³" + number[11:])


#: Characters an ID number is made of, and some that only look like them.
ID_LIKE = st.text(alphabet=st.sampled_from(list("0123456789Xx ²³¹٣１９Ⅻ-")), min_size=17, max_size=19)


@given(st.one_of(st.text(max_size=24), ID_LIKE))
def test_any_text_parses_or_is_a_validation_error(value: str) -> None:
    try:
        parsed = parse_resident_id(value, today=TODAY)
    except ValidationError as refused:
        assert refused.params["field"] == "ID number"
    else:
        assert len(parsed.number) == 18 and parsed.number.isascii()
        assert parsed.birth_date <= TODAY


@given(st.dates(min_value=date(1900, 1, 1), max_value=TODAY), st.integers(min_value=0, max_value=999))
def test_every_possible_birth_date_round_trips(birth: date, sequence: int) -> None:
    number = resident_id("110101", birth.strftime("%Y%m%d"), f"{sequence:03d}")
    parsed = parse_resident_id(number, today=TODAY)
    assert parsed.birth_date == birth
    assert parsed.gender == ("male" if sequence % 2 else "female")


# -- age ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("birth", "today", "age"), [
    (date(1961, 11, 23), date(2026, 11, 23), 65),  # 65th birthday
    (date(1961, 11, 24), date(2026, 11, 23), 64),  # the day before it
    (date(1961, 11, 22), date(2026, 11, 23), 65),
    (date(1961, 12, 31), date(2026, 1, 1), 64),
    (date(1961, 1, 1), date(2026, 12, 31), 65),
    (date(2026, 11, 23), date(2026, 11, 23), 0),
    (date(1960, 2, 29), date(2025, 2, 28), 64),  # leap-day birthday, non-leap year: not yet
    (date(1960, 2, 29), date(2025, 3, 1), 65),
    (date(1960, 2, 29), date(2024, 2, 29), 64),
    (date(1960, 2, 29), date(2024, 2, 28), 63),
])
def test_age_on(birth: date, today: date, age: int) -> None:
    assert age_on(birth, today) == age


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2026, 12, 31)),
       st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_age_is_whole_years_completed(birth: date, today: date) -> None:
    if today < birth:
        return
    age = age_on(birth, today)
    assert age >= 0
    assert (today.month, today.day) >= (birth.month, birth.day) or age == today.year - birth.year - 1
    assert age in (today.year - birth.year, today.year - birth.year - 1)
