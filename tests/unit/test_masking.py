"""PIPL masking rules (DOMAIN.md): examples plus properties that must hold for any input."""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.masking import mask_card, mask_id_number, mask_name, mask_phone

ID_ALPHABET = string.digits + "X"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("张三", "张*"),
        ("李小龙", "李**"),
        ("欧阳娜娜", "欧***"),
        ("王", "*"),
        ("", ""),
        (None, ""),
        ("  张三 ", "张*"),
        ("John Smith", "J*** *****"),
        ("阿卜杜·热合曼", "阿**·***"),
    ],
)
def test_mask_name(name: str | None, expected: str) -> None:
    assert mask_name(name) == expected


@pytest.mark.parametrize(
    ("phone", "expected"),
    [
        ("13812341234", "138****1234"),
        ("138 1234 1234", "138****1234"),
        ("138-1234-1234", "138****1234"),
        ("01087654321", "010****4321"),
        ("12345678", "********"),  # too short to keep both ends
        ("95588", "*****"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_phone(phone: str | None, expected: str) -> None:
    assert mask_phone(phone) == expected


@pytest.mark.parametrize(
    ("card", "expected"),
    [
        ("6222021234567890123", "622202*********0123"),
        ("6222 0212 3456 7890", "622202******7890"),
        ("123456789012", "********9012"),  # short account: last 4 only
        ("123456789", "*********"),
        ("", ""),
    ],
)
def test_mask_card(card: str, expected: str) -> None:
    assert mask_card(card) == expected


@pytest.mark.parametrize(
    ("id_number", "expected"),
    [
        ("11010119900307123X", "110101********123X"),
        ("11010119900307123x", "110101********123X"),
        ("110101 19900307 123X", "110101********123X"),
        ("110101900307123", "110101******123"),
        ("E12345678", "*********"),  # not a resident ID: hide it all
        ("1101011990", "**********"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_id_number(id_number: str | None, expected: str) -> None:
    assert mask_id_number(id_number) == expected


@given(st.text(alphabet=ID_ALPHABET, min_size=18, max_size=18))
def test_id_number_never_shows_birth_date(id_number: str) -> None:
    masked = mask_id_number(id_number)
    assert len(masked) == len(id_number)
    assert masked[6:14] == "*" * 8
    assert id_number[6:14] not in masked
    assert masked[:6] == id_number[:6] and masked[14:] == id_number[14:]


@given(st.text(alphabet=ID_ALPHABET, min_size=15, max_size=15))
def test_first_generation_id_never_shows_birth_date(id_number: str) -> None:
    masked = mask_id_number(id_number)
    assert len(masked) == 15
    assert masked[6:12] == "*" * 6


@given(st.text(alphabet=ID_ALPHABET, max_size=30).filter(lambda s: len(s) not in (15, 18)))
def test_unknown_id_layout_is_fully_masked(id_number: str) -> None:
    assert mask_id_number(id_number) == "*" * len(id_number)


@given(st.text(alphabet=string.digits, max_size=25))
def test_phone_and_card_keep_length_and_never_show_mostly(digits: str) -> None:
    # (masker, most characters ever shown, fewest hidden when anything shows)
    for masker, max_visible, min_hidden in ((mask_phone, 7, 4), (mask_card, 10, 6)):
        masked = masker(digits)
        assert len(masked) == len(digits)
        visible = sum(1 for c in masked if c != "*")
        assert visible <= max_visible
        assert visible == 0 or len(digits) - visible >= min_hidden


@given(st.text(min_size=1, max_size=20).filter(lambda s: s.strip()))
def test_name_shows_at_most_first_character(name: str) -> None:
    masked = mask_name(name)
    stripped = name.strip()
    assert len(masked) == len(stripped)
    if len(stripped) >= 2:
        assert masked[0] == stripped[0]
    assert all(c == "*" or c in " ·•・.-'\u3000" for c in masked[1:])


@pytest.mark.parametrize(("address", "expected"), [
    ("北京市朝阳区建国路88号", "北京市朝阳区******"),
    ("广东省深圳市南山区科技园", "广东省深圳市******"),  # never more than half shown
    ("某村12号", "某****"),
    ("", ""),
])
def test_mask_address_keeps_the_district_at_most(address: str, expected: str) -> None:
    from app.domain.masking import mask_address

    assert mask_address(address) == expected


def test_age_band_is_the_decade() -> None:
    from app.domain.masking import age_band

    assert [age_band(a) for a in (0, 19, 30, 39, 67)] == [0, 10, 30, 30, 60]
